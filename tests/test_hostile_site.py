"""Issue 4, nothing leaks: hostile records through a real build, random text through render.

The first half writes an archive whose every displayed text field (and every URL, as far as
the validator lets it) carries markup, Markdown, Jinja and front-matter payloads, builds the
site with the real `briefing build` into tmp, and scans EVERY file of the build: no element,
attribute, script or link may come from a record, and each payload must still be shown,
literally, as text. The second half feeds random text (control characters included, which
the validator would refuse) straight to `render.generate` and converts every page with the
Markdown extensions of mkdocs.yml.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import markdown
import pytest
import yaml
from _site_support import REPO
from conftest import BASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html
from markupsafe import escape

from generator.cli import main
from generator.mkdocs import shells
from generator.outputs import charts
from generator.outputs.parts import page_parts
from generator.pages import options, pipeline, render
from generator.records.model import (
    Actor,
    Archive,
    Briefing,
    Links,
    Name,
    Quote,
    Role,
    Source,
    Statement,
    Topic,
)

# --- the hostile archive -----------------------------------------------------------------------
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "{onclick=alert(1)}",
    '{: onclick="alert(1)" }',
    "{{ 7*7 }}",
    "{% raw %}",
    "]]>",
    "&lt;script&gt;",
    "<!-- comment",
)
LINE = " ".join(PAYLOADS)


def one_line(tag: str) -> str:
    """A one-line field: a Markdown heading at its start, every payload after the tag."""
    return f"# Heading {tag} {LINE}"


def short_line(tag: str) -> str:
    """For fields limited to 200 characters (a topic's title)."""
    return f"# Heading {tag} {PAYLOADS[0]} {PAYLOADS[1]} {{{{ 7*7 }}}} &lt;script&gt; <!-- comment"


def block(tag: str) -> str:
    """A multi-line field: a heading line, front matter, blank lines, an attribute list."""
    return (
        f"# Heading {tag}\n\n{LINE}\nline\n---\ntitle: pwned\n\n"
        '<div>\n\n*emphasis* {: onclick="alert(1)" }\n\n</div>\n<!-- comment'
    )


# Validator-legal URLs (absolute http(s) with a host, no whitespace) that try to break out.
URLS = (
    'https://example.org/"><script>alert(1)</script>',
    "https://example.org/?q=<img/src=x/onerror=alert(1)>",
    "https://example.org/'onmouseover='alert(1)'",
    "https://example.org/javascript:alert(1)",
)

STATEMENT_ID = "hostile-statement-2024-05-01"
OTHER_ID = "second-statement-2024-05-02"
ACTOR_ID = "hostile-actor"
STATE_ID = "hostile-state"
TOPIC_ID = "hostile-topic"
BRIEFING_ID = "hostile-briefing-2024-05-03"


def _record(fields: dict[str, object]) -> str:
    # safe_dump quotes whatever YAML 1.1 would read as something else; dates go unquoted.
    text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10**6)
    return re.sub(r"'(\d{4}-\d{2}-\d{2})'$", r"\1", text, flags=re.MULTILINE)


