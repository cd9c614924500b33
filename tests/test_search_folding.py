"""Diacritic folding for search (generator/search/folding.py): the rule, and where it is used.

Material's index gets the folded forms of its words, the reader's query is folded in the
browser by theme/assets/javascripts/briefing-search-fold.js (its table must be the module's),
and Pagefind's documents name an actor in the spellings Pagefind does not fold itself.
The searches themselves run in Chromium: tests/browser/test_search_diacritics.py.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from generator.paths import THEME
from generator.search.folding import (
    LETTERS,
    MARKS,
    add_folded_forms,
    fold,
    folded_forms,
    plain_spellings,
)

FOLD_JS = THEME / "assets" / "javascripts" / "briefing-search-fold.js"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Jürgen Weiß", "Jurgen Weiss"),
        ("WEIẞ", "WEISS"),
        ("Élodie Marchetti", "Elodie Marchetti"),
        ("Søren Łukasz Æsa Œuvre", "Soren Lukasz AEsa OEuvre"),
        ("Nguyễn Tấn Dũng", "Nguyen Tan Dung"),
        ("ﬁnal Ｗｅｉｓｓ", "final Weiss"),  # compatibility forms: ligature, full width
        ("Ёлка", "Елка"),  # Cyrillic diacritics fold too, on both sides alike
        ("张汉晖 Путин 한국어", "张汉晖 Путин 한국어"),  # Hangul comes back whole
        ("がぎ", "がぎ"),  # kana voicing marks are letters, not diacritics
    ],
)
def test_fold_drops_diacritics_and_spells_special_letters_plainly(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_an_index_gets_the_folded_forms_of_the_words_that_have_them() -> None:
    text = "<p>Jürgen Weiß, Élodie and Weiß again</p> <ul><li>(Zoë)</li></ul> plain words"
    # Lowercased as lunr lowercases, once each, in the words' order; the German spelling
    # of an umlaut beside the plain one; markup and outer punctuation left out.
    assert folded_forms(text) == ["jurgen", "juergen", "weiss", "elodie", "zoe"]
    assert folded_forms("Li Wei said 李伟 and Анна Петрова") == []


def test_material_index_gets_folded_twin_fields_with_their_boosts() -> None:
    index = {
        "config": {
            "lang": ["en", "ru", "zh"],
            "separator": "[\\s\\-]+",
            "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 9}},
        },
        "docs": [
            {"location": "actors/juergen-weiss/", "title": "Jürgen Weiß", "text": "<p>Kind</p>"},
            {"location": "actors/li-wei/", "title": "Li Wei", "text": "Ли Вэй Weiß-Müller"},
            {"location": "about/", "title": "About", "text": "plain", "tags": ["Zoë"]},
        ],
    }
    before = copy.deepcopy(index)
    folded = add_folded_forms(index)
    assert folded["config"]["fields"] == {
        **before["config"]["fields"],
        "title_folded": {"boost": 1000.0},
        "text_folded": {"boost": 1.0},
    }
    weiss, wei, about = folded["docs"]
    assert weiss["title_folded"] == "jurgen juergen weiss" and "text_folded" not in weiss
    # Split at the index's separator, as Material splits: the hyphen parts fold one by one.
    assert wei["text_folded"] == "вэи weiss muller mueller" and "title_folded" not in wei
    assert about == before["docs"][2]  # nothing to fold (tags are not folded)
    # Folding again, as `serve` may over an index it folded before, changes nothing.
    again = json.dumps(add_folded_forms(copy.deepcopy(folded)), separators=(",", ":"))
    assert again == json.dumps(folded, separators=(",", ":"))


def test_the_browser_folds_queries_with_the_same_table() -> None:
    script = FOLD_JS.read_text(encoding="utf-8")
    table = re.search(r"var LETTERS = (\{.*?\});", script)
    assert table, f"{FOLD_JS.name} no longer declares its LETTERS table on one line"
    assert json.loads(table[1]) == LETTERS
    assert "[\\u0300-\\u036f]" in script and MARKS.pattern == "[\u0300-\u036f]+"
    assert '.normalize("NFKD")' in script and '.normalize("NFC")' in script


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        ("Jürgen Weiß", ["Jurgen Weiss", "Juergen Weiss"]),
        ("Søren Ørsted", ["Soren Orsted"]),
        ("Über Müller", ["Ueber Mueller"]),  # "Uber Muller": Pagefind folds that itself
        ("Élodie Marchetti", []),
        ("Ли Вэй", []),
    ],
)
def test_pagefind_documents_name_actors_in_the_spellings_pagefind_misses(
    name: str, spellings: list[str]
) -> None:
    assert plain_spellings(name) == spellings
