"""The repository's tooling: GitHub workflows, pre-commit hook, editor settings, contributor docs.

Each test runs the real tool (zizmor, check-jsonschema, pre-commit, `briefing`) or reads the
real file, so a broken workflow, a hook that lets a bad record through, or documentation that
drifted from the CLI fails here rather than on GitHub or in a contributor's editor.
Nothing here needs the network: zizmor runs with --offline, check-jsonschema uses its
vendored schemas, and the pre-commit hooks are `repo: local` hooks that install nothing.
"""

from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from _site_support import FIXTURE_CONTENT
from _tool_support import run_tool, tool

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
SHA_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VALIDATE_GITHUB = "briefing validate --format github"

# The jobs allowed to hold write scopes, and exactly which: the Pages deploy job needs
# `pages: write` to publish and `id-token: write` for the OIDC token deploy-pages presents.
DEPLOY_ACTION = "actions/deploy-pages"
DEPLOY_SCOPES = {"pages": "write", "id-token": "write"}


# --- helpers --------------------------------------------------------------------------------
def _run(args: list[str], cwd: Path = ROOT, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return run_tool(args, cwd, **extra_env)


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def _triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` block as a mapping. PyYAML (YAML 1.1) reads the bare key `on` as True."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "the workflow has no `on:` triggers"
    return on


def _steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(job id, step) for every step of every job, in file order."""
    return [
        (job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])
    ]


def _runs(workflow: dict[str, Any]) -> list[str]:
    """The `run:` script of each step (empty for `uses:` steps), in file order."""
    return [step.get("run", "") for _, step in _steps(workflow)]


def _index(items: list[str], needle: str, what: str) -> int:
    for i, item in enumerate(items):
        if needle in item:
            return i
    pytest.fail(f"{what}: no step runs `{needle}`")


def _workflow_on(event: str) -> tuple[Path, dict[str, Any]]:
    """The one workflow triggered by `event`."""
    found = [(p, wf) for p in WORKFLOW_FILES if event in _triggers(wf := _load(p))]
    assert len(found) == 1, (
        f"expected one workflow on `{event}`, found {[p.name for p, _ in found]}"
    )
    return found[0]


def test_there_are_workflows() -> None:
    # The parametrized tests below would pass vacuously on an empty folder.
    names = [p.name for p in WORKFLOW_FILES]
    assert len(names) >= 2, f"expected a pull-request and a Pages workflow, found {names}"


# --- static analysis and schema -------------------------------------------------------------
def test_zizmor_offline_reports_nothing() -> None:
    # --no-config: a zizmor.yml cannot quietly disable audits; any suppression has to be an
    # inline `# zizmor: ignore[...]` comment next to the code, with its justification.
    inputs = [".github", ".pre-commit-config.yaml"]
    result = _run([tool("zizmor"), "--offline", "--no-config", "--no-progress", *inputs])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in output, output


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_matches_github_schema(path: Path) -> None:
    cmd = [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)]
    result = _run(cmd)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_config_matches_schema() -> None:
    path = ROOT / ".github" / "dependabot.yml"
    result = _run([tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr
    ecosystems = {u["package-ecosystem"] for u in _load(path)["updates"]}
    assert "github-actions" in ecosystems, "nothing keeps the pinned action SHAs up to date"


# --- workflow security ----------------------------------------------------------------------
@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_privileged_triggers(path: Path) -> None:
    # Both run with a write token and secrets in the context of the base repository while
    # a fork's code may be checked out: the classic "pwn request".
    triggers = _triggers(_load(path))
    assert "pull_request_target" not in triggers
    assert "workflow_run" not in triggers


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha(path: Path) -> None:
    workflow = _load(path)
    uses = [step["uses"] for _, step in _steps(workflow) if "uses" in step]
    uses += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]  # reusable
    assert uses, f"{path.name} uses no actions"
    for ref in uses:
        assert SHA_PINNED.match(ref), f"{path.name}: `{ref}` is not pinned to a full commit SHA"
    # Dependabot keeps the version comment in step with the SHA; a bare SHA says nothing to
    # a reviewer.
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"\s*(-\s+)?uses:", line):
            assert re.search(r"#\s*v\d+(\.\d+)*\s*$", line), f"no `# vX.Y.Z` comment: {line}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_top_level_permissions_are_read_only(path: Path) -> None:
    assert _load(path).get("permissions") == {"contents": "read"}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_write_scopes_only_in_the_deploy_job(path: Path) -> None:
    for job_id, job in _load(path)["jobs"].items():
        perms = job.get("permissions", {})
        assert isinstance(perms, dict), f"{job_id}: `permissions: {perms}` is too broad"
        writes = {scope: level for scope, level in perms.items() if level == "write"}
        if not writes:
            continue
        uses = [step.get("uses", "") for step in job.get("steps", [])]
        assert any(u.startswith(DEPLOY_ACTION + "@") for u in uses), (
            f"{path.name}: job `{job_id}` holds {writes} but does not deploy to Pages"
        )
        assert perms == DEPLOY_SCOPES, f"{path.name}: deploy job permissions are {perms}"
        # It must not run repository code while it holds those scopes.
        assert all(uses), f"{path.name}: `{job_id}` has `run:` steps"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkout_does_not_persist_credentials(path: Path) -> None:
    checkouts = [
        step
        for _, step in _steps(_load(path))
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


# --- what the workflows do ------------------------------------------------------------------
def test_pull_request_workflow_validates_builds_uploads_and_tests() -> None:
    path, workflow = _workflow_on("pull_request")
    runs = _runs(workflow)
    uses = [step.get("uses", "") for _, step in _steps(workflow)]
    validate = _index(runs, VALIDATE_GITHUB, path.name)
    build = _index(runs, "bash scripts/setup.sh build", path.name)
    test = _index(runs, "bash scripts/setup.sh test", path.name)
    upload = _index(uses, "actions/upload-artifact@", path.name)
    # Validate first, so record errors arrive as annotations rather than as a failed build.
    assert validate < build < upload, "order must be: validate, build, upload the site"
    assert validate < test
    site_upload = _steps(workflow)[upload][1]
    assert site_upload["with"]["path"].rstrip("/") == "site"


def test_pages_workflow_builds_then_deploys() -> None:
    path, workflow = _workflow_on("push")
    push = _triggers(workflow)["push"]
    assert push["branches"] == ["main"]
    # Deployments queue rather than cancel each other halfway.
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False

    runs = _runs(workflow)
    assert _index(runs, VALIDATE_GITHUB, path.name) < _index(
        runs, "bash scripts/setup.sh build", path.name
    )
    pages_uploads = [
        (job_id, step)
        for job_id, step in _steps(workflow)
        if step.get("uses", "").startswith("actions/upload-pages-artifact@")
    ]
    assert len(pages_uploads) == 1
    build_job, upload = pages_uploads[0]
    assert upload["with"]["path"].rstrip("/") == "site"

    deploy_jobs = [
        (job_id, job)
        for job_id, job in workflow["jobs"].items()
        if any(s.get("uses", "").startswith(DEPLOY_ACTION + "@") for s in job.get("steps", []))
    ]
    assert len(deploy_jobs) == 1
    _, deploy = deploy_jobs[0]
    needs = deploy["needs"]
    assert build_job in ([needs] if isinstance(needs, str) else needs)
    assert deploy["environment"]["name"] == "github-pages"


def _readme_setup_commands() -> set[str]:
    readme = ROOT / "README.md"
    assert readme.exists(), "README.md is missing"
    return set(re.findall(r"bash scripts/setup\.sh \w+", readme.read_text(encoding="utf-8")))


def test_workflows_run_the_readme_setup_commands() -> None:
    commands = _readme_setup_commands()
    assert {"bash scripts/setup.sh build", "bash scripts/setup.sh test"} <= commands, commands
    scripts = "\n".join(run for p in WORKFLOW_FILES for run in _runs(_load(p)))
    for command in sorted(commands):
        assert command in scripts, f"no workflow runs the README's `{command}`"


def _setup_sh_install_commands() -> list[list[str]]:
    """The pip commands of scripts/setup.sh's install_python, as argument lists."""
    text = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    body = re.search(r"install_python\(\) \{\n(.*?)\n\}", text, re.S)
    assert body, "scripts/setup.sh has no install_python function"
    lines = [ln.strip() for ln in body.group(1).splitlines()]
    return [shlex.split(ln) for ln in lines if "pip install" in ln and not ln.startswith("#")]


def _normalise_pip(args: list[str]) -> list[str]:
    """A pip command in comparable form: `python` as the interpreter, no quietness flags,
    and the requirements file after `-r` replaced by setup.sh's `$1`."""
    out: list[str] = []
    for arg in args:
        if arg in ("-q", "-qq"):
            continue
        if out and out[-1] == "-r":
            arg = "$1"
        out.append("python" if arg in ("$py", "python3") else arg)
    return out


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_installs_like_setup_sh(path: Path) -> None:
    # The workflows install before validating (so the validator can annotate on its own);
    # they must do it with the same commands the quick start uses, or CI tests a different
    # installation from the one contributors get.
    expected = [_normalise_pip(cmd) for cmd in _setup_sh_install_commands()]
    assert len(expected) == 2, f"expected two pip commands in setup.sh, found {expected}"
    ran = [
        _normalise_pip(shlex.split(line))
        for run in _runs(_load(path))
        for line in run.splitlines()
        if "pip install" in line
    ]
    for want in expected:
        assert want in ran, f"{path.name} does not run `{shlex.join(want)}` (from setup.sh)"


# --- editor settings ------------------------------------------------------------------------
def _vscode_schemas() -> dict[str, list[str]]:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    return {k: [v] if isinstance(v, str) else list(v) for k, v in schemas.items()}


def test_vscode_schema_files_exist_and_cover_every_kind() -> None:
    schemas = _vscode_schemas()
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "generator/schemas").glob("*.json")}
    assert shipped, "generator/schemas/ holds no schema yet"
    assert {PurePosixPath(k).as_posix() for k in schemas} == shipped, "every schema, once"
    for schema_path in schemas:
        data = json.loads((ROOT / schema_path).read_text(encoding="utf-8"))
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema", schema_path


