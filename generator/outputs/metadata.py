"""What reference managers and link previews read from a statement page's `<head>`.

Zotero (and Google Scholar, Mendeley...) read Highwire `citation_*` tags; chat apps and
social sites read Open Graph tags, and X/Twitter the `twitter:card` beside them; search
engines and structured-data tools read JSON-LD. All of them say the same few facts: the
statement's title, who made it, when, the summary, the archive that publishes it and its
permalink. Each fact is written once per reader, not once per vocabulary: a statement page
is one of many thousands, and every repeated summary is paid for on each of them.

Pure: no I/O, no MkDocs. Tag values are plain text for the template to escape. The JSON-LD
is returned ready to sit inside `<script type="application/ld+json">`: `<`, `>` and `&`
are written as JSON `\\u` escapes, so no record text can close the script (or the HTML
comment that carries it to the page shell, see mkdocs/shells.py).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markupsafe
from markupsafe import Markup, escape

from generator.outputs.citations import absolute, permalink
from generator.outputs.embed import embed_snippet
from generator.pages.urls import actor_url, topic_url, wikidata_url
from generator.records.kinds import statement_label
from generator.records.model import Actor, Archive, Quote, Source, Statement

# markupsafe's escaper of plain text, without the Markup it wraps the result in (as
# pages/filters.py's escape_text); a markupsafe without it gets the same text via `escape`.
_escape: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (
    lambda text: str(escape(text))
)

# json.dumps(data, ensure_ascii=False, separators=(",", ":")), without making an encoder per
# page: compact (nobody reads the script but programs), and the C encoder, as no `indent`.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

#: The schema.org type of each actor kind. A state speaks through its government.
ACTOR_TYPES: dict[str, str] = {
    "person": "Person",
    "organization": "Organization",
    "state": "GovernmentOrganization",
}


@dataclass(frozen=True, slots=True)
class PageMeta:
    """A statement page's metadata for its `<head>`."""

    description: str  # plain text: the summary on one line
    tags: tuple[tuple[str, str, str], ...]  # (attribute, its value, content), plain text
    json_ld: Markup  # safe inside <script type="application/ld+json">
    embed: str = ""  # the quote as HTML to embed elsewhere (embed.py), as text to show

    @property
    def head(self) -> Markup:
        """The tags and the JSON-LD script as HTML, one per line, every value escaped."""
        escaped: dict[str, str] = {}  # the title, site name and permalink come twice each
        lines: list[str] = []
        for attribute, key, value in self.tags:
            text = escaped.get(value)
            if text is None:
                text = escaped[value] = _escape(value)
            lines.append(f'<meta {attribute}="{key}" content="{text}">')
        lines.append(f'<script type="application/ld+json">{self.json_ld}</script>')
        return Markup("\n".join(lines))


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


def json_ld(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str
) -> dict[str, Any]:
    """The statement as a schema.org CreativeWork: its actors as `creator`, its quotes as
    `Quotation`s they spoke, its sources as what it `isBasedOn`."""
    actors = [archive.actors[a] for a in statement.actors if a in archive.actors]
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
        "creator": [actor_node(a, site_url) for a in actors],
        "publisher": {"@type": "Organization", "name": _one_line(site_name)},
    }
    if site_url:
        data["publisher"]["url"] = site_url
    if statement.location:
        data["locationCreated"] = {"@type": "Place", "name": _one_line(statement.location)}
    speakers = [{"@id": absolute(site_url, actor_url(a.id))} for a in actors]
    if statement.quotes:
        data["hasPart"] = [_quote_node(q, speakers) for q in statement.quotes]
    sources = archive.sources_of(statement)
    if sources:
        data["isBasedOn"] = [_source_node(s) for s in sources]
    topics = [archive.topics[t] for t in statement.topics if t in archive.topics]
    if topics:
        data["about"] = [
            {
                "@type": "Thing",
                "name": _one_line(t.title),
                "url": absolute(site_url, topic_url(t.id)),
            }
            for t in topics
        ]
    return data


def script_json(data: Any) -> Markup:
    """`data` as JSON that is safe as the text of a `<script>` element."""
    # `<`, `>` and `&` must not appear literally inside a <script> (or an HTML comment);
    # three replaces are several times faster than one str.translate with a table.
    text = _JSON.encode(data)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def statement_meta(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str
) -> PageMeta:
    """The `<head>` metadata of a statement's page: Highwire, Open Graph, the Twitter card
    type and JSON-LD, all from the same record."""
    title = _one_line(statement.title)
    summary = _one_line(statement.summary)
    link = permalink(site_url, statement.id)
    day = statement.date
    site = _one_line(site_name)
    names = [
        _one_line(archive.actors[a].name) if a in archive.actors else a for a in statement.actors
    ]
    # Highwire's tags, as Google Scholar's inclusion guidelines name them; Zotero reads them
    # first. No `citation_abstract` (optional there): Zotero's Embedded Metadata translator
    # takes the abstract from the page's `description` when it is missing, and the JSON-LD
    # has it as `abstract`. No Dublin Core `DC.*`: Zotero and Scholar read these same facts
    # from the `citation_*` tags.
    tags: list[tuple[str, str, str]] = [("name", "citation_title", title)]
    tags += [("name", "citation_author", name) for name in names]
    tags += [
        # Highwire's date form (Google Scholar's guidelines); Zotero reads it too.
        ("name", "citation_publication_date", day.strftime("%Y/%m/%d")),
        ("name", "citation_publisher", site),
        ("name", "citation_public_url", link),
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", summary),
        ("property", "og:site_name", site),
        ("property", "og:url", link),
        ("property", "article:published_time", day.isoformat()),
        # Only the card's type: X reads a card's title and description from og:title and
        # og:description when twitter:title and twitter:description are absent (X's "Cards
        # markup" reference, https://developer.x.com/cards/markup, its OpenGraph fallbacks).
        ("name", "twitter:card", "summary"),
    ]
    data = json_ld(statement, archive, site_url, site_name)
    embed = embed_snippet(statement, archive, site_url, site_name)
    return PageMeta(summary, tuple(tags), script_json(data), embed)


__all__ = ["ACTOR_TYPES", "PageMeta", "actor_node", "json_ld", "script_json", "statement_meta"]
