"""SVG charts: parsed with lxml; the tooltips of bars and days must add up to the statements.

The charts of a whole archive are checked on the mini fixture archive here and on the bundled
archive in tests/test_bundled_archive_reuse.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter

import pytest
from lxml import etree

from generator.outputs import charts
from generator.pages.urls import MONTHS, format_date
from generator.records.model import Archive, Statement

SVG = "{http://www.w3.org/2000/svg}"


def _statement(sid: str, day: dt.date) -> Statement:
    return Statement(sid, day, ("a",), "T", "speech", "S", f"{sid}.yml")


def _parse(svg: str) -> etree._Element:
    root = etree.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # Colours come from the page, never fixed black or white.
    text = svg.lower()
    for fixed in ("#000", "#fff", "black", "white"):
        assert fixed not in text
    return root


def _marks(root: etree._Element, group: str) -> list[etree._Element]:
    """The marks (bars or days) inside the `<g>` of class `group`, in document order."""
    return [
        mark
        for g in root.iter(f"{SVG}g")
        if g.get("class") == group
        for mark in g.iter(f"{SVG}path")
    ]


def tooltip(mark: etree._Element) -> tuple[str, int]:
    """("May 2024", 2) from a mark's `<title>` "May 2024: 2 statements" (in an SVG parsed
    as XML or a page parsed as HTML)."""
    (title,) = mark.xpath("*[local-name()='title']")
    found = re.fullmatch(r"(.+): (\d+) statements?", title.text or "")
    assert found, title.text
    return found[1], int(found[2])


def _month(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _bar_top(bar: etree._Element) -> tuple[int, int, int]:
    """(centre x, baseline y, top y) of a bar drawn as "M{x} {base}V{top}"."""
    found = re.fullmatch(r"M(\d+) (\d+)V(\d+)", bar.get("d") or "")
    assert found, bar.get("d")
    return int(found[1]), int(found[2]), int(found[3])


def test_timeline_counts_statements_per_month() -> None:
    days = [dt.date(2023, 11, 8), dt.date(2023, 11, 30), dt.date(2024, 2, 1), dt.date(2023, 11, 1)]
    statements = [_statement(f"s{i}", d) for i, d in enumerate(days)]
    root = _parse(charts.actor_timeline_svg(statements, label="Ann <b>&</b>"))
    bars = _marks(root, "ba-chart__bar")
    # A bar for each month with statements, in order; empty months get none.
    assert [tooltip(b) for b in bars] == [("November 2023", 3), ("February 2024", 1)]
    # ... but keep their slot: four months, four steps apart from the first bar to the last.
    (x_nov, base, top_nov), (x_feb, _, top_feb) = (_bar_top(b) for b in bars)
    assert x_feb > x_nov and (x_feb - x_nov) % 3 == 0
    assert base > top_feb > top_nov  # taller for the busier month
    assert "2023" in root.xpath("//*[local-name()='text']/text()")
    assert "Dec" in root.xpath("//*[local-name()='text']/text()")  # the empty month is named
    assert root[0].text == "Statements by Ann <b>&</b> per month"  # escaped, read back as text
    desc = root[1].text or ""
    assert "4 statements" in desc and "November 2023: 3" in desc and "February 2024: 1" in desc


def timeline_of_every_actor(archive: Archive) -> None:
    """The timeline chart of each actor of `archive`."""
    assert archive.actors
    for actor_id, actor in archive.actors.items():
        mine = [s for s in archive.statements.values() if actor_id in s.actors]
        svg = charts.actor_timeline_svg(mine, label=actor.name)
        assert svg == charts.actor_timeline_svg(mine, label=actor.name)
        root = _parse(svg)
        counts = dict(tooltip(b) for b in _marks(root, "ba-chart__bar"))
        assert counts == Counter(_month(s.date) for s in mine)
        assert sum(counts.values()) == len(mine)


def test_timeline_of_every_actor(archive: Archive) -> None:
    timeline_of_every_actor(archive)


def test_timeline_without_statements_says_so() -> None:
    root = _parse(charts.actor_timeline_svg([]))
    assert _marks(root, "ba-chart__bar") == []
    assert "No statements" in (root[1].text or "")


def test_timeline_over_years_uses_thin_bars_and_links_months() -> None:
    statements = [_statement(f"s{i}", dt.date(2010 + i, 6, 1)) for i in range(5)]
    svg = charts.actor_timeline_svg(
        statements, month_href=lambda y, m: f"../dates/{y}/{m:02d}/?a=1&b=2"
    )
    root = _parse(svg)
    bars = _marks(root, "ba-chart__bar")
    assert [tooltip(b) for b in bars] == [(f"June {2010 + i}", 1) for i in range(5)]
    # June to June: every bar stands twelve month slots from the next.
    xs = [_bar_top(b)[0] for b in bars]
    (gap,) = {b - a for a, b in itertools.pairwise(xs)}
    assert gap > 0 and gap % 12 == 0
    # One width for every bar (set once on their group), narrower than a few months' bars.
    (group,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "ba-chart__bar"]
    few_months = _parse(charts.actor_timeline_svg(statements[:1]))
    (wide,) = [g for g in few_months.iter(f"{SVG}g") if g.get("class") == "ba-chart__bar"]
    assert 0 < int(group.get("stroke-width") or 0) < int(wide.get("stroke-width") or 0)
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == [f"../dates/{2010 + i}/06/?a=1&b=2" for i in range(5)]  # only non-empty


def _squares(root: etree._Element) -> list[tuple[int, int]]:
    """The top left corner of every day's square: each busy day's path and the one path of
    the empty days (relative moves, `z` returning to the last square's corner)."""
    corners: list[tuple[int, int]] = []
    for path in root.iter(f"{SVG}path"):
        x = y = 0
        d = path.get("d") or ""
        square = r"([Mm])(-?\d+) ?(-?\d+)h7v7h-7z"
        assert re.fullmatch(f"(?:{square})+", d), d  # nothing but squares
        steps = re.findall(square, d)
        for move, dx, dy in steps:
            x, y = (int(dx), int(dy)) if move == "M" else (x + int(dx), y + int(dy))
            corners.append((x, y))
    return corners


def _days(root: etree._Element) -> dict[str, int]:
    return dict(tooltip(day) for day in _marks(root, "ba-heat__days"))


def test_heatmap_has_a_square_per_day_and_a_tooltip_per_busy_day() -> None:
    counts = Counter(
        {dt.date(2024, 2, 29): 3, dt.date(2024, 1, 1): 1, dt.date(2024, 12, 31): 2,
         dt.date(2023, 12, 31): 9, dt.date(2025, 1, 1): 9}
    )  # fmt: skip
    root = _parse(charts.calendar_heatmap_svg(2024, counts))
    squares = _squares(root)
    assert len(squares) == len(set(squares)) == 366  # a leap year, no two days in one place
    # Other years ignored; only the days with statements have a tooltip.
    assert _days(root) == {
        "1 January 2024": 1, "29 February 2024": 3, "31 December 2024": 2
    }  # fmt: skip
    days = {tooltip(d)[0]: d for d in _marks(root, "ba-heat__days")}
    # Intensity is opacity, in proportion to the busiest day; the empty days are faint.
    assert days["29 February 2024"].get("opacity") is None  # the busiest: opaque
    assert days["1 January 2024"].get("opacity") == ".6"
    assert days["31 December 2024"].get("opacity") == ".8"
    (empty,) = [p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is None]
    assert empty.get("opacity") == ".1"
    quiet = _parse(
        charts.calendar_heatmap_svg(2024, {dt.date(2024, 5, 1): 1, dt.date(2024, 5, 2): 4})
    )
    assert [d.get("opacity") for d in _marks(quiet, "ba-heat__days")] == [".4", None]
    # Monday-first rows: 1 January 2024 was a Monday, so it sits in the top left corner and
    # Sunday 7 January at the bottom of the same column.
    corner = _squares(days["1 January 2024"])[0]
    assert corner == min(squares)
    assert (corner[0], max(y for _, y in squares)) in squares
    desc = root[1].text or ""
    assert "6 statements on 3 days in 2024" in desc
    assert "Busiest day: 29 February 2024 (3)" in desc


def heatmap_of_every_year_with_day_links(archive: Archive) -> None:
    """The calendar heatmap of each year of `archive`, its days linked."""
    counts = Counter(s.date for s in archive.statements.values())
    assert counts
    for year in sorted({d.year for d in counts}):
        svg = charts.calendar_heatmap_svg(year, counts, day_href=lambda d: f"{d:%Y/%m/%d}/")
        root = _parse(svg)
        assert len(set(_squares(root))) in (365, 366)
        mine = {d: c for d, c in counts.items() if d.year == year}
        assert _days(root) == {format_date(d): c for d, c in mine.items()}
        assert sum(_days(root).values()) == sum(mine.values())
        links = root.iter(f"{SVG}a")
        assert sorted(a.get("href") for a in links) == sorted(f"{d:%Y/%m/%d}/" for d in mine)
        assert svg == charts.calendar_heatmap_svg(year, counts, day_href=lambda d: f"{d:%Y/%m/%d}/")


def test_heatmap_of_every_year_with_day_links(archive: Archive) -> None:
    heatmap_of_every_year_with_day_links(archive)


def test_heatmap_of_an_empty_year_and_bad_counts() -> None:
    root = _parse(charts.calendar_heatmap_svg(2023, {}))
    assert _days(root) == {} and len(set(_squares(root))) == 365
    assert "No statements in 2023" in (root[1].text or "")
    with pytest.raises(ValueError):
        charts.calendar_heatmap_svg(2023, {dt.date(2023, 1, 1): -1})


def test_inline_style_can_be_left_to_the_theme() -> None:
    statements = [_statement("s", dt.date(2024, 1, 1))]
    assert "<style>" in charts.actor_timeline_svg(statements)
    bare = charts.actor_timeline_svg(statements, inline_style=False)
    assert "<style>" not in bare and 'stroke="currentColor"' in bare
    assert "var(--md-accent-fg-color" in charts.CHART_CSS
