"""Run Pagefind over the lean search documents and put its bundle into the built site.

The indexer runs as `python -m pagefind` (the binary ships inside the `pagefind_bin_extended`
wheel, no download) over a temporary folder of lean documents (`search.lean_documents`),
never over the real pages: 10,000 lean documents index in seconds, where the real pages'
menus and listings multiply time and memory. Pagefind's Python API (add_custom_record) is
not used: it indexes about ten records a second.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from generator.model import Archive
from generator.search import (
    BUNDLE_DIR,
    SEARCH_URL,
    Engine,
    count_statement_files,
    lean_documents,
    resolve_mode,
    search_page_markdown,
)

log = logging.getLogger("mkdocs.plugins.briefing")

#: What to install when the indexer is missing (requirements.txt pins it).
REQUIREMENT = "pagefind[extended]==1.5.2"
#: A file every Pagefind bundle has: a folder holding it is a bundle we may replace.
ENTRY = "pagefind-entry.json"


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What one indexing run produced."""

    documents: int
    files: int
    bytes: int
    seconds: float


#: Material's search plugin, as MkDocs names it in config.plugins (`- search` in mkdocs.yml).
MATERIAL_SEARCH = "material/search"
#: The sidebar entry of the search page.
NAV_TITLE = "Search"


def configure_search(config: MkDocsConfig, mode: str, content_dir: Path) -> Engine:
    """Decide the search engine (plugin option `search`) and set MkDocs up for it.

    For Pagefind, Material's search plugin is disabled for this build: it would otherwise
    write its single search_index.json (215 MB at 100,000 statements), and Material's header
    hides its search box when the plugin is disabled. The search page joins the sidebar.
    """
    engine = resolve_mode(mode, count_statement_files(content_dir))
    if engine != "pagefind":
        return engine
    material = config.plugins.get(MATERIAL_SEARCH)
    if material is not None:
        # Runs after Material's own on_config (it is listed first), whose setup is harmless;
        # every later hook of that plugin checks `enabled` first.
        material.config.enabled = False
    nav = config.nav
    page = SEARCH_URL + "index.md"
    if isinstance(nav, list) and not any(
        isinstance(item, dict) and page in item.values() for item in nav
    ):
        nav.append({NAV_TITLE: page})
    return engine


def search_page_files(config: MkDocsConfig, engine: Engine) -> dict[str, File]:
    """The generated /search/ page in Pagefind mode; nothing for Material (no such page).

    With Material the search is the header's box, and search/ holds its index only, so
    /search/ is a 404 rather than a second, different search.
    """
    if engine != "pagefind":
        return {}
    uri = SEARCH_URL + "index.md"
    return {uri: File.generated(config, uri, content=search_page_markdown())}


def write_documents(documents: dict[str, str], folder: Path) -> None:
    """Write each document at its site-relative path under `folder`."""
    made: set[Path] = set()
    for rel, html in documents.items():
        target = folder / rel
        if target.parent not in made:  # one mkdir per folder, not per file (100,000 files)
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(html, encoding="utf-8", newline="\n")


