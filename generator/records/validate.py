"""Record files -> an `Archive` of models, collecting every problem on the way.

Stages, in order: `discover.discover` (layout, symlinks, names; generator/records/find.py),
`load.load_text` (YAML traps), `schema.check_schema` (JSON Schema: jsonschema-rs decides, the
jsonschema library explains; generator/records/schema.py), `_check_id` and the other checks of one
file, `_check_references` (ids that must exist), `assemble.assemble` (the models;
generator/records/assemble.py) and `_check_warnings` (plausibility). The checks of one file are
cached by content (generator/records/cache.py) and, on a cold run over many files, shared with a
forked worker (generator/worker.py). Nothing stops at the first problem: an editor fixes
everything from one run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import gc
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator import collector
from generator.problems import Problem
from generator.records import schema
from generator.records.assemble import assemble, partial_date
from generator.records.cache import FileCache, digest_of
from generator.records.find import Folder, RecordFile, StatIndex, discover, problem_at
from generator.records.find import display_path as display_path  # part of this module's API
from generator.records.load import Node, decode, is_datetime, load_clean, load_text
from generator.records.model import (
    Archive,
)
from generator.records.suggest import Hints

KINDS = ("actor", "topic", "statement", "briefing")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_MAX = 80
# Names Windows refuses as files, whatever the extension; an id becomes a file in site/.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")


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


@dataclass(frozen=True, slots=True)
class Checked:
    """What one file says on its own: a pure function of its bytes, kind and place.

    This is what the cache keeps, so it holds plain data and the few positions that the
    checks across records report at, not the whole node tree.
    """

    fields: dict[str, Any] | None  # the record's data, when it is a mapping
    problems: tuple[Problem, ...]
    ident: str | None  # a well-formed id, for the index of ids
    usable: bool  # no errors: the record goes into the archive
    marks: dict[str, tuple[int, int]]  # "date", "briefing", "actors.1", ... -> line, column


_URL_FIELDS = {"url", "archived_url", "website"}


@dataclass(slots=True)
class _Findings:
    """What the one walk over a record's tree found, by check (reported in this order)."""

    dates: list[Problem] = field(default_factory=list)
    placeholders: list[Problem] = field(default_factory=list)
    urls: list[Problem] = field(default_factory=list)


def _scan(record: RecordFile, node: Node, key: str, found: _Findings) -> Any:
    """The node as plain data, checking dates, URLs and placeholders on the way.

    One walk instead of one per check: at 10k records the walks cost more than the checks.
    `key` is the mapping key a value sits under (list items inherit their list's key).
    """
    value = node.value
    if isinstance(value, str):
        if value.startswith("TODO"):
            found.placeholders.append(_placeholder(record, node))
        if key in schema.DATE_FIELDS:
            _check_date(record, key, node, value, found.dates)
        elif key in _URL_FIELDS:
            _check_url(record, key, node, value, found.urls)
        return value
    if isinstance(value, dict):
        return {k: _scan(record, child, k, found) for k, child in value.items()}
    if isinstance(value, list):
        return [_scan(record, child, key, found) for child in value]
    return value


_DATE_SHAPE = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}")


def _check_date(record: RecordFile, key: str, node: Node, value: str, out: list[Problem]) -> None:
    """Datetimes and impossible calendar dates, which a pattern alone lets through."""
    if is_datetime(value):
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"`{key}` holds a date and time ({value}), but only a date belongs here",
                f"write the day alone, e.g. {value[:10]}",
            )
        )
        return
    if _DATE_SHAPE.fullmatch(value):
        try:  # roles' `from`/`to` may be YYYY or YYYY-MM; both ends must be real days
            partial_date(value, False), partial_date(value, True)
        except ValueError:
            out.append(
                Problem(
                    record.display,
                    node.line,
                    node.column,
                    f"{value} is not a real calendar date",
                    "check the day and month (YYYY-MM-DD)",
                )
            )


# --- ids ---------------------------------------------------------------------------------
def _check_id(record: RecordFile, root: Node, out: list[Problem]) -> str | None:
    node = root.value.get("id")
    stem = record.stem
    if _RESERVED.match(stem.lower()):
        out.append(
            Problem(
                record.display,
                1,
                1,
                f"`{stem}` is a reserved device name on Windows",
                "choose another id, e.g. add a word: nul-statement",
            )
        )
    if node is None or not isinstance(node.value, str):
        return None
    ident = node.value
    if not ID_PATTERN.match(ident) or len(ident) > ID_MAX:
        return None  # the schema already reported it
    if ident != stem:
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"id `{ident}` does not match the file name `{record.name}`",
                f"rename the file to {ident}.yml, or set `id: {stem}`",
            )
        )
    return ident


