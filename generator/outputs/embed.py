"""The copy-to-embed snippet of a statement page: its quote as HTML for another site.

A `<blockquote cite=…>` holding the statement's first verbatim quote (in its language), and a
footer that names who said it, when, and links to the statement's permalink in the archive.
Only a quote is offered: the summary is paraphrase, and a blockquote would present it as
someone's words. Every piece of record text is HTML-escaped, so the snippet is safe to paste.
"""

from __future__ import annotations

import html

from generator.outputs.citations import permalink
from generator.pages.urls import format_date
from generator.records.model import Archive, Statement


def embed_snippet(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str
) -> str:
    """The HTML to embed the statement's first quote elsewhere; "" when it has no quote."""
    if not statement.quotes:
        return ""
    quote = statement.quotes[0]
    link = html.escape(permalink(site_url, statement.id))
    names = ", ".join(
        archive.actors[a].name if a in archive.actors else a for a in statement.actors
    )
    paragraphs = [" ".join(p.split()) for p in quote.text.split("\n\n") if p.strip()]
    said = f"{' '.join(names.split())}, {format_date(statement.date)}"
    if quote.translated_by:
        said += f", translated by {' '.join(quote.translated_by.split())}"
    lines = [f'<blockquote cite="{link}" lang="{html.escape(quote.lang)}">']
    lines += [f"  <p>{html.escape(p, quote=False)}</p>" for p in paragraphs]
    site = html.escape(" ".join(site_name.split()), quote=False)
    lines.append(
        f'  <footer>— {html.escape(said, quote=False)} (<a href="{link}">{site}</a>)</footer>'
    )
    lines.append("</blockquote>")
    return "\n".join(lines)


__all__ = ["embed_snippet"]