@pytest.mark.parametrize(
    ("record", "schema"),
    [
        ("content/actors/a.yml", "actor"),
        ("content/topics/t.yml", "topic"),
        ("content/statements/2023/s.yml", "statement"),
        ("content/briefings/b.yml", "briefing"),
    ],
)
def test_vscode_glob_picks_the_right_schema(record: str, schema: str) -> None:
    matched = [
        k
        for k, globs in _vscode_schemas().items()
        if any(PurePosixPath(record).match(g) for g in globs)
    ]
    assert matched == [f"./generator/schemas/{schema}.schema.json"]


def every_record_gets_exactly_one_schema(content: Path) -> None:
    """Each record under `content`, at its place under a repository's content/, gets one schema."""
    globs = _vscode_schemas()
    paths = sorted(content.rglob("*.yml"))
    assert paths
    for path in paths:
        rel = PurePosixPath("content", path.relative_to(content).as_posix())
        matched = [k for k, gs in globs.items() if any(rel.match(g) for g in gs)]
        assert len(matched) == 1, f"{rel}: matched by {matched}"


def test_every_fixture_record_gets_exactly_one_schema() -> None:
    every_record_gets_exactly_one_schema(FIXTURE_CONTENT)


def test_editorconfig_asks_for_utf8_lf_spaces_and_a_final_newline() -> None:
    parser = configparser.ConfigParser()
    # `root = true` sits before the first section, which configparser does not allow.
    parser.read_string("[preamble]\n" + (ROOT / ".editorconfig").read_text(encoding="utf-8"))
    assert parser["preamble"]["root"] == "true"
    every = parser["*"]
    assert every["charset"] == "utf-8"
    assert every["end_of_line"] == "lf"
    assert every["insert_final_newline"] == "true"
    assert every["indent_style"] == "space"
    assert parser["*.{yml,yaml}"]["indent_size"] == "2"


