"""Theme shells (generator/mkdocs/shells.py): filled pages are byte-identical to rendered ones.

Each archive is built twice with the real mkdocs.yml and theme, once with `shells: true`
(the default) and once with `shells: false`, which renders every page through Material's
template; every file of the two sites must have the same bytes. The hostile archive puts
markup payloads into every slot value (titles, feed titles, bodies, edit paths).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from generator.cli import main
from generator.mkdocs.shells import ShellCache, Unsupported, lift_head, render_shell
from tests._site_support import make_project
from tests.test_hostile_site import make_hostile_project
from tests.test_lean_shell import _with_palette

MARKER = "  - briefing:\n"


def _set_options(config: Path, **options: str) -> None:
    text = config.read_text(encoding="utf-8")
    assert MARKER in text, "mkdocs.yml no longer configures the briefing plugin as expected"
    extra = "".join(f"      {key}: {value}\n" for key, value in options.items())
    config.write_text(text.replace(MARKER, MARKER + extra), encoding="utf-8")


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _build_both(
    root: Path, make: object, caplog: pytest.LogCaptureFixture, rendered: int = 0, **options: str
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    sites = []
    for shells in ("true", "false"):
        project = root / f"shells-{shells}"
        config = make(project)  # type: ignore[operator]
        _set_options(config, shells=shells, **options)
        out = project / "site"
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefing"):
            assert main(["build", "-f", str(config), "--site-dir", str(out)]) == 0
        filled = [r.getMessage() for r in caplog.records if "theme shell" in r.getMessage()]
        if shells == "true":
            # The shells were used, and only the expected pages were rendered in full.
            assert filled and f", {rendered} rendered in full" in filled[0], filled
        else:
            assert not filled
        sites.append(_files(out))
    return sites[0], sites[1]


def _assert_same(filled: dict[str, bytes], rendered: dict[str, bytes]) -> None:
    assert filled.keys() == rendered.keys()
    pages = [name for name in rendered if name.endswith(".html")]
    assert len(pages) > 10
    # The generated pages outside the nav are on the lean template (theme/lean.html): the
    # proof covers it, and the full template of the pages in the nav.
    lean = [name for name in pages if b"briefing-lean.css" in rendered[name]]
    assert lean and len(lean) < len(pages), "no lean pages, or no full ones, in the sites"
    different = [name for name in sorted(rendered) if filled[name] != rendered[name]]
    assert not different, f"{len(different)} file(s) differ, e.g. {different[:5]}"


def test_fixture_archive_same_bytes_with_material_search(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _assert_same(*_build_both(tmp_path, make_project, caplog))


def test_fixture_archive_same_bytes_with_pagefind(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _assert_same(*_build_both(tmp_path, make_project, caplog, search="pagefind"))


def _with_deep_nav(root: Path) -> Path:
    # A nav entry deep inside a generated section: pages beside it link to it by paths that
    # differ from page to page (dates/2023/12/18/ -> ../../, dates/2024/03/03/ -> ../../../2023/).
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    marker = "  - Dates: dates/index.md\n"
    assert marker in text, "mkdocs.yml no longer has the Dates nav entry"
    config.write_text(text.replace(marker, marker + "  - Dates 2023: dates/2023/index.md\n"))
    return config


def test_nav_entry_inside_generated_pages_same_bytes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # dates/2023/ itself is rendered in full: the nav marks it active on its own page.
    _assert_same(*_build_both(tmp_path, _with_deep_nav, caplog, rendered=1))


@pytest.mark.parametrize(
    "palette", ["  palette:\n    scheme: slate\n", ""], ids=["single-palette", "no-palette"]
)
def test_archive_without_a_palette_toggle_same_bytes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, palette: str
) -> None:
    """The lean pages' palette form and script depend on `theme.palette`: without a list of
    palettes (a single one, or none) the shells still give the rendered pages' bytes."""

    def make(root: Path) -> Path:
        return _with_palette(root, palette)

    _assert_same(*_build_both(tmp_path, make, caplog))


def test_hostile_archive_same_bytes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _assert_same(*_build_both(tmp_path, make_hostile_project, caplog))


# --- the fallback ------------------------------------------------------------------------------


