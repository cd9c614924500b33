"""Corrections made to a statement after publication: checked, shown, listed and followed.

The mini fixture has three corrections on two statements (5 and 7 March on Li Wei's remarks,
6 March on the hostile record). Bad corrections are checked in a copy of conftest.BASE.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser
from _site_support import GOLDEN_OPTIONS
from conftest import STATEMENT, where

from generator.outputs import downloads, feeds
from generator.pages.pipeline import generate
from generator.records.model import Archive
from generator.records.validate import validate_archive

SITE = "https://example.test/archive/"
LI_WEI = "li-wei-protocol-remarks-2024-03-03"
HOSTILE = "anna-petrova-tariff-remarks-2024-03-03"


def _with_corrections(repo: Path, block: str) -> Path:
    path = repo / "content" / STATEMENT
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")
    return path


def _problems(repo: Path) -> list[str]:
    result = validate_archive(repo / "content")
    return [f"{p.where}: {p.message}" for p in result.errors]


def test_a_correction_without_its_note_or_with_a_wrong_date_is_reported_where_it_is(
    repo: Path,
) -> None:
    path = _with_corrections(
        repo,
        "corrections:\n"
        "  - date: 2024-02-30\n"
        "    note: The day was wrong.\n"
        "  - date: 2024-03-01\n"
        "  - date: 2024-03-02\n"
        "    note: Fine.\n"
        "    by: someone\n",
    )
    found = _problems(repo)
    # Problems name the file as given (here absolute): `path:line:column`.
    folder = str(path.parent) + "/"
    bad_day = folder + where(path, "2024-02-30", path.parent)
    no_note = folder + where(path, "date: 2024-03-01", path.parent)
    unknown = folder + where(path, "by:", path.parent)
    assert any(p.startswith(bad_day) and "not a real calendar date" in p for p in found), found
    assert any(p.startswith(no_note) and "required field `note`" in p for p in found), found
    assert any(p.startswith(unknown) and "unknown field `by`" in p for p in found), found


def test_a_good_correction_passes_and_reaches_the_model(repo: Path) -> None:
    _with_corrections(repo, "corrections:\n  - date: 2024-03-02\n    note: Fixed a typo.\n")
    result = validate_archive(repo / "content")
    assert not result.errors
    assert result.archive is not None
    statement = next(iter(result.archive.statements.values()))
    assert [(c.date.isoformat(), c.note) for c in statement.corrections] == [
        ("2024-03-02", "Fixed a typo.")
    ]


def test_the_statement_page_opens_with_its_corrections_newest_first(archive: Archive) -> None:
    pages = generate(archive, GOLDEN_OPTIONS)
    body = pages[f"statements/{LI_WEI}/index.md"].split("ba-head-->", 1)[1]
    notice = body.index('<div class="ba-corrections" role="note"')
    assert body.index("<h1>") < notice < body.index('<dl class="ba-facts">')
    assert body.index("7 March 2024") < body.index("5 March 2024")
    # A statement without corrections has no notice.
    plain = pages["statements/northland-eastland-river-protocol-2024-03-01/index.md"]
    assert "ba-corrections" not in plain


def test_the_corrections_page_lists_every_correction_newest_first(archive: Archive) -> None:
    page = generate(archive, GOLDEN_OPTIONS)["corrections/index.md"]
    links = [
        (day, href)
        for day, href in (
            (line.split('datetime="')[1][:10], line.split('href="')[1].split('"')[0])
            for line in page.splitlines()
            if line.startswith("<li>")
        )
    ]
    assert links == [
        ("2024-03-07", f"../statements/{LI_WEI}/#corrections"),
        ("2024-03-06", f"../statements/{HOSTILE}/#corrections"),
        ("2024-03-05", f"../statements/{LI_WEI}/#corrections"),
    ]
    assert 'href: "corrections/feed.xml"' in page  # the page advertises the feed


def test_the_corrections_feed_is_valid_atom_newest_first(archive: Archive) -> None:
    parsed = feedparser.parse(feeds.all_feeds(archive, SITE)["corrections/feed.xml"])
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "Briefing Archive: corrections"
    entries = parsed.entries
    assert [e.updated[:10] for e in entries] == ["2024-03-07", "2024-03-06", "2024-03-05"]
    assert entries[0].link == f"{SITE}statements/{LI_WEI}/#corrections"
    assert entries[0].summary == "Linked to the briefing the remarks were reported in."
    # Record text stays text: the hostile note's markup is not markup in the feed.
    assert entries[1].summary == "The venue was <b>misnamed</b>; {{ 7*7 }} stays literal."
    assert entries[1].summary_detail.type == "text/plain"
    assert len({e.id for e in entries}) == 3


def test_the_downloads_carry_the_corrections(archive: Archive) -> None:
    records = {s["id"]: s for s in json.loads(downloads.statements_json(archive, SITE))}
    assert records[LI_WEI]["corrections"] == [
        {"date": "2024-03-05", "note": "The quote was first attributed to the wrong speaker."},
        {"date": "2024-03-07", "note": "Linked to the briefing the remarks were reported in."},
    ]
    assert records["northland-eastland-river-protocol-2024-03-01"]["corrections"] == []
    text = downloads.statements_csv(archive, SITE).removeprefix(downloads.BOM)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[LI_WEI]["correction_dates"] == "2024-03-05; 2024-03-07"
    assert rows[LI_WEI]["correction_notes"].startswith("The quote was first attributed")