def follow_the_editorconfig(files: list[Path]) -> None:
    """UTF-8, LF line endings, no tabs, a final newline."""
    assert files
    for path in files:
        raw = path.read_bytes()
        rel = path.relative_to(ROOT)
        raw.decode("utf-8")  # raises on anything but UTF-8
        assert b"\r" not in raw, f"{rel}: CR line endings"
        assert b"\t" not in raw, f"{rel}: tab character"
        assert raw.endswith(b"\n"), f"{rel}: no final newline"


def test_yaml_files_follow_the_editorconfig() -> None:
    # content/ is the archive's, not the tool's: tests/test_bundled_archive.py checks its records.
    follow_the_editorconfig(
        [
            *(ROOT / "tests" / "fixtures").rglob("*.yml"),
            *(ROOT / ".github").rglob("*.yml"),
            ROOT / ".pre-commit-config.yaml",
        ]
    )


# --- the pre-commit hook --------------------------------------------------------------------
# A minimal valid archive: one actor, one topic, one statement that refers to both.
VALID_RECORDS = {
    "content/actors/example-minister.yml": """\
id: example-minister
name: Example Minister
kind: person
""",
    "content/topics/example-topic.yml": """\
id: example-topic
title: Example topic
""",
    "content/statements/2023/example-statement.yml": """\
id: example-statement
date: 2023-03-01
actors: [example-minister]
title: Example statement
kind: statement
summary: The minister said that the talks would continue.
topics: [example-topic]
sources:
  - title: Minister on the talks
    publisher: Example News
    published: 2023-03-01
quotes:
  - text: The talks will continue.
    lang: en
""",
}

