"""The page models: what a page is (`GeneratedPage`) and the values templates are given.

Pure data: `plan.py` and `sections.py` make them, `render.py` turns them into Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.pages.urls import src_uri
from generator.records.model import Statement


@dataclass(frozen=True, slots=True)
class Group:
    """A run of statements under one heading (a year, a day)."""

    label: str
    url: str | None
    statements: tuple[Statement, ...]
    anchor: str | None = None  # id of the heading, for links into a numbered page


@dataclass(frozen=True, slots=True)
class Neighbours:
    """The previous and next period (day, month, year) that has statements."""

    previous: tuple[str, str] | None = None  # (label, url)
    next: tuple[str, str] | None = None


#: The site's name where no mkdocs.yml gives one (`briefing generate` without one).
SITE_NAME = "Briefing Archive"


@dataclass(frozen=True, slots=True)
class Home:
    """The home page's own words, all from the archive's configuration."""

    name: str  # site_name: the heading and the page title
    tagline: str | None = None
    about: str | None = None  # plain text; a blank line separates paragraphs (`paras`)


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """One page to generate: its URL, title, template and the values the template uses."""

    url: str
    title: str
    template: str
    searchable: bool = False
    edit_path: str | None = None  # the record (relative to the content folder) it shows
    context: Mapping[str, object] = field(default_factory=dict)
    #: The Atom feed the page advertises in its <head>: (kind, id) as feeds.feed_link takes
    #: them, e.g. ("actor", "li-wei"), ("archive", None).
    feed: tuple[str, str | None] | None = None

    @property
    def src_uri(self) -> str:
        """The Markdown file name MkDocs knows the page by."""
        return src_uri(self.url)


__all__ = ["SITE_NAME", "GeneratedPage", "Group", "Home", "Neighbours"]
