"""Issue 6 and 8 in a real build of the mini fixture: feeds, downloads, citations, charts and
publisher pages, as MkDocs writes them into the site directory."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from _site_support import REPO, make_project, mkdocs_build
from lxml import html
from test_charts import tooltip

from generator.mkdocs.run import run_build
from generator.outputs import citations, data_schemas, downloads, feeds
from generator.outputs.charts import CHART_CSS
from generator.pages import urls
from generator.records.model import Archive

SITE_URL = "https://example.github.io/briefing-archive/"  # mkdocs.yml's
GRAIN = "anna-petrova-grain-corridor-2023-05-10"
BRIEFING = "eastland-news-briefing-2024-03-04"
ATOM = "application/atom+xml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reuse")
    out = root / "site"
    assert run_build(make_project(root), out) == 0
    return out


def page(site: Path, url: str) -> html.HtmlElement:
    path = site / url / "index.html"
    assert path.is_file(), f"missing page /{url}"
    return html.fromstring(path.read_bytes())


def local(site: Path, absolute_url: str) -> Path:
    """The file in the built site that an absolute URL under SITE_URL points at."""
    assert absolute_url.startswith(SITE_URL), absolute_url
    rel = urlsplit(absolute_url[len(SITE_URL) :]).path  # a #fragment is in the page
    path = site / rel
    return path / "index.html" if rel.endswith("/") or not rel else path


def feed_hrefs(doc: html.HtmlElement) -> list[str]:
    return doc.xpath(f"//head/link[@rel='alternate'][@type='{ATOM}']/@href")


# --- Feeds ----------------------------------------------------------------------------------


def expected_feeds(archive: Archive) -> set[str]:
    paths = {"feed.xml", feeds.corrections_feed_url()}
    paths |= {feeds.actor_feed_url(a) for a in archive.actors}
    paths |= {feeds.topic_feed_url(t) for t in archive.topics}
    paths |= {feeds.publisher_feed_url(s) for s in feeds.publishers(archive)}
    return paths


def test_every_feed_is_written_and_parses(site: Path, archive: Archive) -> None:
    written = {p.relative_to(site).as_posix() for p in site.rglob("*.xml")} - {"sitemap.xml"}
    assert written == expected_feeds(archive)
    assert "publishers/eastland-news-agency/feed.xml" in written
    for path in sorted(written):
        parsed = feedparser.parse((site / path).read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.feed.id == SITE_URL + path
        alternate = [link.href for link in parsed.feed.links if link.rel == "alternate"]
        assert len(alternate) == 1 and local(site, alternate[0]).is_file(), path
        assert len(parsed.entries) <= feeds.MAX_ENTRIES
        for entry in parsed.entries:
            assert local(site, entry.link).is_file(), f"{path}: {entry.link} is not a page"
            assert entry.link.startswith(SITE_URL + "statements/")


def test_feeds_hold_the_right_statements(site: Path, archive: Archive) -> None:
    def ids(path: str) -> list[str]:
        entries = feedparser.parse((site / path).read_bytes()).entries
        return [e.link.rstrip("/").rsplit("/", 1)[-1] for e in entries]

    assert sorted(ids("feed.xml")) == sorted(archive.statements)
    assert ids("feed.xml")[0] == "anna-petrova-tariff-remarks-2024-03-03"  # newest first
    li_wei = {s.id for s in archive.statements.values() if "li-wei" in s.actors}
    assert set(ids("actors/li-wei/feed.xml")) == li_wei
    river = {s.id for s in archive.statements.values() if "river-treaty" in s.topics}
    assert set(ids("topics/river-treaty/feed.xml")) == river
    # The briefing's publisher reported the statements drawn from it.
    from_briefing = {s.id for s in archive.statements.values() if s.briefing == BRIEFING}
    assert set(ids("publishers/eastland-news-agency/feed.xml")) == from_briefing


def test_pages_advertise_their_feed(site: Path, archive: Archive) -> None:
    advertised = {
        "": "feed.xml",
        "publishers/eastland-news-agency/": "publishers/eastland-news-agency/feed.xml",
        "actors/li-wei/page/2/": "actors/li-wei/feed.xml",  # numbered pages too
    }
    advertised |= {urls.actor_url(a): feeds.actor_feed_url(a) for a in archive.actors}
    advertised |= {urls.topic_url(t): feeds.topic_feed_url(t) for t in archive.topics}
    for url, feed in advertised.items():
        doc = page(site, url)
        (href,) = feed_hrefs(doc)
        assert (site / url / href).resolve() == (site / feed).resolve(), url
        (title,) = doc.xpath(f"//head/link[@type='{ATOM}']/@title")
        assert title.startswith("Briefing Archive: "), title
    (title,) = page(site, "actors/li-wei").xpath(f"//head/link[@type='{ATOM}']/@title")
    assert title == "Briefing Archive: statements by Li Wei"
    for url in (f"statements/{GRAIN}/", "about/", "dates/", "briefings/", f"briefings/{BRIEFING}/"):
        assert feed_hrefs(page(site, url)) == [], url


def test_no_site_url_means_no_feeds(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = make_project(tmp_path / "p")
    text = config.read_text(encoding="utf-8")
    config.write_text(
        "".join(line for line in text.splitlines(True) if not line.startswith("site_url:")),
        encoding="utf-8",
    )
    out = tmp_path / "p" / "site"
    # A preview or a non-strict `mkdocs build` goes on, warning; `briefing build`, which
    # publishes, stops (tests/test_site_setup.py).
    with caplog.at_level("INFO", logger="mkdocs.plugins.briefing"):
        mkdocs_build(config, out)
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("no `site_url`" in message and "no Atom feeds" in message for message in warned)
    assert not list(out.rglob("feed.xml"))
    assert feed_hrefs(page(out, "")) == []
    assert (out / "data" / "statements.json").is_file()  # downloads need no site URL
    statements = json.loads((out / "data" / "statements.json").read_text(encoding="utf-8"))
    assert statements[0]["permalink"].startswith("/statements/")


# --- Downloads ------------------------------------------------------------------------------


def load(site: Path, path: str) -> list[dict[str, object]]:
    data = json.loads((site / path).read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_json_downloads_match_the_records(site: Path, archive: Archive) -> None:
    statements = load(site, "data/statements.json")
    assert [s["id"] for s in statements] == sorted(archive.statements)
    for item in statements:
        record = archive.statements[str(item["id"])]
        assert item["title"] == record.title and item["date"] == record.date.isoformat()
        assert item["permalink"] == SITE_URL + f"statements/{record.id}/"
        assert local(site, str(item["permalink"])).is_file()
    joint = next(
        s for s in statements if s.get("briefing") == BRIEFING and s["kind"] == "joint-statement"
    )
    assert joint["sources"][0]["publisher"] == "Eastland News Agency"  # type: ignore[index]
    actors = load(site, "data/actors.json")
    assert [a["id"] for a in actors] == sorted(archive.actors)
    assert {a["id"]: a["name"] for a in actors} == {k: v.name for k, v in archive.actors.items()}
    topics = load(site, "data/topics.json")
    assert [t["id"] for t in topics] == sorted(archive.topics)
    assert {t["id"]: t["title"] for t in topics} == {k: v.title for k, v in archive.topics.items()}
    briefings = load(site, "data/briefings.json")
    assert [b["id"] for b in briefings] == sorted(archive.briefings)
    assert briefings[0]["publisher"] == archive.briefings[BRIEFING].publisher
    assert (site / "data/statements.json").read_text(encoding="utf-8") == downloads.statements_json(
        archive, SITE_URL
    )


def test_csv_download_parses(site: Path, archive: Archive) -> None:
    raw = (site / "data" / "statements.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(downloads.CSV_COLUMNS)
    assert [r["id"] for r in rows] == sorted(archive.statements)
    by_id = {r["id"]: r for r in rows}
    assert by_id[GRAIN]["title"] == archive.statements[GRAIN].title
    assert by_id[GRAIN]["actor_names"] == "Anna Petrova"


def test_record_schemas_are_the_shipped_ones_with_the_sites_id(site: Path) -> None:
    shipped = sorted((REPO / "generator" / "schemas").glob("*.schema.json"))
    assert shipped
    published = sorted(p.name for p in (site / "schema").glob("*.schema.json"))
    assert published == [p.name for p in shipped]
    for path in shipped:
        schema = json.loads((site / "schema" / path.name).read_text("utf-8"))
        assert schema["$id"].endswith("/schema/" + path.name)
        assert {**json.loads(path.read_text("utf-8")), "$id": schema["$id"]} == schema


def test_home_lists_the_downloads_and_the_feed(site: Path) -> None:
    (data,) = page(site, "").xpath("//ul[@class='ba-downloads']")
    hrefs = data.xpath(".//a/@href")
    for path in [*downloads.DOWNLOADS.values(), "feed.xml"]:
        assert f"./{path}" in hrefs, path
    for href in hrefs:  # each a file, or a page (a folder URL)
        target = site / href / "index.html" if href.endswith("/") else site / href
        assert target.is_file(), href
    assert len([h for h in hrefs if h.startswith("./schema/")]) == len(data_schemas.schema_files())


# --- Citations ------------------------------------------------------------------------------


def test_statement_page_offers_three_citation_forms(site: Path, archive: Archive) -> None:
    doc = page(site, f"statements/{GRAIN}")
    statement = archive.statements[GRAIN]
    args = (statement, archive, SITE_URL)

    def code(css: str) -> str:
        (block,) = doc.xpath(f"//article//pre[@class='{css}']/code")
        return str(block.text_content())

    assert code("ba-citation") == citations.citations(*args).text
    assert code("ba-citation-bibtex") == citations.citations(*args).bibtex
    assert code("ba-citation-csl") == citations.citations(*args).csl_json
    assert code("ba-citation").endswith(f"{SITE_URL}statements/{GRAIN}/")


# --- Charts ---------------------------------------------------------------------------------


def test_actor_pages_have_a_timeline(site: Path, archive: Archive) -> None:
    per_actor = Counter(a for s in archive.statements.values() for a in set(s.actors))
    for actor_id, actor in archive.actors.items():
        doc = page(site, f"actors/{actor_id}")
        (svg,) = doc.xpath("//article//*[local-name()='svg'][contains(@class,'ba-timeline')]")
        assert svg.get("role") == "img"
        counts = [tooltip(bar)[1] for bar in svg.xpath(".//*[local-name()='path'][*]")]
        assert sum(counts) == per_actor[actor_id], actor_id
        desc = svg.xpath(".//*[local-name()='desc']")[0].text_content()
        assert actor.name in desc
        assert not svg.xpath(".//*[local-name()='style']")  # the theme's CSS styles it
    assert not page(site, "actors/li-wei/page/2").xpath(
        "//*[local-name()='svg'][contains(@class,'ba-chart')]"
    )


def test_each_year_page_has_its_heatmap(site: Path, archive: Archive) -> None:
    heat = "//article//*[local-name()='svg'][contains(@class,'ba-heat')]"
    assert not page(site, "dates").xpath(heat)  # years and months only: small at any size
    assert not page(site, "dates/2024/03").xpath(heat)  # the year's page has it
    per_year = Counter(s.date.year for s in archive.statements.values())
    for year in per_year:
        (svg,) = page(site, f"dates/{year}").xpath(heat)
        assert svg.get("aria-labelledby").split("-")[2] == str(year)
        days = [tooltip(day) for day in svg.xpath(".//*[local-name()='path'][*]")]
        assert all(day.endswith(f" {year}") for day, _ in days)
        assert sum(count for _, count in days) == per_year[year]
        assert svg.xpath(".//*[local-name()='title']")[0].text_content() == (
            f"Statements per day in {year}"
        )


def test_theme_stylesheet_carries_the_chart_css(site: Path) -> None:
    css = (site / "assets" / "stylesheets" / "briefing.css").read_text(encoding="utf-8")
    assert CHART_CSS in css


# --- Publishers -----------------------------------------------------------------------------


def test_publisher_pages(site: Path, archive: Archive) -> None:
    index = page(site, "publishers")
    names = index.xpath("//article//ul[@class='ba-index']/li/a/text()")
    assert names == ["Eastland News Agency", "Eastland Radio", "Northland Daily"]
    counts = " ".join(index.xpath("//article//ul[@class='ba-index']")[0].text_content().split())
    assert "Eastland News Agency 1 briefing · 2 statements" in counts
    assert "Northland Daily 0 briefings · 2 statements" in counts
    for href in index.xpath("//article//ul[@class='ba-index']/li/a/@href"):
        assert (site / "publishers" / href / "index.html").resolve().is_file(), href

    agency = page(site, "publishers/eastland-news-agency")
    assert agency.xpath("//article//h1/text()") == ["Eastland News Agency"]
    assert agency.xpath("//article//ul[@class='ba-index']/li/a/@href") == [
        f"../../briefings/{BRIEFING}/"
    ]
    dates = agency.xpath("//article//*[@class='ba-list']/li//time/@datetime")
    assert dates == sorted(dates, reverse=True) and len(dates) == 2  # newest first

    # Linked from the statement's sources, the briefing, /briefings/ and home.
    grain = page(site, f"statements/{GRAIN}")
    assert grain.xpath("//ol[@class='ba-sources']//a[@class='ba-publisher']/@href") == [
        "../../publishers/northland-daily/"
    ]
    briefing = page(site, f"briefings/{BRIEFING}")
    assert "../../publishers/eastland-news-agency/" in briefing.xpath("//dl//a/@href")
    assert "../publishers/" in page(site, "briefings").xpath("//article//a/@href")
    assert "./publishers/" in page(site, "").xpath("//article//a/@href")
    # Not in the sidebar.
    sidebar = page(site, "").xpath("//nav[contains(@class,'md-nav--primary')]//a/@href")
    assert not [h for h in sidebar if "publishers" in h]


def test_feed_link_title_is_escaped(tmp_path: Path) -> None:
    """The <link rel="alternate"> title carries an actor's name as text, never as markup."""
    config = make_project(tmp_path / "p")
    record = tmp_path / "p" / "content" / "actors" / "li-wei.yml"
    name = 'Li "Wei" <script>alert(1)</script> &amp; {{ 7*7 }}'
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("name: Li Wei\n", f"name: '{name}'\n"), encoding="utf-8")
    out = tmp_path / "p" / "site"
    assert run_build(config, out) == 0
    raw = (out / "actors" / "li-wei" / "index.html").read_text(encoding="utf-8")
    head = raw.split("</head>")[0]
    assert "<script>alert" not in head
    doc = html.fromstring(raw)
    (title,) = doc.xpath(f"//head/link[@type='{ATOM}']/@title")
    assert title == f"Briefing Archive: statements by {name}"
    parsed = feedparser.parse((out / "actors" / "li-wei" / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.feed.title == f"Briefing Archive: statements by {name}"
