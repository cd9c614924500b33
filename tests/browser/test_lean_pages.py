"""A generated page on the lean theme shell (theme/lean.html) in a real browser.

Statements and listings carry less of Material's chrome than the hand-written pages; a reader
must still find the way around from them: home, the sections, search, the colour scheme,
and a skip link past the header. The conftest site has Material's search (the header box);
the Pagefind site of test_pagefind.py has a header button to the /search/ page instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from .conftest import Archive, day_path, pages_of_each_kind
from .test_accessibility import _check
from .test_pagefind import GRAIN, _hrefs, _search
from .test_pagefind import pagefind_site as pagefind_site  # the module's own fixtures
from .test_pagefind import pagefind_url as pagefind_url
from .test_pagefind import search_page as search_page
from .test_reader_path import QUOTE_WORD, result_link, scheme, search

SECTIONS = ["Home", "Actors", "Dates", "Topics", "Briefings", "About"]


def _statement(archive: Archive, index: int = 0) -> str:
    return sorted(archive.statements, key=lambda s: s.id)[index].path


def test_lean_page_is_lean(page: Any, archive: Archive) -> None:
    """The statement page under test is a lean one (else the rest proves nothing of it)."""
    page.goto(_statement(archive))
    expect(page.locator('link[href$="briefing-lean.css"]')).to_have_count(1)


def test_palette_toggles_and_is_kept_from_page_to_page(page: Any, archive: Archive) -> None:
    """The toggle switches a statement page to dark; the next page opens dark already."""
    page.goto(_statement(archive, 0))
    assert scheme(page) == "default"
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.goto(_statement(archive, 1))
    # Applied by the palette script (briefing-palette.js) as the page loads.
    assert scheme(page) == "slate"
    page.get_by_title("Switch to light mode").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page.errors.messages == []


def test_saved_choices_are_keyed_under_the_site_root_on_lean_and_hand_written_pages(
    page: Any, archive: Archive, base_url: str
) -> None:
    """Material keys a reader's saved choices under __md_scope, the site's root: the lean
    pages' storage script (briefing-storage.js, loaded from the <head>) gives the same root,
    two folders down or four, as Material's inline script on a hand-written page."""
    day = day_path(sorted(archive.statements, key=lambda s: s.id)[0].date)
    for path in (_statement(archive), day, "/about/", "/"):
        page.goto(path)
        lean = page.locator('link[href$="briefing-lean.css"]').count() == 1
        assert lean is (path.count("/") > 2), path
        assert page.evaluate("__md_scope.href") == base_url + "/", path
    assert page.errors.messages == []


def test_palette_choice_carries_between_lean_and_hand_written_pages(
    page: Any, archive: Archive
) -> None:
    """Dark chosen on a statement page opens the About page (Material's full template) dark,
    and light chosen there opens the statement light."""
    page.goto(_statement(archive))
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.goto("/about/")
    assert scheme(page) == "slate"
    page.get_by_title("Switch to light mode").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    page.goto(_statement(archive, 1))
    assert scheme(page) == "default"
    expect(page.get_by_title("Switch to dark mode")).to_be_visible()
    assert page.errors.messages == []


def test_palette_toggle_is_named_for_keyboard_and_screen_readers(
    page: Any, archive: Archive
) -> None:
    """The header's toggle, written by the site's palette script, has Material's radios and
    labels: each named for a screen reader, the one showing the other scheme visible, and
    Enter on the focused radio switches the scheme as a click does."""
    page.goto(_statement(archive))
    form = page.locator('header form[data-md-component="palette"]')
    expect(form.get_by_role("radio", name="Switch to dark mode")).to_have_count(1)
    expect(form.get_by_role("radio", name="Switch to light mode")).to_have_count(1)
    expect(form.get_by_title("Switch to dark mode")).to_be_visible()
    expect(form.get_by_title("Switch to light mode")).to_be_hidden()
    form.get_by_role("radio", name="Switch to dark mode").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    expect(form.get_by_title("Switch to light mode")).to_be_visible()
    assert page.errors.messages == []


