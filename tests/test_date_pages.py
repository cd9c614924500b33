"""The date pages: `/dates/` stays small however long the archive, and every year, month and
day page is linked from the first page of the period above it."""

from __future__ import annotations

import datetime as dt
import posixpath
import re

from generator.outputs.parts import page_parts
from generator.pages import plan
from generator.pages.options import Options
from generator.pages.render import Renderer
from generator.records.model import Actor, Archive, Source, Statement

SITE = "https://example.org/archive/"
HREF = re.compile(r'href="([^"]+)"')


def _archive(days: list[dt.date]) -> Archive:
    statements = [
        Statement(
            id=f"s{i:05d}",
            date=day,
            actors=("ann",),
            title=f"Statement {i}",
            kind="speech",
            summary="Said something.",
            path=f"statements/s{i:05d}.yml",
            sources=(Source("Report", "Daily News", day),),
        )
        for i, day in enumerate(days)
    ]
    return Archive(
        actors={"ann": Actor("ann", "Ann Example", "person", "actors/ann.yml")},
        topics={},
        statements={s.id: s for s in statements},
        briefings={},
    )


def _rendered(archive: Archive, page_size: int, wanted: str = r"dates/.*") -> dict[str, str]:
    """The Markdown of the listing pages whose URL matches `wanted`, by URL."""
    options = Options(site_url=SITE, page_size=page_size, parts=page_parts())
    renderer = Renderer(archive, options)
    listings = plan.build_listings(archive, page_size=page_size, home=options.home)
    return {p.url: renderer.render(p) for p in listings if re.fullmatch(wanted, p.url)}


def _target(url: str, href: str) -> str:
    """The site-relative URL that `href` on the page at `url` leads to."""
    return posixpath.normpath(posixpath.join(url, href)) + "/"


def _links(url: str, markdown: str) -> set[str]:
    """The site-relative URLs a page at `url` links to."""
    return {_target(url, href) for href in HREF.findall(markdown)}


def test_every_period_is_linked_from_the_first_page_of_the_one_above() -> None:
    days = [dt.date(2022, 12, 31), dt.date(2023, 1, 5), dt.date(2023, 1, 9), dt.date(2023, 7, 4)]
    days += [dt.date(2024, 2, d) for d in (1, 2, 3, 29)] * 2
    # One statement a page: a page's own listing links to one day at most, so the links
    # found below come from the lists of months and days.
    pages = _rendered(_archive(days), page_size=1)
    periods = [url for url in pages if "/page/" not in url and url != "dates/"]
    assert len(periods) == 3 + 4 + 8  # years, months, days
    for url in periods:
        parent = url.rsplit("/", 2)[0] + "/"  # dates/2024/02/01/ -> dates/2024/02/
        assert url in _links(parent, pages[parent]), f"/{parent} does not link /{url}"
    # The counts beside the links.
    assert '2024/02/03/">3 February</a> (2)' in pages["dates/2024/02/"]
    assert '2023/01/">January</a> (2)' in pages["dates/2023/"]
    assert '2023/01/">January</a> (2)' in pages["dates/"]


def test_the_dates_page_does_not_grow_with_the_days() -> None:
    # 25 years with a statement every day: a calendar of each year on /dates/ made it
    # about 80 KB a year; years and months with their counts are about 1 KB.
    first = dt.date(2000, 1, 1)
    days = [first + dt.timedelta(days=n) for n in range((dt.date(2024, 12, 31) - first).days + 1)]
    archive = _archive(days)
    pages = _rendered(archive, page_size=100, wanted=r"dates/(\d{4}/(\d{2}/)?)?")
    dates = pages["dates/"]
    assert "<svg" not in dates
    assert len(dates.encode()) < 60_000
    assert len(re.findall(r'<h2 id="y\d{4}">', dates)) == 25
    # Each year's calendar is on the year's page, and only there.
    for year in (2000, 2012, 2024):
        year_page = pages[f"dates/{year}/"]
        assert year_page.count("<svg") == 1
        assert f'aria-labelledby="ba-heat-{year}-title' in year_page
        assert "<svg" not in pages[f"dates/{year}/03/"]


#: A year's page's list of months: each month's link, name and count of statements.
MONTH_ITEM = re.compile(r'<li><a href="([^"]+)">([A-Z][a-z]+)</a> \((\d+)\)</li>')


def test_a_year_page_is_one_page_of_its_months_however_many_statements() -> None:
    # 2024 with a statement every day and five on 29 February: 370 statements at 10 a
    # page. The months' pages continue on numbered pages; the year's page stays one page.
    first = dt.date(2024, 1, 1)
    days = [first + dt.timedelta(days=n) for n in range(366)] + [dt.date(2024, 2, 29)] * 4
    pages = _rendered(_archive(days), page_size=10)
    year = pages["dates/2024/"]
    assert not [url for url in pages if url.startswith("dates/2024/page/")]
    assert "dates/2024/01/page/4/" in pages  # 31 statements: four pages
    assert 'class="ba-list"' not in year and "ba-pager" not in year
    assert "370 statements in 12 months" in year
    months = MONTH_ITEM.findall(year)
    assert [name for _, name, _ in months][:3] == ["January", "February", "March"]
    # Each month linked once, with its own count of statements; together, the year's.
    month_urls = {url for url in pages if re.fullmatch(r"dates/2024/\d{2}/", url)}
    linked = [_target("dates/2024/", href) for href, _, _ in months]
    assert sorted(linked) == sorted(month_urls) and len(months) == 12
    for month, (_, _, count) in zip(linked, months, strict=True):
        assert f"<p>{count} statements, newest first.</p>" in pages[month]
    assert sum(int(count) for _, _, count in months) == len(days)
    assert dict((name, int(n)) for _, name, n in months)["February"] == 29 + 4
