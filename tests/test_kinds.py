"""The one table of kinds (`records/kinds.py`) is the kinds the schemas allow.

A kind added to a schema but not to the table would be shown as its raw id on pages and in
search; one added to the table only would be offered by `briefing new` and then refused.
"""

from __future__ import annotations

from typing import Any

from generator.pages.filters import KIND_LABELS
from generator.records.kinds import ACTOR_KINDS, STATEMENT_KINDS, actor_label, statement_label
from generator.records.schema import schema


def _schema_kinds(name: str) -> list[Any]:
    kinds: list[Any] = schema(name)["properties"]["kind"]["enum"]
    return kinds


def test_the_table_has_exactly_the_actor_kinds_of_the_schema() -> None:
    assert list(ACTOR_KINDS) == _schema_kinds("actor")


def test_the_table_has_exactly_the_statement_kinds_of_the_schema() -> None:
    assert list(STATEMENT_KINDS) == _schema_kinds("statement")


def test_the_page_filter_reads_every_kind_from_the_table() -> None:
    # One filter names both statement kinds and actor-list headings: no id may be both.
    assert not set(ACTOR_KINDS) & set(STATEMENT_KINDS)
    assert KIND_LABELS["joint-statement"] == "Joint statement"
    assert KIND_LABELS["person"] == "People"
    assert len(KIND_LABELS) == len(ACTOR_KINDS) + len(STATEMENT_KINDS)


def test_an_unknown_kind_is_shown_as_written() -> None:
    assert statement_label("podcast") == "podcast"
    assert actor_label("guild") == "guild"
    assert statement_label("social-media") == "Social media post"
    assert actor_label("organization") == "Organization"
