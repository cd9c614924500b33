"""A cache of per-file validation results, keyed by each file's content.

Re-validating an unchanged 100k-record archive should not re-parse 100k YAML files. The
result of checking one file is a pure function of its bytes, its kind and its place, so
we key it by a digest of the bytes: a changed file always misses and is read again. The
cache lives in memory for the life of the process (so `mkdocs serve` rebuilds are quick)
and in one file under the user's cache folder (so the next command is quick too):
`$XDG_CACHE_HOME/briefing-archive/` or `~/.cache/briefing-archive/`; never in the
repository or the site. `BRIEFING_CACHE=0` turns the disk cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# The code and schemas that decide a file's result: editing them must invalidate the cache.
_STAMP_FILES = ("load.py", "validate.py", "problems.py", "model.py", "cache.py")


def _stamp() -> str:
    here = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=16)
    for name in _STAMP_FILES:
        digest.update((here / name).read_bytes())
    for schema in sorted((here / "schemas").glob("*.json")):
        digest.update(schema.read_bytes())
    return digest.hexdigest()


_MEMORY: dict[tuple[str, str], Any] = {}
# The entries last read from or written to each store, with the file's (mtime, size) then:
# a `serve` rebuild re-reads an unchanged store from here, not by unpickling it again.
_LOADED: dict[Path, tuple[tuple[int, int], str, dict[tuple[str, str], Any]]] = {}


def _signature(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


class FileCache:
    """Per-file results for one content folder, in memory and (optionally) on disk."""

    def __init__(self, store: Path | None, stamp: str) -> None:
        self.store = store
        self.stamp = stamp
        self.entries: dict[tuple[str, str], Any] = {}
        self.used: dict[tuple[str, str], Any] = {}
        self.dirty = False
        if store is not None and store.is_file():
            try:
                signature = _signature(store)
                loaded = _LOADED.get(store)
                if loaded is not None and loaded[0] == signature:
                    saved_stamp, entries = loaded[1], loaded[2]
                else:
                    with store.open("rb") as handle:
                        saved_stamp, entries = pickle.load(handle)
                    _LOADED[store] = (signature, saved_stamp, entries)
                if saved_stamp == stamp:
                    self.entries = entries
            except Exception:  # a stale or damaged cache is only a slower run
                self.entries = {}

    @classmethod
    def for_folder(cls, content_dir: Path) -> FileCache:
        """The cache for `content_dir`, with the disk file unless BRIEFING_CACHE=0."""
        stamp = _stamp()
        if os.environ.get("BRIEFING_CACHE", "1") == "0":
            return cls(None, stamp)
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        name = hashlib.blake2b(str(content_dir.resolve()).encode(), digest_size=12).hexdigest()
        return cls(base / "briefing-archive" / f"{name}.pickle", stamp)

    def get(self, record: Any, data: bytes, compute: Callable[[Any, bytes], T]) -> T:
        """The result for `record` with content `data`, computed only on a miss."""
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        key = (f"{record.kind}:{record.rel}:{record.display}", digest)
        value = self.entries.get(key)
        if value is None:
            value = _MEMORY.get((self.stamp + key[0], digest))
        if value is None:
            value = compute(record, data)
            self.dirty = True
        _MEMORY[(self.stamp + key[0], digest)] = value
        self.used[key] = value
        return value

    def save(self) -> None:
        """Write the entries used in this run (dropping deleted files') if anything changed."""
        if self.store is None or not (self.dirty or len(self.used) != len(self.entries)):
            return
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so that a crash never leaves half a cache behind.
            fd, tmp = tempfile.mkstemp(dir=self.store.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((self.stamp, self.used), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.store)
            _LOADED[self.store] = (_signature(self.store), self.stamp, self.used)
        except OSError:
            pass  # a read-only home folder only costs speed
