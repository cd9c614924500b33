"""Run Pagefind over the lean search documents and put its bundles into the built site.

The indexer runs as `python -m pagefind` (the binary ships inside the `pagefind_bin_extended`
wheel, no download) over temporary folders of lean documents (`shards.shard_documents`),
never over the real pages, whose menus and listings multiply time and memory. Pagefind's
Python API (add_custom_record) is not used: it is far slower.

The archive is indexed in shards (`shards.plan_shards`: at most shards.SHARD_SIZE statements
each, in date order), one Pagefind process and one bundle (pagefind/<key>/) per shard, at
most JOBS processes at a time, so that no process holds the whole archive.
pagefind/shards.json lists the shards for the search page, and pagefind/filters.json the
values of its filter menus.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from generator import worker
from generator.records.model import Archive
from generator.search.bundle_order import ENTRY
from generator.search.packs import pack_count
from generator.search.shards import (
    BUNDLE_DIR,
    FILTERS_FILE,
    MANIFEST,
    Shard,
    filter_values,
    plan_shards,
    shard_documents,
    shard_manifest,
)
from generator.search.tidy import tidy_apart

log = logging.getLogger("mkdocs.plugins.briefing")

#: What to install when the indexer is missing (requirements.txt pins it).
REQUIREMENT = "pagefind[extended]==1.5.2"
#: Pagefind processes at a time: the machine's two cores.
JOBS = 2


class SearchIndexError(Exception):
    """Pagefind could not index the archive; the message says why and what to do.

    The MkDocs session reports it as the build's failure (a PluginError).
    """


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What one indexing run produced."""

    documents: int
    files: int
    bytes: int
    seconds: float


def write_documents(documents: dict[str, str], folder: Path) -> None:
    """Write each document at its site-relative path under `folder`."""
    made: set[Path] = set()
    for rel, html in documents.items():
        target = folder / rel
        if target.parent not in made:  # one mkdir per folder, not per file
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(html, encoding="utf-8", newline="\n")


