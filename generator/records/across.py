"""The rules across records: name collisions, references, publishers' spellings, warnings.

They run on every file's `Checked` result (and, for the warnings, on the assembled archive);
`finish_checks` makes the final list: sorted, one problem per place.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections import defaultdict
from typing import Any

from generator.problems import Problem
from generator.records.checks import ID_PATTERN
from generator.records.find import RecordFile
from generator.records.model import Archive
from generator.records.provenance import check_quotes
from generator.records.suggest import Hints


def _fold(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold() is lower() there
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def check_collisions(records: list[RecordFile], out: list[Problem]) -> None:
    """File names that differ only by case or Unicode form would overwrite each other's pages."""
    seen: dict[tuple[str, str], RecordFile] = {}
    for record in records:
        key = (record.kind, _fold(record.stem))
        first = seen.setdefault(key, record)
        if first is record:
            continue
        same = first.stem == record.stem
        message = (
            f"{record.kind} id `{record.stem}` is used twice"
            if same
            else f"`{record.stem}` and `{first.stem}` differ only by case or Unicode form"
        )
        out.append(
            Problem(
                record.display,
                1,
                1,
                f"{message} (also {first.display})",
                "give each record its own id",
            )
        )


_REFERENCES = {
    "statement": {
        "actors": "actor",
        "mentions": "actor",
        "topics": "topic",
        "related": "statement",
        "briefing": "briefing",
    },
    "actor": {"country": "actor"},
}


def check_references(
    records: list[RecordFile], index: dict[str, dict[str, RecordFile]], out: list[Problem]
) -> None:
    """Add to `out` every reference to a record that is missing or of the wrong kind."""
    # A file that exists but could not be read is not "missing": reporting every
    # reference to it would bury the one problem that matters.
    unreadable = {
        (r.kind, r.stem) for r in records if r.checked is None or r.checked.fields is None
    }
    hints = Hints(lambda kind: _ids_of(index, kind))
    for record in records:
        checked = record.checked
        if checked is None or checked.fields is None:
            continue
        for key, target in _REFERENCES.get(record.kind, {}).items():
            value = checked.fields.get(key)
            if value is None:
                continue
            items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            for i, ref in items:
                if not isinstance(ref, str) or not ID_PATTERN.match(ref):
                    continue
                line, column = checked.marks.get(key if i is None else f"{key}.{i}", (1, 1))
                if key == "related" and ref == checked.ident:
                    out.append(
                        Problem(
                            record.display,
                            line,
                            column,
                            "`related` names the statement itself",
                            "remove it; related lists other statements",
                        )
                    )
                elif ref not in index[target]:
                    if (target, ref) in unreadable:
                        continue
                    folder = "statements/<yyyy>" if target == "statement" else f"{target}s"
                    out.append(
                        Problem(
                            record.display,
                            line,
                            column,
                            f"`{key}` names {target} `{ref}`, which does not exist",
                            f"check the spelling{hints.aside(_TARGETS.get(key, target), ref)}, "
                            f"or add content/{folder}/{ref}.yml",
                        )
                    )
                elif key == "country":
                    country = index["actor"][ref].checked
                    kind = country.fields.get("kind") if country and country.fields else None
                    if kind is not None and kind != "state":
                        out.append(
                            Problem(
                                record.display,
                                line,
                                column,
                                f"`country` names `{ref}`, which is not a state",
                                "name an actor whose kind is state",
                            )
                        )
    check_quotes(records, index, out)  # quotes against the text of the briefing they cite


_TARGETS = {"country": "state"}  # whose ids to suggest: a country can only be a state


def _ids_of(index: dict[str, dict[str, RecordFile]], kind: str) -> list[str]:
    if kind != "state":
        return list(index[kind])
    return [i for i, r in index["actor"].items() if _fields_of(r).get("kind") == "state"]


def _fields_of(record: RecordFile) -> dict[str, Any]:
    return (record.checked.fields if record.checked else None) or {}


