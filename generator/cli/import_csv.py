"""`briefing import FILE.csv`: records from a spreadsheet in the format of statements.csv.

A sheet downloaded from one archive (`/data/statements.csv`, generator/outputs/downloads.py
defines it) seeds another. Each row is checked against the statement schema as the
validator checks a record, and every problem is reported at `file.csv:row:column` (the
header is row 1), all at once; nothing is written unless every row is good. Then each row
becomes content/statements/<year>/<id>.yml, never over a file; an actor or topic the
archive lacks is created with a TODO to finish (an actor's name from `actor_names`), and a
briefing named in `briefing` from the row's first source, which the export put first.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from pathlib import Path
from typing import Any

from generator.outputs.downloads import BOM, CSV_COLUMNS, FORMULA_PREFIXES, SEP
from generator.problems import Problem
from generator.records.find import RecordFile, display_path
from generator.records.schema import check_schema
from generator.records.yaml_tree import Node

_LISTS = ("actors", "topics", "mentions", "related")
_TEXTS = ("title", "kind", "summary", "venue", "location", "date_note", "notes")
_QUOTES = (
    ("text", "quotes"),
    ("lang", "quote_langs"),
    ("original", "quote_originals"),
    ("original_lang", "quote_original_langs"),
    ("translated_by", "quote_translators"),
)
_SOURCES = (
    ("title", "source_titles"),
    ("publisher", "source_publishers"),
    ("published", "source_dates"),
    ("url", "source_urls"),
    ("archived_url", "source_archived_urls"),
)
_CORRECTIONS = (("date", "correction_dates"), ("note", "correction_notes"))


def _cell(value: str) -> str:
    """A cell as the record held it: the export's apostrophe before a formula removed."""
    if value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _items(value: str, count: int | None = None) -> list[str]:
    if value == "":
        return [] if count is None else [""] * count
    parts = value.split(SEP)
    # One item where one is expected, though it holds the separator: a quote with "; ".
    return [value] if count == 1 else parts


class _Row:
    """One row's cells, and the places to report them at."""

    def __init__(self, display: str, number: int, cells: dict[str, str], columns: list[str]):
        self.display, self.number = display, number
        self.cells = {k: _cell(v or "") for k, v in cells.items() if k is not None}
        self.columns = {name: i + 1 for i, name in enumerate(columns)}

    def node(self, value: Any, column: str) -> Node:
        return Node(value, self.number, self.columns.get(column, 1), self.number, 1)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


def _record(row: _Row) -> tuple[dict[str, Any], Node]:
    """The statement record of a row, as data and as positioned nodes (for the schema)."""
    data: dict[str, Any] = {}
    nodes: dict[str, Node] = {}

    def put(key: str, value: Any, node: Node) -> None:
        data[key], nodes[key] = value, node

    put("id", row.get("id"), row.node(row.get("id"), "id"))
    put("date", row.get("date"), row.node(row.get("date"), "date"))
    for key in _TEXTS:
        if row.get(key) or key in ("title", "kind", "summary"):
            put(key, row.get(key), row.node(row.get(key), key))
    for key in _LISTS:
        values = _items(row.get(key))
        if values or key == "actors":
            put(key, values, row.node([row.node(v, key) for v in values], key))
    texts = _items(row.get("quotes"))
    langs = _items(row.get("quote_langs"))
    if len(langs) == 1:
        texts = [row.get("quotes")]
    quotes = []
    for i in range(len(texts)):
        quote = {}
        for key, column in _QUOTES:
            items = _items(row.get(column), len(texts))
            if i < len(items) and items[i]:
                quote[key] = items[i]
        quotes.append(quote)
    if quotes:
        put("quotes", quotes, _nested(row, quotes, dict(_QUOTES), "quotes"))
    sources = _sources(row)
    if sources:
        put("sources", sources, _nested(row, sources, dict(_SOURCES), "source_titles"))
    if row.get("briefing"):
        put("briefing", row.get("briefing"), row.node(row.get("briefing"), "briefing"))
    order = row.get("briefing_order")
    if order:
        value: Any = int(order) if order.isdigit() else order
        put("briefing_order", value, row.node(value, "briefing_order"))
    corrections = _spread(row, _CORRECTIONS)
    if corrections:
        put(
            "corrections",
            corrections,
            _nested(row, corrections, dict(_CORRECTIONS), "correction_dates"),
        )
    return data, row.node(nodes, "id")


