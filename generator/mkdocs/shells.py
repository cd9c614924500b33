"""Theme "shells": the theme's page template rendered once per page shape, then filled in.

A theme template (`lean.html`, which extends Material's `main.html`) costs milliseconds per
page, and nearly all of its output is the same for every generated page of one kind: header,
sidebar, footer, scripts. What differs is a handful of values (title, body, canonical URL,
edit link, feed link). So the plugin renders the real template once per *shape* with slot
markers in place of those values, splits the output at the markers, and builds every other
page of that shape by joining the pieces with the page's own values. The result is
byte-identical to rendering each page (tests/test_shell.py builds the same sites both ways
and compares every file).

A shape is what changes the template's output besides the slot values: the page's URL
prefix and depth (relative links), its other front matter (`hide: [toc]`), whether it has
an edit link, a feed, and an `<h1>` of its own. A template that uses a slot value in a way
this module can't reproduce (a filter other than HTML escaping, say) leaves a marker it
does not recognise; that shape then falls back to the normal per-page rendering.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from generator.mkdocs.lean_templates import LeanLoader
from generator.pages.render import read_front_matter

#: Slot markers: ASCII, with an `&` so that HTML escaping shows (`&amp;`) and the slot is
#: filled with the value escaped the same way. Any other transformation leaves a marker
#: the parser does not recognise, and the shape falls back to per-page rendering.
_MARK = "zqx&briefing-slot-{}-zqx"
_FOUND = re.compile(r"zqx(&|&amp;)briefing-slot-([a-z-]+)-zqx")
_LEFTOVER = "briefing-slot-"  # any marker form the parser did not consume
#: The slots: what page_values gives for each page.
_SLOTS = frozenset(
    ("title", "content", "edit", "canonical", "feed-title", "feed-href", "description", "head")
)
#: Front-matter keys filled in through slots; every other key is part of the shape.
#: (`description` and `head` are not front matter: `lift_head` takes them from the body.)
_SLOT_META = ("title", "feed", "template", "description", "head")

#: The `<head>` metadata a generated body may start with (templates/statement.md.j2): an
#: HTML comment, first the page's description as a meta tag, then the rest of the tags.
#: Record text is escaped in it (no `<`, `>` or `"` of its own), so it cannot fake or end it.
_OPEN, _CLOSE = "<!--ba-head\n", "\nba-head-->\n"
_DESCRIPTION = '<meta name="description" content="'


def lift_head(body: str) -> tuple[str | None, str | None, str]:
    """A generated body's `<head>` metadata, taken out of it: the description (escaped, as
    Material prints `page.meta.description` unescaped), the other tags, and the body left."""
    # str methods, not a regular expression: a lazy `.*?` over every statement page's head
    # steps through it a character at a time.
    lead = len(body) - len(body.lstrip())
    if not body.startswith(_OPEN, lead):
        return None, None, body
    start = lead + len(_OPEN)
    if body.startswith(_DESCRIPTION, start):
        begin = start + len(_DESCRIPTION)
        end = body.find('"', begin)
        value = body[begin:end]
        close = body.find(_CLOSE, end + 3)
        well_formed = end != -1 and body.startswith(">\n", end + 1)
        if well_formed and close != -1 and "<" not in value and ">" not in value:
            return value, body[end + 3 : close], body[:lead] + body[close + len(_CLOSE) :]
    close = body.find(_CLOSE, start)
    if close == -1:
        return None, None, body
    return None, body[start:close], body[:lead] + body[close + len(_CLOSE) :]


class Unsupported(Exception):
    """The template's output for this shape can't be rebuilt from slots."""


@dataclass(frozen=True, slots=True)
class Shell:
    """A template's output split at the slots: literal, slot, literal, slot, ... literal."""

    pieces: tuple[str, ...]  # literals at even indexes, slot names at odd ones

    def fill(self, values: dict[str, str]) -> str:
        """The page: every slot replaced by its value (`<name>-e` slots: HTML-escaped)."""
        out = list(self.pieces)
        for i in range(1, len(out), 2):
            name = out[i]
            if name.endswith("-e"):
                out[i] = str(escape(values[name[:-2]]))
            else:
                out[i] = values[name]
        return "".join(out)


def shape_key(
    page: Page, body: str, template: str, nav_urls: tuple[str, ...] = ()
) -> tuple[object, ...]:
    """What, besides the slot values, the template's output for `page` depends on.

    `nav_urls` are the URLs of the pages in the nav, which the theme links to from every page.
    """
    url = page.url
    first = url.split("/", 1)[0]
    rest = sorted((k, repr(v)) for k, v in page.meta.items() if k not in _SLOT_META)
    feed = page.meta.get("feed")
    return (
        first,  # relative links to the nav and assets depend on the prefix
        url.count("/"),  # ... and on the depth
        # ... and, for a nav page inside this page's section (dates/2023/ beside
        # dates/2024/03/03/), on the rest of the path: the link itself is part of the key.
        tuple(get_relative_url(u, url) for u in nav_urls if u.startswith(first + "/")),
        tuple(rest),
        template,
        page.edit_url is not None,
        isinstance(feed, dict),
        "<h1" in body,  # Material adds an <h1> of the title when the body has none
        "description" in page.meta,  # else Material writes the site's description
        "head" in page.meta,
    )