def _fold(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold() is lower() there
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def _check_collisions(records: list[RecordFile], out: list[Problem]) -> None:
    """File names that differ only by case or Unicode form would overwrite each other's pages."""
    seen: dict[tuple[str, str], RecordFile] = {}
    for record in records:
        key = (record.kind, _fold(record.stem))
        first = seen.setdefault(key, record)
        if first is record:
            continue
        same = first.stem == record.stem
        message = (
            f"{record.kind} id `{record.stem}` is used twice"
            if same
            else f"`{record.stem}` and `{first.stem}` differ only by case or Unicode form"
        )
        out.append(
            Problem(
                record.display,
                1,
                1,
                f"{message} (also {first.display})",
                "give each record its own id",
            )
        )


# --- references and plausibility -----------------------------------------------------------
def _check_url(record: RecordFile, key: str, node: Node, value: str, out: list[Problem]) -> None:
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed or invalid [IPv6] host
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"`{key}` is not a valid address: {value!r}",
                "check the host name; an IPv6 address goes in [brackets]",
            )
        )
        return
    if parts.scheme in ("http", "https") and not host:
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"`{key}` has no host name: {value!r}",
                "use a full address such as https://example.org/page",
            )
        )


_REFERENCES = {
    "statement": {
        "actors": "actor",
        "mentions": "actor",
        "topics": "topic",
        "related": "statement",
        "briefing": "briefing",
    },
    "actor": {"country": "actor"},
}
_MARKED = (
    "id",
    "date",
    "briefing",
    "country",
    "actors",
    "mentions",
    "topics",
    "related",
    "sources",
    "publisher",
)


def _marks(root: Node) -> dict[str, tuple[int, int]]:
    """Positions of the values that checks across records may report at."""
    marks: dict[str, tuple[int, int]] = {}
    for key in _MARKED:
        node = root.value.get(key)
        if node is None:
            continue
        marks[key] = (node.line, node.column)
        if isinstance(node.value, list):
            for i, item in enumerate(node.value):
                marks[f"{key}.{i}"] = (item.line, item.column)
                publisher = item.value.get("publisher") if isinstance(item.value, dict) else None
                if publisher is not None:
                    marks[f"{key}.{i}.publisher"] = (publisher.line, publisher.column)
    return marks


# An address that `_check_url` certainly finds nothing wrong with: a non-empty http(s) host
# name of ASCII letters, digits, dots and hyphens (no brackets, user or port, which are what
# `urlsplit` can refuse or what can leave no host), then anything without brackets. Other
# addresses are checked the full way.
_SIMPLE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][^\[\]]*)?")


@lru_cache(maxsize=1 << 14)
def _date_clean(value: str) -> bool:
    """True if `_check_date` finds nothing in `value` (which alone decides: a run's dates
    repeat, so each is judged once)."""
    found: list[Problem] = []
    record: Any = _NO_RECORD
    _check_date(record, "date", Node(value, 1, 1), value, found)
    return not found


class _NoRecord:
    display = ""


_NO_RECORD = _NoRecord()
_MARKED_KEYS = frozenset(_MARKED)
_WATCHED = frozenset(schema.DATE_FIELDS | _URL_FIELDS)


def _check_clean(record: RecordFile, text: str) -> Checked | None:
    """`_check_file`'s result for a record it finds nothing wrong with, or None.

    One pass over the YAML events (`load_clean`) builds the plain data, the marks and the
    few values the checks look at, with no `Node` tree. Any doubt (anything `load_text`
    would report, a placeholder, a date or address check that finds something, a record the
    fast schema check does not pass, an id or folder that does not fit) gives None, and the
    caller runs every check the full way: a clean record's result is the same either way,
    and all messages come from the full path.
    """
    loaded = load_clean(text, _MARKED_KEYS, "publisher", _WATCHED, "TODO")
    if loaded is None:
        return None
    fields, marks, watched = loaded
    for key, value, _, _ in watched:
        if key in schema.DATE_FIELDS:
            if not _date_clean(value):
                return None
        elif not _SIMPLE_URL.fullmatch(value):
            found: list[Problem] = []
            _check_url(record, key, Node(value, 1, 1), value, found)
            if found:
                return None
    if not schema.schema_valid_fast(record.kind, fields):
        return None
    # _check_id, finding nothing.
    if _RESERVED.match(record.stem.lower()):
        return None
    ident = fields.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident) or len(ident) > ID_MAX:
        ident = None
    elif ident != record.stem:
        return None
    # _check_year_folder, finding nothing.
    date = fields.get("date")
    folder = record.rel.split("/")[-2] if record.kind == "statement" else None
    if folder is not None and isinstance(date, str) and date[:4] != folder:
        return None
    return Checked(fields, (), ident, True, marks)


