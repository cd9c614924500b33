"""Static SVG charts made at build time: no JavaScript, no charting service.

Pure: each function returns one `<svg>` element as a string, to be placed inline in a page
(an inline SVG inherits the page's colours and fonts; an `<img>` would not).

Colours follow the page in light and dark mode: every mark and label is drawn with
`currentColor` (presentation attributes, which work anywhere, even with the SVG opened on
its own), and the classes below let CSS theme them. Each SVG carries a small `<style>`
that paints bars and busy days in Material's accent colour (`--md-accent-fg-color`),
falling back to `currentColor`; pass `inline_style=False` and put `CHART_CSS` in the
theme's stylesheet instead if a Content-Security-Policy forbids inline styles. Intensity
is opacity, never a second hue, so both schemes read the same way.

Accessible: `role="img"`, a `<title>` and a `<desc>` that states the counts, referenced
by `aria-labelledby`; each month and day with statements has its own `<title>` ("May 2024:
2 statements", a tooltip on hover, which tests read back). All text is XML-escaped.
Coordinates are integers, so output is byte-stable.

Small, because a large archive has thousands of these (issue #18): what marks share (class,
colour, size, font) sits once on a parent `<g>`; a bar is one stroked line and a day one
rounded square drawn as a short path; months and days without statements get no element of
their own (no bar to hover; empty days are one path together, with no tooltips).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from html import escape

from generator.pages.urls import MONTHS, format_date
from generator.records.model import Statement

#: CSS for the charts, for the theme stylesheet (also inlined unless inline_style=False).
CHART_CSS = (
    ".ba-chart{max-width:100%;height:auto;overflow:visible}"
    ".ba-chart__label{font:10px sans-serif;fill:currentColor}"
    ".ba-chart__axis{stroke:currentColor;stroke-opacity:.3}"
    ".ba-chart__bar{stroke:var(--md-accent-fg-color,currentColor)}"
    ".ba-heat__days{fill:var(--md-accent-fg-color,currentColor);"
    "stroke:var(--md-accent-fg-color,currentColor)}"
    ".ba-chart a:focus path{stroke:currentColor}"
)

# Timeline geometry (SVG user units).
#: Bar width and pitch: wide enough for a month name under each bar in short ranges,
#: narrow for long ones (which label only years), so a decade stays about 1000 units wide.
_BAR, _BAR_STEP = 16, 24
_THIN_BAR, _THIN_STEP = 6, 8
#: Longest range that gets month names under the bars.
_NAMED_MONTHS = 24
_PLOT_H = 80
_LEFT = 30
_TOP = 12
_BOTTOM = 34
_RIGHT = 8

# Heatmap geometry: GitHub-like 11-unit squares with corners of radius 2 on a 13-unit grid.
# A square is drawn as a 7-unit path filled and stroked 4 wide with round joins: the same
# 11-unit rounded square as `<rect width="11" height="11" rx="2">`, in a third of the bytes.
_CELL_STEP = 13
_CELL_INSET = 2
_CELL_SQUARE = "h7v7h-7z"
_HEAT_LEFT = 30
_HEAT_TOP = 18
#: opacity of each intensity level (0 = no statements: a faint square in either mode);
#: a day of level 4 is opaque and needs none.
_LEVEL_OPACITY = (".1", ".4", ".6", ".8", "")
_WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _plural(count: int, noun: str = "statement") -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _open_svg(
    *, width: int, height: int, css_class: str, chart_id: str, title: str, desc: str,
    inline_style: bool,
) -> list[str]:  # fmt: skip
    ids = f"{chart_id}-title {chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ba-chart {css_class}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{_attr(ids)}">',
        f'<title id="{_attr(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{_attr(chart_id)}-desc">{escape(desc)}</desc>',
    ]
    if inline_style:
        parts.append(f"<style>{CHART_CSS}</style>")
    return parts


def _labels(texts: Iterable[tuple[int, int, str]], anchor: str = "start") -> str:
    """Text labels at (x, y), their class, colour, size and anchor set once on a `<g>`."""
    align = "" if anchor == "start" else f' text-anchor="{anchor}"'
    inner = "".join(f'<text x="{x}" y="{y}">{escape(text)}</text>' for x, y, text in texts)
    return f'<g class="ba-chart__label" fill="currentColor" font-size="10"{align}>{inner}</g>'


def _linked(mark: str, href: str | None) -> str:
    return f'<a href="{_attr(href)}">{mark}</a>' if href else mark


# --- Statements per month -------------------------------------------------------------------


def month_counts(statements: Iterable[Statement]) -> dict[tuple[int, int], int]:
    """Statements per (year, month), every month from the first to the last included."""
    counts = Counter((s.date.year, s.date.month) for s in statements)
    if not counts:
        return {}
    (y, m), last = min(counts), max(counts)
    months: dict[tuple[int, int], int] = {}
    while (y, m) <= last:
        months[(y, m)] = counts.get((y, m), 0)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def actor_timeline_svg(
    statements: Iterable[Statement],
    *,
    label: str | None = None,
    chart_id: str = "ba-timeline",
    month_href: Callable[[int, int], str] | None = None,
    inline_style: bool = True,
) -> str:
    """Bars of statements per month, from the first statement's month to the last's.

    Months without statements keep their slot on the axis (so gaps show) but get no bar.
    Each bar is a vertical line as wide as the bar, with a `<title>` ("May 2024: 2
    statements"). `label` (e.g. the actor's name) goes into the title; `month_href(year,
    month)` may link each bar (e.g. to the month's page, as a relative URL). With no
    statements the chart says so instead of drawing an empty axis.
    """
    months = month_counts(statements)
    total = sum(months.values())
    who = f" by {label}" if label else ""
    title = f"Statements{who} per month"
    if not months:
        parts = _open_svg(
            width=200, height=30, css_class="ba-timeline", chart_id=chart_id, title=title,
            desc=f"No statements{who}.", inline_style=inline_style,
        )  # fmt: skip
        parts.append(_labels([(0, 20, "No statements")]))
        return "".join(parts) + "</svg>"

    keys = list(months)
    busiest = max(months.values())
    named = [f"{MONTHS[m - 1]} {y}: {c}" for (y, m), c in months.items() if c]
    first, last = keys[0], keys[-1]
    span = f"{MONTHS[first[1] - 1]} {first[0]}"
    span = f"in {span}" if first == last else f"from {span} to {MONTHS[last[1] - 1]} {last[0]}"
    desc = (
        f"{_plural(total)}{who} {span}, at most {busiest} in a month. By month: {'; '.join(named)}."
    )
    show_months = len(keys) <= _NAMED_MONTHS
    bar_w, step = (_BAR, _BAR_STEP) if show_months else (_THIN_BAR, _THIN_STEP)
    width = _LEFT + len(keys) * step + _RIGHT
    height = _TOP + _PLOT_H + _BOTTOM
    base = _TOP + _PLOT_H
    parts = _open_svg(
        width=width, height=height, css_class="ba-timeline", chart_id=chart_id, title=title,
        desc=desc, inline_style=inline_style,
    )  # fmt: skip
    # Y axis: the busiest month's count at the top, 0 at the baseline.
    parts.append(_labels([(_LEFT - 6, _TOP + 8, str(busiest)), (_LEFT - 6, base, "0")], "end"))
    parts.append(
        f'<line class="ba-chart__axis" x1="{_LEFT}" y1="{base}" x2="{width - _RIGHT}" '
        f'y2="{base}" stroke="currentColor" stroke-opacity=".3"/>'
    )
    parts.append(f'<g class="ba-chart__bar" stroke="currentColor" stroke-width="{bar_w}">')
    names: list[tuple[int, int, str]] = []
    for i, (year, month) in enumerate(keys):
        count = months[(year, month)]
        # The bar's centre line (bar_w is even, so the bar's edges stay on whole units).
        centre = _LEFT + i * step + step // 2
        if count:
            # Integer rounding; a non-empty month is at least 2 units tall so it stays visible.
            top = base - max(2, (count * _PLOT_H + busiest // 2) // busiest)
            bar = (
                f'<path d="M{centre} {base}V{top}">'
                f"<title>{escape(MONTHS[month - 1])} {year}: {_plural(count)}</title></path>"
            )
            parts.append(_linked(bar, month_href(year, month) if month_href else None))
        if show_months:
            names.append((centre, base + 12, MONTHS[month - 1][:3]))
        if i == 0 or month == 1:
            names.append((centre, base + 26, str(year)))
    parts.append("</g>")
    parts.append(_labels(names, "middle"))
    return "".join(parts) + "</svg>"


# --- Statements per day of one year ---------------------------------------------------------


def _level(count: int, busiest: int) -> int:
    # 0 for none, else 1-4 in proportion to the busiest day (ceil, so 1 statement shows).
    return 0 if count <= 0 else min(4, max(1, -(-4 * count // busiest)))


def calendar_heatmap_svg(
    year: int,
    counts_by_day: Mapping[dt.date, int],
    *,
    chart_id: str | None = None,
    day_href: Callable[[dt.date], str] | None = None,
    inline_style: bool = True,
) -> str:
    """A GitHub-style grid of one year: a column per week (Monday first), a square per day.

    Days of other years in `counts_by_day` are ignored, so one Counter of every statement
    date can serve each year's chart. A day with statements is a square of opacity .4 to 1
    (its intensity level, in proportion to the busiest day) with a `<title>` ("1 May 2024:
    2 statements"); `day_href(day)` may link it (e.g. to its day page, as a relative URL).
    The days without statements are faint squares, all in one path.
    """
    if any(count < 0 for count in counts_by_day.values()):
        raise ValueError("counts must not be negative")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts = {d: c for d, c in counts_by_day.items() if first <= d <= last}
    total = sum(counts.values())
    busy_days = sorted((d for d, c in counts.items() if c), key=lambda d: (-counts[d], d))
    busiest = counts[busy_days[0]] if busy_days else 0
    chart_id = chart_id or f"ba-heat-{year:04d}"
    title = f"Statements per day in {year}"
    if busy_days:
        per_month = Counter[int]()
        for day, count in counts.items():
            per_month[day.month] += count
        months = "; ".join(
            f"{MONTHS[m - 1]}: {per_month[m]}" for m in sorted(per_month) if per_month[m]
        )
        desc = (
            f"{_plural(total)} on {_plural(len(busy_days), 'day')} in {year}. Busiest day: "
            f"{format_date(busy_days[0])} ({busiest}). By month: {months}."
        )
    else:
        desc = f"No statements in {year}."

    # Column 0 is the week holding 1 January, starting on its Monday.
    start = first - dt.timedelta(days=first.weekday())
    weeks = (last - start).days // 7 + 1
    width = _HEAT_LEFT + weeks * _CELL_STEP
    height = _HEAT_TOP + 7 * _CELL_STEP
    parts = _open_svg(
        width=width, height=height, css_class="ba-heat", chart_id=chart_id, title=title,
        desc=desc, inline_style=inline_style,
    )  # fmt: skip
    rows = [
        (_HEAT_LEFT - 4, _HEAT_TOP + row * _CELL_STEP + 9, n) for row, n in _WEEKDAY_LABELS.items()
    ]
    parts.append(_labels(rows, "end"))
    month_names: list[tuple[int, int, str]] = []
    empty: list[tuple[int, int]] = []  # the top left corner of each day without statements
    days: list[str] = []
    day = first
    while day <= last:
        x = _HEAT_LEFT + (day - start).days // 7 * _CELL_STEP + _CELL_INSET
        y = _HEAT_TOP + day.weekday() * _CELL_STEP + _CELL_INSET
        if day.day == 1:
            month_names.append((x - _CELL_INSET, _HEAT_TOP - 6, MONTHS[day.month - 1][:3]))
        count = counts.get(day, 0)
        if count:
            opacity = _LEVEL_OPACITY[_level(count, busiest)]
            fade = f' opacity="{opacity}"' if opacity else ""
            square = (
                f'<path{fade} d="M{x} {y}{_CELL_SQUARE}">'
                f"<title>{escape(format_date(day))}: {_plural(count)}</title></path>"
            )
            days.append(_linked(square, day_href(day) if day_href else None))
        else:
            empty.append((x, y))
        day += dt.timedelta(days=1)
    parts.append(_labels(month_names))
    parts.append(
        '<g fill="currentColor" stroke="currentColor" stroke-width="4" stroke-linejoin="round">'
    )
    if empty:
        parts.append(f'<path opacity="{_LEVEL_OPACITY[0]}" d="{_squares_path(empty)}"/>')
    if days:
        parts.append(f'<g class="ba-heat__days">{"".join(days)}</g>')
    return "".join(parts) + "</g></svg>"


def _squares_path(corners: list[tuple[int, int]]) -> str:
    """One path of a square per corner, each moving relative to the last (`z` returns the
    pen to a square's corner), so a year of empty days costs a few bytes each."""
    (x0, y0), *rest = corners
    steps = [f"M{x0} {y0}{_CELL_SQUARE}"]
    for x, y in rest:
        dy = f" {y - y0}" if y >= y0 else str(y - y0)  # a minus sign separates by itself
        steps.append(f"m{x - x0}{dy}{_CELL_SQUARE}")
        x0, y0 = x, y
    return "".join(steps)
