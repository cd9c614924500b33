"""The Search page with Pagefind, in Chromium: shards, queries, scripts, filters, bytes, axe.

The mini fixture archive is built with `search: pagefind` (its five statements would mean
Material under `auto`) and shards of at most 2 statements, so it has three shards, newest
first: 3 March 2024 (two statements, the briefing, the actor and topic pages), 1 March
2024, and 2023. It is served on 127.0.0.1; conftest's site (`base_url`, built with the
shipped `search: auto`) keeps Material's header search and is not touched here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _site_support import HOSTILE_ID, make_project
from playwright.sync_api import expect

from generator.mkdocs.run import run_build
from generator.search import shards

from .conftest import DESKTOP, _make_page, serve_folder
from .test_accessibility import BLOCKING, describe

GRAIN = "anna-petrova-grain-corridor-2023-05-10"
TARIFF = HOSTILE_ID  # anna-petrova-tariff-remarks-2024-03-03
NEWEST, MIDDLE, OLDEST = "20240303-20240303", "20240301-20240301", "20230510-20231102"
RESULT_LINK = "a.ba-search__link"


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive built with `search: pagefind` and shards of 2 statements."""
    root = tmp_path_factory.mktemp("pagefind-browser")
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    assert "      search: auto\n" in text, "mkdocs.yml no longer sets the briefing search option"
    config.write_text(text.replace("      search: auto\n", "      search: pagefind\n"), "utf-8")
    out = root / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shards, "SHARD_SIZE", 2)
        assert run_build(config, out) == 0
    assert (out / "pagefind" / "shards.json").is_file()
    return out


@pytest.fixture(scope="module")
def pagefind_url(pagefind_site: Path) -> Iterator[str]:
    """That site served over HTTP on a free port of 127.0.0.1."""
    with serve_folder(pagefind_site, "pagefind-server") as url:
        yield url


class Fetched:
    """The paths under /pagefind/ that the page (or Pagefind's worker) fetched, with sizes."""

    def __init__(self, context: Any, base: str) -> None:
        self.sizes: dict[str, int] = {}
        self.base = base

        def finished(request: Any) -> None:
            path = request.url[len(self.base) :].split("?", 1)[0]
            if path.startswith("/pagefind/"):
                self.sizes[path[len("/pagefind/") :]] = request.sizes()["responseBodySize"]

        context.on("requestfinished", finished)

    def shards(self) -> set[str]:
        """The shards whose metadata was fetched (a shard is searched only after that)."""
        return {k.split("/")[0] for k in self.sizes if k.endswith(".pf_meta")}


@pytest.fixture
def search_page(request: pytest.FixtureRequest, browser: Any, pagefind_url: str) -> Iterator[Any]:
    """A desktop page on the pagefind site; `page.fetched` records the /pagefind/ requests."""
    for page in _make_page(request, browser, pagefind_url, DESKTOP):
        page.fetched = Fetched(page.context, pagefind_url)
        yield page


def _wait_done(page: Any) -> None:
    expect(page.locator("#ba-search")).to_have_attribute("data-state", "done")


def _search(page: Any, query: str) -> None:
    """Type `query` into the search box and wait until its results are shown."""
    page.locator("#ba-search-q").fill(query)
    status = page.locator(".ba-search__status")
    expect(status).to_contain_text(f"for \u201c{query}\u201d")
    _wait_done(page)


def _hrefs(page: Any) -> list[str]:
    return [a.get_attribute("href") for a in page.locator(RESULT_LINK).all()]


def _older(page: Any, label: str) -> None:
    """Press the "Search <label>" button and wait for its results."""
    button = page.locator(".ba-search__older")
    expect(button).to_have_text(f"Search {label}")
    button.click()
    expect(page.locator(".ba-search__status")).to_contain_text(label)
    _wait_done(page)


