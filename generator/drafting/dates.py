"""The day a sentence names, resolved against the briefing's date.

A briefing dates what it reports relative to itself: "on Tuesday, December 19", "on
November 20" (in the year that puts the day last before the briefing, or at most a week
after it), a bare weekday (the last such day on or before the briefing), "yesterday",
"today". Where the text's
weekday and date disagree, or the day falls after the briefing's own date, the draft says
so in `date_note`; where the disagreement leaves the day in doubt, the note is a TODO.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta, weekday

# English names, spelled out: `calendar`'s follow the process's locale.
_MONTH_NAMES = re.findall(
    r"\S+", "January February March April May June July August September October November December"
)
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = "|".join([*_MONTH_NAMES, *(m[:3] for m in _MONTH_NAMES if m != "May"), "Sept"])
_WEEKDAYS = "|".join(_DAY_NAMES)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:(?P<month>{_MONTHS})\.?\s+(?P<day>{_DAY})|(?P<day2>{_DAY})\s+(?P<month2>{_MONTHS})\.?)"
    r"(?:,?\s+(?P<year>\d{4}))?"
)
_PATTERN = re.compile(
    rf"\b(?:(?P<weekday>{_WEEKDAYS})(?:,\s*|\s+)(?:the\s+)?)?{_DATE}\b"
    rf"|\b(?P<bare>{_WEEKDAYS})\b|\b(?P<relative>yesterday|today)\b",
    re.IGNORECASE,
)
_SLACK_DAYS = 7
#: Words that open the report of an earlier occasion: "Earlier, ...", "Before this, ...".
EARLIER = re.compile(r"^\W*(?:earlier|before (?:this|that)|previously|prior to this)\b", re.I)


@dataclass(frozen=True, slots=True)
class Day:
    """A day named in the text: the words as written, the day they resolve to, and what
    is worth telling the editor about it (`note`; `doubt` when the day itself is unsure)."""

    words: str
    date: dt.date
    note: str | None = None
    doubt: bool = False


def _year_for(month: int, day: int, around: dt.date) -> dt.date | None:
    """The latest such day no more than a week after the briefing: briefings report what
    was said, rarely what is still to come, and a day or two of slack covers a text dated
    the day before its news."""
    for year in (around.year + 1, around.year, around.year - 1, around.year - 2):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= around + dt.timedelta(days=_SLACK_DAYS):
            return candidate
    return None


def find_day(masked: str, briefing_date: dt.date) -> Day | None:
    """The first day named in `masked` (a sentence with its quotes blanked), or None."""
    for match in _PATTERN.finditer(masked):
        words = match.group(0)
        if match.group("relative"):
            shift = 1 if match.group("relative").lower() == "yesterday" else 0
            return Day(words, briefing_date - dt.timedelta(days=shift))
        if match.group("bare"):
            index = _DAY_NAMES.index(match.group("bare").capitalize())
            # The last such weekday on or before the briefing: relativedelta's weekday(-1).
            return Day(words, briefing_date + relativedelta(weekday=weekday(index)(-1)))
        return _dated(match, words, briefing_date)
    return None


def _dated(match: re.Match[str], words: str, briefing_date: dt.date) -> Day | None:
    month_words = match.group("month") or match.group("month2")
    day_words = match.group("day") or match.group("day2")
    try:
        parsed = date_parser.parse(f"{month_words} {day_words} 2000").date()
    except (ValueError, OverflowError):
        return None
    year = match.group("year")
    if year:
        try:
            day = dt.date(int(year), parsed.month, parsed.day)
        except ValueError:
            return None
    else:
        found = _year_for(parsed.month, parsed.day, briefing_date)
        if found is None:
            return None
        day = found
    said = match.group("weekday")
    if said and said.capitalize() != _DAY_NAMES[day.weekday()]:
        index = _DAY_NAMES.index(said.capitalize())
        near = day + relativedelta(weekday=weekday(index)(-1))
        note = (
            f"TODO: the text says “{words}”, but {day.isoformat()} was a "
            f"{_DAY_NAMES[day.weekday()]} (the {said.capitalize()} before it was "
            f"{near.isoformat()}); the statement is recorded on the date the text gives: "
            "check which is right."
        )
        return Day(words, day, note, doubt=True)
    return Day(words, day)


def after_briefing_note(day: Day, briefing_date: dt.date, who: str) -> str | None:
    """The note for a day later than the briefing's own date (None if it is not).

    A weekday that agrees with the date vouches for it; without one the day is in doubt.
    """
    if day.date <= briefing_date:
        return None
    note = (
        f"The briefing that reports this is dated {briefing_date.isoformat()}, but it says "
        f"{who} spoke on {day.words}; the statement is recorded on the day the text gives."
    )
    if re.match(rf"(?:{_WEEKDAYS})\b", day.words, re.IGNORECASE):
        return note
    return f"TODO: check the date. {note}"
