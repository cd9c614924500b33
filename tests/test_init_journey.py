"""`briefing init`'s archive on its way to GitHub: its workflows pass GitHub's schema and
zizmor, and the journey from a fresh virtual environment (the tool installed from a wheel of
this working tree, not the repository) through `briefing init`, `briefing new`, validate
and build to a site styled by the tool's own theme, whose links the archive's pull-request
workflow checks.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest
from _init_support import (
    EXPECTED_TREE,
    ROOT,
    Journey,
    files_under,
    first_heading,
    load,
    make_archive,
    run_journey,
    steps,
    workflows,
)
from _tool_support import run_tool, tool


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive made with every option given."""
    return make_archive(tmp_path_factory.mktemp("init"))


# --- the workflows --------------------------------------------------------------------------
def test_workflows_and_dependabot_match_githubs_schemas(archive: Path) -> None:
    files = sorted((archive / ".github/workflows").glob("*.yml"))
    assert [p.name for p in files] == ["pages.yml", "pull-request.yml"]
    cmd = [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    result = run_tool([*cmd, *map(str, files)], cwd=archive)
    assert result.returncode == 0, result.stdout + result.stderr
    dependabot = archive / ".github/dependabot.yml"
    cmd = [tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(dependabot)]
    result = run_tool(cmd, cwd=archive)
    assert result.returncode == 0, result.stdout + result.stderr
    ecosystems = {u["package-ecosystem"] for u in load(dependabot)["updates"]}
    assert ecosystems == {"github-actions", "pip"}


def test_zizmor_offline_finds_nothing_in_theworkflows(archive: Path) -> None:
    cmd = [tool("zizmor"), "--offline", "--no-config", "--no-progress", ".github"]
    result = run_tool(cmd, cwd=archive)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in output, output


def test_actions_are_pinned_exactly_as_this_repository_pins_them(archive: Path) -> None:
    # Dependabot updates this repository's pins; a stale copy in the template fails here.
    ours = "\n".join(p.read_text() for p in (ROOT / ".github/workflows").glob("*.yml"))
    pinned = set(re.findall(r"uses: (\S+@[0-9a-f]{40} # v\S+)", ours))
    for path in (archive / ".github/workflows").glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"\s*(?:- )?uses: (.*)$", line):
                assert m.group(1) in pinned, f"{path.name}: `{m.group(1)}` is pinned otherwise"