def hostile_records() -> dict[str, str]:
    """content/-relative path -> YAML text. Every field tag is unique: `F-<field>`."""
    actor = {
        "id": ACTOR_ID,
        "name": one_line("F-actor-name"),
        "kind": "person",
        "names": [{"name": one_line("F-actor-names"), "lang": "ru"}],
        "country": STATE_ID,
        "roles": [
            {
                "title": one_line("F-role-title"),
                "organization": one_line("F-role-org"),
                "from": "2020",
            }
        ],
        "description": block("F-actor-description"),
        "links": {"website": URLS[0]},
    }
    state = {"id": STATE_ID, "name": one_line("F-state-name"), "kind": "state"}
    topic = {
        "id": TOPIC_ID,
        "title": short_line("F-topic-title"),
        "description": block("F-topic-description"),
    }
    briefing = {
        "id": BRIEFING_ID,
        "title": one_line("F-briefing-title"),
        "publisher": one_line("F-publisher"),
        "published": "2024-05-03",
        "url": URLS[1],
        "archived_url": URLS[2],
        "language": "en",
        # The quote is in it: `briefing validate` checks quotes against the briefing's text.
        "text": block("F-briefing-text") + "\n\n" + block("F-quote-text"),
        "notes": block("F-briefing-notes"),
    }
    statement = {
        "id": STATEMENT_ID,
        "date": "2024-05-01",
        "date_note": block("F-date-note"),
        "actors": [ACTOR_ID],
        "title": one_line("F-title"),
        "kind": "interview",
        "venue": one_line("F-venue"),
        "location": one_line("F-location"),
        "summary": block("F-summary"),
        "quotes": [
            {
                "text": block("F-quote-text"),
                "lang": "en",
                "original": block("F-quote-original"),
                "original_lang": "ru",
                "translated_by": one_line("F-translated-by"),
            }
        ],
        "sources": [
            {
                "title": one_line("F-source-title"),
                "publisher": one_line("F-publisher"),
                "published": "2024-05-02",
                "url": URLS[0],
                "archived_url": URLS[3],
            }
        ],
        "briefing": BRIEFING_ID,
        "briefing_order": 1,
        "topics": [TOPIC_ID],
        "mentions": [STATE_ID],
        "related": [OTHER_ID],
        "notes": block("F-notes"),
    }
    other = {
        "id": OTHER_ID,
        "date": "2024-05-02",
        "actors": [ACTOR_ID, STATE_ID],
        "title": one_line("F-other-title"),
        "kind": "joint-statement",
        "summary": one_line("F-other-summary"),
        "sources": [
            {
                "title": one_line("F-other-source"),
                "publisher": one_line("F-publisher"),
                "published": "2024-05-02",
            }
        ],
        "topics": [TOPIC_ID],
    }
    return {
        f"actors/{ACTOR_ID}.yml": _record(actor),
        f"actors/{STATE_ID}.yml": _record(state),
        f"topics/{TOPIC_ID}.yml": _record(topic),
        f"briefings/{BRIEFING_ID}.yml": _record(briefing),
        f"statements/2024/{STATEMENT_ID}.yml": _record(statement),
        f"statements/2024/{OTHER_ID}.yml": _record(other),
    }


# Every text a reader must see, literally, somewhere in the built site: field tag -> text.
def _shown() -> dict[str, str]:
    one = [
        "F-actor-name", "F-actor-names", "F-role-title", "F-role-org", "F-state-name",
        "F-topic-title", "F-briefing-title", "F-publisher", "F-title", "F-venue",
        "F-location", "F-translated-by", "F-source-title",
        "F-other-title",
    ]  # fmt: skip
    many = [
        "F-actor-description", "F-topic-description", "F-briefing-text", "F-briefing-notes",
        "F-date-note", "F-summary", "F-quote-text", "F-quote-original", "F-notes",
    ]  # fmt: skip
    shown = {tag: one_line(tag) for tag in one}
    shown["F-topic-title"] = short_line("F-topic-title")
    # Multi-line fields: every line must be there as text (paragraphs may be re-wrapped).
    for tag in many:
        for n, line in enumerate(x for x in block(tag).split("\n") if x.strip()):
            shown[f"{tag}#{n}"] = line
    return shown


def make_hostile_project(root: Path) -> Path:
    """The repository's real mkdocs.yml and docs/, with the hostile records."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for rel, text in hostile_records().items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    config = make_hostile_project(root)
    out = root / "site"
    # The validator must accept every record: these payloads are legal text.
    assert main(["validate", str(root / "content"), "--strict"]) == 0
    assert main(["build", "-f", str(config), "--site-dir", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def clean_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every <script> (src or text) of a build of a clean archive (conftest's BASE) with the
    repository's real mkdocs.yml and docs/: what the site itself puts in pages."""
    root = tmp_path_factory.mktemp("clean")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for rel, text in BASE.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert main(["build", "-f", str(root / "mkdocs.yml"), "--site-dir", str(root / "site")]) == 0
    found = set()
    for path in (root / "site").rglob("*.html"):
        for script in html.fromstring(path.read_bytes()).iter("script"):
            found.add(_script_key(script))
    return found


