"""The platform the site is built on: bounded where the code leans on private API.

The code reaches into a few dependencies beyond their documented API (Jinja's code
generator, MarkupSafe's escaper, MkDocs' page internals, the output of Material's
templates). Those are declared with an upper bound below the next minor release, so that
`pip install briefing-archive` never combines the code with a version CI has not run; and
the names the code uses are checked here, so that raising a pin in requirements.txt fails
in CI, at the name that went away, rather than on a user's machine.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]

#: Each dependency whose private API the code uses, and where.
PRIVATE_API = {
    "jinja2": "CodeGenerator._output_child_pre, Macro._func (generator/pages/jinja.py)",
    "markupsafe": "_escape_inner (generator/pages/filters.py)",
    "mkdocs": "Page.render, Page._title_from_render, File.is_modified (generator/mkdocs/)",
    "mkdocs-material": "main.html's output, filled by generator/mkdocs/shells.py",
    # Not private API, but the bundle's undocumented file layout: pagefind.<hash>.pf_meta.
    "pagefind": "its bundle's file layout (generator/search/bundle_order.py)",
}


def _declared() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = (Requirement(text) for text in data["project"]["dependencies"])
    return {canonicalize_name(req.name): req for req in found}


def _pinned(name: str, file: str = "requirements.txt") -> str:
    text = (ROOT / file).read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(name)}(?:\[[^\]]*\])?==(\S+)", text, re.I | re.M)
    assert match, f"{file} pins no {name}"
    return match.group(1)


@pytest.mark.parametrize("name", sorted(PRIVATE_API))
def test_a_dependency_used_beyond_its_api_is_bounded_below_its_next_minor_release(
    name: str,
) -> None:
    req = _declared()[name]
    pinned = Version(_pinned(name))
    next_minor = Version(f"{pinned.major}.{pinned.minor + 1}")
    assert req.specifier.contains(pinned), f"{req} excludes the pinned {name}=={pinned}"
    assert not req.specifier.contains(next_minor, prereleases=True), (
        f"{req} lets pip install {name} {next_minor}, which CI never ran; the code uses "
        f"{PRIVATE_API[name]}: bound it below {next_minor}"
    )


def test_the_private_names_the_code_uses_exist_in_the_pinned_versions() -> None:
    import jinja2.compiler
    import jinja2.runtime
    import markupsafe
    import mkdocs.structure.files
    import mkdocs.structure.pages

    assert callable(getattr(jinja2.compiler.CodeGenerator, "_output_child_pre", None))
    assert "self._func = func" in inspect.getsource(jinja2.runtime.Macro.__init__)
    assert callable(getattr(markupsafe, "_escape_inner", None))
    page_source = inspect.getsource(mkdocs.structure.pages.Page)
    for name in ("_title_from_render", "present_anchor_ids", "links_to_anchors", "def render"):
        assert name in page_source, f"MkDocs' Page no longer has {name}"
    assert callable(mkdocs.structure.files.File.generated)
    assert callable(mkdocs.structure.files.File.is_modified)


def _platform_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Platform\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("mkdocs", "requirements.txt"),
        ("mkdocs-material", "requirements.txt"),
        ("Jinja2", "requirements.txt"),
        ("MarkupSafe", "requirements.txt"),
        ("pagefind", "requirements.txt"),
        ("properdocs", "requirements-test.txt"),
        ("zensical", "requirements-test.txt"),
    ],
)
def test_the_readme_platform_note_names_the_pinned_versions(name: str, file: str) -> None:
    section = _platform_section()
    pin = f"{name}=={_pinned(name, file)}"
    assert pin in section, f"README's Platform section does not say {pin} ({file} pins it)"


def test_the_readme_platform_note_states_every_upper_bound() -> None:
    section = _platform_section()
    for name in PRIVATE_API:
        req = _declared()[name]
        (bound,) = [spec for spec in req.specifier if spec.operator == "<"]
        assert f"`<{bound.version}`" in section, f"README's Platform section omits {name} {bound}"
