"""Caches that let an unchanged archive be re-validated without re-reading its records.

Re-validating an unchanged archive should not re-parse, nor even re-read, its YAML files.
Three layers, each keyed so that a changed file is always read again:

1. **Per-file results, keyed by content.** The result of checking one file is a pure function
   of its bytes, its kind and its place, so it is stored under a digest (BLAKE2b) of the bytes.
   A changed file gets another digest, so it misses and is checked again.

2. **A stat index, like git's.** Reading and hashing every small file takes time, so for
   each file we remember the digest together with its `lstat` (size, mtime_ns, ctime_ns,
   inode, device), taken *before* the file was read, and trust the digest only while the
   `lstat` is exactly the same and was not taken within 2 s of a change. `generator.records.find`
   keeps it (`StatIndex`, with the rules); this module stores it as plain data.

3. **The archive's outcome.** The problems found across all records (references, publisher
   spellings, warnings) are a function of every file's digest, kind and place, the code,
   and today's date (warnings about the future). They are stored as one small blob under a
   digest of all of that, so `briefing validate` on an unchanged archive loads neither the
   per-file results nor the records.

Everything lives in a `Memory`, which whoever validates again and again keeps (so `mkdocs
serve` rebuilds are quick), and in two files per content folder under the user's cache
folder (so the next command is quick too), `$XDG_CACHE_HOME/briefing-archive/` or
`~/.cache/briefing-archive/`: `<name>.results` (the per-file results) and `<name>.index`
(the stat index and the outcome); never in the repository or the site. Both hold plain
tuples, dicts and strings in `marshal` format, which loads faster than pickled objects; the
stamp that must match (the validator's modules and schemas) includes the Python version
that wrote them. A cache that is stale, damaged or unreadable is ignored: it only makes a
run slower. `BRIEFING_CACHE=0` turns the disk files off, and with them the stat index and
the outcome: every file is then read and hashed, and only the per-file results are kept,
in the `Memory`.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.paths import code_stamp
from generator.reuse import Reuse, identical


def _same(value: Any) -> Any:
    return value


def _stamp() -> str:
    # The code and schemas decide a file's result (paths.code_stamp), and marshal's format
    # is Python's.
    return hashlib.blake2b((sys.version + code_stamp()).encode(), digest_size=16).hexdigest()


DIGEST_SIZE = 16
"""Bytes in a file's content key (`digest_of`)."""


