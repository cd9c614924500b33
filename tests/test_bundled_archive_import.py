"""The bundled archive's statements.csv through `briefing import` into an empty archive."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, needs_bundled_archive
from test_csv_import import round_trip


@needs_bundled_archive
def test_export_import_export_of_the_bundled_archive_gives_the_same_csv(tmp_path: Path) -> None:
    first, second, target = round_trip(ROOT / "content", tmp_path)
    assert second == first
    assert len(list((target / "statements").rglob("*.yml"))) == 5
