"""What reference managers and link previews read from a statement page's `<head>`.

Zotero (and Google Scholar, Mendeley...) read Highwire `citation_*` tags; chat apps and
social sites read Open Graph tags, and X/Twitter the `twitter:card` beside them; search
engines and structured-data tools read JSON-LD. All of them say the same few facts: the
statement's title, who made it, when, the summary, the archive that publishes it and its
permalink. Each fact is written once per reader, not once per vocabulary: a statement page
is one of many thousands, and every repeated summary is paid for on each of them.

Pure: no I/O, no MkDocs. Every tag value is escaped here, once. The JSON-LD is written
ready to sit inside `<script type="application/ld+json">`: `<`, `>` and `&` are written as
JSON `\\u` escapes, so no record text can close the script (or the HTML comment that carries
it to the page shell, see mkdocs/shells.py).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.outputs.citations import absolute, permalink
from generator.outputs.embed import embed_snippet
from generator.pages.filters import escape_text as _escape
from generator.pages.filters import markup
from generator.pages.urls import actor_url, topic_url, wikidata_url
from generator.records.kinds import statement_label
from generator.records.model import Actor, Archive, Quote, Source, Statement, Topic

# json.dumps(data, ensure_ascii=False, separators=(",", ":")), without making an encoder per
# page: compact (nobody reads the script but programs), and the C encoder, as no `indent`.
# No check for circular references: the data is trees of dicts made by json_ld, never cyclic.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)

#: The schema.org type of each actor kind. A state speaks through its government.
ACTOR_TYPES: dict[str, str] = {
    "person": "Person",
    "organization": "Organization",
    "state": "GovernmentOrganization",
}


@dataclass(frozen=True, slots=True)
class PageMeta:
    """A statement page's metadata for its `<head>`."""

    description: Markup  # the summary on one line, escaped for an attribute value
    head: Markup  # the tags and the JSON-LD script as HTML, one per line, every value escaped
    embed: str = ""  # the quote as HTML to embed elsewhere (embed.py), as text to show


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _http(url: str | None) -> str | None:
    # The validator allows only http(s) addresses; a page never links anything else.
    return url if url and url.startswith(("https://", "http://")) else None


@functools.lru_cache(maxsize=4096)
def actor_node(actor: Actor, site_url: str | None) -> dict[str, Any]:
    """An actor as a schema.org Person or Organization, `sameAs` its Wikidata item.

    Made once per actor (an actor speaks on many pages); callers must not change it.
    """
    page = absolute(site_url, actor_url(actor.id))
    node: dict[str, Any] = {
        "@type": ACTOR_TYPES.get(actor.kind, "Organization"),
        "@id": page,
        "name": _one_line(actor.name),
        "url": page,
    }
    if actor.names:
        node["alternateName"] = [_one_line(n.name) for n in actor.names]
    same = [wikidata_url(actor.links.wikidata)] if actor.links.wikidata else []
    if website := _http(actor.links.website):
        same.append(website)
    if same:
        node["sameAs"] = same
    return node


def _source_node(source: Source) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": _one_line(source.title),
        "publisher": {"@type": "Organization", "name": _one_line(source.publisher)},
        "datePublished": source.published.isoformat(),
    }
    if url := _http(source.url):
        node["url"] = url
    if archived := _http(source.archived_url):
        node["archivedAt"] = archived
    return node


def _quote_node(quote: Quote, speakers: list[dict[str, str]]) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Quotation", "text": quote.text, "inLanguage": quote.lang}
    if speakers:
        node["spokenByCharacter"] = speakers
    if quote.original:
        original: dict[str, Any] = {"@type": "Quotation", "text": quote.original}
        if quote.original_lang:
            original["inLanguage"] = quote.original_lang
        node["translationOfWork"] = original
    return node


@functools.lru_cache(maxsize=4096)
def _topic_node(topic: Topic, site_url: str | None) -> dict[str, Any]:
    # Made once per topic, as actor_node: many pages are about the same topic.
    return {
        "@type": "Thing",
        "name": _one_line(topic.title),
        "url": absolute(site_url, topic_url(topic.id)),
    }


@functools.lru_cache(maxsize=16)
def _publisher_node(site_name: str, site_url: str | None) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Organization", "name": _one_line(site_name)}
    if site_url:
        node["url"] = site_url
    return node