def run_pagefind(source: Path, output: Path, python: str = sys.executable) -> None:
    """Index the HTML under `source` into the bundle folder `output`; SearchIndexError on
    failure."""
    if importlib.util.find_spec("pagefind") is None:
        raise SearchIndexError(
            f"briefing: search is set to Pagefind, but the `pagefind` package is not "
            f"installed in {python}; install it with: python -m pip install '{REQUIREMENT}'"
        )
    source, output = source.resolve(), output.resolve()
    cmd = [python, "-m", "pagefind", "--site", str(source), "--output-path", str(output)]
    # cwd=source: `-m` looks in the working folder first, where a stray pagefind.py (such
    # as generator/search/indexer.py, this module) would shadow the real package.
    proc = subprocess.run(
        [*cmd, "--quiet"],
        cwd=source,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    if proc.returncode != 0 or not (output / ENTRY).is_file():
        detail = "\n".join((proc.stderr + proc.stdout).strip().splitlines()[-20:])
        raise SearchIndexError(
            f"briefing: Pagefind failed (exit status {proc.returncode}) indexing {source}"
            + (f":\n{detail}" if detail else "")
            + f"\n    hint: is `{REQUIREMENT}` installed? Try: {python} -m pagefind --version"
        )
    for line in (proc.stdout + proc.stderr).splitlines():
        if line.strip():
            # Debug, not warning: MkDocs' strict mode fails a build on any warning, and
            # Pagefind's notes (e.g. about languages) say nothing about the records.
            log.debug("pagefind: %s", line)


def _clear(output: Path) -> None:
    """Remove a previous bundle at `output` (a `serve` rebuild); refuse anything else."""
    if not output.exists() and not output.is_symlink():
        return
    ours = (output / MANIFEST).is_file() or (output / ENTRY).is_file()
    if output.is_dir() and not output.is_symlink() and ours:
        shutil.rmtree(output)
        return
    raise SearchIndexError(
        f"briefing: {output} already exists and is not a Pagefind bundle; the search index "
        f"goes there. Remove docs/{BUNDLE_DIR} (or whatever put it into the site)."
    )


def _tidy(bundle: Path, packs: int) -> None:
    try:
        tidy_apart(bundle, packs)
    except subprocess.CalledProcessError as exc:
        detail = "\n".join(exc.stderr.decode("utf-8", "replace").strip().splitlines()[-20:])
        raise SearchIndexError(
            f"briefing: could not prepare the search index in {bundle}:\n{detail}"
        ) from exc


def index_shards(
    archive: Archive,
    work: Path,
    *,
    size: int | None = None,
    jobs: int = JOBS,
    stop: threading.Event | None = None,
    scratch: Path | None = None,
) -> tuple[list[Shard], int]:
    """Index every shard of `archive` into work/bundle/<key>; (shards, documents indexed).

    The documents of one shard are written (under `scratch`, default `work`) while earlier
    shards are being indexed, and removed once their shard is done, so at most `jobs`
    shards' documents exist at a time. Once `stop` is set no further shard is started (the
    build failed; nobody will wait).
    """
    shards = plan_shards(archive, size)
    count = 0
    scratch = scratch or work
    finished = 0
    lock = threading.Lock()

    def index(folder: Path, shard: Shard) -> None:
        nonlocal finished
        # Pagefind writes a file per document, which the tidy step packs and removes: in
        # `scratch` (RAM where there is some) they never reach the disk.
        bundle = scratch / "bundle" / shard.key
        try:
            run_pagefind(folder, bundle)
            _tidy(bundle, pack_count(shard.documents))
            if bundle != work / "bundle" / shard.key:
                (work / "bundle").mkdir(parents=True, exist_ok=True)
                shutil.move(bundle, work / "bundle" / shard.key)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        with lock:  # a line per shard: a large archive's indexing is never silent
            finished += 1
            if len(shards) > 1:
                log.info(f"briefing: search index: {finished} of {len(shards)} shards done")

    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="pagefind") as pool:
        running: list[Future[None]] = []
        for shard in shards:
            # Keep at most `jobs` shards written ahead: their documents take disk space,
            # and writing them is Python work that competes with MkDocs for the GIL.
            pending = {f for f in running if not f.done()}
            while len(pending) >= max(1, jobs):
                pending = wait(pending, return_when=FIRST_COMPLETED).not_done
            if any(f.done() and f.exception() is not None for f in running):
                break  # a shard failed: report it below rather than index the rest
            if stop is not None and stop.is_set():
                break
            documents = shard_documents(shard, archive)
            folder = scratch / "documents" / shard.key
            write_documents(documents, folder)
            count += len(documents)
            running.append(pool.submit(index, folder, shard))
        for future in running:
            future.result()  # the first failure, as SearchIndexError
    return shards, count


#: Where the lean documents and Pagefind's unpacked bundles are written when it exists: a
#: RAM file system. Writing (and removing) many small files there costs far less CPU than on
#: a disk. Up to JOBS + 1 shards' documents and JOBS bundles are there at a time.
SHM = Path("/dev/shm")


def scratch_folder() -> Path | None:
    """A new folder in RAM (SHM) for the documents and unpacked bundles, or None."""
    try:
        if SHM.is_dir() and shutil.disk_usage(SHM).free > 512 * 2**20:
            return Path(tempfile.mkdtemp(prefix="briefing-search-", dir=SHM))
    except OSError:
        pass
    return None


def install_bundles(work: Path, output: Path, shards: list[Shard], archive: Archive) -> None:
    """Move the shards' bundles to `output` and write the manifest and filter values."""
    _clear(output)
    shutil.move(work / "bundle", output)
    for name, data in (
        (MANIFEST, shard_manifest(shards)),
        (FILTERS_FILE, filter_values(archive)),
    ):
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        (output / name).write_text(text + "\n", encoding="utf-8", newline="\n")


