"""`serve`'s watch on the records: told by the operating system, not found by polling.

MkDocs' live-reload server polls what it watches, taking a snapshot of every file twice a
second. For an archive of many records that snapshot is seconds of Python, taken over and
over beside every rebuild, and a save waits for the next one. So the content folder is
watched by watchdog's native observer (inotify, FSEvents, ReadDirectoryChangesW) instead,
and each change it reports touches one file that MkDocs polls, whose snapshot costs nothing:
the server then rebuilds as for any change it saw itself. Where no native observer can watch
the folder, MkDocs polls it as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from pathlib import Path

from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

log = logging.getLogger("mkdocs.plugins.briefing")

#: What a change to the records is; not opening or reading a file, which every
#: validation does, and which would otherwise start the next rebuild.
_CHANGES = frozenset({"created", "modified", "deleted", "moved", "closed", "events_lost"})


class RecordWatch:
    """The content folder's native observer for one `serve`, and the file it touches."""

    def __init__(self) -> None:
        self._observer: BaseObserver | None = None
        self._signal: Path | None = None

    def start(self, server: LiveReloadServer, content_dir: Path) -> None:
        """Have `server` rebuild when a file under `content_dir` changes."""
        signal: Path | None = None
        try:
            handle, name = tempfile.mkstemp(prefix="briefing-serve-", suffix=".changed")
            os.close(handle)
            signal = Path(name)
            observer = Observer()
            observer.schedule(_Touch(signal), str(content_dir), recursive=True)
            observer.start()
        except OSError as exc:  # no native observer here (or too many watches): poll
            log.info(f"briefing: watching {content_dir} by polling: {exc}")
            if signal is not None:
                signal.unlink(missing_ok=True)
            server.watch(str(content_dir))
            return
        self._observer, self._signal = observer, signal
        server.watch(str(signal))

    def stop(self) -> None:
        """End the observer and remove the file it touched."""
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
            self._observer = None
        if self._signal is not None:
            self._signal.unlink(missing_ok=True)
            self._signal = None


class _Touch(FileSystemEventHandler):
    """Sets the signal file's times to now on each change: a new time every time, which
    MkDocs' poll of that file notices."""

    def __init__(self, signal: Path) -> None:
        super().__init__()
        self.signal = signal

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind not in _CHANGES or (event.is_directory and kind == "modified"):
            return  # a folder "modified" is a file in it changing, which is reported itself
        now = time.time_ns()
        with contextlib.suppress(OSError):  # the serve is ending: its file is gone
            os.utime(self.signal, ns=(now, now))


__all__ = ["RecordWatch"]