def _script_key(script: html.HtmlElement) -> str:
    src = script.get("src")
    if src is not None:
        return "src:" + re.sub(r"^(\.\./)+|^\./", "", src)  # the same asset from any depth
    return "text:" + re.sub(r"(\.\./)+|\./", "", script.text or "")


def _html_files(site: Path) -> Iterator[Path]:
    files = sorted(site.rglob("*.html"))
    assert len(files) > 10, "the hostile build made too few pages"
    yield from files


def _words(text: str) -> str:
    return " ".join(text.split())


JSON_LD = "application/ld+json"


def _assert_inert_json_ld(script: html.HtmlElement, where: object) -> None:
    """A statement page's JSON-LD (outputs/metadata.py) holds record text, as JSON data: in
    <head>, the whole text one JSON object, with no `<` (so no `</script>` or `<!--`) in it."""
    assert script.getparent().tag == "head", where
    assert "<" not in (script.text or ""), where
    assert isinstance(json.loads(script.text or ""), dict), where


def _visible_text(doc: html.HtmlElement) -> str:
    return _words(" ".join(doc.itertext()))


EVENT_ATTR = re.compile(r"^on", re.IGNORECASE)
BAD_SCHEME = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)


def test_hostile_records_validate_and_build(hostile_site: Path) -> None:
    assert (hostile_site / "statements" / STATEMENT_ID / "index.html").is_file()
    assert (hostile_site / "actors" / ACTOR_ID / "index.html").is_file()


def test_no_markup_from_records_in_any_page(hostile_site: Path, clean_scripts: set[str]) -> None:
    for path in _html_files(hostile_site):
        raw = path.read_text(encoding="utf-8")
        doc = html.fromstring(raw)
        where = path.relative_to(hostile_site)
        for script in doc.iter("script"):
            if script.get("type") == JSON_LD:
                _assert_inert_json_ld(script, where)
                continue
            assert "alert(" not in (script.text or ""), where
            assert _script_key(script) in clean_scripts, (where, _script_key(script))
        for el in doc.iter():
            if not isinstance(el.tag, str):  # comments, processing instructions
                if isinstance(el, etree._Comment):
                    assert "alert(" not in (el.text or ""), where
                    assert "Heading F-" not in (el.text or ""), (where, el.text)
                continue
            for name, value in el.attrib.items():
                assert not EVENT_ATTR.match(name), (where, el.tag, name, value)
                if name in ("href", "src", "action", "formaction", "srcset", "xlink:href"):
                    assert not BAD_SCHEME.match(value), (where, el.tag, name, value)
            if el.tag in ("iframe", "object", "embed", "form", "base", "style"):
                assert "alert" not in _words(el.text_content()), (where, el.tag)
            if el.tag == "img":
                assert el.get("src") != "x", where
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                # A Markdown heading would drop the "#": the text would start with "Heading".
                assert not _words(el.text_content()).startswith("Heading"), (where, el.tag)
            if el.tag == "a" and el.get("href", "").startswith("https://example.org/"):
                # The record's URL, percent-encoded where a URL may not hold it as it is.
                href = el.get("href")
                assert unquote(href) in URLS and not set(href) & set('"<> '), (where, href)
        # Nothing evaluated a template or read front matter from record text.
        text = _visible_text(doc)
        assert "pwned" not in doc.xpath("string(//title)"), where
        if "{{ 7*7 }}" not in text:
            assert " 49 " not in f" {text} ", where


