"""`briefing serve` hears of a changed record from the operating system, not by polling.

MkDocs polls what its server watches; the content folder is watched natively instead, and
each change touches one small file that the server polls (generator/mkdocs/watcher.py).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.mkdocs.watcher import RecordWatch


class Server:
    """Records what the plugin asks MkDocs' live-reload server to watch."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def _within(seconds: float, check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def _content(root: Path) -> Path:
    year = root / "content" / "statements" / "2024"
    year.mkdir(parents=True)
    (year / "a.yml").write_text("id: a\n", encoding="utf-8")
    return root / "content"


def test_a_saved_record_touches_the_one_file_the_server_polls(tmp_path: Path) -> None:
    content, server, watch = _content(tmp_path), Server(), RecordWatch()
    watch.start(server, content)  # type: ignore[arg-type]
    try:
        (signal,) = map(Path, server.watched)
        assert signal.is_file() and content not in signal.parents
        before = signal.stat().st_mtime_ns

        # Reading every record, as each validation does, is no change.
        (content / "statements" / "2024" / "a.yml").read_bytes()
        time.sleep(0.5)
        assert signal.stat().st_mtime_ns == before

        # Saving one is, and so are a new record, a deleted one and a new folder.
        changes = [
            lambda: (content / "statements" / "2024" / "a.yml").write_text("id: b\n", "utf-8"),
            lambda: (content / "statements" / "2024" / "c.yml").write_text("id: c\n", "utf-8"),
            lambda: (content / "statements" / "2024" / "c.yml").unlink(),
            lambda: (content / "statements" / "2025").mkdir(),
        ]
        for change in changes:
            seen = signal.stat().st_mtime_ns
            change()
            assert _within(5, lambda seen=seen: signal.stat().st_mtime_ns != seen)
    finally:
        watch.stop()
    assert not signal.exists()  # nothing of the serve is left behind


def test_a_folder_no_observer_can_watch_is_polled_by_the_server(tmp_path: Path) -> None:
    server, watch = Server(), RecordWatch()
    missing = tmp_path / "no-content-here"
    signals = set(Path(tempfile.gettempdir()).glob("briefing-serve-*.changed"))
    watch.start(server, missing)  # type: ignore[arg-type]
    assert server.watched == [str(missing)]
    assert set(Path(tempfile.gettempdir()).glob("briefing-serve-*.changed")) <= signals
    watch.stop()
