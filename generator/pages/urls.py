"""Every URL of the site, and the spelled-out dates that label them.

URLs are site-relative directory URLs without a leading slash ("statements/x/"; the home
page is ""). They are permalinks: change them only with redirects.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from urllib.parse import quote

from slugify import slugify

from generator.records.model import Archive

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# The characters quote() never changes: an id made of them only is its own URL segment.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]+")


def _seg(record_id: str) -> str:
    # Ids are slugs (the validator says so); quoting keeps a stray character from
    # escaping its folder instead of trusting that. The match skips quote()'s encoding
    # round trip for the usual slug: five URLs per statement page add up.
    if _UNQUOTED.fullmatch(record_id):
        return record_id
    return quote(record_id, safe="")


def statement_url(statement_id: str) -> str:
    """The permalink of a statement."""
    return f"statements/{_seg(statement_id)}/"


def actor_url(actor_id: str) -> str:
    """The page of an actor."""
    return f"actors/{_seg(actor_id)}/"


def topic_url(topic_id: str) -> str:
    """The page of a topic."""
    return f"topics/{_seg(topic_id)}/"


def briefing_url(briefing_id: str) -> str:
    """The page of a briefing."""
    return f"briefings/{_seg(briefing_id)}/"


@lru_cache(maxsize=4096)  # a few publishers, slugified once per source otherwise
def publisher_slug(publisher: str) -> str:
    """The URL segment of a publisher: `ria-novosti` for `RIA Novosti` (python-slugify).

    The one slug function of the site: feeds.py re-exports it for the feed URLs.
    """
    return str(slugify(publisher))


def publishers(archive: Archive) -> dict[str, str]:
    """Each publisher slug with the publisher's name, for every source and briefing.

    When several spellings share a slug (`RIA Novosti`, `RIA-Novosti`) they share one page
    and feed, named by the alphabetically first spelling. Names that slugify to nothing
    (only punctuation) get neither: they would have no URL.
    """
    names: dict[str, str] = {}
    spellings = {b.publisher for b in archive.briefings.values()}
    spellings |= {src.publisher for s in archive.statements.values() for src in s.sources}
    for name in sorted(spellings):
        slug = publisher_slug(name)
        if slug and slug not in names:
            names[slug] = name
    return dict(sorted(names.items()))


def publisher_url(slug: str) -> str:
    """The page of a publisher (`slug` from `publisher_slug`)."""
    return f"publishers/{_seg(slug)}/"


def year_url(year: int) -> str:
    """Every statement of a year."""
    return f"dates/{year:04d}/"


def month_url(year: int, month: int) -> str:
    """Every statement of a month."""
    return f"dates/{year:04d}/{month:02d}/"


def day_url(day: dt.date) -> str:
    """Every statement of a day."""
    return f"dates/{day.year:04d}/{day.month:02d}/{day.day:02d}/"


#: The page that takes the reader to today's `on_this_day_url`.
ON_THIS_DAY_URL = "on-this-day/"


def on_this_day_url(month: int, day: int) -> str:
    """Every statement made on this calendar day, of any year."""
    return f"{ON_THIS_DAY_URL}{month:02d}-{day:02d}/"


def paged_url(base: str, number: int) -> str:
    """Page `number` (1-based) of the listing at `base`."""
    return base if number == 1 else f"{base}page/{number}/"


def src_uri(url: str) -> str:
    """The in-memory Markdown file that MkDocs turns into the page at `url`."""
    return f"{url}index.md"


def format_date(day: dt.date) -> str:
    """`19 December 2023`: spelled out so it cannot be misread, and locale-free."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def wikidata_url(qid: str) -> str:
    """The Wikidata item of an id such as Q7747 (the validator checks the form)."""
    return "https://www.wikidata.org/wiki/" + quote(qid, safe="")


__all__ = [
    "MONTHS",
    "ON_THIS_DAY_URL",
    "actor_url",
    "briefing_url",
    "day_url",
    "format_date",
    "month_url",
    "on_this_day_url",
    "paged_url",
    "publisher_slug",
    "publisher_url",
    "publishers",
    "src_uri",
    "statement_url",
    "topic_url",
    "wikidata_url",
    "year_url",
]
