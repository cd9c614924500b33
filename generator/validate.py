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
import gc
import json
import marshal
import operator
import os
import re
import stat
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jsonschema_rs

from generator.cache import FileCache, digest_of
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

if TYPE_CHECKING:
    import jsonschema

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


@dataclass(slots=True)
class _Record:
    kind: str
    file: str  # the path as found, for opening
    rel: str  # relative to the content folder, POSIX
    display: str
    stat: os.stat_result  # lstat, taken before the file is read
    stem: str  # the file name without .yml
    checked: _Checked | None = None
    digest: bytes | None = None  # of the file's bytes, once known
    data: bytes | None = None  # the bytes, while they are needed
    error: Problem | None = None  # the file could not be read

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def name(self) -> str:
        return os.path.basename(self.file)

    @property
    def key(self) -> str:
        """The file's place, which with its content decides its result."""
        return f"{self.kind}:{self.rel}:{self.display}"


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
    from importlib import resources

    text = resources.files("generator").joinpath(f"schemas/{kind}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _validator(kind: str) -> jsonschema.protocols.Validator:
    # Imported on first use: only a record that fails the fast check needs it, and the
    # import is a third of the time `briefing validate` takes on an unchanged archive.
    import jsonschema

    cls = jsonschema.validators.validator_for(schema(kind))
    return cls(schema(kind))


# Characters Python's `re` counts as whitespace (`\s`) and ECMA-262 regexes, which
# jsonschema-rs follows, do not. Adding them to the fast validator's patterns keeps it at
# least as strict as python-jsonschema: it may call a record invalid that is valid (the
# slow path then decides), never the other way round.
_PY_ONLY_SPACE = "\\x1c-\\x1f\\x85"


def _strict_patterns(node: Any) -> Any:
    """The schema with every `pattern` made as strict about whitespace as Python's `re`."""
    if isinstance(node, dict):
        out = {key: _strict_patterns(value) for key, value in node.items()}
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            out["pattern"] = pattern.replace("[^\\s", "[^\\s" + _PY_ONLY_SPACE).replace(
                "\\S", f"[^\\s{_PY_ONLY_SPACE}]"
            )
        return out
    if isinstance(node, list):
        return [_strict_patterns(item) for item in node]
    return node


@cache
def _fast_validator(kind: str) -> Any:
    # Formats are annotations in draft 2020-12 and python-jsonschema checks none by default.
    return jsonschema_rs.validator_for(_strict_patterns(schema(kind)), validate_formats=False)


def schema_valid_fast(kind: str, data: Any) -> bool:
    """True only if the record certainly passes its JSON Schema (jsonschema-rs, ~50x faster).

    False means "not known": the caller asks python-jsonschema, whose errors are the ones
    we explain. Data the Rust side cannot take (e.g. lone surrogates) is "not known" too.
    """
    try:
        return bool(_fast_validator(kind).is_valid(data))
    except Exception:  # any conversion problem only costs the slow path
        return False


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
    """Every record file, in a stable order; layout problems go to `out`.

    Folders in name order, each folder's files before its subfolders (as `os.walk` would);
    one `lstat` per file, which the stat index needs anyway. Layout problems may come in
    another order than the records: each is at a place of its own, and all are sorted later.
    """
    records: list[_Record] = []
    cwd = os.getcwd()

    def visit(here: str, rel_parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError:
            return  # as os.walk: an unreadable folder is skipped
        folders: list[os.DirEntry[str]] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (folders if is_dir else files).append(entry)
        subfolders = []
        for entry in sorted(folders, key=_entry_name):
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                out.append(
                    _at(
                        Path(entry.path),
                        "symlinked folder in content/",
                        "replace the link with the real folder: links can lead outside the archive",
                    )
                )
                continue
            subfolders.append(entry)
        kind = _kind_of(rel_parts)
        shown = _display_folder(str(Path(here)), cwd)
        rel_dir = "".join(part + "/" for part in rel_parts)
        visible = [e for e in sorted(files, key=_entry_name) if not e.name.startswith(".")]
        found.append((kind, shown, rel_dir, visible))
        for entry in subfolders:
            visit(entry.path, (*rel_parts, entry.name))

    found: list[tuple[str | None, str, str, list[os.DirEntry[str]]]] = []
    visit(str(content_dir), ())
    stats = _lstat_all([entry for *_, files in found for entry in files])
    offset = 0
    for kind, shown, rel_dir, files in found:
        here = stats[offset : offset + len(files)]
        offset += len(files)
        for entry, st in zip(files, here, strict=True):
            if st is None:
                continue  # removed while we looked
            name = entry.name
            if kind is not None and name.endswith(".yml") and stat.S_ISREG(st.st_mode):
                # Nearly every file: a record where it belongs. Said first, and fast.
                records.append(
                    _Record(kind, entry.path, rel_dir + name, shown + name, st, name[:-4])
                )
                continue
            if stat.S_ISLNK(st.st_mode):
                out.append(
                    _at(
                        Path(entry.path),
                        "symlink in content/",
                        "replace the link with the file itself: links can lead outside the archive",
                    )
                )
                continue
            if not stat.S_ISREG(st.st_mode):
                out.append(_at(Path(entry.path), "not a regular file", "remove it from content/"))
                continue
            suffix = os.path.splitext(name)[1]
            if suffix.lower() not in (".yml", ".yaml"):
                continue  # notes, READMEs and images may sit beside records
            if suffix != ".yml":
                out.append(
                    _at(
                        Path(entry.path),
                        f"record files end in .yml, not {suffix}",
                        f"rename it to {Path(name).stem}.yml",
                    )
                )
                continue
            if kind is None:
                out.append(
                    _at(
                        Path(entry.path),
                        "record outside the known folders",
                        "move it to content/actors/, content/topics/, content/briefings/ "
                        "or content/statements/<yyyy>/",
                    )
                )
                continue
            records.append(_Record(kind, entry.path, rel_dir + name, shown + name, st, name[:-4]))
    return records


def _lstat_all(entries: list[os.DirEntry[str]]) -> list[os.stat_result | None]:
    """Each entry's lstat (None if it vanished), two threads at a time for many files.

    At 100k files the system calls are most of an unchanged archive's run, and they release
    the GIL: a second thread overlaps them. The thread has ended when this returns.
    """

    def lstat(chunk: list[os.DirEntry[str]]) -> list[os.stat_result | None]:
        out: list[os.stat_result | None] = []
        for entry in chunk:
            try:
                out.append(entry.stat(follow_symlinks=False))
            except OSError:
                out.append(None)
        return out

    if len(entries) < PARALLEL_STAT_MIN:
        return lstat(entries)
    half = len(entries) // 2
    second: list[list[os.stat_result | None]] = []
    thread = threading.Thread(target=lambda: second.append(lstat(entries[half:])))
    thread.start()
    first = lstat(entries[:half])
    thread.join()
    return first + second[0]


PARALLEL_STAT_MIN = 5000
"""Fewer files than this are looked at by one thread: starting another costs more."""


_entry_name = operator.attrgetter("name")


def _kind_of(parts: tuple[str, ...]) -> str | None:
    if len(parts) == 1 and parts[0] in ("actors", "topics", "briefings"):
        return _FOLDERS[parts[0]]
    if len(parts) == 2 and parts[0] == "statements" and re.fullmatch(r"[0-9]{4}", parts[1]):
        return "statement"
    return None


def _at(path: Path, message: str, hint: str, line: int = 1, column: int = 1) -> Problem:
    return Problem(display_path(path), line, column, message, hint)


# --- schema ------------------------------------------------------------------------------
def _check_schema(record: _Record, root: Node, data: Any, out: list[Problem]) -> None:
    """Schema errors of one record; `data` is `root.plain()`."""
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
    if schema_valid_fast(record.kind, data):
        return
    errors = sorted(
        _validator(record.kind).iter_errors(data),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    for error in errors:
        out.extend(_explain(record, root, error))


_URL_FIELDS = {"url", "archived_url", "website"}


@dataclass(slots=True)
class _Findings:
    """What the one walk over a record's tree found, by check (reported in this order)."""

    dates: list[Problem] = field(default_factory=list)
    placeholders: list[Problem] = field(default_factory=list)
    urls: list[Problem] = field(default_factory=list)


def _scan(record: _Record, node: Node, key: str, found: _Findings) -> Any:
    """The node as plain data, checking dates, URLs and placeholders on the way.

    One walk instead of one per check: at 10k records the walks cost more than the checks.
    `key` is the mapping key a value sits under (list items inherit their list's key).
    """
    value = node.value
    if isinstance(value, str):
        if value.startswith("TODO"):
            found.placeholders.append(_placeholder(record, node))
        if key in _DATE_FIELDS:
            _check_date(record, key, node, value, found.dates)
        elif key in _URL_FIELDS:
            _check_url(record, key, node, value, found.urls)
        return value
    if isinstance(value, dict):
        return {k: _scan(record, child, k, found) for k, child in value.items()}
    if isinstance(value, list):
        return [_scan(record, child, key, found) for child in value]
    return value


_DATE_SHAPE = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}")


def _check_date(record: _Record, key: str, node: Node, value: str, out: list[Problem]) -> None:
    """Datetimes and impossible calendar dates, which a pattern alone lets through."""
    if is_datetime(value):
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"`{key}` holds a date and time ({value}), but only a date belongs here",
                f"write the day alone, e.g. {value[:10]}",
            )
        )
        return
    if _DATE_SHAPE.fullmatch(value):
        try:  # roles' `from`/`to` may be YYYY or YYYY-MM; both ends must be real days
            _partial(value, False), _partial(value, True)
        except ValueError:
            out.append(
                Problem(
                    record.display,
                    node.line,
                    node.column,
                    f"{value} is not a real calendar date",
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
    stem = record.stem
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
                f"id `{ident}` does not match the file name `{record.name}`",
                f"rename the file to {ident}.yml, or set `id: {stem}`",
            )
        )
    return ident


