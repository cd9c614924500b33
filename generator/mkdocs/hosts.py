"""How big a built site is, and which static hosts would refuse it.

A site that builds can still fail to publish: each host limits the whole site, the number of
files or the size of one file, and some refuse the deployment without saying why until it
times out. `briefing build` measures the finished folder and says so before anyone pushes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

GB = 1000**3
MiB = 1024**2


_GITLAB = "https://docs.gitlab.com/user/gitlab_com/#gitlab-pages"


@dataclass(frozen=True)
class Limit:
    """One documented limit of one host."""

    host: str
    what: str  # "site bytes", "entries" (files and folders) or "file bytes"
    most: int
    source: str  # where the host documents it
    #: How the host holds to it, when that is not a refusal of any site past it.
    enforced: str = ""


#: The limits of the hosts archives publish on, as each host documents them.
LIMITS: tuple[Limit, ...] = (
    Limit(
        "GitHub Pages",
        "site bytes",
        1 * GB,
        "https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits",
        # actions/deploy-pages compares the artifact upload-pages-artifact stored (the site's
        # tar, deflated) with 1 GiB, and only warns; the folder's own size is never checked.
        enforced="its deploy action checks only the compressed upload, against 1 GiB",
    ),
    Limit("GitLab Pages", "site bytes", 1 * GB, _GITLAB),
    # GitLab counts every entry of the site's archive: folders as well as files.
    Limit("GitLab Pages", "entries", 200_000, _GITLAB),
    Limit(
        "Cloudflare Pages",
        "file bytes",
        25 * MiB,
        "https://developers.cloudflare.com/pages/platform/limits/",
    ),
)


@dataclass(frozen=True)
class SiteSize:
    """The size of a built site: what every host limit is checked against."""

    bytes: int
    files: int
    folders: int
    largest: int  # bytes of the largest file
    largest_path: str  # relative to the site, with "/"

    def value(self, what: str) -> int:
        """The figure a limit of kind `what` applies to."""
        entries = self.files + self.folders
        return {"site bytes": self.bytes, "entries": entries, "file bytes": self.largest}[what]

    def summary(self) -> str:
        """One line for the end of a build."""
        return (
            f"site: {_bytes(self.bytes)} in {self.files:,} files; "
            f"largest file {_bytes(self.largest)} ({self.largest_path})"
        )


def measure(site: Path) -> SiteSize:
    """Bytes, file count and largest file of the folder `site` (symlinks are not followed)."""
    total = count = folders = largest = 0
    largest_path = ""
    # os.scandir rather than os.walk with os.path.relpath: a path built from its folder's
    # prefix costs no system call, and a large site has a quarter of a million entries.
    todo = [(os.fspath(site), "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():  # a symlinked folder counts as a folder, not entered
                    folders += 1
                    if not entry.is_symlink():
                        todo.append((entry.path, f"{prefix}{entry.name}/"))
                    continue
                size = entry.stat(follow_symlinks=False).st_size
                total += size
                count += 1
                # Ties go to the first path in sorted order, so the report is the same each build.
                rel = prefix + entry.name
                if size > largest or (size == largest and rel < largest_path):
                    largest, largest_path = size, rel
    return SiteSize(total, count, folders, largest, largest_path)


def over_limits(size: SiteSize, limits: tuple[Limit, ...] = LIMITS) -> list[str]:
    """A warning, with the figures, for each host limit the site exceeds."""
    warnings = []
    for limit in limits:
        value = size.value(limit.what)
        if value <= limit.most:
            continue
        if limit.what == "entries":
            figures = (
                f"{size.files:,} files and {size.folders:,} folders; "
                f"the limit is {limit.most:,} entries"
            )
        elif limit.what == "file bytes":
            figures = f"{size.largest_path} is {_bytes(value)}; the limit is {_bytes(limit.most)}"
        else:
            figures = f"{_bytes(value)}; the limit is {_bytes(limit.most)}"
        verdict = "may refuse" if limit.enforced else "would refuse"
        enforced = f"; {limit.enforced}" if limit.enforced else ""
        warnings.append(
            f"{limit.host} {verdict} this site: {figures} ({limit.source}){enforced}. "
            "See the README, 'Publishing a large archive', for other hosts."
        )
    return warnings


def _bytes(n: int) -> str:
    if n >= GB:
        return f"{n / GB:.2f} GB"
    if n >= MiB:
        return f"{n / MiB:.1f} MiB"
    return f"{n / 1024:.1f} KiB"