def _stats(output: Path, documents: int, seconds: float, shards: int, note: str = "") -> IndexStats:
    sizes = [f.stat().st_size for f in output.rglob("*") if f.is_file()]
    stats = IndexStats(documents, len(sizes), sum(sizes), seconds)
    log.info(
        "briefing: search index: %d documents in %d shard(s), %d files, %.1f MB in %.1f s%s",
        stats.documents,
        shards,
        stats.files,
        stats.bytes / 1e6,
        stats.seconds,
        note,
    )
    return stats


def build_index(archive: Archive, site_dir: Path) -> IndexStats:
    """Index the archive's shards in a temporary folder, then install them in site_dir/pagefind."""
    log.info("briefing: indexing %d statements for search…", len(archive.statements))
    start = time.perf_counter()
    scratch = scratch_folder()
    try:
        with tempfile.TemporaryDirectory(prefix="briefing-search-") as tmp:
            shards, documents = index_shards(archive, Path(tmp), scratch=scratch)
            install_bundles(Path(tmp), site_dir / BUNDLE_DIR, shards, archive)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return _stats(site_dir / BUNDLE_DIR, documents, time.perf_counter() - start, len(shards))


class EarlyIndex:
    """Pagefind indexing started before MkDocs renders the pages, to run beside it.

    The lean documents come from the records, not from the built HTML, so the indexing can
    start as soon as the records are valid. Where the platform can fork it runs in a child
    process (worker.apart), started at once: the documents are made and written there, not
    in a thread that would take turns at the GIL with the build. Elsewhere it runs in a
    thread, started by `beside` (after the pages' fork, as worker.share asks of threads).
    `finish` waits for it and moves the bundles into the site.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.folder = Path(tempfile.mkdtemp(prefix="briefing-search-"))
        self.scratch = scratch_folder()
        self.error: BaseException | None = None
        self.shards = plan_shards(archive)
        self.documents = 0
        self.stop = threading.Event()
        self.start = time.perf_counter()
        self.thread: threading.Thread | None = None
        log.info("briefing: indexing %d statements for search…", len(archive.statements))
        self.child = worker.apart(self._index, name="briefing-search", on_stop=self.stop.set)

    def beside(self) -> None:
        """Start the indexing thread, where no child process could be made for it."""
        if self.child is None and self.thread is None:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _index(self) -> int:
        return index_shards(self.archive, self.folder, stop=self.stop, scratch=self.scratch)[1]

    def _run(self) -> None:
        try:
            self.documents = self._index()
        except BaseException as exc:  # re-raised in the main thread by finish()
            self.error = exc

    def _wait(self) -> None:
        if self.child is not None:
            try:
                self.documents = self.child.result()
            except worker.Failed as exc:
                self.error = SearchIndexError(str(exc)) if exc.kind == "SearchIndexError" else exc
        else:
            self.beside()  # not started yet: a build that never reached the pages
            assert self.thread is not None
            self.thread.join()

    def finish(self, site_dir: Path) -> IndexStats:
        """Wait for the indexers, then move their bundles to site_dir/pagefind."""
        output = site_dir / BUNDLE_DIR
        try:
            self._wait()
            if self.error is not None:
                raise self.error
            install_bundles(self.folder, output, self.shards, self.archive)
        finally:
            self.cancel()
        seconds = time.perf_counter() - self.start
        return _stats(output, self.documents, seconds, len(self.shards), " (beside the pages)")

    def cancel(self) -> None:
        """Start no further shard, wait for the running ones, remove the temporary folder."""
        self.stop.set()
        if self.child is not None:
            self.child.stop()
        elif self.thread is not None:
            self.thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


__all__ = [
    "JOBS",
    "REQUIREMENT",
    "EarlyIndex",
    "IndexStats",
    "SearchIndexError",
    "build_index",
    "index_shards",
    "install_bundles",
    "run_pagefind",
    "scratch_folder",
    "write_documents",
]
