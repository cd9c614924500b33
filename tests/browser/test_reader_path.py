"""The reader's path through the built site, in a real browser (Chromium through Playwright).

The site is the mini fixture archive's (conftest's `site_dir`), and every id, date and name
comes from its records. Each test drives the pages a reader would: the home page, Material's
header search, actor pages, the day pages' previous/next links, the citation's copy button, the
palette toggle, a phone-sized viewport, and the browser console. The searches for words only
the bundled archive holds are in test_bundled_archive_search.py.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from .conftest import ROOT, Archive, busiest_actor, day_path, pages_of_each_kind, quoted_statement

STATEMENT_PATH = re.compile(r"^/statements/([^/]+)/$")
DAY_PATH = re.compile(r"^/dates/(\d{4})/(\d{2})/(\d{2})/$")
DAY_PATH_URL = re.compile(r"/dates/\d{4}/\d{2}/\d{2}/$")
# A word from a quote that only one statement of the fixture archive holds (the test checks).
QUOTE_WORD = "preconditions"


# --- helpers ------------------------------------------------------------------------------
def hrefs(page: Any, selector: str = ".md-content a[href]") -> list[str]:
    """The URL paths (no query, no fragment) of the links matching `selector`, in page order."""
    urls: list[str] = page.locator(selector).evaluate_all("els => els.map(e => e.href)")
    return [urlsplit(url).path for url in urls]


def statement_links(page: Any) -> list[str]:
    """The ids of the statements the page's content links to, first occurrence order."""
    seen: list[str] = []
    for path in hrefs(page):
        match = STATEMENT_PATH.match(path)
        if match and match[1] not in seen:
            seen.append(match[1])
    return seen


