"""The actors index: numbered pages past ACTORS_PER_PAGE actors, each small enough for a
phone, each naming the range of every page, and every actor listed exactly once."""

from __future__ import annotations

import datetime as dt
import re

from generator.outputs.parts import page_parts
from generator.pages import plan, sections
from generator.pages.options import Options
from generator.pages.render import Renderer
from generator.records.model import Actor, Archive, Statement

SITE = "https://example.org/archive/"
HOSTILE = '<b>Zed & "Co"</b>'


def _archive(people: int, orgs: int) -> Archive:
    actors = [Actor(f"p{i:05d}", f"Person {i:05d}", "person", "a.yml") for i in range(people)]
    actors += [Actor(f"o{i:03d}", f"Org {i:03d}", "organization", "a.yml") for i in range(orgs)]
    actors.append(Actor("zed", HOSTILE, "state", "a.yml"))
    statement = Statement(
        id="s1",
        date=dt.date(2024, 1, 1),
        actors=("p00000", "zed"),
        title="A statement",
        kind="speech",
        summary="Said something.",
        path="statements/s1.yml",
    )
    return Archive(
        actors={a.id: a for a in actors}, topics={}, statements={"s1": statement}, briefings={}
    )


def _index_pages(archive: Archive) -> dict[str, str]:
    options = Options(site_url=SITE, parts=page_parts())
    renderer = Renderer(archive, options)
    pages = plan.build_listings(archive, home=options.home)
    return {p.url: renderer.render(p) for p in pages if re.fullmatch(r"actors/(page/\d+/)?", p.url)}


def test_a_long_actors_index_is_split_into_pages_that_each_list_every_page() -> None:
    people, organizations = 2 * sections.ACTORS_PER_PAGE + 300, 150
    archive = _archive(people, organizations)
    pages = _index_pages(archive)
    assert list(pages) == ["actors/", "actors/page/2/", "actors/page/3/"]
    listed: list[str] = []
    for url, text in pages.items():
        ids = re.findall(r'<li><a href="\.\./(?:\.\./)*actors/([^/]+)/">', text)
        assert len(ids) <= sections.ACTORS_PER_PAGE, url
        listed += ids
        assert len(text.encode()) < 150_000, url
        # Every page names each page's range; its own is the current one, not a link.
        nav = re.search(r'<nav class="ba-pages".*?</nav>', text, re.S)
        assert nav, url
        assert nav.group(0).count("<li>") == 3
        assert nav.group(0).count('aria-current="page"') == 1
    # Kinds in order (people, organizations, states), each by name: every actor once.
    expected = sorted(a for a in archive.actors if a.startswith("p"))
    expected += [*sorted(a for a in archive.actors if a.startswith("o")), "zed"]
    assert listed == expected
    first = pages["actors/"]
    assert "People: Person 00000 – Person 00999" in first
    # The last page's range runs from a person to the state; its name is escaped once.
    assert "People: Person 02000 – States: &lt;b&gt;Zed &amp; &#34;Co&#34;&lt;/b&gt;" in first
    assert "&amp;lt;" not in first and "<b>Zed" not in first
    assert "<title>" not in first and 'title: "Actors (page 2)"' in pages["actors/page/2/"]


def test_a_short_actors_index_is_one_page_without_page_links() -> None:
    pages = _index_pages(_archive(3, 1))
    assert list(pages) == ["actors/"]
    assert "ba-pages" not in pages["actors/"]
    assert pages["actors/"].count("<li><a href=") == 5
