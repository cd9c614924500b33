"""Turn page models into Markdown strings with the Jinja2 templates in `templates/`.

Records come from pull requests, so no record text may ever become markup. The rules:

* Record text is only ever a *value* passed to a template, never a template source, so
  `{{ 7*7 }}` in a record stays literal.
* The environment autoescapes, and every generated body is one raw HTML block: Markdown
  leaves raw HTML alone, so `*`, `{onclick=...}` attribute lists, `---` and the like in
  record text are plain characters, and `<`, `>`, `&`, quotes are entities.
* Titles go into front matter as HTML-escaped strings dumped by `yaml.safe_dump`, because
  Material prints `page.meta.title` unescaped into `<title>` and the header.
* URLs from records are emitted only when they are http(s) (the validator also checks).
* The feed a page advertises goes into front matter as plain text (`feed.title`,
  `feed.href`); theme/main.html escapes both when it writes the `<link rel="alternate">`.
* Charts are inline SVG made by outputs/charts.py, which XML-escapes every piece of text.
* Autoescaping writes `output_escape(value)`: markupsafe's escaping, without wrapping each
  written value in a Markup object (see `_CodeGenerator`).

Links between generated pages are relative, so the tree works under any site URL and for
`briefing generate`. Fragments that many pages share (a statement's line in a listing, a
link to an actor, a date) are macros in `_macros.j2` that the templates use as filters: each
is rendered once with a root placeholder in its links, and adapted once for each depth of
page that shows it. The filters are in `filters.py`, the Jinja machinery (and the cache of
compiled templates) in `jinja.py`; `pipeline.py` renders every page of a site.

What the outputs stage puts into pages (citations, feed links, the downloads table, charts)
comes in as `PageParts` (options.py), plain values and functions that outputs/parts.py
composes: pages sit below outputs in the import layers (pyproject.toml), so they never
import it.
"""

from __future__ import annotations

import json
import operator
import types
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jinja2
import jinja2.runtime
from markupsafe import Markup

from generator.pages import filters, plan, urls
from generator.pages.filters import (
    KIND_LABELS,
    escape_text,
    markup,
    one_line,
    output_escape,
    yaml_string,
)
from generator.pages.jinja import ENV_OPTIONS, Environment, quick_macro
from generator.pages.models import GeneratedPage
from generator.pages.options import FeedLink, Options, feeds_enabled
from generator.paths import TEMPLATES
from generator.problems import Problem
from generator.records.model import Actor, Archive, Statement

# `<` can never survive escaping, so no record text can forge this placeholder.
_ROOT = "<ba-root>"


def _front_matter(page: GeneratedPage, feed: FeedLink | None = None) -> str:
    # The title is HTML-escaped because Material prints page.meta.title unescaped.
    text = "---\nhide:\n- toc\n" if page.searchable else _UNSEARCHED
    if feed is not None:
        # Plain text: theme/main.html escapes it (the theme's Jinja does not autoescape).
        text += f"feed:\n  href: {yaml_string(feed.url)}\n"
        text += f"  title: {yaml_string(one_line(feed.title))}\n"
    return f"{text}title: {yaml_string(escape_text(one_line(page.title)))}\n---\n\n"


_UNSEARCHED = "---\nhide:\n- toc\nsearch:\n  exclude: true\n"


def read_front_matter(text: str) -> dict[str, Any] | None:
    """The metadata of a front matter that `_front_matter` wrote (`text` is all of it, up to
    its closing `---` line and the blank line), without a YAML parser: its layout is fixed
    and its strings are JSON (filters.yaml_string). None for any other text.

    MkDocs' own reading of front matter is YAML, which costs far more per page;
    tests/test_render_speedups.py holds the two to the same result.
    """
    lines = text.split("\n")
    if lines[:3] != ["---", "hide:", "- toc"] or lines[-3:] != ["---", "", ""]:
        return None
    meta: dict[str, Any] = {"hide": ["toc"]}
    rest = lines[3:-3]
    if rest[:2] == ["search:", "  exclude: true"]:
        meta["search"], rest = {"exclude": True}, rest[2:]
    try:
        feed = rest[:3]
        if len(rest) == 4 and feed[0] == "feed:" and feed[1].startswith('  href: "'):
            if not feed[2].startswith('  title: "'):
                return None
            meta["feed"] = {"href": json.loads(feed[1][8:]), "title": json.loads(feed[2][9:])}
            rest = rest[3:]
        if len(rest) != 1 or not rest[0].startswith('title: "'):
            return None
        meta["title"] = json.loads(rest[0][7:])
    except ValueError:  # not one JSON string
        return None
    return meta


