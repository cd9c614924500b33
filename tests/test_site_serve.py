"""`mkdocs serve` follows record edits, reports broken records and keeps serving."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _site_support import make_project

GRAIN = "anna-petrova-grain-corridor-2023-05-10"
TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _wait(what: str, check: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


# `mkdocs serve` rebuilds everything after an edit; `briefing serve` (MkDocs' dirty build)
# rewrites only the pages whose content changed. Both must follow edits the same way.
SERVE_COMMANDS = {
    "mkdocs": ["-m", "mkdocs", "serve"],
    "briefing": ["-m", "generator.cli", "serve"],
}


@pytest.fixture(params=sorted(SERVE_COMMANDS))
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    config = make_project(tmp_path / "project")
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    command = [*SERVE_COMMANDS[request.param], "-f", str(config), "-a", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, *command],
            cwd=config.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            # site_url's path is where `serve` mounts the site.
            yield f"http://127.0.0.1:{port}/briefing-archive/", config.parent, log
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert proc.returncode is not None


def test_serve_follows_record_edits(served: tuple[str, Path, Path]) -> None:
    base, project, log = served
    url = f"{base}statements/{GRAIN}/"
    record = project / "content" / "statements" / "2023" / f"{GRAIN}.yml"
    original = record.read_text(encoding="utf-8")
    old_title = "Petrova says the grain corridor talks will continue"

    _wait("the first build", lambda: old_title in _get(url)[1], timeout=60)

    # 1. Saving a record refreshes its page.
    record.write_text(
        original.replace(old_title, "Petrova says the corridor talks resume"), encoding="utf-8"
    )
    _wait("the edited title", lambda: "Petrova says the corridor talks resume" in _get(url)[1])
    # After the rebuild, the lean pages' palette script (rendered per build) is still served.
    status, script = _get(f"{base}assets/javascripts/briefing-palette.js")
    assert status == 200 and "Switch to dark mode" in script and "__md_get" in script

    # 2. A broken record is reported as path:line:column; the server keeps answering.
    broken = original.replace("kind: press-conference", "kind: rumour")
    record.write_text(broken, encoding="utf-8")
    where = re.compile(rf"statements/2023/{GRAIN}\.yml:(\d+):(\d+): error:")
    _wait(
        "the problem in the terminal", lambda: bool(where.search(log.read_text(errors="replace")))
    )
    terminal = log.read_text(errors="replace")
    line = int(where.search(terminal).group(1))  # type: ignore[union-attr]
    assert broken.splitlines()[line - 1].startswith("kind:"), "points at the wrong line"
    assert "Traceback" not in terminal
    status, body = _get(url)
    assert status == 200 and "Petrova says the corridor talks resume" in body  # last good page

    # 3. Fixing it recovers.
    record.write_text(
        original.replace(old_title, "Petrova says corridor talks are back"), encoding="utf-8"
    )
    _wait("recovery", lambda: "Petrova says corridor talks are back" in _get(url)[1])
    assert "Traceback" not in log.read_text(errors="replace")


PROTOCOL = "li-wei-protocol-remarks-2024-03-03"


def test_serve_updates_listings_and_drops_deleted_pages(served: tuple[str, Path, Path]) -> None:
    base, project, log = served
    statements = project / "content" / "statements"
    grain = statements / "2023" / f"{GRAIN}.yml"
    old_title = "Petrova says the grain corridor talks will continue"
    new_title = "Petrova says the grain talks go on"
    page, day = f"{base}statements/{GRAIN}/", f"{base}dates/2023/05/10/"
    feed = f"{base}feed.xml"
    _wait("the first build", lambda: old_title in _get(page)[1], timeout=60)
    assert old_title in _get(day)[1]

    # An edit reaches the statement's page, the listings that show its title, and the feed
    # (which `briefing serve` refreshes just after the pages).
    grain.write_text(grain.read_text(encoding="utf-8").replace(old_title, new_title), "utf-8")
    _wait("the edited statement page", lambda: new_title in _get(page)[1])
    _wait("the edited day page", lambda: new_title in _get(day)[1])
    assert old_title not in _get(day)[1]
    _wait("the edited feed", lambda: new_title in _get(feed)[1])
    _wait("the edited month page", lambda: new_title in _get(f"{base}dates/2023/05/")[1])

    # A deleted record's page goes; its day page stops listing it; the rest still serves.
    protocol_page = f"{base}statements/{PROTOCOL}/"
    protocol_title = "Li Wei welcomes the river protocol"
    protocol_day = f"{base}dates/2024/03/03/"
    assert _get(protocol_page)[0] == 200 and protocol_title in _get(protocol_day)[1]
    (statements / "2024" / f"{PROTOCOL}.yml").unlink()
    _wait("the deleted page to go", lambda: _get(protocol_page)[0] == 404)
    _wait("the day page without it", lambda: protocol_title not in _get(protocol_day)[1])
    assert _get(protocol_day)[0] == 200
    status, body = _get(page)
    assert status == 200 and new_title in body
    assert _get(base)[0] == 200
    assert "Traceback" not in log.read_text(errors="replace")