def test_every_payload_is_shown_literally(hostile_site: Path) -> None:
    """Each field's text reaches the reader intact: escaped once, never twice or dropped."""
    texts = {
        path.relative_to(hostile_site).as_posix(): _visible_text(html.fromstring(path.read_bytes()))
        for path in _html_files(hostile_site)
    }
    everything = "\n".join(texts.values())
    missing = [tag for tag, literal in _shown().items() if _words(literal) not in everything]
    assert missing == []
    statement = texts[f"statements/{STATEMENT_ID}/index.html"]
    assert "{{ 7*7 }}" in statement and "&lt;script&gt;" in statement
    assert "<script>alert(1)</script>" in statement
    # Already-escaped text stays text: the reader sees "&lt;", never a decoded "<script>"
    # standing where the record said "&lt;script&gt;".
    assert "]]> &lt;script&gt; <!-- comment" in statement


def test_titles_and_header_hold_the_payload_as_text(hostile_site: Path) -> None:
    pages = {
        f"statements/{STATEMENT_ID}": one_line("F-title"),
        f"actors/{ACTOR_ID}": one_line("F-actor-name"),
        f"topics/{TOPIC_ID}": short_line("F-topic-title"),
        f"briefings/{BRIEFING_ID}": one_line("F-briefing-title"),
    }
    for url, title in pages.items():
        raw = (hostile_site / url / "index.html").read_text(encoding="utf-8")
        head = raw.split("</head>", 1)[0]  # charts carry SVG <title>s in the body
        (inside,) = re.findall(r"<title>(.*?)</title>", head, re.DOTALL)
        assert "<" not in inside and ">" not in inside, url  # entities only
        doc = html.fromstring(raw)
        assert doc.xpath("string(//title)") == f"{title} - Briefing Archive"
        # Material prints the title in the header too (the second topic, after the site's
        # name; on the lean pages without a span around it); it must stay one text node.
        topic = doc.xpath("//div[@class='md-header__topic']")[1]
        assert len(topic) == 0 and _words(topic.text_content()) == title, url
        (h1,) = doc.xpath("//article//h1")
        assert len(h1) == 0 and _words(h1.text_content()) == title, url
        summary = _words(block("F-summary"))
        for meta in doc.xpath("//meta[@content]"):
            content = meta.get("content")
            if "Heading F-" in content:
                # The title, or (a statement's metadata) its summary or an actor's name, whole.
                whole = (title, summary, _words(one_line("F-actor-name")))
                assert _words(content) in whole, (url, content)
    for path in _html_files(hostile_site):
        for nav in html.fromstring(path.read_bytes()).xpath("//nav//a"):
            assert len(nav.xpath(".//*[self::script or self::img]")) == 0


def test_search_index_holds_record_text_as_escaped_text(hostile_site: Path) -> None:
    """Material's index stores each section's HTML (its text escaped) and a plain title.

    The browser renders `text` as HTML inside the results, so a raw `<script`, `<img` or an
    event attribute there would run; escaped (`&lt;script&gt;`) it is only shown.
    """
    data = json.loads((hostile_site / "search" / "search_index.json").read_text("utf-8"))
    docs = data["docs"]
    ours = [d for d in docs if d["location"].startswith(f"statements/{STATEMENT_ID}/")]
    assert ours, "the hostile statement is not in the search index"
    blob = "\n".join(d["text"] + "\n" + d["title"] for d in ours)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in blob  # the payload, as text
    assert "&amp;lt;script&amp;gt;" in blob  # already-escaped text stays double-escaped
    for entry in docs:
        for key in ("text", "title"):
            value = entry[key]
            assert "<script" not in value.lower(), (entry["location"], key)
            assert "<img" not in value.lower(), (entry["location"], key)
            assert not re.search(r"<[^>]*\son\w+\s*=", value, re.IGNORECASE), entry["location"]
            assert "javascript:" not in re.sub(r"&[a-z]+;|[^<]*", "", value), entry["location"]
            # Whatever markup the index holds parses to elements from Material's short list.
            fragment = html.fragment_fromstring(value or "<span></span>", create_parent="div")
            for el in fragment.iter():
                if isinstance(el.tag, str):
                    assert el.tag in {"div", "p", "code", "pre", "ul", "ol", "li", "span",
                                      "blockquote", "dl", "dt", "dd", "a", "em", "strong",
                                      "table", "tr", "td", "th", "thead", "tbody", "h1", "h2",
                                      "h3", "figure", "figcaption", "time", "br"}, (
                        entry["location"], el.tag)  # fmt: skip
                    assert not any(EVENT_ATTR.match(a) for a in el.attrib), entry["location"]


