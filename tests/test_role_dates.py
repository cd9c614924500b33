"""An actor's role dates: as precise as known, and never a crash on what the schema allows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import BASE, briefing


@pytest.mark.parametrize(
    ("written", "start"),
    [
        ("2020", dt.date(2020, 1, 1)),
        ("2020.0", dt.date(2020, 1, 1)),  # a number JSON Schema counts as an integer
        ("2020-03", dt.date(2020, 3, 1)),
        ('"2020-03-05"', dt.date(2020, 3, 5)),
    ],
)
def test_a_role_start_the_schema_accepts_validates_and_builds(
    tmp_path: Path, written: str, start: dt.date
) -> None:
    from generator.records.validate import validate_archive

    actors = {rel: text for rel, text in BASE.items() if rel.startswith("actors/")}
    rel, text = next((r, t) for r, t in actors.items() if "roles:" in t)
    for other, body in BASE.items():
        path = tmp_path / "content" / other
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("from:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f"{indent}from: {written}"
    (tmp_path / "content" / rel).write_text("\n".join(lines) + "\n", encoding="utf-8")

    run = briefing("validate", "content", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    result = validate_archive(tmp_path / "content")
    assert result.archive is not None
    starts = [role.start for a in result.archive.actors.values() for role in a.roles]
    assert start in starts