def json_ld(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str
) -> dict[str, Any]:
    """The statement as a schema.org CreativeWork: its actors as `creator`, its quotes as
    `Quotation`s they spoke, its sources as what it `isBasedOn`.

    Nodes that many pages share (an actor, a topic, the publisher) are the same objects on
    every page: callers must not change them.
    """
    creators = [
        actor_node(archive.actors[a], site_url) for a in statement.actors if a in archive.actors
    ]
    link = permalink(site_url, statement.id)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": link,
        "url": link,
        "name": _one_line(statement.title),
        "abstract": statement.summary,
        "genre": statement_label(statement.kind),
        "dateCreated": statement.date.isoformat(),
        "creator": creators,
        "publisher": _publisher_node(site_name, site_url),
    }
    if statement.location:
        data["locationCreated"] = {"@type": "Place", "name": _one_line(statement.location)}
    if statement.quotes:
        speakers = [{"@id": c["@id"]} for c in creators]
        data["hasPart"] = [_quote_node(q, speakers) for q in statement.quotes]
    sources = archive.sources_of(statement)
    if sources:
        data["isBasedOn"] = [_source_node(s) for s in sources]
    topics = [
        _topic_node(archive.topics[t], site_url) for t in statement.topics if t in archive.topics
    ]
    if topics:
        data["about"] = topics
    return data


def script_json(data: Any) -> Markup:
    """`data` as JSON that is safe as the text of a `<script>` element."""
    # `<`, `>` and `&` must not appear literally inside a <script> (or an HTML comment);
    # three replaces are several times faster than one str.translate with a table.
    text = _JSON.encode(data)
    return markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@functools.lru_cache(maxsize=4096)
def _author_tag(name: str) -> str:
    return f'<meta name="citation_author" content="{_escape(_one_line(name))}">\n'


@functools.lru_cache(maxsize=16)
def _escaped_site(site_name: str) -> str:
    return _escape(_one_line(site_name))


def statement_meta(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str
) -> PageMeta:
    """The `<head>` metadata of a statement's page: Highwire, Open Graph, the Twitter card
    type and JSON-LD, all from the same record, every value escaped."""
    # Each value is escaped once and written into the page's one shape of <head>.
    title = _escape(_one_line(statement.title))
    summary = markup(_escape(_one_line(statement.summary)))
    link = _escape(permalink(site_url, statement.id))
    site = _escaped_site(site_name)
    day = statement.date
    authors = "".join(
        [
            _author_tag(archive.actors[a].name if a in archive.actors else a)
            for a in statement.actors
        ]
    )
    data = script_json(json_ld(statement, archive, site_url, site_name))
    head = (
        # Highwire's tags, as Google Scholar's inclusion guidelines name them; Zotero reads
        # them first. No `citation_abstract` (optional there): Zotero's Embedded Metadata
        # translator takes the abstract from the page's `description` when it is missing,
        # and the JSON-LD has it as `abstract`. No Dublin Core `DC.*`: Zotero and Scholar
        # read these same facts from the `citation_*` tags.
        f'<meta name="citation_title" content="{title}">\n{authors}'
        # Highwire's date form (Google Scholar's guidelines); Zotero reads it too.
        f'<meta name="citation_publication_date" content="{day.strftime("%Y/%m/%d")}">\n'
        f'<meta name="citation_publisher" content="{site}">\n'
        f'<meta name="citation_public_url" content="{link}">\n'
        # No og:description: it would repeat `<meta name="description">`, the whole summary,
        # which link previews read in its place. Facebook's crawler infers a missing
        # og:description from the page's other tags (its Sharing Debugger: "Inferred
        # Property: The 'og:description' property should be explicitly provided, even if a
        # value can be inferred from other tags"; https://developers.facebook.com/docs/
        # sharing/webmasters); previewers that model each platform's fallbacks give Facebook
        # and LinkedIn the chain og:description, then the page's description; Slack's
        # unfurler reads oEmbed, Twitter Card and Open Graph tags, then HTML meta tags
        # (Slack Platform Blog, "Everything you ever wanted to know about unfurling", 2015).
        # X does not fall back to it: its card's description is twitter:description, else
        # og:description (X's "Cards markup" reference, https://developer.x.com/cards/markup),
        # so an X card shows the title without the summary; X has shown neither under
        # shared links since October 2023.
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:site_name" content="{site}">\n'
        f'<meta property="og:url" content="{link}">\n'
        f'<meta property="article:published_time" content="{day.isoformat()}">\n'
        # Only the card's type: X reads the card's title from og:title when twitter:title
        # is absent (the same reference, its OpenGraph fallbacks).
        '<meta name="twitter:card" content="summary">\n'
        f'<script type="application/ld+json">{data}</script>'
    )
    embed = embed_snippet(statement, archive, site_url, site_name)
    return PageMeta(summary, markup(head), embed)


__all__ = ["ACTOR_TYPES", "PageMeta", "actor_node", "json_ld", "script_json", "statement_meta"]
