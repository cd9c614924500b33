"""Citations: plain text, BibTeX (parsed back by a small brace-aware reader) and CSL-JSON, and
how a statement page shows them: as text in code blocks, whatever the record says.

The checks over every statement of an archive run on the mini fixture archive here and on the
bundled archive in tests/test_bundled_archive_reuse.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import lxml.html
import pytest
from _site_support import GOLDEN_OPTIONS, HOSTILE_ID
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.outputs import citations
from generator.outputs.embed import embed_snippet
from generator.pages.filters import element_text
from generator.pages.pipeline import generate
from generator.pages.urls import format_date
from generator.records.kinds import STATEMENT_KINDS, statement_label
from generator.records.model import Actor, Archive, Source, Statement

SITE = "https://example.org/archive/"
# Every BibTeX special, and a lone `}` that would close a field early if left raw.
NASTY = r"50% of {R&D} costs $5 #1 under_score back\slash ~tilde ^caret } end"

# CSL 1.0.2 item types (https://docs.citationstyles.org/en/stable/specification.html).
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}  # fmt: skip


def _small(title: str = NASTY, kind: str = "interview") -> tuple[Statement, Archive]:
    statement = Statement(
        id="s-1",
        date=dt.date(2024, 2, 29),
        actors=("ann", "org", "ghost"),
        title=title,
        kind=kind,
        summary="Summary.",
        path="statements/s-1.yml",
        sources=(Source("R", "P", dt.date(2024, 2, 29)),),
        venue="Forum {x}",
        location="Paris",
    )
    archive = Archive(
        actors={
            "ann": Actor("ann", "Ann Example", "person", "a.yml"),
            "org": Actor("org", NASTY, "organization", "o.yml"),
        },
        topics={},
        statements={"s-1": statement},
        briefings={},
    )
    return statement, archive


# --- Plain text ---------------------------------------------------------------------------


def text_citations_name_who_what_when_and_the_permalink(archive: Archive) -> None:
    """The text citation of every statement of `archive`."""
    assert archive.statements
    for statement in archive.statements.values():
        text = citations.citations(statement, archive, SITE).text
        link = f"{SITE}statements/{statement.id}/"
        assert text.endswith(" " + link)
        assert text.startswith(archive.actors[statement.actors[0]].name)
        assert f"“{' '.join(statement.title.split())}" in text
        assert format_date(statement.date) in text
        assert "Briefing Archive." in text
        assert not re.search(r"access|retriev|viewed", text, re.IGNORECASE)
        assert "\n" not in text


def test_text_citation_names_who_what_when_and_the_permalink(archive: Archive) -> None:
    text_citations_name_who_what_when_and_the_permalink(archive)


def test_text_citation_example(archive: Archive) -> None:
    # The form of the example (tests/test_bundled_archive_reuse.py has the example).
    statement = archive.statements["li-wei-river-treaty-interview-2023-11-02"]
    assert citations.citations(statement, archive, SITE, "My Archive").text == (
        "Li Wei. “Li Wei calls the river treaty a model of cooperation.” Interview with "
        "Eastland Radio, 2 November 2023. My Archive. "
        f"{SITE}statements/{statement.id}/"
    )


def test_text_citation_joins_authors_and_avoids_double_punctuation() -> None:
    statement, archive = _small(title="Is it over?")
    text = citations.citations(statement, archive, None).text
    assert text.startswith(f"Ann Example, {NASTY} and ghost.")  # unknown id kept, not dropped
    assert "“Is it over?” Interview, Forum {x}, Paris, 29 February 2024." in text
    assert text.endswith(" /statements/s-1/")  # no site URL: root-relative


# --- BibTeX -------------------------------------------------------------------------------


def _parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """(type, key, fields) of one entry; fails on any unbalanced or stray brace."""
    match = re.fullmatch(r"@(\w+)\{([^,{}\s]+),\n(.*)\}\n", text, re.DOTALL)
    assert match, text
    kind, key, body = match.groups()
    fields: dict[str, str] = {}
    i = 0
    while i < len(body):
        m = re.compile(r"\s*(\w+) = ").match(body, i)
        assert m, body[i:]
        name, i = m.group(1), m.end()
        if body[i] == "{":
            depth, j = 0, i
            while True:
                if body[j] == "\\":
                    j += 2  # an escaped character never opens or closes a group
                    continue
                depth += {"{": 1, "}": -1}.get(body[j], 0)
                if depth == 0:
                    break
                j += 1
            fields[name], i = body[i + 1 : j], j + 1
        else:
            m = re.compile(r"\w+").match(body, i)
            assert m
            fields[name], i = m.group(0), m.end()
        assert body[i : i + 2] in (",\n", "\n") or i == len(body), body[i:]
        i += 2 if body[i : i + 1] == "," else 1
    return kind, key, fields


_UNESCAPE = {v: k for k, v in citations._BIBTEX_SPECIALS.items()}


def _unescape(value: str) -> str:
    pattern = "|".join(re.escape(v) for v in sorted(_UNESCAPE, key=len, reverse=True))
    return re.sub(pattern, lambda m: _UNESCAPE[m.group(0)], value)


@pytest.mark.parametrize(
    ("kind", "venue", "said"),
    [
        (
            "press-conference",
            "press conference after the talks",
            "Press conference after the talks",
        ),
        ("interview", "conversation with RIA Novosti", "Interview, conversation with RIA Novosti"),
        ("speech", "Speech to parliament", "Speech to parliament"),
        ("statement", None, "Statement"),
    ],
)
def test_citations_say_the_kind_once_when_the_venue_starts_with_it(
    kind: str, venue: str | None, said: str
) -> None:
    small, archive = _small(title="T", kind=kind)
    statement = dataclasses.replace(small, venue=venue, location=None)
    archive = dataclasses.replace(archive, statements={statement.id: statement})
    cited = citations.citations(statement, archive, SITE)
    assert f"“T.” {said}, 29 February 2024." in cited.text
    assert f"howpublished = {{{said}}}," in cited.bibtex


def test_bibtex_is_balanced_and_round_trips_hostile_text() -> None:
    statement, archive = _small()
    kind, key, fields = _parse_bibtex(citations.citations(statement, archive, SITE).bibtex)
    assert (kind, key) == ("misc", "s-1")
    assert fields["title"].startswith("{") and fields["title"].endswith("}")
    assert _unescape(fields["title"][1:-1]) == NASTY
    # Nothing special is left raw: each one is escaped by a backslash or is an escape's `{}`.
    raw = re.sub(r"\\text\w+\{\}|\\.", "", fields["title"][1:-1])
    assert not set(raw) & set("{}%&$#_\\~^"), raw
    authors = fields["author"].split(" and ")
    assert [_unescape(a[1:-1]) for a in authors] == ["Ann Example", NASTY, "ghost"]
    assert _unescape(fields["howpublished"]) == "Interview, Forum {x}, Paris"
    assert fields["date"] == "2024-02-29"
    assert (fields["year"], fields["month"]) == ("2024", "feb")
    assert fields["url"] == f"{SITE}statements/s-1/"
    assert "urldate" not in fields


def bibtex_of_every_statement_parses(archive: Archive) -> None:
    """The BibTeX entry of every statement of `archive`."""
    assert archive.statements
    for statement in archive.statements.values():
        text = citations.citations(statement, archive, SITE).bibtex
        assert text == citations.citations(statement, archive, SITE).bibtex
        _kind, key, fields = _parse_bibtex(text)
        assert key == statement.id
        assert fields["url"] == f"{SITE}statements/{statement.id}/"
        assert fields["date"] == statement.date.isoformat()


def test_bibtex_of_every_statement_parses(archive: Archive) -> None:
    bibtex_of_every_statement_parses(archive)


# --- CSL-JSON ----------------------------------------------------------------------------


def _check_csl_item(item: dict[str, Any]) -> None:
    """The parts of the CSL-JSON schema the archive uses."""
    assert isinstance(item["id"], str) and item["id"]
    assert item["type"] in CSL_TYPES
    assert isinstance(item["title"], str) and item["title"]
    assert item["author"] and all(
        set(a) == {"literal"} and isinstance(a["literal"], str) for a in item["author"]
    )
    parts = item["issued"]["date-parts"]
    assert len(parts) == 1 and len(parts[0]) == 3
    assert all(isinstance(p, int) for p in parts[0])
    assert item["URL"].startswith(("https://", "http://", "/"))
    for key, value in item.items():
        if key not in ("author", "issued"):
            assert isinstance(value, str), key


def csl_json_items_describe_the_statement(archive: Archive) -> None:
    """The CSL-JSON item of every statement of `archive`."""
    assert archive.statements
    for statement in archive.statements.values():
        text = citations.citations(statement, archive, SITE).csl_json
        assert text == citations.citations(statement, archive, SITE).csl_json
        (item,) = json.loads(text)
        _check_csl_item(item)
        assert item["id"] == statement.id
        assert item["title"] == " ".join(statement.title.split())
        assert [a["literal"] for a in item["author"]] == [
            archive.actors[a].name for a in statement.actors
        ]
        d = statement.date
        assert item["issued"] == {"date-parts": [[d.year, d.month, d.day]]}
        assert item["URL"] == f"{SITE}statements/{statement.id}/"
        assert item["container-title"] == "Briefing Archive"
        assert "accessed" not in item


def test_csl_json_items_describe_the_statement(archive: Archive) -> None:
    csl_json_items_describe_the_statement(archive)
    interview = archive.statements["li-wei-river-treaty-interview-2023-11-02"]
    assert (
        json.loads(citations.citations(interview, archive, SITE).csl_json)[0]["type"] == "interview"
    )


@pytest.mark.parametrize("kind", list(STATEMENT_KINDS))
def test_every_statement_kind_maps_to_a_csl_type(kind: str) -> None:
    statement, archive = _small(kind=kind)
    item = json.loads(citations.citations(statement, archive, SITE, "Site").csl_json)[0]
    _check_csl_item(item)
    assert item["genre"] == STATEMENT_KINDS[kind].label
    assert item["type"] == STATEMENT_KINDS[kind].csl_type
    assert item["container-title"] == "Site"
    assert (item["event-title"], item["event-place"]) == ("Forum {x}", "Paris")


# --- The fast writers against the slow, obvious ones ----------------------------------------

# Any text, including what JSON, TeX and YAML escape: quotes, backslashes, braces, control
# characters, line breaks, astral-plane characters.
_ANY = st.text(alphabet=st.characters(codec="utf-8"), max_size=16)


@st.composite
def _statements(draw: st.DrawFn) -> tuple[Statement, Archive]:
    names = draw(st.lists(_ANY, max_size=3))
    actors = {f"a{i}": Actor(f"a{i}", name, "person", f"a{i}.yml") for i, name in enumerate(names)}
    statement = Statement(
        id=draw(st.sampled_from(["s-1", "S_2.x", "ж"])),
        date=draw(st.dates()),
        # An id with no record (the validator reports it) is cited by its id.
        actors=(*actors, *draw(st.lists(st.sampled_from(["ghost", "a0"]), max_size=2))),
        title=draw(_ANY),
        kind=draw(st.sampled_from([*STATEMENT_KINDS, "unknown-kind"])),
        summary="Summary.",
        path="statements/s.yml",
        venue=draw(st.none() | _ANY),
        location=draw(st.none() | _ANY),
    )
    archive = Archive(actors=actors, topics={}, statements={statement.id: statement}, briefings={})
    return statement, archive


_SITES = st.sampled_from([None, SITE, "https://例え.jp/a b/{x}%/", 'http://h/"q"<>\\^`|'])


def _csl_item(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str
) -> dict[str, Any]:
    """The CSL-JSON item of a statement, written out plainly: what the page's must hold."""
    day = statement.date
    names = [archive.actors[a].name if a in archive.actors else a for a in statement.actors]
    item: dict[str, Any] = {
        "id": statement.id,
        "type": STATEMENT_KINDS[statement.kind].csl_type
        if statement.kind in STATEMENT_KINDS
        else "document",
        "genre": statement_label(statement.kind),
        "title": " ".join(statement.title.split()),
        "author": [{"literal": " ".join(name.split())} for name in names],
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "URL": citations.permalink(site_url, statement.id),
        "container-title": site_name,
    }
    if statement.venue:
        item["event-title"] = " ".join(statement.venue.split())
    if statement.location:
        item["event-place"] = " ".join(statement.location.split())
    return item


