"""Record files -> an `Archive` of models, collecting every problem on the way.

Stages, in order: `_discover_files` (layout, symlinks, names), `load.load_file`
(YAML traps), `_check_schema` (JSON Schema, through the jsonschema library),
`_build_*` (models and record-level rules), `_check_references` (ids that must
exist) and `_check_warnings` (plausibility). Nothing stops at the first problem:
an editor fixes everything from one run.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import json
import os
import re
import stat
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema

from generator.cache import FileCache
from generator.load import Node, decode, is_datetime, load_text
from generator.model import (
    Actor,
    Archive,
    Briefing,
    Links,
    Name,
    Quote,
    Role,
    Source,
    Statement,
    Topic,
)
from generator.problems import Problem
from generator.progress import progress

KINDS = ("actor", "topic", "statement", "briefing")
_FOLDERS = {
    "actors": "actor",
    "topics": "topic",
    "statements": "statement",
    "briefings": "briefing",
}
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_MAX = 80
# Names Windows refuses as files, whatever the extension; an id becomes a file in site/.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")
_DATE_FIELDS = {"date", "published", "from", "to"}


@dataclass(frozen=True)
class Result:
    """What validation found: the archive (None if anything is an error) and every problem."""

    archive: Archive | None
    problems: tuple[Problem, ...]
    checked: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that fail validation."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems that fail only under --strict."""
        return tuple(p for p in self.problems if p.severity == "warning")


@dataclass
class _Record:
    kind: str
    path: Path
    rel: str  # relative to the content folder, POSIX
    display: str
    checked: _Checked | None = None


