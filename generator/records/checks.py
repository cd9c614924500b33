"""The checks of one record file: YAML, schema, dates, addresses, id, year folder, placeholders.

`check_file` runs them all on a file's bytes. It first reads the record without a tree (the
fast path for the common, clean record): the same reader and the same checks, except that the
schema is asked only whether the record passes; any finding sends the record the full way,
whose tree places every message. The result (`Checked`) is a pure function of the file's
bytes, kind and place, so it is cached and computed in a worker.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from generator.problems import Problem
from generator.records import schema
from generator.records.assemble import partial_date
from generator.records.checked import Checked
from generator.records.find import RecordFile
from generator.records.load import decode
from generator.records.yaml_events import read_yaml
from generator.records.yaml_scalars import is_datetime
from generator.records.yaml_tree import Loaded, Wanted

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_MAX = 80
# Names Windows refuses as files, whatever the extension; an id becomes a file in site/.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")

#: Text starting with this is a placeholder (`briefing new` writes them).
TODO = "TODO"
#: The message of a TODO placeholder left in a record (publish.py finds them by it).
PLACEHOLDER = "placeholder text left in the record"

_URL_FIELDS = frozenset({"url", "archived_url", "website"})

#: What the reader collects for the checks: the positions that checks across records report
#: at, the dates and addresses, and the placeholders.
WANTED = Wanted(
    marked=frozenset(
        {"id", "date", "briefing", "country", "actors", "mentions", "topics", "related"}
        | {"sources", "publisher"}
    ),
    item_marked="publisher",
    watch=frozenset(schema.DATE_FIELDS | _URL_FIELDS),
    flag=(TODO,),
)


_DATE_SHAPE = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}")

# An address that `_urlsplit_finding` certainly finds nothing wrong with: a non-empty http(s)
# host name of ASCII letters, digits, dots and hyphens (no brackets, user or port, which are
# what `urlsplit` can refuse or what can leave no host), then anything without brackets.
_SIMPLE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][^\[\]]*)?")

_Finding = tuple[str, str] | None  # a problem's message and hint, or None


@lru_cache(maxsize=1 << 14)
def _date_finding(key: str, value: str) -> _Finding:
    """Datetimes and impossible calendar dates, which the schema's pattern lets through.

    Cached: an archive's dates repeat, so each is judged once."""
    if is_datetime(value):
        return (
            f"`{key}` holds a date and time ({value}), but only a date belongs here",
            f"write the day alone, e.g. {value[:10]}",
        )
    if _DATE_SHAPE.fullmatch(value):
        try:  # roles' `from`/`to` may be YYYY or YYYY-MM; both ends must be real days
            partial_date(value, False), partial_date(value, True)
        except ValueError:
            return f"{value} is not a real calendar date", "check the day and month (YYYY-MM-DD)"
    return None


def _url_finding(key: str, value: str) -> _Finding:
    """An address that cannot be taken apart, or an http(s) address with no host."""
    if _SIMPLE_URL.fullmatch(value):
        return None  # tests/test_checks.py: `_urlsplit_finding` agrees
    return _urlsplit_finding(key, value)


def _urlsplit_finding(key: str, value: str) -> _Finding:
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed or invalid [IPv6] host
        return (
            f"`{key}` is not a valid address: {value!r}",
            "check the host name; an IPv6 address goes in [brackets]",
        )
    if parts.scheme in ("http", "https") and not host:
        return (
            f"`{key}` has no host name: {value!r}",
            "use a full address such as https://example.org/page",
        )
    return None


def _check_id(record: RecordFile, loaded: Loaded, out: list[Problem]) -> str | None:
    """The record's id if it is well formed; a reserved file name or an id that is not the
    file's name is reported."""
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
    ident = loaded.data.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident) or len(ident) > ID_MAX:
        return None  # the schema already reported it
    if ident != stem:
        line, column = loaded.marks["id"]
        out.append(
            Problem(
                record.display,
                line,
                column,
                f"id `{ident}` does not match the file name `{record.name}`",
                f"rename the file to {ident}.yml, or set `id: {stem}`",
            )
        )
    return ident


