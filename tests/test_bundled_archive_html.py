"""The Nu Html Checker on the bundled archive's site (content/, when it is the seed briefing's).

The checker and the errors known not to be ours are test_html_checker.py's.
"""

from __future__ import annotations

import shutil

import pytest
from _site_support import REPO
from conftest import needs_bundled_archive
from test_html_checker import _checker_errors

from generator.mkdocs.run import run_build

pytestmark = needs_bundled_archive


def test_the_nu_html_checker_finds_no_error_of_ours_on_the_bundled_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    assert run_build(root / "mkdocs.yml", root / "site") == 0
    errors, _ = _checker_errors(root / "site")
    assert errors == []
