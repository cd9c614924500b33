"""Reading, hashing and checking the record files that are not cached.

`check_records` fills in each record's `Checked` result: from the cache, or by reading and
checking the file, on a cold run over many files shared with a second process
(`worker.share`). `_check_read` is what both processes run for one file.
"""

from __future__ import annotations

import os
from typing import Any

from generator.problems import Problem
from generator.records.cache import FileCache, digest_of
from generator.records.checked import pack_checked, problem_data, unpack_checked
from generator.records.checks import check_file
from generator.records.find import RecordFile, StatIndex, problem_at

PARALLEL_MIN = 1000
"""Fewer files than this are checked in this process: a second one costs more than it saves."""

CHUNK = 200
"""Files per share of work that the two processes take turns to claim."""


def _read(record: RecordFile) -> bytes:
    # Four system calls a file (open, read, read to the end, close) where `open().read()`
    # makes nine (stat, terminal check, seeks): a cold run reads thousands of files.
    fd = os.open(record.file, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        size = record.size + 1  # as its lstat said; whatever it is now, read to the end
        while chunk := os.read(fd, size):
            parts.append(chunk)
            size = 1 << 16
        return b"".join(parts)
    finally:
        os.close(fd)


def _read_error(record: RecordFile, exc: OSError) -> Problem:
    return problem_at(
        record.path,
        f"cannot read the file: {exc.strerror}",
        "check that it exists and is readable",
    )


def read_and_hash(record: RecordFile, stats: StatIndex) -> None:
    """Fill in the record's bytes and digest, or its read error."""
    try:
        data = _read(record)
    except OSError as exc:
        record.digest = None  # no outcome is kept for an archive with an unreadable file
        record.error = _read_error(record, exc)
        return
    record.data, record.digest = data, digest_of(data)
    stats.hashed(record, record.digest)


def _check_read(record: RecordFile, cache: FileCache) -> tuple[Any, ...]:
    """Read and hash the record if that is still to do, then check it unless cached.

    (digest, read error, result, packed result): the result is None when the cache holds
    one for these bytes, and both are None when the file could not be read; the packed
    result comes only from the worker (its answer, kept for the disk cache). A pure function
    of the file (and of `cache`, which a second process holds a copy of as it was when it
    started), run by either process for its share; `_pack_read` and `_unpack_read` carry it.
    """
    if record.digest is None:
        try:
            data = _read(record)
        except OSError as exc:
            return None, _read_error(record, exc), None, None
        digest = digest_of(data)
        if cache.holds(record.key, digest):
            return digest, None, None, None
        return digest, None, check_file(record, data), None
    return record.digest, None, check_file(record, record.data or b""), None


def _pack_read(result: tuple[Any, ...]) -> tuple[Any, ...]:
    digest, error, checked, _ = result
    return (
        digest,
        None if error is None else problem_data(error),
        None if checked is None else pack_checked(checked),
    )


def _unpack_read(data: tuple[Any, ...]) -> tuple[Any, ...]:
    digest, error, checked = data
    return (
        digest,
        None if error is None else Problem(*error),
        None if checked is None else unpack_checked(checked),
        checked,
    )


def check_records(records: list[RecordFile], cache: FileCache, stats: StatIndex) -> None:
    """Each readable record's own findings, from the cache or computed (in parallel if many).

    Files not yet read (not trusted by their stat) are read, hashed and checked in one go,
    so that a cold run shares the reading with the worker too; one whose bytes turn out to
    be cached takes its result from the cache.
    """
    work: list[RecordFile] = []
    for record in records:
        if record.error is not None:
            continue
        if record.digest is None:
            work.append(record)
            continue
        record.checked = cache.lookup(record.key, record.digest)
        if record.checked is not None:
            continue
        if record.data is None:  # trusted by its stat, but its result is gone: read it
            read_and_hash(record, stats)
            if record.error is not None:
                continue
            record.checked = cache.lookup(record.key, record.digest)
            if record.checked is not None:
                record.data = None
                continue
        work.append(record)
    from generator.worker import share  # only when files must be checked

    results = share(
        len(work),
        lambda i: _check_read(work[i], cache),
        parallel=len(work) >= PARALLEL_MIN,
        name="briefing-validate",
        what="validating",
        unit="file",
        chunk=CHUNK,
        codec=(_pack_read, _unpack_read),
    )
    for record, (digest, error, checked, packed) in zip(work, results, strict=True):
        if error is not None:
            record.digest = None  # no outcome is kept for an archive with an unreadable file
            record.error = error
            continue
        if record.digest is None:
            record.digest = digest
            stats.hashed(record, digest)
        if checked is None:
            checked = cache.lookup(record.key, digest)
            if checked is None:  # its cached result is damaged: read and check it here
                read_and_hash(record, stats)
                if record.error is not None or record.digest is None:
                    continue
                checked = check_file(record, record.data or b"")
                cache.put(record.key, record.digest, checked)
        else:
            cache.put(record.key, digest, checked, packed)
        record.checked, record.data = checked, None
