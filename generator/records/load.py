"""YAML files -> trees of `Node`s that remember where each value was written.

Records are read strictly so that what an editor wrote is what the archive keeps:
YAML 1.1 silently turns `NO` into false, `012` into 10 and `1:30` into 90, and anchors,
aliases, merge keys and tags make a record mean something other than it reads. We
therefore build the tree ourselves from libyaml's event stream (fast, and it gives a
mark for every event) instead of letting PyYAML construct Python objects, and report
each trap as a `Problem` at its `path:line:column`.

A cheaper reader of the same events, for the common clean record, is in `load_clean.py`;
the plain-scalar traps are in `yaml_scalars.py`, the forbidden characters in `characters.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator.problems import Problem
from generator.records.characters import _FORBIDDEN, _position, check_characters
from generator.records.yaml_scalars import _MAYBE_SPECIAL, _resolve_plain

MAX_BYTES = 512 * 1024
"""Larger record files are refused unread; a statement needs a few kilobytes."""

MAX_DEPTH = 20
"""Records nest four levels at most; deeper trees are mistakes or attacks."""


@cache
def _loader() -> Any:
    # PyYAML is imported on first use: re-validating an unchanged archive parses no YAML,
    # and the import is a noticeable part of such a run.
    import yaml

    # libyaml, when PyYAML was built with it: much faster than the pure-Python parser.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def _problem(display: str, line: int, column: int, message: str, hint: str) -> Problem:
    return Problem(display, line, column, message, hint)


def decode(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a record file, or the problems that prevent reading it."""
    if len(data) > MAX_BYTES:
        return None, [
            _problem(
                display,
                1,
                1,
                f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}",
                "split it, or move long text out of the record",
            )
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark is harmless; editors on Windows add it
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start]
        line = prefix.count(b"\n") + 1
        column = len(prefix[prefix.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [
            _problem(
                display,
                line,
                column,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                "save the file as UTF-8",
            )
        ]
    return text, []


def load_text(text: str, display: str) -> tuple[Node | None, list[Problem]]:
    """Parse one record's text; returns the root node (None if unusable) and all problems."""
    problems = check_characters(text, display)
    bad_lines = {p.line for p in problems}
    root: Node | None = None
    # Each open collection: [node, pending key] where the pending key is None or, in a
    # mapping whose key has been read but not yet its value, (key text, line, column).
    stack: list[list[Any]] = []
    documents = 0

    def report(line: int, column: int, message: str, hint: str) -> None:
        problems.append(_problem(display, line, column, message, hint))

    def attach(node: Node) -> None:
        """Place `node` where the fast path in the loop below does not: the root, a key
        that is not a plain word, the value of a merge key or of a repeated key."""
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        container: Node = top[0]
        if isinstance(container.value, list):
            container.value.append(node)
        elif top[1] is None:  # this node is a key
            if not isinstance(node.value, str | int | float | bool) and node.value is not None:
                report(
                    node.line,
                    node.column,
                    "a key must be a plain word",
                    "write `name: value` pairs",
                )
                top[1] = ("", node.line, node.column)
            else:
                top[1] = (str(node.value), node.line, node.column)
        else:
            key, key_line, key_column = top[1]
            top[1] = None
            if key == "<<":
                report(
                    key_line,
                    key_column,
                    "merge keys (`<<`) are not allowed",
                    "write the fields out in full",
                )
            elif key in container.value:
                first = container.value[key]
                report(
                    key_line,
                    key_column,
                    f"duplicate key `{key}` (first written at line {first.key_line})",
                    "keep one of them; YAML tools silently drop all but the last",
                )
            else:
                node.key_line, node.key_column = key_line, key_column
                container.value[key] = node

    def check_anchor_and_tag(event: Any, line: int, column: int) -> None:
        # Scalars and collections alike: anchors and tags would make YAML rewrite values.
        if event.anchor is not None:
            report(
                line,
                column,
                f"anchor `&{event.anchor}` is not allowed",
                "write each value out in full",
            )
        if event.tag is not None and event.tag != "!":
            report(line, column, f"tag `{event.tag}` is not allowed", "remove the tag")

    # The event loop runs for every event of every record: it pulls events from the parser
    # itself (no generator), tests the commonest event classes first, by identity (held in
    # locals), and places list items and new mapping values itself rather than through `attach`.
    parser = _loader()(text)
    import yaml  # already imported by _loader()

    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, mapping_end = yaml.MappingStartEvent, yaml.MappingEndEvent
    sequence_start, sequence_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    stream_end, document_start = yaml.StreamEndEvent, yaml.DocumentStartEvent
    try:
        get_event = parser.get_event
        event: Any
        node: Node
        while True:
            event = get_event()
            cls = event.__class__
            if cls is scalar_event:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                if event.anchor is not None or event.tag is not None:
                    check_anchor_and_tag(event, line, column)
                value = event.value
                if event.style == '"':
                    hidden = _FORBIDDEN.search(value)
                    if hidden and line not in bad_lines:  # written as an escape like "\u202e"
                        report(
                            line,
                            column,
                            f"escaped control character U+{ord(hidden.group()):04X} in the text",
                            "delete the escape: it can hide or reorder what readers see",
                        )
                top = stack[-1] if stack else None
                if top is not None and top[1] is None and type(top[0].value) is dict:
                    top[1] = (value, line, column)  # a key: never resolved, always text
                    continue
                if not event.style and event.implicit[0] and value[:1] in _MAYBE_SPECIAL:
                    value = _resolve_plain(value, display, line, column, problems)
                node = Node(value, line, column)
            elif cls is mapping_end or cls is sequence_end:
                node = stack.pop()[0]
            elif cls is stream_end:
                break
            else:
                line, column = event.start_mark.line + 1, event.start_mark.column + 1
                if cls is document_start:
                    documents += 1
                    if documents > 1:
                        report(
                            line,
                            column,
                            "a second YAML document in the same file",
                            "keep one record per file; remove the `---` and what follows it",
                        )
                        break
                    continue
                if cls is alias_event:
                    report(
                        line,
                        column,
                        f"alias `*{event.anchor}` is not allowed",
                        "write the value out in full",
                    )
                    attach(Node(None, line, column))
                    continue
                if cls is not mapping_start and cls is not sequence_start:
                    continue  # stream start, document end
                check_anchor_and_tag(event, line, column)
                if len(stack) >= MAX_DEPTH:
                    report(
                        line,
                        column,
                        f"nesting deeper than {MAX_DEPTH} levels",
                        "records need only a few levels; check the indentation",
                    )
                    break
                container_value: Any = [] if cls is sequence_start else {}
                stack.append([Node(container_value, line, column), None])
                continue
            # A finished value (a scalar or a whole collection): an item of a list, or the
            # value of the key just read.
            if stack:
                top = stack[-1]
                container = top[0].value
                if type(container) is list:
                    container.append(node)
                    continue
                pending = top[1]
                if pending is not None and pending[0] != "<<" and pending[0] not in container:
                    top[1] = None
                    _, node.key_line, node.key_column = pending
                    container[pending[0]] = node
                    continue
            attach(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if line not in bad_lines:  # a tab or control character already explains it
            report(
                line,
                column,
                f"YAML syntax: {exc.problem or exc.context}",
                "check the indentation and quoting on this line and the one before it",
            )
        return None, problems
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, e.g. U+FFFE
        # `position` counts bytes in libyaml and characters in PyYAML: find the character.
        offset = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line, column = _position(text, offset) if offset >= 0 else (1, 1)
        if line not in bad_lines:
            report(
                line,
                column,
                f"character U+{exc.character:04X} is not allowed in YAML",
                "delete it; YAML files may not contain it",
            )
        return None, problems
    except yaml.YAMLError as exc:  # other errors carry no problem_mark
        report(1, 1, f"YAML: {' '.join(str(exc).split())}", "save the file as UTF-8 text")
        return None, problems
    finally:
        parser.dispose()
    if stack:  # stopped early (second document or too deep)
        return None, problems
    if root is None or root.value is None:
        report(1, 1, "the file is empty", "write the record's fields, or delete the file")
        return None, problems
    return root, problems


def load_file(path: Path, display: str) -> tuple[Node | None, list[Problem]]:
    """Read and parse one record file. `display` is the path shown in problems."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [
            _problem(
                display,
                1,
                1,
                f"cannot read the file: {exc.strerror}",
                "check that it exists and is readable",
            )
        ]
    text, problems = decode(data, display)
    if text is None:
        return None, problems
    return load_text(text, display)
