"""render.py's shortcuts give what plain Jinja would: its escaping, its macro calls, fragments
rendered once and reused on pages at any depth, and compiled templates kept on disk."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest
from _site_support import GOLDEN_OPTIONS
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from generator.outputs.parts import page_parts
from generator.pages import filters, jinja, options, pipeline, plan, render
from generator.records.model import Actor, Archive, Briefing, Source, Statement, Topic


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder for the compiled templates."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFING_CACHE", raising=False)
    return tmp_path / "cache" / "briefing-archive" / "templates"


# --- Escaping -------------------------------------------------------------------------------


class _Html:
    def __html__(self) -> str:
        return "<b>already markup</b>"


class _Text(str):
    """A str subclass: escaped like text, as markupsafe does."""


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
    ["<script>alert(1)</script>", "\"'&<>", "<ba-root>", "{{ 7*7 }}"]
)


@given(_TEXT)
def test_the_quicker_escape_writes_what_markupsafe_writes(text: str) -> None:
    """The one definition of escaping is markupsafe's; the quicker one is proven equal."""
    for value in (text, Markup(text), _Text(text), len(text), None, _Html()):
        assert filters.output_escape(value) == str(escape(value)), repr(value)


def test_every_written_value_is_escaped(archive: Archive) -> None:
    env = render.Renderer(archive, options.Options(parts=page_parts())).env
    template = env.from_string(
        "{{ x }}|{{ x|one_line }}|{{ safe }}|{{ n }}|{{ x ~ safe }}|"
        "{% set block %}{{ x }}{% endset %}{{ block }}|{% for y in [x] %}{{ y }}{% endfor %}|"
        "{% macro f(v) %}{{ v }}{% endmacro %}{{ f(x) }}"
    )
    out = template.render(x="<i>&", safe=Markup("<b>"), n=7)
    assert out == (
        "&lt;i&gt;&amp;|&lt;i&gt;&amp;|<b>|7|&lt;i&gt;&amp;<b>|"
        "&lt;i&gt;&amp;|&lt;i&gt;&amp;|&lt;i&gt;&amp;"
    )
    # A block that turns autoescaping off still writes as Jinja does.
    raw = env.from_string("{% autoescape false %}{{ x }}{% endautoescape %}{{ x }}")
    assert raw.render(x="<i>") == "<i>&lt;i&gt;"


def test_every_template_writes_through_the_quicker_escape(archive: Archive) -> None:
    """The page templates are compiled with render.py's code generator (Jinja still has the
    hook it overrides): every written value goes through output_escape."""
    env = render.Renderer(archive, options.Options(parts=page_parts())).env
    for path in sorted(render.TEMPLATES.glob("*.j2")):
        code = env.compile(path.read_text(encoding="utf-8"), path.name, raw=True)
        assert "environment.output_escape(" in code, path.name
        assert not re.search(r"(?<![\w.])escape\(", code), path.name


# --- Macros ---------------------------------------------------------------------------------


def test_a_quicker_macro_call_gives_what_jinja_s_call_gives(archive: Archive) -> None:
    env = render.Renderer(archive, options.Options(parts=page_parts())).env
    module: Any = env.from_string(
        "{% macro f(a, b='<d>') %}[{{ a }}|{{ b }}]{% endmacro %}"
        "{% macro g(a) %}{{ caller() }}{% endmacro %}"
    ).module
    f = jinja.quick_macro(module.f)
    assert f is not module.f
    for args, kwargs in [(("<x>",), {}), (("<x>", "<y>"), {}), (("<x>",), {"b": "<y>"})]:
        result = f(*args, **kwargs)
        assert result == module.f(*args, **kwargs) and isinstance(result, Markup)
    for call in (f, module.f):  # a missing argument is undefined in both
        with pytest.raises(jinja2.UndefinedError, match="'a' was not provided"):
            call()
    with pytest.raises(TypeError):
        f(1, 2, 3)
    assert jinja.quick_macro(module.g) is module.g  # takes a caller: left to Jinja


