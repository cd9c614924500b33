"""A briefing's sentences grouped into statements.

A statement starts at a sentence that names a new occasion (a day other than the current
statement's, or "Earlier", "Before this") or a speaker other than the current one by name.
Every other sentence, with "he", a role ("the diplomat") or no speaker at all, goes on with
the statement before it; the sentences before the first speaker or day (a lead such as
"Relations are strong. This was announced by ...") open the first statement. Where a
statement's speaker is only assumed, a TODO says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.drafting.dates import EARLIER, Day, after_briefing_note, find_day
from generator.drafting.quotes import Found, speakers_words
from generator.drafting.sentences import Sentence, split
from generator.drafting.speakers import Names, Speaker, find_speaker, role_fits

_KINDS = (
    (
        re.compile(
            r"\binterview\b|\bconversation with\b"
            r"|\btold\b[^.]*\b(?:newspaper|agency|channel|magazine|broadcaster)\b",
            re.I,
        ),
        "interview",
    ),
    (re.compile(r"\bpress conference\b|\bbriefing for journalists\b", re.I), "press-conference"),
    (re.compile(r"\bspeech\b|\baddress(?:ing|ed)? (?:the|a)\b", re.I), "speech"),
    (re.compile(r"\bin an? (?:article|op-ed|column)\b", re.I), "article"),
)


@dataclass(slots=True)
class Statement:
    """One statement found in the text, as the draft will record it."""

    order: int
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    joint: bool = False
    role: str | None = None
    day: Day | None = None
    opened_earlier: bool = False
    todos: list[str] = field(default_factory=list)
    date: dt.date | None = None
    date_note: str | None = None
    kind: str = "statement"
    quotes: list[Found] = field(default_factory=list)

    def same_speaker(self, speaker: Speaker) -> bool:
        """True when `speaker` names exactly this statement's speakers."""
        return set(speaker.ids) == set(self.actors) and set(speaker.unknown) == set(self.unknown)


def _take(statement: Statement, speaker: Speaker) -> None:
    statement.actors = list(dict.fromkeys(speaker.ids))
    statement.unknown = list(speaker.unknown)
    statement.joint = speaker.joint
    statement.role = speaker.role
    statement.todos += speaker.todos
    for name in speaker.unknown:
        statement.todos.append(
            f"TODO: no actor record is named “{name}”: create one (briefing new actor "
            f'--name "{name}" --kind person), or change the id in `actors` to an existing one'
        )


def _stand_in(
    statement: Statement, speaker: Speaker | None, before: Statement | None, names: Names
) -> None:
    """A statement opened without a name: its speaker is the one before, said with a TODO."""
    if before is None or not (before.actors or before.unknown):
        what = f"“{speaker.words}”" if speaker else "the statement"
        statement.todos.append(f"TODO: no speaker is named before {what}: add the actor's id")
        return
    statement.actors, statement.unknown = list(before.actors), list(before.unknown)
    statement.joint, statement.role = before.joint, before.role
    if speaker is None:
        statement.todos.append(
            "TODO: the text names no speaker here; taken to be the one before "
            f"({', '.join(before.actors + before.unknown)}): check"
        )
    else:
        _check_stand_in(statement, speaker, names)


def _check_stand_in(statement: Statement, speaker: Speaker, names: Names) -> None:
    if speaker.kind != "role" or not statement.actors:
        return
    actor = statement.actors[0]
    words = speaker.words.rsplit(" ", 1)[0] if " " in speaker.words else ""
    if not role_fits(words, speaker.role or "", names.profile(actor)):
        statement.todos.append(
            f"TODO: “the {speaker.words}” is taken to be {actor}, the speaker before: check"
        )


def segment(
    text: str, briefing_date: dt.date, names: Names, publishers: Iterable[str]
) -> list[Statement]:
    """The statements of a briefing's text, in the order it reports them."""
    statements: list[Statement] = []
    pending: list[Sentence] = []
    current: Statement | None = None
    for sentence in split(text):
        speaker = find_speaker(sentence.masked, names)
        day = find_day(sentence.masked, briefing_date)
        earlier = EARLIER.match(sentence.text) is not None
        explicit = speaker is not None and speaker.kind in ("named", "unknown")
        if current is None:
            new = day is not None or speaker is not None
        else:
            new = (
                (day is not None and current.day is not None and day.date != current.day.date)
                or earlier
                or (explicit and speaker is not None and not current.same_speaker(speaker))
            )
        if not new:
            if current is None:
                pending.append(sentence)
                continue
            current.sentences.append(sentence)
            if current.day is None:
                current.day = day
            if speaker is not None:
                _check_stand_in(current, speaker, names)
            continue
        before = current
        current = Statement(len(statements) + 1, [*pending, sentence], day=day)
        current.opened_earlier = earlier
        pending = []
        statements.append(current)
        if explicit and speaker is not None:
            _take(current, speaker)
        else:
            _stand_in(current, speaker, before, names)
    publishers = list(publishers)
    for i, statement in enumerate(statements):
        _finish(statement, statements[i - 1] if i else None, briefing_date, names, publishers)
    return statements


def _who(statement: Statement, names: Names) -> str:
    if statement.role:
        return f"the {statement.role}"
    named = [names.actors[a].name for a in statement.actors if a in names.actors]
    return " and ".join(named + statement.unknown) or "the speaker"


def _finish(
    statement: Statement,
    before: Statement | None,
    briefing_date: dt.date,
    names: Names,
    publishers: list[str],
) -> None:
    day = statement.day
    if day is None:
        statement.date = briefing_date
        statement.date_note = (
            "TODO: the text names no day for this statement; the briefing's date is used"
        )
    else:
        statement.date = day.date
        statement.date_note = day.note or after_briefing_note(
            day, briefing_date, _who(statement, names)
        )
    if (
        statement.opened_earlier
        and before is not None
        and before.date is not None
        and statement.date > before.date
    ):
        statement.todos.append(
            f"TODO: the text reports this as earlier than the statement before "
            f"({before.date.isoformat()}), but its day is {statement.date.isoformat()}: check"
        )
    words = " ".join(s.masked for s in statement.sentences)
    if statement.joint:
        statement.kind = "joint-statement"
    else:
        statement.kind = next((k for p, k in _KINDS if p.search(words)), "statement")
    for sentence in statement.sentences:
        statement.quotes += speakers_words(sentence, publishers)
