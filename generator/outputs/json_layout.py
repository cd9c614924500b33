"""The layout of every JSON download: an array with one compact record per line.

`[\n{...},\n{...}\n]\n`, or `[]\n` when empty: still one JSON value that any parser reads,
and line-oriented tools (diff, grep, head) see one record per line, since JSON escapes every
control character and so a record never holds a raw line break. Keys are sorted and
non-ASCII text is kept (`ensure_ascii=False`: names in Cyrillic and Chinese stay readable).

Compact, because indentation only adds bytes to files that must stay within static hosts'
limits, and because json's C encoder only runs without `indent` (with it, json falls back
to its pure-Python encoder, several times slower).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

#: How `array` frames its records: before the first, between two, after the last, and the
#: whole of an empty array. statement_files.py frames its byte items with the same.
START, SEP, END, EMPTY = "[\n", ",\n", "\n]\n", "[]\n"


def record(data: Any) -> str:
    """One record as its line in a JSON download: compact, keys sorted, non-ASCII kept."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def array(records: Iterable[str]) -> str:
    """Records (each `record`'s line) as a JSON download, one per line."""
    lines = list(records)
    return START + SEP.join(lines) + END if lines else EMPTY
