"""Lean HTML documents for Pagefind: one per statement, actor, topic and briefing.

Pagefind indexes HTML, and indexing the real pages (menus, listings, citations) costs far
more than needed, so this module writes one small document per statement, actor, topic and
briefing holding only the text worth finding, at the same relative path as the real page:
the result URLs Pagefind stores are then the real permalinks.

Pure: no I/O, no MkDocs. `generator/search/shards.py` groups these documents into shards and
`generator/search/indexer.py` writes them and runs the indexer.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import escape

from generator.pages import urls
from generator.records.kinds import actor_label, statement_label
from generator.records.model import Actor, Archive, Briefing, Statement, Topic
from generator.search.folding import plain_spellings


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
        # adds one entry per page to the metadata every query downloads. The value is ours
        # (an ISO date), not record text.
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
    # uses that filter, so a filter earns its place or is left out (e.g. statement/actor/topic).
    # The search page lists the values from filters.json (`shards.filter_values`), never
    # from Pagefind's filter data.
    # The element form (value = the element's text): the inline form `name:value` would
    # split a value at commas, and record text may hold any character.
    return f'<span data-pagefind-filter="{name}">{_e(value)}</span>'


def _actor_line(actor: Actor) -> str:
    """The actor's name as a filter value, then in every other recorded script and spelling.

    `Li Wei (李伟, Ли Вэй)`: each name is indexed, so a reader finds the actor in any script;
    `Jürgen Weiß (Jurgen Weiss, Juergen Weiss)`: and typed without its diacritics.
    """
    names = [actor.name, *(n.name for n in actor.names if n.name != actor.name)]
    others = [*names[1:], *(plain for name in names for plain in plain_spellings(name))]
    others = list(dict.fromkeys(o for o in others if o != actor.name))
    rest = f" ({', '.join(_e(name) for name in others)})" if others else ""
    return f"<p>{_filter('actor', actor.name)}{rest}</p>"


def statement_document(statement: Statement, archive: Archive) -> str:
    """The lean document of one statement: what a reader might search it by."""
    actors = [archive.actors[a] for a in statement.actors if a in archive.actors]
    topics = [archive.topics[t] for t in statement.topics if t in archive.topics]
    kind = statement_label(statement.kind)
    body = [
        f"<p>{_filter('kind', kind)} · "
        f'<time data-pagefind-filter="year:{statement.date.year:04d}">'
        f"{_e(urls.format_date(statement.date))}</time></p>",
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
        f"<p>{_e(actor_label(actor.kind))}</p>",
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
        f"{_e(urls.format_date(briefing.published))}</time></p>",
    ]
    body += [f"<p>{_e(text)}</p>" for text in (briefing.notes, briefing.text) if text]
    return _document(briefing.title, body, date=briefing.published.isoformat())


def _path(url: str) -> str:
    return url + "index.html"


def record_documents(
    archive: Archive,
    statements: Iterable[str],
    briefings: Iterable[str] = (),
    pages: bool = False,
) -> dict[str, str]:
    """The lean documents of these statements and briefings (ids), and with `pages` of every
    actor and topic, by site-relative path (`statements/<id>/index.html`), sorted."""
    docs: dict[str, str] = {}
    for sid in statements:
        statement = archive.statements[sid]
        docs[_path(urls.statement_url(sid))] = statement_document(statement, archive)
    for bid in briefings:
        docs[_path(urls.briefing_url(bid))] = briefing_document(archive.briefings[bid])
    if pages:
        for actor in archive.actors.values():
            docs[_path(urls.actor_url(actor.id))] = actor_document(actor, archive)
        for topic in archive.topics.values():
            docs[_path(urls.topic_url(topic.id))] = topic_document(topic)
    return dict(sorted(docs.items()))


def lean_documents(archive: Archive) -> dict[str, str]:
    """Every lean document by site-relative path (`statements/<id>/index.html`), sorted."""
    return record_documents(archive, archive.statements, archive.briefings, pages=True)


__all__ = [
    "actor_document",
    "briefing_document",
    "lean_documents",
    "record_documents",
    "statement_document",
    "topic_document",
]
