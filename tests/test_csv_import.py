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
        'semi-2024-01-03,2024-01-03,Semi,statement,ann,Ann,Fine.,"a; b; c",en; en\r\n'
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
    assert "sheet.csv:6:8: error: `quotes` splits into 3 items at `; `" in err
    assert "nothing was written" in err
    assert not (tmp_path / "content").exists()


def test_an_import_never_overwrites_a_record(tmp_path: Path) -> None:
    round_trip(FIXTURE_CONTENT, tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / "content").rglob("*.yml")}
    run = briefing("import", "statements.csv", cwd=tmp_path)
    assert run.code == 1
    assert "already exists" in run.err and "nothing was written" in run.err
    assert {p: p.read_bytes() for p in (tmp_path / "content").rglob("*.yml")} == before


TRICKY = {
    "actors/ann.yml": 'id: ann\nname: "Анна =Ann"\nkind: person\n',
    "topics/trade.yml": "id: trade\ntitle: Trade\n",
    "briefings/wire-2024-01-02.yml": (
        'id: wire-2024-01-02\ntitle: "=cmd|\' /C calc\'!A0"\npublisher: "@Wire"\n'
        "published: 2024-01-02\nurl: https://wire.example/b\n"
        "archived_url: https://archive.example/b\n"
    ),
    "statements/2024/full-2024-01-01.yml": """\
id: full-2024-01-01
date: 2024-01-01
date_note: "-said late; reported early"
actors: [ann]
title: '=HYPERLINK("https://evil.example", "click")'
kind: interview
venue: "-2"
location: safe=value
summary: "+1 and a; semicolon\\nacross lines, «ёлки» and Grüße"
quotes:
  - text: "Слово; и дело"
    lang: ru
    original: 词
    original_lang: zh
    translated_by: "@me"
topics: [trade]
sources:
  - title: First
    publisher: Daily
    published: 2024-01-03
  - title: Second
    publisher: Weekly
    published: 2024-01-04
    url: https://weekly.example/2
    archived_url: https://archive.example/2
briefing: wire-2024-01-02
briefing_order: 1
notes: "@note"
""",
    "statements/2024/plain-2024-01-05.yml": """\
id: plain-2024-01-05
date: 2024-01-05
actors: [ann]
title: Plain
kind: statement
summary: Plain.
quotes:
  - text: one
    lang: en
  - text: two
    lang: en
    original: два
    original_lang: ru
related: [full-2024-01-01]
sources:
  - title: Third
    publisher: Daily
    published: 2024-01-06
""",
}


def test_formulas_separators_line_breaks_and_other_scripts_survive_the_round_trip(
    tmp_path: Path,
) -> None:
    content = tmp_path / "source" / "content"
    for rel, text in TRICKY.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    out = tmp_path / "copy"
    out.mkdir()
    first, second, _ = round_trip(content, out)
    assert "'=HYPERLINK" in first and "Слово; и дело" in first  # defused, and one quote
    assert second == first
