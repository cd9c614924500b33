"""The pages' way through MkDocs: the generated HTML bodies, theme shells and progress."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from jinja2 import Environment
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from generator.mkdocs.page_writer import PageWriter
from generator.mkdocs.shells import EMPTY_TEMPLATE, FastPages
from generator.progress import Progress

log = logging.getLogger("mkdocs.plugins.briefing")


class Writing:
    """What the plugin does while MkDocs converts and writes the pages."""

    def __init__(self) -> None:
        # HTML bodies of the generated pages, and their theme shells (see shells.py).
        self.fast = FastPages()
        self._pages: Progress | None = None  # how far MkDocs has got with the pages
        #: Writes the filled pages in threads of its own (a build's; page_writer.py).
        self.writer: PageWriter | None = None

    def show(self, what: str, files: Files) -> None:
        """How far MkDocs has got with the pages (progress.py), from here on."""
        self.hide()
        self._pages = Progress(what, len(files.documentation_pages()), unit="page")

    def hide(self) -> None:
        if self._pages is not None:
            self._pages.close()
            self._pages = None

    def pre_page(self, page: Page) -> None:
        self.fast.pre_page(page)

    def page_content(self, html: str, page: Page) -> str:
        self.fast.page_content(page)
        if self._pages is not None:
            self._pages.advance()
        # A generated page's content is its body already (shells.FastPages.pre_page).
        return html

    def env(self, env: Environment, files: Files) -> None:
        self.fast.env(env)
        self.show("writing pages", files)

    def page_context(self, context: dict[str, Any], page: Page) -> None:
        self.fast.page_context(context, page)

    def post_page(self, output: str, page: Page) -> str:
        if self._pages is not None:
            self._pages.advance()
        filled = page.meta.get("template") == EMPTY_TEMPLATE
        html = self.fast.post_page(output, page)
        if self.writer is not None and filled and html is not output:
            self.writer.write(page.file.src_uri, page.file.abs_dest_path, html)
            return ""  # MkDocs skips a page with empty output: the writer has it
        return html

    def stop(self) -> None:
        """The build failed: the pages in hand are written or dropped, and the threads end."""
        self.hide()
        if self.writer is not None:
            # The build has failed already, for a reason of its own.
            with contextlib.suppress(PluginError):
                self.writer.close()

    def finish(self) -> None:
        """The pages are written: the progress ends, and the shells say what they did."""
        self.hide()
        if self.writer is not None:
            self.writer.close()
        if (shells := self.fast.cache) is not None and shells.filled:
            log.info(
                f"briefing: {shells.filled} page(s) filled into {len(shells.shells)} theme "
                f"shell(s), {shells.rendered} rendered in full"
            )
