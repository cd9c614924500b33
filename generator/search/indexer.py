"""Run Pagefind over the lean search documents and put its bundles into the built site.

The indexer runs as `python -m pagefind` (the binary ships inside the `pagefind_bin_extended`
wheel, no download) over temporary folders of lean documents (`search.shard_documents`),
never over the real pages: 10,000 lean documents index in seconds, where the real pages'
menus and listings multiply time and memory. Pagefind's Python API (add_custom_record) is
not used: it indexes about ten records a second.

The archive is indexed in shards (`search.plan_shards`: at most search.SHARD_SIZE statements
each, in date order), one Pagefind process and one bundle (pagefind/<key>/) per shard, at
most JOBS processes at a time: one process over 100,000 statements peaked at 4.2 GB, one
over a 12,000-document shard at about 0.5 GB. pagefind/shards.json lists the shards for the
search page, and pagefind/filters.json the values of its filter menus.
"""

from __future__ import annotations

import gzip
import hashlib
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
from typing import cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from generator.records.model import Archive
from generator.search.documents import (
    BUNDLE_DIR,
    FILTERS_FILE,
    MANIFEST,
    SEARCH_URL,
    Engine,
    Shard,
    count_statement_files,
    filter_values,
    plan_shards,
    resolve_mode,
    search_page_markdown,
    shard_documents,
    shard_manifest,
)

log = logging.getLogger("mkdocs.plugins.briefing")

#: What to install when the indexer is missing (requirements.txt pins it).
REQUIREMENT = "pagefind[extended]==1.5.2"
#: A file every Pagefind bundle has: a folder holding it is a bundle we may replace.
ENTRY = "pagefind-entry.json"
#: Pagefind processes at a time: the machine's two cores, and about 0.5 GB each.
JOBS = 2
#: What the search page needs of each shard's bundle; the rest (Pagefind's own UIs,
#: ~0.4 MB a shard) is removed. The page imports pagefind.js once, from the first shard it
#: searches, and Pagefind starts its worker from that shard's pagefind-worker.js.
KEEP = ("pagefind.js", "pagefind-worker.js", ENTRY, "index", "fragment", "filter")


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What one indexing run produced."""

    documents: int
    files: int
    bytes: int
    seconds: float


#: Material's search plugin, as MkDocs names it in config.plugins (`- search` in mkdocs.yml).
MATERIAL_SEARCH = "material/search"
#: The sidebar entry of the search page.
NAV_TITLE = "Search"


def configure_search(config: MkDocsConfig, mode: str, content_dir: Path) -> Engine:
    """Decide the search engine (plugin option `search`) and set MkDocs up for it.

    For Pagefind, Material's search plugin is disabled for this build: it would otherwise
    write its single search_index.json (215 MB at 100,000 statements), and Material's header
    hides its search box when the plugin is disabled. The search page joins the sidebar.
    """
    engine = resolve_mode(mode, count_statement_files(content_dir))
    if engine != "pagefind":
        return engine
    material = config.plugins.get(MATERIAL_SEARCH)
    if material is not None:
        # Runs after Material's own on_config (it is listed first), whose setup is harmless;
        # every later hook of that plugin checks `enabled` first.
        material.config.enabled = False
    nav = config.nav
    page = SEARCH_URL + "index.md"
    if isinstance(nav, list) and not any(
        isinstance(item, dict) and page in item.values() for item in nav
    ):
        nav.append({NAV_TITLE: page})
    return engine


def search_page_files(config: MkDocsConfig, engine: Engine) -> dict[str, File]:
    """The generated /search/ page in Pagefind mode; nothing for Material (no such page).

    With Material the search is the header's box, and search/ holds its index only, so
    /search/ is a 404 rather than a second, different search.
    """
    if engine != "pagefind":
        return {}
    uri = SEARCH_URL + "index.md"
    return {uri: File.generated(config, uri, content=search_page_markdown())}


def write_documents(documents: dict[str, str], folder: Path) -> None:
    """Write each document at its site-relative path under `folder`."""
    made: set[Path] = set()
    for rel, html in documents.items():
        target = folder / rel
        if target.parent not in made:  # one mkdir per folder, not per file (100,000 files)
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(html, encoding="utf-8", newline="\n")


def run_pagefind(source: Path, output: Path, python: str = sys.executable) -> None:
    """Index the HTML under `source` into the bundle folder `output`; PluginError on failure."""
    if importlib.util.find_spec("pagefind") is None:
        raise PluginError(
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
        raise PluginError(
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
    raise PluginError(
        f"briefing: {output} already exists and is not a Pagefind bundle; the search index "
        f"goes there. Remove docs/{BUNDLE_DIR} (or whatever put it into the site)."
    )


def _prune(bundle: Path) -> None:
    """Remove what the search page never loads from one shard's bundle."""
    for path in bundle.iterdir():
        keep = path.name in KEEP or path.suffix == ".pf_meta" or path.name.startswith("wasm.")
        if not keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


