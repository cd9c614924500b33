"""Issue 4: hostile and broken input never crashes the validator.

The table cases run the `briefing validate` command in-process (`generator.cli.main`, so any
exception fails the test; tests/test_validate.py covers the same paths through a subprocess)
and check the exit status and the form of every line it prints. The property tests feed
random text and bytes to the loader and the validator.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BASE, STATEMENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.records import load
from generator.records.validate import validate_archive
from generator.records.yaml_events import read_yaml
from generator.records.yaml_tree import Wanted

PROBLEM = re.compile(r"^\S+:\d+:\d+: (error|warning): \S")
SUMMARY = re.compile(r"^\d+ error\(s\), \d+ warning\(s\) in \d+ record file\(s\) under ")
TOPIC = "topics/relations.yml"
STATEMENT_ID = Path(STATEMENT).stem
TOPIC_HEAD = "id: relations\ntitle: Relations\n"


def _write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def apply(content: Path) -> None:
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_bytes(data.encode("utf-8"))
        else:
            path.write_bytes(data)

    return apply


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(content: Path) -> None:
        path = content / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _symlink(rel: str, target: str, folder: bool = False) -> Callable[[Path], None]:
    def apply(content: Path) -> None:
        (content / rel).symlink_to(target, target_is_directory=folder)

    return apply


def _both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(content: Path) -> None:
        for step in steps:
            step(content)

    return apply


def _topic(extra: str) -> Callable[[Path], None]:
    return _write(TOPIC, TOPIC_HEAD + extra)


# id -> (how to break the base archive, expected exit status)
CASES: dict[str, tuple[Callable[[Path], None], int]] = {
    # YAML traps
    "duplicate-key": (_topic("title: Again\n"), 1),
    "bool-NO": (_write(TOPIC, "id: relations\ntitle: NO\n"), 1),
    "sexagesimal": (_write(TOPIC, "id: relations\ntitle: 1:30\n"), 1),
    "octal": (_write(TOPIC, "id: relations\ntitle: 012\n"), 1),
    "anchor-alias": (_write(TOPIC, "id: &i relations\ntitle: *i\n"), 1),
    "billion-laughs": (
        _write(TOPIC, "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nid: relations\n"),
        1,
    ),
    "merge-key": (_write(TOPIC, "<<: {id: relations}\ntitle: Relations\n"), 1),
    "python-tag": (_topic("description: !!python/object/apply:os.system ['true']\n"), 1),
    "binary-tag": (_topic("description: !!binary aGVsbG8=\n"), 1),
    "two-documents": (_write(TOPIC, TOPIC_HEAD + "---\n" + TOPIC_HEAD), 1),
    "tab-indent": (_write(TOPIC, "id: relations\ntitle:\n\tRelations\n"), 1),
    "unclosed-quote": (_write(TOPIC, 'id: relations\ntitle: "Relations\n'), 1),
    "unclosed-flow": (_write(TOPIC, "id: relations\ntitle: [Relations\n"), 1),
    "complex-key": (_write(TOPIC, "? [id]\n: relations\ntitle: Relations\n"), 1),
    "deep-nesting": (_topic("description: " + "[" * 200 + "]" * 200 + "\n"), 1),
    "very-deep-flow": (_topic("description: " + "{a: " * 5000 + "\n"), 1),
    "empty": (_write(TOPIC, ""), 1),
    "only-null": (_write(TOPIC, "null\n"), 1),
    "list-root": (_write(TOPIC, "- id: relations\n"), 1),
    "scalar-root": (_write(TOPIC, "relations\n"), 1),
    "directive": (_write(TOPIC, "%YAML 1.1\n---\n" + TOPIC_HEAD), 0),
    # schema
    "wrong-type": (_write(TOPIC, "id: relations\ntitle: 3.5\n"), 1),
    "missing-required": (_write(TOPIC, "id: relations\n"), 1),
    "null-value": (_write(TOPIC, "id: relations\ntitle:\n"), 1),
    "unknown-key": (_topic("'': x\n"), 1),
    "id-pattern": (_write(TOPIC, "id: Relations\ntitle: Relations\n"), 1),
    "id-mismatch": (_write(TOPIC, "id: other\ntitle: Relations\n"), 1),
    "impossible-date": (_replace(STATEMENT, "date: 2023-05-01", "date: 2023-02-29"), 1),
    "datetime": (_replace(STATEMENT, "date: 2023-05-01", "date: 2023-05-01 10:00:00Z"), 1),
    "year-zero-role": (_replace("actors/ivan-petrov.yml", '"2020-01"', '"0000"'), 1),
    "month-zero-role": (_replace("actors/ivan-petrov.yml", '"2020-01"', '"2020-00"'), 1),
    "last-month-of-9999": (_replace("actors/ivan-petrov.yml", 'to: "2024"', 'to: "9999-12"'), 0),
    "order-zero": (_replace(STATEMENT, "kind: statement", "kind: statement\nbriefing_order: 0"), 1),
    "order-text": (
        _replace(STATEMENT, "kind: statement", "kind: statement\nbriefing_order: '1'"),
        1,
    ),
    "huge-number": (_topic("description: " + "9" * 5000 + "\n"), 1),
    "escaped-bidi": (_topic('description: "x\\u202ey"\n'), 1),
    "escaped-control": (_topic('description: "x\\x1by"\n'), 1),
    "bad-escape": (_topic('description: "\\ud800"\n'), 1),
    # URLs
    "url-javascript": (
        _replace(STATEMENT, "https://example.org/petrov-remarks", "javascript:x"),
        1,
    ),
    "url-data": (_replace(STATEMENT, "https://example.org/petrov-remarks", "data:,x"), 1),
    "url-protocol-relative": (_replace(STATEMENT, "https://example.org/", "//example.org/"), 1),
    "url-bad-ipv6": (_replace(STATEMENT, "https://example.org/", "'http://[::1/'"), 1),
    "url-bad-ipv6-host": (_replace(STATEMENT, "https://example.org/", "'http://[x]/'"), 1),
    "url-too-long": (_replace(STATEMENT, "petrov-remarks", "a" * 2100), 1),
    # path tricks
    "symlink-file": (_symlink("actors/alias.yml", "russia.yml"), 1),
    "symlink-outside": (_symlink("topics/passwd.yml", "/etc/passwd"), 1),
    "symlink-dangling": (_symlink("topics/gone.yml", "nowhere.yml"), 1),
    "symlink-folder": (_symlink("statements/2022", "2023", folder=True), 1),
    "symlink-loop": (_symlink("topics/loop.yml", "loop.yml"), 1),
    "yaml-extension": (_write("topics/other.yaml", "id: other\ntitle: Other\n"), 1),
    "reserved-name": (_write("topics/aux.yml", "id: aux\ntitle: Aux\n"), 1),
    "case-collision": (_write("topics/Relations.yml", "id: relations\ntitle: R\n"), 1),
    "nfd-name": (_write(unicodedata.normalize("NFD", "topics/é.yml"), "id: e\ntitle: E\n"), 1),
    "cyrillic-name": (_write("topics/путин.yml", "id: putin\ntitle: P\n"), 1),
    "dotdot-folder": (_write("statements/2023/x/../../x.yml", "id: x\ntitle: X\n"), 1),
    "record-in-root": (_write("stray.yml", "id: stray\n"), 1),
    "wrong-year-folder": (
        _both(
            _write(f"statements/2024/{Path(STATEMENT).name}", BASE[STATEMENT]),
            lambda content: (content / STATEMENT).unlink(),
        ),
        1,
    ),
    "hidden-file-ignored": (_write("topics/.relations.yml", "not: [valid"), 0),
    "folder-named-yml": (lambda c: (c / "topics" / "dir.yml").mkdir(), 0),
    # encodings
    "latin-1": (_write(TOPIC, "id: relations\ntitle: Relações\n".encode("latin-1")), 1),
    "utf-16-le": (_write(TOPIC, ("\ufeff" + TOPIC_HEAD).encode("utf-16-le")), 1),
    "utf-16-be": (_write(TOPIC, TOPIC_HEAD.encode("utf-16")), 1),
    "utf-32": (_write(TOPIC, TOPIC_HEAD.encode("utf-32")), 1),
    "utf-8-bom": (_write(TOPIC, b"\xef\xbb\xbf" + TOPIC_HEAD.encode()), 0),
    "nul-byte": (_write(TOPIC, TOPIC_HEAD.encode() + b"description: a\x00b\n"), 1),
    "overlong-utf8": (_write(TOPIC, TOPIC_HEAD.encode() + b"description: \xc0\xaf\n"), 1),
    "surrogate-utf8": (_write(TOPIC, TOPIC_HEAD.encode() + b"description: \xed\xa0\x80\n"), 1),
    "noncharacter": (_topic("description: a\ufffeb\n"), 1),
    "old-mac-newlines": (_write(TOPIC, "id: relations\rtitle: Relations\r"), 1),
    "bidi-override": (_topic("description: abc\u202edef\n"), 1),
    "bidi-isolate": (_topic("description: abc\u2066def\u2069\n"), 1),
    "line-separator": (_topic("description: a\u2028b\n"), 1),
    "escape-sequence": (_topic("description: \x1b[31mred\n"), 1),
    # size limits
    "over-max-bytes": (_topic("description: " + "x" * load.MAX_BYTES + "\n"), 1),
    "many-keys": (_topic("".join(f"k{i}: v\n" for i in range(5000))), 1),
    "long-line-valid": (_topic("description: " + "word " * 20000 + "\n"), 0),
}

# Text that a site must escape, but that is a perfectly valid summary: accepted byte-exact.
PAYLOADS = {
    "script": '<script>alert("x")</script>',
    "img-onerror": '<img src=x onerror="alert(1)">',
    "javascript-link": "[click](javascript:alert(1)) and javascript:alert(1)",
    "markdown-heading": "# Heading\n## Another",
    "attr-list": "Text {onclick=alert(1)} and {: .cls #id }",
    "jinja": "{{ 7*7 }} {% raw %} {# c #}",
    "front-matter": "Intro\n---\ntitle: hacked\n---",
    "html-comment": "before <!-- hidden --> after",
    "entities": "&lt;b&gt; &amp; &#x3C;",
    "yaml-lookalike": "key: value\n- item\n&anchor *alias !!tag",
    "backticks": "```\ncode\n```",
}


def _run(case: Callable[[Path], None], tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    content = tmp / "content"
    for rel, text in BASE.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    case(content)
    monkeypatch.chdir(tmp)
    return content


def _check_output(err: str, out: str, code: int) -> None:
    assert "Traceback" not in err + out
    problems = 0
    for line in err.splitlines():
        if line.startswith("    hint: "):
            continue
        if SUMMARY.match(line):
            continue
        assert PROBLEM.match(line), f"malformed problem line: {line!r}"
        problems += 1
    if code == 1:
        assert problems >= 1
        assert SUMMARY.match(err.splitlines()[-1])
    else:
        assert out.startswith("checked ")


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case, expected = CASES[name]
    _run(case, tmp_path, monkeypatch)
    code = main(["validate", "content"])
    captured = capsys.readouterr()
    assert code == expected, captured.err
    _check_output(captured.err, captured.out, code)


@pytest.mark.parametrize(
    "case",
    [_write("topics/a\nb.yml", "id: ab\ntitle: AB\n"), _topic('"a\\nb": x\n')],
    ids=["newline-in-file-name", "newline-in-key"],
)
def test_control_characters_in_names_keep_one_problem_per_line(
    case: Callable[[Path], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _run(case, tmp_path, monkeypatch)
    code = main(["validate", "content"])
    captured = capsys.readouterr()
    assert code == 1
    _check_output(captured.err, captured.out, code)


@pytest.mark.parametrize("field", ["summary", "title"])
@pytest.mark.parametrize("name", list(PAYLOADS))
def test_injection_payloads_are_valid_and_kept_exact(
    name: str,
    field: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    payload = PAYLOADS[name]
    if field == "title":
        payload = payload.replace("\n", " ")  # a title is one line
    old = {"summary": "summary: Petrov said that relations are good.", "title": "title: Petrov"}
    # Written as a YAML literal block, the way an editor would paste it.
    block = f"{field}: |-\n" + "".join(f"  {line}\n" for line in payload.split("\n"))
    rest = "" if field == "summary" else " speaks about relations"
    content = _run(_replace(STATEMENT, old[field] + rest + "\n", block), tmp_path, monkeypatch)
    code = main(["validate", "content", "--strict"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    _check_output(captured.err, captured.out, code)
    result = validate_archive(content, strict=True)
    assert result.archive is not None
    statement = result.archive.statements[STATEMENT_ID]
    assert getattr(statement, field) == payload


# --- properties ------------------------------------------------------------------------------
YAMLISH = st.lists(
    st.sampled_from(
        [
            *":-?[]{},#&*!|>'\"%@`~ \n\t\r.0123456789eExXoObB_+",
            *["id", "title", "NO", "yes", "on", "null", "true", "---", "...", "<<", "!!str"],
            *["é", "中", "\u202e", "\x00", "\x85", "\ufeff", "\ufffe", "\\u202e", "\\x07", "\\"],
        ]
    ),
    max_size=60,
).map("".join)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sane(problems: list[load.Problem] | tuple[load.Problem, ...]) -> None:
    for p in problems:
        assert p.line >= 1 and p.column >= 1, p
        assert p.message and p.hint, p
        assert p.severity in ("error", "warning")


@PROPERTY
@given(st.one_of(YAMLISH, st.text(max_size=200)))
def test_reading_yaml_never_raises(text: str) -> None:
    loaded = read_yaml(text, "x.yml", Wanted(), tree=True)
    assert loaded is not None
    root, problems = loaded.root, loaded.problems
    _sane(problems)
    if root is None:
        assert any(p.severity == "error" for p in problems)


@PROPERTY
@given(st.binary(max_size=300))
def test_decode_then_load_never_raises(data: bytes) -> None:
    text, problems = load.decode(data, "x.yml")
    _sane(problems)
    if text is None:
        assert problems
        return
    loaded = read_yaml(text, "x.yml", Wanted(), tree=True)
    assert loaded is not None
    found = loaded.problems
    _sane(found)


@pytest.fixture(scope="module")
def scratch() -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        for rel, text in BASE.items():
            path = content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        yield content  # type: ignore[misc]


@PROPERTY
@given(data=st.one_of(YAMLISH.map(str.encode), st.binary(max_size=200)))
def test_validate_archive_never_raises(scratch: Path, data: bytes) -> None:
    (scratch / TOPIC).write_bytes(data)
    try:
        result = validate_archive(scratch)
    finally:
        (scratch / TOPIC).write_text(BASE[TOPIC], encoding="utf-8")
    _sane(result.problems)
    if result.errors:
        assert result.archive is None


# Text an editor can type: anything but the characters the validator refuses on purpose.
TYPED = st.text(
    st.characters(
        exclude_categories=("Cs", "Cc"),
        exclude_characters="\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        "\ufffe\uffff\ufeff",
    ),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() != "" and not s.startswith("TODO"))


@PROPERTY
@given(value=TYPED)
def test_field_values_round_trip_exactly(scratch: Path, value: str) -> None:
    path = scratch / STATEMENT
    original = path.read_text(encoding="utf-8")
    # A JSON string is a YAML double-quoted scalar (but for JSON's surrogate-pair escapes,
    # which ensure_ascii=False avoids).
    text = original.replace(
        "summary: Petrov said that relations are good.",
        "summary: " + json.dumps(value, ensure_ascii=False),
    ).replace(
        "title: Petrov speaks about relations", "title: " + json.dumps(value, ensure_ascii=False)
    )
    path.write_text(text, encoding="utf-8")
    try:
        result = validate_archive(scratch, strict=True)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.problems == (), (value, result.problems)
    assert result.archive is not None
    statement = result.archive.statements[STATEMENT_ID]
    assert statement.summary == value
    assert statement.title == value
