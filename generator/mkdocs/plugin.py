"""The `briefing` MkDocs plugin: validate the records and add the generated pages in memory.

Thin on purpose (like mkdocs-gen-files): grouping lives in `site.py`, Markdown in
`render.py`. Nothing is written into the source tree.
"""

from __future__ import annotations

import gc
import logging
import posixpath
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.mkdocs.config import add_tool_theme, site_url_problem
from generator.mkdocs.ledger import Ledger, build_key
from generator.mkdocs.shells import FastPages
from generator.outputs import downloads, feeds
from generator.pages.render import (
    Options,
    RenderCache,
    RenderedPage,
    feeds_enabled,
    generate_pages,
    render_error_pages,
)
from generator.progress import Progress
from generator.records.model import Archive
from generator.records.publish import for_publishing, for_site
from generator.records.validate import Result, validate_archive
from generator.search.documents import SEARCH_MODES, Engine
from generator.search.indexer import EarlyIndex, build_index, configure_search, search_page_files

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
    # shape (shell.py), byte-identical and much faster; false renders each one in full.
    shells = c.Type(bool, default=True)
    # The home page's words under its heading (site_name): a one-line tagline (default:
    # site_description) and an optional About text, blank lines between its paragraphs.
    tagline = c.Optional(c.Type(str))
    about = c.Optional(c.Type(str))


def _refuse_site_dir(config: MkDocsConfig, root: Path, content_dir: Path) -> None:
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


def _unmodified() -> bool:
    return False