# --- Fragments ------------------------------------------------------------------------------

# Record text that spells the root placeholder and looks like a relative link.
PLACEHOLDER = "<ba-root>../x"


def _placeholder_archive() -> Archive:
    actor = Actor(id="a", name=PLACEHOLDER, kind="person", path="actors/a.yml")
    topic = Topic(id="t", title=PLACEHOLDER, path="topics/t.yml")
    briefing = Briefing(
        id="b",
        title=PLACEHOLDER,
        publisher=PLACEHOLDER,
        published=dt.date(2024, 1, 2),
        path="briefings/b.yml",
    )
    statements = {
        f"s{i}": Statement(
            id=f"s{i}",
            date=dt.date(2024, 1, 1 + i),
            actors=("a",),
            title=PLACEHOLDER,
            kind="interview",
            summary=PLACEHOLDER,
            path=f"statements/2024/s{i}.yml",
            sources=(Source(PLACEHOLDER, PLACEHOLDER, dt.date(2024, 1, 1)),),
            briefing="b",
            topics=("t",),
            mentions=("a",),
            related=tuple(f"s{j}" for j in range(3) if j != i),
        )
        for i in range(3)
    }
    return Archive(
        actors={"a": actor}, topics={"t": topic}, statements=statements, briefings={"b": briefing}
    )


def test_record_text_that_spells_the_link_placeholder_is_shown_as_written() -> None:
    pages = pipeline.generate(
        _placeholder_archive(), options.Options(page_size=2, parts=page_parts())
    )
    shown = str(escape(PLACEHOLDER))
    for uri in ["index.md", "statements/s0/index.md", "dates/2024/01/01/index.md"]:
        assert shown in pages[uri], uri
    for uri, text in pages.items():
        assert "<ba-root>" not in text, uri


def test_shared_fragments_link_right_at_every_depth() -> None:
    pages = pipeline.generate(
        _placeholder_archive(), options.Options(page_size=2, parts=page_parts())
    )
    # The same actor link (a fragment, rendered once) from pages at depths 0 to 4.
    for uri, root in [
        ("index.md", "./"),
        ("actors/index.md", "../"),
        ("statements/s0/index.md", "../../"),
        ("dates/2024/01/index.md", "../../../"),
        ("dates/2024/01/01/index.md", "../../../../"),
    ]:
        assert f'<a href="{root}actors/a/">{escape(PLACEHOLDER)}</a>' in pages[uri], uri


def test_each_listing_line_is_rendered_once_with_its_date_and_once_without(
    archive: Archive,
) -> None:
    renderer = render.Renderer(archive, GOLDEN_OPTIONS)
    # Private on purpose: the proof that the kept fragments give the pages of the plain path
    # needs the count of renders, which only the renderer's own table of macros can give.
    real = renderer._macros["statement_item"]
    seen: list[tuple[str, bool]] = []

    def counted(statement: Statement, actors: list[Actor], dated: bool = True) -> Markup:
        seen.append((statement.id, dated))
        return real(statement, actors, dated)

    renderer._macros["statement_item"] = counted
    models = plan.build_pages(
        archive, page_size=GOLDEN_OPTIONS.page_size, latest=2, home=GOLDEN_OPTIONS.home
    )
    expected = pipeline.generate_pages(archive, GOLDEN_OPTIONS)
    assert [renderer.render(m) for m in models] == [p.markdown for p in expected]
    # Once with its date (actor, topic pages) and once without (under its day's heading).
    assert sorted(seen) == sorted(set(seen))
    assert {statement_id for statement_id, _ in seen} == set(archive.statements)
    assert {dated for _, dated in seen} == {True, False}


def test_dropping_the_kept_fragments_changes_no_page(archive: Archive) -> None:
    renderer = render.Renderer(archive, GOLDEN_OPTIONS)
    models = plan.build_pages(
        archive, page_size=GOLDEN_OPTIONS.page_size, latest=2, home=GOLDEN_OPTIONS.home
    )
    first = [renderer.render(m) for m in models]
    renderer.close()
    assert [renderer.render(m) for m in models] == first


