"""The generated pages and data files as MkDocs `File`s, made in memory.

Nothing is written into docs/: every page and data file goes in with `File.generated`, and
a dirty `serve` rebuild leaves out what the ledger (ledger.py) says site_dir holds already.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.mkdocs.ledger import Ledger
from generator.mkdocs.shells import FastPages
from generator.outputs import data_index, data_schemas, downloads, feeds
from generator.outputs.statement_files import Kept
from generator.pages.options import Options, feeds_enabled
from generator.pages.render import RenderedPage
from generator.records.model import Archive
from generator.reuse import Reuse

log = logging.getLogger("mkdocs.plugins.briefing")


def prepare(files: Files, config: MkDocsConfig) -> None:
    """Add .nojekyll, and point the hand-written pages' edit links into their docs/ folder."""
    # GitHub Pages would run Jekyll, which drops files and folders starting with `_`.
    if (existing := files.get_file_from_path(".nojekyll")) is not None:
        files.remove(existing)  # docs/.nojekyll is excluded as a dotfile anyway
    # INCLUDED: left UNDEFINED, MkDocs' default `exclude_docs` would drop the dotfile.
    files.append(File.generated(config, ".nojekyll", content="", inclusion=InclusionLevel.INCLUDED))
    # edit_uri points at the repository root (records are content/...), so the
    # hand-written pages' edit links need their docs/ folder too.
    root = Path(config.config_file_path or ".").resolve().parent
    docs_rel = posixpath.relpath(Path(config.docs_dir).resolve().as_posix(), root.as_posix())
    for file in files.documentation_pages():
        if not file.generated_by:
            file.edit_uri = f"{docs_rel}/{file.src_uri}"


@dataclass
class DataKept:
    """What a `serve` session keeps from one making of the data files to the next: the
    feeds (see `feeds.all_feeds`) and the statements files' records and gzips (see
    `statement_files.Kept`)."""

    feeds: Reuse[str, bytes] = field(default_factory=Reuse)
    statements: Kept = field(default_factory=Kept)


def data_items(
    archive: Archive, options: Options, kept: DataKept | None
) -> Iterator[tuple[str, bytes]]:
    """Data downloads, their index, JSON Schemas and Atom feeds one by one, so a caller can
    write each and let it go. `kept` (the same each call) keeps what the next call may
    reuse."""
    site_url = options.site_url
    # Bytes, not str: MkDocs writes str content in text mode, which on Windows would
    # turn the CSV's CRLF into CR CR LF. Made one by one: at 100,000 statements only one
    # format's records and the file being written live at a time.
    entries = []
    statements_kept = kept.statements if kept is not None else None
    for download in data_index.every_download(archive, site_url, statements_kept):
        entries.append(data_index.entry(download, site_url))
        yield download.path, download.data
    yield data_index.INDEX, data_index.index_json(entries).encode("utf-8")
    for name, text in data_schemas.schema_files(site_url).items():
        yield downloads.SCHEMA_DIR + name, text.encode("utf-8")
    if site_url and feeds_enabled(site_url):
        feeds_kept = kept.feeds if kept is not None else None
        yield from feeds.all_feeds(archive, site_url, options.site_name, feeds_kept).items()
    else:
        log.info("briefing: no absolute http(s) site_url in mkdocs.yml, so no Atom feeds")


def data_files(config: MkDocsConfig, data: dict[str, bytes], ledger: Ledger) -> dict[str, File]:
    # Static files generated in memory: MkDocs copies them into the site like any asset.
    # A dirty `serve` rebuild leaves the unchanged ones where the last build wrote them.
    return {
        uri: File.generated(config, uri, content=content)
        for uri, content in data.items()
        if not ledger.unchanged(uri, content)
    }


def _unmodified() -> bool:
    return False


def page_files(
    config: MkDocsConfig,
    pages: list[RenderedPage | None],
    *,
    ledger: Ledger,
    fast: FastPages,
    shells: bool,
    content_rel: str,
) -> dict[str, File]:
    """MkDocs files for the pages; each entry of `pages` is dropped once it is split."""
    generated = {}
    fast.bodies, fast.lean, fast.fill = {}, set(), set()
    for i, page in enumerate(pages):
        # Split, a page's text exists twice; the list may hold the only other reference.
        pages[i] = None
        assert page is not None
        unchanged = ledger.unchanged(page.src_uri, page)
        if unchanged and not page.section:
            continue  # its HTML from the last build stays in site_dir
        inclusion = InclusionLevel.UNDEFINED if page.section else InclusionLevel.NOT_IN_NAV
        # MkDocs gets the front matter only; the body, already HTML, skips Python-Markdown
        # (its HTML parser is slow) and comes in on_page_content.
        front, fast.bodies[page.src_uri] = page.split()
        if not page.section:
            fast.lean.add(page.src_uri)
            if shells:
                fast.fill.add(page.src_uri)
        file = File.generated(config, page.src_uri, content=front, inclusion=inclusion)
        if page.edit_path:
            # The edit button opens the record's YAML, not a generated page.
            file.edit_uri = f"{content_rel}/{page.edit_path}"
        if unchanged:  # a section page: in the nav, which needs it, but not rewritten
            file.is_modified = _unmodified  # type: ignore[method-assign]
        generated[page.src_uri] = file
    return generated


def error_files(config: MkDocsConfig, errors: dict[str, str], ledger: Ledger) -> dict[str, File]:
    """The error pages shown while a record is broken and there are no good pages yet."""
    for uri in errors:
        ledger.always(uri)
    return {uri: File.generated(config, uri, content=text) for uri, text in errors.items()}


def add(files: Files, generated: dict[str, File], ledger: Ledger) -> Files:
    for uri, file in generated.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"briefing: docs/{uri} clashes with a generated page; remove it")
        files.append(file)
        ledger.always(uri)
    return files


def write_data(data: Iterable[tuple[str, bytes]], site_dir: Path, files: Files) -> list[str]:
    """Write the feeds and data files into the built site, refusing to overwrite a docs
    file; the site-relative paths written."""
    made: set[Path] = set()
    written = []
    for uri, content in data:
        written.append(uri)
        if files.get_file_from_path(uri) is not None:  # the clash `add` reports for pages
            raise PluginError(f"briefing: docs/{uri} clashes with a generated page; remove it")
        target = site_dir / uri
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(content)
    return written
