"""Fixtures for the browser tests: a site built once, served, and driven in Chromium.

The site is the mini fixture archive (tests/fixtures/mini/content) with the repository's
mkdocs.yml and docs/ as shipped, not content/: the tests of the tool must not depend on the
archive a user keeps there (test_bundled_archive*.py build content/ for the tests of the
bundled archive). It is built with the real CLI (`briefing build --site-dir`), served over HTTP
on a free port of 127.0.0.1, and opened in Debian's Chromium through Playwright's `executable_path`
(Playwright's own browser download does not work on these machines). Without Chromium the tests
skip, unless BRIEFING_REQUIRE_BROWSER=1 (CI sets it), where they fail.

A failing test leaves a full-page screenshot of its page in test-artifacts/<test name>.png.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from _site_support import FIXTURE_CONTENT, make_project

ROOT = Path(__file__).resolve().parents[2]
CONTENT = FIXTURE_CONTENT  # the records of the site the tests drive
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Generous for a loaded CI machine, far below anything a human would wait.
TIMEOUT_MS = 15_000


def _require_browser() -> bool:
    return os.environ.get("BRIEFING_REQUIRE_BROWSER", "") not in ("", "0")


def _missing(reason: str) -> None:
    """Skip locally, fail when the environment says the browser tests must run."""
    if _require_browser():
        pytest.fail(f"{reason} (BRIEFING_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


# --- the archive's records, read with PyYAML ------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """One statement record, as far as the browser tests need it."""

    id: str
    date: dt.date
    actors: tuple[str, ...]
    title: str
    quotes: tuple[str, ...]

    @property
    def path(self) -> str:
        """The statement's permalink path."""
        return f"/statements/{self.id}/"


@dataclass(frozen=True)
class Actor:
    """One actor record: its id, its display name and its other names."""

    id: str
    name: str
    names: tuple[tuple[str, str], ...]  # (name, lang)

    @property
    def path(self) -> str:
        """The actor page's path."""
        return f"/actors/{self.id}/"


@dataclass(frozen=True)
class Archive:
    """An archive's records, so tests read ids and dates instead of hard-coding them."""

    statements: tuple[Statement, ...]
    actors: dict[str, Actor] = field(default_factory=dict)

    def by_actor(self, actor_id: str) -> list[Statement]:
        """The statements `actor_id` is an actor of (not merely mentioned in)."""
        return [s for s in self.statements if actor_id in s.actors]

    def days(self) -> list[dt.date]:
        """The distinct statement dates, oldest first."""
        return sorted({s.date for s in self.statements})

    def latest(self) -> list[Statement]:
        """The statements, newest first."""
        return sorted(self.statements, key=lambda s: (s.date, s.id), reverse=True)


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def day_path(day: dt.date) -> str:
    """The path of a day page."""
    return f"/dates/{day:%Y/%m/%d}/"


def read_archive(content: Path) -> Archive:
    """The records of `content` (statements and actors), loaded with PyYAML."""
    statements = []
    for path in sorted((content / "statements").rglob("*.yml")):
        data = _load(path)
        date = data["date"]
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        statements.append(
            Statement(
                id=data["id"],
                date=date,
                actors=tuple(data["actors"]),
                title=data["title"],
                quotes=tuple(q["text"] for q in data.get("quotes") or ()),
            )
        )
    actors = {}
    for path in sorted((content / "actors").glob("*.yml")):
        data = _load(path)
        names = tuple((n["name"], n.get("lang", "")) for n in data.get("names") or ())
        actors[data["id"]] = Actor(id=data["id"], name=data["name"], names=names)
    assert statements, f"{content}/statements holds no records"
    return Archive(tuple(statements), actors)


@pytest.fixture(scope="session")
def archive() -> Archive:
    """The records of the site the tests drive (CONTENT)."""
    return read_archive(CONTENT)


def busiest_actor(archive: Archive) -> Actor:
    """The actor with the most statements (ties: by id), for the single-actor checks."""
    counts = {a: len(archive.by_actor(a)) for a in archive.actors}
    best = max(sorted(counts), key=lambda a: counts[a])
    assert counts[best], "no actor has a statement"
    return archive.actors[best]


def quoted_statement(archive: Archive) -> Statement:
    """The statement with the most quoted text: the longest page a reader gets."""
    return max(archive.statements, key=lambda s: (sum(map(len, s.quotes)), s.id))


def pages_of_each_kind(archive: Archive) -> dict[str, str]:
    """The path of one page of each kind: home, actor, day and statement."""
    return {
        "home": "/",
        "actor": busiest_actor(archive).path,
        "day": day_path(archive.days()[-1]),
        "statement": quoted_statement(archive).path,
    }


