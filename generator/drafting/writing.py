"""A found statement as the YAML of a draft record, and its place in the archive.

Every value is written as a double-quoted scalar (a JSON string is one), so quotes keep
their exact characters. What `briefing draft` is unsure of is in TODO values: the title,
the summary (the briefing's own sentences, to be rewritten as a paraphrase) and `notes`,
which lists every uncertain choice; `briefing drafts` lists them all.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

from slugify import slugify

from generator.drafting.segmenting import Statement
from generator.records.checks import ID_MAX
from generator.records.model import Briefing

UNDETERMINED = "und"  # BCP 47: language not known


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def draft_id(statement: Statement, taken: Collection[str]) -> str:
    """An id from the speakers and the day, unique among `taken` (a numbered suffix)."""
    assert statement.date is not None
    day = statement.date.isoformat()
    room = ID_MAX - len(day) - 3  # the hyphen, and room for a "-N" suffix
    who = " ".join(statement.actors + statement.unknown) or "statement"
    base = f"{slugify(who, max_length=room, word_boundary=True) or 'statement'}-{day}"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def draft_path(content: Path, statement: Statement, ident: str) -> Path:
    """Where the draft goes: content/statements/<year>/<id>.yml."""
    assert statement.date is not None
    return content / "statements" / f"{statement.date.year:04d}" / f"{ident}.yml"


def draft_text(statement: Statement, briefing: Briefing, ident: str, schema: str) -> str:
    """The draft record's YAML."""
    assert statement.date is not None
    todos = list(statement.todos)
    lang = briefing.language or UNDETERMINED
    if briefing.language is None and statement.quotes:
        todos.append("TODO: the briefing gives no `language`: set each quote's `lang`")
    todos += [found.todo for found in statement.quotes if found.todo]
    sentences = " ".join(" ".join(s.text.split()) for s in statement.sentences)
    lines = [
        f"{schema}# A draft that `briefing draft` wrote from the briefing",
        f"# `{briefing.id}`: check every value against the briefing's text,",
        "# resolve each TODO, then delete the `status` line. How the draft was made:",
        "# README.md#from-a-briefing-to-records",
        "status: draft",
        f"id: {ident}",
        f"date: {statement.date.isoformat()}",
    ]
    if statement.date_note:
        lines.append(f"date_note: {_q(statement.date_note)}")
    if statement.actors or statement.unknown:
        lines.append("actors:")
    else:
        lines.append("actors: []  # TODO: the speaker's id (see notes)")
    lines += [f"  - {actor}" for actor in statement.actors]
    lines += [f"  - {slugify(name)}  # TODO: no actor record yet" for name in statement.unknown]
    lines += [
        'title: "TODO: a short, neutral headline"',
        f"kind: {statement.kind}",
        "summary: "
        + _q(
            "TODO: a draft paraphrase, still the briefing's own sentences: rewrite it in your "
            f"own words, with no quotation marks. {sentences}"
        ),
    ]
    if statement.quotes:
        lines.append("quotes:  # the words between quotation marks, exactly as in the briefing")
        for found in statement.quotes:
            lines += [f"  - text: {_q(found.quoted.text)}", f"    lang: {lang}"]
    if todos:
        lines.append("# Choices `briefing draft` was unsure of:")
        lines += [f"#   - {todo.removeprefix('TODO: ')}" for todo in todos]
        lines.append(f"notes: {_q('TODO: ' + ' | '.join(t.removeprefix('TODO: ') for t in todos))}")
    lines += [f"briefing: {briefing.id}", f"briefing_order: {statement.order}"]
    return "\n".join(lines) + "\n"
