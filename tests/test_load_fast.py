"""The fast reading (no tree) answers exactly for the records the full reading finds clean.

`yaml_events.read_yaml` is the one reader of record YAML. A cold validation reads most
records without a tree, stopping at the first problem; the rules are the same loop's either
way. So reading without a tree must answer exactly when the full reading reports nothing
and finds a mapping, and then with the same data (exact types), marks, watched and flagged
values; and those must be what the tree holds (checked here against walks over the tree).
Checked over the fixture records, hand-written traps and generated block-style YAML; and
`checks.check_file` gives the same result with the fast path on and off.
tests/test_bundled_archive.py runs the same checks over the bundled archive's records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _site_support import FIXTURE_CONTENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.problems import Problem
from generator.records import checks
from generator.records.find import discover
from generator.records.yaml_events import read_yaml
from generator.records.yaml_tree import Loaded, Node

WANTED = checks.WANTED


def _typed(value: Any) -> Any:
    """The value with every scalar's type spelled out: 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return {key: _typed(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_typed(child) for child in value]
    return (type(value).__name__, value)


def _walk(node: Node, key: str, watched: list[Any], flagged: list[Any]) -> None:
    """The watched and flagged text values under `node`, from the tree."""
    value = node.value
    if isinstance(value, str):
        if key in WANTED.watch:
            watched.append((key, value, node.line, node.column))
        if value.startswith(WANTED.flag):
            flagged.append((value, node.line, node.column))
    elif isinstance(value, dict):
        for k, child in value.items():
            _walk(child, k, watched, flagged)
    elif isinstance(value, list):
        for child in value:
            _walk(child, key, watched, flagged)


def _marks(root: Node) -> dict[str, tuple[int, int]]:
    """The positions `WANTED` asks for, from the tree."""
    marks: dict[str, tuple[int, int]] = {}
    for key in WANTED.marked:
        node = root.value.get(key)
        if node is None:
            continue
        marks[key] = (node.line, node.column)
        for i, item in enumerate(node.value if isinstance(node.value, list) else []):
            marks[f"{key}.{i}"] = (item.line, item.column)
            inner = item.value.get(WANTED.item_marked) if isinstance(item.value, dict) else None
            if inner is not None:
                marks[f"{key}.{i}.{WANTED.item_marked}"] = (inner.line, inner.column)
    return marks


def _agree(text: str) -> bool:
    """Assert that the fast reading answers exactly when the full one finds a clean mapping,
    and with what the tree holds; whether it answered."""
    full = read_yaml(text, "x.yml", WANTED, tree=True)
    fast = read_yaml(text, "x.yml", WANTED, tree=False)
    assert full is not None
    clean = not full.problems and isinstance(full.data, dict)
    assert (fast is not None) == clean, full.problems
    if full.root is not None and isinstance(full.root.value, dict):
        _holds_the_tree(full)
    if fast is None:
        return False
    assert _typed(fast.data) == _typed(full.data)
    assert (fast.marks, fast.watched, fast.flagged) == (full.marks, full.watched, full.flagged)
    assert fast.root is None
    return True


def _holds_the_tree(full: Loaded) -> None:
    """The data and positions the reader collected are the tree's."""
    root = full.root
    assert root is not None
    assert _typed(full.data) == _typed(root.plain())
    watched: list[Any] = []
    flagged: list[Any] = []
    _walk(root, "", watched, flagged)
    assert (full.watched, full.flagged) == (watched, flagged)
    assert full.marks == _marks(root)


def every_record_takes_the_fast_reader(content: Path) -> None:
    """Every record under `content` is clean, so the fast reader answers, and agrees."""
    texts = [path.read_text("utf-8") for path in sorted(content.rglob("*.yml"))]
    assert texts
    for text in texts:
        assert _agree(text)


def test_every_fixture_record_takes_the_fast_reader_and_agrees() -> None:
    every_record_takes_the_fast_reader(FIXTURE_CONTENT)


SIMPLE = """\
id: a-b
date: 2024-01-02
count: 12
ratio: 1.5
flag: true
none: ~
actors:
  - x
  - "y"
sources:
  - title: 'T'
    publisher: P 1
    url: https://example.org/a#b
  -   title: U
      publisher: "Q"
nested:
  deeper:
    key: value # comment
"""


def test_a_plain_block_record_is_read_with_its_marks() -> None:
    assert _agree(SIMPLE)
    answer = read_yaml(SIMPLE, "x.yml", WANTED, tree=False)
    assert answer is not None
    assert answer.marks["sources.1.publisher"] == (15, 18)
    assert answer.watched[0] == ("date", "2024-01-02", 2, 7)


