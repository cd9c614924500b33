"""Generate every page of the site: plan the pages, render them, in one process or two.

`generate_pages` is what a build calls. A `serve` rebuild passes a `RenderCache`, and only
pages whose model changed are rendered again. A large archive is rendered by this process
and a second one (`generator/worker.py`), with the same bytes in the same order.
"""

from __future__ import annotations

import functools
import heapq
import operator
from collections.abc import Callable

from generator import collector
from generator.pages import plan
from generator.pages.jinja import MemoryBytecodeCache, disk_bytecode_cache
from generator.pages.models import GeneratedPage
from generator.pages.options import Options
from generator.pages.render import RenderedPage, Renderer
from generator.pages.urls import publishers, src_uri
from generator.records.model import Archive
from generator.reuse import Reuse


class RenderCache:
    """What `serve` rebuilds keep of the pages, so that they re-render only what changed.

    `pages` holds each page by src_uri, made from its model (URL, title, template, context:
    the statements, groups and records it shows): a page whose model equals the previous
    run's is reused (Python equality is deep on the frozen model dataclasses). Templates
    also look up actors, topics, briefings and publisher names outside a page's context (a
    listing line names the actors; a feed link names its actor or topic), so these and the
    options are what every page depends on: any change to them re-renders every page.
    `pages.made` counts the pages the last run rendered.
    """

    def __init__(self) -> None:
        self.pages: Reuse[str, RenderedPage] = Reuse()
        # Templates compiled once, not per rebuild (and not at all when the disk has them).
        self.bytecode = MemoryBytecodeCache(disk_bytecode_cache())


#: With fewer statements than this, the pages are rendered in one process: a second one
#: costs more than it saves. (Each statement has a page, and there are about as many
#: listings.)
PARALLEL_MIN_STATEMENTS = 1000
#: Pages a process claims at a time when two share the work.
_CHUNK = 100


def _render_all(
    archive: Archive, options: Options, parallel: bool, beside: Callable[[], None] | None
) -> tuple[RenderedPage, ...]:
    """Every page, rendered as jobs that `worker.share` may share with a second process.

    The jobs are the statement pages, which need no grouping, then the listings (they
    share the statement lines the renderer caches). A second process starts on the
    statement pages at once, while this one groups the archive (`plan.build_listings`)
    and then renders from the last listing on (generator/worker.py). Rendering is a pure
    function of the page, so the result is the same bytes however many processes made it.
    """
    from generator.worker import share

    statements = plan.statements_by_url(archive)
    first = len(statements)  # jobs below this are statement pages, the rest listings
    # Made first, so that a second process inherits it with the templates it has compiled.
    renderer = Renderer(archive, options, disk_bytecode_cache())
    listings: list[GeneratedPage] = []

    def prepare() -> int:
        listings.extend(
            plan.build_listings(
                archive, page_size=options.page_size, latest=options.latest, home=options.home
            )
        )
        return first + len(listings)

    def job(i: int) -> bytes:
        # Encoded where rendered: the second process's pages then cross the pipe as they
        # are kept (render.RenderedPage).
        if i < first:
            return renderer.render(plan.statement_page(archive, statements[i][1])).encode()
        return renderer.render(listings[i - first]).encode()

    texts = share(
        prepare,
        job,
        parallel=parallel,
        name="briefing-render",
        what="generating pages",
        unit="page",
        chunk=_CHUNK,
        child_limit=first,
        beside=beside,
    )
    renderer.close()
    # Both lists are in URL order, and their URLs never meet: merged, they are in URL order.
    made = [
        (url, RenderedPage(src_uri(url), text, statement.path, section=False))
        for (url, statement), text in zip(statements, texts[:first], strict=True)
    ]
    listed = [
        (page.url, _rendered(page, text))
        for page, text in zip(listings, texts[first:], strict=True)
    ]
    return tuple(page for _, page in heapq.merge(listed, made, key=operator.itemgetter(0)))


def _rendered(page: GeneratedPage, data: bytes) -> RenderedPage:
    return RenderedPage(
        src_uri=page.src_uri,
        data=data,
        edit_path=page.edit_path,
        section=page.url in plan.SECTION_URLS,
    )


def generate_pages(
    archive: Archive,
    options: Options,
    cache: RenderCache | None = None,
    *,
    processes: int = 1,
    beside: Callable[[], None] | None = None,
) -> tuple[RenderedPage, ...]:
    """Every generated page of the site for `archive`, in URL order.

    With `cache` (from the previous call), pages whose model did not change are reused.
    With `processes=2` (and no cache), a second process renders part of the pages when the
    archive has `PARALLEL_MIN_STATEMENTS` statements or more and generator/worker.py finds
    it safe; the pages are the same either way. `beside` is called once, after the grouping
    and after any second process has started: work that starts threads goes there
    (`worker.share` says why).
    """
    with collector.paused():  # rendering leaves little cyclic garbage: it waits
        return _generate_pages(archive, options, cache, processes, beside)


def _generate_pages(
    archive: Archive,
    options: Options,
    cache: RenderCache | None,
    processes: int,
    beside: Callable[[], None] | None,
) -> tuple[RenderedPage, ...]:
    if cache is None:
        parallel = processes > 1 and len(archive.statements) >= PARALLEL_MIN_STATEMENTS
        return _render_all(archive, options, parallel, beside)  # calls `beside` once
    models = plan.build_pages(
        archive, page_size=options.page_size, latest=options.latest, home=options.home
    )
    if beside is not None:
        beside()
    reuse = cache.pages
    reuse.begin((options, archive.actors, archive.topics, archive.briefings, publishers(archive)))
    lazy: list[Renderer] = []  # made on the first page that needs rendering

    def render(page: GeneratedPage) -> RenderedPage:
        if not lazy:
            lazy.append(Renderer(archive, options, cache.bytecode))
        return _rendered(page, lazy[0].render(page).encode())

    pages = [reuse.get(page.src_uri, page, functools.partial(render, page)) for page in models]
    for renderer in lazy:
        renderer.close()
    reuse.end()
    return tuple(pages)


def generate(archive: Archive, options: Options) -> dict[str, str]:
    """Every generated Markdown file of the site for `archive`, keyed by file name."""
    return {page.src_uri: page.markdown for page in generate_pages(archive, options)}


__all__ = ["PARALLEL_MIN_STATEMENTS", "RenderCache", "generate", "generate_pages"]
