"""Bytes a browser downloads from a Pagefind site for one query, measured in Chromium.

Serves a built site on 127.0.0.1, opens /search/ in Debian's Chromium (Playwright,
executable_path, the flags of tests/browser/conftest.py), types the query and sums the
bodies of every response the search needs until the network is idle: under /pagefind/ the
shard manifest, the runtime (pagefind.js, its worker, the WebAssembly), each searched
shard's metadata, index chunks and result fragments (and filter data, if a filter is used);
plus the search page's own briefing-search.js and .css.

`--older N` then presses the page's "Search <earlier period>" button N times (the next older
shard) and reports the bytes after each press.

Python's http.server sends files as they are; Pagefind's own index files are gzipped
already, but its .js/.css and the JSON files are not, and a real host (GitHub Pages) gzips
those. So the figure is given both as served and with those bodies gzipped (`gzip_host`).

    python bench/search_bytes.py SITE_DIR --query cooperation --query "Kirill Zhou 1234"
"""

from __future__ import annotations

import argparse
import functools
import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: The search page's own files, counted with the bundle's.
PAGE_ASSETS = ("/assets/javascripts/briefing-search", "/assets/stylesheets/briefing-search")
#: Bodies a real host would gzip (Pagefind's index files are gzipped already).
TEXT = (".js", ".css", ".json")


@dataclass
class QueryBytes:
    """One query's downloads, by file (path under /pagefind/, or the page asset's path)."""

    query: str
    results: str
    files: dict[str, int] = field(default_factory=dict)
    gzip_host: int = 0
    seconds: float = 0.0  # from typing the query to the results shown
    step: str = "query"

    @property
    def total(self) -> int:
        """All bytes as served."""
        return sum(self.files.values())

    def part(self, marker: str) -> int:
        """Bytes of the files whose path contains `marker` (index/, pack/, filter/)."""
        return sum(v for k, v in self.files.items() if marker in k)

    @property
    def meta(self) -> int:
        """Bytes of the shards' metadata files (one entry per indexed page)."""
        return sum(v for k, v in self.files.items() if k.endswith(".pf_meta"))

    @property
    def shards(self) -> int:
        """How many shards' metadata were fetched."""
        return sum(1 for k in self.files if k.endswith(".pf_meta"))

    def line(self) -> str:
        """A one-line summary."""
        runtime = self.part("pagefind.js") + self.part("pagefind-worker.js") + self.part("wasm.")
        return (
            f"{self.query!r} {self.step}: {self.total / 1e6:.2f} MB served "
            f"({self.gzip_host / 1e6:.2f} MB from a gzip host) in {len(self.files)} files, "
            f"{self.shards} shard(s); meta {self.meta / 1e3:.0f} kB, index "
            f"{self.part('/index/') / 1e3:.0f} kB, result packs {self.part('/pack/') / 1e3:.0f}"
            f" kB, filters {self.part('/filter/') / 1e3:.0f} kB, runtime+wasm "
            f"{runtime / 1e3:.0f} kB, manifest {self.part('.json') / 1e3:.1f} kB, page "
            f"{self.part('briefing-search') / 1e3:.0f} kB; {self.results!r} in "
            f"{self.seconds:.1f} s"
        )


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """`site` over HTTP on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _name(url: str, base: str) -> str | None:
    """The counted name of a response's URL, or None for files the search does not need."""
    path = url[len(base) :].split("?", 1)[0]
    if "/pagefind/" in path:
        return path.split("/pagefind/", 1)[1]
    if path.startswith(PAGE_ASSETS):
        return path
    return None


def measure(
    site: Path,
    queries: list[str],
    timeout_ms: int = 300_000,
    older: int = 0,
    filters: dict[str, str] | None = None,
) -> list[QueryBytes]:
    """Each query in a fresh browser context (cold cache), on the site's /search/ page."""
    from playwright.sync_api import sync_playwright

    out = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for query in queries:
            context = browser.new_context(base_url=base)
            context.set_default_timeout(timeout_ms)
            context.route(lambda url: not url.startswith(base + "/"), lambda r: r.abort())
            page = context.new_page()
            bodies: dict[str, Any] = {}

            def finished(request: Any, seen: dict[str, Any] = bodies) -> None:
                name = _name(request.url, base)
                if name is not None:
                    seen[name] = request

            # On the context: Pagefind fetches from its web worker, not only from the page.
            context.on("requestfinished", finished)
            params = "&".join(f"{k}={quote(v)}" for k, v in (filters or {}).items())
            page.goto("/search/" + (f"?{params}" if params else ""))
            page.locator("#ba-search[data-state=idle]").wait_for(state="attached")
            for step in range(older + 1):
                start = time.perf_counter()
                # data-done counts the searches (and presses) that finished: wait for ours.
                done = int(page.locator("#ba-search").get_attribute("data-done") or 0)
                if step == 0:
                    page.locator("#ba-search-q").fill(query)
                else:
                    page.locator(".ba-search__older").click()
                page.locator(f"#ba-search[data-done='{done + 1}']").wait_for(state="attached")
                seconds = time.perf_counter() - start
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                measured = QueryBytes(query, page.locator(".ba-search__status").inner_text())
                measured.seconds = seconds
                measured.step = "query" if step == 0 else f"+{step} older"
                for name, request in bodies.items():
                    size = request.sizes()["responseBodySize"]
                    measured.files[name] = size
                    if name.endswith(TEXT):
                        response = request.response()
                        size = len(gzip.compress(response.body(), 6)) if response else size
                    measured.gzip_host += size
                out.append(measured)
                if page.locator(".ba-search__older").is_hidden():
                    break
            context.close()
        browser.close()
    return out


def main() -> None:
    """Measure the queries given on the command line and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", default=[])
    parser.add_argument("--older", type=int, default=0, help="search N older shards too")
    parser.add_argument(
        "--filter", action="append", default=[], help="NAME=VALUE, e.g. year=2019 (in the URL)"
    )
    args = parser.parse_args()
    filters = dict(item.split("=", 1) for item in args.filter)
    for measured in measure(
        args.site, args.query or ["cooperation"], older=args.older, filters=filters
    ):
        print(measured.line())
        for name, size in sorted(measured.files.items(), key=lambda kv: -kv[1])[:8]:
            print(f"    {size:>9,} B  {name}")


if __name__ == "__main__":
    main()
