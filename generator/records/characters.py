"""The characters a record file may not hold: tabs, hidden controls, lone carriage returns."""

from __future__ import annotations

import re

from generator.problems import Problem

# Characters that can hide or disguise text: C0/C1 controls (tab and newlines are handled
# separately) and the bidirectional embedding, override and isolate controls.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_characters(text: str, display: str) -> list[Problem]:
    out: list[Problem] = []
    # Most files hold none of these: then one scan of the text says so (substring tests are
    # much cheaper than regex scans that find nothing).
    if "\t" not in text and "\r" not in text and FORBIDDEN.search(text) is None:
        return out
    for match in re.finditer("\t", text) if "\t" in text else ():
        line, column = line_column(text, match.start())
        out.append(
            Problem(
                display,
                line,
                column,
                "tab character",
                "YAML indentation must use spaces; replace the tab with spaces",
            )
        )
    for match in FORBIDDEN.finditer(text):
        line, column = line_column(text, match.start())
        char = match.group()
        kind = (
            "bidirectional control character"
            if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069"
            else "control character"
        )
        out.append(
            Problem(
                display,
                line,
                column,
                f"{kind} U+{ord(char):04X} in the text",
                "delete it: it can hide or reorder what readers see",
            )
        )
    for match in re.finditer("\r(?!\n)", text) if "\r" in text else ():
        line, column = line_column(text, match.start())
        out.append(
            Problem(
                display,
                line,
                column,
                "carriage return without a line feed",
                "save the file with LF (Unix) line endings",
            )
        )
    return out