def page_values(page: Page, body: str) -> dict[str, str]:
    """The slot values of one page, as they are (Shell.fill escapes where the theme does)."""
    meta = page.meta
    feed: dict[str, Any] = meta["feed"] if isinstance(meta.get("feed"), dict) else {}
    return {
        "title": str(meta.get("title", "")),
        "content": body,
        "edit": page.edit_url or "",
        "canonical": page.canonical_url or "",
        "feed-title": str(feed.get("title", "")),
        "feed-href": str(feed.get("href", "")),
        "description": str(meta.get("description", "")),
        "head": str(meta.get("head", "")),
    }


def render_shell(template_render: Any, context: dict[str, Any], page: Page, body: str) -> Shell:
    """Render the template once for a stand-in of `page` whose slot values are markers.

    `template_render` is the theme template's `render`; `context` is the template context
    MkDocs built for `page` (same URL, so the same relative links).
    """
    if page.edit_url and "/blob/" in page.edit_url:
        raise Unsupported("Material derives a second link from a /blob/ edit URL")
    probe = copy.copy(page)
    meta = {k: v for k, v in page.meta.items() if k != "template"}
    meta["title"] = _MARK.format("title")
    if isinstance(meta.get("feed"), dict):
        meta["feed"] = {"title": _MARK.format("feed-title"), "href": _MARK.format("feed-href")}
    for key in ("description", "head"):
        if key in meta:
            meta[key] = _MARK.format(key)
    probe.meta = meta
    content = _MARK.format("content")
    probe.content = f"<h1>{content}</h1>" if "<h1" in body else content
    probe.edit_url = _MARK.format("edit") if page.edit_url else None
    html = template_render({**context, "page": probe})
    canonical = page.canonical_url
    if canonical:
        html = html.replace(canonical, _MARK.format("canonical"))
    if "<h1" in body:
        html = html.replace(f"<h1>{content}</h1>", content)
    return _split(html, page)


def _split(html: str, page: Page) -> Shell:
    pieces: list[str] = []
    pos = 0
    for match in _FOUND.finditer(html):
        pieces.append(html[pos : match.start()])
        name = match.group(2)
        if name not in _SLOTS:  # e.g. `replace('edit', 'raw')` made `raw` of `edit`
            raise Unsupported(f"the template turned a slot marker into {name!r}")
        pieces.append(name if match.group(1) == "&" else f"{name}-e")
        pos = match.end()
    pieces.append(html[pos:])
    literals = pieces[::2]
    if any(_LEFTOVER in text.lower() for text in literals):  # e.g. `| upper` applied
        raise Unsupported("the template transforms a slot value in a way not reproduced here")
    # The stand-in shares the real page's URL; if it shows up outside the slots, the
    # template printed it some other way (e.g. urlencoded) and the shell would carry this
    # page's URL into every other page.
    if page.url and any(page.url in text for text in literals):
        raise Unsupported(f"the page URL {page.url!r} appears outside the slots")
    return Shell(tuple(pieces))


