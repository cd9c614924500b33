"""Record files under content/, and which of them are unchanged since they were last hashed.

`discover` walks the content folder in a stable order, takes one `lstat` of each file (before
anything reads it) and reports layout problems on the way: symlinks, files that are not
regular, records outside the known folders or with the wrong extension.

`StatIndex` lets an unchanged archive be validated without reading a record, like git's index:
for each file it remembers the digest of its bytes together with its lstat (size, mtime_ns,
ctime_ns, inode, device) taken *before* the file was read, and trusts the digest only when the
new lstat matches all five exactly; anything else reads and hashes the file again. Writing a
file always sets its ctime to "now", even when the editor (or `os.utime`) then restores the old
mtime, and replacing it changes the inode. The one gap is a change within the filesystem's
timestamp granularity of the moment the stat was taken, so entries whose mtime or ctime lie
within `RACY_NS` (2 s) of that moment are "racy" and never stored: those files are re-read on
every run until they have been left alone for a while. The index is kept per folder, as three
strings (the names, their stat keys, their digests), so that a folder whose files are all as
remembered is recognised by two comparisons rather than a lookup per file; `generator.records.cache`
stores it on disk beside the archive's outcome.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from generator.problems import Problem
from generator.records.cache import DIGEST_SIZE

if TYPE_CHECKING:
    from generator.records.checked import Checked

_FOLDERS = {
    "actors": "actor",
    "topics": "topic",
    "statements": "statement",
    "briefings": "briefing",
}

RACY_NS = 2_000_000_000
"""A file changed this close to the moment its stat was taken is never trusted by stat alone."""

# size, mtime_ns, ctime_ns, inode, device: what must be equal for a stat entry to be trusted.
_STAT = struct.Struct("<qqqQQ")
_KEY = _STAT.size
_DIGEST = DIGEST_SIZE


@dataclass(slots=True)
class RecordFile:
    """One record file as found, and what a validation run learns about it."""

    kind: str
    file: str  # the path as found, for opening
    rel: str  # relative to the content folder, POSIX
    display: str
    stat_key: bytes  # of its lstat, taken before the file is read
    stem: str  # the file name without .yml
    checked: Checked | None = None
    digest: bytes | None = None  # of the file's bytes, once known
    data: bytes | None = None  # the bytes, while they are needed
    error: Problem | None = None  # the file could not be read

    @property
    def path(self) -> Path:
        """The file's path, as found."""
        return Path(self.file)

    @property
    def name(self) -> str:
        """The file's name."""
        return os.path.basename(self.file)

    @property
    def key(self) -> str:
        """The file's place, which with its content decides its result."""
        return f"{self.kind}:{self.rel}:{self.display}"

    @property
    def size(self) -> int:
        """The file's size in bytes, as its lstat said."""
        return int(_STAT.unpack_from(self.stat_key)[0])


@dataclass(slots=True)
class Folder:
    """The record files of one folder, in name order, each with the stat key of its lstat."""

    kind: str
    prefix: str  # the folder's path as found, ending in a separator: prefix + name opens a file
    rel: str  # relative to the content folder, POSIX, ending in "/"
    shown: str  # as problems show it, ending in "/" (or empty: the working folder)
    names: list[str] = field(default_factory=list)
    keys: list[bytes] = field(default_factory=list)

    def files(self, digests: bytes | list[bytes | None]) -> list[RecordFile]:
        """A `RecordFile` for each name, with its digest from `StatIndex.digests`, if known."""
        kind, prefix, rel, shown = self.kind, self.prefix, self.rel, self.shown
        if isinstance(digests, bytes):
            digests = [digests[i : i + _DIGEST] for i in range(0, len(digests), _DIGEST)]
        return [
            RecordFile(kind, prefix + name, rel + name, shown + name, key, name[:-4], digest=digest)
            for name, key, digest in zip(self.names, self.keys, digests, strict=True)
        ]


def display_path(path: Path) -> str:
    """The path as an editor wants to see it: relative to the working folder when inside it."""
    # Resolve the folder only: a symlinked file must be shown as itself, not as its target.
    return _display_folder(str(path.parent), os.getcwd()) + path.name


@cache
def _display_folder(folder: str, cwd: str) -> str:
    # Once per folder, not per file: resolving is a system call per path component.
    try:
        rel = Path(folder).resolve().relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return folder.rstrip("/") + "/"
    return "" if rel == "." else rel + "/"


def problem_at(path: Path, message: str, hint: str) -> Problem:
    """A problem with the file at `path` as a whole (reported at line 1, column 1)."""
    return Problem(display_path(path), 1, 1, message, hint)


# Where a folder can be listed, and its entries looked at, through one open handle of it
# (Linux, macOS), each lstat resolves one name instead of the whole path again.
_BY_HANDLE = os.listdir in os.supports_fd and os.lstat in os.supports_dir_fd
_OPEN_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


