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
* Charts are inline SVG made by charts.py, which XML-escapes every piece of text in them.
* Autoescaping writes `output_escape(value)`: markupsafe's escaping, without wrapping each
  written value in a Markup object (see `_CodeGenerator`).

Links between generated pages are relative, so the tree works under any site URL and for
`briefing generate`. Fragments that many pages share (a statement's line in a listing, a
link to an actor, a date) are macros in `_macros.j2` that the templates use as filters: each
is rendered once with a root placeholder in its links, and adapted once for each depth of
page that shows it. Compiled templates are kept in the user's cache folder between runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import heapq
import json
import operator
import os
import re
import stat
import types
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import jinja2.compiler
import jinja2.nodes
import jinja2.runtime
import jinja2.utils
import markupsafe
from markupsafe import Markup, escape

from generator import collector
from generator.outputs import charts, citations, downloads, feeds
from generator.pages import plan
from generator.paths import TEMPLATES, code_stamp
from generator.problems import Problem
from generator.progress import progress
from generator.records.cache import cache_folder
from generator.records.model import STATEMENT_KIND_LABELS, Actor, Archive, Name, Role, Statement

# `<` can never survive escaping, so no record text can forge this placeholder.
_ROOT = "<ba-root>"

# markupsafe's own escaper of plain text (what `escape` runs on a str, less the Markup it wraps
# the result in); a markupsafe without it gets the same text through `escape`.
_escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (
    lambda text: str(escape(text))
)


# Markup of a plain str: what Markup(text) makes, without its Python-level checks for other
# kinds of value (it is called for every fragment and link).
_markup: Callable[[str], Markup] = functools.partial(str.__new__, Markup)


KIND_LABELS: Mapping[str, str] = {
    **STATEMENT_KIND_LABELS,
    "person": "People",
    "organization": "Organizations",
    "state": "States",
}


@dataclass(frozen=True, slots=True)
class Options:
    """What the pages need to know about where the site and the records live."""

    site_url: str | None = None  # absolute, for citations; None gives site-relative ones
    edit_base: str | None = None  # URL that a record's path is appended to for "edit"
    page_size: int = plan.PAGE_SIZE
    latest: int = plan.LATEST
    site_name: str = citations.SITE_NAME  # mkdocs.yml's: the home heading, citations, feed titles
    tagline: str | None = None  # the home page's lead (plugin option, else site_description)
    about: str | None = None  # the home page's About text (plugin option)

    @property
    def home(self) -> plan.Home:
        """The home page's own words."""
        return plan.Home(self.site_name, self.tagline, self.about)


