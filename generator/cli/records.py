"""The record commands of the `briefing` CLI: `validate` and `new`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from generator.cli.skeletons import briefing_text, schema_line, topic_text
from generator.records.kinds import ACTOR_KINDS, STATEMENT_KINDS
from generator.records.layout import archive_root
from generator.records.suggest import Suggester
from generator.records.validate import ID_MAX, ID_PATTERN, check_archive, display_path


def find_content_dir() -> Path:
    """The content/ folder of the archive the command runs in (beside its mkdocs.yml), found
    from any folder inside it; without one, ./content."""
    here = Path.cwd()
    return (archive_root(here) or here.resolve()) / "content"


def run_validate(content_dir: Path | None, *, strict: bool, fmt: str) -> int:
    """Print every problem; exit 1 if any is an error (warnings too under `strict`)."""
    folder = content_dir or find_content_dir()
    result = check_archive(folder, strict=strict)  # reports only: no archive needed
    for problem in result.problems:
        print(problem.format_github() if fmt == "github" else problem.format(), file=sys.stderr)
    errors, warnings = len(result.errors), len(result.warnings)
    if errors:
        print(
            f"{errors} error(s), {warnings} warning(s) in {result.checked} record file(s) "
            f"under {display_path(folder)}",
            file=sys.stderr,
        )
        return 1
    counts = result.counts
    print(
        f"checked {result.checked} records under {display_path(folder)}: "
        f"{counts.get('statement', 0)} statements, {counts.get('actor', 0)} actors, "
        f"{counts.get('topic', 0)} topics, {counts.get('briefing', 0)} briefings; "
        f"{warnings} warning(s), no errors"
    )
    return 0


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, so any title stays text.
    return json.dumps(text, ensure_ascii=False)


def _fail(message: str) -> int:
    print(f"briefing new: {message}", file=sys.stderr)
    return 1


def _make_id(given: str | None, *parts: str, suffix: str = "") -> str | None:
    if given:
        return given if ID_PATTERN.match(given) and len(given) <= ID_MAX else None
    from slugify import slugify  # only `briefing new` needs it: keep `validate` quick to start

    room = ID_MAX - len(suffix) - (1 if suffix else 0)
    base = slugify(" ".join(parts), max_length=room, word_boundary=True) or "record"
    return f"{base}-{suffix}" if suffix else base


def _write_new(path: Path, text: str) -> int:
    if path.exists() or path.is_symlink():
        return _fail(f"{display_path(path)} already exists; it was left as it is")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # "x": never write through a (dangling) symlink or over a file made meanwhile
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return _fail(f"{display_path(path)} already exists; it was left as it is")
    then = "fill in the TODOs, then run" if "TODO" in text else "check it with"
    print(f"wrote {display_path(path)}; {then} `briefing validate`")
    return 0


def run_new(args: argparse.Namespace) -> int:
    """Write a commented, valid record skeleton at the path its id and date call for."""
    content = args.content_dir or find_content_dir()
    if args.record == "actor":
        ident = _make_id(args.id, args.name)
        if ident is None:
            return _fail(f"`{args.id}` is not a valid id (lowercase a-z, 0-9, single hyphens)")
        path = content / "actors" / f"{ident}.yml"
        schema = schema_line(content, "actor", path.parent)
        return _write_new(path, _actor_text(ident, args, schema))
    if args.record == "topic":
        return _new_topic(args, content)
    if args.record == "briefing":
        return _new_briefing(args, content)
    try:
        day = dt.date.fromisoformat(args.date)
    except ValueError:
        return _fail(f"--date {args.date!r} is not a date in YYYY-MM-DD form")
    if args.kind not in STATEMENT_KINDS:
        return _fail(f"--kind must be one of: {', '.join(STATEMENT_KINDS)}")
    missing = [
        a
        for a in args.actor
        if not ID_PATTERN.match(a) or not (content / "actors" / f"{a}.yml").is_file()
    ]
    if missing:
        suggester = Suggester(p.stem for p in (content / "actors").glob("*.yml"))
        hints = "".join(f"\n    hint: for `{a}`, {h}" for a in missing if (h := suggester.hint(a)))
        return _fail(
            f"no actor record for {', '.join(missing)}; create it first with "
            f"`briefing new actor --name ... --kind ...`{hints}"
        )
    ident = _make_id(args.id, args.title, suffix=day.isoformat())
    if ident is None:
        return _fail(f"`{args.id}` is not a valid id (lowercase a-z, 0-9, single hyphens)")
    path = content / "statements" / f"{day.year:04d}" / f"{ident}.yml"
    schema = schema_line(content, "statement", path.parent)
    return _write_new(path, _statement_text(ident, day, args, schema))


def _new_topic(args: argparse.Namespace, content: Path) -> int:
    ident = _make_id(args.id, args.title)
    if ident is None:
        return _fail(f"`{args.id}` is not a valid id (lowercase a-z, 0-9, single hyphens)")
    path = content / "topics" / f"{ident}.yml"
    schema = schema_line(content, "topic", path.parent)
    return _write_new(path, topic_text(ident, args.title, args.description, schema))


def _new_briefing(args: argparse.Namespace, content: Path) -> int:
    try:
        day = dt.date.fromisoformat(args.published)
    except ValueError:
        return _fail(f"--published {args.published!r} is not a date in YYYY-MM-DD form")
    if args.url is not None and not _URL.match(args.url):
        return _fail(f"--url {args.url!r} is not an absolute http:// or https:// address")
    ident = _make_id(args.id, args.title, suffix=day.isoformat())
    if ident is None:
        return _fail(f"`{args.id}` is not a valid id (lowercase a-z, 0-9, single hyphens)")
    path = content / "briefings" / f"{ident}.yml"
    schema = schema_line(content, "briefing", path.parent)
    text = briefing_text(ident, args.title, args.publisher, day, args.url, schema)
    return _write_new(path, text)


# The schemas' pattern for addresses (generator/schemas/*.schema.json).
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


def _statement_text(ident: str, day: dt.date, args: argparse.Namespace, schema: str) -> str:
    actors = "\n".join(f"  - {a}" for a in args.actor)
    return f"""\
{schema}# A statement record. The format: README.md#record-format
# A draft stays off the site: once no TODO is left, delete the `status` line (or write
# `status: published`). `briefing drafts` lists what is left.
status: draft
id: {ident}
date: {day.isoformat()}  # the day the statement was made, not the day it was reported
actors:  # every party of a joint statement
{actors}
title: {_q(args.title)}
kind: {args.kind}  # {" | ".join(STATEMENT_KINDS)}
# Paraphrase only. Words from inside quotation marks go in `quotes`.
summary: "TODO: say in your own words what was said."
sources:
  - title: "TODO: the report's headline"
    publisher: "TODO: the outlet, spelled as elsewhere in the archive"
    published: {day.isoformat()}
    # url: https://...
# venue: "conversation with RIA Novosti"
# location: Beijing
# quotes:  # verbatim words only, exactly as inside the quotation marks
#   - text: "..."
#     lang: en
#     original: "..."      # the words as spoken, if recorded
#     original_lang: ru
# topics: []
# mentions: []
# related: []
"""


def _actor_text(ident: str, args: argparse.Namespace, schema: str) -> str:
    return f"""\
{schema}# An actor record. The format: README.md#record-format
id: {ident}
name: {_q(args.name)}
kind: {args.kind}  # {" | ".join(ACTOR_KINDS)}
# names:  # the name in other languages and scripts
#   - name: "..."
#     lang: ru
# country: russia  # id of a state actor
# roles:
#   - title: "..."
#     organization: "..."
#     from: "2019"  # YYYY, YYYY-MM or YYYY-MM-DD
#     to: "2024-05-07"  # leave out while the role is held
# description: "..."
# links:
#   wikidata: Q...
#   website: https://...
"""
