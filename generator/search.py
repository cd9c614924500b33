"""Search for large archives: lean HTML documents for Pagefind, and the /search/ page.

Material's built-in search writes one JSON index that every reader downloads whole before
the first query (22 MB at 10,000 statements, 215 MB at 100,000). Pagefind splits its index
into chunks and a browser fetches only the chunks a query needs. Pagefind indexes HTML, and
indexing the real pages (menus, listings, citations: 103,000 pages took 167 s and 13.9 GB)
costs far more than needed, so this module writes one small document per statement, actor,
topic and briefing holding only the text worth finding, at the same relative path as the
real page: the result URLs Pagefind stores are then the real permalinks.

Pure: no I/O, no MkDocs. `generator/pagefind.py` writes these documents and runs the indexer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final, Literal

from markupsafe import escape

from generator import site
from generator.model import Actor, Archive, Briefing, Statement, Topic
from generator.render import KIND_LABELS

SearchMode = Literal["material", "pagefind", "auto"]
Engine = Literal["material", "pagefind"]

#: The values of the plugin option `search`.
SEARCH_MODES: Final[tuple[str, ...]] = ("material", "pagefind", "auto")
#: With `search: auto`, archives with more statements than this use Pagefind. Below it
#: Material's index stays small (about 4 MB at 2,000 statements) and its header search,
#: which needs no separate page, is the better experience.
AUTO_THRESHOLD: Final = 2000
#: The search page (site-relative directory URL, like the URLs in site.py).
SEARCH_URL: Final = "search/"
#: Where Pagefind's bundle goes, relative to the site folder.
BUNDLE_DIR: Final = "pagefind"

ACTOR_KIND_LABELS: Final[Mapping[str, str]] = {
    "person": "Person",
    "organization": "Organization",
    "state": "State",
}


# --- which search ----------------------------------------------------------------------------


def count_statement_files(content_dir: Path) -> int:
    """How many statement records `content_dir` holds, without reading them.

    `search: auto` must decide in MkDocs' on_config, before the records are validated
    (on_files); counting the files is cheap (a directory walk) and exact for valid archives.
    """
    folder = content_dir / "statements"
    if not folder.is_dir():
        return 0
    return sum(1 for path in folder.rglob("*.yml") if path.is_file())


def resolve_mode(mode: str, statements: int, threshold: int = AUTO_THRESHOLD) -> Engine:
    """The search engine for option value `mode` and an archive of `statements` statements."""
    if mode == "material":
        return "material"
    if mode == "pagefind":
        return "pagefind"
    if mode == "auto":
        return "pagefind" if statements > threshold else "material"
    raise ValueError(f"unknown search mode {mode!r}; expected one of {', '.join(SEARCH_MODES)}")


# --- lean documents --------------------------------------------------------------------------


def _e(text: object) -> str:
    # Record text is untrusted: everything that reaches a document goes through here.
    return str(escape(str(text)))


def _document(title: str, body: Iterable[str], *, sort_date: str | None = None) -> str:
    """A complete HTML document whose `data-pagefind-body` holds `body`.

    Pagefind skips files without an <html> element, reads the language from `lang` (one
    language for every document, so the whole archive is one index whatever the script of a
    name), and with a `data-pagefind-body` element on the site ignores everything outside it.
    """
    attrs = ' data-pagefind-body=""'
    if sort_date:
        # ISO dates sort as text; the value is ours (a date), not record text.
        attrs += f' data-pagefind-sort="date:{sort_date}" data-pagefind-meta="date:{sort_date}"'
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n</head>\n<body>\n<main{attrs}>\n"
        f'<h1 data-pagefind-meta="title">{_e(title)}</h1>\n'
        + "".join(line + "\n" for line in body)
        + "</main>\n</body>\n</html>\n"
    )


def _filter(name: str, value: str) -> str:
    # Only actor, topic, year and kind: Pagefind's UI downloads every filter's page lists
    # before the first query (about 22 kB per filter at 10,000 statements, ten times that
    # at 100,000), so a filter earns its place or is left out (e.g. statement/actor/topic).
    # The element form (value = the element's text): the inline form `name:value` would
    # split a value at commas, and record text may hold any character.
    return f'<span data-pagefind-filter="{name}">{_e(value)}</span>'


def _actor_line(actor: Actor) -> str:
    """The actor's name as a filter value, then in every other recorded script.

    `Li Wei (李伟, Ли Вэй)`: each name is indexed, so a reader finds the actor in any script.
    """
    others = [n.name for n in actor.names if n.name != actor.name]
    rest = f" ({', '.join(_e(name) for name in others)})" if others else ""
    return f"<p>{_filter('actor', actor.name)}{rest}</p>"


def statement_document(statement: Statement, archive: Archive) -> str:
    """The lean document of one statement: what a reader might search it by."""
    actors = [archive.actors[a] for a in statement.actors if a in archive.actors]
    topics = [archive.topics[t] for t in statement.topics if t in archive.topics]
    kind = KIND_LABELS.get(statement.kind, statement.kind)
    body = [
        f"<p>{_filter('kind', kind)} · "
        f'<time data-pagefind-filter="year:{statement.date.year:04d}">'
        f"{_e(site.format_date(statement.date))}</time></p>",
    ]
    for actor in actors:
        body.append(_actor_line(actor))
    where = [text for text in (statement.venue, statement.location) if text]
    if where:
        body.append(f"<p>{', '.join(_e(text) for text in where)}</p>")
    body += [f"<p>{_filter('topic', topic.title)}</p>" for topic in topics]
    body.append(f"<p>{_e(statement.summary)}</p>")
    for quote in statement.quotes:
        body.append(f'<blockquote lang="{_e(quote.lang)}">{_e(quote.text)}</blockquote>')
        if quote.original:
            lang = _e(quote.original_lang or "")
            body.append(f'<blockquote lang="{lang}">{_e(quote.original)}</blockquote>')
    return _document(statement.title, body, sort_date=statement.date.isoformat())


def actor_document(actor: Actor, archive: Archive) -> str:
    """The lean document of an actor's page: names, kind, roles, description."""
    body = [
        f"<p>{_e(ACTOR_KIND_LABELS.get(actor.kind, actor.kind))}</p>",
        _actor_line(actor),
    ]
    if actor.country and actor.country in archive.actors:
        body.append(f"<p>{_e(archive.actors[actor.country].name)}</p>")
    for role in actor.roles:
        parts = [role.title, *([role.organization] if role.organization else [])]
        body.append(f"<p>{', '.join(_e(part) for part in parts)}</p>")
    if actor.description:
        body.append(f"<p>{_e(actor.description)}</p>")
    return _document(actor.name, body)