def discover(content_dir: Path, out: list[Problem]) -> list[Folder]:
    """The folders that hold records, each with its record files; layout problems go to `out`.

    Folders in name order, each folder's files before its subfolders (as `os.walk` would), and
    the files in name order: the records' order. One `lstat` per entry, which the stat index
    needs anyway and which tells folders from files. Layout problems may come in another
    order than the records: each is at a place of its own, and all are sorted later.
    """
    cwd = os.getcwd()
    folders: list[Folder] = []

    def visit(here: str, rel_parts: tuple[str, ...]) -> None:
        prefix = os.path.join(here, "")
        kind = _kind_of(rel_parts)
        handle = None
        try:
            if _BY_HANDLE:
                handle = os.open(here, _OPEN_FOLDER)
            listed = os.listdir(here if handle is None else handle)
            names = sorted(name for name in listed if _visible(name))
            records, keys, others = _look(names, handle, prefix, kind is not None)
        except OSError:
            return  # as os.walk: an unreadable folder is skipped
        finally:
            if handle is not None:
                os.close(handle)
        subfolders: list[str] = []
        for name, st in others:
            if st is None:
                continue  # removed while we looked
            if stat.S_ISDIR(st.st_mode):
                subfolders.append(name)
            else:
                _other_file(kind is not None, prefix + name, name, st, out)
        if kind is not None and records:
            rel = "".join(part + "/" for part in rel_parts)
            shown = _display_folder(str(Path(here)), cwd)
            folders.append(Folder(kind, prefix, rel, shown, records, keys))
        for name in subfolders:  # in name order, as all entries
            visit(prefix + name, (*rel_parts, name))

    visit(str(content_dir), ())
    return folders


def count_records(content_dir: Path, kind: str) -> int:
    """How many record files of `kind` `discover` would find under `content_dir`, from the
    folder listings' file types alone (no `lstat` of each file): for a decision taken before
    the records are validated, such as the search engine's. Same folders, same names."""
    count = 0
    folders: list[tuple[str, tuple[str, ...]]] = [(str(content_dir), ())]
    while folders:
        here, rel_parts = folders.pop()
        records_here = _kind_of(rel_parts) == kind
        try:
            with os.scandir(here) as entries:
                for entry in entries:
                    if not _visible(entry.name):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, (*rel_parts, entry.name)))
                    elif records_here and _record_name(entry.name):
                        count += entry.is_file(follow_symlinks=False)
        except OSError:
            continue  # as discover: an unreadable folder is skipped
    return count


def _visible(name: str) -> bool:
    # Hidden entries (an editor's swap files, .git) are neither records nor folders of them.
    return not name.startswith(".")


def _record_name(name: str) -> bool:
    return name.endswith(".yml")


def _look(
    names: list[str], handle: int | None, prefix: str, records_here: bool
) -> tuple[list[str], list[bytes], list[tuple[str, os.stat_result | None]]]:
    """One lstat per entry: the records (regular `.yml` files where records belong) with their
    stat keys, and every other entry with its lstat (None if it vanished meanwhile).

    The hot loop of an unchanged archive's run: one system call and one key per file. (A
    second thread for half the files, tried before, was slower: the two threads hand the GIL
    to each other around every call.)
    """
    at = "" if handle is not None else prefix
    lstat, pack, is_regular = os.lstat, _STAT.pack, stat.S_ISREG
    records: list[str] = []
    keys: list[bytes] = []
    others: list[tuple[str, os.stat_result | None]] = []
    for name in names:
        try:
            st = lstat(at + name, dir_fd=handle)
        except OSError:
            others.append((name, None))
            continue
        if records_here and _record_name(name) and is_regular(st.st_mode):
            records.append(name)
            keys.append(pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev))
        else:
            others.append((name, st))
    return records, keys, others


def _other_file(
    records_here: bool, path: str, name: str, st: os.stat_result, out: list[Problem]
) -> None:
    """What a file that is not a record where it belongs is: a layout problem, or nothing."""
    if stat.S_ISLNK(st.st_mode):
        if os.path.isdir(path):  # follows the link
            out.append(
                problem_at(
                    Path(path),
                    "symlinked folder in content/",
                    "replace the link with the real folder: links can lead outside the archive",
                )
            )
            return
        out.append(
            problem_at(
                Path(path),
                "symlink in content/",
                "replace the link with the file itself: links can lead outside the archive",
            )
        )
        return
    if not stat.S_ISREG(st.st_mode):
        out.append(problem_at(Path(path), "not a regular file", "remove it from content/"))
        return
    suffix = os.path.splitext(name)[1]
    if suffix.lower() not in (".yml", ".yaml"):
        return  # notes, READMEs and images may sit beside records
    if suffix != ".yml":
        out.append(
            problem_at(
                Path(path),
                f"record files end in .yml, not {suffix}",
                f"rename it to {Path(name).stem}.yml",
            )
        )
        return
    if not records_here:
        out.append(
            problem_at(
                Path(path),
                "record outside the known folders",
                "move it to content/actors/, content/topics/, content/briefings/ "
                "or content/statements/<yyyy>/",
            )
        )


