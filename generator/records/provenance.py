"""Quote provenance: a statement's quotes must be in the text of the briefing it cites.

A quote, or its `original` (whichever is in the briefing's language; with no language
given, either), must appear in the briefing's `text` word for word, after normalising what
a transcription may change without changing the words: runs of whitespace and line breaks,
the styles of quotation marks (“ ” „ « » ") and apostrophes (’ ‘ '). A quote in another
language than the briefing's is a translation from elsewhere and is not checked. One that
is not found is an error at the quote, showing the closest passage of the text.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

from generator.problems import Problem
from generator.records.find import RecordFile
from generator.records.load import decode
from generator.records.yaml_events import read_yaml
from generator.records.yaml_tree import Wanted

_MARKS = str.maketrans({c: '"' for c in "“”„‟«»″〝〞＂"} | {c: "'" for c in "’‘‚‛′`＇"})
_SHOWN = 160  # characters of the closest passage shown at most


def normalise(text: str) -> str:
    """`text` as quotes are compared: NFC, one style of marks, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_MARKS).split())


def closest_passage(quote: str, text: str) -> str:
    """The run of words of the briefing's `text`, as many as the quote's, that has the most
    characters in common with `quote` once both are normalised; the first such run on a
    tie. It is shown as the briefing writes it, its whitespace made single spaces."""
    words = text.split()
    size = max(1, len(quote.split()))
    if len(words) <= size:
        return " ".join(words)
    compared = [normalise(word) for word in words]
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    wanted = normalise(quote)
    matcher.set_seq2(wanted)  # compared with every window: its index is kept
    best, best_score = 0, -1.0
    for i in range(len(words) - size + 1):
        window = " ".join(compared[i : i + size])
        matcher.set_seq1(window)
        # Characters in common, not `ratio`: a ratio favours a shorter window.
        half = (len(window) + len(wanted)) / 2
        if matcher.quick_ratio() * half <= best_score:
            continue
        score = float(sum(block.size for block in matcher.get_matching_blocks()))
        if score > best_score:
            best, best_score = i, score
    return " ".join(words[best : best + size])


def _primary(lang: Any) -> str | None:
    return lang.split("-")[0].lower() if isinstance(lang, str) and lang else None


def _position(record: RecordFile, index: int, key: str) -> tuple[int, int]:
    # Only for a quote that failed: the cached record keeps no quote positions, so the file
    # is read again for this one.
    try:
        text, _ = decode(record.path.read_bytes(), record.display)
    except OSError:
        return 1, 1
    loaded = read_yaml(text, record.display, Wanted(), tree=True) if text else None
    if loaded is None or loaded.root is None:
        return 1, 1
    node = loaded.root.locate(("quotes", index, key))
    return node.line, node.column


def check_quotes(
    records: list[RecordFile], index: dict[str, dict[str, RecordFile]], out: list[Problem]
) -> None:
    """Report every quote that is not in the text of the briefing its statement cites."""
    texts: dict[str, tuple[str, str]] = {}  # briefing id -> its text, and normalised
    for record in records:
        fields = record.checked.fields if record.checked else None
        if record.kind != "statement" or not fields:
            continue
        quotes, cited = fields.get("quotes"), fields.get("briefing")
        if not isinstance(quotes, list) or not isinstance(cited, str):
            continue
        briefing = index["briefing"].get(cited)
        data = briefing.checked.fields if briefing and briefing.checked else None
        if not data or not isinstance(data.get("text"), str):
            continue
        if cited not in texts:
            texts[cited] = (data["text"], normalise(data["text"]))
        (original, text), lang = texts[cited], _primary(data.get("language"))
        for i, quote in enumerate(quotes):
            if not isinstance(quote, dict):
                continue
            found = [
                (key, quote[key])
                for key, lang_key in (("text", "lang"), ("original", "original_lang"))
                if isinstance(quote.get(key), str)
                and (lang is None or _primary(quote.get(lang_key)) == lang)
            ]
            if not found or any(normalise(words) in text for _, words in found):
                continue
            key, words = found[0]
            passage = closest_passage(words, original)
            if len(passage) > _SHOWN:
                passage = passage[: _SHOWN - 1] + "…"
            line, column = _position(record, i, key)
            out.append(
                Problem(
                    record.display,
                    line,
                    column,
                    f"quote {i + 1} is not in the text of the briefing `{cited}`; "
                    f"the closest passage there: {passage}",
                    "copy the words exactly as the briefing gives them (line breaks and the "
                    "style of quotation marks and apostrophes may differ), or cite the source "
                    "that has them",
                )
            )