class Renderer:
    """Renders pages of one archive; caches the fragments that pages share."""

    def __init__(
        self,
        archive: Archive,
        options: Options,
        bytecode_cache: jinja2.BytecodeCache | None = None,
    ) -> None:
        self.archive = archive
        self.options = options
        parts = self._parts = options.parts
        self._caches: list[dict[Any, Any]] = []  # the filters' (see `close`)
        self.env = Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            bytecode_cache=bytecode_cache,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,  # one render pass; no need to stat a template per page
            **ENV_OPTIONS,
        )
        self.env.filters.update(
            date=urls.format_date,
            kind=lambda kind: KIND_LABELS.get(kind, kind),
            paras=filters.paras,
            element_text=filters.element_text,
            role=filters.role_label,
            roles=filters.roles_label,
            safe_url=filters.safe_url,
            one_line=one_line,
            iso=lambda day: day.isoformat(),
            # Filters (`s.id|statement_url|url`), not globals: Jinja calls a filter directly,
            # but a global function through Context.call, which inspects it on every call.
            url=self._url_filter(),
            items=self._items_lines,
            statement_url=urls.statement_url,
            actor_url=urls.actor_url,
            topic_url=urls.topic_url,
            briefing_url=urls.briefing_url,
            publisher_url=urls.publisher_url,
            publisher_href=filters.publisher_href,
            day_url=urls.day_url,
            year_url=urls.year_url,
            month_url=urls.month_url,
            all_names=filters.all_names,
            sorted_roles=filters.sorted_roles,
            edit_url=self._edit_url,
            wikidata_url=urls.wikidata_url,
            timeline_svg=lambda statements, label: markup(parts.timeline_svg(statements, label)),
            heatmap_svg=lambda counts, year: markup(parts.heatmap_svg(counts, year)),
        )
        # Fragments that draw one record the same way wherever it appears (a link to an
        # actor, a date): each is its macro in _macros.j2, rendered once per record.
        self._item = self._fragment("statement_item", operator.attrgetter("id"), self._item_args)
        undated = lambda s: (*self._item_args(s), False)  # noqa: E731  # see _items_lines
        self._undated_item = self._fragment("statement_item", operator.attrgetter("id"), undated)
        self.env.filters.update(
            item=self._item,
            actor_link=self._fragment("actor_link", operator.attrgetter("id")),
            actor_names=self._fragment("actor_names", operator.attrgetter("id")),
            topic_link=self._fragment("topic_link", operator.attrgetter("id")),
            day=self._fragment("day", filters.same),
            day_link=self._fragment("day_link", filters.same),
            publisher_link=self._fragment("publisher_link", filters.same),
        )
        # Few globals: Jinja copies every one of them into each page's context.
        self.env.globals.update(
            archive=archive,
            downloads=lambda: parts.downloads(archive, options.site_url),  # the home page's
            schemas=parts.schemas,
            has_feeds=feeds_enabled(options.site_url),
            archive_feed_url=parts.archive_feed_url,
        )
        # Imported once here rather than by `{% import %}` in every page (costly at scale).
        exported = {
            name: value
            for name, value in vars(self.env.get_template("_macros.j2").module).items()
            if not name.startswith("_")
        }
        self._macros: dict[str, Callable[..., Markup]] = {
            name: quick_macro(value)
            for name, value in exported.items()
            if isinstance(value, jinja2.runtime.Macro)
        }
        # What `{% import %}` would give, with each macro as its quick function.
        self.env.globals["m"] = types.SimpleNamespace(**{**exported, **self._macros})
        self._globals = dict(self.env.globals)
        self._templates: dict[str, jinja2.Template] = {}
        # How the page being rendered links to the site root (`../../`); the placeholder
        # while a fragment that pages at any depth share is rendered.
        self._root = _ROOT
        self._publishers: dict[str, str] | None = None  # publishers(archive), once
        self._feeds = feeds_enabled(options.site_url)

    def _fragment(
        self,
        macro: str,
        key: Callable[[Any], Hashable],
        arguments: Callable[[Any], tuple[Any, ...]] | None = None,
    ) -> Callable[[Any], Markup]:
        """A filter that renders `macro` once per `key` of its value, for every page.

        The macro is rendered once, with the root placeholder in its links, and that is
        adapted once for each depth of the pages that show it. It gets the value, or
        `arguments(value)`. The macro is looked up on first use: _macros.j2 itself uses
        these filters, so they must exist before it is compiled.
        """
        rendered: dict[Hashable, Markup] = {}  # with the placeholder
        # For the pages with each root; a defaultdict makes the first lookup per root create
        # its dict, and costs nothing more on the others (a C-level hit).
        adapted: defaultdict[str, dict[Hashable, Markup]] = defaultdict(dict)
        self._caches += (rendered, adapted)

        def fragment(value: Any) -> Markup:
            k = key(value)
            root = self._root
            here = adapted[root]
            cached = here.get(k)
            if cached is None:
                cached = rendered.get(k)
                if cached is None:
                    args = (value,) if arguments is None else arguments(value)
                    self._root = _ROOT
                    try:
                        cached = rendered[k] = self._macros[macro](*args)
                    finally:
                        self._root = root
                if root != _ROOT:
                    cached = markup(str.replace(cached, _ROOT, root))
                here[k] = cached
            return cached

        return fragment

    def _url_filter(self) -> Callable[[jinja2.runtime.Context, str], Markup]:
        """The `url` filter: a site-relative URL as a link from the page being rendered.

        It takes the context only so that Jinja never works `"dates/"|url` out once, when
        it compiles a template: the link depends on the page.
        """
        urls: defaultdict[str, dict[str, Markup]] = defaultdict(dict)  # as in `_fragment`
        self._caches.append(urls)

        @jinja2.pass_context
        def url(_context: jinja2.runtime.Context, target: str) -> Markup:
            root = self._root
            here = urls[root]
            cached = here.get(target)
            if cached is None:
                cached = here[target] = markup(root + output_escape(target))
            return cached

        return url

    def _edit_url(self, record_path: str | None) -> str | None:
        if not record_path or not self.options.edit_base:
            return None
        return self.options.edit_base + quote(record_path)

    def _item_args(self, statement: Statement) -> tuple[Statement, list[Actor]]:
        """What `statement_item` shows: the statement, and its actors that have records."""
        actors = self.archive.actors
        return statement, [actors[a] for a in statement.actors if a in actors]

    def _items_lines(self, statements: Iterable[Statement], dated: bool = True) -> Markup:
        """Listing lines, each ending in a newline, as one output for the template; without
        the statements' dates when `dated` is false (under a heading that says their day)."""
        lines = list(map(self._item if dated else self._undated_item, statements))
        return markup("\n".join([*lines, ""]) if lines else "")

    def close(self) -> None:
        """Drop the fragments kept for the pages rendered so far.

        Jinja's environment holds the filters that hold them, in reference cycles, so
        without this they wait for the garbage collector, which would then have every
        fragment of the site to look at.
        """
        for cache in self._caches:
            cache.clear()

    def permalink(self, url: str) -> str:
        """The absolute URL of a page when the site URL is known."""
        base = self.options.site_url
        return (base.rstrip("/") + "/" + url) if base else "/" + url

    def render(self, page: GeneratedPage) -> str:
        """The Markdown source of `page`: front matter and one raw HTML block."""
        # The globals first, then the page's values: what Template.render does, but with
        # plain dicts (it copies the globals out of a ChainMap, per page).
        context: dict[str, Any] = {**self._globals, **page.context, "page": page}
        if page.template == "statement.md.j2":
            statement: Statement = context["statement"]
            context["citation"], context["bibtex"], context["csl_json"] = self._parts.citations(
                statement, self.archive, self.options.site_url, self.options.site_name
            )
            context["meta"] = self._parts.statement_meta(
                statement, self.archive, self.options.site_url, self.options.site_name
            )
        template = self._templates.get(page.template)
        if template is None:
            template = self._templates[page.template] = self.env.get_template(page.template)
        feed = None
        if page.feed is not None and self._feeds:
            if self._publishers is None:
                self._publishers = urls.publishers(self.archive)
            kind, record_id = page.feed
            feed = self._parts.feed_link(
                kind, record_id, self.archive, self.options.site_name, self._publishers
            )
        # The front matter and the body joined at once, not copied again.
        parts = [_front_matter(page, feed)]
        depth = page.url.count("/")
        self._root = "../" * depth if depth else "./"
        try:
            # The context made directly: Template.new_context also lists the globals' names
            # (out of a ChainMap, per page), which only `{% import %}` of the page needs.
            page_context = self.env.context_class(self.env, context, template.name, template.blocks)
            parts.extend(template.root_render_func(page_context))
        except Exception:
            self.env.handle_exception()  # raises, with the template's lines in the traceback
        finally:
            self._root = _ROOT
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A generated Markdown file, as UTF-8, and the record (if any) its "edit" button opens.

    A build holds every page at once: as str, a page with one character past Latin-1 would
    take two or four bytes for each of its characters.
    """

    src_uri: str
    data: bytes
    edit_path: str | None
    section: bool  # one of the sidebar's section pages

    @property
    def markdown(self) -> str:
        """The file's text."""
        return self.data.decode()

    def split(self) -> tuple[str, bytes]:
        """The front matter (with its closing `---` line) and the HTML body (UTF-8)."""
        return split_page(self.data)


def split_page(data: bytes) -> tuple[str, bytes]:
    """A generated page's front matter (with its closing `---` line) and its body (UTF-8);
    ValueError if it has no front matter."""
    if not data.startswith(b"---\n"):
        raise ValueError("no front matter")
    end = data.index(b"\n---\n", 3) + len(b"\n---\n")
    return data[:end].decode(), data[end:]


def render_error_pages(problems: Sequence[Problem]) -> dict[str, str]:
    """Stand-ins for the section pages while the records are invalid during `serve`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    files = {}
    for url in plan.SECTION_URLS:
        page = GeneratedPage(url=url, title="Records have problems", template="error.md.j2")
        body = env.get_template("error.md.j2").render(problems=problems)
        files[page.src_uri] = _front_matter(page) + body
    return files


__all__ = [
    "KIND_LABELS",
    "TEMPLATES",
    "RenderedPage",
    "Renderer",
    "read_front_matter",
    "render_error_pages",
    "split_page",
    "yaml_string",
]
