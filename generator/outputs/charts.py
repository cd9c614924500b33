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
by `aria-labelledby`; each bar and day has its own `<title>` (a tooltip on hover) and
`data-count` (and `data-month` / `data-date`) attributes, so tests and scripts can read the
numbers. All text is XML-escaped. Coordinates are integers, so output is byte-stable.
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
    ".ba-chart__bar,.ba-heat__cell--l1,.ba-heat__cell--l2,.ba-heat__cell--l3,"
    ".ba-heat__cell--l4{fill:var(--md-accent-fg-color,currentColor)}"
    ".ba-chart a:focus .ba-chart__bar,.ba-chart a:focus rect{stroke:currentColor;stroke-width:2}"
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

# Heatmap geometry: GitHub-like 11-unit squares on a 13-unit grid.
_CELL = 11
_CELL_STEP = 13
_HEAT_LEFT = 30
_HEAT_TOP = 18
#: fill-opacity of each intensity level (0 = no statements: a faint square in either mode).
_LEVEL_OPACITY = ("0.1", "0.4", "0.6", "0.8", "1")
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


def _label(x: int, y: int, text: str, anchor: str = "start") -> str:
    return (
        f'<text class="ba-chart__label" x="{x}" y="{y}" text-anchor="{anchor}" '
        f'fill="currentColor" font-size="10">{escape(text)}</text>'
    )


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

    Months without statements are drawn as empty slots (`data-count="0"`) so gaps show.
    `label` (e.g. the actor's name) goes into the title; `month_href(year, month)` may link
    each non-empty bar (e.g. to the month's page, as a relative URL). With no statements
    the chart says so instead of drawing an empty axis.
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
        parts.append(_label(0, 20, "No statements"))
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
    parts.append(_label(_LEFT - 6, _TOP + 8, str(busiest), "end"))
    parts.append(_label(_LEFT - 6, base, "0", "end"))
    parts.append(
        f'<line class="ba-chart__axis" x1="{_LEFT}" y1="{base}" x2="{width - _RIGHT}" '
        f'y2="{base}" stroke="currentColor" stroke-opacity="0.3"/>'
    )
    for i, (year, month) in enumerate(keys):
        count = months[(year, month)]
        x = _LEFT + i * step + (step - bar_w) // 2
        # Integer rounding; a non-empty month is at least 2 units tall so it stays visible.
        h = max(2, (count * _PLOT_H + busiest // 2) // busiest) if count else 0
        name = f"{MONTHS[month - 1]} {year}"
        bar = (
            f'<rect class="ba-chart__bar" data-month="{year:04d}-{month:02d}" '
            f'data-count="{count}" x="{x}" y="{base - h}" width="{bar_w}" height="{h}" '
            f'fill="currentColor"><title>{escape(name)}: {_plural(count)}</title></rect>'
        )
        parts.append(_linked(bar, month_href(year, month) if month_href and count else None))
        centre = x + bar_w // 2
        if show_months:
            parts.append(_label(centre, base + 12, MONTHS[month - 1][:3], "middle"))
        if i == 0 or month == 1:
            parts.append(_label(centre, base + 26, str(year), "middle"))
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
    date can serve each year's chart. A day's square has `data-date`, `data-count` and an
    intensity class `ba-heat__cell--l0` (none) to `--l4` (busiest). `day_href(day)` may link
    each day that has statements (e.g. to its day page, as a relative URL).
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
    for row, name in _WEEKDAY_LABELS.items():
        parts.append(_label(_HEAT_LEFT - 4, _HEAT_TOP + row * _CELL_STEP + 9, name, "end"))
    day = first
    while day <= last:
        col = (day - start).days // 7
        x = _HEAT_LEFT + col * _CELL_STEP
        if day.day == 1:
            parts.append(_label(x, _HEAT_TOP - 6, MONTHS[day.month - 1][:3]))
        count = counts.get(day, 0)
        level = _level(count, busiest)
        cell = (
            f'<rect class="ba-heat__cell ba-heat__cell--l{level}" data-date="{day.isoformat()}" '
            f'data-count="{count}" x="{x}" y="{_HEAT_TOP + day.weekday() * _CELL_STEP}" '
            f'width="{_CELL}" height="{_CELL}" rx="2" fill="currentColor" '
            f'fill-opacity="{_LEVEL_OPACITY[level]}">'
            f"<title>{escape(format_date(day))}: {_plural(count)}</title></rect>"
        )
        parts.append(_linked(cell, day_href(day) if day_href and count else None))
        day += dt.timedelta(days=1)
    return "".join(parts) + "</svg>"
