"""What a build asks of the pages: where the site and the records live, and the parts the
outputs stage puts into them.

Pages sit below outputs in the import layers (pyproject.toml): whoever renders pages (the
MkDocs session, `briefing generate`, the tests' helpers) passes outputs/parts.py's
`page_parts()` as `Options.parts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from generator.pages import plan
from generator.pages.models import SITE_NAME, Home
from generator.records.model import Archive, Statement


class FeedLink(Protocol):
    """A feed a page advertises: a site-relative URL and a plain-text title."""

    @property
    def url(self) -> str: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PageParts:
    """What the outputs stage puts into pages, as values and functions (outputs/parts.py)."""

    #: A statement's citation as text, BibTeX and CSL-JSON: (statement, archive, site URL,
    #: site name) -> the three.
    citations: Callable[[Statement, Archive, str | None, str], tuple[str, str, str]]
    #: A statement page's <head> metadata: (statement, archive, site URL, site name) -> it.
    statement_meta: Callable[[Statement, Archive, str | None, str], object]
    #: The feed a page advertises: (kind, id, archive, site name, publishers' names by slug).
    feed_link: Callable[[str, str | None, Archive, str, Mapping[str, str]], FeedLink]
    #: The data downloads the home page lists: (archive, site URL) -> them (HomeDownloads).
    downloads: Callable[[Archive, str | None], object]
    #: The site-relative URLs of the records' JSON Schemas.
    schemas: tuple[str, ...]
    #: The site-relative URL of the feed of every statement.
    archive_feed_url: str
    #: An actor's statements over time as inline SVG: (statements, label) -> SVG.
    timeline_svg: Callable[[Sequence[Statement], str], str]
    #: A year's statements per day as inline SVG: (counts by day, year) -> SVG.
    heatmap_svg: Callable[[Mapping[dt.date, int], int], str]


@dataclass(frozen=True, slots=True)
class Options:
    """What the pages need to know about where the site and the records live, and the parts
    the outputs put into them."""

    site_url: str | None = None  # absolute, for citations; None gives site-relative ones
    edit_base: str | None = None  # URL that a record's path is appended to for "edit"
    page_size: int = plan.PAGE_SIZE
    latest: int = plan.LATEST
    site_name: str = SITE_NAME  # mkdocs.yml's: the home heading, citations, feed titles
    tagline: str | None = None  # the home page's lead (plugin option, else site_description)
    about: str | None = None  # the home page's About text (plugin option)
    parts: PageParts = field(kw_only=True)  # outputs/parts.py's `page_parts()`

    @property
    def home(self) -> Home:
        """The home page's own words."""
        return Home(self.site_name, self.tagline, self.about)


def feeds_enabled(site_url: str | None) -> bool:
    """Whether the site has Atom feeds: they need an absolute http(s) site URL."""
    parts = urlsplit(site_url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


__all__ = ["FeedLink", "Options", "PageParts", "feeds_enabled"]
