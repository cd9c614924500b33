"""Shared fixtures for the record-layer tests: a small valid archive and a CLI runner."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.records.model import Archive

ROOT = Path(__file__).resolve().parents[1]

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2,
    reason="the platform cannot fork, or has one core",
)
"""For tests of a forked second process: the code forks only where this holds."""

# The repository doubles as a template: whoever starts an archive of their own replaces
# content/, and only the tests of the bundled archive (tests/test_bundled_archive*.py,
# tests/browser/test_bundled_archive*.py) read it. They skip unless its briefing is there.
BUNDLED_BRIEFING = "content/briefings/russia-china-relations-briefing-2023-12-18.yml"
needs_bundled_archive = pytest.mark.skipif(
    not (ROOT / BUNDLED_BRIEFING).is_file(),
    reason=f"content/ is not the bundled seed-briefing archive ({BUNDLED_BRIEFING} is missing); "
    "these tests check its transcription",
)
"""For the tests of the bundled archive, the transcription of the seed briefing in content/."""

# A small archive that validates with no problems, even under --strict. Each test copies it
# into tmp_path and breaks one thing.
BASE: dict[str, str] = {
    "actors/russia.yml": """\
id: russia
name: Russia
kind: state
names:
  - name: Россия
    lang: ru
""",
    "actors/ivan-petrov.yml": """\
id: ivan-petrov
name: Ivan Petrov
kind: person
country: russia
roles:
  - title: Minister of Examples
    organization: Government of Examples
    from: "2020-01"
    to: "2024"
links:
  website: https://example.org/petrov
""",
    "topics/relations.yml": """\
id: relations
title: Relations
""",
    "briefings/daily-briefing-2023-05-02.yml": """\
id: daily-briefing-2023-05-02
title: Daily briefing
publisher: Example News
published: 2023-05-02
url: https://example.org/briefing
""",
    "statements/2023/ivan-petrov-remarks-2023-05-01.yml": """\
id: ivan-petrov-remarks-2023-05-01
date: 2023-05-01
actors:
  - ivan-petrov
title: Petrov speaks about relations
kind: statement
summary: Petrov said that relations are good.
quotes:
  - text: relations are good
    lang: en
topics:
  - relations
mentions:
  - russia
sources:
  - title: Petrov on relations
    publisher: Example News
    published: 2023-05-01
    url: https://example.org/petrov-remarks
briefing: daily-briefing-2023-05-02
""",
}
STATEMENT = "statements/2023/ivan-petrov-remarks-2023-05-01.yml"
PERSON = "actors/ivan-petrov.yml"


@dataclass
class Run:
    """The outcome of one `briefing` run."""

    code: int
    out: str
    err: str


@pytest.fixture(autouse=True, scope="session")
def _cache_of_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The validation and template caches go to a folder of this test run, for every test
    and every command it starts: not into the user's ~/.cache, which would otherwise collect
    two files for each of the thousands of temporary content folders the tests make."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository folder holding mkdocs.yml and a copy of BASE in content/."""
    root = tmp_path / "repo"
    for rel, text in BASE.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    return root


@pytest.fixture
def cached_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BASE in tmp_path/content, the working folder tmp_path, a cache folder of its own
    under tmp_path/cache (with the cache switched on)."""
    folder = tmp_path / "content"
    for rel, text in BASE.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFING_CACHE", raising=False)
    return folder


def briefing(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run the real `briefing` CLI (`python -m generator.cli`) in a subprocess."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def where(path: Path, needle: str, root: Path, occurrence: int = 1) -> str:
    """`path:line:column` (relative to `root`) of the n-th `needle` in the file's text."""
    text = path.read_bytes().decode("utf-8")
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{path.relative_to(root).as_posix()}:{line}:{column}"


@pytest.fixture(scope="session")
def archive() -> Archive:
    """The mini fixture archive (tests/fixtures/mini/content), which validates cleanly.

    Its models are frozen, so every test may share it; test files about another archive
    (the bundled one, small hand-made ones) define their own `archive`.
    """
    from _site_support import FIXTURE_CONTENT

    from generator.records.validate import validate_archive

    result = validate_archive(FIXTURE_CONTENT)
    assert not result.errors, "\n".join(p.format() for p in result.errors)
    assert result.archive is not None
    return result.archive
