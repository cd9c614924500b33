"""`briefing drafts`: the draft statements, and the TODOs still left in the records.

A draft (`status: draft`, see publish.py) is expected to hold `TODO` placeholders, so
`briefing validate` does not report them; this lists them, each at `path:line:column`, to
say what is left before the draft can be published. Published records that still hold a
TODO are listed apart: `briefing build` refuses to publish them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from generator.records.checks import TODO
from generator.records.find import discover, display_path
from generator.records.load import decode
from generator.records.publish import DRAFT
from generator.records.yaml_events import read_yaml
from generator.records.yaml_tree import Wanted

_SHOWN = 100  # characters of a TODO's text shown on its line
#: A file holding none of these (the second set: a statement's) has no TODO and is no draft.
_WORDS = ((TODO.encode(), b"\\"), (TODO.encode(), b"\\", DRAFT.encode()))


@dataclass(frozen=True, slots=True)
class Todo:
    """One placeholder: where it is (`path:line:column`) and its text."""

    where: str
    text: str


@dataclass(frozen=True, slots=True)
class Unfinished:
    """A record that is a draft, or that holds placeholders, or both."""

    display: str  # the file's path as problems show it
    ident: str | None
    draft: bool
    todos: tuple[Todo, ...]


_PLACEHOLDERS = Wanted(flag=(TODO,))


def _todo(display: str, text: str, line: int, column: int) -> Todo:
    text = " ".join(text.split())
    text = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    return Todo(f"{display}:{line}:{column}", text)


def scan(content_dir: Path) -> tuple[list[Unfinished], int]:
    """The drafts and the records with placeholders, in the records' order; and how many
    files could not be read as records (`briefing validate` says why)."""
    found: list[Unfinished] = []
    unreadable = 0
    for folder in discover(content_dir, []):  # layout problems are validate's to report
        for name in folder.names:
            display = folder.shown + name
            try:
                data = Path(folder.prefix + name).read_bytes()
            except OSError:
                unreadable += 1
                continue
            # Most records are finished and published: skip them without parsing (a backslash
            # may be a YAML escape spelling either word).
            if not any(word in data for word in _WORDS[folder.kind == "statement"]):
                continue
            text, _ = decode(data, display)
            loaded = read_yaml(text, display, _PLACEHOLDERS, tree=True) if text else None
            fields = loaded.data if loaded is not None else None
            if loaded is None or not isinstance(fields, dict):
                unreadable += 1
                continue
            status, ident = fields.get("status"), fields.get("id")
            draft = folder.kind == "statement" and status == DRAFT
            todos = tuple(_todo(display, *flagged) for flagged in loaded.flagged)
            if draft or todos:
                found.append(
                    Unfinished(display, ident if isinstance(ident, str) else None, draft, todos)
                )
    return found, unreadable


def run_drafts(content_dir: Path) -> int:
    """Print the drafts with their TODOs, then the published records with TODOs; exit 0."""
    if not content_dir.is_dir():
        where = display_path(content_dir)
        print(f"error: {where}: the content folder does not exist", file=sys.stderr)
        return 1
    found, unreadable = scan(content_dir)
    drafts = [u for u in found if u.draft]
    unfinished = [u for u in found if not u.draft]
    if drafts:
        print(f"{len(drafts)} draft statement(s), left out of the built site:")
        for u in drafts:
            left = f"{len(u.todos)} TODO(s)" if u.todos else "no TODOs: set `status: published`"
            print(f"  {u.display} (id: {u.ident or '?'}): {left}")
            for todo in u.todos:
                print(f"    {todo.where}: {todo.text}")
    else:
        print("no draft statements")
    if unfinished:
        print()
        print(f"{len(unfinished)} published record(s) with TODOs; `briefing build` fails on them:")
        for u in unfinished:
            for todo in u.todos:
                print(f"  {todo.where}: {todo.text}")
        print(
            "  hint: finish the text, or mark the statement `status: draft` to keep it unpublished"
        )
    if unreadable:
        print(f"\n{unreadable} file(s) could not be read as records: run `briefing validate`")
    return 0