def digest_of(data: bytes) -> bytes:
    """The content key of a file's bytes."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


# Version 2 writes no back-references: more bytes than the default (4), but it need not
# look up every object in a table as it goes, which makes writing faster. Reading costs
# the same.
_MARSHAL_VERSION = 2


class Memory:
    """What this process remembers of the validation caches from one run to the next.

    Whoever validates again and again (a `serve`'s session, through `validate.Validator`)
    keeps one, so that a rebuild neither reads the stores nor unpacks a result again, and
    an unchanged record keeps its model object; a single run starts with an empty one.
    """

    def __init__(self) -> None:
        #: Each file's result as an object, by (stamp + file key, digest).
        self.results: dict[tuple[str, bytes], Any] = {}
        #: The entries last read from or written to each store, with the file's (mtime,
        #: size) then: an unchanged store is taken from here, not read and loaded again.
        self.stores: dict[Path, tuple[tuple[int, int], Any]] = {}
        #: The models the last run assembled (`assemble.assemble` reuses and replaces them),
        #: each reused only for the very same result object, not an equal one: the YAML
        #: data's `==` is looser than the model's (1 == 1.0 == True).
        self.models: Reuse[tuple[str, str], Any] = Reuse(same=identical)


def _signature(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def _load(path: Path | None, memory: Memory) -> Any:
    """The object stored at `path`, or None if there is none or it cannot be read."""
    if path is None or not path.is_file():
        return None
    try:
        signature = _signature(path)
        loaded = memory.stores.get(path)
        if loaded is not None and loaded[0] == signature:
            return loaded[1]
        value = marshal.loads(path.read_bytes())
        memory.stores[path] = (signature, value)
        return value
    except Exception:  # a stale or damaged cache is only a slower run
        return None


def _dump(path: Path, value: Any, memory: Memory) -> None:
    try:
        import tempfile  # only when writing: an unchanged archive's run writes nothing

        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so that a crash never leaves half a cache behind.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps(value, _MARSHAL_VERSION))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        memory.stores[path] = (_signature(path), value)
    except OSError:
        return  # a read-only home folder only costs speed


def cache_folder() -> Path | None:
    """`$XDG_CACHE_HOME/briefing-archive/` (or `~/.cache/…`); None when BRIEFING_CACHE=0."""
    if os.environ.get("BRIEFING_CACHE", "1") == "0":
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "briefing-archive"


class FileCache:
    """Per-file results, the stat index and the outcome for one content folder."""

    def __init__(
        self,
        store: Path | None,
        stamp: str,
        index_store: Path | None = None,
        codec: tuple[Callable[[Any], Any], Callable[[Any], Any]] = (_same, _same),
        memory: Memory | None = None,
    ) -> None:
        self.store = store
        self.memory = Memory() if memory is None else memory
        # Results are kept as objects in memory and as plain data (`marshal`) on disk.
        self.pack, self.unpack = codec
        self._packed: dict[tuple[str, bytes], Any] = {}
        self.index_store = index_store
        self.stamp = stamp
        self._entries: dict[tuple[str, bytes], Any] | None = None  # loaded on first miss
        self.used: dict[tuple[str, bytes], Any] = {}
        self.dirty = False
        self.stats: Any = None  # the stat index as stored (`discover.StatIndex` reads it)
        self.outcome_key: bytes | None = None
        self.outcome: Any = None
        self.new_stats: Any = None
        self.new_outcome: tuple[bytes, Any] | None = None
        index = _load(index_store, self.memory)
        if (
            isinstance(index, tuple)
            and len(index) == 3
            and isinstance(index[0], dict)
            and isinstance(index[1], bytes | None)
        ):
            self.stats, self.outcome_key, self.outcome = index

    @classmethod
    def for_folder(
        cls,
        content_dir: Path,
        codec: tuple[Callable[[Any], Any], Callable[[Any], Any]] = (_same, _same),
        memory: Memory | None = None,
    ) -> FileCache:
        """The cache for `content_dir`, with the disk files unless BRIEFING_CACHE=0.

        `codec` turns a result into plain data that `marshal` can store, and back; `memory`
        is what earlier runs of this process left (none: a run of its own).
        """
        stamp = _stamp()
        folder = cache_folder()
        if folder is None:
            # Per-file results in memory only; no stat index, no outcome.
            return cls(None, stamp, None, codec, memory)
        name = _folder_name(content_dir)
        return cls(folder / f"{name}.results", stamp, folder / f"{name}.index", codec, memory)

    # --- stat index --------------------------------------------------------------------
    def remember_stats(self, stats: Any) -> None:
        """Keep `stats` (plain data: `discover.StatIndex.export`) as the stat index."""
        self.new_stats = stats

    # --- per-file results ----------------------------------------------------------------
    def _load_entries(self) -> dict[tuple[str, bytes], Any]:
        if self._entries is None:
            saved = _load(self.store, self.memory)
            ok = isinstance(saved, tuple) and len(saved) == 2 and saved[0] == self.stamp
            self._entries = saved[1] if ok and isinstance(saved[1], dict) else {}
        return self._entries

    def lookup(self, key: str, digest: bytes) -> Any:
        """The stored result for the file `key` with content `digest`, or None."""
        memory_key = (self.stamp + key, digest)
        value = self.memory.results.get(memory_key)
        if value is None:
            packed = self._load_entries().get((key, digest))
            if packed is None:
                return None
            try:
                value = self.unpack(packed)
            except Exception:  # damaged: compute it again
                return None
            self.memory.results[memory_key] = value
            self._packed[(key, digest)] = packed
        self.used[(key, digest)] = value
        return value

    def holds(self, key: str, digest: bytes) -> bool:
        """True if `lookup` would find a result (without unpacking it)."""
        if (self.stamp + key, digest) in self.memory.results:
            return True
        return (key, digest) in self._load_entries()

    def put(self, key: str, digest: bytes, value: Any, packed: Any = None) -> None:
        """Store the freshly computed result for the file `key` with content `digest`.

        `packed` is the result as plain data if the caller has it already (the worker's
        answer): saving then need not pack it again.
        """
        self.memory.results[(self.stamp + key, digest)] = value
        if packed is not None:
            self._packed[(key, digest)] = packed
        self.used[(key, digest)] = value
        self.dirty = True

    # --- the outcome ---------------------------------------------------------------------
    def outcome_digest(self, parts: Iterable[str], digests: Iterable[bytes]) -> bytes:
        """The key of an outcome: the code, and every file's place and content."""
        digest = hashlib.blake2b(self.stamp.encode(), digest_size=16)
        digest.update("\0".join(parts).encode("utf-8", "surrogatepass"))
        digest.update(b"".join(digests))
        return digest.digest()

    def known_outcome(self, key: bytes) -> Any:
        """The outcome stored under `key`, or None."""
        if self.outcome_key == key:
            return self.outcome
        return None

    def remember_outcome(self, key: bytes, outcome: Any) -> None:
        """Keep `outcome` as the one for `key` (replacing the previous one)."""
        self.new_outcome = (key, outcome)

    def save(self) -> None:
        """Write what changed: the results used in this run, the stat index, the outcome."""
        # Results found in memory may be missing from the disk store (a new cache folder, or
        # one another process rewrote): compare, but only when this run used any.
        changed = self.dirty or (
            bool(self.used) and self.used.keys() != self._load_entries().keys()
        )
        if self.store is not None and changed:
            packed = self._packed
            entries = {k: packed[k] if k in packed else self.pack(v) for k, v in self.used.items()}
            _dump(self.store, (self.stamp, entries), self.memory)
            self._entries, self._packed = entries, {}
        key, outcome = self.new_outcome or (self.outcome_key, self.outcome)
        stats = self.stats if self.new_stats is None else self.new_stats
        # Mostly the very same objects as loaded (an unchanged archive): compared by identity.
        if stats != self.stats or key != self.outcome_key:
            self.stats, self.outcome_key, self.outcome = stats, key, outcome
            if self.index_store is not None:
                _dump(self.index_store, (stats, key, outcome), self.memory)


def _folder_name(content_dir: Path) -> str:
    return hashlib.blake2b(str(content_dir.resolve()).encode(), digest_size=12).hexdigest()