def _fold(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold() is lower() there
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def _check_collisions(records: list[_Record], out: list[Problem]) -> None:
    """File names that differ only by case or Unicode form would overwrite each other's pages."""
    seen: dict[tuple[str, str], _Record] = {}
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
def _check_url(record: _Record, key: str, node: Node, value: str, out: list[Problem]) -> None:
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed or invalid [IPv6] host
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"`{key}` is not a valid address: {value!r}",
                "check the host name; an IPv6 address goes in [brackets]",
            )
        )
        return
    if parts.scheme in ("http", "https") and not host:
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"`{key}` has no host name: {value!r}",
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
    if not isinstance(root.value, dict):
        _check_schema(record, root, None, problems)
        return _Checked(None, tuple(problems), None, False, {})
    findings = _Findings()
    fields = _scan(record, root, "", findings)
    # The order decides which finding is kept at a shared place (see _finish): a precise
    # date problem goes before the schema's restatement of it.
    problems.extend(findings.dates)
    _check_schema(record, root, fields, problems)
    ident = _check_id(record, root, problems)
    problems.extend(findings.placeholders)
    problems.extend(findings.urls)
    if record.kind == "statement":
        _check_year_folder(record, root, problems)
    usable = all(p.severity == "warning" for p in problems)
    return _Checked(fields, tuple(problems), ident, usable, _marks(root))


