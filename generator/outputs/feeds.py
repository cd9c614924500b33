"""Atom feeds of the newest statements: the whole archive, per actor, topic and publisher.

Pure: no I/O, no MkDocs; each function returns the bytes of one Atom document (UTF-8, with
an XML declaration) for the plugin to write at the URL `*_feed_url` gives.

Safe with untrusted records: each entry's content is `type="html"`, i.e. HTML carried as
escaped text. That HTML is built here from `html.escape`d record text and a few fixed tags,
so a summary of `<script>` reaches a feed reader as the *text* `<script>` after the one
unescape the reader does, never as an element. Characters XML 1.0 cannot carry (most C0
controls, which a double-quoted YAML string can hold as escapes) are dropped rather than
making lxml refuse the whole feed.

Deterministic: feed and entry `updated` come from statement dates (midnight UTC), never the
clock; the feed's `updated` is its newest entry's date; the `generator` element names this
project without feedgen's version. Entries are ordered newest first, then by id.

Feeds need an absolute site URL (Atom ids and links must be absolute IRIs): pass mkdocs.yml's
`site_url`; without one, skip the feeds. Page templates can advertise a feed with
`<link rel="alternate" type="application/atom+xml" title="..." href="...">`: see
`feed_link`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import html
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from generator.outputs.citations import SITE_NAME, absolute, kind_label, permalink
from generator.pages.plan import actor_url, format_date, publisher_url, topic_url

# The site's one slug function and publisher list, re-exported: feeds and pages must agree.
from generator.pages.plan import publisher_slug as publisher_slug
from generator.pages.plan import publishers as publishers
from generator.records.model import Archive, Statement

#: Entries per feed: readers only need what is new, and a short feed stays small.
MAX_ENTRIES = 50
#: Media type for `<link rel="alternate" type=...>`.
ATOM_TYPE = "application/atom+xml"
#: `updated` of a feed with no entries (an actor with no statements yet): a fixed instant,
#: so an empty feed is as reproducible as a full one.
EMPTY_UPDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Everything XML 1.0 forbids: C0 controls other than tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- URLs -----------------------------------------------------------------------------------


def archive_feed_url() -> str:
    """Site-relative URL of the feed of every statement."""
    return "feed.xml"


def actor_feed_url(actor_id: str) -> str:
    """Site-relative URL of an actor's feed, beside the actor's page."""
    return actor_url(actor_id) + "feed.xml"


def topic_feed_url(topic_id: str) -> str:
    """Site-relative URL of a topic's feed, beside the topic's page."""
    return topic_url(topic_id) + "feed.xml"


def publisher_feed_url(slug: str) -> str:
    """Site-relative URL of a publisher's feed, beside the publisher's page."""
    return publisher_url(slug) + "feed.xml"


@dataclass(frozen=True, slots=True)
class FeedLink:
    """What a page's `<link rel="alternate" type="application/atom+xml">` needs.

    `url` is site-relative (no leading slash), like every URL in site.py; `title` is plain
    text, to be escaped by the template.
    """

    url: str
    title: str
    type: str = ATOM_TYPE


def feed_link(
    kind: str,
    record_id: str | None,
    archive: Archive,
    site_name: str = SITE_NAME,
    names: Mapping[str, str] | None = None,
) -> FeedLink:
    """The feed a page should advertise: kind is `archive`, `actor`, `topic` or `publisher`.

    `record_id` is the actor or topic id, or the publisher slug; None for `archive`.
    `names` is `publishers(archive)` when the caller has it: computing it goes through
    every source, too slow to repeat for each of a thousand publisher pages.
    """
    if kind == "archive":
        return FeedLink(archive_feed_url(), f"{site_name}: newest statements")
    if record_id is None:
        raise ValueError(f"a {kind} feed needs an id")
    if kind == "actor":
        name = archive.actors[record_id].name if record_id in archive.actors else record_id
        return FeedLink(actor_feed_url(record_id), f"{site_name}: statements by {name}")
    if kind == "topic":
        title = archive.topics[record_id].title if record_id in archive.topics else record_id
        return FeedLink(topic_feed_url(record_id), f"{site_name}: statements on {title}")
    if kind == "publisher":
        name = (publishers(archive) if names is None else names).get(record_id, record_id)
        return FeedLink(
            publisher_feed_url(record_id), f"{site_name}: statements reported by {name}"
        )
    raise ValueError(f"unknown feed kind {kind!r}")


# --- Selections -----------------------------------------------------------------------------


def newest(statements: Iterable[Statement], limit: int = MAX_ENTRIES) -> list[Statement]:
    """The `limit` newest statements: by date descending, then id ascending (a total order)."""
    by_id = sorted(statements, key=lambda s: s.id)
    # Stable sort: same-day statements keep id order.
    return sorted(by_id, key=lambda s: s.date, reverse=True)[:limit]


def _by_publisher(archive: Archive, slug: str) -> Callable[[Statement], bool]:
    def test(statement: Statement) -> bool:
        # sources_of includes the briefing: a statement drawn from a RIA Novosti briefing
        # belongs in RIA Novosti's feed.
        return any(publisher_slug(src.publisher) == slug for src in archive.sources_of(statement))

    return test


# --- Building -------------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _esc(text: str) -> str:
    return html.escape(_xml_text(text), quote=True)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _paras(text: str) -> str:
    # Same paragraphs as on the page: a blank line in the record starts a new one.
    blocks = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{_esc(b)}</p>" for b in blocks if b)


def entry_html(statement: Statement, archive: Archive) -> str:
    """The HTML of an entry's content: date and kind, summary, then each quote.

    Only the fixed tags here are markup; every piece of record text goes through
    `html.escape`, attribute values included.
    """
    parts = [f"<p>{_esc(kind_label(statement.kind))}, {_esc(format_date(statement.date))}</p>"]
    parts.append(_paras(statement.summary))
    for q in statement.quotes:
        parts.append(f'<blockquote lang="{_esc(q.lang)}">{_paras(q.text)}</blockquote>')
        if q.original:
            lang = _esc(q.original_lang or "")
            parts.append(f'<blockquote lang="{lang}">{_paras(q.original)}</blockquote>')
    sources = archive.sources_of(statement)
    if sources:
        items = "".join(
            f"<li>{_esc(src.publisher)}: {_esc(src.title)}"
            f" ({_esc(format_date(src.published))})</li>"
            for src in sources
        )
        parts.append(f"<p>Sources:</p><ul>{items}</ul>")
    return "".join(parts)


def _check_site_url(site_url: str) -> None:
    parts = urlsplit(site_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"feeds need an absolute http(s) site URL, not {site_url!r}")


def _feed(
    archive: Archive,
    statements: Iterable[Statement],
    *,
    site_url: str,
    site_name: str,
    url: str,
    page: str,
    title: str,
    subtitle: str,
) -> bytes:
    _check_site_url(site_url)
    entries = newest(statements)
    memo = _MEMO.get()
    key = (tuple(entries), site_url, site_name, page, title, subtitle)
    if memo is not None and (kept := memo.get(url)) is not None and kept[0] == key:
        return kept[1]
    data = _feed_xml(
        archive,
        entries,
        site_url=site_url,
        site_name=site_name,
        url=url,
        page=page,
        title=title,
        subtitle=subtitle,
    )
    if memo is not None:
        memo[url] = (key, data)
    return data


def _feed_xml(
    archive: Archive,
    entries: Sequence[Statement],
    *,
    site_url: str,
    site_name: str,
    url: str,
    page: str,
    title: str,
    subtitle: str,
) -> bytes:
    fg = FeedGenerator()
    feed_url = absolute(site_url, url)
    # The feed's own URL is its id: unique, permanent, and what a reader subscribed to.
    fg.id(feed_url)
    fg.title(_xml_text(title))
    fg.subtitle(_xml_text(subtitle))
    fg.link(href=feed_url, rel="self", type=ATOM_TYPE)
    fg.link(href=absolute(site_url, page), rel="alternate", type="text/html")
    # Atom wants an author on the feed unless every entry has one; the archive is it.
    fg.author({"name": _xml_text(site_name), "uri": absolute(site_url, "")})
    # Replaces feedgen's default, which carries its version and would change with upgrades.
    fg.generator(generator=_xml_text(site_name))
    fg.language("en")
    fg.updated(_midnight(entries[0].date) if entries else EMPTY_UPDATED)
    for statement in entries:
        link = permalink(site_url, statement.id)
        fe = fg.add_entry(order="append")  # feedgen prepends by default
        fe.id(link)
        fe.title(_xml_text(" ".join(statement.title.split())))
        fe.link(href=link, rel="alternate", type="text/html")
        when = _midnight(statement.date)
        fe.published(when)
        fe.updated(when)
        for actor_id in statement.actors:
            actor = archive.actors.get(actor_id)
            name = actor.name if actor else actor_id
            fe.author({"name": _xml_text(name), "uri": absolute(site_url, actor_url(actor_id))})
        for topic_id in statement.topics:
            topic = archive.topics.get(topic_id)
            label = _xml_text(topic.title) if topic else None
            fe.category(term=topic_id, label=label)
        fe.summary(_xml_text(" ".join(statement.summary.split())), type="text")
        fe.content(entry_html(statement, archive), type="html")
    data: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def archive_feed(archive: Archive, site_url: str, site_name: str = SITE_NAME) -> bytes:
    """The newest statements of the whole archive, for `/feed.xml`."""
    return _feed(
        archive,
        archive.statements.values(),
        site_url=site_url,
        site_name=site_name,
        url=archive_feed_url(),
        page="",
        title=f"{site_name}: newest statements",
        subtitle=f"The {MAX_ENTRIES} newest statements in {site_name}.",
    )


def actor_feed(archive: Archive, actor_id: str, site_url: str, site_name: str = SITE_NAME) -> bytes:
    """The newest statements made by one actor (`actor_id` among their actors).

    Statements that only mention the actor are not in it: the feed follows what they say.
    """
    mine = (s for s in archive.statements.values() if actor_id in s.actors)
    return _actor_feed(archive, actor_id, mine, site_url, site_name)


def _actor_feed(
    archive: Archive, actor_id: str, mine: Iterable[Statement], site_url: str, site_name: str
) -> bytes:
    actor = archive.actors.get(actor_id)
    name = actor.name if actor else actor_id
    return _feed(
        archive,
        mine,
        site_url=site_url,
        site_name=site_name,
        url=actor_feed_url(actor_id),
        page=actor_url(actor_id),
        title=f"{site_name}: statements by {name}",
        subtitle=f"The newest statements by {name} in {site_name}.",
    )


def topic_feed(archive: Archive, topic_id: str, site_url: str, site_name: str = SITE_NAME) -> bytes:
    """The newest statements filed under one topic."""
    mine = (s for s in archive.statements.values() if topic_id in s.topics)
    return _topic_feed(archive, topic_id, mine, site_url, site_name)


def _topic_feed(
    archive: Archive, topic_id: str, mine: Iterable[Statement], site_url: str, site_name: str
) -> bytes:
    topic = archive.topics.get(topic_id)
    title = topic.title if topic else topic_id
    return _feed(
        archive,
        mine,
        site_url=site_url,
        site_name=site_name,
        url=topic_feed_url(topic_id),
        page=topic_url(topic_id),
        title=f"{site_name}: statements on {title}",
        subtitle=f"The newest statements on {title} in {site_name}.",
    )


def publisher_feed(archive: Archive, slug: str, site_url: str, site_name: str = SITE_NAME) -> bytes:
    """The newest statements that a publisher reported, in a source or as the briefing.

    `slug` is `publisher_slug(name)`; `publishers(archive)` lists them. The feed's
    alternate link is the publisher's page.
    """
    mine = filter(_by_publisher(archive, slug), archive.statements.values())
    return _publisher_feed(
        archive, slug, publishers(archive).get(slug, slug), mine, site_url, site_name
    )


def _publisher_feed(
    archive: Archive,
    slug: str,
    name: str,
    mine: Iterable[Statement],
    site_url: str,
    site_name: str,
) -> bytes:
    return _feed(
        archive,
        mine,
        site_url=site_url,
        site_name=site_name,
        url=publisher_feed_url(slug),
        page=publisher_url(slug),
        title=f"{site_name}: statements reported by {name}",
        subtitle=f"The newest statements in {site_name} reported by {name}.",
    )


class FeedCache:
    """The feeds of the previous `all_feeds` call, for `serve` rebuilds.

    A feed is reused when its entries (the newest statements it lists, compared by value)
    and its titles are the same. Entries also show actor names, topic titles and sources,
    so any change to the actors, topics or briefings rebuilds every feed.
    """

    def __init__(self) -> None:
        self.dependencies: tuple[object, ...] | None = None
        self.feeds: dict[str, tuple[object, bytes]] = {}


_MEMO: contextvars.ContextVar[dict[str, tuple[object, bytes]] | None] = contextvars.ContextVar(
    "briefing_feed_memo", default=None
)


def all_feeds(
    archive: Archive, site_url: str, site_name: str = SITE_NAME, cache: FeedCache | None = None
) -> dict[str, bytes]:
    """Every feed keyed by its site-relative path: one for the archive, each actor, each
    topic and each publisher. What the plugin writes into the site directory.

    Same output as calling each function above, but groups the statements in one pass
    instead of one pass per actor (an archive may have thousands). With `cache`, feeds
    whose entries did not change since the previous call are reused.
    """
    if cache is None:
        return _all_feeds(archive, site_url, site_name)
    dependencies = (archive.actors, archive.topics, archive.briefings)
    if dependencies != cache.dependencies:
        cache.feeds = {}
    memo: dict[str, tuple[object, bytes]] = {}
    previous = cache.feeds
    token = _MEMO.set(previous)
    try:
        feeds = _all_feeds(archive, site_url, site_name)
    finally:
        _MEMO.reset(token)
    for url in feeds:  # keep only what this call produced: deleted actors' feeds go
        if url in previous:
            memo[url] = previous[url]
    cache.dependencies, cache.feeds = dependencies, memo
    return feeds


def _all_feeds(archive: Archive, site_url: str, site_name: str) -> dict[str, bytes]:
    by_actor: defaultdict[str, list[Statement]] = defaultdict(list)
    by_topic: defaultdict[str, list[Statement]] = defaultdict(list)
    by_publisher: defaultdict[str, list[Statement]] = defaultdict(list)
    for statement in archive.statements.values():
        for actor_id in set(statement.actors):
            by_actor[actor_id].append(statement)
        for topic_id in set(statement.topics):
            by_topic[topic_id].append(statement)
        for slug in {publisher_slug(src.publisher) for src in archive.sources_of(statement)}:
            by_publisher[slug].append(statement)
    feeds = {archive_feed_url(): archive_feed(archive, site_url, site_name)}
    for actor_id in archive.actors:
        mine = by_actor.get(actor_id, [])
        feeds[actor_feed_url(actor_id)] = _actor_feed(archive, actor_id, mine, site_url, site_name)
    for topic_id in archive.topics:
        mine = by_topic.get(topic_id, [])
        feeds[topic_feed_url(topic_id)] = _topic_feed(archive, topic_id, mine, site_url, site_name)
    for slug, name in publishers(archive).items():
        mine = by_publisher.get(slug, [])
        feeds[publisher_feed_url(slug)] = _publisher_feed(
            archive, slug, name, mine, site_url, site_name
        )
    return feeds
