"""The copy-to-embed snippet: a statement's quote as a `<blockquote cite=…>` for other sites."""

from __future__ import annotations

import dataclasses
import html

import lxml.html
from _site_support import GOLDEN_OPTIONS

from generator.outputs.embed import embed_snippet
from generator.pages.pipeline import generate
from generator.records.model import Archive

SITE = "https://example.test/archive/"
HOSTILE = "anna-petrova-tariff-remarks-2024-03-03"


def test_the_snippet_quotes_verbatim_and_credits_the_speakers_and_the_archive(
    archive: Archive,
) -> None:
    statement = archive.statements[HOSTILE]
    snippet = embed_snippet(statement, archive, SITE, "Briefing Archive")
    quote = lxml.html.fragment_fromstring(snippet)
    link = f"{SITE}statements/{HOSTILE}/"
    assert quote.tag == "blockquote"
    assert quote.get("cite") == link and quote.get("lang") == "en"
    # The hostile quote stays text in the pasted HTML: no element but the snippet's own.
    assert [e.tag for e in quote.iter()] == ["blockquote", "p", "footer", "a"]
    assert quote.find("p").text == statement.quotes[0].text
    footer = quote.find("footer")
    assert footer.text_content() == "— Anna Petrova, Li Wei, 3 March 2024 (Briefing Archive)"
    assert footer.find("a").get("href") == link


def test_a_statement_without_quotes_offers_no_snippet(archive: Archive) -> None:
    statement = dataclasses.replace(archive.statements[HOSTILE], quotes=())
    assert embed_snippet(statement, archive, SITE, "Briefing Archive") == ""
    bare = dataclasses.replace(archive, statements={HOSTILE: statement})
    page = generate(bare, GOLDEN_OPTIONS)[f"statements/{HOSTILE}/index.md"]
    assert "cite-embed" not in page


def test_the_page_offers_the_snippet_with_the_citations(archive: Archive) -> None:
    page = generate(archive, GOLDEN_OPTIONS)[f"statements/{HOSTILE}/index.md"]
    block = '<pre class="ba-citation-embed" id="cite-embed-code"><code>'
    shown = page.split(block, 1)[1].split("</code></pre>")[0]
    # Shown as text in a code block (the copy button copies it), inside the citation block.
    snippet = embed_snippet(
        archive.statements[HOSTILE], archive, GOLDEN_OPTIONS.site_url, "Briefing Archive"
    )
    assert html.unescape(shown) == snippet
    # Element text: its tags' `<` and `>` escaped, their attributes' quotes left as they are.
    assert shown.startswith('&lt;blockquote cite="') and "&#34;" not in shown
    assert page.index('id="cite"') < page.index('id="cite-embed"')
