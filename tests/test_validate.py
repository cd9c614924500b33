"""`briefing validate` (issue 2): every check, through the real CLI in a subprocess.

Each case copies the small valid archive of conftest.BASE, breaks one file, and asserts the
exit code, the exact `path:line:column` of the problem (computed from the broken file's
text, not copied from output), a hint line under it, and that no traceback escaped.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import PERSON, STATEMENT, Run, briefing, where

from generator.records import load
from generator.records.yaml_events import MAX_DEPTH

TOPIC = "topics/relations.yml"
BRIEFING = "briefings/daily-briefing-2023-05-02.yml"


def edit(repo: Path, rel: str, old: str, new: str) -> Path:
    path = repo / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def validate(repo: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    run = briefing("validate", "content", *args, cwd=repo, env=env)
    assert "Traceback" not in run.err + run.out
    assert run.code in (0, 1), run.err
    return run


def problem(run: Run, loc: str, fragment: str, severity: str = "error") -> str:
    """The problem line at `loc` containing `fragment`; asserts a hint follows it."""
    lines = run.err.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"{loc}: {severity}: ") and fragment in line:
            assert i + 1 < len(lines) and lines[i + 1].startswith("    hint: "), line
            assert len(lines[i + 1]) > len("    hint: ")
            return line
    pytest.fail(f"no {severity} at {loc} containing {fragment!r} in:\n{run.err}")


def at(path: Path, repo: Path, needle: str, shift: int = 0, occurrence: int = 1) -> str:
    loc = where(path, needle, repo, occurrence)
    file, line, col = loc.rsplit(":", 2)
    return f"{file}:{line}:{int(col) + shift}"


def test_valid_archive_exits_0_and_counts_records(repo: Path) -> None:
    run = validate(repo, "--strict")
    assert run.code == 0, run.err
    assert run.err == ""
    assert "checked 5 records" in run.out
    assert "1 statements, 2 actors, 1 topics, 1 briefings" in run.out


def test_missing_content_folder(tmp_path: Path) -> None:
    run = briefing("validate", "nowhere", cwd=tmp_path)
    assert run.code == 1
    assert "Traceback" not in run.err
    problem(run, "nowhere:1:1", "does not exist")


# --- YAML traps ------------------------------------------------------------------------------
# (file, old, new, needle marking the place, shift from the needle, message fragment)
YAML_TRAPS = {
    "duplicate-key": (
        STATEMENT,
        "kind: statement\n",
        "kind: statement\nkind: speech\n",
        "kind: speech",
        0,
        "duplicate key `kind` (first written at line 6)",
    ),
    "bool-NO": (TOPIC, "title: Relations", "title: NO", "title: NO", 7, "boolean"),
    "bool-yes": (PERSON, "name: Ivan Petrov", "name: yes", "name: yes", 6, "boolean"),
    "bool-on": (TOPIC, "title: Relations", "title: on", "title: on", 7, "boolean"),
    "sexagesimal": (BRIEFING, "title: Daily briefing", "title: 1:30", "1:30", 0, "base-60"),
    "octal": (TOPIC, "title: Relations", "title: 012", "012", 0, "octal"),
    "anchor": (
        STATEMENT,
        "summary: Petrov",
        "summary: &s Petrov",
        "&s",
        0,
        "anchor `&s` is not allowed",
    ),
    "alias": (
        STATEMENT,
        "summary: Petrov said that relations are good.\n",
        "summary: &s Petrov said that relations are good.\nnotes: *s\n",
        "*s",
        0,
        "alias `*s` is not allowed",
    ),
    "merge-key": (
        PERSON,
        "    organization: Government of Examples\n",
        "    organization: Government of Examples\n    <<: {title: Chief}\n",
        "<<",
        0,
        "merge keys",
    ),
    "tag-core": (TOPIC, "title: Relations", "title: !!str 012", "!!str", 0, "tag `tag:yaml"),
    "tag-local": (TOPIC, "title: Relations", "title: !note Relations", "!note", 0, "tag `!note`"),
    "second-document": (
        TOPIC,
        "title: Relations\n",
        "title: Relations\n---\nid: other\n",
        "---",
        0,
        "second YAML document",
    ),
    "tab": (STATEMENT, "kind: statement", "kind:\tstatement", "\t", 0, "tab character"),
    "impossible-date": (STATEMENT, "date: 2023-05-01", "date: 2023-02-30", "2023-02-30", 0, ""),
    "datetime": (
        STATEMENT,
        "date: 2023-05-01",
        "date: 2023-05-01T10:30:00",
        "2023-05-01T",
        0,
        "holds a date and time",
    ),
    "datetime-space": (
        BRIEFING,
        "published: 2023-05-02",
        "published: 2023-05-02 10:30",
        "2023-05-02 10:30",
        0,
        "holds a date and time",
    ),
    "impossible-month-in-role": (PERSON, 'from: "2020-01"', 'from: "2020-13"', "2020-13", -1, ""),
    "list-for-mapping-record": (
        TOPIC,
        "id: relations\ntitle: Relations\n",
        "- id: relations\n- title: Relations\n",
        "- id",
        0,
        "the record is a list",
    ),
    "scalar-record": (TOPIC, "id: relations\ntitle: Relations\n", "relations\n", "rel", 0, ""),
    "mapping-for-list": (
        STATEMENT,
        "actors:\n  - ivan-petrov\n",
        "actors:\n  who: ivan-petrov\n",
        "who:",
        0,
        "`actors` should be a list",
    ),
    "syntax-error": (TOPIC, "title: Relations", "title: a: b", "a: b", 1, "YAML syntax: mapping"),
}
# Expected message fragments that depend on the value are filled in here.
_DATE_MSG = {
    "impossible-date": "2023-02-30 is not a real calendar date",
    "impossible-month-in-role": "2020-13 is not a real calendar date",
    "scalar-record": "the record is a single value",
}


@pytest.mark.parametrize("case", list(YAML_TRAPS))
def test_yaml_trap(repo: Path, case: str) -> None:
    rel, old, new, needle, shift, fragment = YAML_TRAPS[case]
    path = edit(repo, rel, old, new)
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, needle, shift), fragment or _DATE_MSG[case])
    assert "error(s)" in run.err


def test_latin1_bytes(repo: Path) -> None:
    path = repo / "content" / TOPIC
    path.write_bytes("id: relations\ntitle: Relações\n".encode("latin-1"))
    run = validate(repo)
    assert run.code == 1
    # line 2, after "title: Rela" (11 characters), the byte 0xe7 of "ç"
    problem(run, "content/topics/relations.yml:2:12", "not valid UTF-8 (byte 0xe7)")


def test_latin1_column_counts_characters_not_bytes(repo: Path) -> None:
    path = repo / "content" / TOPIC
    path.write_bytes("id: relations\ntitle: Россия ".encode() + b"\xff\n")
    run = validate(repo)
    # "title: Россия " is 14 characters but 20 bytes
    problem(run, "content/topics/relations.yml:2:15", "not valid UTF-8 (byte 0xff)")


def test_utf16(repo: Path) -> None:
    path = repo / "content" / TOPIC
    path.write_bytes("id: relations\ntitle: Relations\n".encode("utf-16"))
    run = validate(repo)
    assert run.code == 1
    problem(run, "content/topics/relations.yml:1:1", "not valid UTF-8")


def test_utf8_bom_is_accepted(repo: Path) -> None:
    path = repo / "content" / TOPIC
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    run = validate(repo, "--strict")
    assert run.code == 0, run.err


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_file(repo: Path, text: str) -> None:
    (repo / "content" / TOPIC).write_text(text, encoding="utf-8")
    run = validate(repo)
    assert run.code == 1
    problem(run, "content/topics/relations.yml:1:1", "the file is empty")


def test_deep_nesting(repo: Path) -> None:
    depth = MAX_DEPTH + 5
    path = edit(repo, STATEMENT, "kind: statement\n", f"kind: statement\nnotes: {'[' * depth}x")
    path.write_text(path.read_text() + "]" * depth + "\n")
    run = validate(repo)
    assert run.code == 1
    # the record's mapping is the first level, so the MAX_DEPTH-th `[` goes too deep
    loc = at(path, repo, "notes: ", len("notes: ") + MAX_DEPTH - 1)
    problem(run, loc, f"nesting deeper than {MAX_DEPTH} levels")


def test_oversized_file(repo: Path) -> None:
    path = repo / "content" / TOPIC
    head = "id: relations\ntitle: Relations\ndescription: "
    filler = "x" * (load.MAX_BYTES - len(head))
    path.write_text(head + filler + "\n", encoding="utf-8")  # one byte over the limit
    assert path.stat().st_size == load.MAX_BYTES + 1
    run = validate(repo)
    assert run.code == 1
    problem(run, "content/topics/relations.yml:1:1", f"the limit is {load.MAX_BYTES:,}")


def test_file_at_the_size_limit_is_read(repo: Path) -> None:
    path = repo / "content" / TOPIC
    head = "id: relations\ntitle: Relations\ndescription: "
    path.write_text(head + "x" * (load.MAX_BYTES - len(head) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == load.MAX_BYTES
    assert validate(repo, "--strict").code == 0


# --- schema ------------------------------------------------------------------------------------
SCHEMA_CASES = {
    "wrong-type-number": (
        STATEMENT,
        "title: Petrov speaks about relations",
        "title: 42",
        "42",
        0,
        "`title` should be a text, not number",
    ),
    "wrong-type-list": (
        TOPIC,
        "title: Relations",
        "title: [a, b]",
        "[a",
        0,
        "`title` should be a text, not a list",
    ),
    "empty-value": (STATEMENT, "title: Petrov speaks about relations", "title:", "title:", 6, ""),
    "enum": (STATEMENT, "kind: statement", "kind: rant", "rant", 0, "not one of the allowed"),
    "actor-kind-enum": (PERSON, "kind: person", "kind: human", "human", 0, "one of the allowed"),
    "unknown-key": (
        STATEMENT,
        "kind: statement\n",
        "kind: statement\ncolour: red\n",
        "colour",
        0,
        "",
    ),
    "unknown-nested-key": (
        STATEMENT,
        "    published: 2023-05-01\n",
        "    published: 2023-05-01\n    page: 3\n",
        "page: 3",
        0,
        "unknown field `page`",
    ),
    "date-pattern": (STATEMENT, "date: 2023-05-01", "date: 1 May 2023", "1 May", 0, "YYYY-MM-DD"),
    "no-source": (
        STATEMENT,
        "briefing: daily-briefing-2023-05-02\n",
        "",
        "id:",
        0,
        "",
    ),
    "empty-actors": (STATEMENT, "actors:\n  - ivan-petrov\n", "actors: []\n", "[]", 0, "empty"),
    "quote-original-without-lang": (
        STATEMENT,
        "    lang: en\n",
        "    lang: en\n    original: отношения хорошие\n",
        "text: relations",
        0,
        "also needs `original_lang`",
    ),
    "lang-tag": (STATEMENT, "    lang: en", "    lang: English", "English", 0, "language tag"),
}
_SCHEMA_MSG = {
    "empty-value": "`title` should be a text, not empty",
    "unknown-key": "unknown field `colour`",
}


@pytest.mark.parametrize("case", list(SCHEMA_CASES))
def test_schema(repo: Path, case: str) -> None:
    rel, old, new, needle, shift, fragment = SCHEMA_CASES[case]
    path = edit(repo, rel, old, new)
    if case == "no-source":  # neither `sources` nor `briefing`
        text = path.read_text()
        path.write_text(text[: text.index("sources:")])
        fragment = "names no source"
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, needle, shift), fragment or _SCHEMA_MSG[case])


def test_missing_required_field_points_at_the_record(repo: Path) -> None:
    path = edit(repo, STATEMENT, "kind: statement\n", "")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, "id:"), "missing the required field `kind`")


def test_missing_required_field_in_a_list_item(repo: Path) -> None:
    path = edit(repo, STATEMENT, "    publisher: Example News\n", "")
    run = validate(repo)
    problem(run, at(path, repo, "title: Petrov on"), "missing the required field `publisher`")


def test_unknown_key_after_comment_lines(repo: Path) -> None:
    path = repo / "content" / TOPIC
    path.write_text("# a comment\n\nid: relations\ntitle: Relations\n  # x\nsubtitle: x\n")
    run = validate(repo)
    problem(run, "content/topics/relations.yml:6:1", "unknown field `subtitle`")


# --- ids -----------------------------------------------------------------------------------------
def test_id_pattern(repo: Path) -> None:
    path = edit(repo, TOPIC, "id: relations", "id: Relations_1")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, "Relations_1"), "not a valid id")


def test_id_too_long(repo: Path) -> None:
    ident = "a" * 81
    path = repo / "content" / "topics" / f"{ident}.yml"
    path.write_text(f"id: {ident}\ntitle: Long\n")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, ident), "longer than 80 characters")


def test_id_of_80_characters_is_fine(repo: Path) -> None:
    ident = "a" * 80
    (repo / "content" / "topics" / f"{ident}.yml").write_text(f"id: {ident}\ntitle: Long\n")
    assert validate(repo, "--strict").code == 0


def test_id_differs_from_file_stem(repo: Path) -> None:
    path = edit(repo, TOPIC, "id: relations", "id: relation")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, "relation\n"), "does not match the file name `relations.yml`")


def test_same_statement_id_in_two_year_folders(repo: Path) -> None:
    src = repo / "content" / STATEMENT
    (repo / "content" / "statements" / "2022").mkdir()
    copy = repo / "content" / "statements" / "2022" / src.name
    shutil.copy(src, copy)
    run = validate(repo)
    assert run.code == 1
    # folders are walked in order, so the 2023 file is the second holder of the id
    problem(run, f"content/{STATEMENT}:1:1", "id `ivan-petrov-remarks-2023-05-01` is used twice")
    problem(run, at(copy, repo, "date: 2023-05-01", 6), "filed under statements/2022/")


def test_case_collision(repo: Path) -> None:
    actors = repo / "content" / "actors"
    (actors / "Putin.yml").write_text("id: putin\nname: Putin\nkind: person\n")
    (actors / "putin.yml").write_text("id: putin\nname: Putin\nkind: person\n")
    if len(list(actors.glob("*utin.yml"))) < 2:
        pytest.skip("case-insensitive file system")
    run = validate(repo)
    assert run.code == 1
    problem(run, "content/actors/putin.yml:1:1", "differ only by case or Unicode form")
    problem(run, "content/actors/Putin.yml:1:5", "does not match the file name `Putin.yml`")


def test_unicode_normalisation_collision(repo: Path) -> None:
    topics = repo / "content" / "topics"
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    for name in (nfc, nfd):
        (topics / f"{name}.yml").write_text("id: cafe\ntitle: Café\n")
    if len(list(topics.glob("caf*.yml"))) < 2:
        pytest.skip("the file system normalises names")
    run = validate(repo)
    assert run.code == 1
    second = sorted([nfc, nfd])[1]  # the walk visits names in sorted order
    problem(run, f"content/topics/{second}.yml:1:1", "differ only by case or Unicode form")


def test_symlinked_file(repo: Path) -> None:
    link = repo / "content" / "actors" / "alias.yml"
    link.symlink_to("russia.yml")
    run = validate(repo)
    assert run.code == 1
    # the problem names the link itself, not the file it points at
    problem(run, "content/actors/alias.yml:1:1", "symlink in content/")
    assert "content/actors/russia.yml:" not in run.err


def test_symlink_pointing_outside(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yml"
    outside.write_text("id: secret\ntitle: Secret\n")
    (repo / "content" / "topics" / "secret.yml").symlink_to(outside)
    run = validate(repo)
    assert run.code == 1
    problem(run, "content/topics/secret.yml:1:1", "symlink in content/")


def test_symlinked_folder(repo: Path) -> None:
    (repo / "content" / "statements" / "2024").symlink_to("2023", target_is_directory=True)
    run = validate(repo)
    assert run.code == 1
    problem(run, "content/statements/2024:1:1", "symlinked folder in content/")
    assert "content/statements/2024/" not in run.err  # not followed


def test_not_a_regular_file(repo: Path) -> None:
    os.mkfifo(repo / "content" / "topics" / "pipe.yml")
    run = validate(repo)
    assert run.code == 1
    problem(run, "content/topics/pipe.yml:1:1", "not a regular file")


@pytest.mark.parametrize("stem", ["con", "nul", "com1", "lpt9"])
def test_reserved_device_names(repo: Path, stem: str) -> None:
    (repo / "content" / "topics" / f"{stem}.yml").write_text(f"id: {stem}\ntitle: Device\n")
    run = validate(repo)
    assert run.code == 1
    problem(run, f"content/topics/{stem}.yml:1:1", f"`{stem}` is a reserved device name")


@pytest.mark.parametrize(
    ("rel", "name", "fragment"),
    [
        ("statements/2023/x.yaml", "x.yaml", "end in .yml, not .yaml"),
        ("statements/2023/x.YML", "x.YML", "end in .yml, not .YML"),
        ("statements/x.yml", "x.yml", "outside the known folders"),
        ("statements/23/x.yml", "x.yml", "outside the known folders"),
        ("x.yml", "x.yml", "outside the known folders"),
    ],
)
def test_misplaced_files(repo: Path, rel: str, name: str, fragment: str) -> None:
    path = repo / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("id: x\ntitle: X\n")
    run = validate(repo)
    assert run.code == 1
    problem(run, f"content/{rel}:1:1", fragment)


def test_non_record_files_are_ignored(repo: Path) -> None:
    (repo / "content" / "README.md").write_text("# notes\n")
    (repo / "content" / "actors" / ".draft.yml").write_text(": broken\n")
    assert validate(repo, "--strict").code == 0


# --- references ------------------------------------------------------------------------------
REFERENCES = {
    "actor": (STATEMENT, "  - ivan-petrov\n", "  - ivan-petrova\n", "ivan-petrova", "actor"),
    "mention": (STATEMENT, "  - russia\n", "  - rusia\n", "rusia", "actor"),
    "topic": (STATEMENT, "  - relations\n", "  - relationz\n", "relationz", "topic"),
    "briefing": (
        STATEMENT,
        "briefing: daily-briefing-2023-05-02",
        "briefing: weekly-briefing",
        "weekly-briefing",
        "briefing",
    ),
    "related": (
        STATEMENT,
        "topics:\n",
        "related:\n  - no-such-statement\ntopics:\n",
        "no-such-statement",
        "statement",
    ),
    "country": (PERSON, "country: russia", "country: atlantis", "atlantis", "actor"),
}


@pytest.mark.parametrize("case", list(REFERENCES))
def test_reference_must_exist(repo: Path, case: str) -> None:
    rel, old, new, ref, target = REFERENCES[case]
    path = edit(repo, rel, old, new)
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, ref), f"{target} `{ref}`, which does not exist")


def test_country_must_be_a_state(repo: Path) -> None:
    path = edit(repo, PERSON, "country: russia", "country: ivan-petrov")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, "ivan-petrov", occurrence=2), "`ivan-petrov`, which is not a state")


def test_reference_to_a_record_of_another_kind(repo: Path) -> None:
    # `relations` is a topic, not an actor
    path = edit(repo, STATEMENT, "  - russia\n", "  - relations\n")
    run = validate(repo)
    loc = at(path, repo, "  - relations\n", 4, occurrence=2)  # topics come before mentions
    problem(run, loc, "actor `relations`, which does not exist")


# --- URLs ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//example.org/x",
        "/relative/path",
        "relative/path",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "https://",
        "https:// example.org",
        "mailto:a@example.org",
    ],
)
def test_url_must_be_http(repo: Path, url: str) -> None:
    path = edit(repo, STATEMENT, "https://example.org/petrov-remarks", f"'{url}'")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, f"'{url}'"), "not an absolute http(s) address")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [("http://:80/x", "has no host name"), ("http://[::1/x", "not a valid address")],
)
def test_url_without_a_usable_host(repo: Path, url: str, fragment: str) -> None:
    path = edit(repo, PERSON, "https://example.org/petrov", f"'{url}'")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, f"'{url}'"), fragment)


# --- characters ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("char", "fragment"),
    [
        ("\x07", "control character U+0007"),
        ("\x1b", "control character U+001B"),
        ("\x7f", "control character U+007F"),
        ("\u202e", "bidirectional control character U+202E"),
        ("\u2066", "bidirectional control character U+2066"),
    ],
)
def test_forbidden_characters(repo: Path, char: str, fragment: str) -> None:
    path = edit(repo, STATEMENT, "relations are good.", f"relations {char}are good.")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, char), fragment)


def test_lone_carriage_return(repo: Path) -> None:
    path = repo / "content" / TOPIC
    path.write_bytes(b"id: relations\ntitle: Rel\rations\n")
    run = validate(repo)
    assert run.code == 1
    problem(run, "content/topics/relations.yml:2:11", "carriage return")


def test_crlf_line_endings_are_fine(repo: Path) -> None:
    path = repo / "content" / STATEMENT
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert validate(repo, "--strict").code == 0


# --- warnings ------------------------------------------------------------------------------------
def _expect_warning(repo: Path, loc: str, fragment: str, env: dict[str, str] | None = None) -> None:
    run = validate(repo, env=env)
    assert run.code == 0, run.err
    problem(run, loc, fragment, "warning")
    assert "1 warning(s), no errors" in run.out
    strict = validate(repo, "--strict", env=env)
    assert strict.code == 1
    problem(strict, loc, fragment, "error")


def test_source_published_before_the_statement(repo: Path) -> None:
    path = edit(repo, STATEMENT, "    published: 2023-05-01", "    published: 2023-04-28")
    loc = at(path, repo, "title: Petrov on relations")  # the source's entry
    _expect_warning(repo, loc, "the source is dated 2023-04-28, before the statement (2023-05-01)")


def test_briefing_published_before_the_statement(repo: Path) -> None:
    path = edit(repo, STATEMENT, "date: 2023-05-01", "date: 2023-05-03")
    edit(repo, STATEMENT, "    published: 2023-05-01", "    published: 2023-05-03")
    loc = at(path, repo, "daily-briefing-2023-05-02\n")
    _expect_warning(repo, loc, "the source is dated 2023-05-02, before the statement (2023-05-03)")


def test_date_note_acknowledges_an_earlier_source(repo: Path) -> None:
    edit(repo, STATEMENT, "    published: 2023-05-01", "    published: 2023-04-28")
    edit(repo, STATEMENT, "actors:\n", "date_note: The report predates the speech.\nactors:\n")
    run = validate(repo, "--strict")
    assert run.code == 0, run.err


def test_future_date(repo: Path) -> None:
    path = repo / "content" / STATEMENT
    today = {"SOURCE_DATE_EPOCH": "1682812800"}  # 2023-04-30 00:00 UTC
    loc = at(path, repo, "date: 2023-05-01", 6)
    _expect_warning(repo, loc, "2023-05-01 is in the future", env=today)


def test_statement_made_today_is_not_in_the_future(repo: Path) -> None:
    run = validate(repo, "--strict", env={"SOURCE_DATE_EPOCH": "1682899200"})  # 2023-05-01
    assert run.code == 0, run.err


def test_role_does_not_cover_the_date(repo: Path) -> None:
    edit(repo, PERSON, 'to: "2024"', 'to: "2023-04"')
    loc = at(repo / "content" / STATEMENT, repo, "ivan-petrov\n")
    _expect_warning(repo, loc, "no recorded role of `ivan-petrov` covers 2023-05-01")


def test_role_ending_in_the_statement_month_covers_it(repo: Path) -> None:
    edit(repo, PERSON, 'to: "2024"', 'to: "2023-05"')  # the whole of May
    assert validate(repo, "--strict").code == 0


def test_role_starting_after_the_statement(repo: Path) -> None:
    edit(repo, PERSON, 'from: "2020-01"', "from: 2023-05-02")
    loc = at(repo / "content" / STATEMENT, repo, "ivan-petrov\n")
    _expect_warning(repo, loc, "covers 2023-05-01")


def test_placeholder_text(repo: Path) -> None:
    path = edit(repo, STATEMENT, "summary: Petrov said", "summary: TODO Petrov said")
    _expect_warning(repo, at(path, repo, "TODO"), "placeholder text")


# --- output formats and the whole run ----------------------------------------------------------
def test_github_format(repo: Path) -> None:
    path = edit(repo, STATEMENT, "kind: statement", "kind: rant")
    edit(repo, TOPIC, "title: Relations", "title: TODO")
    run = validate(repo, "--format", "github")
    assert run.code == 1
    _, line, col = at(path, repo, "rant").rsplit(":", 2)
    lines = run.err.splitlines()
    expected = f"::error file=content/{STATEMENT},line={line},col={col}::"
    assert any(ln.startswith(expected) and "Hint: use one of:" in ln for ln in lines), run.err
    assert any(ln.startswith(f"::warning file=content/{TOPIC},line=2,col=8::") for ln in lines)
    annotations = [ln for ln in lines if ln.startswith("::")]
    assert len(annotations) == 2
    annotation = re.compile(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+::\S")
    assert all(annotation.match(a) for a in annotations)
    assert "hint:" not in run.err  # hints travel inside the annotation


def test_all_errors_reported_at_once(repo: Path) -> None:
    path = edit(repo, STATEMENT, "kind: statement", "kind: rant")
    edit(repo, STATEMENT, "  - ivan-petrov\n", "  - nobody\n")
    edit(repo, STATEMENT, "topics:\n", "colour: red\ntopics:\n")
    other = edit(repo, BRIEFING, "published: 2023-05-02", "published: 2023-02-30")
    run = validate(repo)
    assert run.code == 1
    problem(run, at(path, repo, "rant"), "not one of the allowed values")
    problem(run, at(path, repo, "nobody"), "actor `nobody`, which does not exist")
    problem(run, at(path, repo, "colour"), "unknown field `colour`")
    problem(run, at(other, repo, "2023-02-30"), "not a real calendar date")
    assert "4 error(s), 0 warning(s) in 5 record file(s)" in run.err


def test_problems_are_sorted_by_place(repo: Path) -> None:
    edit(repo, TOPIC, "title: Relations", "title: NO")
    edit(repo, STATEMENT, "kind: statement", "kind: rant")
    edit(repo, PERSON, "kind: person", "kind: human")
    run = validate(repo)
    located = [ln.split(": ")[0] for ln in run.err.splitlines() if ln.startswith("content/")]
    assert len(located) == 3
    keys = [(p.rsplit(":", 2)[0], int(p.rsplit(":", 2)[1])) for p in located]
    assert keys == sorted(keys)


def test_briefing_entry_point(repo: Path) -> None:
    exe = shutil.which("briefing")
    if exe is None:
        pytest.skip("the `briefing` entry point is not installed")
    import subprocess

    proc = subprocess.run(
        [exe, "validate", "content"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "checked 5 records" in proc.stdout


def test_two_spellings_of_one_publisher(repo: Path) -> None:
    # The briefing says "Example News"; a source spelling it differently is flagged there.
    path = edit(repo, STATEMENT, "    publisher: Example News", "    publisher: EXAMPLE  News.")
    loc = at(path, repo, "EXAMPLE  News.")
    _expect_warning(repo, loc, "publisher `EXAMPLE  News.` looks like `Example News`")


def test_acronym_publishers_in_two_languages(repo: Path) -> None:
    edit(repo, "briefings/daily-briefing-2023-05-02.yml", "Example News", "RIA Novosti")
    path = edit(repo, STATEMENT, "    publisher: Example News", "    publisher: RIA News")
    loc = at(path, repo, "RIA News")
    _expect_warning(repo, loc, "publisher `RIA News` looks like `RIA Novosti`")


def test_distinct_publishers_are_not_flagged(repo: Path) -> None:
    edit(repo, STATEMENT, "    publisher: Example News", "    publisher: Channel 12")
    edit(repo, "briefings/daily-briefing-2023-05-02.yml", "Example News", "Channel 1")
    run = validate(repo, "--strict")
    assert run.code == 0, run.err
