"""The journey of tests/test_init.py: the tool built into a wheel from a clean copy of this
working tree, installed (not editable) into a fresh virtual environment, and used from a
temporary folder to start, fill and build a new archive, as a newcomer would.

Offline: the wheel is built without build isolation and installed without dependencies;
the virtual environment sees the pinned packages of the Python running the tests
(`--system-site-packages`), as an archive's CI sees what its requirements.txt installs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = "site"
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]


SITE_URL = "https://example.github.io/harbour-watch/"
REPO_URL = "https://github.com/example/harbour-watch"
EXPECTED_TREE = {
    ".editorconfig",
    ".github/dependabot.yml",
    ".github/workflows/pages.yml",
    ".github/workflows/pull-request.yml",
    ".gitignore",
    ".vscode/extensions.json",
    ".vscode/settings.json",
    "README.md",
    "content/README.md",
    "content/actors/.gitkeep",
    "content/briefings/.gitkeep",
    "content/statements/.gitkeep",
    "content/topics/.gitkeep",
    "docs/about.md",
    "mkdocs.yml",
    "requirements.txt",
}


def init(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`briefing init` from this checkout, with no terminal on stdin (so it asks nothing)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "init", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load(path: Path) -> dict[Any, Any]:
    """A YAML file that holds a mapping."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def make_archive(where: Path) -> Path:
    """`briefing init` with every option given (the URLs in the forms people paste them)."""
    result = init("arch", "--name", "Harbour Watch", "--site-url", SITE_URL.rstrip("/"),
                  "--repo-url", REPO_URL + ".git", cwd=where)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return where / "arch"


def workflows(archive: Path) -> dict[str, dict[Any, Any]]:
    """The archive's workflows by file name."""
    return {p.name: load(p) for p in sorted((archive / ".github/workflows").glob("*.yml"))}


