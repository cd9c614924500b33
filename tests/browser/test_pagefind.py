"""The Search page with Pagefind, in Chromium: queries, names in other scripts, filters, bytes.

The mini fixture archive is built with `search: pagefind` (its five statements would mean
Material under `auto`) and served on 127.0.0.1; the bundled archive's site (conftest's
`base_url`) keeps Material's header search and is not touched here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _site_support import make_project
from playwright.sync_api import expect

from generator.build import run_build

from .conftest import DESKTOP, _make_page, serve_folder

GRAIN = "anna-petrova-grain-corridor-2023-05-10"
RESULT = ".pagefind-ui__result"
RESULT_LINK = "a.pagefind-ui__result-link"


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive built with `search: pagefind`."""
    root = tmp_path_factory.mktemp("pagefind-browser")
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    assert "      search: auto\n" in text, "mkdocs.yml no longer sets the briefing search option"
    config.write_text(text.replace("      search: auto\n", "      search: pagefind\n"), "utf-8")
    out = root / "site"
    assert run_build(config, out) == 0
    assert (out / "pagefind" / "pagefind-entry.json").is_file()
    return out


@pytest.fixture(scope="module")
def pagefind_url(pagefind_site: Path) -> Iterator[str]:
    """That site served over HTTP on a free port of 127.0.0.1."""
    with serve_folder(pagefind_site, "pagefind-server") as url:
        yield url


@pytest.fixture
def search_page(request: pytest.FixtureRequest, browser: Any, pagefind_url: str) -> Iterator[Any]:
    """A desktop page on the pagefind site (conftest's page setup: stubs, errors, screenshots)."""
    yield from _make_page(request, browser, pagefind_url, DESKTOP)


def _search(page: Any, query: str) -> None:
    """Type `query` into Pagefind's box and wait until the results for it are shown."""
    page.locator(".pagefind-ui__search-input").fill(query)
    message = page.locator(".pagefind-ui__message")
    expect(message).to_contain_text(re.compile(rf"results? for {re.escape(query)}"))
    count = int(message.inner_text().split()[0])
    # The message comes before the results' fragments are loaded; the UI shows 5 at first.
    expect(page.locator(RESULT_LINK)).to_have_count(min(count, 5))


def _hrefs(page: Any) -> list[str]:
    return [a.get_attribute("href") for a in page.locator(RESULT_LINK).all()]


def test_quote_word_finds_the_statement_permalink(search_page: Any) -> None:
    page = search_page
    page.goto("/search/")
    expect(page.locator("h1")).to_have_text("Search")
    _search(page, "preconditions")  # a word of a verbatim quote only
    assert f"/statements/{GRAIN}/" in _hrefs(page)
    link = page.locator(f"{RESULT_LINK}[href='/statements/{GRAIN}/']")
    expect(link).to_have_text("Petrova says the grain corridor talks will continue")
    link.click()
    expect(page).to_have_url(re.compile(f"/statements/{GRAIN}/$"))
    expect(page.locator("article h1")).to_have_text(
        "Petrova says the grain corridor talks will continue"
    )
    assert page.errors.messages == []


@pytest.mark.parametrize("name", ["Ли Вэй", "李伟", "Анна Петрова"])
def test_names_in_other_scripts(search_page: Any, name: str) -> None:
    page = search_page
    page.goto("/search/")
    _search(page, name)
    actor = "/actors/li-wei/" if name in ("Ли Вэй", "李伟") else "/actors/anna-petrova/"
    assert actor in _hrefs(page)
    assert page.errors.messages == []


def test_year_filter_narrows_results(search_page: Any) -> None:
    page = search_page
    page.goto("/search/")
    _search(page, "Petrova")
    before = set(_hrefs(page))
    assert f"/statements/{GRAIN}/" in before  # 2023
    assert "/statements/anna-petrova-tariff-remarks-2024-03-03/" in before  # 2024
    # Pagefind's UI lists each filter as a <details> group of checkboxes.
    group = page.locator("details.pagefind-ui__filter-block", has_text="year")
    group.locator("summary").click()
    group.get_by_label(re.compile("^2023")).check()
    # The UI re-renders in steps (message, then fragments): wait for the filtered state
    # itself, not merely for a different count, which an empty in-between list also has.
    tariff = page.locator(
        f"{RESULT_LINK}[href='/statements/anna-petrova-tariff-remarks-2024-03-03/']"
    )
    expect(tariff).to_have_count(0)
    expect(page.locator(f"{RESULT_LINK}[href='/statements/{GRAIN}/']")).to_have_count(1)
    after = set(_hrefs(page))
    assert after and after < before
    assert f"/statements/{GRAIN}/" in after
    assert "/statements/anna-petrova-tariff-remarks-2024-03-03/" not in after
    assert page.errors.messages == []


def test_bytes_for_one_query(search_page: Any) -> None:
    """What the browser downloads from /pagefind/ for the page and one query (printed)."""
    page = search_page
    sizes: dict[str, int] = {}

    def finished(request: Any) -> None:
        if "/pagefind/" in request.url:
            sizes[request.url.split("/pagefind/", 1)[1]] = request.sizes()["responseBodySize"]

    page.on("requestfinished", finished)
    page.goto("/search/")
    _search(page, "preconditions")
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    fixed = sum(v for k, v in sizes.items() if not k.startswith(("index/", "fragment/")))
    print(
        f"\npagefind bytes for one query: {total:,} B ({len(sizes)} files; "
        f"runtime, UI, meta and filters {fixed:,} B; index chunks and fragments "
        f"{total - fixed:,} B)"
    )
    assert any(k.startswith("index/") for k in sizes) and any(
        k.startswith("fragment/") for k in sizes
    )
    assert total < 1_000_000