def test_pull_request_workflow_checks_the_archive_not_the_tool(archive: Path) -> None:
    workflow = workflows(archive)["pull-request.yml"]
    assert set(workflow[True]) == {"pull_request", "workflow_dispatch"}  # YAML 1.1: on = True
    assert workflow["permissions"] == {"contents": "read"}
    all_steps = [s for _, s in steps(workflow)]
    runs = [s.get("run", "") for s in all_steps]
    order = [
        next(i for i, run in enumerate(runs) if needle in run)
        for needle in (
            "pip install --disable-pip-version-check -r requirements.txt",
            "briefing validate --strict --format github",
            "briefing build",
            "linkchecker",
        )
    ]
    assert order == sorted(order), runs
    upload = next(s for s in all_steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert not any(word in run for run in runs for word in ("pytest", "setup.sh", "-e ."))
    for _, step in steps(workflow) + steps(workflows(archive)["pages.yml"]):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_pages_workflow_builds_then_deploys_with_least_privilege(archive: Path) -> None:
    workflow = workflows(archive)["pages.yml"]
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [s.get("run", "") for s in build["steps"]]
    assert any("-r requirements.txt" in r for r in runs) and "briefing build" in runs
    assert "permissions" not in build
    upload = [s for s in build["steps"] if "upload-pages-artifact@" in s.get("uses", "")]
    assert upload and upload[0]["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert all("uses" in s and "run" not in s for s in deploy["steps"])
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


# --- the journey ----------------------------------------------------------------------------
JOURNEY_NAME = 'Harbour "Watch" & <Co>: {{ notes }}'


@pytest.fixture(scope="module")
def journey() -> Iterator[Journey]:
    """The tool installed from a wheel into a fresh venv, then init → new → build."""
    # Readable by others: LinkChecker, run as root (CI), drops to `nobody` before reading.
    work = Path(tempfile.mkdtemp(prefix="briefing-journey-"))
    work.chmod(0o755)
    umask = os.umask(0o022)  # and so is everything the commands write
    try:
        try:
            done = run_journey(work, JOURNEY_NAME)
        finally:
            os.umask(umask)
        yield done
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _completed(journey: Journey) -> Journey:
    if journey.failed is not None:
        pytest.fail("the journey stopped:\n" + journey.failed.report())
    return journey


def _venv_python(journey: Journey, code: str) -> str:
    step = journey.run(str(journey.venv / "bin/python"), "-c", code)
    assert step.code == 0, step.report()
    return step.out.strip()


def test_journey_uses_the_installed_package_not_the_repository(journey: Journey) -> None:
    where = Path(_venv_python(journey, "import generator; print(generator.__file__)"))
    assert where.resolve().is_relative_to(journey.venv.resolve()), where
    assert not where.resolve().is_relative_to(ROOT)


def test_installed_package_declares_what_a_build_needs(journey: Journey) -> None:
    code = (
        "import importlib.metadata as m, re; "
        "print('\\n'.join(re.split(r'[^\\w.-]', r, maxsplit=1)[0].lower() "
        "for r in m.requires('briefing-archive')))"
    )
    declared = set(_venv_python(journey, code).split())
    assert {"mkdocs", "mkdocs-material", "jinja2", "pyyaml", "pagefind"} <= declared, declared


def test_journey_commands_all_succeed(journey: Journey) -> None:
    _completed(journey)
    assert [s.args[1] for s in journey.steps[:5]] == ["init", "new", "new", "validate", "build"]


def test_home_page_heading_is_the_chosen_name(journey: Journey) -> None:
    html = (_completed(journey).archive / "site/index.html").read_text(encoding="utf-8")
    assert first_heading(html) == (JOURNEY_NAME, [])


def test_site_is_styled_by_the_tools_own_assets(journey: Journey) -> None:
    site = _completed(journey).archive / "site"
    package = Path(_venv_python(journey, "import generator; print(generator.__file__)")).parent
    theme = package / "theme"
    html = (site / "index.html").read_text(encoding="utf-8")
    for asset, tag in (
        ("assets/stylesheets/briefing.css", r'<link[^>]+href="(\./)?{}"'),
        ("assets/javascripts/briefing.js", r'<script[^>]+src="(\./)?{}"'),
    ):
        assert (site / asset).read_bytes() == (theme / asset).read_bytes(), asset
        assert re.search(tag.format(re.escape(asset)), html), f"index.html does not load {asset}"


def test_archive_holds_only_what_init_and_new_wrote(journey: Journey) -> None:
    arch = _completed(journey).archive
    assert journey.init_files == EXPECTED_TREE
    assert {PurePosixPath(f).parent.as_posix() for f in journey.new_files} == {
        "content/actors",
        "content/statements/2024",
    }
    assert files_under(arch) == journey.init_files | journey.new_files
    # Nothing of the tool's code, theme or schemas: no file is a copy of one in the package
    # other than what `briefing init` writes from its templates (and empty .gitkeep files).
    package = Path(_venv_python(journey, "import generator; print(generator.__file__)")).parent
    tool_files = {
        p.read_bytes()
        for p in package.rglob("*")
        if p.is_file() and "archive" not in p.relative_to(package).parts and p.stat().st_size
    }
    copies = [f for f in files_under(arch) if (arch / f).read_bytes() in tool_files]
    assert copies == [], copies
    kinds = {PurePosixPath(f).suffix for f in files_under(arch)}
    assert kinds <= {"", ".md", ".yml", ".json", ".txt"}, kinds
    assert not [f for f in files_under(arch) if f.endswith(".schema.json")]


def test_the_statement_has_its_page(journey: Journey) -> None:
    site = _completed(journey).archive / "site"
    page = site / "statements" / journey.statement_id / "index.html"
    assert page.is_file(), sorted(p.name for p in (site / "statements").iterdir())
    assert "Harbour plan approved" in page.read_text(encoding="utf-8")
    assert (site / "actors/jane-example/index.html").is_file()


def test_pull_request_workflow_steps_pass_on_the_new_archive(journey: Journey) -> None:
    arch = _completed(journey).archive
    workflow = workflows(arch)["pull-request.yml"]
    scripts = [s["run"] for _, s in steps(workflow) if "run" in s]
    # The install needs the registry; everything after it runs as GitHub's runner would.
    for script in [s for s in scripts if "pip install" not in s]:
        step = journey.run("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script,
                           cwd=arch)  # fmt: skip
        assert step.code == 0, step.report()


def test_the_link_check_fails_on_a_broken_link(journey: Journey) -> None:
    arch = _completed(journey).archive
    broken = journey.work / "broken"
    shutil.copytree(arch, broken)
    shutil.rmtree(broken / "site/actors/jane-example")
    (script,) = [
        s["run"]
        for _, s in steps(workflows(broken)["pull-request.yml"])
        if "linkchecker" in s.get("run", "")
    ]
    step = journey.run("bash", "-eo", "pipefail", "-c", script, cwd=broken)
    assert step.code != 0
    assert "actors/jane-example/" in step.out, step.report()