def test_saved_scheme_applies_before_materials_bundle_runs(page: Any, archive: Archive) -> None:
    """With Material's bundle (loaded last) never arriving, a lean page still opens in the
    saved scheme with its toggle in place: the palette script does both as the header is
    parsed, so the default scheme never shows first."""
    page.goto(_statement(archive, 0))
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.route(re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$"), lambda r: r.abort())
    page.goto(_statement(archive, 2))
    assert page.evaluate("typeof window.component$") == "undefined", "Material's bundle ran"
    assert scheme(page) == "slate"
    expect(page.locator('header form[data-md-component="palette"] input')).to_have_count(2)


def test_system_dark_preference_is_respected(page: Any, archive: Archive) -> None:
    """A reader whose system prefers dark, with no saved choice, gets the dark scheme."""
    page.emulate_media(color_scheme="dark")
    page.goto(_statement(archive))
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    expect(page.get_by_title("Switch to light mode")).to_be_visible()
    assert page.errors.messages == []


def test_header_search_on_a_statement_page(page: Any, archive: Archive) -> None:
    """Material's header search works from a lean page and opens the statement found."""
    holders = [s for s in archive.statements if any(QUOTE_WORD in q for q in s.quotes)]
    assert len(holders) == 1
    start = next(s.path for s in archive.statements if s is not holders[0])
    page.goto(start)
    search(page, QUOTE_WORD)
    link = result_link(page, holders[0].path)
    expect(link).to_be_visible()
    link.click()
    expect(page.locator(".md-content h1").first).to_have_text(holders[0].title)


def test_phone_drawer_leads_home_and_to_every_section(phone_page: Any, archive: Archive) -> None:
    """On a phone the menu button opens the drawer, whose links go home and to the sections."""
    page = phone_page
    for name in SECTIONS:
        page.goto(pages_of_each_kind(archive)["actor"])
        page.locator('label.md-header__button[for="__drawer"]').click()
        drawer = page.locator("nav.md-nav--primary")
        link = drawer.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        link.click()
        expect(page).not_to_have_url(re.compile(re.escape(pages_of_each_kind(archive)["actor"])))
        expect(page.locator(".md-content h1").first).to_be_visible()
    assert page.errors.messages == []


def test_logo_leads_home(page: Any, archive: Archive) -> None:
    page.goto(_statement(archive))
    page.locator("header a.md-logo").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator('link[href$="briefing-lean.css"]')).to_have_count(0)


def test_header_title_is_cut_short_on_a_phone(phone_page: Any, archive: Archive) -> None:
    """A title too long for a phone's header ends in an ellipsis inside the header's title
    area, not over its buttons; once the heading scrolls away, the header shows it."""
    page = phone_page
    statement = max(archive.statements, key=lambda s: len(s.title))
    page.goto(statement.path)
    title = page.locator(".md-header__title")
    topic = page.locator(".md-header__topic").nth(1)
    expect(topic).to_have_text(statement.title)
    page.mouse.wheel(0, 600)
    expect(title).to_have_class(re.compile("md-header__title--active"))
    page.wait_for_timeout(600)  # the title's slide-in
    area, box = title.bounding_box(), topic.bounding_box()
    assert box["x"] + box["width"] <= area["x"] + area["width"] + 0.5
    assert topic.evaluate("e => e.scrollWidth > e.clientWidth"), "the title is not too long"
    assert topic.evaluate("e => getComputedStyle(e).textOverflow") == "ellipsis"
    assert page.errors.messages == []


def test_skip_link_comes_first_and_skips_the_header(page: Any, archive: Archive) -> None:
    page.goto(_statement(archive))
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#ba-content"
    # The next Tab lands inside the content, past the header and the drawer.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#ba-content')")


def test_search_button_opens_the_search_page(search_page: Any) -> None:
    """With Pagefind, the header's search button on a statement page leads to /search/."""
    page = search_page
    page.goto(f"/statements/{GRAIN}/")
    page.locator("header").get_by_role("link", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/$"))
    _search(page, "preconditions")
    assert _hrefs(page) == [f"/statements/{GRAIN}/"]
    assert page.errors.messages == []


def test_axe_on_a_lean_page_with_the_search_button(search_page: Any, axe_js: Path) -> None:
    _check(search_page, axe_js, f"/statements/{GRAIN}/")