def _check_file(record: RecordFile, data: bytes) -> Checked:
    """Every check that needs only this one file."""
    text, problems = decode(data, record.display)
    if text is not None and (clean := _check_clean(record, text)) is not None:
        return clean
    root = None
    if text is not None:
        root, found = load_text(text, record.display)
        problems.extend(found)
    if root is None:
        return Checked(None, tuple(problems), None, False, {})
    if not isinstance(root.value, dict):
        schema.check_schema(record, root, None, problems)
        return Checked(None, tuple(problems), None, False, {})
    findings = _Findings()
    fields = _scan(record, root, "", findings)
    # The order decides which finding is kept at a shared place (see _finish): a precise
    # date problem goes before the schema's restatement of it.
    problems.extend(findings.dates)
    schema.check_schema(record, root, fields, problems)
    ident = _check_id(record, root, problems)
    if not (record.kind == "statement" and fields.get("status") == "draft"):
        problems.extend(findings.placeholders)  # a draft is expected to be unfinished
    problems.extend(findings.urls)
    if record.kind == "statement":
        _check_year_folder(record, root, problems)
    usable = all(p.severity == "warning" for p in problems)
    return Checked(fields, tuple(problems), ident, usable, _marks(root))


def _check_references(
    records: list[RecordFile], index: dict[str, dict[str, RecordFile]], out: list[Problem]
) -> None:
    # A file that exists but could not be read is not "missing": reporting every
    # reference to it would bury the one problem that matters.
    unreadable = {
        (r.kind, r.stem) for r in records if r.checked is None or r.checked.fields is None
    }
    hints = Hints(lambda kind: _ids_of(index, kind))
    for record in records:
        checked = record.checked
        if checked is None or checked.fields is None:
            continue
        for key, target in _REFERENCES.get(record.kind, {}).items():
            value = checked.fields.get(key)
            if value is None:
                continue
            items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            for i, ref in items:
                if not isinstance(ref, str) or not ID_PATTERN.match(ref):
                    continue
                line, column = checked.marks.get(key if i is None else f"{key}.{i}", (1, 1))
                if key == "related" and ref == checked.ident:
                    out.append(
                        Problem(
                            record.display,
                            line,
                            column,
                            "`related` names the statement itself",
                            "remove it; related lists other statements",
                        )
                    )
                elif ref not in index[target]:
                    if (target, ref) in unreadable:
                        continue
                    folder = "statements/<yyyy>" if target == "statement" else f"{target}s"
                    out.append(
                        Problem(
                            record.display,
                            line,
                            column,
                            f"`{key}` names {target} `{ref}`, which does not exist",
                            f"check the spelling{hints.aside(_TARGETS.get(key, target), ref)}, "
                            f"or add content/{folder}/{ref}.yml",
                        )
                    )
                elif key == "country":
                    country = index["actor"][ref].checked
                    kind = country.fields.get("kind") if country and country.fields else None
                    if kind is not None and kind != "state":
                        out.append(
                            Problem(
                                record.display,
                                line,
                                column,
                                f"`country` names `{ref}`, which is not a state",
                                "name an actor whose kind is state",
                            )
                        )


_TARGETS = {"country": "state"}  # whose ids to suggest: a country can only be a state


def _ids_of(index: dict[str, dict[str, RecordFile]], kind: str) -> list[str]:
    if kind != "state":
        return list(index[kind])
    return [i for i, r in index["actor"].items() if _fields_of(r).get("kind") == "state"]


def _fields_of(record: RecordFile) -> dict[str, Any]:
    return (record.checked.fields if record.checked else None) or {}


#: The message of a TODO placeholder left in a record (publish.py finds them by it).
PLACEHOLDER = "placeholder text left in the record"


