"""YAML files -> trees of `Node`s that remember where each value was written.

Records are read strictly so that what an editor wrote is what the archive keeps:
YAML 1.1 silently turns `NO` into false, `012` into 10 and `1:30` into 90, and anchors,
aliases, merge keys and tags make a record mean something other than it reads. We
therefore build the tree ourselves from libyaml's event stream (fast, and it gives a
mark for every event) instead of letting PyYAML construct Python objects, and report
each trap as a `Problem` at its `path:line:column`.

Most records have nothing to report, and a cold validation reads thousands of them, so a
cheaper reader comes first: `load_clean` reads the same libyaml events into plain data,
without a `Node` tree. It answers only for a record in which `load_text` would find nothing,
else None; then `load_text` decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator.problems import Problem

MAX_BYTES = 512 * 1024
"""Larger record files are refused unread; a statement needs a few kilobytes."""

MAX_DEPTH = 20
"""Records nest four levels at most; deeper trees are mistakes or attacks."""


@cache
def _loader() -> Any:
    # PyYAML is imported on first use: re-validating an unchanged archive parses no YAML,
    # and the import is a noticeable part of such a run.
    import yaml

    # libyaml is much faster (measured 1.5 s vs 10 s for 10k records).
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


# --- YAML 1.1 plain-scalar resolution -------------------------------------------------
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

# Characters that can hide or disguise text: C0/C1 controls (tab and newlines are handled
# separately) and the bidirectional embedding, override and isolate controls.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


# The first characters of every plain scalar that a YAML 1.1 rule reads as other than text
# (null, booleans, numbers; "" is the empty scalar): any other plain word is text as is.
_MAYBE_SPECIAL = frozenset("~nNtTfFyYoO0123456789+-.") | {""}


def _problem(display: str, line: int, column: int, message: str, hint: str) -> Problem:
    return Problem(display, line, column, message, hint)


def _resolve_plain(text: str, display: str, line: int, column: int, out: list[Problem]) -> Any:
    """The value of an unquoted scalar; YAML 1.1 surprises are reported, not applied."""
    if not _ANY_SPECIAL.match(text):
        return text
    if _NULL.match(text):
        return None
    if _BOOL_12.match(text):
        return text.lower() == "true"
    if _BOOL_11_ONLY.match(text):
        out.append(
            _problem(
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
                _problem(
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
            _problem(
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
            _problem(
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
            _problem(
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


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _check_characters(text: str, display: str) -> list[Problem]:
    out: list[Problem] = []
    # Most files hold no tab and no carriage return: a substring test is much cheaper than
    # a regex scan that finds nothing.
    for match in re.finditer("\t", text) if "\t" in text else ():
        line, column = _position(text, match.start())
        out.append(
            _problem(
                display,
                line,
                column,
                "tab character",
                "YAML indentation must use spaces; replace the tab with spaces",
            )
        )
    for match in _FORBIDDEN.finditer(text):
        line, column = _position(text, match.start())
        char = match.group()
        kind = (
            "bidirectional control character"
            if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069"
            else "control character"
        )
        out.append(
            _problem(
                display,
                line,
                column,
                f"{kind} U+{ord(char):04X} in the text",
                "delete it: it can hide or reorder what readers see",
            )
        )
    for match in re.finditer("\r(?!\n)", text) if "\r" in text else ():
        line, column = _position(text, match.start())
        out.append(
            _problem(
                display,
                line,
                column,
                "carriage return without a line feed",
                "save the file with LF (Unix) line endings",
            )
        )
    return out


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
    problems = _check_characters(text, display)
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

    # The event loop runs ~50 times per record: it pulls events from the parser itself (no
    # generator), tests the commonest event classes first, by identity (held in locals), and
    # places list items and new mapping values itself rather than through `attach`.
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


def load_clean(
    text: str, marked: frozenset[str], item_marked: str, watch: frozenset[str], refuse: str
) -> tuple[dict[str, Any], dict[str, tuple[int, int]], list[tuple[str, str, int, int]]] | None:
    """A record mapping as plain data in one pass, or None if `load_text` would say anything.

    The fast path for the common, clean record: no `Node` tree is built (that tree and the
    walk over it cost as much as the parsing). Whatever `load_text` reports or handles
    specially (a tab, a control character, an anchor, tag or alias, a duplicate or merge
    key, a YAML 1.1 trap, a syntax error, a second document, deep nesting, a root that is
    not a mapping) and any text starting with `refuse` gives None: the caller then takes
    the full path, whose messages are the only ones. The text is expected to have passed
    `decode`.

    Also returns the positions `marked` asks for (top-level values under those keys, their
    list items as "key.i", and those items' `item_marked` values as "key.i.<item_marked>")
    and every text value whose key, or whose list's key, is in `watch`, as (key, value,
    line, column), for the caller's checks.
    """
    if "\t" in text or "\r" in text or _FORBIDDEN.search(text):
        return None
    import yaml

    parser = _loader()(text)
    scalar_event = yaml.ScalarEvent
    mapping_start, mapping_end = yaml.MappingStartEvent, yaml.MappingEndEvent
    sequence_start, sequence_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    stream_end, document_start = yaml.StreamEndEvent, yaml.DocumentStartEvent
    stream_start, document_end = yaml.StreamStartEvent, yaml.DocumentEndEvent
    marks: dict[str, tuple[int, int]] = {}
    watched: list[tuple[str, str, int, int]] = []
    scratch: list[Problem] = []
    # Each open collection: [container, pending key (mappings; None until a key is read),
    # the key its items are checked under (lists: their own key)].
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    try:
        get_event = parser.get_event
        while True:
            event = get_event()
            cls = event.__class__
            if cls is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    return None
                value = event.value
                style = event.style
                if style == '"' and _FORBIDDEN.search(value):
                    return None
                if not stack:
                    return None  # a scalar root: not a record mapping
                top = stack[-1]
                container = top[0]
                if type(container) is dict:
                    key = top[1]
                    if key is None:  # a key: never resolved, always text
                        if value == "<<" or value in container:
                            return None
                        top[1] = value
                        continue
                else:
                    key = top[2]
                mark = event.start_mark
                if not style and event.implicit[0] and value[:1] in _MAYBE_SPECIAL:
                    value = _resolve_plain(value, "", mark.line + 1, mark.column + 1, scratch)
                    if scratch:
                        return None
                if type(value) is str:
                    if value.startswith(refuse):
                        return None
                    if key in watch:
                        watched.append((key, value, mark.line + 1, mark.column + 1))
                depth = len(stack)
                if depth <= 3:
                    name = _mark_name(stack, depth, marked, item_marked)
                    if name is not None:
                        marks[name] = (mark.line + 1, mark.column + 1)
                if type(container) is dict:
                    container[key] = value
                    top[1] = None
                else:
                    container.append(value)
                continue
            if cls is mapping_end or cls is sequence_end:
                done = stack.pop()[0]
                if not stack:
                    root = done
                    continue
                top = stack[-1]
                if type(top[0]) is dict:
                    top[0][top[1]] = done
                    top[1] = None
                else:
                    top[0].append(done)
                continue
            if cls is mapping_start or cls is sequence_start:
                if event.anchor is not None or event.tag is not None:
                    return None
                depth = len(stack)
                if depth >= MAX_DEPTH:
                    return None
                inherited = ""
                if depth:
                    top = stack[-1]
                    if type(top[0]) is dict:
                        if top[1] is None:  # a collection as a key
                            return None
                        inherited = top[1]
                    else:
                        inherited = top[2]
                    if depth <= 3:
                        name = _mark_name(stack, depth, marked, item_marked)
                        if name is not None:
                            mark = event.start_mark
                            marks[name] = (mark.line + 1, mark.column + 1)
                elif root is not None:
                    return None
                stack.append([{} if cls is mapping_start else [], None, inherited])
                continue
            if cls is stream_end:
                break
            if cls is document_start:
                documents += 1
                if documents > 1:
                    return None
                continue
            if cls is stream_start or cls is document_end:
                continue
            return None  # an alias, or anything else: the full path explains it
    except Exception:  # a syntax error or anything unforeseen: the full path reports it
        return None
    finally:
        parser.dispose()
    if stack or type(root) is not dict:
        return None
    return root, marks, watched


def _mark_name(stack: list[list[Any]], depth: int, marked: frozenset[str], item: str) -> str | None:
    """The name under which `load_clean` keeps the position of the value starting now."""
    base = stack[0]
    key = base[1]
    if type(base[0]) is not dict or key not in marked:
        return None
    if depth == 1:
        return str(key)
    items = stack[1][0]
    if type(items) is not list:
        return None
    if depth == 2:
        return f"{key}.{len(items)}"
    top = stack[2]
    if type(top[0]) is dict and top[1] == item:
        return f"{key}.{len(items)}.{item}"
    return None


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


def is_datetime(text: str) -> bool:
    """True for a timestamp with a time of day (where a date alone belongs)."""
    return bool(_DATETIME.match(text))
