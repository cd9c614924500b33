"""Corrections: the order they are shown in, and the page that lists every one of them.

Fact-checkers' codes commit to open corrections: a statement's page shows its own at the top
(`statement.md.j2`), `corrections/` lists all of them, and outputs/atom.py makes their feed.
Each shows them through `newest_first` / `all_corrections`, the one definition of the order.
"""

from __future__ import annotations

from generator.pages.models import GeneratedPage
from generator.records.model import Archive, Correction, Statement

#: The page that lists every correction, and its feed beside it.
CORRECTIONS_URL = "corrections/"


def newest_first(corrections: tuple[Correction, ...]) -> tuple[Correction, ...]:
    """A statement's corrections, newest first; on the same day, the later in the record first."""
    ordered = sorted(enumerate(corrections), key=lambda pair: (pair[1].date, pair[0]))
    return tuple(correction for _, correction in reversed(ordered))


def all_corrections(archive: Archive) -> tuple[tuple[Statement, Correction], ...]:
    """Every correction with its statement: newest first, then by statement id."""
    pairs = [
        (index, statement, correction)
        for statement in archive.statements.values()
        for index, correction in enumerate(newest_first(statement.corrections))
    ]
    # Statements iterate in id order; the sort is stable, so a day's corrections keep it.
    pairs.sort(key=lambda item: (-item[2].date.toordinal(), item[1].id, item[0]))
    return tuple((statement, correction) for _, statement, correction in pairs)


def corrections_page(archive: Archive) -> GeneratedPage:
    """`corrections/`: every correction, newest first, each linking to its statement."""
    return GeneratedPage(
        url=CORRECTIONS_URL,
        title="Corrections",
        template="corrections.md.j2",
        context={"corrections": all_corrections(archive)},
        feed=("corrections", None),
    )


__all__ = ["CORRECTIONS_URL", "all_corrections", "corrections_page", "newest_first"]