def test_sitemap_is_plain_urls(hostile_site: Path) -> None:
    tree = ET.fromstring((hostile_site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text or "" for loc in tree.findall(".//s:loc", ns)]
    assert f"https://example.github.io/briefing-archive/statements/{STATEMENT_ID}/" in locs
    assert all(
        re.fullmatch(r"https://example\.github\.io/briefing-archive/[a-z0-9/-]*", x) for x in locs
    )
    assert (
        gzip.decompress((hostile_site / "sitemap.xml.gz").read_bytes())
        == (hostile_site / "sitemap.xml").read_bytes()
    )


def _check_html_fragment(value: str, where: object) -> str:
    """`value` is HTML (an Atom `type="html"` element): no live markup; returns its text."""
    fragment = html.fragment_fromstring(value or "<span></span>", create_parent="div")
    for el in fragment.iter():
        if isinstance(el.tag, str):
            assert el.tag not in ("script", "img", "iframe", "svg", "style", "object"), where
            for name, attr in el.attrib.items():
                assert not EVENT_ATTR.match(name), (where, name)
                assert not BAD_SCHEME.match(attr), (where, attr)
    return _words(fragment.text_content())


def test_feeds_carry_record_text_as_text(hostile_site: Path) -> None:
    feeds = [f for f in sorted(hostile_site.rglob("*.xml")) if f.name != "sitemap.xml"]
    if not feeds:
        pytest.skip("the build has no feeds yet")
    import feedparser

    atom = "{http://www.w3.org/2005/Atom}"
    seen_titles: set[str] = set()
    shown = "\n".join(_words(x) for x in _shown().values())
    for path in feeds:
        where = path.relative_to(hostile_site)
        raw = path.read_bytes()
        tree = ET.fromstring(raw)  # well-formed: `]]>` and `<!--` in records did not break it
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, (where, parsed.get("bozo_exception"))
        # Titles are text: a feed reader shows exactly the record's words.
        seen_titles |= {_words(e.title) for e in parsed.entries}
        for el in tree.iter():
            kind = el.get("type", "text")
            if el.tag in (atom + "title", atom + "summary", atom + "content", atom + "subtitle"):
                text = el.text or ""
                if kind == "html":
                    # HTML whose record text is escaped: after parsing, the text is literal.
                    literal = _check_html_fragment(text, where)
                    assert "Heading F-" not in literal or any(
                        line in literal for line in shown.split("\n") if "Heading F-" in line
                    ), (where, literal[:200])
                else:
                    assert kind == "text", (where, kind)  # never xhtml: live elements
            for name, value in el.attrib.items():
                if name == "href":
                    assert value.startswith("https://"), (where, value)
                assert not EVENT_ATTR.match(name), (where, name)
    assert one_line("F-title") in seen_titles and one_line("F-other-title") in seen_titles


def test_data_files_carry_record_text_exactly(hostile_site: Path) -> None:
    files = sorted(hostile_site.rglob("*.json"))
    files = [f for f in files if f.parent.name != "search"]
    if not files:
        pytest.skip("the build has no data files yet")
    blob = ""
    for path in files:
        blob += json.dumps(json.loads(path.read_text("utf-8")), ensure_ascii=False)
    assert json.dumps(one_line("F-title"), ensure_ascii=False) in blob
    assert json.dumps(block("F-summary"), ensure_ascii=False) in blob


# --- random text through the renderer ----------------------------------------------------------
# The same Markdown extensions as mkdocs.yml, so that what is checked is what MkDocs renders.
def _mkdocs_extensions() -> tuple[list[str], dict[str, dict[str, object]]]:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, dict[str, object]] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, str):
            names.append(item)
        else:
            ((name, options),) = item.items()
            names.append(name)
            configs[name] = options or {}
    return names, configs