class ShellCache:
    """The shells of one build, by shape; `None` marks a shape rendered page by page."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.shells: dict[tuple[object, ...], Shell | None] = {}
        self.nav_urls: tuple[str, ...] | None = None  # from the first page's context
        self.filled = 0
        self.rendered = 0

    def render(self, page: Page, context: dict[str, Any], body: str, name: str) -> str:
        """The page's HTML, from its shape's shell (made on first use) or rendered in full.

        `name` is the theme template the page would be rendered with (`lean.html`).
        """
        # The template is looked up only to render: with MkDocs' auto_reload every lookup
        # stats its file, which a filled page never needs.
        if self.nav_urls is None:
            nav = context.get("nav")
            self.nav_urls = tuple(p.url for p in nav.pages) if nav is not None else ()
        if page.url in self.nav_urls:
            # A page in the nav is marked active there, which no other page's output shows.
            self.rendered += 1
            return self.env.get_template(name).render(context)
        key = shape_key(page, body, name, self.nav_urls)
        if key not in self.shells:
            try:
                render = self.env.get_template(name).render
                self.shells[key] = render_shell(render, context, page, body)
            except Unsupported:
                self.shells[key] = None
        shell = self.shells[key]
        if shell is None:
            self.rendered += 1
            return self.env.get_template(name).render(context)
        self.filled += 1
        return shell.fill(page_values(page, body))


#: An empty template: MkDocs renders it for the filled pages instead of the theme's.
EMPTY_TEMPLATE = "briefing/empty.html"
#: The theme template of the generated pages outside the nav (theme/lean.html): Material's
#: look with less of its chrome repeated on every page. The hand-written pages, and the
#: generated pages in the nav (section pages), keep main.html.
LEAN_TEMPLATE = "lean.html"


class FastPages:
    """The MkDocs side: generated pages skip Python-Markdown and the per-page template.

    The plugin forwards four events here. Bodies are the generated pages' HTML by src_uri;
    `lean` is the set of those rendered with LEAN_TEMPLATE (pages outside the nav), `fill`
    the set of those built from its shells (all of `lean`, unless shells are off).
    """

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}  # as UTF-8, as the pages are kept (RenderedPage)
        self.lean: set[str] = set()
        self.fill: set[str] = set()
        #: Whether nothing but the filling reads a filled page's content (no search plugin
        #: indexes it): then it waits for post_page as UTF-8 bytes, not as MkDocs' str.
        self.compact = False
        self.cache: ShellCache | None = None
        self._context: dict[str, Any] | None = None
        # A filled page's body and head tags, as UTF-8, between pre_page and post_page.
        self._held: dict[str, tuple[bytes, bytes | None]] = {}

    def pre_page(self, page: Page) -> None:
        """Replace Markdown rendering for a generated page: its body is HTML already."""
        src = page.file.src_uri
        data = self.bodies.pop(src, None)
        if data is not None:
            # The body MkDocs gets (and the search index sees) is without its <head> part.
            description, head, body = lift_head(data.decode())
            if self.compact and src in self.fill:
                # MkDocs keeps every page's content from its first pass over the pages to
                # its second; as str, a page with one character past Latin-1 takes two or
                # four bytes for each. Its content is "" until post_page fills the page.
                self._held[src] = (body.encode(), None if head is None else head.encode())
                body, head = "", None
            # The Markdown source is front matter only, which renders to nothing; building
            # a Python-Markdown instance per page just to get that is wasted work.
            page.render = _BodyRender(page, body, description, head)  # type: ignore[method-assign]
            page.read_source = _ReadSource(page)  # type: ignore[method-assign]

    def page_content(self, page: Page) -> None:
        """Have MkDocs render the empty template for a page that will be filled, and the
        lean one for a lean page rendered in full."""
        src = page.file.src_uri
        if src in self.fill:
            page.meta["template"] = EMPTY_TEMPLATE
        elif src in self.lean:
            page.meta["template"] = LEAN_TEMPLATE

    def env(self, env: Environment) -> None:
        """A new build: new shells (the theme or config may have changed)."""
        loaders = env.loader.loaders if isinstance(env.loader, ChoiceLoader) else []
        if not any(isinstance(loader, _EmptyLoader) for loader in loaders):
            assert env.loader is not None
            theme = env.loader
            env.loader = ChoiceLoader(
                [_EmptyLoader({EMPTY_TEMPLATE: ""}), LeanLoader(theme), theme]
            )
        self.cache = ShellCache(env)

    def page_context(self, context: dict[str, Any], page: Page) -> None:
        """Keep the template context for post_page, where the page is filled."""
        self._context = context if page.meta.get("template") == EMPTY_TEMPLATE else None

    def post_page(self, output: str, page: Page) -> str:
        """The filled page for the empty template's output; anything else unchanged."""
        context, self._context = self._context, None
        if context is None or self.cache is None or page.meta.get("template") != EMPTY_TEMPLATE:
            return output
        # Every filled page is a lean one (FastPages.fill is a subset of FastPages.lean).
        src = page.file.src_uri
        held = self._held.pop(src, None)
        if held is not None:
            page.content = held[0].decode()
            if held[1] is not None:
                page.meta["head"] = held[1].decode()
        body = page.content or ""
        html = self.cache.render(page, context, body, LEAN_TEMPLATE)
        # Written now and never read again: at 100,000 pages, keeping every body (and its
        # head tags) to the end of the build would hold gigabytes.
        page.content = None
        page.meta.pop("head", None)
        page.__dict__.pop("render", None)  # the _BodyRender, which holds them too
        page.__dict__.pop("read_source", None)
        return html


class _EmptyLoader(DictLoader):
    """Serves EMPTY_TEMPLATE; a class of its own so that env() recognises it."""


class _ReadSource:
    """Page.read_source for a generated page: its front matter read as render.py wrote it."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def __call__(self, config: MkDocsConfig) -> None:
        page = self.page
        source = config.plugins.on_page_read_source(page=page, config=config)
        if source is None:
            source = page.file.content_string
        meta = read_front_matter(source)
        if meta is None:  # not as render.py writes it (another plugin's source): MkDocs'
            page.markdown, page.meta = get_data(source)
        else:
            page.markdown, page.meta = "", meta


class _BodyRender:
    """Page.render for a generated page: what Python-Markdown would set for its source."""

    def __init__(self, page: Page, body: str, description: str | None, head: str | None) -> None:
        self.page, self.body = page, body
        self.description, self.head = description, head

    def __call__(self, config: MkDocsConfig, files: Files) -> None:
        page = self.page
        # Read after the front matter (MkDocs reads it just before rendering), for the theme.
        if self.description is not None:
            page.meta["description"] = self.description
        if self.head is not None:
            page.meta["head"] = self.head
        page.content = self.body
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        page.links_to_anchors = {}


__all__ = [
    "EMPTY_TEMPLATE",
    "LEAN_TEMPLATE",
    "FastPages",
    "Shell",
    "ShellCache",
    "Unsupported",
    "lift_head",
    "page_values",
    "render_shell",
    "shape_key",
]
