"""Which search a site gets: Material's built-in index or Pagefind (plugin option `search`).

Material's built-in search writes one JSON index that every reader downloads whole before
the first query, which grows with the archive. Pagefind splits its index into chunks and a
browser fetches only the chunks a query needs. `search: auto` picks by the archive's size.

Pure: no MkDocs; reading the content folder is limited to listing its folders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from generator.records.find import count_records

SearchMode = Literal["material", "pagefind", "auto"]
Engine = Literal["material", "pagefind"]

#: The values of the plugin option `search`.
SEARCH_MODES: Final[tuple[str, ...]] = ("material", "pagefind", "auto")
#: With `search: auto`, archives with more statements than this use Pagefind. Below it
#: Material's index stays small and its header search, which needs no separate page, is the
#: better experience.
AUTO_THRESHOLD: Final = 2000


def count_statement_files(content_dir: Path) -> int:
    """How many statement records `content_dir` holds, without reading them.

    `search: auto` must decide in MkDocs' on_config, before the records are validated
    (on_files); the records' own discovery rule counts them from the folder listings.
    """
    return count_records(content_dir, "statement")


def resolve_mode(mode: str, statements: int, threshold: int = AUTO_THRESHOLD) -> Engine:
    """The search engine for option value `mode` and an archive of `statements` statements."""
    if mode == "material":
        return "material"
    if mode == "pagefind":
        return "pagefind"
    if mode == "auto":
        return "pagefind" if statements > threshold else "material"
    raise ValueError(f"unknown search mode {mode!r}; expected one of {', '.join(SEARCH_MODES)}")


__all__ = [
    "AUTO_THRESHOLD",
    "SEARCH_MODES",
    "Engine",
    "SearchMode",
    "count_statement_files",
    "resolve_mode",
]
