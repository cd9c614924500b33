"""Diacritic folding for search: "Jürgen Weiß" is found typed "Jurgen Weiss" too.

Readers type names as their keyboard allows: "Weiss" for Weiß, "Elodie" for Élodie. Pagefind
folds diacritics itself; Material's header search (lunr, in the reader's browser) matches only
the words as indexed, and its multi-language trimmer even cuts a word's first or last letter
when it is not ASCII, Cyrillic or Chinese ("Weiß" is indexed as "wei", "Élodie" as "lodie").
So each document of Material's index also gets the folded forms of its words that differ, in
fields of their own (`title_folded`, `text_folded`: boosted like the field they come from,
never shown), and the reader's query is folded by the same rule before the search worker sees
it (theme/assets/javascripts/briefing-search-fold.js, whose table tests/test_search_folding.py
keeps equal to LETTERS).

The rule: compatibility decomposition (NFKD), the combining diacritics U+0300-U+036F dropped
(Latin, Greek and Cyrillic accents; other scripts' marks, such as kana voicing, are letters in
their own right and stay), LETTERS for the letters that have no decomposition, NFC again (so
Hangul and the like come back whole). The index also holds the German spelling without
umlauts ("Juergen"), which no query needs folding into.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: Letters that NFKD leaves alone, as a plain keyboard spells them.
LETTERS = {
    "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
    "ı": "i", "ħ": "h", "Ħ": "H",
}  # fmt: skip
#: German's own spelling of its umlauts, indexed beside the plain fold (Jürgen: Jurgen, Juergen).
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
#: The combining diacritical marks dropped by folding.
MARKS = re.compile("[\u0300-\u036f]+")
#: The suffix of the index fields that hold folded forms.
SUFFIX = "_folded"

_LETTERS = str.maketrans(LETTERS)
_UMLAUTS = str.maketrans(UMLAUTS)
_TAG = re.compile(r"<[^>]*>")
# What fold() changes in a word that compatibility decomposition leaves as it is.
_FOLDED = re.compile("[\u0300-\u036f" + "".join(LETTERS) + "]")
_EDGES = re.compile(r"^\W+|\W+$")
# Material's default, for an index whose config names none.
_SEPARATOR = r"[\s\-]+"


def fold(text: str) -> str:
    """`text` without diacritics: "Jürgen Weiß" -> "Jurgen Weiss", "Élodie" -> "Elodie"."""
    plain = MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", plain.translate(_LETTERS))


def plain_spellings(name: str) -> list[str]:
    """The spellings of `name` that Pagefind's own folding does not reach, to index beside it.

    Pagefind drops combining diacritics itself (finds "Élodie" as "Elodie", "Jürgen" as
    "Jurgen"), not the letters in LETTERS nor the umlauts' German spelling: "Jürgen Weiß"
    gives ["Jurgen Weiss", "Juergen Weiss"], "Élodie Marchetti" nothing.
    """
    stripped = unicodedata.normalize("NFC", MARKS.sub("", unicodedata.normalize("NFKD", name)))
    spellings: dict[str, None] = {}
    for spelling in (fold(name), fold(name.translate(_UMLAUTS))):
        if spelling not in (stripped, name):
            spellings[spelling] = None
    return list(spellings)


def folded_forms(text: str, separator: str = _SEPARATOR) -> list[str]:
    """The lowercased folded forms of the words of `text` (HTML) that differ from the words.

    Words are split as Material splits them (`separator`, its index's), their outer
    punctuation dropped; each form once, in the order of the words.
    """
    if text.isascii():  # nothing to fold: the usual case, decided at C speed
        return []
    forms: dict[str, None] = {}
    for token in re.split(separator, unicodedata.normalize("NFC", _TAG.sub(" ", text))):
        if token.isascii() or (
            unicodedata.is_normalized("NFKD", token) and not _FOLDED.search(token)
        ):
            continue  # fold() would give it back as it is (most Cyrillic and Chinese words)
        word = _EDGES.sub("", token).lower()
        for form in (fold(word), fold(word.translate(_UMLAUTS))):
            if form != word and form:
                forms[form] = None
    return list(forms)


def add_folded_forms(index: dict[str, Any]) -> dict[str, Any]:
    """Material's search index (search_index.json, parsed) with the folded forms added.

    A document whose title or text (any string field the config names) has words with
    folded forms gets them in a `<field>_folded` twin, which the config lists with the
    field's boost. Adding them again gives the same index.
    """
    config = index.setdefault("config", {})
    separator = config.get("separator") or _SEPARATOR
    fields: dict[str, Any] = config.setdefault("fields", {})
    sources = [name for name in fields if not name.endswith(SUFFIX)]
    used: set[str] = set()
    for doc in index.get("docs", ()):
        for name in sources:
            doc.pop(name + SUFFIX, None)
            value = doc.get(name)
            forms = folded_forms(value, separator) if isinstance(value, str) else []
            if forms:
                doc[name + SUFFIX] = " ".join(forms)
                used.add(name)
    for name in sources:
        fields.pop(name + SUFFIX, None)
    for name in sources:
        if name in used:
            fields[name + SUFFIX] = dict(fields[name])
    return index


__all__ = [
    "LETTERS",
    "MARKS",
    "SUFFIX",
    "UMLAUTS",
    "add_folded_forms",
    "fold",
    "folded_forms",
    "plain_spellings",
]
