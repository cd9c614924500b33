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

Links between generated pages are relative, so the tree works under any site URL and for
`briefing generate`. Fragments that many pages share (one line per statement in a listing)
are rendered once with a root placeholder that each page then swaps for its own `../`s.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import multiprocessing
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

from generator import charts, cite, exports, feeds, site
from generator.model import STATEMENT_KIND_LABELS, Actor, Archive, Name, Role, Statement
from generator.problems import Problem

TEMPLATES = Path(__file__).parent / "templates"

# `<` can never survive escaping, so no record text can forge this placeholder.
_ROOT = "<ba-root>"

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
    page_size: int = site.PAGE_SIZE
    latest: int = site.LATEST
    site_name: str = cite.SITE_NAME  # mkdocs.yml's, for citations and feed titles


def feeds_enabled(site_url: str | None) -> bool:
    """Whether the site has Atom feeds: they need an absolute http(s) site URL."""
    parts = urlsplit(site_url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


#: The data downloads the home page lists: (file, site-relative URL, what it holds).
DOWNLOADS: tuple[tuple[str, str, str], ...] = (
    ("statements.json", exports.DOWNLOADS["statements_json"], "every statement, sources resolved"),
    ("statements.csv", exports.DOWNLOADS["statements_csv"], "every statement, one row each"),
    ("actors.json", exports.DOWNLOADS["actors_json"], "every actor, with names and roles"),
    ("topics.json", exports.DOWNLOADS["topics_json"], "every topic"),
    ("briefings.json", exports.DOWNLOADS["briefings_json"], "every briefing, with its text"),
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
    attr = f' class="{escape(css)}"' if css else ""
    blocks = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return Markup("".join([f"<p{attr}>{escape(b)}</p>" for b in blocks if b]))


def _one_line(text: str) -> str:
    return " ".join(text.split())


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


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar that loads back unchanged.

    JSON's string syntax is a subset of YAML's double-quoted style; yaml.safe_dump would do
    the same but is ~50x slower, which matters at 100,000 pages.
    """
    dumped = json.dumps(text, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def _front_matter(page: site.GeneratedPage, feed: feeds.FeedLink | None = None) -> str:
    # The title is HTML-escaped because Material prints page.meta.title unescaped.
    lines = ["---", "hide:", "- toc"]
    if not page.searchable:
        lines += ["search:", "  exclude: true"]
    if feed is not None:
        # Plain text: theme/main.html escapes it (the theme's Jinja does not autoescape).
        lines += ["feed:", "  href: " + yaml_string(feed.url)]
        lines += ["  title: " + yaml_string(_one_line(feed.title))]
    lines += ["title: " + yaml_string(str(escape(_one_line(page.title)))), "---", "", ""]
    return "\n".join(lines)


def _publisher_href(name: str) -> str | None:
    """The publisher page of an outlet's name, or None when the name has no slug."""
    slug = site.publisher_slug(name)
    return site.publisher_url(slug) if slug else None


def _timeline_svg(statements: Sequence[Statement], label: str) -> Markup:
    # Bars are not linked: an SVG with role="img" has presentational children, so links
    # inside it would be unreachable to screen readers (axe: nested-interactive). The
    # page lists the same periods as text links.
    return Markup(charts.actor_timeline_svg(statements, label=label, inline_style=False))


def _heatmap_svg(counts: Mapping[dt.date, int], year: int) -> Markup:
    return Markup(charts.calendar_heatmap_svg(year, counts, inline_style=False))


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the process, keyed by name and source checksum."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


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
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            bytecode_cache=bytecode_cache,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,  # one render pass; no need to stat a template per page
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            date=site.format_date,
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
            url=self._url,
            item=self._item,
            items=self._items_lines,
            statement_url=site.statement_url,
            actor_url=site.actor_url,
            topic_url=site.topic_url,
            briefing_url=site.briefing_url,
            publisher_url=site.publisher_url,
            publisher_href=_publisher_href,
            day_url=site.day_url,
            year_url=site.year_url,
            month_url=site.month_url,
            all_names=_all_names,
            sorted_roles=_sorted_roles,
            edit_url=self._edit_url,
            wikidata_url=lambda qid: "https://www.wikidata.org/wiki/" + quote(qid, safe=""),
            timeline_svg=_timeline_svg,
            heatmap_svg=_heatmap_svg,
        )
        # Few globals: Jinja copies every one of them into each page's context.
        self.env.globals.update(
            archive=archive,
            downloads=DOWNLOADS,
            schemas=tuple(exports.SCHEMA_DIR + name for name in exports.schema_files()),
            has_feeds=feeds_enabled(options.site_url),
            archive_feed_url=feeds.archive_feed_url(),
        )
        # Imported once here rather than by `{% import %}` in every page (costly at scale).
        self._macros = self.env.get_template("_macros.j2").module
        self.env.globals["m"] = self._macros
        self._globals = dict(self.env.globals)
        self._templates: dict[str, jinja2.Template] = {}
        self._items: dict[str, Markup] = {}
        self._publishers: dict[str, str] | None = None  # site.publishers(archive), once

    @staticmethod
    @functools.lru_cache(maxsize=65536)
    def _url(target: str) -> Markup:
        return Markup(_ROOT) + escape(target)

    def _edit_url(self, record_path: str | None) -> str | None:
        if not record_path or not self.options.edit_base:
            return None
        return self.options.edit_base + quote(record_path)

    def _item(self, statement: Statement) -> Markup:
        """One statement as a listing line, rendered once however many listings show it."""
        cached = self._items.get(statement.id)
        if cached is None:
            actors = [self.archive.actors[a] for a in statement.actors if a in self.archive.actors]
            cached = Markup(self._macros.statement_item(statement, actors))  # type: ignore[attr-defined]
            self._items[statement.id] = cached
        return cached

    def _items_lines(self, statements: Iterable[Statement]) -> Markup:
        """Listing lines, one per line: a single output for the template, not one per item."""
        lines = [self._item(s) for s in statements]
        return Markup("\n".join(lines) + "\n" if lines else "")

    def permalink(self, url: str) -> str:
        """The absolute URL of a page when the site URL is known."""
        base = self.options.site_url
        return (base.rstrip("/") + "/" + url) if base else "/" + url

    def render(self, page: site.GeneratedPage) -> str:
        """The Markdown source of `page`: front matter and one raw HTML block."""
        # The globals first, then the page's values: what Template.render does, but with
        # plain dicts (it copies the globals out of a ChainMap, per page).
        context: dict[str, Any] = {**self._globals, **page.context, "page": page}
        if page.template == "statement.md.j2":
            statement: Statement = context["statement"]
            args = (statement, self.archive, self.options.site_url, self.options.site_name)
            context["citation"] = cite.citation_text(*args)
            context["bibtex"] = cite.citation_bibtex(*args)
            context["csl_json"] = cite.citation_csl_json(*args)
        template = self._templates.get(page.template)
        if template is None:
            template = self._templates[page.template] = self.env.get_template(page.template)
        try:
            body = self.env.concat(
                template.root_render_func(template.new_context(context, shared=True))
            )
        except Exception:
            self.env.handle_exception()  # raises, with the template's lines in the traceback
        depth = page.url.count("/")
        body = body.replace(_ROOT, "../" * depth if depth else "./")
        feed = None
        if page.feed is not None and feeds_enabled(self.options.site_url):
            if self._publishers is None:
                self._publishers = site.publishers(self.archive)
            kind, record_id = page.feed
            feed = feeds.feed_link(
                kind, record_id, self.archive, self.options.site_name, self._publishers
            )
        return _front_matter(page, feed) + body


def render_pages(
    archive: Archive, pages: Iterable[site.GeneratedPage], options: Options
) -> dict[str, str]:
    """Markdown source of each page, keyed by its file name (`statements/x/index.md`)."""
    renderer = Renderer(archive, options)
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
        self.pages: dict[str, tuple[site.GeneratedPage, RenderedPage]] = {}
        self.rendered = 0  # pages rendered by the last run (the rest were reused)
        self.bytecode = _MemoryBytecodeCache()  # templates compiled once, not per rebuild


#: Fewer pages than this are rendered in one process: a fork costs more than it saves.
PARALLEL_MIN_PAGES = 2000
#: Pages a process claims at a time when two share the work.
_CHUNK = 100


def _render_in_two(
    archive: Archive, options: Options, models: Sequence[site.GeneratedPage]
) -> list[str]:
    """The Markdown of each of `models`, rendered by this process and one forked child.

    The two claim chunks from opposite ends of one list, so they finish together whatever
    the pages cost: this process starts at the listings (which share the statement lines it
    caches), the child at the statement pages. Rendering is a pure function of the page,
    so the result is the same bytes as rendering in one process. If the child fails, this
    process renders what the child had claimed.
    """
    context = multiprocessing.get_context("fork")
    # Listings first, statement pages last; stable, so each end keeps URL order.
    order = sorted(range(len(models)), key=lambda i: models[i].template == "statement.md.j2")
    # No lock: each counter has one writer, so a child that dies can never leave one held.
    # Two claims racing at the meeting point may overlap by a chunk (rendered twice, the
    # same bytes); they never leave a gap, since each side stops only once the ends met.
    front = context.RawValue("q", 0)  # written by this process only
    back = context.RawValue("q", len(order))  # written by the child only
    reader, writer = context.Pipe(duplex=False)

    def child() -> None:
        renderer = Renderer(archive, options)
        done = []
        while (start := max(front.value, back.value - _CHUNK)) < (end := back.value):
            back.value = start
            done.append((start, [renderer.render(models[order[i]]) for i in range(start, end)]))
        writer.send(done)

    process = context.Process(target=child, name="briefing-render", daemon=True)
    process.start()
    writer.close()  # so that recv() below sees EOF if the child dies
    markdown: list[str | None] = [None] * len(order)
    finished = False
    try:
        renderer = Renderer(archive, options)
        while (start := front.value) < (end := min(back.value, start + _CHUNK)):
            front.value = end
            for i in range(start, end):
                markdown[i] = renderer.render(models[order[i]])
        try:
            for start, texts in reader.recv():
                for i, text in enumerate(texts, start):
                    if markdown[i] is None:
                        markdown[i] = text
        except (EOFError, OSError):
            pass  # the child died: its pages are rendered below
        finished = True
    finally:
        reader.close()
        if not finished:  # an error or Ctrl-C here: the child's pages are not wanted
            process.terminate()
        process.join()
    result = [""] * len(order)
    for position, index in enumerate(order):
        text = markdown[position]
        result[index] = renderer.render(models[index]) if text is None else text
    return result


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while the pages are made.

    An archive is millions of objects, and each full collection walks all of them; making
    the pages allocates enough to start several, a tenth of the time at 10,000 statements.
    Rendering leaves little cyclic garbage, so the collector simply runs later. In a forked
    renderer it also keeps the parent's memory shared (a collection would touch every page).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def generate_pages(
    archive: Archive,
    options: Options | None = None,
    cache: RenderCache | None = None,
    *,
    processes: int = 1,
) -> tuple[RenderedPage, ...]:
    """Every generated page of the site for `archive`, in URL order.

    With `cache` (from the previous call), pages whose model did not change are reused.
    With `processes=2` (and no cache), a forked process renders part of the pages where the
    platform can fork and the site has `PARALLEL_MIN_PAGES` pages or more; the pages are the
    same either way.
    """
    options = options or Options()
    with _collection_paused():
        return _generate_pages(archive, options, cache, processes)


