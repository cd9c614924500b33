"""Search for large archives: lean HTML documents for Pagefind, and the /search/ page.

Material's built-in search writes one JSON index that every reader downloads whole before
the first query (22 MB at 10,000 statements, 215 MB at 100,000). Pagefind splits its index
into chunks and a browser fetches only the chunks a query needs. Pagefind indexes HTML, and
indexing the real pages (menus, listings, citations: 103,000 pages took 167 s and 13.9 GB)
costs far more than needed, so this module writes one small document per statement, actor,
topic and briefing holding only the text worth finding, at the same relative path as the
real page: the result URLs Pagefind stores are then the real permalinks.

Pure: no I/O, no MkDocs. `generator/search/indexer.py` writes these documents and runs the indexer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final, Literal

from markupsafe import escape

from generator.pages import plan
from generator.pages.render import KIND_LABELS
from generator.records.model import Actor, Archive, Briefing, Statement, Topic

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


def _document(title: str, body: Iterable[str], *, date: str | None = None) -> str:
    """A complete HTML document whose `data-pagefind-body` holds `body`.

    Pagefind skips files without an <html> element, reads the language from `lang` (one
    language for every document, so each shard is one index whatever the script of a
    name), and with a `data-pagefind-body` element on the site ignores everything outside it.
    """
    attrs = ' data-pagefind-body=""'
    if date:
        # Shown beside each result (meta lives in the result's fragment). No
        # data-pagefind-sort: the search page ranks by relevance within a shard, and a sort
        # adds one entry per page to the metadata every query downloads (~25 kB per 10,000).
        # The value is ours (an ISO date), not record text.
        attrs += f' data-pagefind-meta="date:{date}"'
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n</head>\n<body>\n<main{attrs}>\n"
        f'<h1 data-pagefind-meta="title">{_e(title)}</h1>\n'
        + "".join(line + "\n" for line in body)
        + "</main>\n</body>\n</html>\n"
    )


def _filter(name: str, value: str) -> str:
    # Only actor, topic, year and kind: a filter's page list is downloaded when a search
    # uses that filter (about 22 kB per filter per 10,000-statement shard), so a filter earns
    # its place or is left out (e.g. statement/actor/topic). The search page lists the
    # values from filters.json (`filter_values`), never from Pagefind's filter data.
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
        f"{_e(plan.format_date(statement.date))}</time></p>",
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
    return _document(statement.title, body, date=statement.date.isoformat())


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
        f"{_e(plan.format_date(briefing.published))}</time></p>",
    ]
    body += [f"<p>{_e(text)}</p>" for text in (briefing.notes, briefing.text) if text]
    return _document(briefing.title, body, date=briefing.published.isoformat())


def _path(url: str) -> str:
    return url + "index.html"


def lean_documents(archive: Archive) -> dict[str, str]:
    """Every lean document by site-relative path (`statements/<id>/index.html`), sorted."""
    docs: dict[str, str] = {}
    for part in plan_shards(archive):
        docs.update(shard_documents(part, archive))
    return dict(sorted(docs.items()))


# --- shards ----------------------------------------------------------------------------------
#
# One Pagefind bundle for the whole archive makes every query download metadata with one entry
# per page (0.9 MB at 100,000 statements) and costs the indexer 4.5 GB. So the statements are
# split, in date order, into shards of at most SHARD_SIZE statements, each its own bundle
# (pagefind/<key>/) indexed by its own process. The search page searches the newest shard first
# and an older one only when the reader asks for more; a year filter picks the shards.

#: Statements per shard at most (one year is cut when it holds more): a year of the 100,000
#: benchmark archive (about 10,000) is one shard. A query's first results cost about 0.3 MB
#: from a 10,000-statement shard (metadata 74 kB, WebAssembly 72 kB, pagefind.js 46 kB,
#: index chunks ~60 kB), and its indexer about 0.5 GB.
SHARD_SIZE: Final = 12_000
#: The manifest the search page reads first: the shards, newest first (see `shard_manifest`).
MANIFEST: Final = "shards.json"
#: The filter values for the search page's menus, fetched when the reader opens them.
FILTERS_FILE: Final = "filters.json"


@dataclass(frozen=True, slots=True)
class Shard:
    """One Pagefind bundle: the statements from `first` to `last`, and what goes with them."""

    key: str  # its folder under pagefind/
    label: str  # how the search page names the period: "2024", "2019–2021", or dates
    first: dt.date
    last: dt.date
    years: tuple[int, ...]
    statements: tuple[str, ...]  # statement ids, oldest first
    briefings: tuple[str, ...] = ()
    #: Actor and topic pages (undated) go with the newest shard, searched first.
    pages: bool = False


def _split(lo: int, hi: int, size: int) -> list[tuple[int, int]]:
    """[lo, hi) cut into the fewest nearly equal runs of at most `size`, newest run first."""
    parts = -(-(hi - lo) // size)
    bounds = [lo + (hi - lo) * k // parts for k in range(parts + 1)]
    return [(bounds[k], bounds[k + 1]) for k in reversed(range(parts))]


def plan_shards(archive: Archive, size: int | None = None) -> list[Shard]:
    """The archive's shards, newest first; deterministic for the same records.

    Whole years are grouped, from the newest back, while a shard stays within `size`
    statements (default SHARD_SIZE); a year above `size` is cut into nearly equal runs by
    date. Briefings go with the shard of their date, actor and topic pages with the newest.
    """
    size = max(1, size or SHARD_SIZE)
    ordered = sorted(archive.statements.values(), key=lambda s: (s.date, s.id))
    years: dict[int, list[int]] = {}
    for index, statement in enumerate(ordered):
        years.setdefault(statement.date.year, []).append(index)
    runs: list[tuple[int, int, bool]] = []  # (lo, hi, whole years), newest first
    current: tuple[int, int] | None = None
    for year in sorted(years, reverse=True):
        lo, hi = years[year][0], years[year][-1] + 1
        if current is not None and current[1] - lo <= size:
            current = (lo, current[1])
            continue
        if current is not None:
            runs.append((*current, True))
            current = None
        if hi - lo <= size:
            current = (lo, hi)
        else:
            runs += [(a, b, False) for a, b in _split(lo, hi, size)]
    if current is not None:
        runs.append((*current, True))

    shards: list[Shard] = []
    keys: set[str] = set()
    for lo, hi, whole in runs:
        part = ordered[lo:hi]
        first, last = part[0].date, part[-1].date
        key = f"{first:%Y%m%d}-{last:%Y%m%d}"
        while key in keys:  # one day cut in two (more than `size` statements that day)
            key += "b"
        keys.add(key)
        if whole:
            label = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
        elif first == last:
            label = plan.format_date(first)
        else:
            label = f"{plan.format_date(first)} – {plan.format_date(last)}"
        shards.append(
            Shard(
                key=key,
                label=label,
                first=first,
                last=last,
                years=tuple(sorted({s.date.year for s in part}, reverse=True)),
                statements=tuple(s.id for s in part),
            )
        )
    if not shards:
        # No statements: one shard for the actor, topic and briefing pages.
        epoch = dt.date(1970, 1, 1)
        shards.append(Shard("all", "All", epoch, epoch, (), ()))

    briefings: list[list[str]] = [[] for _ in shards]
    years_of = [set(shard.years) for shard in shards]
    for briefing in sorted(archive.briefings.values(), key=lambda b: b.id):
        # The newest shard that starts on or before its date, else the oldest shard; its
        # year joins the shard's, so that the year filter finds the briefing there.
        index = next(
            (i for i, shard in enumerate(shards) if shard.first <= briefing.published),
            len(shards) - 1,
        )
        briefings[index].append(briefing.id)
        years_of[index].add(briefing.published.year)
    return [
        replace(
            shard,
            briefings=tuple(briefings[i]),
            pages=i == 0,
            years=tuple(sorted(years_of[i], reverse=True)),
        )
        for i, shard in enumerate(shards)
    ]


def shard_documents(shard: Shard, archive: Archive) -> dict[str, str]:
    """The lean documents of one shard by site-relative path (as `lean_documents`)."""
    docs: dict[str, str] = {}
    for sid in shard.statements:
        statement = archive.statements[sid]
        docs[_path(plan.statement_url(sid))] = statement_document(statement, archive)
    for bid in shard.briefings:
        docs[_path(plan.briefing_url(bid))] = briefing_document(archive.briefings[bid])
    if shard.pages:
        for actor in archive.actors.values():
            docs[_path(plan.actor_url(actor.id))] = actor_document(actor, archive)
        for topic in archive.topics.values():
            docs[_path(plan.topic_url(topic.id))] = topic_document(topic)
    return dict(sorted(docs.items()))


def shard_manifest(shards: Iterable[Shard]) -> dict[str, object]:
    """What the search page reads before the first query: each shard's folder and period.

    Newest first, the order the page searches them in; `years` lets a year filter pick
    shards without downloading anything else.
    """
    return {
        "version": 1,
        "shards": [
            {
                "path": f"{shard.key}/",
                "label": shard.label,
                "first": shard.first.isoformat(),
                "last": shard.last.isoformat(),
                "years": [str(year) for year in shard.years],
                "statements": len(shard.statements),
            }
            for shard in shards
        ],
    }


def filter_values(archive: Archive) -> dict[str, list[str]]:
    """Each filter's values as the lean documents spell them, for the search page's menus.

    The page fetches these when the reader opens its filters, instead of Pagefind's filter
    data (every page of every value: 1.1 MB at 100,000 statements).
    """
    statements = archive.statements.values()
    kinds = {KIND_LABELS.get(s.kind, s.kind) for s in statements}
    years = {f"{s.date.year:04d}" for s in statements}
    years |= {f"{b.published.year:04d}" for b in archive.briefings.values()}
    return {
        "year": sorted(years, reverse=True),
        "kind": sorted(kinds, key=_folded),
        "topic": sorted({t.title for t in archive.topics.values()}, key=_folded),
        "actor": sorted({a.name for a in archive.actors.values()}, key=_folded),
    }


def _folded(text: str) -> tuple[str, str]:
    # Case-insensitive order; the text itself breaks ties, so the order never depends on
    # the (randomised) iteration order of a set.
    return (text.casefold(), text)


# --- the search page -------------------------------------------------------------------------

#: The page's Markdown: front matter, then raw HTML that Python-Markdown passes through (no
#: blank lines inside it, which would end the HTML block). Paths are relative to the page
#: (../pagefind/, ../), so a site served under a path prefix works; the script resolves the
#: result links, which Pagefind stores as site-absolute paths (/statements/<id>/), against
#: `data-site`. theme/assets/javascripts/briefing-search.js does the searching; the form
#: still submits (?q=...) without it, and the <noscript> text says where to browse instead.
SEARCH_PAGE = """\
---
title: Search
hide:
- toc
search:
  exclude: true