def _csl_document(item: dict[str, Any]) -> str:
    """The page's CSL-JSON layout, defined plainly: an array of the one item, one field to a
    line, keys sorted, each value as compact JSON."""
    fields = [
        json.dumps(key) + ":" + json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        for key, value in sorted(item.items())
    ]
    return "[{" + ",\n".join(fields) + "}]\n"


def test_csl_json_is_one_field_to_a_line() -> None:
    statement, archive = _small(title='Say "yes"')
    assert citations.citations(statement, archive, SITE, "Site").csl_json == (
        f'[{{"URL":"{SITE}statements/s-1/",\n'
        f'"author":[{{"literal":"Ann Example"}},{{"literal":{json.dumps(NASTY)}}},'
        '{"literal":"ghost"}],\n'
        '"container-title":"Site",\n'
        '"event-place":"Paris",\n'
        '"event-title":"Forum {x}",\n'
        '"genre":"Interview",\n'
        '"id":"s-1",\n'
        '"issued":{"date-parts":[[2024,2,29]]},\n'
        '"title":"Say \\"yes\\"",\n'
        '"type":"interview"}]\n'
    )


@settings(max_examples=300, deadline=None)
@given(_statements(), _SITES, _ANY)
def test_csl_json_is_the_item_one_field_to_a_line(
    drawn: tuple[Statement, Archive], site_url: str | None, site_name: str
) -> None:
    """The hand-written CSL-JSON writer gives exactly the plain definition's bytes, which any
    JSON reader (citeproc, Pandoc, Zotero) reads back as the item."""
    statement, archive = drawn
    item = _csl_item(statement, archive, site_url, site_name)
    text = citations.citations(statement, archive, site_url, site_name).csl_json
    assert text == _csl_document(item)
    assert json.loads(text) == [item]


