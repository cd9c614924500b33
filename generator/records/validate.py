"""Record files -> an `Archive` of models, collecting every problem on the way.

Stages, in order: `find.discover` (layout, symlinks, names), the checks of each file
(`checks.py`: `load.load_text` for the YAML traps, `schema.check_schema`, then dates,
addresses, id, year folder, placeholders), read and checked or taken from the cache and, on a
cold run over many files, shared with a second process (`read.py`, generator/worker.py), the
rules across records (`across.py`: collisions, references that must exist, publishers),
`assemble.assemble` (the models) and the plausibility warnings (`across.check_warnings`).
This module runs them and caches the outcome of the whole run. Nothing stops at the first
problem: an editor fixes everything from one run.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import collector
from generator.problems import Problem
from generator.records.across import (
    check_collisions,
    check_publishers,
    check_references,
    check_warnings,
    finish_checks,
    judging_day,
)
from generator.records.assemble import assemble
from generator.records.cache import FileCache, Memory
from generator.records.checked import pack_checked, problem_data, unpack_checked
from generator.records.checks import ID_MAX as ID_MAX  # part of this module's API
from generator.records.checks import ID_PATTERN as ID_PATTERN  # part of this module's API
from generator.records.find import Folder, RecordFile, StatIndex, discover
from generator.records.find import display_path as display_path  # part of this module's API
from generator.records.model import Archive
from generator.records.read import check_records, read_and_hash

KINDS = ("actor", "topic", "statement", "briefing")


@dataclass(frozen=True)
class Result:
    """What validation found: the archive (None if anything is an error) and every problem."""

    archive: Archive | None
    problems: tuple[Problem, ...]
    checked: int
    counts: dict[str, int] = field(default_factory=dict)
    #: What `validate_archive(defer=True)` left to do: see `finish`.
    pending: Callable[[], Result] | None = field(default=None, compare=False, repr=False)

    def finish(self) -> Result:
        """The whole result: the deferred checks run and the cache written, if any were left."""
        return self if self.pending is None else self.pending()

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that fail validation."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems that fail only under --strict."""
        return tuple(p for p in self.problems if p.severity == "warning")


# --- the whole run -------------------------------------------------------------------------


class Validator:
    """Validation runs that remember each file's result from one run to the next.

    Whoever validates the same archive again and again (a `serve`'s session) keeps one, so
    that a rebuild neither reads the cache files nor unpacks a result again; the disk cache
    (cache.py) is shared by every run either way.
    """

    def __init__(self) -> None:
        self.memory = Memory()

    def validate(self, content_dir: Path, *, strict: bool = False, defer: bool = False) -> Result:
        """Validate every record under `content_dir`; the archive if nothing is wrong.

        `defer=True` returns as soon as the archive is known, when there is one (and not
        under `strict`, where a warning can still fail it): the checks that can only add
        warnings and the cache writes are left to `Result.finish()`, which the caller must
        run. A build runs them while the pages are being rendered. Until then `problems`
        holds only what was found so far.
        """
        return self._validate(content_dir, strict=strict, need_archive=True, defer=defer)

    def check(self, content_dir: Path, *, strict: bool = False) -> Result:
        """The problems `validate` finds, without the archive (`Result.archive` is None).

        For `briefing validate`, which only reports: an archive whose files are all
        unchanged since the last run is answered from the cache without reading a record.
        """
        return self._validate(content_dir, strict=strict, need_archive=False, defer=False)

    def _validate(
        self, content_dir: Path, *, strict: bool, need_archive: bool, defer: bool
    ) -> Result:
        with collector.paused():  # a run frees what it allocates by reference counting
            result = _run(
                content_dir, self.memory, strict=strict, need_archive=need_archive, defer=defer
            )
        if result.pending is not None:
            result = replace(result, pending=collector.pausing(result.pending))
        return result


def validate_archive(content_dir: Path, *, strict: bool = False, defer: bool = False) -> Result:
    """`Validator.validate` in a run of its own (nothing remembered but the disk cache)."""
    return Validator().validate(content_dir, strict=strict, defer=defer)


def check_archive(content_dir: Path, *, strict: bool = False) -> Result:
    """`Validator.check` in a run of its own (nothing remembered but the disk cache)."""
    return Validator().check(content_dir, strict=strict)


