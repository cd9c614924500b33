"""What the `briefing` plugin does in a build, and what it keeps across `serve` rebuilds.

The plugin (plugin.py) passes MkDocs' events on to one `Session`: it validates the records
and adds the generated pages and data files, keeps the last good ones to fall back on while
a record is broken, and finishes a build (the ledger, the collector, the search index and a
rebuild's background work).
"""

from __future__ import annotations

import logging
import posixpath
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files

from generator import collector
from generator.mkdocs import files as made
from generator.mkdocs.background import Background, Superseded
from generator.mkdocs.config import add_tool_theme, site_url_problem
from generator.mkdocs.ledger import Ledger, build_key
from generator.mkdocs.page_writer import PageWriter
from generator.mkdocs.search_setup import (
    configure_search,
    fold_material_index,
    search_page_files,
)
from generator.mkdocs.site_dir import discard_preview, refuse_site_dir
from generator.mkdocs.watcher import RecordWatch
from generator.mkdocs.writing import Writing
from generator.outputs.parts import page_parts
from generator.outputs.sitemaps import split_sitemap
from generator.outputs.statement_files import published_whole
from generator.pages.options import Options
from generator.pages.pipeline import RenderCache, generate_pages
from generator.pages.render import RenderedPage, render_error_pages
from generator.records.history import with_history
from generator.records.model import Archive
from generator.records.publish import for_publishing, for_site
from generator.records.validate import Result, Validator
from generator.search.indexer import EarlyIndex, SearchIndexError, build_index
from generator.search.modes import SEARCH_MODES, Engine

log = logging.getLogger("mkdocs.plugins.briefing")


class BriefingConfig(Config):  # type: ignore[no-untyped-call]  # untyped in MkDocs
    """Options under `plugins: - briefing:` in mkdocs.yml."""

    content_dir = c.Type(str, default="content")  # relative to mkdocs.yml
    edit_base = c.Optional(c.Type(str))  # default: repo_url + edit_uri + content path
    page_size = c.Type(int, default=100)
    latest = c.Type(int, default=20)
    # material | pagefind | auto: Pagefind above search.AUTO_THRESHOLD statements.
    search = c.Choice(SEARCH_MODES, default="auto")
    # Pages outside the nav are filled into the theme's output for one page of the same
    # shape (shells.py), byte-identical and much faster; false renders each one in full.
    shells = c.Type(bool, default=True)
    # The home page's words under its heading (site_name): a one-line tagline (default:
    # site_description) and an optional About text, blank lines between its paragraphs.
    tagline = c.Optional(c.Type(str))
    about = c.Optional(c.Type(str))