@pytest.mark.parametrize(
    "change",
    [
        ("value # comment", "value # comment"),  # a comment after a value (unchanged)
        ("count: 12", "count: 012"),  # octal
        ("count: 12", "count: 1:30"),  # base 60
        ("flag: true", "flag: yes"),  # YAML 1.1 boolean
        ("flag: true", "flag: !!str true"),  # a tag
        ("ratio: 1.5", "ratio: &a 1.5"),  # an anchor
        ("none: ~", "none: *a"),  # an alias
        ("none: ~", "none:"),  # an empty value
        ("none: ~", "<<: x"),  # a merge key
        ("none: ~", "id: again"),  # a duplicate key
        ("  - x\n", "  - TODO\n"),  # a placeholder
        ("  - x\n", "- x\n"),  # a list item at the key's indentation
        ("  - x\n", "  -\n    x\n"),  # an item on the next line
        ("  - x\n", "  - - x\n"),  # a list in a list
        ("  - x\n", "  - [x]\n"),  # a flow list
        ("count: 12", "count: {a: 1}"),  # a flow mapping
        ("count: 12", "count: a: b"),  # a colon in a plain value
        ("count: 12", "count: a:"),
        ("count: 12", "count: 'it''s'"),  # an escaped quote
        ("count: 12", 'count: "a\\tb"'),  # an escape
        ("count: 12", 'count: "a" b'),  # text after a quoted value
        ("count: 12", "count: |\n  block"),  # a block scalar
        ("count: 12", "count: >-\n  folded\n  text"),
        ("count: 12", "count: two\n  lines"),  # a multi-line plain value
        ("count: 12", "count: 12\n   odd: indent"),
        ("    publisher: P 1", "   publisher: P 1"),  # misaligned keys
        ("id: a-b", "---\nid: a-b"),  # document markers
        ("flag: true", "flag: true\n---\nx: 1"),
        ("flag: true", "flag: true\n..."),
        ("flag: true", "flag: true\t"),  # a tab
        ("flag: true", "flag: tr\u202eue"),  # a bidirectional control
        ("flag: true", "flag: \ufefftrue"),
        ("flag: true", "flag: @x"),  # a reserved indicator
        ("flag: true", "flag: %x"),
        ("flag: true", "? flag\n: true"),  # a complex key
        ("flag: true", '"flag": true'),  # a quoted key
    ],
)
def test_odd_records_agree_or_take_the_full_path(change: tuple[str, str]) -> None:
    text = SIMPLE.replace(*change, 1)
    assert text != SIMPLE or change[0] == change[1]
    _agree(text)


KEYS = ["id", "date", "url", "actors", "sources", "publisher", "a", "<<", "yes"]
VALUES = [
    "word",
    "two words",
    '"quoted"',
    "'single'",
    "yes",
    "No",
    "012",
    "1:30",
    "0x1F",
    "1_000",
    "12",
    "-3",
    "1.5",
    ".",
    "~",
    "null",
    "2024-02-30",
    "2024-01-01 10:00",
    "TODO later",
    "a # c",
    "a#b",
    "&x y",
    "*x",
    "!t y",
    "[a]",
    "{a: 1}",
    "|",
    ">",
    '"a\\u202e"',
    "",
    "a: b",
    "a:",
    "http://[x",
    "- x",
    "-",
    "?",
    "é ü 中文 😀",
]


def _render(draw: st.DrawFn, depth: int, indent: int, lines: list[str], first: str) -> None:
    """Write a random block mapping at `indent`; `first` goes before its first key."""
    step = draw(st.sampled_from([2, 2, 4, 1, 3]))
    for n in range(draw(st.integers(1, 4))):
        lead = first if n == 0 else " " * indent
        key = draw(st.sampled_from(KEYS))
        shape = draw(st.sampled_from(["scalar"] * 4 + ["list", "map"] if depth < 3 else ["scalar"]))
        if shape == "scalar":
            lines.append(f"{lead}{key}: {draw(st.sampled_from(VALUES))}".rstrip())
        elif shape == "map":
            lines.append(f"{lead}{key}:")
            _render(draw, depth + 1, indent + step, lines, " " * (indent + step))
        else:
            lines.append(f"{lead}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                dash = " " * (indent + step) + draw(st.sampled_from(["- ", "- ", "-   "]))
                if draw(st.booleans()):
                    lines.append(f"{dash}{draw(st.sampled_from(VALUES))}".rstrip())
                else:
                    _render(draw, depth + 1, len(dash), lines, dash)


@st.composite
def _block_yaml(draw: st.DrawFn) -> str:
    lines: list[str] = []
    _render(draw, 0, 0, lines, "")
    # Now and then a line out of place, a line removed or a blank or comment line.
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines)))
        edit = draw(st.sampled_from(["indent", "drop", "blank", "comment", "dup"]))
        if edit == "indent" and at < len(lines):
            lines[at] = " " * draw(st.integers(1, 3)) + lines[at]
        elif edit == "drop" and at < len(lines) and len(lines) > 1:
            del lines[at]
        elif edit == "dup" and at < len(lines):
            lines.insert(at, lines[at])
        else:
            lines.insert(at, "" if edit == "blank" else "  # note")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_block_yaml())
def test_generated_block_yaml_agrees(text: str) -> None:
    _agree(text)


def check_file_is_the_same_with_and_without_the_fast_path(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check_file` gives the same result for every record under `content` either way."""
    problems: list[Problem] = []
    fast = 0
    for folder in discover(content, problems):
        for record in folder.files([None] * len(folder.names)):
            data = record.path.read_bytes()
            with monkeypatch.context() as patch:
                patch.setattr(checks, "_check_clean", lambda *_: None)
                full = checks.check_file(record, data)
            checked = checks.check_file(record, data)
            assert checked == full
            fast += checks._check_clean(record, data.decode("utf-8")) is not None
    assert fast > 0


def test_check_file_is_the_same_with_and_without_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check_file_is_the_same_with_and_without_the_fast_path(FIXTURE_CONTENT, monkeypatch)


def test_a_record_with_a_finding_takes_the_full_path() -> None:
    problems: list[Problem] = []
    folder = next(f for f in discover(FIXTURE_CONTENT, problems) if f.rel == "statements/2023/")
    record = next(r for r in folder.files([None] * len(folder.names)) if "grain" in r.rel)
    text = record.path.read_text("utf-8")
    assert checks._check_clean(record, text) is not None
    # Dated in another year than its folder: a finding, so the fast path steps aside.
    moved = text.replace("date: 2023-05-10", "date: 2024-05-10", 1)
    assert moved != text
    assert checks._check_clean(record, moved) is None
    checked = checks.check_file(record, moved.encode("utf-8"))
    assert [p.message for p in checked.problems] == [
        "the statement is dated 2024-05-10 but filed under statements/2023/"
    ]