def _placeholder(record: RecordFile, node: Node) -> Problem:
    """`briefing new` writes TODOs; a record should not be published with them."""
    hint = "replace the TODO with the real text"
    if record.kind == "statement":
        hint = "finish the text, or mark the statement `status: draft` to keep it off the site"
    return Problem(record.display, node.line, node.column, PLACEHOLDER, hint, "warning")


def _today() -> dt.date:
    # Honour SOURCE_DATE_EPOCH so that reproducible builds also judge "the future" alike.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _check_warnings(archive: Archive, records: dict[str, RecordFile], out: list[Problem]) -> None:
    today = _today()
    for statement in archive.statements.values():
        record = records[statement.id]
        assert record.checked is not None
        marks = record.checked.marks

        def warn(
            mark: str, message: str, hint: str, display: str = record.display, marks: Any = marks
        ) -> None:
            line, column = marks.get(mark, (1, 1))
            out.append(Problem(display, line, column, message, hint, "warning"))

        if statement.date > today:
            warn(
                "date",
                f"the statement's date {statement.date} is in the future",
                "use the day the statement was made",
            )
        sources = [(s, f"sources.{i}") for i, s in enumerate(statement.sources)]
        if statement.briefing is not None and statement.briefing in archive.briefings:
            sources.insert(0, (archive.briefings[statement.briefing].as_source(), "briefing"))
        for source, mark in sources:
            if source.published < statement.date and not statement.date_note:
                warn(
                    mark,
                    f"the source is dated {source.published}, before the statement "
                    f"({statement.date})",
                    "check both dates; if they are right, explain the difference in `date_note`",
                )
        for i, actor_id in enumerate(statement.actors):
            actor = archive.actors.get(actor_id)
            if actor and actor.roles and not actor.roles_on(statement.date):
                warn(
                    f"actors.{i}",
                    f"no recorded role of `{actor_id}` covers {statement.date}",
                    f"add the role they held then to content/{actor.path}, or check the date",
                )


def _outlet_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFKC", name)).casefold().split())


def _same_outlet(a: str, b: str, ka: str, kb: str) -> bool:
    """Two spellings that probably name one outlet ("RIA Novosti" / "RIA News").

    `ka` and `kb` are their `_outlet_key`s, computed once per name by the caller.
    """
    if ka == kb:
        return True
    if re.findall(r"\d+", ka) != re.findall(r"\d+", kb):
        return False  # "Channel 1" and "Channel 12" are two outlets
    first_a, first_b = a.split()[0], b.split()[0]
    # A shared leading acronym (RIA, TASS, BBC) is the outlet's name in any language.
    if first_a == first_b and len(first_a) >= 2 and first_a.isupper():
        return True
    return difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.85


def _check_publishers(records: list[RecordFile], out: list[Problem]) -> None:
    """Warn where one outlet is spelled two ways, so its statements stay on one page."""
    places: dict[str, tuple[str, int, int]] = {}
    for record in records:
        checked = record.checked
        if checked is None or checked.fields is None:
            continue
        found: list[tuple[object, str]] = [(checked.fields.get("publisher"), "publisher")]
        sources = checked.fields.get("sources")
        if isinstance(sources, list):
            found += [
                (src.get("publisher"), f"sources.{i}.publisher")
                for i, src in enumerate(sources)
                if isinstance(src, dict)
            ]
        for name, mark in found:
            if isinstance(name, str) and name.strip() and name not in places:
                line, column = checked.marks.get(mark, (1, 1))
                places[name] = (record.display, line, column)
    names = sorted(places, key=lambda n: (places[n], n))
    # Compare only names with the same first letter: real archives name a few hundred
    # outlets, and this keeps a large one from comparing every pair.
    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)  # initial -> (name, key)
    for name in names:
        key = _outlet_key(name)
        same_initial = seen[key[:1]]
        for earlier, earlier_key in same_initial:
            if _same_outlet(earlier, name, earlier_key, key):
                where = places[earlier]
                out.append(
                    Problem(
                        *places[name],
                        f"publisher `{name}` looks like `{earlier}` "
                        f"({where[0]}:{where[1]}:{where[2]})",
                        f"spell one outlet one way everywhere, e.g. `{earlier}`",
                        "warning",
                    )
                )
                break
        same_initial.append((name, key))


# --- the whole run -------------------------------------------------------------------------