def test_newest_shard_first_older_on_request(search_page: Any) -> None:
    page = search_page
    page.goto("/search/")
    expect(page.locator("h1")).to_have_text("Search")
    _search(page, "Petrova")
    # Only the newest shard is searched: its statement and the actor's page.
    assert set(_hrefs(page)) == {f"/statements/{TARIFF}/", "/actors/anna-petrova/"}
    assert page.fetched.shards() == {NEWEST}
    expect(page.locator(".ba-search__group h2")).to_have_text(["3 March 2024 · 2 results"])
    # Nothing from Pagefind's filter data, nor the filter values, for a plain query.
    assert not [k for k in page.fetched.sizes if "/filter/" in k or k == "filters.json"]
    # 1 March 2024 has no Petrova: the page goes on to 2023 by itself.
    _older(page, "1 March 2024")
    assert page.fetched.shards() == {NEWEST, MIDDLE, OLDEST}
    assert f"/statements/{GRAIN}/" in _hrefs(page)
    expect(page.locator(".ba-search__older")).to_be_hidden()
    expect(page.locator(".ba-search__status")).to_have_text(
        "3 results for \u201cPetrova\u201d in 3 March 2024, 1 March 2024, 2023."
    )
    # pagefind.js and its WebAssembly come once per shard's folder, the module only once.
    assert [k for k in page.fetched.sizes if k.endswith("pagefind.js")] == [f"{NEWEST}/pagefind.js"]
    assert page.errors.messages == []


def test_each_period_shows_more_after_older_ones_are_searched(search_page: Any) -> None:
    page = search_page
    page.goto("/search/")
    # One result at a time, so that the fixture's few results need paging.
    page.locator("#ba-search").evaluate("root => root.setAttribute('data-page-size', '1')")
    _search(page, "Petrova")
    newest = page.locator(".ba-search__group").nth(0)
    expect(newest.locator(RESULT_LINK)).to_have_count(1)
    expect(newest.locator(".ba-search__more")).to_have_text("Show 1 more from 3 March 2024")
    _older(page, "1 March 2024")
    oldest = page.locator(".ba-search__group").nth(1)
    expect(oldest.locator("h2")).to_have_text("2023 \u00b7 1 result")
    expect(oldest.locator(".ba-search__more")).to_be_hidden()
    # The newest period's results still page on, below its own heading.
    newest.locator(".ba-search__more").click()
    _wait_done(page)
    expect(newest.locator(RESULT_LINK)).to_have_count(2)
    expect(newest.locator(".ba-search__more")).to_be_hidden()
    assert set(_hrefs(page)) == {
        f"/statements/{TARIFF}/",
        "/actors/anna-petrova/",
        f"/statements/{GRAIN}/",
    }
    assert page.errors.messages == []


def test_quote_word_finds_the_statement_permalink(search_page: Any) -> None:
    page = search_page
    page.goto("/search/")
    # A word of a verbatim quote only, in the oldest shard: empty shards are passed over.
    _search(page, "preconditions")
    assert _hrefs(page) == [f"/statements/{GRAIN}/"]
    link = page.locator(f"{RESULT_LINK}[href='/statements/{GRAIN}/']")
    expect(link).to_have_text("Petrova says the grain corridor talks will continue")
    item = page.locator(".ba-search__result", has=link)
    expect(item.locator(".ba-search__facts")).to_contain_text("10 May 2023")
    # Pagefind marks the word as indexed, with its punctuation.
    expect(item.locator(".ba-search__excerpt mark")).to_have_text([re.compile("^preconditions")])
    link.click()
    expect(page).to_have_url(re.compile(f"/statements/{GRAIN}/$"))
    expect(page.locator("article h1")).to_have_text(
        "Petrova says the grain corridor talks will continue"
    )
    assert page.errors.messages == []


def test_query_in_the_url_runs_on_arrival(search_page: Any) -> None:
    page = search_page
    page.goto("/search/?q=preconditions")
    _wait_done(page)
    expect(page.locator("#ba-search-q")).to_have_value("preconditions")
    assert _hrefs(page) == [f"/statements/{GRAIN}/"]


@pytest.mark.parametrize("name", ["Ли Вэй", "李伟", "Анна Петрова"])
def test_names_in_other_scripts(search_page: Any, name: str) -> None:
    page = search_page
    page.goto("/search/")
    _search(page, name)
    actor = "/actors/li-wei/" if name in ("Ли Вэй", "李伟") else "/actors/anna-petrova/"
    assert actor in _hrefs(page)
    assert page.errors.messages == []


def test_year_filter_picks_the_shards(search_page: Any) -> None:
    page = search_page
    page.goto("/search/")
    _search(page, "Petrova")
    page.locator("summary", has_text="Filters").click()
    # The menus are filled from filters.json when first opened.
    expect(page.locator("#ba-search")).to_have_attribute("data-filters", "loaded")
    page.get_by_label("Year", exact=True).select_option("2023")
    expect(page.locator(f"{RESULT_LINK}[href='/statements/{TARIFF}/']")).to_have_count(0)
    _wait_done(page)
    assert _hrefs(page) == [f"/statements/{GRAIN}/"]
    # Straight to the 2023 shard; the 1 March 2024 shard is never searched.
    assert page.fetched.shards() == {NEWEST, OLDEST}
    assert "year=2023" in page.url and "q=Petrova" in page.url
    assert page.errors.messages == []