def _generate_pages(
    archive: Archive, options: Options, cache: RenderCache | None, processes: int
) -> tuple[RenderedPage, ...]:
    models = site.build_pages(archive, page_size=options.page_size, latest=options.latest)
    if cache is None:
        if processes > 1 and len(models) >= PARALLEL_MIN_PAGES and _can_fork():
            texts = _render_in_two(archive, options, models)
        else:
            renderer = Renderer(archive, options)
            texts = [renderer.render(page) for page in models]
        return tuple(
            RenderedPage(
                src_uri=page.src_uri,
                markdown=text,
                edit_path=page.edit_path,
                section=page.url in site.SECTION_URLS,
            )
            for page, text in zip(models, texts, strict=True)
        )
    dependencies = (
        options,
        archive.actors,
        archive.topics,
        archive.briefings,
        site.publishers(archive),
    )
    previous = cache.pages if dependencies == cache.dependencies else {}
    lazy: list[Renderer] = []  # made on the first page that needs rendering
    pages: dict[str, tuple[site.GeneratedPage, RenderedPage]] = {}
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
            section=model.url in site.SECTION_URLS,
        )
        pages[model.src_uri] = (model, rendered)
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
    for url in site.SECTION_URLS:
        page = site.GeneratedPage(url=url, title="Records have problems", template="error.md.j2")
        body = env.get_template("error.md.j2").render(problems=problems)
        files[page.src_uri] = _front_matter(page) + body
    return files