def validate_archive(
    content_dir: Path, *, strict: bool = False, keep: bool = False, defer: bool = False
) -> Result:
    """Validate every record under `content_dir` and build the archive if nothing is wrong.

    `keep=True` is for a caller that holds the archive to the end of a one-pass run (a
    build): if there is one, every object alive when validation ends is frozen out of the
    cyclic collector's scans (`gc.freeze`), and the caller calls `gc.unfreeze()` when done.

    `defer=True` returns as soon as the archive is known, when there is one (and not under
    `strict`, where a warning can still fail it): the checks that can only add warnings and
    the cache writes are left to `Result.finish()`, which the caller must run. A build runs
    them while its forked renderer starts on the pages. Until then `problems` holds only
    what was found so far.
    """
    return _validate(content_dir, strict=strict, need_archive=True, keep=keep, defer=defer)


def check_archive(content_dir: Path, *, strict: bool = False) -> Result:
    """The problems `validate_archive` finds, without the archive (`Result.archive` is None).

    For `briefing validate`, which only reports: an archive whose files are all unchanged
    since the last run is answered from the cache without reading a single record.
    """
    return _validate(content_dir, strict=strict, need_archive=False, keep=False, defer=False)


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


def _read_and_hash(record: RecordFile, stats: StatIndex) -> None:
    """Fill in the record's bytes and digest, or its read error."""
    try:
        data = _read(record)
    except OSError as exc:
        record.digest = None  # no outcome is kept for an archive with an unreadable file
        record.error = _read_error(record, exc)
        return
    record.data, record.digest = data, digest_of(data)
    stats.hashed(record, record.digest)


def _validate(
    content_dir: Path, *, strict: bool, need_archive: bool, keep: bool, defer: bool
) -> Result:
    with collector.paused():  # a run frees what it allocates by reference counting
        result = _run(content_dir, strict=strict, need_archive=need_archive, defer=defer)
        if keep and result.archive is not None:
            # Before the pause ends: the first allocation after it would start a collection
            # that walks every object made since it began (300,000 at 10,000 statements:
            # 0.1 s), all alive and staying so, the archive.
            gc.freeze()
    if result.pending is not None:
        result = replace(result, pending=collector.pausing(result.pending))
    return result


def _run(content_dir: Path, *, strict: bool, need_archive: bool, defer: bool) -> Result:
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
    cache = FileCache.for_folder(content_dir, (_pack, _unpack))
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
            return Result(None, _finish(problems, strict), checked, counts)
    records = [
        record
        for folder, digests in zip(folders, known, strict=True)
        for record in folder.files(digests)
    ]
    key = None
    if not need_archive and not whole:
        for record in records:
            if record.digest is None:
                _read_and_hash(record, stats)
        # Some files were read again (changed, or racy); if their bytes are as before, so is
        # the outcome.
        key = _records_key(folders, records, cache)
    # Otherwise the files not trusted by their stat are read in _check_records, where a cold
    # run shares the reading with the worker too.
    if key is not None and _reuse_outcome(cache, key, problems):
        cache.remember_stats(stats.export(folders))
        cache.save()
        return Result(None, _finish(problems, strict), checked, counts)
    _check_collisions(records, problems)
    _check_records(records, cache, stats)
    index: dict[str, dict[str, RecordFile]] = {kind: {} for kind in KINDS}
    for record in records:
        if record.error is not None:
            problems.append(record.error)
            continue
        assert record.checked is not None
        problems.extend(record.checked.problems)
        if record.checked.ident is not None:
            index[record.kind].setdefault(record.checked.ident, record)
    _check_references(records, index, problems)
    _check_publishers(records, problems)
    archive: Archive | None = None
    statement_records: dict[str, RecordFile] = {}
    if not any(p.severity == "error" for p in problems):
        usable = [r for r in records if r.checked and r.checked.usable and r.checked.fields]
        archive, statement_records = assemble(usable)

    @functools.cache  # once, however often a caller asks
    def finish() -> Result:
        if archive is not None:
            _check_warnings(archive, statement_records, problems)
        # Keyed by the digests as checked (a file trusted by its stat may have been re-read).
        if (key := _records_key(folders, records, cache)) is not None:
            cache.remember_outcome(key, tuple(_problem_data(p) for p in problems[shared:]))
        cache.remember_stats(stats.export(folders))
        cache.save()
        final = _finish(problems, strict)
        ok = archive is not None and not any(p.severity == "error" for p in final)
        return Result(archive if ok and need_archive else None, final, checked, counts)

    if defer and archive is not None and not strict:
        # What is left can only add warnings (not errors), so this archive is the result's.
        return Result(archive, _finish(problems, strict), checked, counts, pending=finish)
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


