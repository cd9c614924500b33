"""A quote in Chromium: the quotation marks of its own language, and on a phone its original
under it rather than in a narrow column beside it."""

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


BOXES = """() => [...document.querySelectorAll("figure.ba-has-original blockquote")].map(
  (q) => { const r = q.getBoundingClientRect(); return [r.left, r.top, r.bottom, r.width]; })"""


def test_on_a_phone_the_original_goes_under_its_translation(phone_page: Any) -> None:
    phone_page.goto(GRAIN)
    (left, _, bottom, width), (left2, top2, _, width2) = phone_page.evaluate(BOXES)
    assert top2 >= bottom  # under it, not beside it
    assert left2 == left and width2 == width > 300  # the page's full width, both


def test_on_a_desktop_they_stand_side_by_side(page: Any) -> None:
    page.goto(GRAIN)
    (left, top, _, _), (left2, top2, _, _) = page.evaluate(BOXES)
    assert top2 == top and left2 > left