def _spread(row: _Row, columns: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    """Items whose fields sit in one column each (SEP-joined), as many as the first has."""
    count = len(_items(row.get(columns[0][1])))
    found = []
    for i in range(count):
        item = {}
        for key, column in columns:
            items = _items(row.get(column), count)
            if i < len(items) and items[i]:
                item[key] = items[i]
        found.append(item)
    return found


def _sources(row: _Row) -> list[dict[str, str]]:
    sources = _spread(row, _SOURCES)
    return sources[1:] if row.get("briefing") else sources  # the briefing's own comes first


def _nested(row: _Row, items: list[dict[str, str]], columns: dict[str, str], first: str) -> Node:
    nodes = [row.node({k: row.node(v, columns[k]) for k, v in i.items()}, first) for i in items]
    return row.node(nodes, first)


def _briefing_source(row: _Row) -> dict[str, str]:
    first = {}
    for key, column in _SOURCES:
        items = _items(row.get(column))
        if items and items[0]:
            first[key] = items[0]
    return first


_REQUIRED = ("id", "date", "title", "kind", "actors", "summary")


def _check_header(display: str, header: list[str], out: list[Problem]) -> None:
    for i, name in enumerate(header, start=1):
        if name not in CSV_COLUMNS:
            out.append(
                Problem(
                    display,
                    1,
                    i,
                    f"unknown column `{name}`",
                    f"the columns of statements.csv are: {', '.join(CSV_COLUMNS)}",
                )
            )
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        out.append(
            Problem(
                display,
                1,
                1,
                f"missing column(s): {', '.join(missing)}",
                "add them to the header row, spelled as statements.csv spells them",
            )
        )


def _check_row(
    row: _Row, data: dict[str, Any], known: set[str], out: list[Problem], content: Path
) -> None:
    ident, date = data.get("id", ""), data.get("date", "")
    texts, langs = _items(row.get("quotes")), _items(row.get("quote_langs"))
    if len(langs) > 1 and len(texts) != len(langs):
        out.append(
            Problem(
                row.display,
                row.number,
                row.columns.get("quotes", 1),
                f"`quotes` splits into {len(texts)} items at `; `, but `quote_langs` has "
                f"{len(langs)}",
                "one item per quote in each quote column; a quote that holds `; ` can only be "
                "imported alone in its row (or add it to the record by hand)",
            )
        )
    try:
        day: dt.date | None = dt.date.fromisoformat(date)
    except ValueError:
        day = None
        out.append(
            Problem(
                row.display,
                row.number,
                row.columns.get("date", 1),
                f"`{date}` is not a date",
                "write the day as YYYY-MM-DD, e.g. 2023-12-19",
            )
        )
    if ident in known:
        out.append(
            Problem(
                row.display,
                row.number,
                row.columns.get("id", 1),
                f"statement `{ident}` already exists",
                "give the row another id, or delete it: an import never overwrites a record",
            )
        )
    elif day is not None and (content / "statements" / f"{day.year:04d}" / f"{ident}.yml").exists():
        out.append(
            Problem(
                row.display,
                row.number,
                row.columns.get("id", 1),
                f"content/statements/{day.year:04d}/{ident}.yml already exists",
                "an import never overwrites a file; give the row another id",
            )
        )
    known.add(ident)


#: A statement's fields in the order the record format lists them (README, `briefing new`).
_ORDER = re.findall(
    r"\S+",
    "id date date_note actors title kind venue location summary quotes topics mentions "
    "related sources briefing briefing_order notes corrections",
)


def _dump(data: dict[str, Any], comment: str = "") -> str:
    """A record's YAML: text kept exactly (PyYAML quotes what would read as another type)."""
    import yaml

    ordered = {k: data[k] for k in sorted(data, key=lambda k: [*_ORDER, k].index(k))}
    return comment + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {display_path(path)}")


_CREATED = (
    "# Created by `briefing import`: finish the TODO, then check it with `briefing validate`.\n"
)


def run_import(args: argparse.Namespace) -> int:
    """Check every row; if all are good, write their records and the missing ones."""
    from generator.cli.records import find_content_dir
    from generator.records.validate import validate_archive

    content: Path = args.content_dir or find_content_dir()
    path: Path = args.file
    display = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8").removeprefix(BOM)
    except (OSError, UnicodeDecodeError) as error:
        print(f"{display}:1:1: error: cannot read the file as UTF-8 ({error})", file=sys.stderr)
        return 1
    known: dict[str, set[str]] = {
        "statement": set(),
        "actor": set(),
        "topic": set(),
        "briefing": set(),
    }
    if content.is_dir() and any(content.rglob("*.yml")):
        result = validate_archive(content)
        if result.archive is None:
            for problem in result.errors:
                print(problem.format(), file=sys.stderr)
            print(
                "briefing import: the archive has errors (above); fix them first", file=sys.stderr
            )
            return 1
        archive = result.archive
        known = {
            "statement": set(archive.statements),
            "actor": set(archive.actors),
            "topic": set(archive.topics),
            "briefing": set(archive.briefings),
        }
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or [])
    problems: list[Problem] = []
    _check_header(display, header, problems)
    rows: list[tuple[_Row, dict[str, Any]]] = []
    if not problems:
        for number, cells in enumerate(reader, start=2):
            row = _Row(display, number, cells, header)
            data, root = _record(row)
            place = RecordFile("statement", str(path), "", display, b"", str(data.get("id", "")))
            # The precise findings first: at a shared cell, the first one is shown.
            _check_row(row, data, known["statement"], problems, content)
            check_schema(place, root, data, problems)
            rows.append((row, data))
    for row, data in rows:
        for i, ref in enumerate(data.get("related", [])):
            if ref not in known["statement"]:
                problems.append(
                    Problem(
                        display,
                        row.number,
                        row.columns.get("related", 1),
                        f"`related` item {i + 1} names statement `{ref}`, which is neither in "
                        "the sheet nor in the archive",
                        "check the spelling, or add its row",
                    )
                )
    if problems:
        # One problem per cell, the first found, as the validator reports one per place.
        shown = {(p.line, p.column): p for p in reversed(problems)}
        for _, problem in sorted(shown.items()):
            print(problem.format(), file=sys.stderr)
        print(f"{len(shown)} problem(s) in {display}; nothing was written", file=sys.stderr)
        return 1
    _write_all(rows, known, content)
    return 0


