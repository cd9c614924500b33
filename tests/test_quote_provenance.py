"""Quote provenance: `briefing validate` finds every quote in the text of the briefing cited.

A quote that is not there word for word is an error at the quote, showing the closest
passage; line breaks and the styles of quotation marks and apostrophes may differ. On the
bundled archive: tests/test_bundled_archive_drafts.py.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import where

from generator.records.validate import validate_archive

ACTOR = "id: anna-petrova\nname: Anna Petrova\nkind: person\n"
# The briefing's marks and apostrophes are typographic, and a line break falls in a quote.
BRIEFING_TEXT = (
    "The minister said the talks had “so-called «red lines», which\n"
    "were clear.” “We won’t give up,” she added."
)


def write(tmp_path: Path, quotes: list[dict[str, str]], language: str = "en") -> Path:
    content = tmp_path / "content"
    for folder in ("actors", "briefings", "statements/2024"):
        (content / folder).mkdir(parents=True)
    (content / "actors" / "anna-petrova.yml").write_text(ACTOR, encoding="utf-8")
    brief = {
        "id": "talks",
        "title": "Talks",
        "publisher": "Northland Daily",
        "published": "2024-03-08",
        "language": language,
        "text": BRIEFING_TEXT,
    }
    dump = yaml.safe_dump(brief, allow_unicode=True, sort_keys=False)
    (content / "briefings" / "talks.yml").write_text(dump, encoding="utf-8")
    statement = {
        "id": "petrova-talks-2024-03-07",
        "date": "2024-03-07",
        "actors": ["anna-petrova"],
        "title": "Petrova on the talks",
        "kind": "statement",
        "summary": "Petrova said her side would not give up.",
        "quotes": quotes,
        "briefing": "talks",
    }
    dump = yaml.safe_dump(statement, allow_unicode=True, sort_keys=False, width=60)
    path = content / "statements" / "2024" / "petrova-talks-2024-03-07.yml"
    path.write_text(dump, encoding="utf-8")
    return path


def quote_problems(content: Path) -> list[str]:
    result = validate_archive(content)
    found = [p for p in result.problems if "not in the text" in p.message]
    return [f"{p.line}:{p.column} {p.message}" for p in found]


def test_straight_marks_apostrophes_and_other_line_breaks_are_the_same_words(
    tmp_path: Path,
) -> None:
    quotes = [
        {"text": 'so-called "red lines", which were clear.', "lang": "en"},
        {"text": "We won't give up,", "lang": "en"},
        {"text": "so-called “red lines”, which\n   were clear.", "lang": "en"},
    ]
    path = write(tmp_path, quotes)
    assert quote_problems(path.parents[2]) == []
    assert validate_archive(path.parents[2]).problems == ()


def test_a_changed_word_is_reported_at_its_quote_with_the_closest_passage(
    tmp_path: Path,
) -> None:
    quotes = [
        {"text": "We won't give up,", "lang": "en"},
        {"text": "We will not give up,", "lang": "en"},
    ]
    path = write(tmp_path, quotes)
    (problem,) = quote_problems(path.parents[2])
    spot = where(path, "We will not", tmp_path).rsplit(":", 2)
    assert problem.startswith(f"{spot[1]}:{spot[2]} quote 2 is not in the text")
    # Shown as the briefing writes it.
    assert problem.endswith("the closest passage there: clear.” “We won’t give up,”")


def test_the_original_is_checked_when_it_is_in_the_briefings_language(tmp_path: Path) -> None:
    # A Russian briefing: the English `text` is a translation, the `original` is checked.
    quotes = [
        {
            "text": "The so-called red lines",
            "lang": "en",
            "original": "so-called “red lines”",
            "original_lang": "ru",
        },
        {
            "text": "We shall never give up",
            "lang": "en",
            "original": "We will give up",
            "original_lang": "ru",
        },
    ]
    path = write(tmp_path, quotes, language="ru")
    (problem,) = quote_problems(path.parents[2])
    spot = where(path, "We will give up", tmp_path).rsplit(":", 2)
    assert problem.startswith(f"{spot[1]}:{spot[2]} quote 2 ")


def test_a_quote_in_another_language_than_the_briefings_is_not_checked(tmp_path: Path) -> None:
    quotes = [{"text": "Wir geben nicht auf", "lang": "de"}]
    path = write(tmp_path, quotes)
    assert quote_problems(path.parents[2]) == []


def test_a_briefing_without_text_checks_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, [{"text": "Words nowhere", "lang": "en"}])
    brief = path.parents[2] / "briefings" / "talks.yml"
    data = yaml.safe_load(brief.read_text(encoding="utf-8"))
    del data["text"]
    brief.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert quote_problems(path.parents[2]) == []
