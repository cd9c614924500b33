"""A clean record read straight into plain data, with no `Node` tree (the fast path).

Most records have nothing to report, and a cold validation reads thousands of them, so this
cheaper reader comes first: `load_clean` reads libyaml's events into plain data and answers
only for a record in which `load.load_text` would find nothing, else None; then `load_text`
decides.
"""

from __future__ import annotations

from typing import Any

from generator.problems import Problem
from generator.records.characters import _FORBIDDEN
from generator.records.load import MAX_DEPTH, _loader
from generator.records.yaml_scalars import _MAYBE_SPECIAL, _resolve_plain


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
