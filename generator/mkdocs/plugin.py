"""The `briefing` MkDocs plugin: validate the records and add the generated pages in memory.

Thin on purpose (like mkdocs-gen-files): each hook passes its event on to the plugin's one
`Session` (session.py), which does the work. Nothing is written into the source tree.
"""

from __future__ import annotations

from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.mkdocs.session import BriefingConfig, Session

__all__ = ["BriefingConfig", "BriefingPlugin"]


class BriefingPlugin(BasePlugin[BriefingConfig]):  # type: ignore[no-untyped-call]
    """Adds the archive's generated pages to the site."""

    def __init__(self) -> None:
        self.session = Session()

    # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds,
    # which is what lets a broken record fall back to the last good pages.
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.session.start(command, dirty)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.session.pre_build()

    def on_shutdown(self) -> None:
        self.session.shutdown()

    def on_build_error(self, *, error: Exception) -> None:
        self.session.build_error()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.session.configure(config, self.config)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self.session.files(files, config)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # MkDocs converts every page, then writes every page: at 100,000 statements that is
        # over a minute, so a long build says how far it has got (progress.py).
        self.session.writing.show("converting pages", files)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        self.session.writing.pre_page(page)
        return page

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        return self.session.writing.page_content(html, page)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self.session.writing.env(env, files)
        return env

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        self.session.writing.page_context(dict(context), page)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.session.writing.post_page(output, page)

    # After the plugins of default priority, Material's search among them (its index gets
    # folded forms added), before those that read the finished site at -100 (Material's
    # offline plugin copies that index).
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.session.post_build(config)

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        self.session.watch(server)
        return server
