"""The kinds of actor and of statement, and how each kind reads: the one table of them.

The schemas (`generator/schemas/*.schema.json`) allow exactly these kinds (a test holds the
two equal); pages, search documents, feeds and citations name a kind from here, and
`briefing new` offers these. A new kind is one line here and one in its schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ActorKind:
    """How an actor kind reads."""

    one: str  # one actor of the kind ("Person"): search documents
    many: str  # the kind's list on the actors page is headed with it ("People")


@dataclass(frozen=True, slots=True)
class StatementKind:
    """How a statement kind reads, and what citation managers call it."""

    label: str  # on pages, in search, feeds and citations ("Joint statement")
    # The CSL item type. Oral forms are `speech` (CSL's type for talks and presentations);
    # written statements are `document` (CSL 1.0.2), the closest honest fit. Citations also
    # put the label into `genre`, so nothing is lost when a style ignores the type.
    csl_type: str


#: The actor kinds, in the order the actors page lists them.
ACTOR_KINDS: Mapping[str, ActorKind] = {
    "person": ActorKind("Person", "People"),
    "organization": ActorKind("Organization", "Organizations"),
    "state": ActorKind("State", "States"),
}

#: The statement kinds, in the order `briefing new` offers them.
STATEMENT_KINDS: Mapping[str, StatementKind] = {
    "interview": StatementKind("Interview", "interview"),
    "speech": StatementKind("Speech", "speech"),
    "statement": StatementKind("Statement", "document"),
    "joint-statement": StatementKind("Joint statement", "document"),
    "press-conference": StatementKind("Press conference", "speech"),
    "briefing": StatementKind("Briefing", "speech"),
    "article": StatementKind("Article", "article"),
    "social-media": StatementKind("Social media post", "post"),
    "other": StatementKind("Other", "document"),
}

#: The CSL type of a kind this table does not know (the validator refuses such a kind).
UNKNOWN_CSL_TYPE = "document"


def statement_label(kind: str) -> str:
    """`Joint statement` for `joint-statement`; an unknown kind is shown as written."""
    known = STATEMENT_KINDS.get(kind)
    return known.label if known else kind


def actor_label(kind: str) -> str:
    """`Person` for `person`; an unknown kind is shown as written."""
    known = ACTOR_KINDS.get(kind)
    return known.one if known else kind


def csl_type(kind: str) -> str:
    """The CSL item type of a statement kind (`document` for one this table does not know)."""
    known = STATEMENT_KINDS.get(kind)
    return known.csl_type if known else UNKNOWN_CSL_TYPE
