"""In Chromium: corrections at the top of a statement, their page, on-this-day opening today's
page (and its list where today has nothing), and the embed snippet copied like a citation.

The mini fixture corrects Li Wei's remarks of 3 March 2024 twice (5 and 7 March).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

LI_WEI = "/statements/li-wei-protocol-remarks-2024-03-03/"
COPY = "button[data-clipboard-target], button.md-clipboard"


def test_a_corrected_statement_opens_with_its_corrections(page: Any) -> None:
    page.goto(LI_WEI)
    notice = page.locator(".ba-corrections")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("heading", name="Corrections")).to_be_visible()
    items = notice.locator("li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("7 March 2024")
    # Above the facts of the statement: the first thing after its title.
    top = notice.bounding_box()["y"]
    assert top < page.locator("dl.ba-facts").bounding_box()["y"]
    notice.get_by_role("link", name="all corrections").click()
    expect(page).to_have_url(page.url.split("/corrections/")[0] + "/corrections/")
    listed = page.locator(".ba-corrections-list li")
    expect(listed).to_have_count(3)
    listed.first.get_by_role("link").click()
    expect(page).to_have_url(page.url.split("#")[0] + "#corrections")
    assert page.url.split("#")[0].endswith(LI_WEI)


def test_on_this_day_opens_todays_page(page: Any) -> None:
    page.clock.set_fixed_time(dt.datetime(2031, 3, 3, 12, 0))
    page.goto("/on-this-day/")
    expect(page).to_have_url(page.url.split("/on-this-day/")[0] + "/on-this-day/03-03/")
    expect(page.get_by_role("heading", level=1)).to_have_text("On this day: 3 March")
    assert page.errors.messages == []


def test_on_a_day_without_statements_the_list_of_days_stays(page: Any) -> None:
    page.clock.set_fixed_time(dt.datetime(2031, 7, 1, 12, 0))
    page.goto("/on-this-day/")
    assert page.url.endswith("/on-this-day/")
    expect(page.locator("#ba-not-today")).to_be_visible()
    expect(page.locator("a[data-day]")).to_have_count(4)


def test_a_day_page_links_to_its_calendar_day(page: Any) -> None:
    page.goto("/dates/2024/03/03/")
    page.get_by_role("link", name="On this day in every year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("On this day: 3 March")


def test_the_embed_snippet_offers_the_quote_as_html(page: Any) -> None:
    page.goto(LI_WEI)
    block = page.locator("pre.ba-citation-embed")
    expect(block).to_be_visible()
    text = block.locator("code").inner_text().strip()
    assert text.startswith("<blockquote cite=") and "a historic day for both our peoples" in text


@pytest.mark.parametrize(
    "css", ["ba-citation", "ba-citation-bibtex", "ba-citation-csl", "ba-citation-embed"]
)
def test_each_copy_button_copies_its_own_block(page: Any, css: str) -> None:
    page.goto(LI_WEI)
    block = page.locator(f"pre.{css}")
    text = block.locator("code").inner_text().strip()
    page.evaluate("navigator.clipboard.writeText('')")
    block.hover()
    block.locator(COPY).first.click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
    assert page.evaluate("navigator.clipboard.readText()").strip() == text