def _problem_data(p: Problem) -> tuple[str, int, int, str, str, str]:
    return (p.path, p.line, p.column, p.message, p.hint, p.severity)


def _pack(checked: Checked) -> tuple[Any, ...]:
    """A file's result as plain data, for `marshal` (the disk cache, the worker's answer)."""
    problems = tuple(_problem_data(p) for p in checked.problems)
    return (checked.fields, problems, checked.ident, checked.usable, checked.marks)


def _unpack(data: tuple[Any, ...]) -> Checked:
    fields, problems, ident, usable, marks = data
    return Checked(fields, tuple(Problem(*p) for p in problems), ident, usable, marks)


def _outcome_key(folders: list[Folder], digests: bytes, cache: FileCache) -> bytes:
    """What decides the findings beyond discovery: every file's place and content, today."""
    parts = [_today().isoformat()]
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


def _check_read(record: RecordFile) -> tuple[Any, ...]:
    """Read and hash the record if that is still to do, then check it unless cached.

    (digest, read error, result, packed result): the result is None when the cache holds
    one for these bytes, and both are None when the file could not be read; the packed
    result comes only from the worker (its answer, kept for the disk cache). A pure function
    of the file, run in the worker for its share; `_pack_read` and `_unpack_read` carry it.
    """
    if record.digest is None:
        try:
            data = _read(record)
        except OSError as exc:
            return None, _read_error(record, exc), None, None
        digest = digest_of(data)
        if _CACHE is not None and _CACHE.holds(record.key, digest):
            return digest, None, None, None
        return digest, None, _check_file(record, data), None
    return record.digest, None, _check_file(record, record.data or b""), None


# The cache of the run in progress, for `_check_read` (and the worker's copy of it).
_CACHE: FileCache | None = None


def _pack_read(result: tuple[Any, ...]) -> tuple[Any, ...]:
    digest, error, checked, _ = result
    return (
        digest,
        None if error is None else _problem_data(error),
        None if checked is None else _pack(checked),
    )


def _unpack_read(data: tuple[Any, ...]) -> tuple[Any, ...]:
    digest, error, checked = data
    return (
        digest,
        None if error is None else Problem(*error),
        None if checked is None else _unpack(checked),
        checked,
    )


def _check_records(records: list[RecordFile], cache: FileCache, stats: StatIndex) -> None:
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
            _read_and_hash(record, stats)
            if record.error is not None:
                continue
            record.checked = cache.lookup(record.key, record.digest)
            if record.checked is not None:
                record.data = None
                continue
        work.append(record)
    from generator.worker import check_all  # only when files must be checked

    global _CACHE
    _CACHE = cache
    try:
        results = check_all(work, _check_read, (_pack_read, _unpack_read))
    finally:
        _CACHE = None
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
                _read_and_hash(record, stats)
                if record.error is not None or record.digest is None:
                    continue
                checked = _check_file(record, record.data or b"")
                cache.put(record.key, record.digest, checked)
        else:
            cache.put(record.key, digest, checked, packed)
        record.checked, record.data = checked, None


def _check_year_folder(record: RecordFile, root: Node, out: list[Problem]) -> None:
    node = root.value.get("date")
    folder = record.rel.split("/")[-2]  # statements/<yyyy>/<id>.yml
    if node is not None and isinstance(node.value, str) and node.value[:4] != folder:
        out.append(
            Problem(
                record.display,
                node.line,
                node.column,
                f"the statement is dated {node.value} but filed under statements/{folder}/",
                f"move it to content/statements/{node.value[:4]}/",
            )
        )


def _finish(problems: list[Problem], strict: bool) -> tuple[Problem, ...]:
    """Sorted, one problem per place (the first explains the rest), warnings raised if strict."""
    seen: set[tuple[str, int, int]] = set()
    unique: list[Problem] = []
    for p in problems:
        p = p.as_error() if strict else p
        # The first finding at a place is the precise one (e.g. "a datetime where a date
        # belongs"); later ones at the same place are the schema restating it.
        key = (p.path, p.line, p.column)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return tuple(sorted(unique))
