"""libyaml's events -> one record: the only reader of record YAML, for both paths.

Records are read strictly so that what an editor wrote is what the archive keeps:
YAML 1.1 silently turns `NO` into false, `012` into 10 and `1:30` into 90, and anchors,
aliases, merge keys and tags make a record mean something other than it reads. We
therefore read libyaml's event stream ourselves (fast, and it gives a mark for every
event) instead of letting PyYAML construct Python objects, and report each trap as a
`Problem` at its `path:line:column`.

`read_yaml` builds the plain data, the positions the checks across records report at
(`marks`), and the values the checks of one file look at (`watched`, `flagged`). Asked for a
tree, it also builds the `Node` tree that places schema errors, and reports every problem;
without one (the fast path for the common, clean record) it stops at the first problem and
answers None. The rules are the same either way: they are written once, in this loop. The
plain-scalar traps are in `yaml_scalars.py`, the forbidden characters in `characters.py`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from generator.problems import Problem
from generator.records.characters import FORBIDDEN, check_characters, line_column
from generator.records.yaml_scalars import MAYBE_SPECIAL, resolve_plain
from generator.records.yaml_tree import Loaded, Node, Wanted

MAX_DEPTH = 20
"""Records nest four levels at most; deeper trees are mistakes or attacks."""


@cache
def _loader() -> Any:
    # PyYAML is imported on first use: re-validating an unchanged archive parses no YAML,
    # and the import is a noticeable part of such a run.
    import yaml

    # libyaml, when PyYAML was built with it: much faster than the pure-Python parser.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_NO_LINES: frozenset[int] = frozenset()


class _StepAside(Exception):
    """Raised by `report` when no tree was asked for: the full reading explains it."""


class _Places:
    """The rarer steps of reading: reporting, and placing values the loop does not.

    Kept out of `read_yaml` so that the loop's variables stay plain locals (a closure would
    turn each it uses into a slower cell variable)."""

    __slots__ = ("display", "done", "item", "marked", "marks", "problems", "stack", "tree")

    def __init__(self, display: str, tree: bool, problems: list[Problem], wanted: Wanted) -> None:
        self.display, self.tree, self.problems = display, tree, problems
        # Each open collection: [plain container, pending key (mappings: None until a key
        # is read), the pending key's mark, the key its items are checked under, whether
        # the tree leaves it out, its Node (with a tree), its line, its column].
        self.stack: list[list[Any]] = []
        self.done: list[Any] = []  # [data, root node] once the root is read
        self.marks: dict[str, tuple[int, int]] = {}
        self.marked, self.item = wanted.marked, wanted.item_marked

    def report(self, line: int, column: int, message: str, hint: str) -> None:
        """Add a problem; without a tree, stop reading (the full reading explains it)."""
        if not self.tree:
            raise _StepAside
        self.problems.append(Problem(self.display, line, column, message, hint))

    def anchor_and_tag(self, event: Any, line: int, column: int) -> None:
        # Scalars and collections alike: anchors and tags would make YAML rewrite values.
        if event.anchor is not None:
            self.report(
                line,
                column,
                f"anchor `&{event.anchor}` is not allowed",
                "write each value out in full",
            )
        if event.tag is not None and event.tag != "!":
            self.report(line, column, f"tag `{event.tag}` is not allowed", "remove the tag")

    def keep_position(self, line: int, column: int) -> None:
        """Keep the position of the value starting now if `wanted` asks for it."""
        stack = self.stack
        depth = len(stack)
        if not 0 < depth <= 3 or stack[0][1] not in self.marked:
            return
        top = stack[-1]
        key = top[1] if type(top[0]) is dict else top[3]
        if key is not None and not _left_out(top, key):
            name = _mark_name(stack, depth, self.item)
            if name is not None:
                self.marks[name] = (line, column)

    def place(self, value: Any, node: Node | None, line: int, column: int) -> None:
        """Place a finished value where the loop does not: the root, a key that is not a
        plain word, the value of a merge key or of a repeated key."""
        if not self.stack:
            self.done[:] = [value, node]
            return
        top = self.stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
            if node is not None:
                top[5].value.append(node)
            return
        if top[1] is None:  # this value is a key
            if isinstance(value, dict | list):
                self.report(line, column, "a key must be a plain word", "write `name: value` pairs")
                top[1] = ""
            else:
                top[1] = str(value)
            top[2] = (line, column)
            return
        key, (key_line, key_column) = top[1], _at(top[2])
        top[1] = None
        if key == "<<":
            self.report(
                key_line,
                key_column,
                "merge keys (`<<`) are not allowed",
                "write the fields out in full",
            )
        elif key in container:
            if not self.tree:
                raise _StepAside
            self.report(
                key_line,
                key_column,
                f"duplicate key `{key}` (first written at line {top[5].value[key].key_line})",
                "keep one of them; YAML tools silently drop all but the last",
            )
        else:
            container[key] = value
            if node is not None:
                node.key_line, node.key_column = key_line, key_column
                top[5].value[key] = node


def _left_out(top: list[Any], key: Any) -> bool:
    """True if the tree leaves out the value starting now in the collection `top`."""
    return bool(top[4]) or (type(top[0]) is dict and (key == "<<" or key in top[0]))


def read_yaml(text: str, display: str, wanted: Wanted, tree: bool) -> Loaded | None:
    """Read one record's text (which has passed `load.decode`).

    With `tree`, always a `Loaded` with every problem. Without, None at the first problem.
    A value the tree does not keep (the value of a repeated or merge key, a key that is
    not a plain word) is neither marked, watched nor flagged.
    """
    problems = check_characters(text, display)
    if problems and not tree:
        return None
    bad_lines = {p.line for p in problems} if problems else _NO_LINES
    places = _Places(display, tree, problems, wanted)
    report, place, keep_position = places.report, places.place, places.keep_position
    check_anchor_and_tag = places.anchor_and_tag
    stack, done, marks = places.stack, places.done, places.marks
    marked, item_marked, watch, flag = wanted.marked, wanted.item_marked, wanted.watch, wanted.flag
    watched: list[tuple[str, str, int, int]] = []
    flagged: list[tuple[str, int, int]] = []
    documents = 0

    # The event loop runs for every event of every record: it pulls events from the parser
    # itself (no generator), tests the commonest event classes first, by identity (held in
    # locals), and places list items and new mapping values itself rather than through `place`.
    import yaml

    parser = _loader()(text)
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, mapping_end = yaml.MappingStartEvent, yaml.MappingEndEvent
    sequence_start, sequence_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    stream_end, document_start = yaml.StreamEndEvent, yaml.DocumentStartEvent
    try:
        get_event = parser.get_event
        event: Any
        while True:
            event = get_event()
            cls = event.__class__
            if cls is scalar_event:
                mark = event.start_mark
                if event.anchor is not None or event.tag is not None:
                    check_anchor_and_tag(event, mark.line + 1, mark.column + 1)
                value = event.value
                style = event.style
                if style == '"':
                    hidden = FORBIDDEN.search(value)
                    if hidden and mark.line + 1 not in bad_lines:  # an escape like "\u202e"
                        report(
                            mark.line + 1,
                            mark.column + 1,
                            f"escaped control character U+{ord(hidden.group()):04X} in the text",
                            "delete the escape: it can hide or reorder what readers see",
                        )
                if not stack:  # the whole document is one scalar (check_schema explains)
                    if not style and event.implicit[0] and value[:1] in MAYBE_SPECIAL:
                        value = resolve_plain(
                            value, display, mark.line + 1, mark.column + 1, problems
                        )
                    place(value, Node(value, mark.line + 1, mark.column + 1), 0, 0)
                    continue
                top = stack[-1]
                container = top[0]
                if type(container) is dict:
                    key = top[1]
                    if key is None:  # a key: never resolved, always text
                        top[1] = value
                        top[2] = mark
                        continue
                    fresh = key != "<<" and key not in container
                    kept = fresh and not top[4]  # a value the tree keeps
                else:
                    key = top[3]
                    fresh = False
                    kept = not top[4]
                if not style and event.implicit[0] and value[:1] in MAYBE_SPECIAL:
                    value = resolve_plain(value, display, mark.line + 1, mark.column + 1, problems)
                    if problems and not tree:
                        raise _StepAside
                if kept:
                    if type(value) is str:
                        if key in watch:
                            watched.append((key, value, mark.line + 1, mark.column + 1))
                        if value.startswith(flag):
                            flagged.append((value, mark.line + 1, mark.column + 1))
                    depth = len(stack)
                    if depth <= 3 and stack[0][1] in marked:
                        name = _mark_name(stack, depth, item_marked)
                        if name is not None:
                            marks[name] = (mark.line + 1, mark.column + 1)
                if type(container) is list:
                    container.append(value)
                    if tree:
                        top[5].value.append(Node(value, mark.line + 1, mark.column + 1))
                    continue
                if fresh:
                    top[1] = None
                    container[key] = value
                    if tree:
                        node = Node(value, mark.line + 1, mark.column + 1)
                        node.key_line, node.key_column = _at(top[2])
                        top[5].value[key] = node
                    continue
                place(value, Node(value, mark.line + 1, mark.column + 1) if tree else None, 0, 0)
                continue
            if cls is mapping_end or cls is sequence_end:
                entry = stack.pop()
                value = entry[0]
                if stack:
                    top = stack[-1]
                    container = top[0]
                    if type(container) is list:
                        container.append(value)
                        if tree:
                            top[5].value.append(entry[5])
                        continue
                    key = top[1]
                    if key is not None and key != "<<" and key not in container:
                        top[1] = None
                        container[key] = value
                        if tree:
                            node = entry[5]
                            node.key_line, node.key_column = _at(top[2])
                            top[5].value[key] = node
                        continue
                place(value, entry[5], entry[6], entry[7])
                continue
            if cls is stream_end:
                break
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
                keep_position(line, column)
                place(None, Node(None, line, column), line, column)
                continue
            if cls is not mapping_start and cls is not sequence_start:
                continue  # stream start, document end
            if event.anchor is not None or event.tag is not None:
                check_anchor_and_tag(event, line, column)
            depth = len(stack)
            if depth >= MAX_DEPTH:
                report(
                    line,
                    column,
                    f"nesting deeper than {MAX_DEPTH} levels",
                    "records need only a few levels; check the indentation",
                )
                break
            inherited: Any = ""
            dropped = False
            if depth:
                top = stack[-1]
                if type(top[0]) is dict:
                    inherited = top[1]
                    dropped = inherited is None or _left_out(top, inherited)
                else:
                    inherited = top[3]
                    dropped = top[4]
                if depth <= 3 and stack[0][1] in marked:
                    keep_position(line, column)
            plain: Any = [] if cls is sequence_start else {}
            own = Node([] if cls is sequence_start else {}, line, column) if tree else None
            stack.append([plain, None, None, inherited, dropped, own, line, column])
    except _StepAside:
        return None
    except yaml.MarkedYAMLError as exc:
        if not tree:
            return None
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if line not in bad_lines:  # a tab or control character already explains it
            report(
                line,
                column,
                f"YAML syntax: {exc.problem or exc.context}",
                "check the indentation and quoting on this line and the one before it",
            )
        return Loaded(None, None, marks, watched, flagged, problems)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, e.g. U+FFFE
        if not tree:
            return None
        # `position` counts bytes in libyaml and characters in PyYAML: find the character.
        offset = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line, column = line_column(text, offset) if offset >= 0 else (1, 1)
        if line not in bad_lines:
            report(
                line,
                column,
                f"character U+{exc.character:04X} is not allowed in YAML",
                "delete it; YAML files may not contain it",
            )
        return Loaded(None, None, marks, watched, flagged, problems)
    except yaml.YAMLError as exc:  # other errors carry no problem_mark
        if not tree:
            return None
        report(1, 1, f"YAML: {' '.join(str(exc).split())}", "save the file as UTF-8 text")
        return Loaded(None, None, marks, watched, flagged, problems)
    finally:
        parser.dispose()
    if stack:  # stopped early (second document or too deep)
        return Loaded(None, None, marks, watched, flagged, problems)
    data, root = done or [None, None]
    if not tree and (problems or type(data) is not dict):
        return None  # not a record mapping: the full reading says why
    if data is None:
        if not tree:
            return None
        report(1, 1, "the file is empty", "write the record's fields, or delete the file")
        return Loaded(None, None, marks, watched, flagged, problems)
    return Loaded(data, root, marks, watched, flagged, problems)


def _at(mark: Any) -> tuple[int, int]:
    """A 1-based position from a libyaml mark, or a position kept as one."""
    if isinstance(mark, tuple):
        return mark
    return mark.line + 1, mark.column + 1


def _mark_name(stack: list[list[Any]], depth: int, item: str) -> str | None:
    """The name under which the position of the value starting now is kept (its top-level
    key is marked)."""
    key = stack[0][1]
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
