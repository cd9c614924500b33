"""`briefing draft BRIEFING_ID`: draft statement records from a briefing's text.

The archive must validate (the drafts are matched against its actors). Each statement
found is written as a draft at its usual path, never over a file; a statement the archive
already records from this briefing (the same `briefing_order`) is left out, so running the
command again adds nothing twice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _fail(message: str) -> int:
    print(f"briefing draft: {message}", file=sys.stderr)
    return 1


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `draft` subcommand's arguments."""
    p = sub.add_parser("draft", help="write draft statement records from a briefing's text")
    p.add_argument("briefing_id", metavar="BRIEFING_ID", help="id of a briefing with `text`")
    p.add_argument("--content-dir", type=Path)


def run_draft(args: argparse.Namespace) -> int:
    """Write one draft per statement found in the briefing's text; print their paths."""
    # Here, not at the top: the parser imports this module for every command.
    from generator.cli.records import find_content_dir
    from generator.cli.skeletons import schema_line
    from generator.drafting.segmenting import segment
    from generator.drafting.speakers import Names
    from generator.drafting.writing import draft_id, draft_path, draft_text
    from generator.records.find import display_path
    from generator.records.suggest import Suggester
    from generator.records.validate import validate_archive

    content: Path = args.content_dir or find_content_dir()
    result = validate_archive(content)
    if result.archive is None:
        for problem in result.errors:
            print(problem.format(), file=sys.stderr)
        return _fail("the archive has errors (above); fix them first, then draft again")
    archive = result.archive
    briefing = archive.briefings.get(args.briefing_id)
    if briefing is None:
        hint = Suggester(archive.briefings).hint(args.briefing_id)
        return _fail(f"no briefing `{args.briefing_id}`" + (f"; {hint}" if hint else ""))
    if not briefing.text:
        return _fail(f"the briefing `{briefing.id}` has no `text` to draft from; add it first")
    publishers = {b.publisher for b in archive.briefings.values()}
    publishers |= {s.publisher for st in archive.statements.values() for s in st.sources}
    found = segment(briefing.text, briefing.published, Names(archive.actors.values()), publishers)
    if not found:
        return _fail("found no statement in the text (no speaker and no day named)")
    recorded = {
        st.briefing_order: st.path
        for st in archive.statements.values()
        if st.briefing == briefing.id and st.briefing_order is not None
    }
    taken = set(archive.statements)
    wrote = 0
    for statement in found:
        if statement.order in recorded:
            where = display_path(content / recorded[statement.order])
            print(f"statement {statement.order} is already recorded in {where}; left out")
            continue
        ident = draft_id(statement, taken)
        path = draft_path(content, statement, ident)
        while path.exists() or path.is_symlink():
            taken.add(ident)
            ident = draft_id(statement, taken)
            path = draft_path(content, statement, ident)
        taken.add(ident)
        text = draft_text(
            statement, briefing, ident, schema_line(content, "statement", path.parent)
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # never over a file made meanwhile
            handle.write(text)
        wrote += 1
        print(f"wrote {display_path(path)}")
    if wrote:
        print(
            f"{wrote} draft(s): `briefing drafts` lists their TODOs, "
            "`briefing validate` checks them"
        )
    return 0