---

<div class="ba-page ba-search" id="ba-search" data-bundle="../pagefind/" data-site="../"
  data-state="loading">
<link rel="stylesheet" href="../assets/stylesheets/briefing-search.css">
<form class="ba-search__form" role="search" action="./" method="get">
<div class="ba-search__bar">
<label class="ba-search__label" for="ba-search-q">Search statements, quotes, actors and
topics</label>
<input class="ba-search__input" id="ba-search-q" type="search" name="q" autocomplete="off"
  spellcheck="false" autofocus>
<button class="md-button md-button--primary ba-search__submit" type="submit">Search</button>
</div>
<details class="ba-search__filters">
<summary>Filters: year, kind, topic, actor</summary>
<div class="ba-search__menus">
<label for="ba-search-year">Year</label>
<select id="ba-search-year" name="year"><option value="">Any year</option></select>
<label for="ba-search-kind">Kind</label>
<select id="ba-search-kind" name="kind"><option value="">Any kind</option></select>
<label for="ba-search-topic">Topic</label>
<select id="ba-search-topic" name="topic"><option value="">Any topic</option></select>
<label for="ba-search-actor">Actor</label>
<select id="ba-search-actor" name="actor"><option value="">Any actor</option></select>
</div>
</details>
</form>
<p class="ba-search__status" role="status" aria-live="polite"></p>
<div class="ba-search__results"></div>
<p class="ba-search__buttons">
<button class="md-button ba-search__older" type="button" hidden>Search earlier years</button>
</p>
<noscript><p>Search needs JavaScript. Browse by <a href="../actors/">actor</a>,
<a href="../dates/">date</a> or <a href="../topics/">topic</a> instead.</p></noscript>
</div>

<script src="../assets/javascripts/briefing-search.js"></script>
"""


def search_page_markdown() -> str:
    """The Markdown source of the /search/ page (pagefind mode only)."""
    return SEARCH_PAGE


__all__ = [
    "AUTO_THRESHOLD",
    "BUNDLE_DIR",
    "FILTERS_FILE",
    "MANIFEST",
    "SEARCH_MODES",
    "SEARCH_URL",
    "SHARD_SIZE",
    "Engine",
    "SearchMode",
    "Shard",
    "actor_document",
    "briefing_document",
    "count_statement_files",
    "filter_values",
    "lean_documents",
    "plan_shards",
    "resolve_mode",
    "search_page_markdown",
    "shard_documents",
    "shard_manifest",
    "statement_document",
    "topic_document",
]