# --- build and serve ----------------------------------------------------------------------
def _briefing_command() -> list[str]:
    beside = Path(sys.executable).parent / "briefing"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("briefing")
    return [found] if found else [sys.executable, "-m", "generator.cli"]


def build_site(project: Path, out: Path) -> Path:
    """`out`: the site of the project folder `project`, built by `briefing build --site-dir`."""
    proc = subprocess.run(
        [*_briefing_command(), "build", "--site-dir", str(out)],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`briefing build --site-dir` exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}",
            pytrace=False,
        )
    assert (out / "index.html").is_file(), "the build wrote no index.html"
    return out


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CONTENT built once per session with the repository's docs/ and mkdocs.yml as shipped."""
    project = tmp_path_factory.mktemp("project")
    config = make_project(project)
    # The shipped settings, not make_project's small listing pages: the home page lists the
    # latest statements and an actor page all of theirs, as a reader of the real site sees.
    shutil.copyfile(ROOT / "mkdocs.yml", config)
    return build_site(project, tmp_path_factory.mktemp("site"))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that navigates away mid-download resets the connection; not a failure.
        pass


@contextlib.contextmanager
def serve_folder(folder: Path, name: str = "site-server") -> Iterator[str]:
    """`folder` served over HTTP on 127.0.0.1 at a free port, from a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 at a free port."""
    with serve_folder(site_dir) as url:
        yield url


# --- the browser --------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, launched headless through Playwright's executable_path."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed (bash scripts/setup.sh test installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's axe.min.js from tests/browser/node_modules (installed by `npm ci`)."""
    if not AXE_JS.is_file():
        _missing(f"{AXE_JS} is missing; run: npm ci --prefix tests/browser")
    return AXE_JS


@dataclass
class Errors:
    """Console errors and uncaught page errors seen on one page, with the URL they came from."""

    messages: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        """Start collecting `page`'s console errors and page errors."""

        def on_console(msg: Any) -> None:
            if msg.type == "error":
                self.messages.append(f"console error on {page.url}: {msg.text} ({msg.location})")

        def on_pageerror(exc: Any) -> None:
            self.messages.append(f"page error on {page.url}: {exc}")

        page.on("console", on_console)
        page.on("pageerror", on_pageerror)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Store each phase's report on the item (item.rep_setup, .rep_call) for the page fixture."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _artifact_name(nodename: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodename).strip("_") or "test"


def _stub(seen: list[str]) -> Any:
    """A route handler answering every off-site request with an empty 200, and noting its URL.

    The test machines have no network, so Material's Google Fonts stylesheet and its GitHub
    repository facts (api.github.com) would fail and log console errors that say nothing about
    the site. Answering them keeps the suite hermetic; the tests never depend on their content.
    """

    def handle(route: Any) -> None:
        url = route.request.url
        seen.append(url)
        is_json = "api.github.com" in url
        route.fulfill(
            status=200,
            content_type="application/json" if is_json else "text/css",
            body="{}" if is_json else "",
        )

    return handle


def _make_page(
    request: pytest.FixtureRequest,
    browser: Any,
    base_url: str,
    viewport: dict[str, int],
    **context_options: Any,
) -> Iterator[Any]:
    shot = ARTIFACTS / f"{_artifact_name(request.node.name)}.png"
    shot.unlink(missing_ok=True)  # a screenshot from an earlier failing run would mislead
    context = browser.new_context(
        base_url=base_url, viewport=viewport, color_scheme="light", **context_options
    )
    context.set_default_timeout(TIMEOUT_MS)
    offsite: list[str] = []
    context.route(lambda url: not url.startswith(base_url + "/"), _stub(offsite))
    page = context.new_page()
    errors = Errors()
    errors.watch(page)
    page.errors = errors  # type: ignore[attr-defined] - read by the console-error test
    page.offsite = offsite  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            try:
                page.screenshot(path=str(shot), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"could not save {shot}: {exc}", file=sys.stderr)
        context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh desktop-sized page (own context, light scheme, clipboard permissions).

    `page.goto("/path/")` is relative to the served site; `page.errors.messages` holds the
    console and page errors seen so far. On failure a full-page screenshot goes to
    test-artifacts/<test name>.png.
    """
    yield from _make_page(
        request,
        browser,
        base_url,
        DESKTOP,
        permissions=["clipboard-read", "clipboard-write"],
    )


@pytest.fixture
def phone_page(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:
    """Like `page`, at a phone viewport of 390x844 with touch and a mobile user agent."""
    yield from _make_page(
        request, browser, base_url, PHONE, is_mobile=True, has_touch=True, device_scale_factor=3
    )