def _run(
    content_dir: Path, memory: Memory, *, strict: bool, need_archive: bool, defer: bool
) -> Result:
    problems: list[Problem] = []
    if not content_dir.is_dir():
        problems.append(
            Problem(
                display_path(content_dir),
                1,
                1,
                "the content folder does not exist",
                "run the command inside the repository, or name the folder",
            )
        )
        return Result(None, tuple(problems), 0)
    if content_dir.is_symlink():
        problems.append(
            Problem(
                display_path(content_dir),
                1,
                1,
                "the content folder is a symlink",
                "use the real folder",
            )
        )
        return Result(None, tuple(problems), 0)
    cache = FileCache.for_folder(content_dir, (pack_checked, unpack_checked), memory)
    # Before any file is looked at: the stat index judges "racy" files against this moment.
    stats = StatIndex(cache.stats)
    folders = discover(content_dir, problems)
    known = [stats.digests(folder) for folder in folders]
    counts = {kind: 0 for kind in KINDS}
    for folder in folders:
        counts[folder.kind] += len(folder.names)
    checked = sum(counts.values())
    # Everything after this point is a function of the files' places and contents, the code
    # and today's date: an unchanged archive's findings come from the cache. When every
    # folder is as remembered, that is known without an object per file.
    shared = len(problems)
    whole = all(isinstance(digests, bytes) for digests in known)
    if not need_archive and whole:
        digests = b"".join(d for d in known if isinstance(d, bytes))
        if _reuse_outcome(cache, _outcome_key(folders, digests, cache), problems):
            cache.remember_stats(stats.export(folders))
            cache.save()
            return Result(None, finish_checks(problems, strict), checked, counts)
    records = [
        record
        for folder, digests in zip(folders, known, strict=True)
        for record in folder.files(digests)
    ]
    key = None
    if not need_archive and not whole:
        for record in records:
            if record.digest is None:
                read_and_hash(record, stats)
        # Some files were read again (changed, or racy); if their bytes are as before, so is
        # the outcome.
        key = _records_key(folders, records, cache)
    # Otherwise the files not trusted by their stat are read in check_records, where a cold
    # run shares the reading with the worker too.
    if key is not None and _reuse_outcome(cache, key, problems):
        cache.remember_stats(stats.export(folders))
        cache.save()
        return Result(None, finish_checks(problems, strict), checked, counts)
    check_collisions(records, problems)
    check_records(records, cache, stats)
    index: dict[str, dict[str, RecordFile]] = {kind: {} for kind in KINDS}
    for record in records:
        if record.error is not None:
            problems.append(record.error)
            continue
        assert record.checked is not None
        problems.extend(record.checked.problems)
        if record.checked.ident is not None:
            index[record.kind].setdefault(record.checked.ident, record)
    check_references(records, index, problems)
    check_publishers(records, problems)
    archive: Archive | None = None
    statement_records: dict[str, RecordFile] = {}
    if not any(p.severity == "error" for p in problems):
        usable = [r for r in records if r.checked and r.checked.usable and r.checked.fields]
        archive, statement_records = assemble(usable, memory.models)

    @functools.cache  # once, however often a caller asks
    def finish() -> Result:
        if archive is not None:
            check_warnings(archive, statement_records, problems)
        # Keyed by the digests as checked (a file trusted by its stat may have been re-read).
        if (key := _records_key(folders, records, cache)) is not None:
            cache.remember_outcome(key, tuple(problem_data(p) for p in problems[shared:]))
        cache.remember_stats(stats.export(folders))
        cache.save()
        final = finish_checks(problems, strict)
        ok = archive is not None and not any(p.severity == "error" for p in final)
        return Result(archive if ok and need_archive else None, final, checked, counts)

    if defer and archive is not None and not strict:
        # What is left can only add warnings (not errors), so this archive is the result's.
        return Result(archive, finish_checks(problems, strict), checked, counts, pending=finish)
    return finish()


def _reuse_outcome(cache: FileCache, key: bytes, problems: list[Problem]) -> bool:
    """Add the findings stored under `key` to `problems`; False if there are none."""
    known = cache.known_outcome(key)
    if known is None:
        return False
    try:
        found = [Problem(*p) for p in known]
    except TypeError:  # damaged: find them again
        return False
    problems.extend(found)
    return True


def _outcome_key(folders: list[Folder], digests: bytes, cache: FileCache) -> bytes:
    """What decides the findings beyond discovery: every file's place and content, today."""
    parts = [judging_day().isoformat()]
    for folder in folders:
        # A record's place is its folder's and its name: this says the same as one
        # "kind:rel:display" per file, with one string per file instead of three.
        parts += (folder.kind, folder.rel, folder.shown, str(len(folder.names)))
        parts += folder.names
    return cache.outcome_digest(parts, [digests])


def _records_key(
    folders: list[Folder], records: list[RecordFile], cache: FileCache
) -> bytes | None:
    """`_outcome_key` with the records' digests as they are now; None if one is unreadable."""
    digests = [record.digest for record in records]
    if any(digest is None for digest in digests):
        return None
    return _outcome_key(folders, b"".join(d for d in digests if d is not None), cache)
