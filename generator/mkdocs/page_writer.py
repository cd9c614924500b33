"""The filled pages of a build written by threads of their own, beside MkDocs.

MkDocs writes each page right after rendering it, in the build's one thread. For a large
archive most of that write is the kernel making a folder and a file per page, time in which
the thread does nothing else. Here the plugin hands a filled page's bytes to `PageWriter`
and gives MkDocs empty output instead, which MkDocs skips by design: it logs "Page skipped"
for it, a line `PageWriter` keeps off the log for the pages it writes, and for no others.
The bytes written are the ones MkDocs would have written (its own encoding of the output).

Only a build uses it (`serve` writes through MkDocs, whose dirty rebuilds compare what is
on disk), and only when no other plugin's `post_page` runs after the plugin's: none would
see a page it is given empty.
"""

from __future__ import annotations

import logging
import os
import queue
import threading

from mkdocs.exceptions import PluginError

#: Threads writing pages: two keep the disk busy while the build's thread renders.
THREADS = 2
#: Pages waiting to be written at most: the build's thread waits beyond that, so that a
#: slow disk holds a bounded number of pages in memory.
BACKLOG = 512

_SKIPPED = "Page skipped: '"  # MkDocs' words for a page whose output is empty
#: The loggers that say it: MkDocs', and ProperDocs' (its fork, which the plugin runs in too).
_BUILD_LOGGERS = ("mkdocs.commands.build", "properdocs.commands.build")
_DONE = None


class PageWriter:
    """Writes pages to their paths in threads; `close` waits for them and reports failure."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue(BACKLOG)
        self._threads: list[threading.Thread] = []
        self._errors: list[str] = []
        self._written: set[str] = set()  # src_uri of the pages given to this writer
        self._quiet = _QuietSkips(self._written)

    def write(self, src_uri: str, path: str, output: str) -> None:
        """Write `output` (a page's HTML) to `path`, as MkDocs writes it, in a thread."""
        if self._errors:
            self.close()
        if not self._threads:
            # Started by the first page, long after the build's last fork (worker.py).
            for name in _BUILD_LOGGERS:
                logging.getLogger(name).addFilter(self._quiet)
            for number in range(THREADS):
                thread = threading.Thread(
                    target=self._run, name=f"briefing-write-{number}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        self._written.add(src_uri)
        self._queue.put((path, output.encode("utf-8", errors="xmlcharrefreplace")))

    def close(self) -> None:
        """Wait until every page is written; a page that could not be fails the build."""
        for _ in self._threads:
            self._queue.put(_DONE)
        for thread in self._threads:
            thread.join()
        self._threads.clear()
        for name in _BUILD_LOGGERS:
            logging.getLogger(name).removeFilter(self._quiet)
        self._written.clear()
        if self._errors:
            errors, self._errors = self._errors, []
            raise PluginError(f"briefing: could not write {errors[0]}")

    def _run(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            path, data = item
            if self._errors:
                continue  # the build fails: drain the queue, write nothing more
            try:
                _write(path, data)
            except OSError as exc:
                self._errors.append(f"{path}: {exc.strerror or exc}")


def _write(path: str, data: bytes) -> None:
    # Opening first: the folder exists for most pages but the first of its own, and a
    # failed open costs less than asking for the folder every time.
    try:
        file = open(path, "wb")  # noqa: SIM115 (closed below, on both paths)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        file = open(path, "wb")  # noqa: SIM115
    with file:
        file.write(data)


class _QuietSkips(logging.Filter):
    """Drops MkDocs' "Page skipped" line for the pages the writer wrote."""

    def __init__(self, written: set[str]) -> None:
        super().__init__()
        self.written = written

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith(_SKIPPED):
            return True
        src_uri = message[len(_SKIPPED) :].split("'", 1)[0]
        return src_uri not in self.written


__all__ = ["BACKLOG", "THREADS", "PageWriter"]
