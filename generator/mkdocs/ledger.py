"""What `briefing serve` rebuilds: the generated files that changed since the last build.

`briefing serve` runs `mkdocs serve --dirty`. MkDocs then keeps the previous output and
rebuilds only files whose `is_modified()` is true, which for generated files is always. So
a rebuild adds only the generated files that differ from what the last finished build
wrote (plus the nav's section pages, marked unmodified), and deletes the output of files
that are gone. This module keeps that ledger; the plugin asks it what to skip.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from generator.mkdocs.config import THEME_DIR


class Ledger:
    """What the last finished build wrote, by src_uri, and what this build is writing.

    Values are what the file was made from (a RenderedPage or the bytes): equal means
    unchanged. The render cache hands back the same RenderedPage objects for unchanged
    pages, so the comparison is mostly by identity.
    """

    def __init__(self) -> None:
        self.built: dict[str, object] = {}  # the last finished build's
        self.pending: dict[str, object] = {}  # this build's, kept if it finishes
        self.known: dict[str, object] = {}  # what this build may skip: `built`, or nothing
        self._key: str | None = None  # config and theme that `built` was built with
        # Off for full builds: they skip nothing, and holding on to every page they made
        # would keep 100,000 pages' text alive until the process ends.
        self.active = False

    def start(self, key: str | None) -> None:
        """A new build; `key` (see build_key) is None for a full, non-incremental build."""
        self.pending, self.known = {}, {}
        self.active = key is not None
        if key is not None:
            if key == self._key:
                self.known = self.built
            self._key = key

    def unchanged(self, uri: str, made_from: object) -> bool:
        """Record what `uri` is made from this build; true if the last build wrote the same."""
        if not self.active:
            return False
        self.pending[uri] = made_from
        return self.known.get(uri) == made_from

    def always(self, uri: str) -> None:
        """Record a file that is always written (never equal to anything)."""
        if self.active:
            self.pending.setdefault(uri, object())

    def finish(self, site_dir: Path, remove_stale: bool) -> None:
        """The build finished: its files are now what site_dir holds."""
        if remove_stale:
            _remove_stale(self.built, self.pending, site_dir)
        self.built, self.pending = self.pending, {}

    def reset(self) -> None:
        """The output may be half written: the next build starts from scratch."""
        self.built, self.pending, self._key = {}, {}, None


def build_key(config: MkDocsConfig, *parts: str) -> str:
    """What every generated page's HTML depends on besides its own content.

    `parts` are the plugin's own settings; the config file and the theme folders, the
    archive's and the tool's (by file name, mtime and size), are added here.
    """
    items: list[str | bytes] = list(parts)
    if config.config_file_path and os.path.isfile(config.config_file_path):
        items.append(Path(config.config_file_path).read_bytes())
    folders = [config.theme.custom_dir] if config.theme.custom_dir else []
    for folder in [*folders, str(THEME_DIR)]:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                items.append(f"{path}:{stat.st_mtime_ns}:{stat.st_size}")
    digest = hashlib.blake2b(digest_size=16)
    for item in items:
        data = item.encode("utf-8") if isinstance(item, str) else item
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _remove_stale(before: dict[str, object], now: dict[str, object], site_dir: Path) -> None:
    """Delete what the previous build wrote for generated files that no longer exist."""
    for uri in before.keys() - now.keys():
        # Generated pages are `<url>index.md`, written (directory URLs) as `<url>index.html`.
        dest = site_dir / (uri[: -len(".md")] + ".html" if uri.endswith("index.md") else uri)
        if not dest.resolve().is_relative_to(site_dir.resolve()):
            continue
        dest.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # statements/<id>/ when it held only index.html
            dest.parent.rmdir()


__all__ = ["Ledger", "build_key"]
