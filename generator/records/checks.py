"""The checks of one record file: YAML, schema, dates, addresses, id, year folder, placeholders.

`check_file` runs them all on a file's bytes; `_check_clean` first tries the fast path
(`load_clean`) that answers for a record with nothing to report. The result (`Checked`) is a
pure function of the file's bytes, kind and place, so it is cached and computed in a worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from generator.problems import Problem
from generator.records import schema
from generator.records.assemble import partial_date
from generator.records.checked import Checked
from generator.records.find import RecordFile
from generator.records.load import Node, decode, load_text
from generator.records.load_clean import load_clean
from generator.records.yaml_scalars import is_datetime

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_MAX = 80
# Names Windows refuses as files, whatever the extension; an id becomes a file in site/.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")


_URL_FIELDS = {"url", "archived_url", "website"}


@dataclass(slots=True)
class _Findings:
    """What the one walk over a record's tree found, by check (reported in this order)."""

    dates: list[Problem] = field(default_factory=list)
    placeholders: list[Problem] = field(default_factory=list)
    urls: list[Problem] = field(default_factory=list)


def _scan(record: RecordFile, node: Node, key: str, found: _Findings) -> Any:
    """The node as plain data, checking dates, URLs and placeholders on the way.

    One walk instead of one per check: the walks would cost more than the checks.
    `key` is the mapping key a value sits under (list items inherit their list's key).
    """
    value = node.value
    if isinstance(value, str):
        if value.startswith("TODO"):
            found.placeholders.append(_placeholder(record, node))
        if key in schema.DATE_FIELDS:
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


def _check_date(record: RecordFile, key: str, node: Node, value: str, out: list[Problem]) -> None:
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
            partial_date(value, False), partial_date(value, True)
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


def _check_id(record: RecordFile, root: Node, out: list[Problem]) -> str | None:
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


def _check_url(record: RecordFile, key: str, node: Node, value: str, out: list[Problem]) -> None:
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


# An address that `_check_url` certainly finds nothing wrong with: a non-empty http(s) host
# name of ASCII letters, digits, dots and hyphens (no brackets, user or port, which are what
# `urlsplit` can refuse or what can leave no host), then anything without brackets. Other
# addresses are checked the full way.
_SIMPLE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][^\[\]]*)?")


@lru_cache(maxsize=1 << 14)
def _date_clean(value: str) -> bool:
    """True if `_check_date` finds nothing in `value` (which alone decides: a run's dates
    repeat, so each is judged once)."""
    found: list[Problem] = []
    record: Any = _NO_RECORD
    _check_date(record, "date", Node(value, 1, 1), value, found)
    return not found


class _NoRecord:
    display = ""


_NO_RECORD = _NoRecord()
_MARKED_KEYS = frozenset(_MARKED)
_WATCHED = frozenset(schema.DATE_FIELDS | _URL_FIELDS)


def _check_clean(record: RecordFile, text: str) -> Checked | None:
    """`_check_file`'s result for a record it finds nothing wrong with, or None.

    One pass over the YAML events (`load_clean`) builds the plain data, the marks and the
    few values the checks look at, with no `Node` tree. Any doubt (anything `load_text`
    would report, a placeholder, a date or address check that finds something, a record the
    fast schema check does not pass, an id or folder that does not fit) gives None, and the
    caller runs every check the full way: a clean record's result is the same either way,
    and all messages come from the full path.
    """
    loaded = load_clean(text, _MARKED_KEYS, "publisher", _WATCHED, "TODO")
    if loaded is None:
        return None
    fields, marks, watched = loaded
    for key, value, _, _ in watched:
        if key in schema.DATE_FIELDS:
            if not _date_clean(value):
                return None
        elif not _SIMPLE_URL.fullmatch(value):
            found: list[Problem] = []
            _check_url(record, key, Node(value, 1, 1), value, found)
            if found:
                return None
    if not schema.schema_valid_fast(record.kind, fields):
        return None
    # _check_id, finding nothing.
    if _RESERVED.match(record.stem.lower()):
        return None
    ident = fields.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident) or len(ident) > ID_MAX:
        ident = None
    elif ident != record.stem:
        return None
    # _check_year_folder, finding nothing.
    date = fields.get("date")
    folder = record.rel.split("/")[-2] if record.kind == "statement" else None
    if folder is not None and isinstance(date, str) and date[:4] != folder:
        return None
    return Checked(fields, (), ident, True, marks)


def _check_file(record: RecordFile, data: bytes) -> Checked:
    """Every check that needs only this one file."""
    text, problems = decode(data, record.display)
    if text is not None and (clean := _check_clean(record, text)) is not None:
        return clean
    root = None
    if text is not None:
        root, found = load_text(text, record.display)
        problems.extend(found)
    if root is None:
        return Checked(None, tuple(problems), None, False, {})
    if not isinstance(root.value, dict):
        schema.check_schema(record, root, None, problems)
        return Checked(None, tuple(problems), None, False, {})
    findings = _Findings()
    fields = _scan(record, root, "", findings)
    # The order decides which finding is kept at a shared place (see _finish): a precise
    # date problem goes before the schema's restatement of it.
    problems.extend(findings.dates)
    schema.check_schema(record, root, fields, problems)
    ident = _check_id(record, root, problems)
    if not (record.kind == "statement" and fields.get("status") == "draft"):
        problems.extend(findings.placeholders)  # a draft is expected to be unfinished
    problems.extend(findings.urls)
    if record.kind == "statement":
        _check_year_folder(record, root, problems)
    usable = all(p.severity == "warning" for p in problems)
    return Checked(fields, tuple(problems), ident, usable, _marks(root))


#: The message of a TODO placeholder left in a record (publish.py finds them by it).
PLACEHOLDER = "placeholder text left in the record"


def _placeholder(record: RecordFile, node: Node) -> Problem:
    """`briefing new` writes TODOs; a record should not be published with them."""
    hint = "replace the TODO with the real text"
    if record.kind == "statement":
        hint = "finish the text, or mark the statement `status: draft` to keep it off the site"
    return Problem(record.display, node.line, node.column, PLACEHOLDER, hint, "warning")


def _check_year_folder(record: RecordFile, root: Node, out: list[Problem]) -> None:
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