def _kind_of(parts: tuple[str, ...]) -> str | None:
    if len(parts) == 1 and parts[0] in ("actors", "topics", "briefings"):
        return _FOLDERS[parts[0]]
    if len(parts) == 2 and parts[0] == "statements" and re.fullmatch(r"[0-9]{4}", parts[1]):
        return "statement"
    return None


# --- the stat index ----------------------------------------------------------------------
# On disk: {folder rel: (names joined by NUL, their stat keys, their digests)}, only files
# that were not racy when hashed, in the folder's order. NUL is the one character no file
# name holds.
_Saved = tuple[str, bytes, bytes]


class StatIndex:
    """Which record files are, by their lstat, exactly as when their bytes were last hashed."""

    def __init__(self, saved: Any) -> None:
        """`saved` is what `export` returned last time (anything else counts as nothing)."""
        # Taken before any file is looked at: files changed after it are judged racy.
        self.observed_ns = time.time_ns()
        self._saved: dict[str, Any] = saved if isinstance(saved, dict) else {}
        self._whole: dict[str, _Saved] = {}  # folders whose every file is as saved
        self._entries: dict[str, tuple[bytes, bytes]] = {}  # file rel -> (stat key, digest)

    def digests(self, folder: Folder) -> bytes | list[bytes | None]:
        """The digest of each of the folder's files whose lstat is exactly as when it was
        hashed, else None; all of them, joined, if the whole folder is."""
        if not folder.names:
            return b""
        stored = self._saved.get(folder.rel)
        saved: _Saved = stored if _well_formed(stored) else ("", b"", b"")
        names, keys, digests = saved
        if names == "\0".join(folder.names) and keys == b"".join(folder.keys):
            # Entries are stored only when not racy; a file that matches one exactly has not
            # been touched since, so it is not racy now either.
            self._whole[folder.rel] = saved
            return digests
        position = {name: i for i, name in enumerate(names.split("\0"))} if names else {}
        found: list[bytes | None] = []
        for name, key in zip(folder.names, folder.keys, strict=True):
            i = position.get(name)
            if i is not None and keys[i * _KEY : (i + 1) * _KEY] == key:
                digest = digests[i * _DIGEST : (i + 1) * _DIGEST]
                self._entries[folder.rel + name] = (key, digest)
                found.append(digest)
            else:
                found.append(None)
        return found

    def hashed(self, record: RecordFile, digest: bytes) -> None:
        """Remember that the record file, as its stat key says, hashed to `digest`."""
        folder = record.rel[: record.rel.rfind("/") + 1]
        whole = self._whole.pop(folder, None)
        if whole is not None:  # trusted as a whole, but read again: keep its files one by one
            names, keys, digests = whole
            for i, name in enumerate(names.split("\0")):
                self._entries[folder + name] = (
                    keys[i * _KEY : (i + 1) * _KEY],
                    digests[i * _DIGEST : (i + 1) * _DIGEST],
                )
        self._entries.pop(record.rel, None)
        _, mtime_ns, ctime_ns, _, _ = _STAT.unpack(record.stat_key)
        if max(mtime_ns, ctime_ns) < self.observed_ns - RACY_NS:
            self._entries[record.rel] = (record.stat_key, digest)

    def export(self, folders: list[Folder]) -> dict[str, _Saved]:
        """The index to save: this run's trusted and freshly hashed files, by folder."""
        out: dict[str, _Saved] = {}
        entries = self._entries
        for folder in folders:
            whole = self._whole.get(folder.rel)
            if whole is not None:
                out[folder.rel] = whole
                continue
            names: list[str] = []
            keys: list[bytes] = []
            digests: list[bytes] = []
            for name in folder.names:
                entry = entries.get(folder.rel + name)
                if entry is not None:
                    names.append(name)
                    keys.append(entry[0])
                    digests.append(entry[1])
            if names:
                out[folder.rel] = ("\0".join(names), b"".join(keys), b"".join(digests))
        return out


def _well_formed(saved: Any) -> TypeGuard[_Saved]:
    """True if a stored folder entry has the shape `export` gives it (a damaged cache may not)."""
    if not (
        type(saved) is tuple
        and len(saved) == 3
        and type(saved[0]) is str
        and type(saved[1]) is bytes
        and type(saved[2]) is bytes
    ):
        return False
    count = saved[0].count("\0") + 1 if saved[0] else 0
    return len(saved[1]) == count * _KEY and len(saved[2]) == count * _DIGEST
