"""What Zotero, link previews and structured-data tools find on a statement page.

The mini fixture is built for real, with two changes made here: an actor gets a Wikidata id,
and the hostile statement's summary tries to close the JSON-LD script and the comment the
metadata travels in. The pages are read with extruct (JSON-LD, Open Graph) and lxml (the
Highwire `citation_*` tags, which extruct does not extract).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import extruct
import pytest
from _site_support import HOSTILE_ID, make_project
from lxml import html

from generator.mkdocs.run import run_build

SITE_URL = "https://example.github.io/briefing-archive/"
RIVER = "li-wei-river-treaty-interview-2023-11-02"
HOSTILE_LINE = '</script><script>alert("ld")</script> --> <!-- "quoted" & done'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    config = make_project(root)
    assert SITE_URL in config.read_text(encoding="utf-8")
    anna = root / "content" / "actors" / "anna-petrova.yml"
    anna.write_text(anna.read_text(encoding="utf-8") + "  wikidata: Q4115189\n", "utf-8")
    (hostile,) = (root / "content" / "statements").rglob(f"{HOSTILE_ID}.yml")
    text = hostile.read_text(encoding="utf-8")
    marker = "  {% raw %}{{ config }}{% endraw %} <b>bold</b> &amp;\n"
    assert marker in text
    hostile.write_text(text.replace(marker, marker + f"  {HOSTILE_LINE}\n"), "utf-8")
    out = root / "site"
    assert run_build(config, out) == 0
    return out


def _page(site: Path, statement_id: str) -> tuple[str, dict[str, Any], html.HtmlElement]:
    url = f"{SITE_URL}statements/{statement_id}/"
    text = (site / "statements" / statement_id / "index.html").read_text(encoding="utf-8")
    data = extruct.extract(text, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)
    return url, data, html.fromstring(text)


def _meta(doc: html.HtmlElement, name: str) -> list[str]:
    return [str(v) for v in doc.xpath(f"/html/head/meta[@name='{name}']/@content")]


def test_zotero_finds_highwire_tags_for_the_statement(site: Path) -> None:
    url, _, doc = _page(site, "northland-eastland-river-protocol-2024-03-01")
    assert _meta(doc, "citation_title") == [
        "Northland and Eastland sign a protocol on the shared river"
    ]
    assert _meta(doc, "citation_author") == ["Northland", "Eastland"]
    assert _meta(doc, "citation_publication_date") == ["2024/03/01"]
    assert _meta(doc, "citation_publisher") == ["Briefing Archive"]
    assert _meta(doc, "citation_public_url") == [url]
    # One description, the statement's own, not the site's.
    (description,) = _meta(doc, "description")
    assert description == " ".join(doc.xpath("string(//p[@class='ba-summary'])").split())


def test_open_graph_says_it_for_link_previews_and_x_cards(site: Path) -> None:
    url, data, doc = _page(site, RIVER)
    title = "Li Wei calls the river treaty a model of cooperation"
    summary = "The ambassador said the river treaty could serve as an example for other neighbours."
    (graph,) = data["opengraph"]
    assert graph["@type"] == "article"
    assert graph["og:title"] == title
    assert graph["og:site_name"] == "Briefing Archive"
    assert graph["og:url"] == url
    assert graph["article:published_time"] == "2023-11-02"
    # A link preview takes the description from the page's own, the whole summary: no
    # og:description repeats it.
    assert "og:description" not in graph
    assert _meta(doc, "description") == [summary]
    # X reads the card's title from og:title.
    assert _meta(doc, "twitter:card") == ["summary"]
    assert not _meta(doc, "twitter:title") and not _meta(doc, "twitter:description")


def test_each_reader_finds_the_summary_once(site: Path) -> None:
    """The summary is in <head> for search engines, Zotero and link previews (`description`)
    and structured data (JSON-LD `abstract`): twice, not seven times."""
    _, data, doc = _page(site, RIVER)
    summary = "The ambassador said the river treaty could serve as an example for other neighbours."
    head = html.tostring(doc.head, encoding="unicode")
    assert head.count(summary) == 2
    assert _meta(doc, "description") == [summary] and data["json-ld"][0]["abstract"] == summary
    # Zotero takes the abstract from `description`; the Highwire and Dublin Core copies of the
    # same facts are gone.
    names = [str(n) for n in doc.xpath("/html/head/meta/@name")]
    assert "citation_abstract" not in names
    assert not [n for n in names if n.startswith("DC.")]
    assert not doc.xpath("/html/head/link[starts-with(@rel, 'schema.')]")


def test_json_ld_is_a_creative_work_with_its_quotes_actors_and_sources(site: Path) -> None:
    url, data, _ = _page(site, RIVER)
    (work,) = data["json-ld"]
    assert work["@context"] == "https://schema.org"
    assert work["@type"] == "CreativeWork"
    assert (work["@id"], work["url"], work["dateCreated"]) == (url, url, "2023-11-02")
    (actor,) = work["creator"]
    assert actor["@type"] == "Person"
    assert actor["name"] == "Li Wei"
    assert actor["@id"] == SITE_URL + "actors/li-wei/"
    assert "sameAs" not in actor  # no Wikidata id, no website
    (quote,) = work["hasPart"]
    assert quote["@type"] == "Quotation"
    assert quote["text"] == "The river treaty is a model of good-neighbourly cooperation."
    assert quote["spokenByCharacter"] == [{"@id": actor["@id"]}]
    assert quote["translationOfWork"]["inLanguage"] == "zh"
    (source,) = work["isBasedOn"]
    assert source["url"] == "https://example.org/eastland-radio/interview"
    assert source["publisher"] == {"@type": "Organization", "name": "Eastland Radio"}


def test_json_ld_is_written_compact(site: Path) -> None:
    _, data, doc = _page(site, RIVER)
    (ld,) = doc.xpath("//script[@type='application/ld+json']")
    # No space after a separator: what json.dumps writes with (",", ":") (the page's record
    # text has no `<`, `>` or `&`, which the script would write as \u escapes).
    assert ld.text == json.dumps(data["json-ld"][0], ensure_ascii=False, separators=(",", ":"))


def test_an_actor_with_a_wikidata_id_is_the_same_as_that_item(site: Path) -> None:
    _, data, _ = _page(site, HOSTILE_ID)
    (work,) = data["json-ld"]
    anna, li = work["creator"]
    assert anna["name"] == "Anna Petrova"
    assert anna["sameAs"] == [
        "https://www.wikidata.org/wiki/Q4115189",
        "https://example.org/petrova",
    ]
    assert "sameAs" not in li
    # States and organizations are organizations.
    _, joint, _ = _page(site, "northland-eastland-river-protocol-2024-03-01")
    assert {a["@type"] for a in joint["json-ld"][0]["creator"]} == {"GovernmentOrganization"}


def test_hostile_record_text_stays_inside_the_json_ld(site: Path) -> None:
    _, data, doc = _page(site, HOSTILE_ID)
    (work,) = data["json-ld"]
    assert HOSTILE_LINE in work["abstract"]
    assert work["name"] == 'Petrova on <script>alert("t")</script> & {{ 7*7 }} tariffs'
    # No record text became an element: the page's scripts are the theme's and the JSON-LD.
    for script in doc.iter("script"):
        assert "alert(" not in (script.text or "") or script.get("type") == "application/ld+json"
    (ld,) = doc.xpath("//script[@type='application/ld+json']")
    assert json.loads(ld.text) == work
    # The summary's text is in the page's description, escaped, and nowhere in <head> raw.
    raw = (site / "statements" / HOSTILE_ID / "index.html").read_text(encoding="utf-8")
    head = raw[: raw.index("</head>")]
    assert HOSTILE_LINE not in head and 'alert("ld")' not in head
    assert re.search(r'<meta name="description" content="[^"]*&lt;/script&gt;', head)


def test_other_pages_keep_the_site_description_and_carry_no_json_ld(site: Path) -> None:
    text = (site / "actors" / "li-wei" / "index.html").read_text(encoding="utf-8")
    doc = html.fromstring(text)
    assert _meta(doc, "description") == [
        "An archive of public statements with verbatim quotes, paraphrase and sources."
    ]
    assert not doc.xpath("//script[@type='application/ld+json']")
    assert not _meta(doc, "citation_title")
