"""generator.records.load: the strict YAML loader, in-process."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.records import load, yaml_scalars
from generator.records.load import decode
from generator.records.yaml_events import MAX_DEPTH, read_yaml
from generator.records.yaml_scalars import is_datetime
from generator.records.yaml_tree import Node, Wanted


def parse(text: str) -> tuple[Node | None, list[str]]:
    loaded = read_yaml(text, "x.yml", Wanted(), tree=True)
    assert loaded is not None
    root, problems = loaded.root, loaded.problems
    return root, [f"{p.line}:{p.column} {p.message}" for p in problems]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("42", 42),
        ("-7", -7),
        ("0", 0),
        ("1.5", 1.5),
        ("1_000.5", 1000.5),
        ("plain words", "plain words"),
        ("2023-12-18", "2023-12-18"),  # dates stay text: the validator checks them
        (".", "."),  # matches the float pattern but is no number
        ("-.", "-."),
        ("1e3", "1e3"),  # YAML 1.1 floats need a dot
        ("08", "08"),  # not octal
    ],
)
def test_plain_scalars_without_traps(raw: str, value: object) -> None:
    root, problems = parse(f"v: {raw}\n")
    assert problems == []
    assert root is not None
    got = root.value["v"].value
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("NO", "boolean"),
        ("no", "boolean"),
        ("yes", "boolean"),
        ("Yes", "boolean"),
        ("on", "boolean"),
        ("OFF", "boolean"),
        ("y", "boolean"),
        ("N", "boolean"),
        ("1:30", "base-60"),
        ("-1:30:15", "base-60"),
        ("012", "octal"),
        ("0777", "octal"),
        ("0x1F", "another base"),
        ("0b101", "another base"),
        ("1_000", "another base"),
    ],
)
def test_yaml11_traps_are_reported_and_kept_as_written(raw: str, fragment: str) -> None:
    root, problems = parse(f"title: {raw}\n")
    assert len(problems) == 1
    assert problems[0].startswith("1:8 ") and fragment in problems[0]
    assert root is not None and root.value["title"].value == raw  # the text, not 90 or False


@pytest.mark.parametrize("quoted", ['"NO"', "'012'", '"1:30"'])
def test_quoted_values_are_text(quoted: str) -> None:
    root, problems = parse(f"title: {quoted}\n")
    assert problems == []
    assert root is not None and root.value["title"].value == quoted[1:-1]


def test_keys_are_not_resolved() -> None:
    root, problems = parse("on: 1\nyes: 2\n012: 3\n")
    assert problems == []
    assert root is not None and list(root.value) == ["on", "yes", "012"]


def test_positions_of_values_and_keys() -> None:
    root, problems = parse("# c\nid: x\nroles:\n  - title: T\n    from: '2020'\n")
    assert problems == []
    assert root is not None
    assert (root.line, root.column) == (2, 1)
    roles = root.value["roles"]
    assert (roles.key_line, roles.key_column) == (3, 1)
    item = roles.value[0]
    assert (item.line, item.column) == (4, 5)
    start = item.value["from"]
    assert (start.line, start.column, start.key_line, start.key_column) == (5, 11, 5, 5)
    assert root.plain() == {"id": "x", "roles": [{"title": "T", "from": "2020"}]}
    assert root.locate(("roles", 0, "from")) is start
    assert root.locate(("roles", 5, "from")) is roles  # the deepest node that exists
    assert root.locate(("nope",)) is root


def test_duplicate_key_names_the_first_line() -> None:
    _, problems = parse("a: 1\nb: 2\na: 3\n")
    assert problems == ["3:1 duplicate key `a` (first written at line 1)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\n", "1:4 anchor `&x`"),
        ("a: &x 1\nb: *x\n", "2:4 alias `*x`"),
        ("a: !!int 3\n", "1:4 tag `tag:yaml.org,2002:int`"),
        ("a: !custom 3\n", "1:4 tag `!custom`"),
        ("a:\n  <<: {b: 1}\n", "2:3 merge keys"),
        ("a: 1\n---\nb: 2\n", "2:1 a second YAML document"),
        ("a: 1\n...\n---\nb: 2\n", "3:1 a second YAML document"),
        ("a:\n\t- b\n", "2:1 tab character"),
        ("a: x\u202ey\n", "1:5 bidirectional control character U+202E"),
        ("a: \u2069\n", "1:4 bidirectional control character U+2069"),
        ("a: x\x00\n", "1:5 control character U+0000"),
        ("a: x\x85\n", "1:5 control character U+0085"),
        ("a: x\u2028\n", "1:5 control character U+2028"),
        ("a: x\ry\n", "1:5 carriage return"),
        ("x: 1\né: \ufffe\n", "2:4 character U+FFFE is not allowed in YAML"),
        ("? [a]\n: 1\n", "1:3 a key must be a plain word"),
        ("a: [b\n", "2:1 YAML syntax"),
    ],
)
def test_traps_are_located(text: str, expected: str) -> None:
    _, problems = parse(text)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_tab_explains_the_syntax_error_it_causes() -> None:
    _, problems = parse("a:\n\tb: 1\n")
    assert problems == ["2:1 tab character"]


@pytest.mark.parametrize("text", ["", "   \n", "# comment only\n", "~\n", "---\n...\n"])
def test_empty(text: str) -> None:
    root, problems = parse(text)
    assert root is None
    assert problems == ["1:1 the file is empty"]


def test_depth_limit() -> None:
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    root, problems = parse(ok)
    assert root is not None and problems == []
    too_deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    root, problems = parse(too_deep)
    assert root is None
    assert problems == [f"1:{3 + MAX_DEPTH} nesting deeper than {MAX_DEPTH} levels"]


def test_very_deep_nesting_is_cheap() -> None:
    root, problems = parse("a: " + "[" * 100_000 + "\n")
    assert root is None and len(problems) == 1


def test_decode_size_limit() -> None:
    text, problems = decode(b"a" * load.MAX_BYTES, "x.yml")
    assert text is not None and problems == []
    text, problems = decode(b"a" * (load.MAX_BYTES + 1), "x.yml")
    assert text is None
    assert problems[0].line == problems[0].column == 1


def test_decode_strips_a_utf8_bom() -> None:
    text, problems = decode(b"\xef\xbb\xbfa: 1\n", "x.yml")
    assert text == "a: 1\n" and problems == []


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"\xff\xfea\x00", 1, 1),  # UTF-16 LE with BOM
        (b"a: 1\nb: caf\xe9\n", 2, 7),
        ("a: 1\nb: Китай ".encode() + b"\xc0\n", 2, 10),  # columns count characters
    ],
)
def test_decode_locates_bad_bytes(data: bytes, line: int, column: int) -> None:
    text, problems = decode(data, "x.yml")
    assert text is None
    assert (problems[0].line, problems[0].column) == (line, column)
    assert "not valid UTF-8" in problems[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-12-18T10:00", True),
        ("2023-12-18 10:00:00", True),
        ("2023-12-18t1:00", True),
        ("2023-12-18", False),
        ("2023-12", False),
    ],
)
def test_is_datetime(text: str, expected: bool) -> None:
    assert is_datetime(text) is expected


_PLAIN_FORMS = (
    yaml_scalars._NULL,
    yaml_scalars._BOOL_12,
    yaml_scalars._BOOL_11_ONLY,
    yaml_scalars._INT_DEC,
    yaml_scalars._INT_OCTAL,
    yaml_scalars._INT_OTHER,
    yaml_scalars._SEXAGESIMAL,
    yaml_scalars._FLOAT,
)
_SCALAR_SAMPLES = [
    "",
    "~",
    "NO",
    "y",
    "0",
    "012",
    "0x1F",
    "1_000",
    "1:30",
    "-1:30:00.5",
    ".5",
    "-.inf",
    ".NaN",
    "2023-12-18",
    "2023-12-18T10:00",
    "1e3",
    "08",
    "+",
    "-",
    ".",
    "1.",
    "on the record",
    "12 apples",
    "7\n",
]


@given(
    st.one_of(
        st.sampled_from(_SCALAR_SAMPLES),
        st.text(alphabet="0123456789_:.+-xXbeEoOnNyYtTfF~ainf\n", max_size=12),
    )
)
def test_one_match_tells_text_from_the_other_plain_forms(text: str) -> None:
    # `resolve_plain` takes a scalar that `_ANY_SPECIAL` does not match as text at once; it
    # must match exactly what one of the forms it stands for matches.
    either = any(form.match(text) for form in _PLAIN_FORMS)
    assert bool(yaml_scalars._ANY_SPECIAL.match(text)) == either
