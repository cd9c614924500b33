"""The `briefing` MkDocs plugin: validate the records and add the generated pages in memory.

Thin on purpose (like mkdocs-gen-files): grouping lives in `site.py`, Markdown in
`render.py`. Nothing is written into the source tree.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.render import Options, RenderedPage, generate_pages, render_error_pages
from generator.validate import Result, validate_archive

log = logging.getLogger("mkdocs.plugins.briefing")


class BriefingConfig(Config):  # type: ignore[no-untyped-call]  # untyped in MkDocs
    """Options under `plugins: - briefing:` in mkdocs.yml."""

    content_dir = c.Type(str, default="content")  # relative to mkdocs.yml
    edit_base = c.Optional(c.Type(str))  # default: repo_url + edit_uri + content path
    page_size = c.Type(int, default=100)
    latest = c.Type(int, default=20)


class BriefingPlugin(BasePlugin[BriefingConfig]):  # type: ignore[no-untyped-call]
    """Adds the archive's generated pages to the site."""

    def __init__(self) -> None:
        self.command = "build"
        self.content_dir = Path("content")
        self.content_rel = "content"
        self.options = Options()
        self.preloaded: Result | None = None  # set by `briefing build`, which validated already
        # The last pages generated from valid records, per content folder: MkDocs reuses
        # this instance across `serve` rebuilds (and across configs in one process).
        self._last_good: dict[Path, tuple[RenderedPage, ...]] = {}

    # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds,
    # which is what lets a broken record fall back to the last good pages.
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("briefing: the generated links need `use_directory_urls: true`.")
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = (root / self.config.content_dir).resolve()
        # Edit links point into the repository, assumed to be rooted where mkdocs.yml is.
        self.content_rel = posixpath.relpath(self.content_dir.as_posix(), root.as_posix())
        edit_base = self.config.edit_base
        if edit_base is None and config.repo_url and config.edit_uri:
            edit_base = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/"
            edit_base += self.content_rel + "/"
        self.options = Options(
            site_url=config.site_url,
            edit_base=edit_base,
            page_size=self.config.page_size,
            latest=self.config.latest,
        )
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        result, self.preloaded = self.preloaded or validate_archive(self.content_dir), None
        for problem in result.problems:
            if problem.severity != "error":
                # INFO, not WARNING: a warning would fail strict builds, and the
                # validator's own exit status is what decides about warnings.
                log.info(problem.format())
        if result.errors:
            if self.command != "serve":
                listing = "\n".join(p.format() for p in result.errors)
                raise PluginError(f"{len(result.errors)} problem(s) in the records:\n{listing}")
            for problem in result.errors:
                log.error(problem.format())
            return self._add(files, self._fallback(config, result))
        assert result.archive is not None
        pages = generate_pages(result.archive, self.options)
        self._last_good[self.content_dir] = pages
        return self._add(files, self._files(config, pages))

    def _files(self, config: MkDocsConfig, pages: tuple[RenderedPage, ...]) -> dict[str, File]:
        generated = {}
        for page in pages:
            inclusion = InclusionLevel.UNDEFINED if page.section else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
            if page.edit_path:
                # The edit button opens the record's YAML, not a generated page.
                file.edit_uri = f"{self.content_rel}/{page.edit_path}"
            generated[page.src_uri] = file
        return generated

    def _fallback(self, config: MkDocsConfig, result: Result) -> dict[str, File]:
        last_good = self._last_good.get(self.content_dir)
        if last_good is not None:
            log.error("briefing: serving the last good pages until the records are fixed")
            return self._files(config, last_good)
        return {
            uri: File.generated(config, uri, content=text)
            for uri, text in render_error_pages(result.errors).items()
        }

    @staticmethod
    def _add(files: Files, generated: dict[str, File]) -> Files:
        for uri, file in generated.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"briefing: docs/{uri} clashes with a generated page; remove it")
            files.append(file)
        return files

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.content_dir))
        return server
