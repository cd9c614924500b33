"""Live preview latency: save one record under `briefing serve`, time until its page shows it.

    python bench/preview.py PROJECT [--edits 3]

PROJECT is a folder with mkdocs.yml and content/ (bench/run.py makes them). The script
starts `briefing serve` on a free port, waits for the first build, then, for each edit,
rewrites one statement's `summary` with a new marker word and polls that statement's page
over HTTP every 50 ms until the word is served. The record is restored at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, needle: str, timeout: float) -> float | None:
    """Seconds until `needle` is in the page at `url`, or None after `timeout`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = _get(url)
        if body is not None and needle in body:
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def _pick_statement(content: Path) -> Path:
    files = sorted((content / "statements").rglob("*.yml"))
    if not files:
        raise SystemExit(f"no statements under {content}")
    return files[len(files) // 2]


def _site_prefix(project: Path) -> str:
    # `briefing serve` serves under site_url's path (e.g. /briefing-archive/).
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^site_url:\s*(\S+)", text, re.MULTILINE)
    if not match:
        return "/"
    path = "/" + match.group(1).split("://", 1)[-1].split("/", 1)[-1]
    return path if path.endswith("/") else path + "/"


def measure(project: Path, edits: int = 3, first_build_timeout: float = 900) -> list[float]:
    """Seconds from each save to the changed page being served."""
    record = _pick_statement(project / "content")
    original = record.read_text(encoding="utf-8")
    statement_id = record.stem
    if "\nsummary: " not in original:
        raise SystemExit(f"{record} has no one-line `summary:` to edit")
    port = _free_port()
    base = f"http://127.0.0.1:{port}{_site_prefix(project)}"
    url = f"{base}statements/{statement_id}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    times: list[float] = []
    try:
        if _wait_for(url, statement_id, first_build_timeout) is None:
            raise SystemExit(f"the first build did not serve {url} in {first_build_timeout} s")
        for n in range(edits):
            marker = f"previewmarker{n}x{os.getpid()}"
            edited = re.sub(r"\nsummary: .*", f"\nsummary: {marker} edited.", original, count=1)
            time.sleep(1.5)  # let the watcher settle after the previous rebuild
            record.write_text(edited, encoding="utf-8")
            seconds = _wait_for(url, marker, 120)
            if seconds is None:
                raise SystemExit(f"edit {n} did not reach {url} within 120 s")
            times.append(seconds)
    finally:
        record.write_text(original, encoding="utf-8")
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return times


def main() -> int:
    """Print the save-to-served seconds for each edit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    times = measure(args.project.resolve(), args.edits)
    print("save -> page served: " + ", ".join(f"{t:.2f} s" for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
