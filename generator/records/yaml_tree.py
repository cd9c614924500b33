"""What reading a record's YAML gives (`yaml_events.read_yaml`): plain data, the positions
the checks asked for (`Wanted`), and the `Node` tree that places schema errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.problems import Problem


@dataclass(slots=True)
class Node:
    """A value with its 1-based position; mapping values also keep their key's position.

    `value` is a str, int, float, bool or None for scalars, a list of Nodes for sequences
    and a dict of str -> Node for mappings (in the order written).
    """

    value: Any
    line: int
    column: int
    key_line: int = 0
    key_column: int = 0

    def plain(self) -> Any:
        """The value as plain Python data (for JSON Schema validation)."""
        if isinstance(self.value, dict):
            return {key: child.plain() for key, child in self.value.items()}
        if isinstance(self.value, list):
            return [child.plain() for child in self.value]
        return self.value

    def locate(self, path: tuple[str | int, ...]) -> Node:
        """The deepest node along `path` (a JSON Schema error path) that exists."""
        node = self
        for step in path:
            children: Any = node.value
            if isinstance(children, dict):
                found = isinstance(step, str) and step in children
            else:
                found = isinstance(children, list) and isinstance(step, int)
                found = found and 0 <= int(step) < len(children)
            if not found:
                break
            node = children[step]
        return node


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a reader collects besides the data, for the checks."""

    marked: frozenset[str] = (
        frozenset()
    )  # top-level keys whose values' positions are kept (`marks`)
    item_marked: str = ""  # and the position of this key in their list items' mappings
    watch: frozenset[str] = (
        frozenset()
    )  # text values under these keys (or in their lists) are `watched`
    flag: tuple[str, ...] = ()  # text values starting with one of these are `flagged`


@dataclass(slots=True)
class Loaded:
    """One record file as read: its data, positions and problems."""

    data: Any  # the plain data; None when the file could not be read as YAML at all
    root: Node | None  # the same as a tree (when asked for one, and the data is usable)
    marks: dict[str, tuple[int, int]]  # "date", "actors.1", "sources.0.publisher" -> position
    watched: list[tuple[str, str, int, int]]  # key, text, line, column
    flagged: list[tuple[str, int, int]]  # text, line, column
    problems: list[Problem]