def test_actor_kind_and_topic_filters(search_page: Any) -> None:
    page = search_page
    # Filters in the URL are selected on arrival, before the menus are loaded.
    page.goto("/search/?q=protocol&actor=Li+Wei")
    _wait_done(page)
    assert "/statements/li-wei-protocol-remarks-2024-03-03/" in _hrefs(page)
    assert "/statements/northland-eastland-river-protocol-2024-03-01/" not in _hrefs(page)
    expect(page.get_by_label("Actor", exact=True)).to_have_value("Li Wei")
    # A filter's data is fetched only for the filter used, in the shards searched.
    filters = [k for k in page.fetched.sizes if "/filter/" in k]
    assert filters and all(k.startswith(f"{NEWEST}/") for k in filters)
    page.goto("/search/?q=protocol&kind=Joint+statement")
    _wait_done(page)
    # None in the newest shard, so the next is searched by itself.
    assert _hrefs(page) == ["/statements/northland-eastland-river-protocol-2024-03-01/"]
    expect(page.locator(".ba-search__status")).to_have_text(
        "1 result for \u201cprotocol\u201d in 3 March 2024, 1 March 2024; "
        "earlier years not searched yet."
    )
    expect(page.locator(".ba-search__older")).to_have_text("Search 2023")
    page.goto("/search/?q=Petrova&topic=Trade+talks")
    _wait_done(page)
    assert f"/statements/{TARIFF}/" in _hrefs(page)
    assert "/actors/anna-petrova/" not in _hrefs(page)
    assert page.errors.messages == []


def test_filters_without_words_search_nothing(search_page: Any) -> None:
    # Without words Pagefind would load every index chunk of a shard.
    page = search_page
    page.goto("/search/?kind=Interview")
    expect(page.locator("#ba-search")).to_have_attribute("data-state", "idle")
    expect(page.locator(".ba-search__status")).to_have_text(
        "Type words to search for; the filters narrow the results."
    )
    expect(page.get_by_label("Kind", exact=True)).to_have_value("Interview")
    page.wait_for_load_state("networkidle")
    assert not [k for k in page.fetched.sizes if k.endswith((".pf_meta", ".pf_index"))]
    assert page.errors.messages == []


def test_hostile_record_stays_text(search_page: Any) -> None:
    page = search_page
    page.goto("/search/")
    _search(page, "tariffs")
    link = page.locator(f"{RESULT_LINK}[href='/statements/{TARIFF}/']")
    expect(link).to_have_text('Petrova on <script>alert("t")</script> & {{ 7*7 }} tariffs')
    results = page.locator(".ba-search__results")
    assert results.locator("script, img, b, i").count() == 0
    assert page.errors.messages == []


def test_bytes_for_one_query(search_page: Any) -> None:
    """What the browser downloads from /pagefind/ for the page and one query (printed)."""
    page = search_page
    page.goto("/search/")
    _search(page, "preconditions")
    page.wait_for_load_state("networkidle")
    sizes = page.fetched.sizes
    total = sum(sizes.values())
    print(f"\npagefind bytes for one query: {total:,} B in {len(sizes)} files")
    # Results are read from packs of fragments, not one fragment file per result.
    assert any("/index/" in k for k in sizes) and any("/pack/" in k for k in sizes)
    assert not [k for k in sizes if "/fragment/" in k]
    # No filter data and no Pagefind UI for a query without filters.
    assert not [k for k in sizes if "/filter/" in k or "-ui" in k or k == "filters.json"]
    assert total < 1_000_000


def test_axe_on_the_search_page(search_page: Any, axe_js: Path) -> None:
    """No serious or critical axe violation, with results shown and the filters open."""
    page = search_page
    page.goto("/search/?q=Petrova")
    _wait_done(page)
    page.locator("summary", has_text="Filters").click()
    expect(page.locator("#ba-search")).to_have_attribute("data-filters", "loaded")
    page.add_script_tag(path=str(axe_js))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations: list[dict[str, Any]] = results["violations"]
    if violations:
        print(f"axe on /search/:\n{describe(violations)}")
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    assert not blocking, f"axe on /search/: serious/critical violations:\n{describe(blocking)}"
