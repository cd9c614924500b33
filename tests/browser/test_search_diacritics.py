"""Names with diacritics are found typed with or without them, in both search modes, in Chromium.

The mini fixture archive plus two actors, Jürgen Weiß and Élodie Marchetti, and a statement
of theirs, built twice: with Material's header search (`search: material`, whose index holds
the folded forms of its words and whose queries are folded on their way to the search worker)
and with Pagefind (`search: pagefind`, the /search/ page). Each spelling a reader might type
must find the actor's page and the statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _site_support import make_project
from playwright.sync_api import expect

from generator.mkdocs.run import run_build

from .conftest import DESKTOP, _make_page, serve_folder
from .test_reader_path import result_paths, search

STATEMENT = "weiss-marchetti-harbour-talks-2024-02-10"
ACTORS = {
    "juergen-weiss": """\
id: juergen-weiss
name: Jürgen Weiß
kind: person
country: northland
description: Fictional Northland harbour commissioner.
""",
    "elodie-marchetti": """\
id: elodie-marchetti
name: Élodie Marchetti
kind: person
country: eastland
description: Fictional Eastland harbour envoy.
""",
}
RECORD = f"""\
id: {STATEMENT}
date: 2024-02-10
actors:
  - juergen-weiss
  - elodie-marchetti
title: Harbour talks open in Northgrad
kind: press-conference
summary: >-
  The two delegations met at the harbour and agreed to keep it open.
quotes:
  - text: The harbour stays open to every ship.
    lang: en
sources:
  - title: Harbour talks open
    publisher: Northland Daily
    published: 2024-02-11
    url: https://example.org/northland-daily/2024-02-11
"""
# (what the reader types, the actor it must find)
QUERIES = [
    ("Weiß", "juergen-weiss"),
    ("Weiss", "juergen-weiss"),
    ("weiss", "juergen-weiss"),
    ("WEISS", "juergen-weiss"),
    ("Jurgen", "juergen-weiss"),
    ("Jürgen", "juergen-weiss"),
    ("Juergen", "juergen-weiss"),
    ("Élodie", "elodie-marchetti"),
    ("Elodie", "elodie-marchetti"),
]


def _site(root: Path, mode: str) -> Path:
    config = make_project(root)
    content = root / "content"
    for actor_id, text in ACTORS.items():
        (content / "actors" / f"{actor_id}.yml").write_text(text, encoding="utf-8")
    (content / "statements" / "2024" / f"{STATEMENT}.yml").write_text(RECORD, encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    assert "      search: auto\n" in text, "mkdocs.yml no longer sets the briefing search option"
    config.write_text(text.replace("      search: auto\n", f"      search: {mode}\n"), "utf-8")
    out = root / "site"
    assert run_build(config, out) == 0
    return out


@pytest.fixture(scope="module", params=["material", "pagefind"])
def mode_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """(mode, URL) of the archive with the two actors, built in that search mode and served."""
    mode: str = request.param
    site = _site(tmp_path_factory.mktemp(f"diacritics-{mode}"), mode)
    assert (site / "search" / "search_index.json").is_file() == (mode == "material")
    with serve_folder(site, f"diacritics-{mode}-server") as url:
        yield mode, url


@pytest.fixture
def mode_page(request: pytest.FixtureRequest, browser: Any, mode_url: Any) -> Iterator[Any]:
    """A desktop page on that site; `page.mode` is its search mode."""
    mode, url = mode_url
    for page in _make_page(request, browser, url, DESKTOP):
        page.mode = mode
        yield page


def _found(page: Any, query: str) -> list[str]:
    """The result paths `query` shows, typed where the site's search takes it."""
    if page.mode == "material":
        page.goto("/")
        search(page, query)
        expect(page.locator(".md-search-result__meta")).not_to_have_text("Type to start searching")
        expect(page.locator(".md-search-result a.md-search-result__link").first).to_be_attached()
        return result_paths(page)
    page.goto("/search/")
    page.locator("#ba-search-q").fill(query)
    expect(page.locator(".ba-search__status")).to_contain_text(f"for \u201c{query}\u201d")
    expect(page.locator("#ba-search")).to_have_attribute("data-state", "done")
    hrefs = page.locator("a.ba-search__link").evaluate_all("els => els.map(e => e.pathname)")
    return list(hrefs)


@pytest.mark.parametrize(("query", "actor_id"), QUERIES, ids=[q for q, _ in QUERIES])
def test_a_name_is_found_with_or_without_its_diacritics(
    mode_page: Any, query: str, actor_id: str
) -> None:
    """Each spelling finds the actor's page and their statement."""
    found = _found(mode_page, query)
    wanted = {f"/actors/{actor_id}/", f"/statements/{STATEMENT}/"}
    assert wanted <= set(found), (
        f"{mode_page.mode} search for {query!r} shows {found}, not all of {sorted(wanted)}"
    )