# Broken records, and the line the validator must point at (None: any line).
BROKEN_RECORDS = {
    "schema": (
        "content/statements/2023/broken-statement.yml",
        """\
id: broken-statement
date: 2023-03-02
actors: [example-minister]
title: Broken statement
kind: rumour
summary: The minister said something.
sources:
  - title: Minister on the talks
    publisher: Example News
    published: 2023-03-02
""",
        5,  # `kind: rumour` is not one of the statement kinds
    ),
    "yaml-syntax": (
        "content/statements/2023/broken-yaml.yml",
        'id: broken-yaml\ntitle: "an unterminated string\nkind: statement\n',
        None,
    ),
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def archive_repo(tmp_path: Path) -> Path:
    """A fresh git repository holding the pre-commit config and a valid minimal archive."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    for rel, text in VALID_RECORDS.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "valid archive")
    return repo


def _pre_commit(repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    # Only the records hook: the tmp repository has no workflows or Python to check.
    # PRE_COMMIT_HOME in tmp keeps the user's cache out of it; `repo: local` hooks with
    # `language: unsupported` install nothing, so no network is touched.
    args = [sys.executable, "-m", "pre_commit", "run", "briefing-validate", "--color", "never"]
    args += ["--files", *files] if files else ["--all-files"]
    return _run(args, cwd=repo, PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"))


def test_pre_commit_hook_passes_a_valid_archive(archive_repo: Path) -> None:
    result = _pre_commit(archive_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout, result.stdout  # ran, rather than "(no files to check)"


@pytest.mark.parametrize("case", sorted(BROKEN_RECORDS))
def test_pre_commit_hook_rejects_a_broken_record(archive_repo: Path, case: str) -> None:
    rel, text, line = BROKEN_RECORDS[case]
    (archive_repo / rel).write_text(text, encoding="utf-8")
    _git(archive_repo, "add", rel)
    result = _pre_commit(archive_repo, rel)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Failed" in output, output
    where = re.escape(rel) + ":" + (str(line) if line else r"\d+") + r":\d+"
    assert re.search(where, output), f"no `{rel}:line:column` in:\n{output}"


def test_validate_github_format_annotates_the_record(archive_repo: Path) -> None:
    # What the workflows run: the annotation must name the file relative to the repository
    # root, or GitHub cannot place it on the pull request's diff.
    rel, text, line = BROKEN_RECORDS["schema"]
    (archive_repo / rel).write_text(text, encoding="utf-8")
    cmd = [*shlex.split(VALIDATE_GITHUB), "content"]
    result = _run([tool(cmd[0]), *cmd[1:]], cwd=archive_repo)
    # The runner reads workflow commands from both streams.
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(rf"^::error file={re.escape(rel)},line={line},col=\d+::\S", output, re.M), (
        output
    )


# --- contributor documentation --------------------------------------------------------------
DOCS = [ROOT / "CONTRIBUTING.md", ROOT / ".github" / "pull_request_template.md"]


def _briefing_commands(path: Path) -> list[str]:
    """Every `briefing …` command shown in `path`: lines of fenced code blocks (which may be
    indented inside list items) and inline code spans."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", text, re.S | re.M)
    lines = [ln.strip() for block in blocks for ln in block.splitlines()]
    lines += re.findall(r"(?<!`)`(briefing [^`]+)`(?!`)", text)
    # A trailing shell comment is not part of the command.
    return [ln.split("  #")[0].strip() for ln in lines if ln.startswith("briefing ")]


def test_contributing_commands_are_real_cli_usage() -> None:
    from generator.cli import build_parser

    commands = _briefing_commands(ROOT / "CONTRIBUTING.md")
    shown = {shlex.split(c)[1] for c in commands}
    assert {"new", "validate", "build", "serve"} <= shown, shown
    parser = build_parser()
    for command in commands:
        try:
            parser.parse_args(shlex.split(command)[1:])
        except SystemExit:
            pytest.fail(f"CONTRIBUTING.md shows a command the CLI rejects: {command}")


def test_contributing_links_the_record_format_reference() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "README.md#record-format" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens.
    anchors = {
        re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
        for h in re.findall(r"^#{1,6}\s+(.+)$", readme, re.M)
    }
    assert "record-format" in anchors, "README.md has no `Record format` heading"


def test_pull_request_template_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^\s*- \[ \] (.+)$", text, re.M)
    assert len(items) >= 5, items
    checklist = "\n".join(items)
    for needle in (
        "briefing validate",
        "briefing build",
        "bash scripts/setup.sh test",
        "`quotes`",
        "`summary`",
        "`date`",
    ):
        assert needle in checklist, f"the checklist does not mention {needle}"