def _write_all(
    rows: list[tuple[_Row, dict[str, Any]]], known: dict[str, set[str]], content: Path
) -> None:
    for row, data in rows:
        day = dt.date.fromisoformat(data["date"])
        _write(content / "statements" / f"{day.year:04d}" / f"{data['id']}.yml", _dump(data))
        names = _items(row.get("actor_names"), len(data["actors"]))
        people = list(zip(data["actors"], names, strict=False))
        people += [(ident, "") for ident in data.get("mentions", [])]
        for ident, name in people:
            if ident in known["actor"]:
                continue
            known["actor"].add(ident)
            actor = {
                "id": ident,
                "name": name or ident.replace("-", " ").title(),
                "kind": "person",
                "description": "TODO: check the name and kind (person, organization or "
                "state), and describe the actor",
            }
            _write(content / "actors" / f"{ident}.yml", _dump(actor, _CREATED))
        for ident in data.get("topics", []):
            if ident in known["topic"]:
                continue
            known["topic"].add(ident)
            topic = {
                "id": ident,
                "title": ident.replace("-", " ").capitalize(),
                "description": "TODO: check the title and describe the topic",
            }
            _write(content / "topics" / f"{ident}.yml", _dump(topic, _CREATED))
        cited = data.get("briefing")
        if cited and cited not in known["briefing"]:
            known["briefing"].add(cited)
            source = _briefing_source(row)
            briefing = {"id": cited, **source}
            briefing["notes"] = "TODO: add the briefing's language and text, if its licence allows"
            _write(content / "briefings" / f"{cited}.yml", _dump(briefing, _CREATED))
