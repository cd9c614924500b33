"""One Atom document of statements: the XML that every feed of the site is made with.

An entry is short: the statement's title, its summary, the link to its page, its date, its
actors (as authors) and topics (as categories). Not its quotes and sources: those are on the
page the link opens, and feeds of the whole statement made up most of a large site's feeds.

Safe with untrusted records: every piece of record text is an Atom text construct of
`type="text"`, never HTML, so a summary of `<script>` reaches a feed reader as the text
`<script>`. Characters XML 1.0 cannot carry (most C0 controls, which a double-quoted YAML
string can hold as escapes) are dropped rather than making lxml refuse the whole feed.

Deterministic: feed and entry `updated` come from statement dates (midnight UTC), never the
clock; the feed's `updated` is its newest entry's date; the `generator` element names this
project without feedgen's version.

Pure: no I/O, no MkDocs. `generator/outputs/feeds.py` chooses each feed's statements.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from generator.outputs.citations import absolute, permalink
from generator.pages.urls import actor_url
from generator.records.model import Archive, Correction, Statement

#: Media type for `<link rel="alternate" type=...>`.
ATOM_TYPE = "application/atom+xml"
#: `updated` of a feed with no entries (an actor with no statements yet): a fixed instant,
#: so an empty feed is as reproducible as a full one.
EMPTY_UPDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Everything XML 1.0 forbids: C0 controls other than tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def check_site_url(site_url: str) -> None:
    parts = urlsplit(site_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"feeds need an absolute http(s) site URL, not {site_url!r}")


def _feed_head(
    site_url: str,
    site_name: str,
    url: str,
    page: str,
    title: str,
    subtitle: str,
    newest: dt.date | None,
) -> FeedGenerator:
    """A feed with its id, titles, links, author and `updated` (its newest entry's day)."""
    fg = FeedGenerator()
    feed_url = absolute(site_url, url)
    # The feed's own URL is its id: unique, permanent, and what a reader subscribed to.
    fg.id(feed_url)
    fg.title(xml_text(title))
    fg.subtitle(xml_text(subtitle))
    fg.link(href=feed_url, rel="self", type=ATOM_TYPE)
    fg.link(href=absolute(site_url, page), rel="alternate", type="text/html")
    # Atom wants an author on the feed unless every entry has one; the archive is it.
    fg.author({"name": xml_text(site_name), "uri": absolute(site_url, "")})
    # Replaces feedgen's default, which carries its version and would change with upgrades.
    fg.generator(generator=xml_text(site_name))
    fg.language("en")
    fg.updated(_midnight(newest) if newest is not None else EMPTY_UPDATED)
    return fg


def atom_feed(
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
    newest = entries[0].date if entries else None
    fg = _feed_head(site_url, site_name, url, page, title, subtitle, newest)
    for statement in entries:
        link = permalink(site_url, statement.id)
        fe = fg.add_entry(order="append")  # feedgen prepends by default
        fe.id(link)
        fe.title(xml_text(" ".join(statement.title.split())))
        fe.link(href=link, rel="alternate", type="text/html")
        when = _midnight(statement.date)
        fe.published(when)
        fe.updated(when)
        for actor_id in statement.actors:
            actor = archive.actors.get(actor_id)
            name = actor.name if actor else actor_id
            fe.author({"name": xml_text(name), "uri": absolute(site_url, actor_url(actor_id))})
        for topic_id in statement.topics:
            topic = archive.topics.get(topic_id)
            label = xml_text(topic.title) if topic else None
            fe.category(term=topic_id, label=label)
        fe.summary(xml_text(" ".join(statement.summary.split())), type="text")
    data: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def corrections_atom(
    entries: Sequence[tuple[Statement, Correction]],
    *,
    site_url: str,
    site_name: str,
    url: str,
    page: str,
    title: str,
    subtitle: str,
) -> bytes:
    """The Atom document of corrections: one entry per correction, linking to its statement.

    An entry's id is the statement's permalink with `#correction-<day>-<n>`, n counting that
    day's corrections of the statement in the record's order, so a correction added later
    leaves the ids of the earlier ones as they were.
    """
    newest = entries[0][1].date if entries else None
    fg = _feed_head(site_url, site_name, url, page, title, subtitle, newest)
    for statement, correction in entries:
        link = permalink(site_url, statement.id)
        same_day = [c for c in statement.corrections if c.date == correction.date]
        number = next(i for i, c in enumerate(same_day, 1) if c is correction)
        fe = fg.add_entry(order="append")
        fe.id(f"{link}#correction-{correction.date.isoformat()}-{number}")
        fe.title(xml_text("Corrected: " + " ".join(statement.title.split())))
        fe.link(href=link + "#corrections", rel="alternate", type="text/html")
        when = _midnight(correction.date)
        fe.published(when)
        fe.updated(when)
        fe.summary(xml_text(" ".join(correction.note.split())), type="text")
    data: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


__all__ = [
    "ATOM_TYPE",
    "EMPTY_UPDATED",
    "atom_feed",
    "check_site_url",
    "corrections_atom",
    "xml_text",
]