EXTENSIONS, EXTENSION_CONFIGS = _mkdocs_extensions()
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANY_TEXT = st.one_of(
    st.text(max_size=40),  # every code point but surrogates: control characters included
    st.lists(
        st.sampled_from(
            [
                *PAYLOADS,
                "# ",
                "\n",
                "\n\n",
                "---\n",
                "\r",
                "\x00",
                "\x0b",
                "\x85",
                "\u2028",
                "<",
                ">",
                "&",
                '"',
                "'",
                "`",
                "*",
                "_",
                "[x](javascript:alert(1))",
                "{:",
                "}",
                "<ba-root>",
                '<div markdown="1">',
                "</div>",
                "<pre>",
                "</pre>",
                "    ",
                "\t",
                "onclick=alert(1)",
                "<svg onload=alert(1)>",
                "<details open ontoggle=alert(1)>",
                "&#x3C;",
                "&",
                "<https://x.org>",
                "[^1]",
                "    <script>",
                "\\",
                "\u202e",
            ]
        ),
        max_size=12,
    ).map("".join),
)
# Text the loader would hand over: at least one non-space character (the schema's `\S`).
FIELD = ANY_TEXT.filter(lambda s: s.strip() != "")


# What the templates themselves emit (read from them, so new templates need no edit here);
# anything else in a converted page came from a record.
_TEMPLATE_SOURCE = "\n".join(
    p.read_text(encoding="utf-8")
    # The page templates (templates/archive/ is what `briefing init` writes, not pages).
    for p in [*sorted(render.TEMPLATES.glob("*.j2")), Path(charts.__file__)]
)
TEMPLATE_TAGS = set(re.findall(r"</?([a-z][a-z0-9]*)", _TEMPLATE_SOURCE)) | {"h3", "p"}
TEMPLATE_ATTRS = {
    name.lower()  # lxml's HTML parser lowercases names (viewBox)
    for tag in re.findall(r"<[a-z][^<>]*>", _TEMPLATE_SOURCE)
    for name in re.findall(r"\s([a-zA-Z][a-zA-Z:-]*)(?=[\s=/>])", tag)
    if not name.lower().startswith("on")
}
# charts.py writes its SVG from Python: any word in it may be one of its attribute names.
TEMPLATE_ATTRS |= {
    word.lower()
    for word in re.findall(r"[a-zA-Z][a-zA-Z0-9:-]*", Path(charts.__file__).read_text("utf-8"))
    if not word.lower().startswith("on")
}
NEVER = {"script", "img", "iframe", "object", "embed", "style", "details", "form", "b"}


def _assert_only_metadata(uri: str, description: str, head: str) -> None:
    """A statement page's <head> part is meta tags and one JSON-LD script: record text only
    inside attribute values and JSON strings."""
    assert "<" not in description and '"' not in description, uri
    doc = html.fragment_fromstring(head, create_parent="div")
    tags = [el.tag for el in doc.iterchildren()]
    assert set(tags) == {"meta", "script"} and tags.count("script") == 1, (uri, tags)
    for el in doc.iter():
        assert isinstance(el.tag, str), (uri, el)  # no comment, nothing half-closed
        if el.tag == "meta":
            assert set(el.attrib) in ({"name", "content"}, {"property", "content"}), uri
            assert not list(el), uri
        elif el.tag == "script":
            assert el.attrib == {"type": JSON_LD}, uri
            assert "<" not in (el.text or "") and json.loads(el.text or ""), uri


