"""`briefing new statement|actor`: skeletons at the right path that validate."""

from __future__ import annotations

from pathlib import Path

from conftest import briefing

from generator.records.validate import validate_archive


def new_statement(repo: Path, *extra: str, cwd: Path | None = None):
    args = ["new", "statement", "--date", "2023-06-02", "--actor", "ivan-petrov"]
    return briefing(*args, "--title", "Petrov on trade", *extra, cwd=cwd or repo)


def test_new_statement_writes_a_skeleton_that_validates(repo: Path) -> None:
    run = new_statement(repo)
    assert run.code == 0, run.err
    path = repo / "content" / "statements" / "2023" / "petrov-on-trade-2023-06-02.yml"
    assert path.is_file()
    assert f"wrote content/statements/2023/{path.name}" in run.out
    result = validate_archive(repo / "content")
    # A draft: its TODO placeholders are expected, so not even warnings (tests/test_drafts.py)
    assert result.problems == ()
    statement = result.archive.statements["petrov-on-trade-2023-06-02"]  # type: ignore[union-attr]
    assert statement.title == "Petrov on trade"
    assert statement.actors == ("ivan-petrov",)
    assert str(statement.date) == "2023-06-02"
    assert statement.status == "draft"
    assert "TODO" in path.read_text(encoding="utf-8")
    strict = briefing("validate", "content", "--strict", cwd=repo)
    assert strict.code == 0, strict.err
    # Published without finishing it, the TODOs are warnings again (errors under --strict).
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: draft\n", "status: published\n"), encoding="utf-8")
    strict = briefing("validate", "content", "--strict", cwd=repo)
    assert strict.code == 1
    assert f"{path.relative_to(repo).as_posix()}:" in strict.err
    assert "error: placeholder text left in the record" in strict.err


def test_new_statement_joint_with_explicit_id_and_tricky_title(repo: Path) -> None:
    title = 'NO: "quotes", #hash & 1:30'
    run = briefing(
        "new",
        "statement",
        "--date",
        "2024-01-05",
        "--actor",
        "ivan-petrov",
        "--actor",
        "russia",
        "--kind",
        "joint-statement",
        "--title",
        title,
        "--id",
        "joint-2024",
        cwd=repo,
    )
    assert run.code == 0, run.err
    path = repo / "content" / "statements" / "2024" / "joint-2024.yml"
    assert path.is_file()
    result = validate_archive(repo / "content")
    assert result.errors == (), result.errors
    statement = result.archive.statements["joint-2024"]  # type: ignore[union-attr]
    assert statement.title == title  # kept byte-exact, not read as YAML
    assert statement.actors == ("ivan-petrov", "russia")
    assert statement.kind == "joint-statement"


def test_new_actor_writes_a_record_that_validates(repo: Path) -> None:
    run = briefing("new", "actor", "--name", "Li Wei", "--kind", "person", cwd=repo)
    assert run.code == 0, run.err
    path = repo / "content" / "actors" / "li-wei.yml"
    assert path.is_file()
    result = validate_archive(repo / "content", strict=True)
    assert result.problems == ()
    actor = result.archive.actors["li-wei"]  # type: ignore[union-attr]
    assert (actor.name, actor.kind) == ("Li Wei", "person")


def test_refuses_to_overwrite(repo: Path) -> None:
    path = repo / "content" / "actors" / "russia.yml"
    before = path.read_bytes()
    run = briefing("new", "actor", "--name", "Russia", "--kind", "state", cwd=repo)
    assert run.code == 1
    assert "already exists" in run.err and "Traceback" not in run.err
    assert path.read_bytes() == before

    assert new_statement(repo).code == 0
    written = repo / "content" / "statements" / "2023" / "petrov-on-trade-2023-06-02.yml"
    written.write_text("edited by hand\n")
    again = new_statement(repo)
    assert again.code == 1 and "already exists" in again.err
    assert written.read_text() == "edited by hand\n"


def test_does_not_write_through_a_dangling_symlink(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yml"
    (repo / "content" / "actors" / "li-wei.yml").symlink_to(target)
    run = briefing("new", "actor", "--name", "Li Wei", "--kind", "person", cwd=repo)
    assert run.code == 1 and "already exists" in run.err
    assert not target.exists()


def test_refuses_unknown_actors(repo: Path) -> None:
    run = briefing(
        "new", "statement", "--date", "2023-06-02", "--actor", "ivan-petrov", "--actor",
        "nobody", "--title", "X", cwd=repo,
    )  # fmt: skip
    assert run.code == 1
    assert "no actor record for nobody" in run.err and "Traceback" not in run.err
    assert not list((repo / "content" / "statements").rglob("x-*.yml"))


def test_refuses_actor_paths(repo: Path) -> None:
    # a path that happens to reach an actor file is still not an actor id
    run = briefing(
        "new", "statement", "--date", "2023-06-02", "--actor", "../actors/russia",
        "--title", "X", cwd=repo,
    )  # fmt: skip
    assert run.code == 1
    assert "no actor record for ../actors/russia" in run.err


def test_refuses_bad_input(repo: Path) -> None:
    for extra in (
        ["--date", "2023-02-30"],
        ["--date", "yesterday"],
    ):
        args = ["new", "statement", *extra, "--actor", "russia", "--title", "X"]
        run = briefing(*args, cwd=repo)
        assert run.code == 1 and "not a date" in run.err
    run = new_statement(repo, "--kind", "rant")
    assert run.code == 1 and "--kind must be one of" in run.err
    run = new_statement(repo, "--id", "Bad_Id")
    assert run.code == 1 and "not a valid id" in run.err
    run = briefing("new", "actor", "--name", "X", "--kind", "person", "--id", "../x", cwd=repo)
    assert run.code == 1 and "not a valid id" in run.err
    assert sorted(p.name for p in (repo / "content").rglob("*.yml")) == sorted(
        ["russia.yml", "ivan-petrov.yml", "relations.yml", "daily-briefing-2023-05-02.yml",
         "ivan-petrov-remarks-2023-05-01.yml"]
    )  # fmt: skip


def test_works_from_a_subfolder(repo: Path) -> None:
    sub = repo / "content" / "actors"
    run = new_statement(repo, cwd=sub)
    assert run.code == 0, run.err
    path = repo / "content" / "statements" / "2023" / "petrov-on-trade-2023-06-02.yml"
    assert path.is_file()
    assert not (sub / "content").exists()
    run = briefing("new", "actor", "--name", "Li Wei", "--kind", "person", cwd=sub)
    assert run.code == 0, run.err
    assert (sub / "li-wei.yml").is_file()
    # and `validate` without a folder finds the same content/
    check = briefing("validate", cwd=sub)
    assert check.code == 0, check.err
    assert "checked 7 records" in check.out


def test_long_title_makes_an_id_within_the_limit(repo: Path) -> None:
    run = new_statement(repo, "--title", "word " * 40)  # last --title wins
    assert run.code == 0, run.err
    (path,) = (repo / "content" / "statements" / "2023").glob("word-*.yml")
    assert len(path.stem) <= 80 and path.stem.endswith("-2023-06-02")
    assert validate_archive(repo / "content").errors == ()
