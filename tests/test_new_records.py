"""`briefing new topic|briefing`, the `$schema` line of every skeleton, and the statement
skeleton as a draft."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, briefing

from generator.records.validate import validate_archive

SCHEMA_LINE = "# yaml-language-server: $schema="


def _first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0]


def test_new_topic(repo: Path) -> None:
    run = briefing(
        "new", "topic", "--title", 'Trade: "talks" & #tariffs', "--description", "Tariffs.",
        cwd=repo,
    )  # fmt: skip
    assert run.code == 0, run.err
    path = repo / "content" / "topics" / "trade-talks-tariffs.yml"
    assert "wrote content/topics/trade-talks-tariffs.yml" in run.out
    result = validate_archive(repo / "content", strict=True)
    assert result.problems == ()
    topic = result.archive.topics["trade-talks-tariffs"]  # type: ignore[union-attr]
    assert (topic.title, topic.description) == ('Trade: "talks" & #tariffs', "Tariffs.")
    assert topic.path == "topics/trade-talks-tariffs.yml"
    # Without a description the field is there to fill in, commented out.
    run = briefing("new", "topic", "--title", "Energy", "--id", "energy-policy", cwd=repo)
    assert run.code == 0, run.err
    text = (repo / "content" / "topics" / "energy-policy.yml").read_text("utf-8")
    assert '# description: "..."' in text
    result = validate_archive(repo / "content", strict=True)
    assert result.problems == ()
    assert result.archive.topics["energy-policy"].description is None  # type: ignore[union-attr]
    # Never over an existing record.
    before = path.read_bytes()
    run = briefing("new", "topic", "--title", "Other", "--id", "trade-talks-tariffs", cwd=repo)
    assert run.code == 1 and "already exists" in run.err and path.read_bytes() == before


def test_new_briefing(repo: Path) -> None:
    run = briefing(
        "new", "briefing", "--title", "Weekly briefing", "--publisher", "Example News",
        "--published", "2023-06-01", "--url", "https://example.org/weekly", cwd=repo,
    )  # fmt: skip
    assert run.code == 0, run.err
    path = repo / "content" / "briefings" / "weekly-briefing-2023-06-01.yml"
    assert path.is_file()
    result = validate_archive(repo / "content", strict=True)
    assert result.problems == ()
    made = result.archive.briefings["weekly-briefing-2023-06-01"]  # type: ignore[union-attr]
    assert (made.title, made.publisher, str(made.published), made.url) == (
        "Weekly briefing", "Example News", "2023-06-01", "https://example.org/weekly",
    )  # fmt: skip
    assert "briefing: weekly-briefing-2023-06-01" in path.read_text("utf-8")  # how to cite it
    # Without --url, the field is commented out; the record is still valid.
    run = briefing(
        "new", "briefing", "--title", "Notes", "--publisher", "Example News",
        "--published", "2023-06-02", "--id", "notes", cwd=repo,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "# url: https://..." in (repo / "content" / "briefings" / "notes.yml").read_text()
    assert validate_archive(repo / "content", strict=True).problems == ()


def test_new_briefing_refuses_bad_input(repo: Path) -> None:
    base = ["new", "briefing", "--title", "X", "--publisher", "P"]
    run = briefing(*base, "--published", "2023-02-30", cwd=repo)
    assert run.code == 1 and "--published '2023-02-30' is not a date" in run.err
    run = briefing(*base, "--published", "2023-06-01", "--url", "ftp://x", cwd=repo)
    assert run.code == 1 and "is not an absolute http:// or https:// address" in run.err
    run = briefing(*base, "--published", "2023-06-01", "--id", "Bad_Id", cwd=repo)
    assert run.code == 1 and "not a valid id" in run.err
    assert sorted(p.name for p in (repo / "content" / "briefings").iterdir()) == [
        "daily-briefing-2023-05-02.yml"
    ]


def test_new_statement_is_a_draft_that_validates_strictly(repo: Path) -> None:
    run = briefing(
        "new", "statement", "--date", "2023-06-02", "--actor", "ivan-petrov", "--title", "T",
        cwd=repo,
    )  # fmt: skip
    assert run.code == 0, run.err
    path = repo / "content" / "statements" / "2023" / "t-2023-06-02.yml"
    text = path.read_text("utf-8")
    assert "\nstatus: draft\n" in text and "TODO" in text
    strict = briefing("validate", "--strict", cwd=repo)
    assert strict.code == 0, strict.err
    listed = briefing("drafts", cwd=repo)
    assert "content/statements/2023/t-2023-06-02.yml (id: t-2023-06-02): 3 TODO(s)" in listed.out


# --- the $schema line ------------------------------------------------------------------------


def _new_all(repo: Path, cwd: Path | None = None, *extra: str) -> dict[str, Path]:
    """One record of each kind; their paths by kind."""
    runs = {
        "actor": ["actor", "--name", "Li Wei", "--kind", "person"],
        "topic": ["topic", "--title", "Energy"],
        "briefing": ["briefing", "--title", "B", "--publisher", "P", "--published", "2023-06-01"],
        "statement": [
            "statement",
            "--date",
            "2023-06-02",
            "--actor",
            "ivan-petrov",
            "--title",
            "S",
        ],
    }
    for args in runs.values():
        run = briefing("new", *args, *extra, cwd=cwd or repo)
        assert run.code == 0, run.err
    content = repo / "content"
    return {
        "actor": content / "actors" / "li-wei.yml",
        "topic": content / "topics" / "energy.yml",
        "briefing": content / "briefings" / "b-2023-06-01.yml",
        "statement": content / "statements" / "2023" / "s-2023-06-02.yml",
    }


def test_no_schema_line_without_a_copy_to_name(repo: Path) -> None:
    # The fixture's mkdocs.yml has no site_url, and the archive no schemas of its own.
    for kind, path in _new_all(repo).items():
        assert not _first_line(path).startswith(SCHEMA_LINE), kind
    assert validate_archive(repo / "content").errors == ()


def test_schema_line_names_the_published_schemas(repo: Path, tmp_path: Path) -> None:
    # MkDocs' own tags must not keep the site_url from being read.
    (repo / "mkdocs.yml").write_text(
        "site_name: Test\n"
        "site_url: https://example.org/archive/\n"
        "copyright: !ENV [COPYRIGHT, 'none']\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    paths = _new_all(repo, elsewhere, "--content-dir", str(repo / "content"))
    for kind, path in paths.items():
        expected = f"{SCHEMA_LINE}https://example.org/archive/schema/{kind}.schema.json"
        assert _first_line(path) == expected


def test_schema_line_in_the_tools_own_repository(repo: Path) -> None:
    # Where the schemas' source files are in the repository, a path relative to the record.
    shutil.copytree(ROOT / "generator" / "schemas", repo / "generator" / "schemas")
    paths = _new_all(repo)
    for kind, path in paths.items():
        line = _first_line(path)
        assert line.startswith(SCHEMA_LINE), kind
        target = (path.parent / line.removeprefix(SCHEMA_LINE)).resolve()
        assert target == (repo / "generator" / "schemas" / f"{kind}.schema.json").resolve()
    statement = _first_line(paths["statement"])
    assert statement == f"{SCHEMA_LINE}../../../generator/schemas/statement.schema.json"