def _bibtex_escape_by_regex(text: str) -> str:
    pattern = "|".join(re.escape(ch) for ch in citations._BIBTEX_SPECIALS)
    return re.sub(pattern, lambda m: citations._BIBTEX_SPECIALS[m.group(0)], " ".join(text.split()))


@given(st.text(alphabet=st.sampled_from([*citations._BIBTEX_SPECIALS, "a", " ", "\n", "é"])) | _ANY)
def test_bibtex_escape_is_one_regex_pass(text: str) -> None:
    assert citations.bibtex_escape(text) == _bibtex_escape_by_regex(text)


# URLs of characters quote() keeps, with at most one it encodes somewhere among them.
_KEPT = st.text(alphabet=st.sampled_from("aZ09:/?#[]@!$&'()*+,;=%-._~"), max_size=8)
_URLS = st.tuples(_KEPT, st.sampled_from([*' "<>\\^`{|}\n\x7fé例', ""]), _KEPT).map("".join)


@given(_URLS | _ANY)
def test_bibtex_url_skips_quote_only_when_quote_changes_nothing(url: str) -> None:
    assert citations._bibtex_url(url) == quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")


# --- On the page: text in code blocks -------------------------------------------------------


class _Reader(HTMLParser):
    """What an HTML parser makes of a fragment: its start tags and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append("/" + tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append("<!--")


# Pieces of markup, character references (`&lt` needs no `;` to be one) and quotes, in any order.
_MARKUP = st.lists(
    st.sampled_from(["</code>", "</pre>", "<!--", "&", "&amp;", "&lt", "&#34;", '"', "'", "<", "a"])
).map("".join)


@given(_ANY | _MARKUP)
def test_code_block_text_reads_back_as_it_was(text: str) -> None:
    reader = _Reader()
    reader.feed(f"<pre><code>{element_text(text)}</code></pre>")
    reader.close()
    assert reader.tags == ["pre", "code", "/code", "/pre"]
    assert "".join(reader.text) == text
    assert set(element_text(text)) & {'"', "'"} == set(text) & {'"', "'"}  # quotes as they are


HOSTILE_TEXT = '</code></pre><script>alert("x")</script> & &amp; "quoted"'


def test_hostile_record_text_in_the_citation_blocks_stays_text(archive: Archive) -> None:
    original = archive.statements[HOSTILE_ID]
    quote_ = dataclasses.replace(original.quotes[0], text=HOSTILE_TEXT)
    statement = dataclasses.replace(
        original, title=HOSTILE_TEXT, summary=HOSTILE_TEXT, quotes=(quote_,)
    )
    hostile = dataclasses.replace(archive, statements={HOSTILE_ID: statement})
    page = generate(hostile, GOLDEN_OPTIONS)[f"statements/{HOSTILE_ID}/index.md"]
    body = lxml.html.fragment_fromstring(page.split("\nba-head-->\n", 1)[1])
    assert not body.xpath("//script")
    cited = citations.citations(hostile.statements[HOSTILE_ID], hostile, GOLDEN_OPTIONS.site_url)
    snippet = embed_snippet(statement, hostile, GOLDEN_OPTIONS.site_url, "Briefing Archive")
    shown = {"text": cited.text, "bibtex": cited.bibtex, "csl": cited.csl_json, "embed": snippet}
    for name, text in shown.items():
        (pre,) = body.xpath(f"//pre[@id='cite-{name}-code']")
        (code,) = pre  # one element inside, and none inside that
        assert code.tag == "code" and len(code) == 0 and not pre.text and not code.tail
        assert code.text == text, name
    assert HOSTILE_TEXT in cited.text and "&#34;" not in page.split('<div class="ba-cite"')[1]