def search(page: Any, query: str) -> None:
    """Type `query` into Material's header search, key by key, as a reader would.

    Material searches on `keyup`. Playwright types characters that are not on its US layout
    (Cyrillic, Chinese) as inserted text, with no key events, where a reader's Russian layout
    or IME would send them; the final End key stands in for those key events.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    box.press("End")


def result_link(page: Any, path: str) -> Any:
    """The first search-result link to the page at `path` (Material adds ?h=… and #…)."""
    return page.locator(f'.md-search-result a.md-search-result__link[href*="{path}"]').first


def result_paths(page: Any) -> list[str]:
    """The URL paths of every search result shown."""
    return hrefs(page, ".md-search-result a.md-search-result__link")


def site_url() -> str:
    """mkdocs.yml's site_url, with one trailing slash: the base of every permalink."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return str(config["site_url"]).rstrip("/") + "/"


def scheme(page: Any) -> str | None:
    """Material's colour scheme, read where the palette script writes it (body, else html)."""
    value: str | None = page.evaluate(
        "document.body.getAttribute('data-md-color-scheme')"
        " || document.documentElement.getAttribute('data-md-color-scheme')"
    )
    return value


# --- the scenarios ------------------------------------------------------------------------
def test_home_lists_the_latest_statements(page: Any, archive: Archive) -> None:
    """The home page links to the newest statements, newest first, and the links open them."""
    page.goto("/")
    expect(page.locator(".md-content h1").first).to_be_visible()
    found = statement_links(page)
    by_id = {s.id: s for s in archive.statements}
    unknown = [i for i in found if i not in by_id]
    assert not unknown, f"the home page links to statements not in content/: {unknown}"

    latest = archive.latest()
    expected_count = min(len(latest), 5)
    assert len(found) >= expected_count, (
        f"the home page links to {len(found)} statements, expected at least {expected_count}: "
        f"{found}"
    )
    # The newest len(found) statements, in order (same-day statements in any order).
    newest = latest[: len(found)]
    assert sorted(found) == sorted(s.id for s in newest), (
        f"the home page should list the newest statements {[s.id for s in newest]}, lists {found}"
    )
    dates = [by_id[i].date for i in found]
    assert dates == sorted(dates, reverse=True), f"not newest first: {found}"

    # The newest statement's link opens its permalink page.
    first = latest[0]
    page.locator(f'.md-content a[href$="{first.path}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(first.path) + "$"))
    expect(page.locator(".md-content h1").first).to_have_text(first.title)


def search_finds_a_quote_and_opens_the_permalink(page: Any, archive: Archive, word: str) -> None:
    """Typing `word` from a quote shows its statement; clicking the result opens the permalink."""
    holders = [s for s in archive.statements if any(word in q for q in s.quotes)]
    assert len(holders) == 1, f"{word!r} should be in the quotes of exactly one statement"
    statement = holders[0]

    page.goto("/")
    search(page, word)
    link = result_link(page, statement.path)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(re.escape(statement.path) + r"(\?[^#]*)?(#.*)?$"))
    assert urlsplit(page.url).path == statement.path
    expect(page.locator(".md-content h1").first).to_have_text(statement.title)
    expect(page.locator(".md-content").first).to_contain_text(word)


def test_search_finds_a_quote_and_opens_the_permalink(page: Any, archive: Archive) -> None:
    """Typing a word from a quote shows its statement; clicking the result opens the permalink."""
    search_finds_a_quote_and_opens_the_permalink(page, archive, QUOTE_WORD)


def search_finds_an_actor_by_a_name_in_another_script(
    page: Any, archive: Archive, query: str, actor_id: str
) -> None:
    """`query`, one of the actor's names, in the header search finds them or their statement."""
    actor = archive.actors[actor_id]
    assert any(query in name for name, _ in actor.names), (
        f"{query!r} is not among {actor_id}'s names in the records: the test is out of date"
    )
    wanted = {actor.path} | {s.path for s in archive.by_actor(actor_id)}

    page.goto("/")
    search(page, query)
    results = page.locator(".md-search-result a.md-search-result__link")
    selector = ", ".join(
        f'.md-search-result a.md-search-result__link[href*="{path}"]' for path in sorted(wanted)
    )
    try:
        expect(page.locator(selector).first).to_be_visible()
    except AssertionError:
        meta = page.locator(".md-search-result__meta").inner_text()
        raise AssertionError(
            f"searching {query!r} shows none of {sorted(wanted)}; "
            f"search says {meta!r}, results: {result_paths(page)}"
        ) from None
    assert results.count() > 0


@pytest.mark.parametrize(
    ("query", "actor_id"),
    [
        pytest.param("Анна Петрова", "anna-petrova", id="cyrillic-petrova"),
        pytest.param("Северландия", "northland", id="cyrillic-northland"),
        pytest.param("李伟", "li-wei", id="chinese-li-wei"),
    ],
)
def test_search_finds_an_actor_by_a_name_in_another_script(
    page: Any, archive: Archive, query: str, actor_id: str
) -> None:
    """An actor's Cyrillic or Chinese name in the header search finds them or their statement."""
    search_finds_an_actor_by_a_name_in_another_script(page, archive, query, actor_id)


def test_actor_page_links_to_each_of_their_statements(page: Any, archive: Archive) -> None:
    """Every actor page links to every statement that actor made."""
    checked = 0
    for actor in archive.actors.values():
        statements = archive.by_actor(actor.id)
        response = page.goto(actor.path)
        assert response is not None and response.ok, f"{actor.path} did not load"
        expect(page.locator(".md-content h1").first).to_have_text(actor.name)
        linked = set(statement_links(page))
        missing = [s.path for s in statements if s.id not in linked]
        assert not missing, f"{actor.path} does not link to {missing}"
        checked += bool(statements)
    assert checked, "no actor has a statement to check"

    # And the links work: follow one from the busiest actor's page.
    actor = busiest_actor(archive)
    target = archive.by_actor(actor.id)[0]
    page.goto(actor.path)
    page.locator(f'.md-content a[href$="{target.path}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(target.path) + "$"))
    expect(page.locator(".md-content h1").first).to_have_text(target.title)


def _day_of(page: Any) -> dt.date:
    match = DAY_PATH.match(urlsplit(page.url).path)
    assert match, f"{page.url} is not a day page"
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def _walk(page: Any, rel: str, limit: int) -> list[dt.date]:
    """Follow the content's rel=`rel` link from page to page; the days visited, in order."""
    visited = [_day_of(page)]
    for _ in range(limit):
        link = page.locator(f'.md-content a[rel="{rel}"]')
        if link.count() == 0:
            return visited
        assert link.count() == 1, f"{page.url} has {link.count()} rel={rel} links"
        link.click()
        page.wait_for_url(DAY_PATH_URL)
        visited.append(_day_of(page))
    raise AssertionError(f"rel={rel} links go on past {limit} pages: {visited}")


def test_day_pages_previous_and_next_walk_through_the_dates(page: Any, archive: Archive) -> None:
    """From the earliest day, "next" visits every statement date in order; "previous" returns."""
    days = archive.days()
    page.goto(day_path(days[0]))
    forward = _walk(page, "next", limit=len(days) + 1)
    assert forward == days, f"next walks {forward}, the statement dates are {days}"

    # The last day's page lists exactly that day's statements.
    on_last = {s.id for s in archive.statements if s.date == days[-1]}
    assert set(statement_links(page)) == on_last

    backward = _walk(page, "prev", limit=len(days) + 1)
    assert backward == days[::-1], f"previous walks {backward}, expected {days[::-1]}"


def test_citation_copy_button_puts_the_citation_on_the_clipboard(
    page: Any, archive: Archive
) -> None:
    """The statement page's copy button copies the citation, which holds the permalink."""
    statement = quoted_statement(archive)
    permalink = site_url() + statement.path.lstrip("/")
    page.goto(statement.path)

    citation = page.locator("pre.ba-citation").first
    expect(citation).to_be_visible()
    text = citation.locator("code").inner_text().strip()
    assert permalink in text, f"the citation {text!r} lacks the permalink {permalink}"

    # Material 9.8 puts a `button.md-code__button[data-md-type=copy]` in the block; earlier
    # releases a `button.md-clipboard`. Both carry data-clipboard-target.
    button = citation.locator("button[data-clipboard-target], button.md-clipboard").first
    page.evaluate("navigator.clipboard.writeText('')")
    citation.hover()
    button.click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
    copied = page.evaluate("navigator.clipboard.readText()").strip()
    assert copied == text


def test_every_citation_form_has_a_copy_button(page: Any, archive: Archive) -> None:
    """Text, BibTeX and CSL-JSON each sit in their own code block with Material's copy button."""
    statement = quoted_statement(archive)
    page.goto(statement.path)
    permalink = site_url() + statement.path.lstrip("/")
    for css in ("ba-citation", "ba-citation-bibtex", "ba-citation-csl"):
        block = page.locator(f"pre.{css}")
        expect(block).to_have_count(1)
        expect(block).to_be_visible()
        assert permalink in block.locator("code").inner_text(), css
        expect(block.locator("button[data-clipboard-target], button.md-clipboard")).to_have_count(1)


def test_dark_mode_toggles(page: Any) -> None:
    """Material's palette toggle switches the colour scheme to slate and back to default."""
    page.goto("/")
    assert scheme(page) == "default"
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert scheme(page) == "slate"
    page.get_by_title("Switch to light mode").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert scheme(page) == "default"


OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 0.5) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.classList.length ? '.' + [...el.classList].join('.') : '');
      out.push(`${name} (right edge ${Math.round(box.right)}px)`);
    }
  }
  return out.slice(0, 15);
}"""


@pytest.mark.parametrize("kind", ["home", "actor", "day", "statement"])
def test_nothing_overflows_at_a_phone_viewport(
    phone_page: Any, archive: Archive, kind: str
) -> None:
    """At 390x844 the page is no wider than the screen: no horizontal scrolling."""
    path = pages_of_each_kind(archive)[kind]
    phone_page.goto(path)
    phone_page.wait_for_load_state("load")
    scroll_width, client_width = phone_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll_width > client_width:
        culprits = phone_page.evaluate(OVERFLOWING)
        pytest.fail(
            f"{path} is {scroll_width}px wide in a {client_width}px viewport; "
            f"elements past the right edge: {culprits}"
        )


def site_pages(site_dir: Path) -> list[str]:
    """The URL path of every HTML page the build wrote, but 404.html.

    MkDocs writes 404.html with root-relative asset URLs under site_url's path
    (/briefing-archive/...), as it is served for any missing URL of the deployed site; served
    here from the root, its assets would be missing for reasons that say nothing of the site.
    """
    pages = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        if rel == "404.html":
            continue
        pages.append("/" + rel.removesuffix("index.html"))
    return pages


def test_no_page_logs_a_console_error(page: Any, site_dir: Path, archive: Archive) -> None:
    """No page of the site logs a console error or throws, search and copy included."""
    paths = site_pages(site_dir)
    assert len(paths) > len(archive.statements)
    for path in paths:
        response = page.goto(path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    # The search worker and the copy button run code only when used.
    page.goto("/")
    search(page, QUOTE_WORD)
    expect(page.locator(".md-search-result a.md-search-result__link").first).to_be_visible()
    page.goto(quoted_statement(archive).path)
    page.locator("pre.ba-citation").first.hover()
    page.locator("pre.ba-citation button").first.click()
    page.wait_for_load_state("load")

    errors = page.errors.messages
    assert not errors, f"{len(errors)} console/page errors:\n" + "\n".join(errors)