def topic_document(topic: Topic) -> str:
    """The lean document of a topic's page."""
    body = [f"<p>Topic · {_filter('topic', topic.title)}</p>"]
    if topic.description:
        body.append(f"<p>{_e(topic.description)}</p>")
    return _document(topic.title, body)


def briefing_document(briefing: Briefing) -> str:
    """The lean document of a briefing's page, its text included (it is the page's content)."""
    body = [
        f"<p>Briefing · {_e(briefing.publisher)} · "
        f'<time data-pagefind-filter="year:{briefing.published.year:04d}">'
        f"{_e(site.format_date(briefing.published))}</time></p>",
    ]
    body += [f"<p>{_e(text)}</p>" for text in (briefing.notes, briefing.text) if text]
    return _document(briefing.title, body, sort_date=briefing.published.isoformat())


def _path(url: str) -> str:
    return url + "index.html"


def lean_documents(archive: Archive) -> dict[str, str]:
    """Every lean document by site-relative path (`statements/<id>/index.html`), sorted."""
    docs: dict[str, str] = {}
    for statement in archive.statements.values():
        docs[_path(site.statement_url(statement.id))] = statement_document(statement, archive)
    for actor in archive.actors.values():
        docs[_path(site.actor_url(actor.id))] = actor_document(actor, archive)
    for topic in archive.topics.values():
        docs[_path(site.topic_url(topic.id))] = topic_document(topic)
    for briefing in archive.briefings.values():
        docs[_path(site.briefing_url(briefing.id))] = briefing_document(briefing)
    return dict(sorted(docs.items()))


# --- the search page -------------------------------------------------------------------------

#: The page's Markdown: front matter, then raw HTML that Python-Markdown passes through.
#: The bundle is referenced relative to the page (../pagefind/), so a site served under a
#: path prefix works; `baseUrl` is computed the same way for the result links, which
#: Pagefind stores as site-absolute paths (/statements/<id>/).
SEARCH_PAGE = """\
---
title: Search
hide:
- toc
search:
  exclude: true
---

<div class="ba-page ba-search">
<link rel="stylesheet" href="../pagefind/pagefind-ui.css">
<div id="ba-search"></div>
<noscript><p>Search needs JavaScript. Browse by <a href="../actors/">actor</a>,
<a href="../dates/">date</a> or <a href="../topics/">topic</a> instead.</p></noscript>
</div>

<script src="../pagefind/pagefind-ui.js"></script>
<script>
(function () {
  var base = new URL("../", window.location.href).pathname;
  var ui = new PagefindUI({
    element: "#ba-search",
    baseUrl: base,
    showSubResults: false,
    showImages: false,
    autofocus: true,
    translations: {placeholder: "Search statements, quotes, actors, topics"}
  });
  // /search/?q=words runs a search on arrival, so other pages can link to a query.
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
</script>
"""


def search_page_markdown() -> str:
    """The Markdown source of the /search/ page (pagefind mode only)."""
    return SEARCH_PAGE


__all__ = [
    "AUTO_THRESHOLD",
    "BUNDLE_DIR",
    "SEARCH_MODES",
    "SEARCH_URL",
    "Engine",
    "SearchMode",
    "actor_document",
    "briefing_document",
    "count_statement_files",
    "lean_documents",
    "resolve_mode",
    "search_page_markdown",
    "statement_document",
    "topic_document",
]