def _check_references(
    records: list[_Record], index: dict[str, dict[str, _Record]], out: list[Problem]
) -> None:
    # A file that exists but could not be read is not "missing": reporting every
    # reference to it would bury the one problem that matters.
    unreadable = {
        (r.kind, r.stem) for r in records if r.checked is None or r.checked.fields is None
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


def _placeholder(record: _Record, node: Node) -> Problem:
    """`briefing new` writes TODOs; a record should not be published with them."""
    return Problem(
        record.display,
        node.line,
        node.column,
        "placeholder text left in the record",
        "replace the TODO with the real text",
        "warning",
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
    return _validate(content_dir, strict=strict, need_archive=True)


def check_archive(content_dir: Path, *, strict: bool = False) -> Result:
    """The problems `validate_archive` finds, without the archive (`Result.archive` is None).

    For `briefing validate`, which only reports: an archive whose files are all unchanged
    since the last run is answered from the cache without reading a single record.
    """
    return _validate(content_dir, strict=strict, need_archive=False)


def _read(record: _Record) -> bytes:
    with open(record.file, "rb") as handle:
        return handle.read()


def _read_and_hash(record: _Record, cache: FileCache) -> None:
    """Fill in the record's bytes and digest, or its read error."""
    try:
        data = _read(record)
    except OSError as exc:
        record.digest = None  # no outcome is kept for an archive with an unreadable file
        record.error = _at(
            record.path,
            f"cannot read the file: {exc.strerror}",
            "check that it exists and is readable",
        )
        return
    record.data, record.digest = data, digest_of(data)
    cache.hashed(record.rel, record.stat, record.digest)


def _validate(content_dir: Path, *, strict: bool, need_archive: bool) -> Result:
    # A run allocates a few objects per file and frees them by reference counting; the
    # cycle collector, which would walk every live object again and again as they pile
    # up, costs 10-15% of the run and finds nothing. It runs again afterwards.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(content_dir, strict=strict, need_archive=need_archive)
    finally:
        if enabled:
            gc.enable()


def _run(content_dir: Path, *, strict: bool, need_archive: bool) -> Result:
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
    # Before any file is looked at: the stat index judges "racy" files against this moment.
    cache = FileCache.for_folder(content_dir, (_pack, _unpack))
    records = _discover_files(content_dir, problems)
    counts = {kind: 0 for kind in KINDS}
    for record, digest in zip(records, cache.known_digests(records), strict=True):
        counts[record.kind] += 1
        record.digest = digest
        if digest is None:
            _read_and_hash(record, cache)
    # Everything after this point is a function of the files' places and contents, the code
    # and today's date: an unchanged archive's findings come from the cache.
    shared = len(problems)
    if not need_archive and (key := _outcome_key(records, cache)) is not None:
        known = cache.known_outcome(key)
        if known is not None:
            try:
                problems.extend(Problem(*p) for p in known)
            except TypeError:  # damaged: find them again
                del problems[shared:]
            else:
                cache.save()
                return Result(None, _finish(problems, strict), len(records), counts)
    _check_collisions(records, problems)
    _check_records(records, cache)
    index: dict[str, dict[str, _Record]] = {kind: {} for kind in KINDS}
    for record in records:
        if record.error is not None:
            problems.append(record.error)
            continue
        assert record.checked is not None
        problems.extend(record.checked.problems)
        if record.checked.ident is not None:
            index[record.kind].setdefault(record.checked.ident, record)
    _check_references(records, index, problems)
    _check_publishers(records, problems)
    archive = None
    if not any(p.severity == "error" for p in problems):
        archive = _build_archive(records, problems)
    # Keyed by the digests as checked (a file trusted by its stat may have been re-read).
    if (key := _outcome_key(records, cache)) is not None:
        cache.remember_outcome(key, tuple(_problem_data(p) for p in problems[shared:]))
    cache.save()
    final = _finish(problems, strict)
    ok = archive is not None and not any(p.severity == "error" for p in final)
    return Result(archive if ok and need_archive else None, final, len(records), counts)


def _problem_data(p: Problem) -> tuple[str, int, int, str, str, str]:
    return (p.path, p.line, p.column, p.message, p.hint, p.severity)


def _pack(checked: _Checked) -> tuple[Any, ...]:
    """A file's result as plain data, for `marshal` (the disk cache, the worker's answer)."""
    problems = tuple(_problem_data(p) for p in checked.problems)
    return (checked.fields, problems, checked.ident, checked.usable, checked.marks)


def _unpack(data: tuple[Any, ...]) -> _Checked:
    fields, problems, ident, usable, marks = data
    return _Checked(fields, tuple(Problem(*p) for p in problems), ident, usable, marks)


def _outcome_key(records: list[_Record], cache: FileCache) -> bytes | None:
    """What decides the findings beyond discovery; None if a file could not be read."""
    if any(record.digest is None for record in records):
        return None
    return cache.outcome_digest(
        [_today().isoformat(), *(record.key for record in records)],
        [record.digest for record in records if record.digest is not None],
    )


def _check_records(records: list[_Record], cache: FileCache) -> None:
    """Each readable record's own findings, from the cache or computed (in parallel if many)."""
    work: list[_Record] = []
    for record in records:
        if record.error is not None:
            continue
        assert record.digest is not None
        record.checked = cache.lookup(record.key, record.digest)
        if record.checked is not None:
            continue
        if record.data is None:  # trusted by its stat, but its result is gone: read it
            _read_and_hash(record, cache)
            if record.error is not None:
                continue
            record.checked = cache.lookup(record.key, record.digest)
            if record.checked is not None:
                record.data = None
                continue
        work.append(record)
    for record, checked in zip(work, _check_all(work), strict=True):
        assert record.digest is not None
        cache.put(record.key, record.digest, checked)
        record.checked, record.data = checked, None


PARALLEL_MIN = 1000
"""Fewer files than this are checked in this process: a second one costs more than it saves."""

CHUNK = 200
"""Files per share of work that the two processes take turns to claim."""

# The files being checked and the index of the next unclaimed chunk: set before the fork, so
# that the worker reads them from its copy of this process (nothing is sent to it).
_WORK: list[_Record] = []
_NEXT: Any = None


def _claim(chunks: int) -> Iterator[int]:
    """The chunks this process claims, one at a time, until none is left."""
    while True:
        with _NEXT.get_lock():
            index = _NEXT.value
            _NEXT.value = index + 1
        if index >= chunks:
            return
        yield index


def _check_chunk(index: int) -> list[_Checked]:
    return [_check_file(r, r.data or b"") for r in _WORK[index * CHUNK : (index + 1) * CHUNK]]


def _worker(chunks: int) -> bytes:
    # Plain data through marshal: several times cheaper to send back than pickled objects.
    done = [(index, [_pack(c) for c in _check_chunk(index)]) for index in _claim(chunks)]
    return marshal.dumps(done)


def _can_fork() -> bool:
    import multiprocessing

    # Forking a process that runs other threads (`mkdocs serve`'s server, the plugin's
    # workers) can deadlock the child on a lock some thread held: only fork when alone.
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
    )


def _check_all(work: list[_Record]) -> list[_Checked]:
    """`_check_file` of each record, in order; shared with a forked process if many.

    The results are the same either way: each is a pure function of its file.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from generator.progress import progress  # tqdm: only for records not in the cache

    if len(work) < PARALLEL_MIN or not _can_fork():
        return [_check_file(r, r.data or b"") for r in progress(work, "validating", unit="file")]
    global _WORK, _NEXT
    context = multiprocessing.get_context("fork")
    chunks = -(-len(work) // CHUNK)
    try:
        counter = context.Value("q", 0)
    except OSError:  # no shared-memory semaphores here (some sandboxes): one process
        return [_check_file(r, r.data or b"") for r in progress(work, "validating", unit="file")]
    _WORK, _NEXT = work, counter
    # Both processes claim chunks from one counter, so that a busy machine that slows one
    # of them shifts the work to the other; results are put back in the files' order.
    results: list[list[_Checked] | None] = [None] * chunks
    try:
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            later = pool.submit(_worker, chunks)
            for index in progress(_claim(chunks), "validating", unit="chunk", total=chunks):
                results[index] = _check_chunk(index)
            try:
                for index, packed in marshal.loads(later.result()):
                    results[index] = [_unpack(data) for data in packed]
            except BrokenProcessPool:  # the worker died (killed, out of memory): redo its part
                pass
        for index, chunk in enumerate(results):
            if chunk is None:
                results[index] = _check_chunk(index)
    finally:
        _WORK, _NEXT = [], None
    return [checked for chunk in results if chunk is not None for checked in chunk]


def _build_archive(records: list[_Record], problems: list[Problem]) -> Archive:
    """The models of the usable records, reusing last run's for unchanged files; warnings."""
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
    return archive


def _check_year_folder(record: _Record, root: Node, out: list[Problem]) -> None:
    node = root.value.get("date")
    folder = record.rel.split("/")[-2]  # statements/<yyyy>/<id>.yml
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
