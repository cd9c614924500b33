"""Shared by the tests/test_site_*.py files: the mini fixture archive as a site project."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.outputs.parts import page_parts
from generator.pages.options import Options

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = REPO / "tests" / "fixtures" / "mini" / "content"
GOLDEN = REPO / "tests" / "golden"

# Small pages so that the five fixture statements already exercise splitting.
PAGE_SIZE = 2
LATEST = 2
GOLDEN_OPTIONS = Options(
    site_url="https://example.test/archive/",
    edit_base="https://github.com/example/archive/edit/main/content/",
    page_size=PAGE_SIZE,
    latest=LATEST,
    site_name="Briefing Archive",
    tagline=(
        "An archive of public statements: who said what, when and where, with verbatim quotes "
        "kept apart from paraphrase and every claim tied to its sources."
    ),
    parts=page_parts(),
)

HOSTILE_ID = "anna-petrova-tariff-remarks-2024-03-03"


def make_project(root: Path) -> Path:
    """Copy the repository's mkdocs.yml and docs/ plus the fixture records to `root`.

    Returns the path of the project's mkdocs.yml. The real config is used on purpose, so
    these tests also check what the repository ships.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    marker = "      content_dir: content\n"
    assert marker in config, "mkdocs.yml no longer configures the briefing plugin as expected"
    config = config.replace(
        marker, f"{marker}      page_size: {PAGE_SIZE}\n      latest: {LATEST}\n"
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "mkdocs.yml"


def mkdocs_build(config_file: Path, site_dir: Path) -> None:
    """Build the project in this process as `mkdocs build` does (the plugin is told so)."""
    from mkdocs.commands.build import build
    from mkdocs.config.base import load_config

    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
