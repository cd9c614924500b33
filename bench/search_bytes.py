"""Bytes a browser downloads from a Pagefind site for one query, measured in Chromium.

Serves a built site on 127.0.0.1, opens /search/ in Debian's Chromium (Playwright,
executable_path, the flags of tests/browser/conftest.py), types the query and sums the
bodies of every /pagefind/ response until the network is idle: the runtime, UI, metadata,
filters, index chunks and result fragments a reader's first query costs.

Python's http.server sends files as they are; Pagefind's own index files are gzipped
already, but its .js/.css are not, and a real host (GitHub Pages) gzips those. So the
figure is given both as served and with the .js/.css bodies gzipped (`gzip_host`).

    python bench/search_bytes.py SITE_DIR --query cooperation --query "Kirill Zhou 1234"
"""

from __future__ import annotations

import argparse
import functools
import gzip
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class QueryBytes:
    """One query's downloads from /pagefind/, by file (path inside the bundle -> bytes)."""

    query: str
    results: str
    files: dict[str, int] = field(default_factory=dict)
    gzip_host: int = 0
    seconds: float = 0.0  # from typing the query to the result count shown

    @property
    def total(self) -> int:
        """All /pagefind/ bytes as served."""
        return sum(self.files.values())

    def part(self, prefix: str) -> int:
        """Bytes of the files under one bundle folder (index/, fragment/, filter/)."""
        return sum(v for k, v in self.files.items() if k.startswith(prefix))

    @property
    def meta(self) -> int:
        """Bytes of the bundle's metadata file (one entry per indexed page)."""
        return sum(v for k, v in self.files.items() if k.endswith(".pf_meta"))

    def line(self) -> str:
        """A one-line summary."""
        return (
            f"{self.query!r}: {self.total / 1e6:.2f} MB served ({self.gzip_host / 1e6:.2f} MB "
            f"from a gzip host) in {len(self.files)} files; index {self.part('index/') / 1e3:.0f}"
            f" kB, fragments {self.part('fragment/') / 1e3:.0f} kB, filters "
            f"{self.part('filter/') / 1e3:.0f} kB, meta {self.meta / 1e3:.0f} kB; "
            f"{self.results} in {self.seconds:.1f} s"
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


def measure(site: Path, queries: list[str], timeout_ms: int = 300_000) -> list[QueryBytes]:
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
            measured = QueryBytes(query, "")
            bodies: dict[str, Any] = {}

            def finished(
                request: Any, m: QueryBytes = measured, seen: dict[str, Any] = bodies
            ) -> None:
                if "/pagefind/" in request.url:
                    name = request.url.split("/pagefind/", 1)[1]
                    m.files[name] = request.sizes()["responseBodySize"]
                    seen[name] = request

            page.on("requestfinished", finished)
            page.goto("/search/")
            start = time.perf_counter()
            page.locator(".pagefind-ui__search-input").fill(query)
            message = page.locator(".pagefind-ui__message")
            message.filter(has_text=re.compile("results? for")).wait_for()
            measured.seconds = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            measured.results = message.inner_text()
            for name, request in bodies.items():
                size = measured.files[name]
                if name.endswith((".js", ".css")):
                    response = request.response()
                    size = len(gzip.compress(response.body(), 6)) if response else size
                measured.gzip_host += size
            out.append(measured)
            context.close()
        browser.close()
    return out


def main() -> None:
    """Measure the queries given on the command line and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", default=[])
    args = parser.parse_args()
    for measured in measure(args.site, args.query or ["cooperation"]):
        print(measured.line())


if __name__ == "__main__":
    main()