class BriefingPlugin(BasePlugin[BriefingConfig]):  # type: ignore[no-untyped-call]
    """Adds the archive's generated pages to the site."""

    def __init__(self) -> None:
        self.command = "build"
        self.content_dir = Path("content")
        self.content_rel = "content"
        self.options = Options()
        self.preloaded: Result | None = None  # set by `briefing build`, which validated already
        self.search: Engine = "material"
        self.archive: Archive | None = None  # the last valid archive, for the search index
        # The last pages generated from valid records, per content folder: MkDocs reuses
        # this instance across `serve` rebuilds (and across configs in one process).
        self._last_good: dict[Path, tuple[RenderedPage, ...]] = {}
        # Likewise the feeds and data downloads (site-relative path -> bytes).
        self._last_good_data: dict[Path, dict[str, bytes]] = {}
        # HTML bodies of the generated pages, and their theme shells (see shell.py).
        self._fast = FastPages()
        # Incremental `serve --dirty` rebuilds (what `briefing serve` runs): only the
        # generated files that changed are written again (see rebuild.py).
        self.dirty = False
        self._render_cache = RenderCache()
        self._feed_cache = feeds.FeedCache()
        self._ledger = Ledger()
        self._indexed = False  # the Pagefind index in site_dir is from an earlier build
        self._early_index: EarlyIndex | None = None  # `build`: indexing beside the pages
        self._worker: threading.Thread | None = None  # feeds/data or index, after a rebuild
        self._data_deferred = False  # this rebuild reused the previous feeds and data files
        self._frozen = False  # a full build froze the collector's view of its objects
        self._pages: Progress | None = None  # how far MkDocs has got with the pages

    # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds,
    # which is what lets a broken record fall back to the last good pages.
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    @property
    def _incremental(self) -> bool:
        return self.command == "serve" and self.dirty

    def _wait_for_worker(self) -> None:
        if self._worker is not None:
            self._worker.join()
            self._worker = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Before MkDocs empties site_dir (without --dirty): the last rebuild's background
        # work writes into it.
        self._wait_for_worker()
        if self._incremental and self._ledger.built:
            # A rebuild allocates millions of objects over a heap of the same size, and the
            # cyclic collector scanning it took a quarter of the time: it runs after the
            # pages are written instead (see on_post_build).
            gc.disable()

    def on_shutdown(self) -> None:
        self._wait_for_worker()
        if self._early_index is not None:  # a build that stopped before on_post_build
            self._early_index.cancel()
            self._early_index = None

    def on_build_error(self, *, error: Exception) -> None:
        self._hide_pages()
        gc.enable()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        self._ledger.reset()
        self._indexed = False
        if self._early_index is not None:
            self._early_index.cancel()
            self._early_index = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("briefing: the generated links need `use_directory_urls: true`.")
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = (root / self.config.content_dir).resolve()
        # Edit links point into the repository, assumed to be rooted where mkdocs.yml is.
        self.content_rel = posixpath.relpath(self.content_dir.as_posix(), root.as_posix())
        _refuse_site_dir(config, root, self.content_dir)
        add_tool_theme(config)
        if (problem := site_url_problem(config.site_url, config.repo_url)) is not None:
            # A warning, so that a strict build (`briefing build`, `mkdocs build --strict`)
            # stops on it while a preview still runs.
            log.warning(f"briefing: {problem}")
        edit_base = self.config.edit_base
        if edit_base is None and config.repo_url and config.edit_uri:
            edit_base = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/"
            edit_base += self.content_rel + "/"
        self.options = Options(
            site_url=config.site_url,
            edit_base=edit_base,
            page_size=self.config.page_size,
            latest=self.config.latest,
            site_name=config.site_name,
            tagline=self.config.tagline or config.site_description,
            about=self.config.about,
        )
        self.search = configure_search(config, self.config.search, self.content_dir)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._data_deferred = False
        key = None
        if self._incremental:
            key = build_key(config, repr(self.options), self.search)
        self._ledger.start(key)
        return self._generate(files, config)

    def _generate(self, files: Files, config: MkDocsConfig) -> Files:
        # GitHub Pages would run Jekyll, which drops files and folders starting with `_`.
        if (existing := files.get_file_from_path(".nojekyll")) is not None:
            files.remove(existing)  # docs/.nojekyll is excluded as a dotfile anyway
        # INCLUDED: left UNDEFINED, MkDocs' default `exclude_docs` would drop the dotfile.
        files.append(
            File.generated(config, ".nojekyll", content="", inclusion=InclusionLevel.INCLUDED)
        )
        # edit_uri points at the repository root (records are content/...), so the
        # hand-written pages' edit links need their docs/ folder too.
        root = Path(config.config_file_path or ".").resolve().parent
        docs_rel = posixpath.relpath(Path(config.docs_dir).resolve().as_posix(), root.as_posix())
        for file in files.documentation_pages():
            if not file.generated_by:
                file.edit_uri = f"{docs_rel}/{file.src_uri}"
        one_pass = self.command != "serve"
        # A build's checks that can only add warnings, and its cache writes, run beside the
        # forked renderer (see start_pages below).
        result = self.preloaded or validate_archive(self.content_dir, keep=one_pass, defer=one_pass)
        self.preloaded = None
        if one_pass:  # a build publishes: TODOs left in a published record fail it
            result = for_publishing(result)
        # A build holds the archive to its end; `briefing build` validated with keep too.
        self._frozen = self._frozen or (one_pass and result.archive is not None)
        if result.pending is None:
            _log_warnings(result)
        if result.errors:
            if self.command != "serve":
                listing = "\n".join(p.format() for p in result.errors)
                raise PluginError(f"{len(result.errors)} problem(s) in the records:\n{listing}")
            for problem in result.errors:
                log.error(problem.format())
            return self._add(files, self._fallback(config, result))
        assert result.archive is not None
        # The one place drafts leave the site (publish.py): every page, feed, download and
        # search index below is made from `shown`.
        shown = for_site(result.archive, self.command)
        self.archive = shown
        files = self._add(files, search_page_files(config, self.search))
        if self.command == "serve":
            pages = generate_pages(shown, self.options, self._render_cache)
            if self._ledger.built:
                log.info(f"briefing: {self._render_cache.rendered} page(s) re-rendered")
        else:  # `mkdocs build`: one pass, nothing kept
            # The feeds and data files go straight into site_dir (MkDocs has emptied it
            # already), one at a time and before the pages exist: at 100,000 statements,
            # holding them and the pages together took the process over 3 GiB.
            _write_data(self._data_items(shown), Path(config.site_dir), files)
            archive = shown

            finished = [result]

            def start_pages() -> None:
                # Once the pages' second process exists: validation's last checks run beside
                # it, and Pagefind indexes beside the rest of the build (its thread starts
                # only now, since forking beside a thread is unsafe).
                finished[0] = result.finish()
                if self.search == "pagefind":
                    self._early_index = EarlyIndex(archive)

            started = time.perf_counter()
            # A list, not the tuple: _files lets go of each page's text once it is a File.
            rendered: list[RenderedPage | None] = list(
                generate_pages(archive, self.options, processes=2, beside=start_pages)
            )
            seconds = time.perf_counter() - started
            if result.pending is not None:
                _log_warnings(finished[0])
            log.info(f"briefing: {len(rendered)} pages generated in {seconds:.1f} s")
            generated = self._files(config, rendered)
            # Everything made so far lives to the end of the build: the cyclic collector
            # need not scan it again and again while the pages are written.
            gc.freeze()
            self._frozen = True
            return self._add(files, generated)
        self._last_good[self.content_dir] = pages  # the fallback while a record is broken
        if self._ledger.known:
            # The feeds and data files take seconds at 10,000 statements: the previous ones
            # stay in site_dir for now, and on_post_build refreshes them in the background.
            data = self._last_good_data.get(self.content_dir, {})
            self._data_deferred = True
        else:
            data = self._data(shown)
            self._last_good_data[self.content_dir] = data
        pages_files = self._files(config, list(pages))
        return self._add(files, {**pages_files, **self._data_files(config, data)})

    def _data(self, archive: Archive) -> dict[str, bytes]:
        """Atom feeds, data downloads and JSON Schemas, by site-relative path."""
        return dict(self._data_items(archive))

    def _data_items(self, archive: Archive) -> Iterator[tuple[str, bytes]]:
        """The files of `_data` one by one, so a caller can write each and let it go."""
        site_url = self.options.site_url
        # Bytes, not str: MkDocs writes str content in text mode, which on Windows would
        # turn the CSV's CRLF into CR CR LF. Encoded one by one, so that at 100,000
        # statements (~160 MB of JSON) only one str copy lives at a time.
        makers = {
            "statements_json": downloads.statements_json,
            "statements_csv": downloads.statements_csv,
            "actors_json": downloads.actors_json,
            "topics_json": downloads.topics_json,
            "briefings_json": downloads.briefings_json,
        }
        for key, make in makers.items():
            yield downloads.DOWNLOADS[key], make(archive, site_url).encode("utf-8")
        for name, text in downloads.schema_files().items():
            yield downloads.SCHEMA_DIR + name, text.encode("utf-8")
        if site_url and feeds_enabled(site_url):
            cache = self._feed_cache if self.command == "serve" else None
            yield from feeds.all_feeds(archive, site_url, self.options.site_name, cache).items()
        else:
            log.info("briefing: no absolute http(s) site_url in mkdocs.yml, so no Atom feeds")

    def _data_files(self, config: MkDocsConfig, data: dict[str, bytes]) -> dict[str, File]:
        # Static files generated in memory: MkDocs copies them into the site like any asset.
        # A dirty `serve` rebuild leaves the unchanged ones where the last build wrote them.
        return {
            uri: File.generated(config, uri, content=content)
            for uri, content in data.items()
            if not self._ledger.unchanged(uri, content)
        }

    def _files(self, config: MkDocsConfig, pages: list[RenderedPage | None]) -> dict[str, File]:
        """MkDocs files for the pages; each entry of `pages` is dropped once it is split."""
        generated = {}
        self._fast.bodies, self._fast.fill = {}, set()
        for i, page in enumerate(pages):
            # Split, a page's text exists twice; the list may hold the only other reference.
            pages[i] = None
            assert page is not None
            unchanged = self._ledger.unchanged(page.src_uri, page)
            if unchanged and not page.section:
                continue  # its HTML from the last build stays in site_dir
            inclusion = InclusionLevel.UNDEFINED if page.section else InclusionLevel.NOT_IN_NAV
            # MkDocs gets the front matter only; the body, already HTML, skips Python-Markdown
            # (its HTML parser was about half of the build time) and comes in on_page_content.
            front, self._fast.bodies[page.src_uri] = page.split()
            if self.config.shells and not page.section:
                self._fast.fill.add(page.src_uri)
            file = File.generated(config, page.src_uri, content=front, inclusion=inclusion)
            if page.edit_path:
                # The edit button opens the record's YAML, not a generated page.
                file.edit_uri = f"{self.content_rel}/{page.edit_path}"
            if unchanged:  # a section page: in the nav, which needs it, but not rewritten
                file.is_modified = _unmodified  # type: ignore[method-assign]
            generated[page.src_uri] = file
        return generated

    def _fallback(self, config: MkDocsConfig, result: Result) -> dict[str, File]:
        last_good = self._last_good.get(self.content_dir)
        if last_good is not None:
            log.error("briefing: serving the last good pages until the records are fixed")
            data = self._last_good_data.get(self.content_dir, {})
            return {**self._files(config, list(last_good)), **self._data_files(config, data)}
        errors = render_error_pages(result.errors)
        for uri in errors:
            self._ledger.always(uri)
        return {uri: File.generated(config, uri, content=text) for uri, text in errors.items()}

    def _add(self, files: Files, generated: dict[str, File]) -> Files:
        for uri, file in generated.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"briefing: docs/{uri} clashes with a generated page; remove it")
            files.append(file)
            self._ledger.always(uri)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # MkDocs converts every page, then writes every page: at 100,000 statements that is
        # over a minute, so a long build says how far it has got (progress.py).
        self._show_pages("converting pages", files)
        return nav

    def _show_pages(self, what: str, files: Files) -> None:
        self._hide_pages()
        self._pages = Progress(what, len(files.documentation_pages()), unit="page")

    def _hide_pages(self) -> None:
        if self._pages is not None:
            self._pages.close()
            self._pages = None

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        self._fast.pre_page(page)
        return page

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        self._fast.page_content(page)
        if self._pages is not None:
            self._pages.advance()
        # A generated page's Markdown source is its front matter alone (see _files).
        return self._fast.bodies.get(page.file.src_uri, html)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self._fast.env(env)
        self._show_pages("writing pages", files)
        return env

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        self._fast.page_context(dict(context), page)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._pages is not None:
            self._pages.advance()
        return self._fast.post_page(output, page)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._hide_pages()
        if (shells := self._fast.cache) is not None and shells.filled:
            log.info(
                f"briefing: {shells.filled} page(s) filled into {len(shells.shells)} theme "
                f"shell(s), {shells.rendered} rendered in full"
            )
        rebuild = self._incremental and bool(self._ledger.built)
        self._ledger.finish(Path(config.site_dir), remove_stale=rebuild)
        archive, site_dir = self.archive, Path(config.site_dir)
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        collect = not gc.isenabled()
        gc.enable()
        if self._data_deferred and archive is not None:
            log.info("briefing: refreshing the feeds and data files in the background")
            self._worker = threading.Thread(
                target=self._refresh_data, args=(archive, site_dir, collect), daemon=True
            )
            self._worker.start()
        elif collect:
            gc.collect()
        if self.search != "pagefind" or archive is None:
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
            previous = self._worker
            self._worker = threading.Thread(
                target=_index_after, args=(previous, archive, site_dir), daemon=True
            )
            self._worker.start()
            return
        if self._early_index is not None:
            early, self._early_index = self._early_index, None
            early.finish(site_dir)
            return
        build_index(archive, site_dir)
        self._indexed = self.command == "serve"

    def _refresh_data(self, archive: Archive, site_dir: Path, collect: bool = False) -> None:
        """Write the feeds and data files whose bytes changed; remove the ones now gone."""
        try:
            old = self._last_good_data.get(self.content_dir, {})
            new = self._data(archive)
            for uri, content in new.items():
                if old.get(uri) != content:
                    target = site_dir / uri
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content)
            for uri in old.keys() - new.keys():
                (site_dir / uri).unlink(missing_ok=True)
                self._ledger.built.pop(uri, None)
            self._last_good_data[self.content_dir] = new
            self._ledger.built.update(new)  # what site_dir now holds
            changed = sum(1 for uri in new if old.get(uri) != new[uri])
            log.info(f"briefing: {changed} feed/data file(s) refreshed")
        except Exception as exc:  # a background thread must not die silently
            log.error(f"briefing: could not refresh the feeds and data files: {exc}")
        if collect:
            gc.collect()  # the rebuild's garbage (see on_pre_build)

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.content_dir))
        return server


def _log_warnings(result: Result) -> None:
    for problem in result.problems:
        if problem.severity != "error":
            # INFO, not WARNING: a warning would fail strict builds, and the validator's own
            # exit status is what decides about warnings.
            log.info(problem.format())


def _write_data(data: Iterable[tuple[str, bytes]], site_dir: Path, files: Files) -> None:
    """Write the feeds and data files into the built site, refusing to overwrite a docs file."""
    made: set[Path] = set()
    for uri, content in data:
        if files.get_file_from_path(uri) is not None:  # the clash _add reports for pages
            raise PluginError(f"briefing: docs/{uri} clashes with a generated page; remove it")
        target = site_dir / uri
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(content)


def _index_after(previous: threading.Thread | None, archive: Archive, site_dir: Path) -> None:
    if previous is not None:
        previous.join()
    try:
        build_index(archive, site_dir)
    except Exception as exc:
        log.error(f"briefing: search index not rebuilt: {exc}")