def feeds_enabled(site_url: str | None) -> bool:
    """Whether the site has Atom feeds: they need an absolute http(s) site URL."""
    parts = urlsplit(site_url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


#: The data downloads the home page lists: (file, site-relative URL, what it holds).
DOWNLOADS: tuple[tuple[str, str, str], ...] = (
    (
        "statements.json",
        downloads.DOWNLOADS["statements_json"],
        "every statement, sources resolved",
    ),
    ("statements.csv", downloads.DOWNLOADS["statements_csv"], "every statement, one row each"),
    ("actors.json", downloads.DOWNLOADS["actors_json"], "every actor, with names and roles"),
    ("topics.json", downloads.DOWNLOADS["topics_json"], "every topic"),
    ("briefings.json", downloads.DOWNLOADS["briefings_json"], "every briefing, with its text"),
)


_WEB = ("http", "https")


def _safe_url(url: str | None) -> str | None:
    # Belt and braces: the validator already refuses other schemes. A URL that starts with
    # the scheme spelled out needs no parsing to say so (urlsplit would agree).
    if url and (url.startswith(("https://", "http://")) or urlsplit(url).scheme in _WEB):
        return url
    return None


def _paras(text: str | None, css: str = "") -> Markup:
    """Paragraphs of escaped text; a blank line in the record starts a new paragraph."""
    if not text:
        return Markup("")
    # f-strings of escaped pieces rather than Markup.format: same text, a fraction of the
    # time, and every statement page has a few of these.
    attr = f' class="{_escape_text(css)}"' if css else ""
    if "\n" not in text:  # one paragraph, as most text is (one scan of it, not two)
        one = " ".join(text.split())
        return _markup(f"<p{attr}>{_escape_text(one)}</p>" if one else "")
    blocks = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return _markup("".join([f"<p{attr}>{_escape_text(b)}</p>" for b in blocks if b]))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _same(value: Hashable) -> Hashable:
    return value


def _role_label(role: Role) -> str:
    label = role.title + (f", {role.organization}" if role.organization else "")
    if role.start or role.end:
        start = _role_bound(role.start, (1, 1), "…")
        end = _role_bound(role.end, (12, 31), "present")
        label += f" ({start} – {end})"
    return label


def _role_bound(day: dt.date | None, year_only: tuple[int, int], missing: str) -> str:
    # Records may give only a year ("from: 2019"), which loads as 1 January (or 31 December
    # for `to`); printing the full date would claim a precision the record does not have.
    if day is None:
        return missing
    return str(day.year) if (day.month, day.day) == year_only else day.isoformat()


def _all_names(actor: Actor) -> tuple[Name, ...]:
    """The actor's main name and every recorded script, without repeats."""
    seen = {actor.name}
    names = []
    for name in actor.names:
        if name.name not in seen:
            seen.add(name.name)
            names.append(name)
    return tuple(names)


def _roles_label(roles: Iterable[Role]) -> str:
    """Roles as one line of plain text (the template escapes it)."""
    return "; ".join(map(_role_label, roles))


def _sorted_roles(actor: Actor) -> tuple[Role, ...]:
    return tuple(
        sorted(actor.roles, key=lambda r: (r.start or dt.date.min, r.end or dt.date.max, r.title))
    )


# Characters safe unescaped in a YAML double-quoted scalar; anything else becomes a \u escape
# (NEL and the Unicode line/paragraph separators would be folded like newlines).
_NOT_YAML_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


# What json.dumps(text, ensure_ascii=False) returns for a str, without its Python layers.
_json_string: Callable[[str], str] = json.encoder.encode_basestring


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar that loads back unchanged.

    JSON's string syntax is a subset of YAML's double-quoted style; yaml.safe_dump would do
    the same but is ~50x slower, which matters at 100,000 pages.
    """
    dumped = _json_string(text)
    if _NOT_YAML_PRINTABLE.search(dumped) is None:  # nearly always
        return dumped
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def _front_matter(page: plan.GeneratedPage, feed: feeds.FeedLink | None = None) -> str:
    # The title is HTML-escaped because Material prints page.meta.title unescaped.
    text = "---\nhide:\n- toc\n" if page.searchable else _UNSEARCHED
    if feed is not None:
        # Plain text: theme/main.html escapes it (the theme's Jinja does not autoescape).
        text += f"feed:\n  href: {yaml_string(feed.url)}\n"
        text += f"  title: {yaml_string(_one_line(feed.title))}\n"
    return f"{text}title: {yaml_string(_escape_text(_one_line(page.title)))}\n---\n\n"


_UNSEARCHED = "---\nhide:\n- toc\nsearch:\n  exclude: true\n"


def _publisher_href(name: str) -> str | None:
    """The publisher page of an outlet's name, or None when the name has no slug."""
    slug = plan.publisher_slug(name)
    return plan.publisher_url(slug) if slug else None


def _timeline_svg(statements: Sequence[Statement], label: str) -> Markup:
    # Bars are not linked: an SVG with role="img" has presentational children, so links
    # inside it would be unreachable to screen readers (axe: nested-interactive). The
    # page lists the same periods as text links.
    return Markup(charts.actor_timeline_svg(statements, label=label, inline_style=False))


def _heatmap_svg(counts: Mapping[dt.date, int], year: int) -> Markup:
    return Markup(charts.calendar_heatmap_svg(year, counts, inline_style=False))


def output_escape(value: object) -> str:
    """What autoescaping writes for `{{ value }}`: the text of `markupsafe.escape(value)`.

    Text is escaped; Markup (an already escaped fragment) is written as it is; anything else
    goes through `escape` itself (numbers, objects with `__html__`, str subclasses).
    """
    kind = type(value)
    if kind is str:
        return _escape_text(value)  # type: ignore[arg-type]  # a str: `kind is str`
    if kind is Markup:
        return value  # type: ignore[return-value]  # a Markup is a str
    return escape(value)


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with a quicker escape for what `{{ … }}` writes.

    Autoescaping calls `markupsafe.escape` on every value a template writes, and that wraps
    each result in a new Markup through two Python-level calls: a fifth of the time to
    render the site. Written output is only ever joined into the page (or a macro's result,
    which Jinja wraps in Markup itself), so the escaped text is enough: `output_escape`
    gives the same characters. Blocks whose autoescaping is decided at run time keep Jinja's
    own code.
    """

    def _output_child_pre(
        self,
        node: jinja2.nodes.Expr,
        frame: jinja2.compiler.Frame,
        finalize: Any,  # jinja2.compiler.CodeGenerator._FinalizeInfo
    ) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.output_escape(")
        if finalize.src is not None:
            self.write(finalize.src)


class _Environment(jinja2.Environment):
    """The pages' environment: compiled by `_CodeGenerator`, whose code calls `output_escape`."""

    code_generator_class = _CodeGenerator
    output_escape = staticmethod(output_escape)


# What the environment compiles templates with.
_ENV_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


@functools.cache
def _compile_stamp() -> str:
    """What decides a compiled template besides its source.

    Jinja's version, the environment's options and this package's code: the code generator
    is here, and Jinja compiles in which filters take the context and what a filter given
    constant arguments returns. Read once per process (a few milliseconds).
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"jinja2 {jinja2.__version__} {sorted(_ENV_OPTIONS.items())}".encode())
    try:
        digest.update(code_stamp().encode())
    except OSError:
        digest.update(os.urandom(16))  # code that cannot be read matches no compiled file
    return digest.hexdigest()


class _DiskBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, in the user's cache folder.

    Compiling the templates is a few percent of rendering 10,000 statements, and every
    `briefing build` is a fresh process. Jinja keeps one file per template and reuses it
    only for the same source checksum and Python version; the checksum here also covers
    `_compile_stamp`, so any other change compiles the template again (and replaces the
    file). A file that cannot be read or written only costs the compile.
    """

    def get_source_checksum(self, source: str) -> str:
        """Jinja's checksum of the source, and of what else decides the compiled code."""
        return super().get_source_checksum(_compile_stamp() + "\0" + source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """The compiled template from disk, if there is one that loads."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged (Jinja checks only the marshal part): compile again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Store the compiled template (write then rename: never half a file)."""
        with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
            super().dump_bytecode(bucket)


def disk_bytecode_cache() -> jinja2.BytecodeCache | None:
    """The compiled-template cache beside the validation cache (records/cache.py), or None.

    None with `BRIEFING_CACHE=0`, and when the folder is not this user's alone: compiled
    templates are code that is run, so none is loaded from a folder others can write to.
    """
    base = cache_folder()
    if base is None:
        return None
    folder = base / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
    except OSError:
        return None
    getuid = getattr(os, "getuid", None)
    if (
        not stat.S_ISDIR(st.st_mode)
        or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        or getuid is None
        or st.st_uid != getuid()
    ):
        return None
    return _DiskBytecodeCache(str(folder))


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the process, keyed by name and source checksum.

    A template not compiled yet in this process comes from `disk` when it has it.
    """

    def __init__(self, disk: jinja2.BytecodeCache | None = None) -> None:
        self.store: dict[str, bytes] = {}
        self.disk = disk

    def get_source_checksum(self, source: str) -> str:
        """The disk cache's checksum, so that the two agree on what is up to date."""
        if self.disk is not None:
            return self.disk.get_source_checksum(source)
        return super().get_source_checksum(source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """The compiled template from memory, else from disk."""
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the compiled template in memory, and on disk."""
        self.store[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)


def _quick_macro(macro: jinja2.runtime.Macro) -> Callable[..., Markup]:
    """`macro` as a plain function with the same result, without Jinja's call machinery.

    Macro.__call__ matches keyword arguments, fills in defaults and finds a `caller`, which
    costs more than the body of a one-line macro (10,000 listing lines are one each). Called
    with positional arguments, a macro that takes no `caller`, `varargs` or `kwargs` gives
    what its compiled function returns (that fills in its own defaults for `missing`
    arguments), as Markup: autoescaping is always on here. Other calls go to the macro.
    """
    func = getattr(macro, "_func", None)
    count = len(macro.arguments)
    if func is None or macro.caller or macro.catch_kwargs or macro.catch_varargs:
        return macro  # type: ignore[return-value]  # returns Markup when autoescaping
    padding = (jinja2.utils.missing,) * count

    def call(*args: Any, **kwargs: Any) -> Markup:
        if len(args) == count and not kwargs:  # nearly every call
            return _markup(func(*args))
        if kwargs or len(args) > count:
            return macro(*args, **kwargs)  # type: ignore[return-value]  # (as above)
        return _markup(func(*args, *padding[len(args) :]))

    return call


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
        self._caches: list[dict[Any, Any]] = []  # the filters' (see `close`)
        self.env = _Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            bytecode_cache=bytecode_cache,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,  # one render pass; no need to stat a template per page
            **_ENV_OPTIONS,
        )
        self.env.filters.update(
            date=plan.format_date,
            kind=lambda kind: KIND_LABELS.get(kind, kind),
            paras=_paras,
            role=_role_label,
            roles=_roles_label,
            safe_url=_safe_url,
            one_line=_one_line,
            iso=lambda day: day.isoformat(),
            # The templates call these as filters (`s.id|statement_url|url`): Jinja calls a
            # filter directly, but a global function through Context.call, which inspects
            # it on every call; at 16,000 pages that was a third of the rendering time.
            url=self._url_filter(),
            items=self._items_lines,
            statement_url=plan.statement_url,
            actor_url=plan.actor_url,
            topic_url=plan.topic_url,
            briefing_url=plan.briefing_url,
            publisher_url=plan.publisher_url,
            publisher_href=_publisher_href,
            day_url=plan.day_url,
            year_url=plan.year_url,
            month_url=plan.month_url,
            all_names=_all_names,
            sorted_roles=_sorted_roles,
            edit_url=self._edit_url,
            wikidata_url=lambda qid: "https://www.wikidata.org/wiki/" + quote(qid, safe=""),
            timeline_svg=_timeline_svg,
            heatmap_svg=_heatmap_svg,
        )
        # Fragments that draw one record the same way wherever it appears (a link to an
        # actor, a date): each is its macro in _macros.j2, rendered once per record.
        self._item = self._fragment("statement_item", operator.attrgetter("id"), self._item_args)
        self.env.filters.update(
            item=self._item,
            actor_link=self._fragment("actor_link", operator.attrgetter("id")),
            actor_names=self._fragment("actor_names", operator.attrgetter("id")),
            topic_link=self._fragment("topic_link", operator.attrgetter("id")),
            day=self._fragment("day", _same),
            day_link=self._fragment("day_link", _same),
            publisher_link=self._fragment("publisher_link", _same),
        )
        # Few globals: Jinja copies every one of them into each page's context.
        self.env.globals.update(
            archive=archive,
            downloads=DOWNLOADS,
            schemas=tuple(downloads.SCHEMA_DIR + name for name in downloads.schema_files()),
            has_feeds=feeds_enabled(options.site_url),
            archive_feed_url=feeds.archive_feed_url(),
        )
        # Imported once here rather than by `{% import %}` in every page (costly at scale).
        exported = {
            name: value
            for name, value in vars(self.env.get_template("_macros.j2").module).items()
            if not name.startswith("_")
        }
        self._macros: dict[str, Callable[..., Markup]] = {
            name: _quick_macro(value)
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
        self._publishers: dict[str, str] | None = None  # plan.publishers(archive), once
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
                    cached = _markup(str.replace(cached, _ROOT, root))
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
                cached = here[target] = _markup(root + output_escape(target))
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

    def _items_lines(self, statements: Iterable[Statement]) -> Markup:
        """Listing lines, one per line: a single output for the template, not one per item."""
        item = self._item
        lines: list[str] = [item(s) for s in statements]
        if lines:
            lines.append("")  # a newline after the last line, in the same join
        return _markup("\n".join(lines))

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

    def render(self, page: plan.GeneratedPage) -> str:
        """The Markdown source of `page`: front matter and one raw HTML block."""
        # The globals first, then the page's values: what Template.render does, but with
        # plain dicts (it copies the globals out of a ChainMap, per page).
        context: dict[str, Any] = {**self._globals, **page.context, "page": page}
        if page.template == "statement.md.j2":
            statement: Statement = context["statement"]
            context["citation"], context["bibtex"], context["csl_json"] = citations.citations(
                statement, self.archive, self.options.site_url, self.options.site_name
            )
        template = self._templates.get(page.template)
        if template is None:
            template = self._templates[page.template] = self.env.get_template(page.template)
        feed = None
        if page.feed is not None and self._feeds:
            if self._publishers is None:
                self._publishers = plan.publishers(self.archive)
            kind, record_id = page.feed
            feed = feeds.feed_link(
                kind, record_id, self.archive, self.options.site_name, self._publishers
            )
        # The front matter and the body joined at once: pages are 66 MB at 10,000 statements.
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


def render_pages(
    archive: Archive, pages: Iterable[plan.GeneratedPage], options: Options
) -> dict[str, str]:
    """Markdown source of each page, keyed by its file name (`statements/x/index.md`)."""
    renderer = Renderer(archive, options, disk_bytecode_cache())
    return {page.src_uri: renderer.render(page) for page in pages}


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A generated Markdown file and the record (if any) its "edit" button should open."""

    src_uri: str
    markdown: str
    edit_path: str | None
    section: bool  # one of the sidebar's section pages

    def split(self) -> tuple[str, str]:
        """The front matter (with its closing `---` line) and the HTML body."""
        end = self.markdown.index("\n---\n", 3) + len("\n---\n")
        return self.markdown[:end], self.markdown[end:]


class RenderCache:
    """The pages of the previous run, so that `serve` rebuilds re-render only what changed.

    A page is reused when its model (URL, title, template, context: the statements, groups
    and records it shows) equals the previous run's. Templates also look up actors, topics,
    briefings and publisher names outside a page's context (a listing line names the actors;
    a feed link names its actor or topic), so any change to those, or to the options,
    re-renders every page. Python equality is deep on the frozen model dataclasses, so this
    never trusts a hash.
    """

    def __init__(self) -> None:
        self.dependencies: tuple[object, ...] | None = None
        self.pages: dict[str, tuple[plan.GeneratedPage, RenderedPage]] = {}
        self.rendered = 0  # pages rendered by the last run (the rest were reused)
        # Templates compiled once, not per rebuild (and not at all when the disk has them).
        self.bytecode = _MemoryBytecodeCache(disk_bytecode_cache())


#: With fewer statements than this, the pages are rendered in one process: a fork costs
#: more than it saves. (Each statement has a page, and there are about as many listings.)
PARALLEL_MIN_STATEMENTS = 1000
#: Pages a process claims at a time when two share the work.
_CHUNK = 100


def _render_in_two(
    archive: Archive, options: Options, beside: Callable[[], None] | None
) -> tuple[RenderedPage, ...]:
    """Every page, rendered by this process and one forked child; as `_generate_pages`.

    The child renders statement pages from the first on, this process the listings from
    the last on (they share the statement lines it caches), and then statement pages from
    the other end, until the two meet (generator/worker.py). The child starts at once: only
    the listings need the archive grouped (`site.build_listings`, 0.2 s at 10,000
    statements), and this process does that once forked. Rendering is a pure function of
    the page, so the result is the same bytes as rendering in one process. `beside` runs
    right after the fork.
    """
    from generator.worker import in_two

    statements = plan.statements_by_url(archive)
    first = len(statements)  # jobs below this are statement pages, the rest listings
    # Made before the fork, so the child inherits it with the templates it has compiled.
    renderer = Renderer(archive, options, disk_bytecode_cache())
    listings: list[plan.GeneratedPage] = []

    def prepare() -> int:
        listings.extend(
            plan.build_listings(
                archive, page_size=options.page_size, latest=options.latest, home=options.home
            )
        )
        if beside is not None:
            beside()
        return first + len(listings)

    def job(i: int) -> str:
        if i < first:
            return renderer.render(plan.statement_page(archive, statements[i][1]))
        return renderer.render(listings[i - first])

    texts = in_two(
        prepare,
        job,
        name="briefing-render",
        what="generating pages",
        unit="page",
        chunk=_CHUNK,
        child_limit=first,
    )
    renderer.close()
    # Both lists are in URL order, and their URLs never meet: merged, they are in URL order.
    made = [
        (url, RenderedPage(plan.src_uri(url), text, statement.path, section=False))
        for (url, statement), text in zip(statements, texts[:first], strict=True)
    ]
    listed = [
        (page.url, _rendered(page, text))
        for page, text in zip(listings, texts[first:], strict=True)
    ]
    return tuple(page for _, page in heapq.merge(listed, made, key=operator.itemgetter(0)))


def _rendered(page: plan.GeneratedPage, text: str) -> RenderedPage:
    return RenderedPage(
        src_uri=page.src_uri,
        markdown=text,
        edit_path=page.edit_path,
        section=page.url in plan.SECTION_URLS,
    )


def _can_fork() -> bool:
    from generator.worker import can_fork  # the same rule as the validator's worker

    return can_fork()


def generate_pages(
    archive: Archive,
    options: Options | None = None,
    cache: RenderCache | None = None,
    *,
    processes: int = 1,
    beside: Callable[[], None] | None = None,
) -> tuple[RenderedPage, ...]:
    """Every generated page of the site for `archive`, in URL order.

    With `cache` (from the previous call), pages whose model did not change are reused.
    With `processes=2` (and no cache), a forked process renders part of the pages where the
    platform can fork, no other thread runs and the archive has `PARALLEL_MIN_STATEMENTS`
    statements or more; the pages are the same either way. `beside` is called once, after
    the grouping and after any fork: work that starts threads goes there, since forking
    beside a running thread can deadlock the child on a lock that thread held.
    """
    options = options or Options()
    with collector.paused():  # rendering leaves little cyclic garbage: it waits
        return _generate_pages(archive, options, cache, processes, beside)


def _generate_pages(
    archive: Archive,
    options: Options,
    cache: RenderCache | None,
    processes: int,
    beside: Callable[[], None] | None,
) -> tuple[RenderedPage, ...]:
    if (
        cache is None
        and processes > 1
        and len(archive.statements) >= PARALLEL_MIN_STATEMENTS
        and _can_fork()
    ):
        return _render_in_two(archive, options, beside)  # calls `beside` once forked
    models = plan.build_pages(
        archive, page_size=options.page_size, latest=options.latest, home=options.home
    )
    if beside is not None:
        beside()
    if cache is None:
        renderer = Renderer(archive, options, disk_bytecode_cache())
        texts = [renderer.render(page) for page in progress(models, "generating pages")]
        renderer.close()
        return tuple(_rendered(page, text) for page, text in zip(models, texts, strict=True))
    dependencies = (
        options,
        archive.actors,
        archive.topics,
        archive.briefings,
        plan.publishers(archive),
    )
    previous = cache.pages if dependencies == cache.dependencies else {}
    lazy: list[Renderer] = []  # made on the first page that needs rendering
    pages: dict[str, tuple[plan.GeneratedPage, RenderedPage]] = {}
    for model in models:
        before = previous.get(model.src_uri)
        if before is not None and before[0] == model:
            pages[model.src_uri] = before
            continue
        if not lazy:
            lazy.append(Renderer(archive, options, cache.bytecode))
        rendered = RenderedPage(
            src_uri=model.src_uri,
            markdown=lazy[0].render(model),
            edit_path=model.edit_path,
            section=model.url in plan.SECTION_URLS,
        )
        pages[model.src_uri] = (model, rendered)
    for renderer in lazy:
        renderer.close()
    cache.rendered = sum(1 for uri, entry in pages.items() if previous.get(uri) is not entry)
    cache.dependencies, cache.pages = dependencies, pages
    return tuple(rendered for _model, rendered in pages.values())


def generate(archive: Archive, options: Options | None = None) -> dict[str, str]:
    """Every generated Markdown file of the site for `archive`, keyed by file name."""
    return {page.src_uri: page.markdown for page in generate_pages(archive, options)}


def render_error_pages(problems: Sequence[Problem]) -> dict[str, str]:
    """Stand-ins for the section pages while the records are invalid during `serve`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    files = {}
    for url in plan.SECTION_URLS:
        page = plan.GeneratedPage(url=url, title="Records have problems", template="error.md.j2")
        body = env.get_template("error.md.j2").render(problems=problems)
        files[page.src_uri] = _front_matter(page) + body
    return files
