"""What `briefing serve` rebuilds: the generated files that changed since the last build.

`briefing serve` runs `mkdocs serve --dirty`. MkDocs then keeps the previous output and
rebuilds only files whose `is_modified()` is true, which for generated files is always. So
a rebuild adds only the generated files that differ from what the last finished build
wrote (plus the nav's section pages, marked unmodified), and deletes the output of files
that are gone. This module keeps that ledger; the plugin asks it what to skip.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from generator.mkdocs.config import THEME_DIR
from generator.reuse import Reuse


class Ledger:
    """What the last finished build wrote, by src_uri, and what this build is writing.

    Each file is kept with what it was made from (a RenderedPage or the bytes): equal means
    unchanged. The render cache hands back the same RenderedPage objects for unchanged
    pages, so the comparison is mostly by identity. A file's value is the number of the
    build that wrote it: a file is unchanged when an earlier build's copy is reused.
    """

    def __init__(self) -> None:
        self._files: Reuse[str, int] = Reuse()
        self._build = 0  # this build's number
        # Off for full builds: they skip nothing, and holding on to every page they made
        # would keep every page's text alive until the process ends.
        self.active = False
        self._skipping = False

    @property
    def built(self) -> bool:
        """Whether the last finished build wrote files that site_dir holds."""
        return len(self._files) > 0

    @property
    def known(self) -> bool:
        """Whether this build may skip files: the last one's, with the same key, are there."""
        return self._skipping

    def start(self, key: tuple[object, ...] | None) -> None:
        """A new build; `key` (see build_key) is None for a full, non-incremental build."""
        self._build += 1
        self.active = key is not None
        self._skipping = self._files.begin(key) and self.active

    def unchanged(self, uri: str, made_from: object) -> bool:
        """Record what `uri` is made from this build; true if the last build wrote the same."""
        if not self.active:
            return False
        return self._files.get(uri, made_from, self._written) != self._build

    def always(self, uri: str) -> None:
        """Record a file that is always written (never equal to anything)."""
        if self.active and not self._files.asked(uri):
            self._files.get(uri, object(), self._written)

    def _written(self) -> int:
        return self._build

    def finish(self, site_dir: Path, remove_stale: bool) -> None:
        """The build finished: its files are now what site_dir holds."""
        gone = self._files.end()
        if remove_stale:
            _remove_stale(gone, site_dir)

    def rewritten(self, uri: str, made_from: object) -> None:
        """After `finish`: `uri` was written again, from `made_from` (a background refresh)."""
        self._files.remember(uri, made_from, self._build)

    def removed(self, uri: str) -> None:
        """After `finish`: `uri` was removed from site_dir."""
        self._files.forget(uri)

    def reset(self) -> None:
        """The output may be half written: the next build starts from scratch."""
        self._files.clear()


def build_key(config: MkDocsConfig, *parts: str) -> tuple[str | bytes, ...]:
    """What every generated page's HTML depends on besides its own content.

    `parts` are the plugin's own settings; the config file and the theme folders, the
    archive's and the tool's (by file name, mtime and size), are added here. Compared as
    they are, not by a digest.
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
    return tuple(items)


def _remove_stale(gone: Iterable[str], site_dir: Path) -> None:
    """Delete what the previous build wrote for generated files that no longer exist."""
    for uri in gone:
        # Generated pages are `<url>index.md`, written (directory URLs) as `<url>index.html`.
        dest = site_dir / (uri[: -len(".md")] + ".html" if uri.endswith("index.md") else uri)
        if not dest.resolve().is_relative_to(site_dir.resolve()):
            continue
        dest.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # statements/<id>/ when it held only index.html
            dest.parent.rmdir()


__all__ = ["Ledger", "build_key"]
