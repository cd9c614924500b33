"""The lean pages' storage script: Material's inline storage helpers, from one cached file.

Material writes its storage helpers inline in the <head> of every page: __md_scope, the URL a
reader's saved choices (the colour scheme...) are keyed under, and __md_hash, __md_get and
__md_set. The lean pages load them instead from assets/javascripts/briefing-storage.js, which
the build renders from Material's own partial. tests/browser/test_lean_pages.py checks in
Chromium that the scope is the site's root on every page and that the saved scheme carries
from lean pages to hand-written ones and back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.mkdocs.config import STORAGE_SCRIPT
from generator.mkdocs.run import run_build
from tests._site_support import make_project

MATERIAL = Path(__import__("material").__file__).parent / "templates"
LEAN_CSS = "assets/stylesheets/briefing-lean.css"
#: Where Material's partial writes the scope: the archive's `extra.scope`, else the page's
#: way back to the site root, resolved against the page's `location`.
SCOPE = "{{ config.extra.scope | d(base_url) }}"


def _materials_code(scope: str) -> str:
    """The code of Material's inline storage script, its scope written as `scope`."""
    source = (MATERIAL / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    (code,) = re.findall(r"<script>(.*?)</script>", source, re.S)
    assert code.count(f'new URL("{SCOPE}",location)') == 1
    return str(code).replace(SCOPE, scope)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lean-storage")
    assert run_build(make_project(root), root / "site") == 0
    return root / "site"


def test_the_storage_script_is_materials_with_this_files_way_to_the_root(site: Path) -> None:
    """The file is Material's code as Material renders it for a page two folders below the
    root, run with `location` standing for the file's own URL (in assets/javascripts/): the
    same scope, the site's root, whichever page loads it."""
    script = (site / STORAGE_SCRIPT).read_text(encoding="utf-8")
    assert STORAGE_SCRIPT.count("/") == 2  # so "../.." from it is the site's root
    code = _materials_code("../..")
    assert script == f"(function(location){{{code}}})(document.currentScript.src);\n"


def test_lean_pages_load_the_helpers_in_their_head_hand_written_pages_keep_materials(
    site: Path,
) -> None:
    lean = full = 0
    for path in sorted(site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        head, _, body = page.partition("</head>")
        if LEAN_CSS not in head:
            full += "__md_scope=new URL(" in head
            continue
        lean += 1
        assert "__md_scope" not in page, path
        # In the <head>, where Material has them: before the palette script in the header
        # and Material's bundle at the end of the body, which use them.
        tags = re.findall(r'<script src="((?:\.\./)*)' + re.escape(STORAGE_SCRIPT) + '"', head)
        depth = len(path.relative_to(site).parts) - 1
        assert tags == ["../" * depth], path
        assert "__md_get" not in head.split(STORAGE_SCRIPT)[0], path
        assert "briefing-palette.js" in body and "bundle." in body, path
    assert lean >= 20 and full >= 3


def test_an_archives_own_scope_is_resolved_against_the_page_as_material_does(
    tmp_path: Path,
) -> None:
    """With `extra.scope` (Material's setting to share saved choices across sites), the file
    is Material's code as it is, resolved against the page's location, as on every page."""
    config = make_project(tmp_path)
    text = config.read_text(encoding="utf-8")
    assert "\nextra:" not in text, "mkdocs.yml now has an extra: section; add scope to it"
    config.write_text(text + "extra:\n  scope: /\n", encoding="utf-8")
    assert run_build(config, tmp_path / "site") == 0
    site = tmp_path / "site"
    assert (site / STORAGE_SCRIPT).read_text(encoding="utf-8") == _materials_code("/") + "\n"
    assert _materials_code("/") in (site / "about" / "index.html").read_text(encoding="utf-8")
