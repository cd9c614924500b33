"""A briefing's text as sentences, with the spans between quotation marks.

Offsets are into the whole text, so a sentence, a quote and a name found in either can be
told apart and put back in order. Quotation marks are the double ones in any style
(“…”, „…“, «…», "…"); single marks are left alone, since ’ is also the apostrophe.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

#: An opening mark and the marks that may close it.
_CLOSERS = {"“": "”", "„": "“”", "«": "»", '"': '"'}
_ABBREVIATIONS = frozenset(
    re.findall(
        r"\S+",
        "mr mrs ms dr prof st gen col lt sen rep gov jr sr no vs etc jan feb mar apr jun jul "
        "aug sep sept oct nov dec u.s u.k e.g i.e",
    )
)


@dataclass(frozen=True, slots=True)
class Quoted:
    """Words between quotation marks: `start`/`end` include the marks, `text` does not."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its place in the text, its paragraph, and its quoted spans."""

    start: int
    end: int
    text: str
    paragraph: int
    quoted: tuple[Quoted, ...]
    masked: str  # `text` with every quoted span blanked, for finding names and dates


def quoted_spans(text: str) -> list[Quoted]:
    """Every span between a pair of double quotation marks; an unclosed mark is ignored.

    A quote never runs across a paragraph break: a mark left open there is not a quote.
    """
    spans: list[Quoted] = []
    i, n = 0, len(text)
    while i < n:
        closers = _CLOSERS.get(text[i])
        if closers is None:
            i += 1
            continue
        j = i + 1
        while j < n and text[j] not in closers and text[j] != "\n":
            j += 1
        if j < n and text[j] in closers and j > i + 1:
            spans.append(Quoted(i, j + 1, text[i + 1 : j]))
            i = j + 1
        else:
            i += 1
    return spans


def _inside(position: int, spans: list[Quoted]) -> bool:
    return any(q.start < position < q.end for q in spans)


_END = re.compile(r"[.!?]+[”»\"’)]*(?=\s+[\"“«„(\d\w])")


def split(text: str) -> list[Sentence]:
    """The text's sentences in order. A sentence ends at . ! or ? (and the closing marks
    after it) before a space, unless that is inside a quote or ends an abbreviation."""
    spans = quoted_spans(text)
    sentences: list[Sentence] = []
    paragraph = 0
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        cuts = []
        for match in _END.finditer(text, para.start(), para.end()):
            cut = match.end()
            if _inside(cut, spans):
                continue
            word = re.search(r"([\w.]+)[.!?]*$", text[start : match.start() + 1])
            before = (word.group(1) if word else "").rstrip(".").lower()
            if before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
                continue
            nxt = text[cut:].lstrip()[:1]
            if nxt.islower():
                continue
            cuts.append(cut)
        bounds = [para.start(), *cuts, para.end()]
        for a, b in itertools.pairwise(bounds):
            while a < b and text[a].isspace():
                a += 1
            if a < b:
                sentences.append(_sentence(text, a, b, paragraph, spans))
        paragraph += 1
    return sentences


def _sentence(text: str, start: int, end: int, paragraph: int, spans: list[Quoted]) -> Sentence:
    own = tuple(q for q in spans if start <= q.start and q.end <= end)
    chars = list(text[start:end])
    for q in own:
        for k in range(q.start + 1 - start, q.end - 1 - start):
            chars[k] = " "
    return Sentence(start, end, text[start:end], paragraph, own, "".join(chars))