def _check_year_folder(record: RecordFile, loaded: Loaded, out: list[Problem]) -> None:
    date = loaded.data.get("date")
    folder = record.rel.split("/")[-2]  # statements/<yyyy>/<id>.yml
    if isinstance(date, str) and date[:4] != folder:
        line, column = loaded.marks["date"]
        out.append(
            Problem(
                record.display,
                line,
                column,
                f"the statement is dated {date} but filed under statements/{folder}/",
                f"move it to content/statements/{date[:4]}/",
            )
        )


def _placeholders(record: RecordFile, loaded: Loaded, out: list[Problem]) -> None:
    """`briefing new` writes TODOs; a record should not be published with them."""
    hint = "replace the TODO with the real text"
    if record.kind == "statement":
        hint = "finish the text, or mark the statement `status: draft` to keep it off the site"
    for _, line, column in loaded.flagged:
        out.append(Problem(record.display, line, column, PLACEHOLDER, hint, "warning"))


def _check_fields(record: RecordFile, loaded: Loaded) -> tuple[list[Problem], str | None] | None:
    """The findings of every check after the YAML's, and the record's id, for a record read as
    a mapping. Read without a tree, a record the fast schema check does not pass gives None:
    only the full reading can say where its errors are.
    """
    fields = loaded.data
    out: list[Problem] = []
    urls: list[Problem] = []
    for key, value, line, column in loaded.watched:
        if key in schema.DATE_FIELDS:
            found = _date_finding(key, value)
            if found is not None:
                out.append(Problem(record.display, line, column, *found))
        elif (found := _url_finding(key, value)) is not None:
            urls.append(Problem(record.display, line, column, *found))
    # The order decides which finding is kept at a shared place (see across.finish_checks): a
    # precise date problem goes before the schema's restatement of it.
    if loaded.root is not None:
        schema.check_schema(record, loaded.root, fields, out)
    elif not schema.schema_valid_fast(record.kind, fields):
        return None
    ident = _check_id(record, loaded, out)
    if not (record.kind == "statement" and fields.get("status") == "draft"):
        _placeholders(record, loaded, out)  # a draft is expected to be unfinished
    out.extend(urls)
    if record.kind == "statement":
        _check_year_folder(record, loaded, out)
    return out, ident


def _check_clean(record: RecordFile, text: str) -> Checked | None:
    """`check_file`'s result for a record with nothing to report, or None (the fast path).

    The reader builds no tree and stops at the first problem; the checks are the full
    path's. Any finding gives None, and the caller reads the record the full way: a clean
    record's result is the same either way, and all messages come from the full path.
    """
    loaded = read_yaml(text, record.display, WANTED, tree=False)
    if loaded is None:
        return None
    checked = _check_fields(record, loaded)
    if checked is None or checked[0]:
        return None
    return Checked(loaded.data, (), checked[1], True, loaded.marks)


def check_file(record: RecordFile, data: bytes) -> Checked:
    """Every check that needs only this one file."""
    text, problems = decode(data, record.display)
    if text is None:
        return Checked(None, tuple(problems), None, False, {})
    if (clean := _check_clean(record, text)) is not None:
        return clean
    loaded = read_yaml(text, record.display, WANTED, tree=True)
    assert loaded is not None  # a reader asked for a tree always answers
    problems.extend(loaded.problems)
    root = loaded.root
    if root is None:
        return Checked(None, tuple(problems), None, False, {})
    if not isinstance(root.value, dict):
        schema.check_schema(record, root, None, problems)
        return Checked(None, tuple(problems), None, False, {})
    found = _check_fields(record, loaded)
    assert found is not None  # with a tree, the schema explains its errors
    problems.extend(found[0])
    usable = all(p.severity == "warning" for p in problems)
    return Checked(loaded.data, tuple(problems), found[1], usable, loaded.marks)
