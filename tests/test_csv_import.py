"""`briefing import FILE.csv`: a sheet in the format of statements.csv seeds an archive.

Export, import into an empty archive, export again: the same bytes. Bad rows are reported
at `file.csv:row:column` with the validator's hints, all at once, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from _site_support import FIXTURE_CONTENT
from conftest import briefing

from generator import cli
from generator.outputs import downloads
from generator.records.validate import validate_archive

SITE = "https://archive.example/"


def round_trip(content: Path, tmp_path: Path) -> tuple[str, str, Path]:
    """statements.csv of `content`, and of an empty archive after importing it."""
    archive = validate_archive(content).archive
    assert archive is not None
    first = downloads.statements_csv(archive, SITE)
    sheet = tmp_path / "statements.csv"
    sheet.write_bytes(first.encode("utf-8"))
    (tmp_path / "mkdocs.yml").write_text("site_name: Copy\n", encoding="utf-8")
    target = tmp_path / "content"
    assert cli.main(["import", str(sheet), "--content-dir", str(target)]) == 0
    result = validate_archive(target)
    # Only the TODOs of the actors, topics and briefing it had to create.
    assert result.errors == ()
    assert {p.message for p in result.warnings} <= {"placeholder text left in the record"}
    assert result.archive is not None
    return first, downloads.statements_csv(result.archive, SITE), target


def test_export_import_export_gives_the_same_csv(tmp_path: Path) -> None:
    first, second, target = round_trip(FIXTURE_CONTENT, tmp_path)
    assert second == first
    # A quote's original and its language came through (the mini archive has one).
    assert "original_lang: " in "".join(
        p.read_text(encoding="utf-8") for p in (target / "statements").rglob("*.yml")
    )


BAD = (
    "\ufeffid,date,title,kind,actors,actor_names,summary,colour\r\n"
    "good-one-2024-01-01,2024-01-01,Good,statement,ann,Ann,Fine.,\r\n"
)


def test_every_bad_row_is_reported_at_its_cell_and_nothing_is_written(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    (tmp_path / "mkdocs.yml").write_text("site_name: Copy\n", encoding="utf-8")
    sheet.write_text(BAD, encoding="utf-8", newline="")
    run = briefing("import", "sheet.csv", cwd=tmp_path)
    assert run.code == 1
    assert "sheet.csv:1:8: error: unknown column `colour`" in run.err
    rows = (
        "id,date,title,kind,actors,actor_names,summary,quotes,quote_langs\r\n"
        "ok-2024-01-01,2024-01-01,Fine,statement,ann,Ann,Fine.,,\r\n"
        "bad-date-2024-02-30,2024-02-30,Bad date,statement,ann,Ann,Fine.,,\r\n"
        "Bad Id,2024-01-02,Bad id,speach,ann,Ann,,,\r\n"
        'ok-2024-01-01,2024-01-01,Twice,statement,ann,Ann,Fine.,"a; b",en; xx_1\r\n'
    )
    sheet.write_text(rows, encoding="utf-8", newline="")
    run = briefing("import", "sheet.csv", cwd=tmp_path)
    assert run.code == 1, run.out
    err = run.err
    assert "sheet.csv:3:2: error: `2024-02-30` is not a date" in err
    assert "sheet.csv:4:1: error:" in err  # the id's pattern, as the validator says it
    assert "sheet.csv:4:4: error:" in err and "speach" in err  # kind: one of ...
    assert "hint:" in err
    assert "sheet.csv:4:7: error:" in err  # an empty summary
    assert "sheet.csv:5:1: error: statement `ok-2024-01-01` already exists" in err
    assert "sheet.csv:5:9: error:" in err  # a language tag that is not one
    assert "nothing was written" in err
    assert not (tmp_path / "content").exists()


def test_an_import_never_overwrites_a_record(tmp_path: Path) -> None:
    round_trip(FIXTURE_CONTENT, tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / "content").rglob("*.yml")}
    run = briefing("import", "statements.csv", cwd=tmp_path)
    assert run.code == 1
    assert "already exists" in run.err and "nothing was written" in run.err
    assert {p: p.read_bytes() for p in (tmp_path / "content").rglob("*.yml")} == before