class Session:
    """One plugin instance's builds: a single `build`, or every rebuild of a `serve`."""

    def __init__(self) -> None:
        self.command = "build"
        self.content_dir = Path("content")
        self.content_rel = "content"
        self.options = Options(parts=page_parts())
        self.shells = True
        self._preloaded: Result | None = None  # from `briefing build`, which validated already
        self.search: Engine = "material"
        self.archive: Archive | None = None  # the last valid archive, for the search index
        # The last pages generated from valid records, per content folder: MkDocs reuses
        # the plugin across `serve` rebuilds (and across configs in one process).
        self._last_good: dict[Path, tuple[RenderedPage, ...]] = {}
        # Likewise the feeds and data downloads (site-relative path -> bytes).
        self._last_good_data: dict[Path, dict[str, bytes]] = {}
        self.writing = Writing()  # while MkDocs converts and writes the pages
        # Incremental `serve --dirty` rebuilds (what `briefing serve` runs): only the
        # generated files that changed are written again (see ledger.py). What `serve`
        # keeps from one build for the next (generator/reuse.py): the pages, the feeds,
        # what was written, and (self.validator) the models.
        self.dirty = False
        self._render_cache = RenderCache()
        self._data_kept = made.DataKept()  # `serve`: what the next refresh may reuse
        self._ledger = Ledger()
        self._indexed = False  # the Pagefind index in site_dir is from an earlier build
        self._early_index: EarlyIndex | None = None  # `build`: indexing beside the pages
        self._background = Background()  # feeds/data or index, after a rebuild
        self._record_watch = RecordWatch()  # `serve`: the content folder's changes
        self._data_deferred = False  # this rebuild reused the previous feeds and data files
        self._served: Path | None = None  # `serve`: MkDocs' temporary site folder
        self.hold = collector.Hold()  # the collector, for one build or rebuild
        self.validator = Validator()  # remembers each file's result across rebuilds

    def start(self, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def preload(self, result: Result) -> None:
        """Records already validated (by `briefing build`): the next build uses them."""
        self._preloaded = result

    @property
    def _incremental(self) -> bool:
        return self.command == "serve" and self.dirty

    def pre_build(self) -> None:
        # Before MkDocs empties site_dir (without --dirty): the last rebuild's background
        # work writes into it (or, a stale refresh, stops without writing).
        self._background.supersede()
        if self._incremental and self._ledger.built:
            # No cyclic collection until the pages are written (Hold.pause, post_build).
            self.hold.pause()

    def shutdown(self) -> None:
        self._record_watch.stop()
        self._background.supersede()  # its files would go with the preview's folder
        discard_preview(self._served)
        if self._early_index is not None:  # a build that stopped before post_build
            self._early_index.cancel()
            self._early_index = None

    def build_error(self) -> None:
        self.writing.stop()
        self.hold.release(collect=False)
        self._ledger.reset()
        self._indexed = False
        if self._early_index is not None:
            self._early_index.cancel()
            self._early_index = None

    def configure(self, config: MkDocsConfig, settings: BriefingConfig) -> None:
        if not config.use_directory_urls:
            raise PluginError("briefing: the generated links need `use_directory_urls: true`.")
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = (root / settings.content_dir).resolve()
        # Edit links point into the repository, assumed to be rooted where mkdocs.yml is.
        self.content_rel = posixpath.relpath(self.content_dir.as_posix(), root.as_posix())
        refuse_site_dir(config, root, self.content_dir)
        add_tool_theme(config)
        if (problem := site_url_problem(config.site_url, config.repo_url)) is not None:
            # A warning, so that a strict build (`briefing build`, `mkdocs build --strict`)
            # stops on it while a preview still runs.
            log.warning(f"briefing: {problem}")
        edit_base = settings.edit_base
        if edit_base is None and config.repo_url and config.edit_uri:
            edit_base = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/"
            edit_base += self.content_rel + "/"
        self.options = Options(
            site_url=config.site_url,
            edit_base=edit_base,
            page_size=settings.page_size,
            latest=settings.latest,
            site_name=config.site_name,
            tagline=settings.tagline or config.site_description,
            about=settings.about,
            parts=page_parts(),
        )
        self.shells = settings.shells
        self.search = configure_search(config, settings.search, self.content_dir)
        # Material's search plugin reads every page's content; with Pagefind nothing does.
        self.writing.fast.compact = self.search == "pagefind"
        # A build's filled pages are written in threads (page_writer.py), unless a plugin
        # after this one would be handed them empty.
        handlers = config.plugins.events["post_page"]
        last = getattr(handlers[-1], "__self__", None) if handlers else None
        ours = getattr(last, "session", None) is self
        self.writing.writer = PageWriter() if self.command != "serve" and ours else None

    def files(self, files: Files, config: MkDocsConfig) -> Files:
        """Validate the records and add the generated pages and data files to `files`."""
        self._data_deferred = False
        key = None
        if self._incremental:
            key = build_key(config, repr(self.options), self.search)
        self._ledger.start(key)
        made.prepare(files, config)
        one_pass = self.command != "serve"
        # A build's checks that can only add warnings, and its cache writes, run while the
        # pages are rendered (see _one_pass).
        preloaded, self._preloaded = self._preloaded, None
        with collector.paused():  # the archive is kept before the pause ends (Hold.keep)
            result = preloaded or self.validator.validate(self.content_dir, defer=one_pass)
            if one_pass and preloaded is None and result.archive is not None:
                # A build holds the archive to its end (`briefing build` kept it already).
                self.hold.keep()
        if one_pass:  # a build publishes: TODOs left in a published record fail it
            result = for_publishing(result)
        if result.pending is None:
            _log_warnings(result)
        if result.errors:
            if self.command != "serve":
                listing = "\n".join(p.format() for p in result.errors)
                raise PluginError(f"{len(result.errors)} problem(s) in the records:\n{listing}")
            for problem in result.errors:
                log.error(problem.format())
            return made.add(files, self._fallback(config, result), self._ledger)
        assert result.archive is not None
        # The one place drafts leave the site (publish.py): every page, feed, download and
        # search index below is made from `shown`.
        shown = with_history(for_site(result.archive, self.command), self.content_dir)
        self.archive = shown
        files = made.add(files, search_page_files(config, self.search), self._ledger)
        if self.command != "serve":
            return self._one_pass(files, config, result, shown)
        if self._ledger.known:
            # The feeds and data files of a large archive would hold up the page the browser
            # waits for: the previous ones stay in site_dir for now, and post_build
            # refreshes them in the background.
            data = self._last_good_data.get(self.content_dir, {})
            self._data_deferred = True
        else:
            # The home page measures which whole statements files these publish: its
            # options stay the same from one rebuild to the next, so pages are reused.
            data = self._data(shown)
            self._last_good_data[self.content_dir] = data
        pages = generate_pages(shown, self.options, self._render_cache)
        if self._ledger.built:
            log.info(f"briefing: {self._render_cache.pages.made} page(s) re-rendered")
        self._last_good[self.content_dir] = pages  # the fallback while a record is broken
        pages_files = self._page_files(config, list(pages))
        data_files = made.data_files(config, data, self._ledger)
        return made.add(files, {**pages_files, **data_files}, self._ledger)

    def _one_pass(
        self, files: Files, config: MkDocsConfig, result: Result, archive: Archive
    ) -> Files:
        """`mkdocs build`: one pass, nothing kept."""
        # The feeds and data files go straight into site_dir (MkDocs has emptied it
        # already), one at a time and before the pages exist: a large archive's build never
        # holds them and its pages in memory together, and the home page lists the whole
        # statements files they publish without making them again.
        if self.search == "pagefind":  # from here on, beside everything else
            self._early_index = EarlyIndex(archive)
        self._known_data(made.write_data(self._data_items(archive), Path(config.site_dir), files))

        finished = [result]

        def start_pages() -> None:
            # Once the pages' second process exists: validation's last checks run beside
            # it (and an indexing thread starts, where it had no process of its own).
            finished[0] = result.finish()
            if self._early_index is not None:
                self._early_index.beside()

        started = time.perf_counter()
        # A list, not the tuple: page_files lets go of each page's text once it is a File.
        rendered: list[RenderedPage | None] = list(
            generate_pages(archive, self.options, processes=2, beside=start_pages)
        )
        seconds = time.perf_counter() - started
        if result.pending is not None:
            _log_warnings(finished[0])
        log.info(f"briefing: {len(rendered)} pages generated in {seconds:.1f} s")
        generated = self._page_files(config, rendered)
        # Everything made so far lives to the end of the build: the cyclic collector
        # need not scan it again and again while the pages are written.
        self.hold.keep()
        return made.add(files, generated, self._ledger)

    def _known_data(self, paths: Iterable[str]) -> None:
        """The data files are written: the pages' options say which whole statements files
        are among them (a build's; `serve` keeps its options from build to build)."""
        parts = page_parts(published_whole(paths))
        if self.options.parts is not parts:
            self.options = replace(self.options, parts=parts)

    def _data(self, archive: Archive) -> dict[str, bytes]:
        """Atom feeds, data downloads and JSON Schemas, by site-relative path."""
        return dict(self._data_items(archive))

    def _data_items(self, archive: Archive) -> Iterator[tuple[str, bytes]]:
        kept = self._data_kept if self.command == "serve" else None
        return made.data_items(archive, self.options, kept)

    def _page_files(
        self, config: MkDocsConfig, pages: list[RenderedPage | None]
    ) -> dict[str, File]:
        return made.page_files(
            config,
            pages,
            ledger=self._ledger,
            fast=self.writing.fast,
            shells=self.shells,
            content_rel=self.content_rel,
        )

    def _fallback(self, config: MkDocsConfig, result: Result) -> dict[str, File]:
        last_good = self._last_good.get(self.content_dir)
        if last_good is not None:
            log.error("briefing: serving the last good pages until the records are fixed")
            data = self._last_good_data.get(self.content_dir, {})
            pages_files = self._page_files(config, list(last_good))
            return {**pages_files, **made.data_files(config, data, self._ledger)}
        return made.error_files(config, render_error_pages(result.errors), self._ledger)

    def post_build(self, config: MkDocsConfig) -> None:
        self.writing.finish()
        self._served = Path(config.site_dir) if self.command == "serve" else None
        rebuild = self._incremental and bool(self._ledger.built)
        self._ledger.finish(Path(config.site_dir), remove_stale=rebuild)
        archive, site_dir = self.archive, Path(config.site_dir)
        if self.command != "serve":  # a preview needs no sitemap a search engine accepts
            _split_sitemap(site_dir, config.site_url)
        deferred = archive if self._data_deferred else None
        # A paused rebuild's garbage: collected now, or after the background refresh.
        collect = self.hold.release(collect=deferred is None)
        if deferred is not None:
            log.info("briefing: refreshing the feeds and data files in the background")
            self._background.start(self._refresh_data, deferred, site_dir, collect)
        if self.search != "pagefind":
            fold_material_index(config)  # names typed without their diacritics are found
            return
        if archive is None:
            return
        if self._incremental and self._indexed:
            log.info(
                "briefing: search index not rebuilt: it is from the first build "
                "(restart `briefing serve` to re-index)"
            )
            return
        if self.command == "serve" and self._indexed:
            # Plain `mkdocs serve` emptied site_dir: index again, without holding up the page.
            log.info("briefing: re-indexing for search in the background")
            self._background.index(archive, site_dir)
            return
        try:
            if self._early_index is not None:
                early, self._early_index = self._early_index, None
                early.finish(site_dir)
                return
            build_index(archive, site_dir)
        except SearchIndexError as exc:  # MkDocs reports its own errors without a traceback
            raise PluginError(str(exc)) from exc
        self._indexed = self.command == "serve"

    def _refresh_data(self, archive: Archive, site_dir: Path, collect: bool = False) -> None:
        """Write the feeds and data files whose bytes changed; remove the ones now gone."""
        try:
            old = self._last_good_data.get(self.content_dir, {})
            with collector.paused():  # its garbage is collected once, at the end
                new = self._background.gather(self._data_items(archive))
            for uri, content in new.items():
                if old.get(uri) != content:
                    target = site_dir / uri
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content)
            for uri in old.keys() - new.keys():
                (site_dir / uri).unlink(missing_ok=True)
                self._ledger.removed(uri)
            self._last_good_data[self.content_dir] = new
            for uri, content in new.items():  # what site_dir now holds
                self._ledger.rewritten(uri, content)
            changed = sum(1 for uri in new if old.get(uri) != new[uri])
            log.info(f"briefing: {changed} feed/data file(s) refreshed")
        except Superseded:  # left to a later collection: the newer rebuild is waiting
            log.info("briefing: feeds and data files left to the next rebuild's refresh")
            collect = False
        except Exception as exc:  # a background thread must not die silently
            log.error(f"briefing: could not refresh the feeds and data files: {exc}")
        if collect:
            collector.collect()  # the rebuild's garbage (see pre_build)

    def watch(self, server: LiveReloadServer) -> None:
        self._record_watch.start(server, self.content_dir)


def _log_warnings(result: Result) -> None:
    for problem in result.problems:
        if problem.severity != "error":
            # INFO, not WARNING: a warning would fail strict builds, and the validator's own
            # exit status is what decides about warnings.
            log.info(problem.format())


def _split_sitemap(site_dir: Path, site_url: str | None) -> None:
    # MkDocs has written sitemap.xml by now (before on_post_build); an index needs the
    # parts' full addresses, so without a site_url the sitemap stays as it is.
    sitemap = site_dir / "sitemap.xml"
    if not site_url or not site_url.startswith(("https://", "http://")) or not sitemap.is_file():
        return
    base = site_url if site_url.endswith("/") else site_url + "/"
    for path, data in split_sitemap(sitemap.read_bytes(), base).items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
