"""What one record file says on its own (`Checked`), and its plain form for `marshal`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.problems import Problem


@dataclass(frozen=True, slots=True)
class Checked:
    """What one file says on its own: a pure function of its bytes, kind and place.

    This is what the cache keeps, so it holds plain data and the few positions that the
    checks across records report at, not the whole node tree.
    """

    fields: dict[str, Any] | None  # the record's data, when it is a mapping
    problems: tuple[Problem, ...]
    ident: str | None  # a well-formed id, for the index of ids
    usable: bool  # no errors: the record goes into the archive
    marks: dict[str, tuple[int, int]]  # "date", "briefing", "actors.1", ... -> line, column


def problem_data(p: Problem) -> tuple[str, int, int, str, str, str]:
    """A problem as a plain tuple, in `Problem`'s field order."""
    return (p.path, p.line, p.column, p.message, p.hint, p.severity)


def pack_checked(checked: Checked) -> tuple[Any, ...]:
    """A file's result as plain data, for `marshal` (the disk cache, the worker's answer)."""
    problems = tuple(problem_data(p) for p in checked.problems)
    return (checked.fields, problems, checked.ident, checked.usable, checked.marks)


def unpack_checked(data: tuple[Any, ...]) -> Checked:
    """The `Checked` that `pack_checked` turned into `data`."""
    fields, problems, ident, usable, marks = data
    return Checked(fields, tuple(Problem(*p) for p in problems), ident, usable, marks)