# --- Compiled templates on disk -------------------------------------------------------------


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates compiled from now on."""
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *a: Any) -> Any:
        compiled.append(str(name))
        return real(self, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def _pages(archive: Archive) -> list[str]:
    return [p.markdown for p in pipeline.generate_pages(archive, GOLDEN_OPTIONS)]


def test_templates_compile_once_then_load_from_disk(
    archive: Archive, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = _compiles(monkeypatch)
    first = _pages(archive)
    assert "statement.md.j2" in compiled and "_macros.j2" in compiled
    assert len(list(cache_home.iterdir())) == len(compiled)
    assert stat.S_IMODE(cache_home.stat().st_mode) == 0o700
    compiled.clear()
    assert _pages(archive) == first
    assert compiled == []


def test_a_damaged_or_outdated_compiled_template_is_compiled_again(
    archive: Archive, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _pages(archive)
    compiled = _compiles(monkeypatch)
    files = sorted(cache_home.iterdir())
    files[0].write_bytes(files[0].read_bytes()[:40] + b"\x00garbage")
    assert _pages(archive) == first
    assert len(compiled) == 1
    # Other code (a filter that now takes the context, say) compiles every template again.
    # The running code cannot change under the test: its digest is patched as if it had.
    compiled.clear()
    monkeypatch.setattr(jinja, "_compile_stamp", lambda: "other code")
    assert _pages(archive) == first
    assert len(compiled) == len(files)


def test_compiled_templates_stay_off_disk_when_told_or_when_others_could_write_there(
    archive: Archive, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", "0")
    assert jinja.disk_bytecode_cache() is None
    monkeypatch.delenv("BRIEFING_CACHE")
    assert jinja.disk_bytecode_cache() is not None
    if not hasattr(os, "getuid"):
        return
    cache_home.chmod(0o777)  # others could plant code there: not used
    assert jinja.disk_bytecode_cache() is None
    compiled = _compiles(monkeypatch)
    _pages(archive)
    _pages(archive)
    assert compiled.count("statement.md.j2") == 2


@dataclass(frozen=True)
class _Link:
    url: str
    title: str


def _front(text: str) -> str:
    return text[: text.index("\n---\n", 3) + len("\n---\n\n")]


def test_front_matter_is_read_as_mkdocs_reads_it(archive: Archive) -> None:
    """A build reads the generated pages' front matter without YAML: the same metadata as
    MkDocs' own reading, for every page of an archive."""
    from mkdocs.utils.meta import get_data

    pages = pipeline.generate(archive, GOLDEN_OPTIONS)
    kinds = set()
    for text in pages.values():
        front = _front(text)
        meta = render.read_front_matter(front)
        assert meta is not None and meta == get_data(front)[1] and get_data(front)[0] == ""
        kinds.add((("search" in meta), ("feed" in meta)))
    assert kinds == {(s, f) for s in (False, True) for f in (False, True)}  # every layout


@given(st.text(), st.text(), st.text(), st.booleans(), st.booleans())
def test_front_matter_with_any_title_and_feed_is_read_as_yaml_reads_it(
    title: str, href: str, feed_title: str, searchable: bool, with_feed: bool
) -> None:
    from mkdocs.utils.meta import get_data

    from generator.pages.models import GeneratedPage

    page = GeneratedPage(url="x/", title=title, template="t.j2", searchable=searchable)
    link = _Link(href, feed_title) if with_feed else None
    front = render._front_matter(page, link)
    assert render.read_front_matter(front) == get_data(front)[1]


def test_front_matter_of_another_shape_is_left_to_yaml() -> None:
    for text in (
        "---\nhide:\n- toc\ntitle: 5\n---\n\n",
        '---\nhide:\n- toc\ntitle: "a" # note\n---\n\n',
        '---\nhide:\n- toc\nfeed:\n  href: "f"\ntitle: "a"\n---\n\n',
        "---\ntitle: a\n---\n\n",
    ):
        assert render.read_front_matter(text) is None