def judging_day() -> dt.date:
    """The day the checks take as today (a statement dated after it is in the future)."""
    # Honour SOURCE_DATE_EPOCH so that reproducible builds also judge "the future" alike.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def check_warnings(archive: Archive, records: dict[str, RecordFile], out: list[Problem]) -> None:
    """Add to `out` what is worth a look but may be right: the checks that only warn."""
    today = judging_day()
    for statement in archive.statements.values():
        record = records[statement.id]
        assert record.checked is not None
        marks = record.checked.marks

        def warn(
            mark: str, message: str, hint: str, display: str = record.display, marks: Any = marks
        ) -> None:
            line, column = marks.get(mark, (1, 1))
            out.append(Problem(display, line, column, message, hint, "warning"))

        if statement.date > today:
            warn(
                "date",
                f"the statement's date {statement.date} is in the future",
                "use the day the statement was made",
            )
        sources = [(s, f"sources.{i}") for i, s in enumerate(statement.sources)]
        if statement.briefing is not None and statement.briefing in archive.briefings:
            sources.insert(0, (archive.briefings[statement.briefing].as_source(), "briefing"))
        for source, mark in sources:
            if source.published < statement.date and not statement.date_note:
                warn(
                    mark,
                    f"the source is dated {source.published}, before the statement "
                    f"({statement.date})",
                    "check both dates; if they are right, explain the difference in `date_note`",
                )
        for i, actor_id in enumerate(statement.actors):
            actor = archive.actors.get(actor_id)
            if actor and actor.roles and not actor.roles_on(statement.date):
                warn(
                    f"actors.{i}",
                    f"no recorded role of `{actor_id}` covers {statement.date}",
                    f"add the role they held then to content/{actor.path}, or check the date",
                )


def _outlet_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFKC", name)).casefold().split())


def _same_outlet(a: str, b: str, ka: str, kb: str) -> bool:
    """Two spellings that probably name one outlet ("RIA Novosti" / "RIA News").

    `ka` and `kb` are their `_outlet_key`s, computed once per name by the caller.
    """
    if ka == kb:
        return True
    if re.findall(r"\d+", ka) != re.findall(r"\d+", kb):
        return False  # "Channel 1" and "Channel 12" are two outlets
    first_a, first_b = a.split()[0], b.split()[0]
    # A shared leading acronym (RIA, TASS, BBC) is the outlet's name in any language.
    if first_a == first_b and len(first_a) >= 2 and first_a.isupper():
        return True
    return difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.85


def check_publishers(records: list[RecordFile], out: list[Problem]) -> None:
    """Warn where one outlet is spelled two ways, so its statements stay on one page."""
    places: dict[str, tuple[str, int, int]] = {}
    for record in records:
        checked = record.checked
        if checked is None or checked.fields is None:
            continue
        found: list[tuple[object, str]] = [(checked.fields.get("publisher"), "publisher")]
        sources = checked.fields.get("sources")
        if isinstance(sources, list):
            found += [
                (src.get("publisher"), f"sources.{i}.publisher")
                for i, src in enumerate(sources)
                if isinstance(src, dict)
            ]
        for name, mark in found:
            if isinstance(name, str) and name.strip() and name not in places:
                line, column = checked.marks.get(mark, (1, 1))
                places[name] = (record.display, line, column)
    names = sorted(places, key=lambda n: (places[n], n))
    # Compare only names with the same first letter: real archives name a few hundred
    # outlets, and this keeps a large one from comparing every pair.
    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)  # initial -> (name, key)
    for name in names:
        key = _outlet_key(name)
        same_initial = seen[key[:1]]
        for earlier, earlier_key in same_initial:
            if _same_outlet(earlier, name, earlier_key, key):
                where = places[earlier]
                out.append(
                    Problem(
                        *places[name],
                        f"publisher `{name}` looks like `{earlier}` "
                        f"({where[0]}:{where[1]}:{where[2]})",
                        f"spell one outlet one way everywhere, e.g. `{earlier}`",
                        "warning",
                    )
                )
                break
        same_initial.append((name, key))


def finish_checks(problems: list[Problem], strict: bool) -> tuple[Problem, ...]:
    """Sorted, one problem per place (the first explains the rest), warnings raised if strict."""
    seen: set[tuple[str, int, int]] = set()
    unique: list[Problem] = []
    for p in problems:
        p = p.as_error() if strict else p
        # The first finding at a place is the precise one (e.g. "a datetime where a date
        # belongs"); later ones at the same place are the schema restating it.
        key = (p.path, p.line, p.column)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return tuple(sorted(unique))
