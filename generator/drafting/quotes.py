"""Which quoted spans are a speaker's words, and which are names of outlets.

A briefing quotes outlets too: “in a conversation with “RIA News””, “told the “Izvestia”
newspaper”. A quoted span is taken for a name when it looks like one (a few words, each
capitalised, no closing punctuation) and either the words around it say it is an outlet
(“with”, “told”, “newspaper”, …) or it is spelled like a publisher already in the archive.
A span that looks like a name with nothing around it to say so is kept as a quote, with a
TODO asking the editor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from generator.drafting.sentences import Quoted, Sentence

_BEFORE = re.compile(
    r"(?:\b(?:with|to|told|by|in|on|from|of|newspaper|agency|channel|magazine|outlet|"
    r"publication|portal|edition|website|broadcaster|station|journal|daily|tv)"
    r"(?:\s+the)?)\s*$",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"^\s*(?:newspaper|agency|news agency|channel|magazine|tv|radio|website|portal|"
    r"broadcaster|daily|journal|outlet|reported|wrote|writes|reports)\b",
    re.IGNORECASE,
)
_MAX_NAME_WORDS = 5


@dataclass(frozen=True, slots=True)
class Found:
    """A quoted span judged a quote, with a TODO when the judgement is unsure."""

    quoted: Quoted
    todo: str | None


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not words or len(words) > _MAX_NAME_WORDS or text.rstrip()[-1:] in ".,;:!?…":
        return False
    small = {"of", "the", "and", "for", "in", "on", "de", "la"}
    return all(w[:1].isupper() or w[:1].isdigit() or w in small for w in words)


def speakers_words(sentence: Sentence, publishers: Iterable[str]) -> list[Found]:
    """The sentence's quoted spans that are quotes, in order; outlets' names left out."""
    known = {_key(p) for p in publishers}
    found: list[Found] = []
    for q in sentence.quoted:
        if not _looks_like_name(q.text):
            found.append(Found(q, None))
            continue
        before = sentence.text[: q.start - sentence.start]
        after = sentence.text[q.end - sentence.start :]
        if _key(q.text) in known or _BEFORE.search(before) or _AFTER.match(after):
            continue  # an outlet's name
        found.append(
            Found(q, f"TODO: “{q.text}” looks like a name; delete this quote if it is not words")
        )
    return found
