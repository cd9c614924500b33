"""SVG charts: parsed with lxml; the data-count attributes must add up to the statements.

The charts of a whole archive are checked on the mini fixture archive here and on the bundled
archive in tests/test_bundled_archive_reuse.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from lxml import etree

from generator.outputs import charts
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


def _marks(root: etree._Element, css: str) -> list[etree._Element]:
    return [el for el in root.iter(f"{SVG}rect") if css in (el.get("class") or "").split()]


def test_timeline_counts_statements_per_month() -> None:
    days = [dt.date(2023, 11, 8), dt.date(2023, 11, 30), dt.date(2024, 2, 1), dt.date(2023, 11, 1)]
    statements = [_statement(f"s{i}", d) for i, d in enumerate(days)]
    root = _parse(charts.actor_timeline_svg(statements, label="Ann <b>&</b>"))
    bars = _marks(root, "ba-chart__bar")
    counts = {b.get("data-month"): int(b.get("data-count") or -1) for b in bars}
    # Every month from the first to the last, empty ones included, in order.
    assert list(counts) == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert counts == {"2023-11": 3, "2023-12": 0, "2024-01": 0, "2024-02": 1}
    assert sum(counts.values()) == len(statements)
    heights = {b.get("data-month"): int(b.get("height") or -1) for b in bars}
    assert heights["2023-11"] > heights["2024-02"] > 0 == heights["2023-12"]
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
        bars = _marks(root, "ba-chart__bar")
        assert sum(int(b.get("data-count") or 0) for b in bars) == len(mine)
        expected = Counter(f"{s.date:%Y-%m}" for s in mine)
        assert {b.get("data-month"): int(b.get("data-count") or 0) for b in bars if
                b.get("data-count") != "0"} == expected  # fmt: skip


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
    assert len(bars) == 4 * 12 + 1
    assert sum(int(b.get("data-count") or 0) for b in bars) == 5
    # One width for every bar, narrower than the bars of a timeline of a few months.
    widths = {int(b.get("width") or 0) for b in bars}
    few_months = _parse(charts.actor_timeline_svg(statements[:2]))
    wide = {int(b.get("width") or 0) for b in _marks(few_months, "ba-chart__bar")}
    assert len(widths) == len(wide) == 1 and 0 < min(widths) < min(wide)
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == [f"../dates/{2010 + i}/06/?a=1&b=2" for i in range(5)]  # only non-empty


def _cells(root: etree._Element) -> dict[str, int]:
    return {
        c.get("data-date") or "": int(c.get("data-count") or -1)
        for c in _marks(root, "ba-heat__cell")
    }


def test_heatmap_has_a_cell_per_day_with_its_count() -> None:
    counts = Counter(
        {dt.date(2024, 2, 29): 3, dt.date(2024, 1, 1): 1, dt.date(2024, 12, 31): 2,
         dt.date(2023, 12, 31): 9, dt.date(2025, 1, 1): 9}
    )  # fmt: skip
    root = _parse(charts.calendar_heatmap_svg(2024, counts))
    cells = _cells(root)
    assert len(cells) == 366  # a leap year
    assert min(cells) == "2024-01-01" and max(cells) == "2024-12-31"
    assert sum(cells.values()) == 6  # other years ignored
    assert cells["2024-02-29"] == 3 and cells["2024-12-31"] == 2 and cells["2024-06-01"] == 0
    level = {
        c.get("data-date"): (c.get("class") or "").split()[-1] for c in root.iter(f"{SVG}rect")
    }
    assert level["2024-02-29"] == "ba-heat__cell--l4"
    assert level["2024-01-01"] == "ba-heat__cell--l2"
    assert level["2024-06-01"] == "ba-heat__cell--l0"
    # Monday-first rows: 1 January 2024 was a Monday, so it sits in the top row.
    jan1 = next(c for c in root.iter(f"{SVG}rect") if c.get("data-date") == "2024-01-01")
    jan7 = next(c for c in root.iter(f"{SVG}rect") if c.get("data-date") == "2024-01-07")
    assert int(jan7.get("y") or 0) > int(jan1.get("y") or 0)
    assert jan7.get("x") == jan1.get("x")
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
        cells = _cells(root)
        assert len(cells) in (365, 366)
        assert sum(cells.values()) == sum(c for d, c in counts.items() if d.year == year)
        for day, count in counts.items():
            if day.year == year:
                assert cells[day.isoformat()] == count
        assert sorted(a.get("href") for a in root.iter(f"{SVG}a")) == sorted(
            f"{d:%Y/%m/%d}/" for d in counts if d.year == year
        )
        assert svg == charts.calendar_heatmap_svg(year, counts, day_href=lambda d: f"{d:%Y/%m/%d}/")


def test_heatmap_of_every_year_with_day_links(archive: Archive) -> None:
    heatmap_of_every_year_with_day_links(archive)


def test_heatmap_of_an_empty_year_and_bad_counts() -> None:
    root = _parse(charts.calendar_heatmap_svg(2023, {}))
    assert set(_cells(root).values()) == {0}
    assert "No statements in 2023" in (root[1].text or "")
    with pytest.raises(ValueError):
        charts.calendar_heatmap_svg(2023, {dt.date(2023, 1, 1): -1})


def test_inline_style_can_be_left_to_the_theme() -> None:
    statements = [_statement("s", dt.date(2024, 1, 1))]
    assert "<style>" in charts.actor_timeline_svg(statements)
    bare = charts.actor_timeline_svg(statements, inline_style=False)
    assert "<style>" not in bare and 'fill="currentColor"' in bare
    assert "var(--md-accent-fg-color" in charts.CHART_CSS
