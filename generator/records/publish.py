"""What the site publishes: drafts left out, and no published record with TODOs.

A statement with `status: draft` is validated like any other, but the built site never
shows it: `for_site` is the one place that takes drafts out of the archive before pages,
feeds, downloads and the search index are made from it. Only a preview asked for with
`briefing serve --drafts` (which sets `DRAFTS_ENV` for the MkDocs it runs) keeps them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from generator.records.checks import PLACEHOLDER
from generator.records.model import Archive, Statement
from generator.records.validate import Result

DRAFT = "draft"
#: A TODO placeholder in a record the site would publish: an error for a publishing build.
UNFINISHED = "placeholder text left in a published record"
#: Set to "1" by `briefing serve --drafts`: the preview then shows the drafts too.
DRAFTS_ENV = "BRIEFING_DRAFTS"


def is_draft(statement: Statement) -> bool:
    """Whether the statement is a draft (kept off the built site)."""
    return statement.status == DRAFT


def published(archive: Archive) -> Archive:
    """The archive without its draft statements, nor any mention of them in `related`.

    The same object when there is no draft, so nothing downstream sees a change.
    """
    drafts = {sid for sid, s in archive.statements.items() if is_draft(s)}
    if not drafts:
        return archive
    statements = {}
    for sid, statement in archive.statements.items():
        if sid in drafts:
            continue
        if any(r in drafts for r in statement.related):
            related = tuple(r for r in statement.related if r not in drafts)
            statement = replace(statement, related=related)
        statements[sid] = statement
    return replace(archive, statements=statements)


def shows_drafts(command: str) -> bool:
    """Whether a run of MkDocs `command` shows drafts: only a preview asked to, never a build."""
    return command == "serve" and os.environ.get(DRAFTS_ENV) == "1"


@contextmanager
def drafts_shown(shown: bool) -> Iterator[None]:
    """Within: a `serve` in this process shows drafts if `shown`, and never otherwise.

    Unset rather than left as found when not `shown`: `briefing serve` without --drafts
    must hide them even where the variable was exported.
    """
    before = os.environ.get(DRAFTS_ENV)
    if shown:
        os.environ[DRAFTS_ENV] = "1"
    else:
        os.environ.pop(DRAFTS_ENV, None)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DRAFTS_ENV, None)
        else:
            os.environ[DRAFTS_ENV] = before


def for_site(archive: Archive, command: str) -> Archive:
    """The archive the site of MkDocs `command` ("build", "gh-deploy", "serve") is made of."""
    return archive if shows_drafts(command) else published(archive)


def for_publishing(result: Result) -> Result:
    """`result` with each TODO placeholder in a published record raised to an error.

    Drafts carry no placeholder problems (validate.py leaves them out), so every one left
    is in a record the site would publish. Idempotent.
    """
    if not any(p.message == PLACEHOLDER for p in result.problems):
        return result
    problems = tuple(
        replace(p, message=UNFINISHED).as_error() if p.message == PLACEHOLDER else p
        for p in result.problems
    )
    return replace(result, problems=problems)
