"""YAML 1.1's plain-scalar traps: which unquoted words YAML tools read as other than text.

`NO` is false, `012` is 10 and `1:30` is 90 to a YAML 1.1 reader; a record keeps what the
editor wrote and `resolve_plain` reports each such surprise instead of applying it.
"""

from __future__ import annotations

import re
from typing import Any

from generator.problems import Problem

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_12 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_BOOL_11_ONLY = re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$")
_INT_DEC = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_INT_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_INT_OTHER = re.compile(r"^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*)$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_DATETIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t]+)\d{1,2}:\d{2}")
# Any of the forms above: a plain scalar that matches none of them (most dates, and words
# that start with a digit or a sign) is text, found out with one match instead of eight.
_ANY_SPECIAL = re.compile(
    "|".join(
        f"(?:{pattern.pattern})"
        for pattern in (
            _NULL,
            _BOOL_12,
            _BOOL_11_ONLY,
            _INT_DEC,
            _INT_OCTAL,
            _INT_OTHER,
            _SEXAGESIMAL,
            _FLOAT,
        )
    )
)


# The first characters of every plain scalar that a YAML 1.1 rule reads as other than text
# (null, booleans, numbers; "" is the empty scalar): any other plain word is text as is.
MAYBE_SPECIAL = frozenset("~nNtTfFyYoO0123456789+-.") | {""}


def resolve_plain(text: str, display: str, line: int, column: int, out: list[Problem]) -> Any:
    """The value of an unquoted scalar; YAML 1.1 surprises are reported, not applied."""
    if not _ANY_SPECIAL.match(text):
        return text
    if _NULL.match(text):
        return None
    if _BOOL_12.match(text):
        return text.lower() == "true"
    if _BOOL_11_ONLY.match(text):
        out.append(
            Problem(
                display,
                line,
                column,
                f"`{text}` is read as a boolean by YAML 1.1 tools, not as the text {text!r}",
                f'put it in quotes if you mean the text: "{text}"',
            )
        )
        return text
    if _INT_DEC.match(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts (4300 by default)
            out.append(
                Problem(
                    display,
                    line,
                    column,
                    f"a number with {len(text):,} digits",
                    "put it in quotes if it is text",
                )
            )
            return text
    if _SEXAGESIMAL.match(text):
        out.append(
            Problem(
                display,
                line,
                column,
                f"`{text}` is read as a base-60 number by YAML 1.1 tools (1:30 becomes 90)",
                f'put it in quotes: "{text}"',
            )
        )
        return text
    if _INT_OCTAL.match(text):
        out.append(
            Problem(
                display,
                line,
                column,
                f"`{text}` is read as an octal number by YAML 1.1 tools (012 becomes 10)",
                f'put it in quotes to keep the leading zero: "{text}"',
            )
        )
        return text
    if _INT_OTHER.match(text):
        out.append(
            Problem(
                display,
                line,
                column,
                f"`{text}` is read as a number in another base or with separators by YAML tools",
                f'put it in quotes: "{text}"',
            )
        )
        return text
    if _FLOAT.match(text):
        try:  # YAML allows `_` anywhere in a number; Python only between digits
            return float(text.replace("_", ""))
        except ValueError:  # `.` or `-.` match the pattern but are text
            return text
    return text


def is_datetime(text: str) -> bool:
    """True for a timestamp with a time of day (where a date alone belongs)."""
    return bool(_DATETIME.match(text))
