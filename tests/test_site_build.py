"""A real `briefing build` (MkDocs, strict) of the mini fixture; assertions on the HTML."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from _site_support import HOSTILE_ID, make_project
from lxml import html

from generator.mkdocs.run import run_build
from generator.records.model import Archive

JOINT = "northland-eastland-river-protocol-2024-03-01"
GRAIN = "anna-petrova-grain-corridor-2023-05-10"
RIVER = "li-wei-river-treaty-interview-2023-11-02"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    config = make_project(root)
    out = root / "site"
    assert run_build(config, out) == 0
    return out


def page(site: Path, url: str) -> html.HtmlElement:
    path = site / url / "index.html"
    assert path.is_file(), f"missing page /{url}"
    return html.fromstring(path.read_bytes())


def text(el: html.HtmlElement, xpath: str) -> str:
    found = el.xpath(xpath)
    assert found, f"nothing at {xpath}"
    return " ".join(" ".join(f.text_content().split()) for f in found)


def article(doc: html.HtmlElement) -> html.HtmlElement:
    (main,) = doc.xpath("//article")
    return main


def test_statement_page(site: Path) -> None:
    doc = article(page(site, f"statements/{GRAIN}"))
    assert text(doc, ".//h1") == "Petrova says the grain corridor talks will continue"
    # The role held on that day, not the later one.
    assert "Spokesperson" in text(doc, ".//ul[@class='ba-actors']")
    assert "Deputy Minister" not in text(doc, ".//ul[@class='ba-actors']")
    assert text(doc, ".//*[@class='ba-name'][@lang='ru']") == "Анна Петрова"
    # Verbatim quote with the original beside it, apart from the labelled paraphrase.
    (translation,) = doc.xpath(".//blockquote[@class='ba-quote'][@lang='en']")
    (original,) = doc.xpath(".//blockquote[contains(@class,'ba-original')][@lang='ru']")
    assert "without preconditions" in translation.text_content()
    assert "без предварительных условий" in original.text_content()
    assert text(doc, ".//p[@class='ba-label']") == "Summary (paraphrase)"
    assert "grain corridor would go on" in text(doc, ".//p[@class='ba-summary']")
    assert not doc.xpath(".//p[@class='ba-summary']/ancestor::blockquote")
    # Sources with publisher, date and link.
    source = text(doc, ".//ol[@class='ba-sources']/li")
    assert "Northland Daily" in source and "11 May 2023" in source
    assert doc.xpath(".//ol[@class='ba-sources']//a[not(@class='ba-publisher')]/@href") == [
        "https://example.org/northland-daily/2023-05-11"
    ]
    # The outlet's name links to its publisher page.
    assert doc.xpath(".//ol[@class='ba-sources']//a[@class='ba-publisher']/@href") == [
        "../../publishers/northland-daily/"
    ]
    # Citation with the permalink; edit link to the YAML record.
    citation = text(doc, ".//pre[@class='ba-citation']")
    assert citation.endswith(f"https://example.github.io/briefing-archive/statements/{GRAIN}/")
    edit = f"https://github.com/briefing-archive/briefing-archive/edit/main/content/statements/2023/{GRAIN}.yml"
    assert edit in doc.xpath(".//p[@class='ba-edit']/a/@href")
    # ... and only there: the lean page (theme/lean.html) has no theme edit button repeating it.
    assert not page(site, f"statements/{GRAIN}").xpath("//a[contains(@class,'md-content__button')]")
    # Relative links resolve to real pages.
    for href in doc.xpath(".//a/@href"):
        if not href.startswith(("http", "#")):
            target = (site / "statements" / GRAIN / href).resolve()
            assert (target / "index.html").is_file(), href


def test_statement_with_briefing_date_note_and_joint_actors(site: Path) -> None:
    doc = article(page(site, f"statements/{JOINT}"))
    assert doc.xpath(".//ul[@class='ba-actors']/li/a/text()") == ["Northland", "Eastland"]
    assert "Eastland News Agency" in text(
        doc, ".//ol[@class='ba-sources']"
    )  # the briefing as source
    assert "(item 2)" in text(doc, ".//dl")
    note = article(page(site, f"statements/{RIVER}"))
    assert "recorded the day before" in text(note, ".//dd[@class='ba-date-note']")
    assert text(note, ".//blockquote[@lang='zh']") == "河流条约是睦邻合作的典范。"


def test_hostile_record_renders_as_text(site: Path) -> None:
    raw = (site / "statements" / HOSTILE_ID / "index.html").read_text(encoding="utf-8")
    doc = html.fromstring(raw)
    json_ld = "@type='application/ld+json'"
    scripts = " ".join(s.text_content() for s in doc.xpath(f"//script[not({json_ld})]"))
    assert "alert" not in scripts
    # Record text is JSON data in the page's JSON-LD (tests/test_metadata.py reads it).
    (ld,) = doc.xpath(f"//script[{json_ld}]")
    assert "<" not in ld.text
    assert json.loads(ld.text)["name"] == text(article(doc), ".//h1")
    assert not doc.xpath("//img[@onerror] | //*[@onclick] | //b | //article//i")
    assert "Petrova on <script>" in doc.xpath("//title")[0].text_content()
    assert (
        "<title>Petrova on &lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; {{ 7*7 }}" in raw
    )
    assert (
        text(article(doc), ".//h1") == 'Petrova on <script>alert("t")</script> & {{ 7*7 }} tariffs'
    )
    summary = text(article(doc), ".//p[@class='ba-summary']")
    assert "*tariffs* would fall {onclick=alert(1)}" in summary and "title: hacked" in summary
    assert "{{ 7*7 }} must stay literal." in text(article(doc), ".//div[@class='ba-notes']")


def test_actor_pages(site: Path) -> None:
    doc = article(page(site, "actors/li-wei"))
    assert text(doc, ".//h1") == "Li Wei"
    assert doc.xpath(".//ul[@class='ba-names']//*[@lang]/text()") == ["李伟", "Ли Вэй"]
    # The heading gives the name; the list under it, labelled, only its other forms.
    assert doc.xpath(".//ul[@class='ba-names']//span[@class='ba-name']/text()") == [
        "李伟",
        "Ли Вэй",
    ]
    (label,) = doc.xpath(".//ul[@class='ba-names']/@aria-labelledby")
    assert text(doc, f".//*[@id='{label}']") == "Also written"
    assert "Ambassador of Eastland to Northland (2019 – present)" in text(
        doc, ".//ul[@class='ba-roles']"
    )
    joint = doc.xpath(".//p[@id='joint']/following-sibling::ul[1]//a/text()")
    assert joint == ["Anna Petrova"]
    # Role dates read like every other date on the pages, not as ISO.
    roles = text(article(page(site, "actors/anna-petrova")), ".//ul[@class='ba-roles']")
    assert "Northland (1 March 2020 – 30 June 2023)" in roles
    assert "Northland (1 July 2023 – present)" in roles
    # 3 statements at 2 a page: numbered pages, and year links that find the right one.
    years = dict(
        zip(
            doc.xpath(".//p[@class='ba-years']/a/text()"),
            doc.xpath(".//p[@class='ba-years']/a/@href"),
            strict=True,
        )
    )
    assert list(years) == ["2024", "2023"]
    assert years["2024"] == "../../actors/li-wei/#y2024"
    assert years["2023"] == "../../actors/li-wei/page/2/#y2023"
    assert "River treaty" in text(doc, ".//p[@id='topics']/following-sibling::ul[1]")
    assert len(doc.xpath(".//*[@class='ba-list']/li")) == 2
    # Under year headings, each entry says its day.
    assert len(doc.xpath(".//*[@class='ba-list']/li//time")) == 2
    second = article(page(site, "actors/li-wei/page/2"))
    titles = second.xpath(".//*[@class='ba-list']/li/a[1]/text()")
    assert titles == ["Li Wei calls the river treaty a model of cooperation"]
    assert second.xpath(".//*[@id='y2023']")
    assert not second.xpath(".//ul[@class='ba-roles']")  # the profile is on page 1 only
    index = article(page(site, "actors"))
    assert index.xpath(".//h2/text()") == ["People", "States"]
    assert text(index, ".//h2[@id='person']/following-sibling::ul[1]") == "Anna Petrova 2 Li Wei 3"


def test_date_pages(site: Path) -> None:
    day = article(page(site, "dates/2024/03/03"))
    assert len(day.xpath(".//*[@class='ba-list']/li")) == 2
    # The page's heading is the day: its entries do not repeat it (kind and who they keep).
    assert not day.xpath(".//*[@class='ba-list']/li//time")
    assert all(" · " in li.text_content() for li in day.xpath(".//*[@class='ba-list']/li"))
    (prev,) = day.xpath(".//nav[@class='ba-neighbours']/a[@rel='prev']")
    assert prev.text_content() == "← 1 March 2024"
    assert (site / "dates/2024/03/03" / prev.get("href")).resolve() == (site / "dates/2024/03/01")
    assert not day.xpath(".//nav[@class='ba-neighbours']/a[@rel='next']")
    year = article(page(site, "dates/2023"))
    assert year.xpath(".//nav[@class='ba-neighbours']/a[@rel='next']/text()") == ["2024 →"]
    # 3 statements in March 2024 at 2 a page: a second page with the oldest.
    first = article(page(site, "dates/2024/03"))
    assert first.xpath(".//nav[@class='ba-pager']/a[@rel='next']/@href")[0].endswith(
        "dates/2024/03/page/2/"
    )
    second = article(page(site, "dates/2024/03/page/2"))
    # Under day headings (a month's page), the entries leave the day to them.
    assert second.xpath(".//h2[@class='ba-group']/a")
    assert not second.xpath(".//*[@class='ba-list']/li//time")
    assert second.xpath(".//*[@class='ba-list']/li/a[1]/text()") == [
        "Northland and Eastland sign a protocol on the shared river"
    ]
    assert text(article(page(site, "dates")), ".//h2[@id='y2023']") == "2023 2"


def test_a_year_page_leads_to_every_statement_of_its_year_through_its_months(
    site: Path, archive: Archive
) -> None:
    """A year's page lists no statements: its months' pages do, and following its links
    to them, then their numbered pages, reaches every statement of the year."""
    per_year: defaultdict[int, set[str]] = defaultdict(set)
    for statement in archive.statements.values():
        per_year[statement.date.year].add(statement.id)
    site = site.resolve()
    for year, ids in per_year.items():
        year_dir = site / "dates" / str(year)
        doc = article(page(site, f"dates/{year}"))
        assert not doc.xpath(".//*[@class='ba-list'] | .//nav[@class='ba-pager']")
        assert not (year_dir / "page").exists(), "a year's page has no numbered pages"
        assert text(doc, ".//h1/following-sibling::p[1]").startswith(f"{len(ids)} statements in")
        reached: set[str] = set()
        for href in doc.xpath(".//ul[contains(@class,'ba-periods')]/li/a/@href"):
            listing: Path | None = (year_dir / href).resolve()
            while listing is not None:
                assert listing.is_relative_to(year_dir), listing  # the year's months only
                shown = article(html.fromstring((listing / "index.html").read_bytes()))
                for link in shown.xpath(".//*[@class='ba-list']/li/a[1]/@href"):
                    target = (listing / link).resolve()
                    assert target.parent == site / "statements"
                    reached.add(target.name)
                following = shown.xpath(".//nav[@class='ba-pager']/a[@rel='next']/@href")
                listing = (listing / following[0]).resolve() if following else None
        assert reached == ids, year


def test_topic_and_briefing_pages(site: Path) -> None:
    topic = article(page(site, "topics/river-treaty"))
    assert text(topic, ".//h1") == "River treaty"
    assert "3 statements, newest first." in text(topic, ".//p[@class='ba-years']")
    assert topic.xpath(".//nav[@class='ba-pager']/a[@rel='next']")
    assert article(page(site, "topics")).xpath(".//a/text()") == ["River treaty", "Trade talks"]
    briefing = article(page(site, "briefings/eastland-news-briefing-2024-03-04"))
    # Ordered by briefing_order, not by date.
    assert briefing.xpath(".//ol[@class='ba-list']/li/a[1]/text()") == [
        "Li Wei welcomes the river protocol",
        "Northland and Eastland sign a protocol on the shared river",
    ]
    assert "spoke to reporters on March 3" in text(briefing, ".//div[@class='ba-briefing-text']")


def test_home_about_and_sidebar(site: Path) -> None:
    home = page(site, "")
    counts = text(article(home), ".//ul[@class='ba-counts']")
    assert counts == "5 statements 4 actors 2 topics 1 briefing"
    assert "10 May 2023" in text(article(home), ".//p[@class='ba-range']")
    assert "How to contribute" in text(article(page(site, "about")), ".//h2")
    # The sidebar holds the section pages only, never generated ones.
    labels = [
        label.text_content().strip()
        for label in home.xpath("//nav[contains(@class,'md-nav--primary')]/ul/li/a")
    ]
    assert labels == ["Home", "Actors", "Dates", "Topics", "Briefings", "About"]
    css = site / "assets" / "stylesheets" / "briefing.css"
    assert css.is_file() and "ba-quote" in css.read_text()


def _index(site: Path) -> list[dict[str, str]]:
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    # English and Russian stemmers; `zh` keeps Chinese characters in browser-side queries.
    assert data["config"]["lang"] == ["en", "ru", "zh"]
    docs: list[dict[str, str]] = data["docs"]
    return docs


def _hits(site: Path, word: str) -> set[str]:
    """Pages (without #fragment) whose title or text holds `word`, as Material indexes them."""
    hits = set()
    for entry in _index(site):
        blob = (entry["title"] + " " + entry["text"]).replace("\u200b", "")  # jieba's separators
        if word.casefold() in blob.casefold():
            hits.add(entry["location"].split("#")[0])
    return hits


def test_search_finds_statements_on_their_permalink(site: Path) -> None:
    grain, river = f"statements/{GRAIN}/", f"statements/{RIVER}/"
    assert _hits(site, "preconditions") == {grain}  # a quote word
    assert _hits(site, "предварительных") == {grain}  # a word of the original wording
    assert grain in _hits(site, "Анна Петрова")  # Cyrillic actor name
    assert river in _hits(site, "李伟")  # Chinese actor name
    assert river in _hits(site, "河流")
    assert _hits(site, "grain corridor talks will continue") == {grain}  # the title


def test_search_finds_briefings_by_title(site: Path) -> None:
    briefing = "briefings/eastland-news-briefing-2024-03-04/"
    # "protocol" is also in statement titles; the briefing's own page must be among the hits.
    assert briefing in _hits(site, "Eastland and Northland sign a river protocol")
    assert briefing in _hits(site, "protocol")
    titles = {e["title"] for e in _index(site) if e["location"] == briefing}
    assert titles == {"Eastland and Northland sign a river protocol"}


def test_search_index_has_no_listing_pages(site: Path) -> None:
    locations = {e["location"].split("#")[0] for e in _index(site)}
    assert locations, "empty search index"
    listing = re.compile(
        r"^(|actors/|topics/|briefings/|publishers/|dates/.*|"
        r"(actors|topics|publishers)/[^/]+/page/.*)$"
    )
    assert not {loc for loc in locations if listing.match(loc)}
    # Chinese text is segmented by jieba (Material inserts zero-width spaces).
    river = [e for e in _index(site) if e["location"].startswith(f"statements/{RIVER}/")]
    assert any("\u200b" in e["text"] for e in river)


def test_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    config = make_project(tmp_path / "again")
    again = tmp_path / "again" / "site"
    assert run_build(config, again) == 0
    first = {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_invalid_record_fails_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_project(tmp_path / "broken")
    record = tmp_path / "broken" / "content" / "statements" / "2023" / f"{GRAIN}.yml"
    record.write_text(record.read_text().replace("kind: press-conference", "kind: rumour"))
    assert run_build(config, tmp_path / "broken" / "site") == 1
    err = capsys.readouterr().err
    assert re.search(rf"statements/2023/{GRAIN}\.yml:\d+:\d+: error:", err)
    assert "Traceback" not in err
    assert not (tmp_path / "broken" / "site" / "index.html").exists()


def test_serve_mode_without_good_pages_shows_an_error_page(tmp_path: Path) -> None:
    """`serve` starting on a broken record must not abort: it serves an escaped error page."""
    from mkdocs.config.base import load_config
    from mkdocs.structure.files import Files

    from generator.mkdocs.plugin import BriefingPlugin

    config_file = make_project(tmp_path / "p")
    record = tmp_path / "p" / "content" / "statements" / "2023" / f"{GRAIN}.yml"
    record.write_text(record.read_text().replace("kind: press-conference", "kind: <rumour>"))
    config = load_config(config_file=str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    plugin = config.plugins["briefing"]
    assert isinstance(plugin, BriefingPlugin)
    files = plugin.on_files(Files([]), config=config)  # must not raise
    home = files.get_file_from_path("index.md")
    assert home is not None
    content = home.content_string
    assert re.search(rf"statements/2023/{GRAIN}\.yml:\d+:\d+: error:", content)
    assert "&lt;rumour&gt;" in content and "<rumour>" not in content
    assert files.get_file_from_path("actors/index.md") is not None  # the nav still resolves


@pytest.mark.parametrize(
    "docs_file",
    [
        "statements/index.md",  # not generated: no clash, builds
        f"statements/{HOSTILE_ID}/index.md",  # a generated page
        "data/statements.json",  # a data download, written after the pages
        "feed.xml",  # the site's Atom feed
    ],
)
def test_a_docs_file_where_a_generated_one_goes_stops_the_build(
    tmp_path: Path, docs_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_project(tmp_path / "project")
    target = tmp_path / "project" / "docs" / docs_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("---\ntitle: Mine\n---\n\nhand-written\n", encoding="utf-8")
    status = run_build(config_file=config, site_dir=tmp_path / "site")
    err = capsys.readouterr().err
    if docs_file == "statements/index.md":
        assert status == 0, err
        return
    assert status != 0
    assert f"docs/{docs_file} clashes with a generated page" in err
    assert target.read_text(encoding="utf-8").endswith("hand-written\n")  # left alone
