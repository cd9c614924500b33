"""A quote is set in the quotation marks of its own language, as Chromium renders them."""

from __future__ import annotations

from typing import Any

GRAIN = "/statements/anna-petrova-grain-corridor-2023-05-10/"  # English, beside a Russian original

MARKS = """(selector) => {
  const p = document.querySelector(selector);
  const content = (pseudo) => getComputedStyle(p, pseudo).getPropertyValue("content");
  return [content("::before"), content("::after")];
}"""


def _marks(page: Any, lang: str) -> list[str]:
    return list(page.evaluate(MARKS, f"blockquote.ba-quote[lang='{lang}'] p"))


def test_each_quote_has_its_languages_quotation_marks(page: Any) -> None:
    page.goto(GRAIN)
    # Computed `content` of open-quote/close-quote stays the keyword; what shows is the
    # `quotes` pair of the element's language, read here as Chromium resolved it.
    assert _marks(page, "en") == ["open-quote", "close-quote"]
    quotes = page.evaluate(
        """() => [...document.querySelectorAll("blockquote.ba-quote")].map(
             (q) => [q.lang, getComputedStyle(q).getPropertyValue("quotes")])"""
    )
    assert dict(quotes) == {"en": '"“" "”" "‘" "’"', "ru": '"«" "»" "„" "“"'}


def test_a_german_quote_gets_low_high_marks(page: Any) -> None:
    page.goto(GRAIN)
    german = page.evaluate(
        """() => {
             const q = document.querySelector("blockquote.ba-quote[lang='ru']");
             q.lang = "de";
             return getComputedStyle(q).getPropertyValue("quotes");
           }"""
    )
    assert german == '"„" "“" "‚" "‘"'
