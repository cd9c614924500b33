"""One Atom document of statements: the XML that every feed of the site is made with.

Safe with untrusted records: each entry's content is `type="html"`, i.e. HTML carried as
escaped text. That HTML is built here from `html.escape`d record text and a few fixed tags,
so a summary of `<script>` reaches a feed reader as the *text* `<script>` after the one
unescape the reader does, never as an element. Characters XML 1.0 cannot carry (most C0
controls, which a double-quoted YAML string can hold as escapes) are dropped rather than
making lxml refuse the whole feed.

Deterministic: feed and entry `updated` come from statement dates (midnight UTC), never the
clock; the feed's `updated` is its newest entry's date; the `generator` element names this
project without feedgen's version.

Pure: no I/O, no MkDocs. `generator/outputs/feeds.py` chooses each feed's statements.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from generator.outputs.citations import absolute, permalink
from generator.pages.urls import actor_url, format_date
from generator.records.kinds import statement_label
from generator.records.model import Archive, Statement

#: Media type for `<link rel="alternate" type=...>`.
ATOM_TYPE = "application/atom+xml"
#: `updated` of a feed with no entries (an actor with no statements yet): a fixed instant,
#: so an empty feed is as reproducible as a full one.
EMPTY_UPDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Everything XML 1.0 forbids: C0 controls other than tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _esc(text: str) -> str:
    return html.escape(xml_text(text), quote=True)


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
    parts = [f"<p>{_esc(statement_label(statement.kind))}, {_esc(format_date(statement.date))}</p>"]
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


def check_site_url(site_url: str) -> None:
    parts = urlsplit(site_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"feeds need an absolute http(s) site URL, not {site_url!r}")


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
    fg.updated(_midnight(entries[0].date) if entries else EMPTY_UPDATED)
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
        fe.content(entry_html(statement, archive), type="html")
    data: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


__all__ = ["ATOM_TYPE", "EMPTY_UPDATED", "atom_feed", "check_site_url", "entry_html", "xml_text"]