@st.composite
def archives(draw: st.DrawFn) -> tuple[Archive, dict[str, str]]:
    """A one-statement archive whose every text field is random, and its pages' raw titles."""
    actor = Actor(
        id="a",
        name=draw(FIELD),
        kind="person",
        path="actors/a.yml",
        names=(Name(name=draw(FIELD), lang="ru"),),
        roles=(Role(title=draw(FIELD), organization=draw(FIELD)),),
        description=draw(FIELD),
        links=Links(website=draw(st.sampled_from([None, "javascript:alert(1)", *URLS]))),
    )
    topic = Topic(id="t", title=draw(FIELD), path="topics/t.yml", description=draw(FIELD))
    briefing = Briefing(
        id="b",
        title=draw(FIELD),
        publisher=draw(FIELD),
        published=dt.date(2024, 1, 2),
        path="briefings/b.yml",
        url="https://example.org/" + draw(st.text(alphabet="\"'<>&x/?= \n", max_size=8)),
        text=draw(FIELD),
        notes=draw(FIELD),
    )
    statement = Statement(
        id="s",
        date=dt.date(2024, 1, 1),
        actors=("a",),
        title=draw(FIELD),
        kind="interview",
        summary=draw(FIELD),
        path="statements/2024/s.yml",
        venue=draw(FIELD),
        location=draw(FIELD),
        date_note=draw(FIELD),
        notes=draw(FIELD),
        quotes=(
            Quote(
                text=draw(FIELD),
                lang="en",
                original=draw(FIELD),
                original_lang="ru",
                translated_by=draw(FIELD),
            ),
        ),
        sources=(
            Source(
                title=draw(FIELD),
                publisher=draw(FIELD),
                published=dt.date(2024, 1, 1),
                url=draw(st.sampled_from(["javascript:alert(1)", "data:,x", None, *URLS])),
            ),
        ),
        briefing="b",
        topics=("t",),
    )
    archive = Archive(
        actors={"a": actor},
        topics={"t": topic},
        statements={"s": statement},
        briefings={"b": briefing},
    )
    titles = {
        "statements/s/index.md": statement.title,
        "actors/a/index.md": actor.name,
        "topics/t/index.md": topic.title,
        "briefings/b/index.md": briefing.title,
    }
    return archive, titles


def _front_matter(page: str) -> tuple[dict[str, object], str]:
    assert page.startswith("---\n")
    head, found, body = page[4:].partition("\n---\n")
    assert found
    meta = yaml.safe_load(head)
    assert isinstance(meta, dict)
    return meta, body


@PROPERTY
@given(case=archives())
def test_renderer_never_emits_markup_from_record_text(
    case: tuple[Archive, dict[str, str]],
) -> None:
    archive, titles = case
    page_options = options.Options(
        site_url="https://example.test/", edit_base="https://e.test/edit/", parts=page_parts()
    )
    pages = pipeline.generate(archive, page_options)  # must not raise, whatever the text
    assert titles.keys() <= pages.keys()
    for uri, page in pages.items():
        meta, body = _front_matter(page)
        description, head, body = shells.lift_head(body)
        if uri.startswith("statements/"):
            assert head is not None and description is not None, uri
            _assert_only_metadata(uri, description, head)
        if uri in titles:
            # One line, HTML-escaped (Material prints it unescaped), and nothing else injected.
            assert meta["title"] == str(escape(" ".join(titles[uri].split()))), uri
        assert set(meta) <= {"title", "hide", "search", "feed"}, (uri, meta)
        if "feed" in meta:  # theme/main.html escapes both; the href is never record text
            feed = meta["feed"]
            assert isinstance(feed, dict), (uri, feed)
            assert re.fullmatch(r"[a-z0-9][a-z0-9/.-]*", str(feed["href"])), (uri, feed)
        converted = markdown.markdown(
            body, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS
        )
        doc = html.fragment_fromstring(converted, create_parent="div")
        for el in doc.iter():
            if not isinstance(el.tag, str):  # a comment: its text must not be record text
                assert el.text is None or "alert" not in el.text, (uri, el.text)
                continue
            assert el.tag in TEMPLATE_TAGS and el.tag not in NEVER, (uri, el.tag)
            for name, value in el.attrib.items():
                assert name in TEMPLATE_ATTRS, (uri, el.tag, name)
                assert not EVENT_ATTR.match(name), (uri, el.tag, name)
                if name == "href":
                    assert not BAD_SCHEME.match(value), (uri, value)
                    assert value.startswith(("https://", "../", "./", "#")), (uri, value)