def steps(workflow: dict[Any, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(job id, step) for every step of every job, in file order."""
    return [(job_id, s) for job_id, job in workflow["jobs"].items() for s in job["steps"]]


@dataclass
class Step:
    """One command of the journey and what it printed."""

    args: list[str]
    code: int
    out: str
    err: str

    def report(self) -> str:
        """The command and its output, for an assertion message."""
        return f"$ {' '.join(self.args)}  (exit {self.code})\n{self.out}\n{self.err}"


@dataclass
class Journey:
    """Where the journey ran and what each step did."""

    work: Path  # the temporary folder the commands run in
    venv: Path
    wheel: Path
    name: str
    archive: Path
    steps: list[Step] = field(default_factory=list)
    init_files: set[str] = field(default_factory=set)  # what `briefing init` wrote
    new_files: set[str] = field(default_factory=set)  # what `briefing new` wrote
    statement_id: str = ""
    failed: Step | None = None

    def env(self) -> dict[str, str]:
        """The environment of an editor who activated the virtual environment."""
        return venv_env(self.venv)

    def run(self, *args: str, cwd: Path | None = None) -> Step:
        """Run a command with the venv's tools first on PATH."""
        proc = subprocess.run(
            list(args),
            cwd=cwd or self.work,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
        )
        step = Step(list(args), proc.returncode, proc.stdout, proc.stderr)
        self.steps.append(step)
        return step

    def step(self, *args: str, cwd: Path | None = None) -> bool:
        """One step of the journey: False (and `failed` set) if it failed."""
        done = self.run(*args, cwd=cwd)
        if done.code != 0:
            self.failed = done
        return done.code == 0


def copy_working_tree(dest: Path) -> None:
    """Tracked and untracked-but-not-ignored files as they are now (uncommitted work too)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if not source.is_file() or source.is_symlink():  # deleted or moved meanwhile
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def build_wheel(source: Path, out: Path) -> Path:
    """`pip wheel` of `source`, offline (no build isolation, no dependencies)."""
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("briefing_archive-*.whl")
    return wheel


def make_venv(venv: Path, wheel: Path) -> None:
    """A virtual environment seeing the pinned packages, with the wheel installed in it."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        [str(venv / "bin" / "python"), *PIP[1:], "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
        env=venv_env(venv),
    )


def venv_env(venv: Path) -> dict[str, str]:
    """The venv's scripts first on PATH, then this Python's (the pinned link checker)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(
        [str(venv / "bin"), str(Path(sys.executable).parent), env.get("PATH", "")]
    )
    env.update(VIRTUAL_ENV=str(venv), NO_COLOR="1", PYTHONIOENCODING="utf-8")
    return env


def files_under(root: Path) -> set[str]:
    """Every file under `root` (POSIX, relative), leaving out the built site."""
    found = set()
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if rel.parts[0] == SITE or rel.parts[0].startswith(f".{SITE}."):
            continue
        if path.is_file() or path.is_symlink():
            found.add(rel.as_posix())
    return found


class _Plain(yaml.SafeDumper):
    """Writes a value met twice (the date) out twice: records refuse anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def edit_statement(path: Path) -> None:
    """What an editor does to the skeleton `briefing new statement` wrote: fill in every
    `TODO` from the source, and take the draft mark off so the statement is published."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.pop("status", None)
    day = record["date"]
    assert isinstance(day, dt.date), record
    record["summary"] = "The harbour master said that the council approved the plan."
    record["sources"] = [
        {
            "title": "Council approves the harbour plan",
            "publisher": "Harbour Gazette",
            "published": day,
            "url": "https://news.example.org/harbour-plan",
        }
    ]
    text = yaml.dump(record, Dumper=_Plain, sort_keys=False, allow_unicode=True)
    assert "TODO" not in text, text
    path.write_text(text, encoding="utf-8")


def run_journey(work: Path, name: str) -> Journey:
    """Build and install the tool, then init, add an actor and a statement, validate, build.

    Stops at the first failing command (Journey.failed says which); never raises for one.
    """
    copy = work / "copy"
    copy_working_tree(copy)
    wheel = build_wheel(copy, work / "wheels")
    make_venv(work / "venv", wheel)
    home = work / "home"  # the commands run here, away from the repository
    home.mkdir()
    journey = Journey(work=home, venv=work / "venv", wheel=wheel, name=name, archive=home / "arch")
    site_url = "https://example.github.io/harbour-watch/"
    repo_url = "https://github.com/example/harbour-watch"
    init = ["briefing", "init", "arch", "--name", name, "--site-url", site_url]
    if not journey.step(*init, "--repo-url", repo_url):
        return journey
    journey.init_files = files_under(journey.archive)
    arch = journey.archive
    steps = [
        ["briefing", "new", "actor", "--name", "Jane Example", "--kind", "person"],
        [
            "briefing",
            "new",
            "statement",
            "--date",
            "2024-03-01",
            "--actor",
            "jane-example",
            "--title",
            "Harbour plan approved",
        ],
    ]
    for args in steps:
        if not journey.step(*args, cwd=arch):
            return journey
    journey.new_files = files_under(arch) - journey.init_files
    statements = sorted(f for f in journey.new_files if f.startswith("content/statements/"))
    if len(statements) != 1:
        journey.failed = Step(["(find the new statement)"], 1, str(journey.new_files), "")
        return journey
    edit_statement(arch / statements[0])
    journey.statement_id = Path(statements[0]).stem
    for args in (["briefing", "validate", "--strict"], ["briefing", "build"]):
        if not journey.step(*args, cwd=arch):
            return journey
    return journey


class _Heading(HTMLParser):
    """The text of the first <h1>, without a permalink anchor's text."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.done = False
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "h1":
            self.depth += 1
        elif self.depth:
            self.tags.append(tag)
            if tag == "a" and "headerlink" in (dict(attrs).get("class") or ""):
                self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.done or not self.depth:
            return
        if tag == "h1":
            self.depth -= 1
            self.done = not self.depth
        elif tag == "a" and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and not self.done:
            self.parts.append(data)


def first_heading(html: str) -> tuple[str | None, list[str]]:
    """The first <h1>'s text (entities decoded; None if there is none) and the tags in it."""
    parser = _Heading()
    parser.feed(html)
    if not parser.done:
        return None, parser.tags
    return "".join(parser.parts).strip(), parser.tags
