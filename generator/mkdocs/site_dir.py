"""Where a build may go: site_dir must never be a source folder, nor anyone else's folder.

MkDocs empties site_dir before it builds. The plugin refuses a site_dir in content/, docs/,
the theme or the repository (for plain `mkdocs build` too); `briefing build` replaces only a
folder it made itself (SITE_MARKER), swapping a finished build into place. When `serve` ends,
its temporary site is handed to a process of its own to delete (`discard_preview`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

# Written into every site `briefing build` makes: only a folder carrying it is ever replaced.
SITE_MARKER = ".briefing-site"
_SITE_MARKER_TEXT = "Built by `briefing build`; replaced whole on every build.\n"


def refuse_site_dir(config: MkDocsConfig, root: Path, content_dir: Path) -> None:
    """MkDocs empties site_dir before it builds: it must never be a source folder."""
    site = Path(config.site_dir).resolve()
    folders = {"content": content_dir, "docs": Path(config.docs_dir).resolve(), "repository": root}
    if config.theme.custom_dir:
        folders["theme"] = Path(config.theme.custom_dir).resolve()
    for name, folder in folders.items():
        if site == folder or folder.is_relative_to(site):
            relation = "is" if site == folder else "contains"
        elif site.is_relative_to(folder) and name != "repository":  # root/site is the default
            relation = "is inside"
        else:
            continue
        raise PluginError(
            f"briefing: site_dir {site} {relation} the {name} folder {folder}, and MkDocs "
            "empties site_dir before building; choose another site_dir (e.g. site/ next to "
            "mkdocs.yml)"
        )


def _is_ours(folder: Path) -> bool:
    marker = folder / SITE_MARKER
    return marker.is_file() and not marker.is_symlink()


def check_site_dir(site_dir: Path) -> str | None:
    """Why `briefing build` must not replace `site_dir`, or None when it may.

    The folders MkDocs must never empty (content/, docs/, theme/, the repository) are
    refused by refuse_site_dir (the plugin's on_config), which runs for plain `mkdocs build` too.
    """
    if site_dir.is_symlink():
        return (
            f"site_dir {site_dir} is a symlink; the build would replace what it points to"
            "\n    hint: give the real folder, or a new folder name"
        )
    if site_dir.exists() and not site_dir.is_dir():
        return f"site_dir {site_dir} is a file, not a folder\n    hint: choose another path"
    if site_dir.is_dir() and any(site_dir.iterdir()) and not _is_ours(site_dir):
        return (
            f"site_dir {site_dir} is not empty and was not made by `briefing build` "
            f"(it has no {SITE_MARKER} file), so it is left alone"
            "\n    hint: choose a new or empty folder, or delete this one yourself"
        )
    return None


def sibling(target: Path, what: str) -> Path:
    return target.with_name(f".{target.name}.{what}-{secrets.token_hex(6)}")


def swap_in(built: Path, target: Path) -> None:
    """Put the finished site at `target`; the old one (ours, checked) is deleted after."""
    if not target.exists():
        os.replace(built, target)
        return
    problem = check_site_dir(target)  # again: it may have changed while we built
    if problem:
        raise SiteDirError(problem)
    old = sibling(target, "old")
    os.replace(target, old)  # same folder, so same filesystem: a rename, never a copy
    try:
        os.replace(built, target)
    except OSError:
        os.replace(old, target)  # put the previous site back
        raise
    shutil.rmtree(old)


class SiteDirError(Exception):
    pass


def mark(folder: Path) -> None:
    """Mark a finished build as ours: a later build may replace it."""
    (folder / SITE_MARKER).write_text(_SITE_MARKER_TEXT, encoding="utf-8")


_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def discard_preview(site_dir: Path | None) -> bool:
    """Leave `serve`'s temporary site empty, its files deleted by a process of their own.

    MkDocs deletes the folder it served from when `serve` ends, before the command returns:
    for a large archive, hundreds of thousands of files after Ctrl+C. Renamed within the temp
    folder (a rename, not a copy) and deleted in a new session, they no longer hold up the
    terminal. Only MkDocs' own temporary folder (`mkdocs_*` in the temp folder) is ever
    moved; true if it was.
    """
    if site_dir is None:
        return False
    site = Path(site_dir)
    temp = Path(tempfile.gettempdir()).resolve()
    if site.is_symlink() or not site.is_dir() or not site.name.startswith("mkdocs_"):
        return False
    if site.resolve().parent != temp:
        return False
    doomed = sibling(site, "removing")
    try:
        # Refused where a file in it is still open (Windows): MkDocs deletes it as before.
        os.replace(site, doomed)
    except OSError:
        return False
    with contextlib.suppress(OSError):  # MkDocs deletes site_dir only if it is there
        site.mkdir()
    try:
        subprocess.Popen(
            # Isolated (-I) and run from the temp folder: nothing of the archive's folder
            # is imported, nor held open while it runs.
            [sys.executable, "-I", "-c", _REMOVE, str(doomed)],
            cwd=temp,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Out of the terminal's process group and session: the Ctrl+C that ended `serve`,
            # or its console closing, is not its.
            start_new_session=os.name == "posix",
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
            | getattr(subprocess, "DETACHED_PROCESS", 0),
        )
    except OSError:
        shutil.rmtree(doomed, ignore_errors=True)
    return True
