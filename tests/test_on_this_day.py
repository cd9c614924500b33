"""On this day: a page per calendar day with the statements of every year, newest year first.

The mini fixture has one statement per year on each day; two more on 3 March (2022 and 2023,
copies of a 2024 one) make a day with three years.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from _site_support import GOLDEN_OPTIONS
from conftest import ROOT

from generator.pages.pipeline import generate
from generator.records.model import Archive


@pytest.fixture(scope="module")
def pages(archive: Archive) -> dict[str, str]:
    base = archive.statements["li-wei-protocol-remarks-2024-03-03"]
    extra = {
        f"li-wei-{year}": dataclasses.replace(
            base,
            id=f"li-wei-{year}",
            date=dt.date(year, 3, 3),
            path=f"statements/{year}/li-wei-{year}.yml",
            related=(),
        )
        for year in (2022, 2023)
    }
    statements = dict(sorted({**archive.statements, **extra}.items()))
    return generate(dataclasses.replace(archive, statements=statements), GOLDEN_OPTIONS)


def test_a_calendar_day_lists_every_year_newest_first(pages: dict[str, str]) -> None:
    # Two statements to a page (GOLDEN_OPTIONS): 2024's on the first, 2023's and 2022's after.
    page = pages["on-this-day/03-03/index.md"]
    more = pages["on-this-day/03-03/page/2/index.md"]
    heading = r'<h2 class="ba-group"><a href="[./]+(dates/[0-9/]+)">([^<]+)</a></h2>'
    assert re.findall(heading, page) + re.findall(heading, more) == [
        ("dates/2024/03/03/", "3 March 2024"),
        ("dates/2023/03/03/", "3 March 2023"),
        ("dates/2022/03/03/", "3 March 2022"),
    ]
    assert "4 statements made on this day in 3 years, newest year first." in page
    # Only calendar days that have statements get a page.
    days = {
        uri.split("/")[1] for uri in pages if uri.startswith("on-this-day/") and uri.count("/") == 2
    }
    assert days == {"03-01", "03-03", "05-10", "11-02"}


def test_each_day_page_links_to_its_calendar_day(pages: dict[str, str]) -> None:
    for day in ("2022/03/03", "2024/03/03"):
        assert (
            '<a href="../../../../on-this-day/03-03/">On this day in every year</a>'
            in pages[f"dates/{day}/index.md"]
        )
    # Months and years are not days: they have no such link.
    assert "ba-on-this-day-link" not in pages["dates/2024/03/index.md"]


def test_the_index_lists_the_days_for_readers_without_script(pages: dict[str, str]) -> None:
    page = pages["on-this-day/index.md"]
    listed = re.findall(r'<a href="\.\./on-this-day/([0-9-]+)/" data-day="([0-9-]+)">', page)
    assert listed == [
        ("03-01", "03-01"),
        ("03-03", "03-03"),
        ("05-10", "05-10"),
        ("11-02", "11-02"),
    ]
    # The site's script (not one in the page: pages carry none) opens today's page from the
    # links themselves.
    assert "<script" not in page and "data-on-this-day" in page
    script = (ROOT / "generator/theme/assets/javascripts/briefing.js").read_text("utf-8")
    assert "[data-on-this-day]" in script and 'a[data-day="' in script
