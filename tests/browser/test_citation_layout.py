"""The citation blocks leave room for their copy buttons, at a phone's width and a desktop's."""

from __future__ import annotations

from typing import Any

from .conftest import Archive, quoted_statement

# Material 9.8's copy button, or an earlier release's (as test_reader_path.py finds it).
BUTTON = "button[data-clipboard-target], button.md-clipboard"
# The right edge of the wrapped text's rendered lines, and the copy button's left edge.
EDGES = """(BUTTON) => {
  const code = document.querySelector("pre.ba-citation code");
  const button = code.closest("pre").querySelector(BUTTON);
  const range = document.createRange();
  range.selectNodeContents(code);
  const right = Math.max(...[...range.getClientRects()].map((r) => r.right));
  const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  return { right, button: button.getBoundingClientRect().left, lines };
}"""


def _edges(page: Any, archive: Archive) -> dict[str, float]:
    page.goto(quoted_statement(archive).path)
    block = page.locator("pre.ba-citation").first
    block.hover()  # the button shows on hover
    block.locator(BUTTON).first.wait_for()
    return dict(page.evaluate(EDGES, BUTTON))


def test_the_text_citation_wraps_before_its_copy_button_on_a_phone(
    phone_page: Any, archive: Archive
) -> None:
    edges = _edges(phone_page, archive)
    assert edges["lines"] > 1  # it does wrap at this width: the check means something
    assert edges["right"] <= edges["button"]


def test_the_text_citation_wraps_before_its_copy_button_on_a_desktop(
    page: Any, archive: Archive
) -> None:
    edges = _edges(page, archive)
    assert edges["right"] <= edges["button"]