def _page(url: str, title: str, body: str = "body") -> Page:
    file = File(f"{url}index.md", src_dir=None, dest_dir="site", use_directory_urls=True)
    page = Page(None, file, _config())
    page.meta = {"title": title}
    page.markdown = ""
    page.content = body  # as the plugin has it when the template renders
    page.edit_url = "https://example.test/repo/edit/main/record.yml"
    return page


def _config():  # type: ignore[no-untyped-def]
    from mkdocs.config.defaults import MkDocsConfig

    config = MkDocsConfig()
    config.load_dict({"site_name": "T", "site_url": "https://example.test/"})
    errors, _warnings = config.validate()
    assert not errors
    return config


def _cache(template: str) -> ShellCache:
    return ShellCache(Environment(loader=DictLoader({"main.html": template})))


def test_shell_fills_title_content_and_canonical_per_page() -> None:
    cache = _cache(
        "<title>{{ page.meta.title }}</title><link href='{{ page.canonical_url }}'>"
        "<p title='{{ page.meta.title | e }}'>{{ page.content }}</p>"
    )
    one = _page("statements/one/", "A &amp; B", "<b>1</b>")
    two = _page("statements/two/", "C", "<b>2</b>")
    html_one = cache.render(one, {}, "<b>1</b>", "main.html")
    html_two = cache.render(two, {}, "<b>2</b>", "main.html")
    assert html_one == (
        "<title>A &amp; B</title><link href='https://example.test/statements/one/'>"
        "<p title='A &amp;amp; B'><b>1</b></p>"
    )
    assert html_two == (
        "<title>C</title><link href='https://example.test/statements/two/'>"
        "<p title='C'><b>2</b></p>"
    )
    assert (cache.filled, cache.rendered, len(cache.shells)) == (2, 0, 1)


@pytest.mark.parametrize(
    "template",
    [
        "<a href='?t={{ page.meta.title | urlencode }}'>{{ page.content }}</a>",  # a filter
        "<p>{{ page.meta.title | upper }}</p>",  # changes the marker's letters
        "<p>{{ page.url }}</p>{{ page.content }}",  # the URL printed outside the slots
        # Material's "view source" link: its marker would become a slot named `raw`.
        "<a href='{{ page.edit_url | replace('edit', 'raw') }}'>{{ page.content }}</a>",
    ],
)
def test_template_shells_cannot_reproduce_fall_back_to_full_rendering(template: str) -> None:
    cache = _cache(template)
    one, two = _page("statements/one/", "A b"), _page("statements/two/", "C d")
    with pytest.raises(Unsupported):
        render_shell(cache.env.get_template("main.html").render, {}, one, "body")
    expected = cache.env.get_template("main.html").render({"page": two})
    cache.render(one, {"page": one}, "body", "main.html")
    assert cache.render(two, {"page": two}, "body", "main.html") == expected
    assert (cache.filled, cache.rendered) == (0, 2)


# What `lift_head` takes out of a body, as one regular expression: the head comment at the
# start (after any whitespace), its first line the description when it is a well-formed
# meta tag. lift_head reads it with str methods; this is the definition it must agree with.
_HEAD_COMMENT = re.compile(
    r'(\s*)<!--ba-head\n(?:<meta name="description" content="([^"<>]*)">\n)?(.*?)\nba-head-->\n',
    re.S,
)
_HEAD_PIECES = [
    "<!--ba-head\n", "\nba-head-->\n", "ba-head-->", '<meta name="description" content="',
    '">\n', '"', "<", ">", "\n", " ", "\t", "\u3000", "x", '<meta name="a" content="b">',
]  # fmt: skip


@settings(max_examples=1000)
@given(
    st.sampled_from(["", "\n", "  ", "\u3000"]),
    st.sampled_from(["", "<!--ba-head\n", '<!--ba-head\n<meta name="description" content="']),
    st.lists(st.sampled_from(_HEAD_PIECES), max_size=10),
)
def test_the_head_comment_is_lifted_as_its_definition_says(
    lead: str, start: str, pieces: list[str]
) -> None:
    body = lead + start + "".join(pieces)
    found = _HEAD_COMMENT.match(body)
    expected = (
        (found.group(2), found.group(3), found.group(1) + body[found.end() :])
        if found
        else (None, None, body)
    )
    assert lift_head(body) == expected