# --- canonical filter files ---------------------------------------------------------------------
#
# Pagefind 1.5 writes each filter's values, and the metadata's list of filters, in hash-map
# order, which changes from run to run (Pagefind/pagefind#638): the same records would give
# different filter and metadata files, under different names. `_canonical` rewrites them
# sorted. The files are gzip of b"pagefind_dcd" + CBOR (RFC 8949) holding only arrays, text
# and unsigned integers, so a small codec does; anything else is left exactly as written.

_SIGNATURE = b"pagefind_dcd"
CBOR = int | str | list["CBOR"]


def _cbor_load(data: bytes, at: int = 0) -> tuple[CBOR, int]:
    head, at = data[at], at + 1
    major, info = head >> 5, head & 31
    if info < 24:
        value = info
    elif info <= 27:
        width = 1 << (info - 24)
        value, at = int.from_bytes(data[at : at + width], "big"), at + width
    else:
        raise ValueError("indefinite or reserved CBOR length")
    if major == 0:
        return value, at
    if major == 3:
        return data[at : at + value].decode("utf-8"), at + value
    if major == 4:
        items: list[CBOR] = []
        for _ in range(value):
            item, at = _cbor_load(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} not expected in a Pagefind filter file")


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | info]) + value.to_bytes(width, "big")
    raise ValueError("CBOR integer too large")


def _cbor_dump(value: CBOR) -> bytes:
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    return _cbor_head(4, len(value)) + b"".join(_cbor_dump(item) for item in value)


def _read_pf(path: Path) -> CBOR:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"{path.name}: no Pagefind signature")
    value, end = _cbor_load(data, len(_SIGNATURE))
    if end != len(data):
        raise ValueError(f"{path.name}: trailing bytes")
    return value


def _pf_bytes(value: CBOR) -> bytes:
    # mtime=0: a gzip header holds a time stamp otherwise.
    return gzip.compress(_SIGNATURE + _cbor_dump(value), compresslevel=9, mtime=0)


def _canonical(bundle: Path) -> None:
    """Rewrite one bundle's filter files and metadata in sorted order, named by content."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = cast(list[CBOR], _read_pf(path))
        ordered = sorted(cast(list[list[CBOR]], values), key=lambda v: str(v[0]))
        data = _pf_bytes([name, cast(CBOR, ordered)])
        old = path.name.removesuffix(".pf_filter")
        new = f"{old.split('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[:7]}"
        path.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
        renamed[old] = new
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = cast(list[CBOR], _read_pf(meta_path))
        filters = cast(list[list[str]], meta[3])
        meta[3] = cast(CBOR, sorted([name, renamed.get(h, h)] for name, h in filters))
        data = _pf_bytes(meta)
        lang = language["hash"].split("_", 1)[0]
        language["hash"] = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{language['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _normalise(bundle: Path) -> None:
    """`_canonical`, or the bundle as Pagefind wrote it when its format is not the expected."""
    try:
        _canonical(bundle)
    except (ValueError, KeyError, IndexError, TypeError, OSError) as exc:
        log.debug("briefing: %s: filter files left in Pagefind's order (%s)", bundle.name, exc)


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
        try:
            run_pagefind(folder, work / "bundle" / shard.key)
            _prune(work / "bundle" / shard.key)
            _normalise(work / "bundle" / shard.key)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        with lock:  # a line per shard: at 100,000 statements indexing takes over a minute
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
            future.result()  # the first failure, as PluginError
    return shards, count


#: Where the lean documents are written when it exists: a RAM file system. Writing (and
#: removing) 12,000 small files there takes 0.4 s of CPU instead of 3 s on ext4, and
#: Pagefind only reads them. Up to JOBS + 1 shards' documents, ~25 MB each, are there.
SHM = Path("/dev/shm")


def scratch_folder() -> Path | None:
    """A new folder for the lean documents in RAM (SHM), or None where there is none."""
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

    The lean documents come from the records, not from the built HTML, so the indexers
    (separate, native processes) can work on the second core while MkDocs renders pages
    on the first. `finish` waits for them and moves the bundles into the site.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.folder = Path(tempfile.mkdtemp(prefix="briefing-search-"))
        self.scratch = scratch_folder()
        self.error: BaseException | None = None
        self.shards: list[Shard] = []
        self.documents = 0
        self.stop = threading.Event()
        self.start = time.perf_counter()
        log.info("briefing: indexing %d statements for search…", len(archive.statements))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.shards, self.documents = index_shards(
                self.archive, self.folder, stop=self.stop, scratch=self.scratch
            )
        except BaseException as exc:  # re-raised in the main thread by finish()
            self.error = exc

    def finish(self, site_dir: Path) -> IndexStats:
        """Wait for the indexers, then move their bundles to site_dir/pagefind."""
        output = site_dir / BUNDLE_DIR
        try:
            self.thread.join()
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
        self.thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


__all__ = [
    "ENTRY",
    "JOBS",
    "MATERIAL_SEARCH",
    "REQUIREMENT",
    "EarlyIndex",
    "IndexStats",
    "build_index",
    "configure_search",
    "index_shards",
    "install_bundles",
    "run_pagefind",
    "scratch_folder",
    "search_page_files",
    "write_documents",
]