def run_pagefind(source: Path, output: Path, python: str = sys.executable) -> None:
    """Index the HTML under `source` into the bundle folder `output`; PluginError on failure."""
    if importlib.util.find_spec("pagefind") is None:
        raise PluginError(
            f"briefing: search is set to Pagefind, but the `pagefind` package is not "
            f"installed in {python}; install it with: python -m pip install '{REQUIREMENT}'"
        )
    source, output = source.resolve(), output.resolve()
    cmd = [python, "-m", "pagefind", "--site", str(source), "--output-path", str(output)]
    # cwd=source: `-m` looks in the working folder first, where a stray pagefind.py (such
    # as generator/pagefind.py, this module) would shadow the real package.
    proc = subprocess.run(
        [*cmd, "--quiet"],
        cwd=source,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    if proc.returncode != 0 or not (output / ENTRY).is_file():
        detail = "\n".join((proc.stderr + proc.stdout).strip().splitlines()[-20:])
        raise PluginError(
            f"briefing: Pagefind failed (exit status {proc.returncode}) indexing {source}"
            + (f":\n{detail}" if detail else "")
            + f"\n    hint: is `{REQUIREMENT}` installed? Try: {python} -m pagefind --version"
        )
    for line in (proc.stdout + proc.stderr).splitlines():
        if line.strip():
            # Debug, not warning: MkDocs' strict mode fails a build on any warning, and
            # Pagefind's notes (e.g. about languages) say nothing about the records.
            log.debug("pagefind: %s", line)


def _clear(output: Path) -> None:
    """Remove a previous bundle at `output` (a `serve` rebuild); refuse anything else."""
    if not output.exists() and not output.is_symlink():
        return
    if output.is_dir() and not output.is_symlink() and (output / ENTRY).is_file():
        shutil.rmtree(output)
        return
    raise PluginError(
        f"briefing: {output} already exists and is not a Pagefind bundle; the search index "
        f"goes there. Remove docs/{BUNDLE_DIR} (or whatever put it into the site)."
    )


def build_index(archive: Archive, site_dir: Path) -> IndexStats:
    """Write the lean documents to a temporary folder and index them into site_dir/pagefind."""
    documents = lean_documents(archive)
    log.info("briefing: indexing %d documents for search…", len(documents))
    start = time.perf_counter()
    output = site_dir / BUNDLE_DIR
    _clear(output)
    with tempfile.TemporaryDirectory(prefix="briefing-search-") as tmp:
        write_documents(documents, Path(tmp))
        run_pagefind(Path(tmp), output)
    seconds = time.perf_counter() - start
    sizes = [f.stat().st_size for f in output.rglob("*") if f.is_file()]
    stats = IndexStats(len(documents), len(sizes), sum(sizes), seconds)
    log.info(
        "briefing: search index: %d files, %.1f MB in %.1f s",
        stats.files,
        stats.bytes / 1e6,
        stats.seconds,
    )
    return stats


class EarlyIndex:
    """Pagefind indexing started before MkDocs renders the pages, to run beside it.

    The lean documents come from the records, not from the built HTML, so the indexer
    (a separate, native process) can work on the second core while MkDocs renders pages
    on the first. `finish` waits for it and moves the bundle into the site.
    """

    def __init__(self, archive: Archive) -> None:
        self.documents = lean_documents(archive)
        self.folder = Path(tempfile.mkdtemp(prefix="briefing-search-"))
        self.error: BaseException | None = None
        self.start = time.perf_counter()
        log.info("briefing: indexing %d documents for search…", len(self.documents))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            write_documents(self.documents, self.folder / "documents")
            run_pagefind(self.folder / "documents", self.folder / "bundle")
        except BaseException as exc:  # re-raised in the main thread by finish()
            self.error = exc

    def finish(self, site_dir: Path) -> IndexStats:
        """Wait for the indexer, then move its bundle to site_dir/pagefind."""
        try:
            self.thread.join()
            if self.error is not None:
                raise self.error
            output = site_dir / BUNDLE_DIR
            _clear(output)
            shutil.move(self.folder / "bundle", output)
        finally:
            self.cancel()
        sizes = [f.stat().st_size for f in output.rglob("*") if f.is_file()]
        stats = IndexStats(
            len(self.documents), len(sizes), sum(sizes), time.perf_counter() - self.start
        )
        log.info(
            "briefing: search index: %d files, %.1f MB in %.1f s (beside the page build)",
            stats.files,
            stats.bytes / 1e6,
            stats.seconds,
        )
        return stats

    def cancel(self) -> None:
        """Wait for the indexer and remove its temporary folder."""
        self.thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)


__all__ = [
    "ENTRY",
    "MATERIAL_SEARCH",
    "REQUIREMENT",
    "EarlyIndex",
    "IndexStats",
    "build_index",
    "configure_search",
    "run_pagefind",
    "search_page_files",
    "write_documents",
]