@dataclass(frozen=True, slots=True)
class _Checked:
    """What one file says on its own: a pure function of its bytes, kind and place.

    This is what the cache keeps, so it holds plain data and the few positions that the
    checks across records report at, not the whole node tree.
    """

    fields: dict[str, Any] | None  # the record's data, when it is a mapping
    problems: tuple[Problem, ...]
    ident: str | None  # a well-formed id, for the index of ids
    usable: bool  # no errors: the record goes into the archive
    marks: dict[str, tuple[int, int]]  # "date", "briefing", "actors.1", ... -> line, column


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of one kind of record, as shipped in the package."""
    text = resources.files("generator").joinpath(f"schemas/{kind}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _validator(kind: str) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema(kind))
    return cls(schema(kind))


def display_path(path: Path) -> str:
    """The path as an editor wants to see it: relative to the working folder when inside it."""
    # Resolve the folder only: a symlinked file must be shown as itself, not as its target.
    return _display_folder(str(path.parent), os.getcwd()) + path.name


@cache
def _display_folder(folder: str, cwd: str) -> str:
    # Once per folder, not per file: resolving is a system call per path component.
    try:
        rel = Path(folder).resolve().relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return folder.rstrip("/") + "/"
    return "" if rel == "." else rel + "/"


# --- discovery ---------------------------------------------------------------------------
def _discover_files(content_dir: Path, out: list[Problem]) -> list[_Record]:
    """Every record file, in a stable order; layout problems go to `out`."""
    records: list[_Record] = []
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        rel_dir = here.relative_to(content_dir)
        for name in list(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
            elif (here / name).is_symlink():
                out.append(
                    _at(
                        here / name,
                        "symlinked folder in content/",
                        "replace the link with the real folder: links can lead outside the archive",
                    )
                )
                dirnames.remove(name)
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                continue
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                out.append(
                    _at(
                        path,
                        "symlink in content/",
                        "replace the link with the file itself: links can lead outside the archive",
                    )
                )
                continue
            if not stat.S_ISREG(st.st_mode):
                out.append(_at(path, "not a regular file", "remove it from content/"))
                continue
            suffix = path.suffix.lower()
            if suffix not in (".yml", ".yaml"):
                continue  # notes, READMEs and images may sit beside records
            if suffix == ".yaml" or path.suffix != ".yml":
                out.append(
                    _at(
                        path,
                        f"record files end in .yml, not {path.suffix}",
                        f"rename it to {path.stem}.yml",
                    )
                )
                continue
            kind = _kind_of(rel_dir)
            if kind is None:
                out.append(
                    _at(
                        path,
                        "record outside the known folders",
                        "move it to content/actors/, content/topics/, content/briefings/ "
                        "or content/statements/<yyyy>/",
                    )
                )
                continue
            rel = (rel_dir / name).as_posix()
            records.append(_Record(kind, path, rel, display_path(path)))
    return records


def _kind_of(rel_dir: Path) -> str | None:
    parts = rel_dir.parts
    if len(parts) == 1 and parts[0] in ("actors", "topics", "briefings"):
        return _FOLDERS[parts[0]]
    if len(parts) == 2 and parts[0] == "statements" and re.fullmatch(r"[0-9]{4}", parts[1]):
        return "statement"
    return None


def _at(path: Path, message: str, hint: str, line: int = 1, column: int = 1) -> Problem:
    return Problem(display_path(path), line, column, message, hint)


# --- schema ------------------------------------------------------------------------------
def _check_schema(record: _Record, root: Node, out: list[Problem]) -> None:
    if not isinstance(root.value, dict):
        what = "a list" if isinstance(root.value, list) else "a single value"
        out.append(
            Problem(
                record.display,
                root.line,
                root.column,
                f"the record is {what}, but it must be a mapping of fields",
                "write one `field: value` per line, e.g. `id: ...`",
            )
        )
        return
    _check_dates(record, root, out)
    errors = sorted(
        _validator(record.kind).iter_errors(root.plain()),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    for error in errors:
        out.extend(_explain(record, root, error))


def _walk(node: Node, key: str = "") -> Iterator[tuple[str, Node]]:
    yield key, node
    if isinstance(node.value, dict):
        for k, child in node.value.items():
            yield from _walk(child, k)
    elif isinstance(node.value, list):
        for child in node.value:
            yield from _walk(child, key)


def _check_dates(record: _Record, root: Node, out: list[Problem]) -> None:
    """Datetimes and impossible calendar dates, which a pattern alone lets through."""
    for key, node in _walk(root):
        if key not in _DATE_FIELDS or not isinstance(node.value, str):
            continue
        if is_datetime(node.value):
            out.append(
                Problem(
                    record.display,
                    node.line,
                    node.column,
                    f"`{key}` holds a date and time ({node.value}), but only a date belongs here",
                    f"write the day alone, e.g. {node.value[:10]}",
                )
            )
            continue
        if re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", node.value):
            try:  # roles' `from`/`to` may be YYYY or YYYY-MM; both ends must be real days
                _partial(node.value, False), _partial(node.value, True)
            except ValueError:
                out.append(
                    Problem(
                        record.display,
                        node.line,
                        node.column,
                        f"{node.value} is not a real calendar date",
                        "check the day and month (YYYY-MM-DD)",
                    )
                )


def _explain(record: _Record, root: Node, error: jsonschema.ValidationError) -> Iterable[Problem]:
    """One schema error as problems at the exact place, in words an editor can act on."""
    path = tuple(error.absolute_path)
    node = root.locate(path)
    field_name = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    where = f"`{field_name}`" if field_name else "the record"
    validator, value = error.validator, error.instance

    def at(n: Node, message: str, hint: str, key: bool = False) -> Problem:
        line, col = (n.key_line, n.key_column) if key and n.key_line else (n.line, n.column)
        return Problem(record.display, line, col, message, hint)

    if validator == "additionalProperties" and isinstance(node.value, dict):
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            yield at(
                node.value[key],
                f"unknown field `{key}`",
                f"allowed fields here: {', '.join(allowed)}",
                key=True,
            )
        return
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        yield at(
            node,
            f"{where} is missing the required field `{missing}`",
            f"add `{missing}:`"
            + (" (see the format in README.md)" if where == "the record" else ""),
        )
        return
    if validator == "anyOf" and error.schema is schema(record.kind):
        yield at(
            node,
            "the statement names no source",
            "add `sources:` (title, publisher, published) or `briefing: <briefing id>`",
        )
        return
    if validator == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        yield at(
            node,
            f"{where} is {value!r}, which is not one of the allowed values",
            f"use one of: {options}",
        )
        return
    if validator == "type" or (validator == "anyOf" and field_name in ("from", "to")):
        expected = error.validator_value if validator == "type" else "date"
        got = _type_name(value)
        hint = (
            "put the value in quotes"
            if expected == "string" and got in ("number", "boolean")
            else (f"write {where} as a {_type_word(expected)}")
        )
        if got == "empty":
            hint = f"fill in {where} or remove the line"
        yield at(node, f"{where} should be a {_type_word(expected)}, not {_article(got)}", hint)
        return
    if validator == "pattern":
        if field_name in _DATE_FIELDS:
            yield at(
                node,
                f"{where} is {value!r}, not a date in YYYY-MM-DD form",
                "write the date as YYYY-MM-DD, e.g. 2023-12-19",
            )
        elif field_name in ("url", "archived_url", "website"):
            yield at(
                node,
                f"{where} is not an absolute http(s) address: {value!r}",
                "use a full address starting with https:// or http://",
            )
        elif error.validator_value == r"\S":
            yield at(node, f"{where} is blank", f"write the text, or remove {where}")
        elif error.validator_value.startswith("^[a-z0-9]"):
            yield at(
                node,
                f"{where} has {value!r}, which is not a valid id",
                "ids use lowercase a-z, 0-9 and single hyphens, e.g. vladimir-putin",
            )
        elif field_name in ("lang", "original_lang", "language"):
            yield at(
                node,
                f"{where} is {value!r}, not a language tag",
                "use a BCP 47 tag such as en, ru or zh",
            )
        elif field_name == "wikidata":
            yield at(
                node, f"{where} is {value!r}, not a Wikidata id", "write the item id, e.g. Q7747"
            )
        else:
            yield at(node, f"{where} is {value!r}, which has the wrong form", error.message)
        return
    if validator in ("minItems", "minLength"):
        yield at(node, f"{where} is empty", f"fill in {where}, or remove it if it is optional")
        return
    if validator in ("maxLength",):
        yield at(node, f"{where} is longer than {error.validator_value} characters", "shorten it")
        return
    if validator == "uniqueItems":
        yield at(node, f"{where} lists the same item twice", "remove the repeated item")
        return
    if validator == "dependentRequired":
        yield at(
            node,
            "a quote with `original` also needs `original_lang`",
            "add `original_lang:` with the language of the original wording",
        )
        return
    yield at(node, f"{where}: {error.message}", "see the record format in README.md")


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    return "mapping"


def _type_word(expected: Any) -> str:
    words = {
        "string": "text",
        "array": "list",
        "object": "mapping of fields",
        "integer": "whole number",
        "date": "date",
    }
    return words.get(str(expected), str(expected))


def _article(word: str) -> str:
    return {"empty": "empty", "list": "a list", "mapping": "a mapping of fields"}.get(word, word)


# --- ids ---------------------------------------------------------------------------------
def _check_id(record: _Record, root: Node, out: list[Problem]) -> str | None:
    node = root.value.get("id")
    stem = record.path.stem
    if _RESERVED.match(stem.lower()):
        out.append(
            Problem(
                record.display,
                1,
                1,
                f"`{stem}` is a reserved device name on Windows",
                "choose another id, e.g. add a word: nul-statement",
            )
        )
    if node is None or not isinstance(node.value, str):
        return None
    ident = node.value
    if not ID_PATTERN.match(ident) or len(ident) > ID_MAX:
        return None  # the schema already reported it
    if ident != stem:
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"id `{ident}` does not match the file name `{record.path.name}`",
                f"rename the file to {ident}.yml, or set `id: {stem}`",
            )
        )
    return ident


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _check_collisions(records: list[_Record], out: list[Problem]) -> None:
    """File names that differ only by case or Unicode form would overwrite each other's pages."""
    seen: dict[tuple[str, str], _Record] = {}
    for record in records:
        key = (record.kind, _fold(record.path.stem))
        first = seen.setdefault(key, record)
        if first is record:
            continue
        same = first.path.stem == record.path.stem
        message = (
            f"{record.kind} id `{record.path.stem}` is used twice"
            if same
            else f"`{record.path.stem}` and `{first.path.stem}` differ only by case or Unicode form"
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


# --- models ------------------------------------------------------------------------------
def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _whole(value: Any) -> int | None:
    # JSON Schema counts 1.0 as an integer; the model keeps a real int.
    return None if value is None else int(value)


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _partial(value: Any, end: bool) -> dt.date | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD bound as a date: its first day, or last when `end`."""
    if value is None:
        return None
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 3:
        return dt.date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)


def _build_actor(r: _Record, d: dict[str, Any]) -> Actor:
    links = d.get("links") or {}
    return Actor(
        id=d["id"],
        name=d["name"],
        kind=d["kind"],
        path=r.rel,
        names=tuple(Name(n["name"], n["lang"]) for n in d.get("names", [])),
        country=_text(d, "country"),
        roles=tuple(
            Role(
                x["title"],
                x.get("organization"),
                _partial(x.get("from"), False),
                _partial(x.get("to"), True),
            )
            for x in d.get("roles", [])
        ),
        description=_text(d, "description"),
        links=Links(wikidata=links.get("wikidata"), website=links.get("website")),
    )


def _build_source(d: dict[str, Any]) -> Source:
    return Source(
        d["title"], d["publisher"], _date(d["published"]), d.get("url"), d.get("archived_url")
    )


def _build_statement(r: _Record, d: dict[str, Any]) -> Statement:
    return Statement(
        id=d["id"],
        date=_date(d["date"]),
        actors=tuple(d["actors"]),
        title=d["title"],
        kind=d["kind"],
        summary=d["summary"],
        path=r.rel,
        sources=tuple(_build_source(s) for s in d.get("sources", [])),
        briefing=_text(d, "briefing"),
        briefing_order=_whole(d.get("briefing_order")),
        venue=_text(d, "venue"),
        location=_text(d, "location"),
        quotes=tuple(
            Quote(
                q["text"],
                q["lang"],
                q.get("original"),
                q.get("original_lang"),
                q.get("translated_by"),
            )
            for q in d.get("quotes", [])
        ),
        topics=tuple(d.get("topics", [])),
        mentions=tuple(d.get("mentions", [])),
        related=tuple(d.get("related", [])),
        date_note=_text(d, "date_note"),
        notes=_text(d, "notes"),
    )


def _build_topic(r: _Record, d: dict[str, Any]) -> Topic:
    return Topic(d["id"], d["title"], r.rel, _text(d, "description"))


def _build_briefing(r: _Record, d: dict[str, Any]) -> Briefing:
    return Briefing(
        id=d["id"],
        title=d["title"],
        publisher=d["publisher"],
        published=_date(d["published"]),
        path=r.rel,
        url=d.get("url"),
        archived_url=d.get("archived_url"),
        language=d.get("language"),
        text=d.get("text"),
        notes=d.get("notes"),
    )


# --- references and plausibility -----------------------------------------------------------
def _check_url(record: _Record, root: Node, out: list[Problem]) -> None:
    for key, node in _walk(root):
        if key in ("url", "archived_url", "website") and isinstance(node.value, str):
            try:
                parts = urlsplit(node.value)
                host = parts.hostname
            except ValueError:  # e.g. an unclosed or invalid [IPv6] host
                out.append(
                    Problem(
                        record.display,
                        node.line,
                        node.column,
                        f"`{key}` is not a valid address: {node.value!r}",
                        "check the host name; an IPv6 address goes in [brackets]",
                    )
                )
                continue
            if parts.scheme in ("http", "https") and not host:
                out.append(
                    Problem(
                        record.display,
                        node.line,
                        node.column,
                        f"`{key}` has no host name: {node.value!r}",
                        "use a full address such as https://example.org/page",
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
_MARKED = (
    "id",
    "date",
    "briefing",
    "country",
    "actors",
    "mentions",
    "topics",
    "related",
    "sources",
    "publisher",
)


def _marks(root: Node) -> dict[str, tuple[int, int]]:
    """Positions of the values that checks across records may report at."""
    marks: dict[str, tuple[int, int]] = {}
    for key in _MARKED:
        node = root.value.get(key)
        if node is None:
            continue
        marks[key] = (node.line, node.column)
        if isinstance(node.value, list):
            for i, item in enumerate(node.value):
                marks[f"{key}.{i}"] = (item.line, item.column)
                publisher = item.value.get("publisher") if isinstance(item.value, dict) else None
                if publisher is not None:
                    marks[f"{key}.{i}.publisher"] = (publisher.line, publisher.column)
    return marks


def _check_file(record: _Record, data: bytes) -> _Checked:
    """Every check that needs only this one file."""
    text, problems = decode(data, record.display)
    root = None
    if text is not None:
        root, found = load_text(text, record.display)
        problems.extend(found)
    if root is None:
        return _Checked(None, tuple(problems), None, False, {})
    _check_schema(record, root, problems)
    if not isinstance(root.value, dict):
        return _Checked(None, tuple(problems), None, False, {})
    ident = _check_id(record, root, problems)
    _check_placeholders(record, root, problems)
    _check_url(record, root, problems)
    if record.kind == "statement":
        _check_year_folder(record, root, problems)
    usable = all(p.severity == "warning" for p in problems)
    return _Checked(root.plain(), tuple(problems), ident, usable, _marks(root))


def _check_references(
    records: list[_Record], index: dict[str, dict[str, _Record]], out: list[Problem]
) -> None:
    # A file that exists but could not be read is not "missing": reporting every
    # reference to it would bury the one problem that matters.
    unreadable = {
        (r.kind, r.path.stem) for r in records if r.checked is None or r.checked.fields is None
    }
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
                            f"check the spelling, or add content/{folder}/{ref}.yml",
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


def _check_placeholders(record: _Record, root: Node, out: list[Problem]) -> None:
    """`briefing new` writes TODOs; a record should not be published with them."""
    for _key, node in _walk(root):
        if isinstance(node.value, str) and node.value.startswith("TODO"):
            out.append(
                Problem(
                    record.display,
                    node.line,
                    node.column,
                    "placeholder text left in the record",
                    "replace the TODO with the real text",
                    "warning",
                )
            )


def _today() -> dt.date:
    # Honour SOURCE_DATE_EPOCH so that reproducible builds also judge "the future" alike.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _check_warnings(archive: Archive, records: dict[str, _Record], out: list[Problem]) -> None:
    today = _today()
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


def _check_publishers(records: list[_Record], out: list[Problem]) -> None:
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


# --- the whole run -------------------------------------------------------------------------
# The models built by the last validate_archive call, by id() of the cached per-file result
# they came from (the result itself is kept too, so that the id stays its own).
_MODELS: dict[int, tuple[Any, str, str, Any]] = {}


def validate_archive(content_dir: Path, *, strict: bool = False) -> Result:
    """Validate every record under `content_dir` and build the archive if nothing is wrong."""
    problems: list[Problem] = []
    if not content_dir.is_dir():
        problems.append(
            Problem(
                display_path(content_dir),
                1,
                1,
                "the content folder does not exist",
                "run the command inside the repository, or name the folder",
            )
        )
        return Result(None, tuple(problems), 0)
    if content_dir.is_symlink():
        problems.append(
            Problem(
                display_path(content_dir),
                1,
                1,
                "the content folder is a symlink",
                "use the real folder",
            )
        )
        return Result(None, tuple(problems), 0)
    records = _discover_files(content_dir, problems)
    _check_collisions(records, problems)
    cache = FileCache.for_folder(content_dir)
    index: dict[str, dict[str, _Record]] = {kind: {} for kind in KINDS}
    for record in progress(records, "validating", unit="file"):
        try:
            data = record.path.read_bytes()
        except OSError as exc:
            problems.append(
                _at(
                    record.path,
                    f"cannot read the file: {exc.strerror}",
                    "check that it exists and is readable",
                )
            )
            continue
        record.checked = cache.get(record, data, _check_file)
        problems.extend(record.checked.problems)
        if record.checked.ident is not None:
            index[record.kind].setdefault(record.checked.ident, record)
    cache.save()
    _check_references(records, index, problems)
    _check_publishers(records, problems)
    counts = {kind: sum(1 for r in records if r.kind == kind) for kind in KINDS}
    if any(p.severity == "error" for p in problems):
        return Result(None, _finish(problems, strict), len(records), counts)
    usable = [r for r in records if r.checked and r.checked.usable and r.checked.fields]
    build = {
        "actor": _build_actor,
        "topic": _build_topic,
        "statement": _build_statement,
        "briefing": _build_briefing,
    }
    models: dict[str, list[Any]] = defaultdict(list)
    global _MODELS
    kept: dict[int, tuple[Any, str, str, Any]] = {}
    for r in usable:
        assert r.checked is not None and r.checked.fields is not None
        # A record whose cached result is the very same object as last run's (same file,
        # same bytes) gets the same model object: `serve` rebuilds then compare pages by
        # identity rather than field by field.
        before = _MODELS.get(id(r.checked))
        if before is not None and before[0] is r.checked and before[1:3] == (r.kind, r.rel):
            model = before[3]
        else:
            model = build[r.kind](r, r.checked.fields)
        kept[id(r.checked)] = (r.checked, r.kind, r.rel, model)
        models[r.kind].append(model)
    _MODELS = kept
    archive = Archive(
        actors=_by_id(models["actor"]),
        topics=_by_id(models["topic"]),
        statements=_by_id(models["statement"]),
        briefings=_by_id(models["briefing"]),
    )
    _check_warnings(
        archive,
        {
            m.id: r
            for r, m in zip(
                [r for r in usable if r.kind == "statement"], models["statement"], strict=True
            )
        },
        problems,
    )
    final = _finish(problems, strict)
    ok = not any(p.severity == "error" for p in final)
    return Result(archive if ok else None, final, len(records), counts)


def _check_year_folder(record: _Record, root: Node, out: list[Problem]) -> None:
    node = root.value.get("date")
    folder = record.path.parent.name
    if node is not None and isinstance(node.value, str) and node.value[:4] != folder:
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"the statement is dated {node.value} but filed under statements/{folder}/",
                f"move it to content/statements/{node.value[:4]}/",
            )
        )


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in sorted(items, key=lambda item: item.id)}


def _finish(problems: list[Problem], strict: bool) -> tuple[Problem, ...]:
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
