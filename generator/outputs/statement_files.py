"""The statements as files every host accepts: one per year, the whole archive gzipped, and
the whole archive uncompressed while it is small.

Static hosts refuse large files (Cloudflare Pages anything over 25 MiB) and whole sites over
1 GB, and at 100,000 statements data/statements.json alone passes 130 MB. So the statements
are published as:

- `data/statements/<yyyy>.json.gz` and `data/statements/<yyyy>.csv`: the statements dated in
  that year, with the records, columns and encoding of the whole files (downloads.py), in id
  order. The JSON is gzipped: scripts read gzip directly, and plain it would add as much to
  the site as the whole file; the CSV stays plain, for spreadsheets to open;
- `data/statements.json.gz` and `data/statements.csv.gz`: the whole files gzipped;
- `data/statements.json` and `data/statements.csv` themselves only while each is at most
  `WHOLE_LIMIT` bytes: what most users of a small archive want, and no host refuses.

Every gzip is `gzipped`'s (deterministic: level 6, mtime 0, no file name in the header).

Each file is made from the same serialised records, so its bytes equal those of
downloads.statements_json / statements_csv over the same statements (tests/test_download_files.py
proves it): those functions stay the one definition of the formats.

A `serve` session passes a `Kept` from one refresh to the next: a statement whose record is
the same is not serialised again, and a gzip over the very same records is not made again,
so that a refresh after one edit costs little besides the whole files' gzips.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from generator.outputs import data_schemas, downloads, json_layout
from generator.records.model import Archive, Statement
from generator.reuse import Reuse

#: The largest whole statements file published uncompressed: Cloudflare Pages' limit per
#: file, the strictest of the common static hosts'.
WHOLE_LIMIT = 25 * 1024**2
#: The folder of the per-year files (site-relative).
YEAR_DIR = "data/statements/"
#: The gzip level of the compressed whole files: gzip's own default, most of level 9's
#: gain for half its time.
GZIP_LEVEL = 6

_JSON_START, _JSON_SEP, _JSON_END, _JSON_EMPTY = (
    text.encode("utf-8")
    for text in (json_layout.START, json_layout.SEP, json_layout.END, json_layout.EMPTY)
)


@dataclass(frozen=True, slots=True)
class Download:
    """One published data file, and what data/index.json says of it."""

    path: str  # site-relative
    data: bytes
    records: int
    content: str  # what its records are: "statements", "actors"...
    schema: str  # the published schema of its (uncompressed) content, under SCHEMA_DIR
    media_type: str  # of its content, before any compression
    year: int | None = None
    compression: str | None = None  # "gzip", or None


def year_path(year: int, extension: str) -> str:
    """Where the statements of `year` are published as `extension` ("json" or "csv"): the
    JSON gzipped, as `<yyyy>.json.gz`."""
    return f"{YEAR_DIR}{year}.{extension}" + (".gz" if _FORMATS[extension].years_gzipped else "")


def whole_published(size: int) -> bool:
    """Whether a whole statements file of `size` bytes is published uncompressed."""
    return size <= WHOLE_LIMIT


#: Turns one statement into its item of a file: its line of the JSON array, its CSV row.
Itemiser = Callable[[Statement, Archive, "str | None"], bytes]


def _json_itemiser() -> Itemiser:
    def item(statement: Statement, archive: Archive, site_url: str | None) -> bytes:
        # The statement as downloads.statements_json writes it inside its array: its line.
        data = downloads.statement_data(statement, archive, site_url)
        return json_layout.record(data).encode("utf-8")

    return item


def _csv_itemiser() -> Itemiser:
    # One writer for every row (same settings as downloads.statements_csv): a writer per row
    # would cost more than the row.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def row(statement: Statement, archive: Archive, site_url: str | None) -> bytes:
        writer.writerow(downloads.statement_row(statement, archive, site_url))
        made = out.getvalue().encode("utf-8")
        out.seek(0)
        out.truncate()
        return made

    return row


@dataclass
class Kept:
    """What one refresh of the statements files keeps for the next (a `serve` session's).

    A statement's item is made again when its record changed, or when any actor or briefing
    did (an item shows actors' names and briefings as sources) or the site_url; a gzip
    when the items it holds differ from those it was made from last time.
    """

    items: Reuse[tuple[str, str], bytes] = field(default_factory=Reuse)
    gzips: Reuse[str, Future[bytes]] = field(default_factory=Reuse)


def _items(
    archive: Archive, site_url: str | None, extension: str, form: _Format, kept: Kept | None
) -> Iterator[tuple[Statement, bytes]]:
    # Each statement with its item, in id order.
    item = form.itemiser()
    for statement in sorted(archive.statements.values(), key=lambda s: s.id):
        if kept is None:
            yield statement, item(statement, archive, site_url)
        else:
            make = functools.partial(item, statement, archive, site_url)
            yield statement, kept.items.get((extension, statement.id), statement, make)


def _csv_head() -> bytes:
    out = io.StringIO()
    out.write(downloads.BOM)
    csv.writer(out, lineterminator="\r\n").writerow(downloads.CSV_COLUMNS)
    return out.getvalue().encode("utf-8")


def _json_file(items: list[bytes]) -> list[bytes]:
    # The separators go between the items rather than joining them: no copy of the
    # items (the largest text the build holds) is made unless the whole file is published.
    if not items:
        return [_JSON_EMPTY]
    chunks = [_JSON_START]
    for item in items:
        chunks += (item, _JSON_SEP)
    chunks[-1] = _JSON_END
    return chunks


def _csv_file(rows: list[bytes]) -> list[bytes]:
    return [_csv_head(), *rows]


def gzipped(chunks: Iterable[bytes]) -> bytes:
    """`chunks` joined and gzipped, the same bytes on every run and machine.

    mtime 0 and no file name in the header (gzip.GzipFile writes none for a nameless
    stream), so the bytes depend on the content alone.
    """
    out = io.BytesIO()
    batch: list[bytes] = []
    size = 0
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as zipped:
        # In batches of about 1 MiB: a write per item would spend more on the calls than
        # on compressing, and zlib lets other threads run only while it works on one.
        for chunk in chunks:
            batch.append(chunk)
            size += len(chunk)
            if size >= 2**20:
                zipped.write(b"".join(batch))
                batch, size = [], 0
        zipped.write(b"".join(batch))
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class _Format:
    itemiser: Callable[[], Itemiser]
    framed: Callable[[list[bytes]], list[bytes]]  # a file's chunks from its items
    between: int  # bytes the framing adds per item (the JSON array's separators)
    media_type: str
    schema: str  # under SCHEMA_DIR
    years_gzipped: bool  # whether its per-year files are published gzipped


_FORMATS = {
    "json": _Format(
        _json_itemiser,
        _json_file,
        len(_JSON_SEP),
        "application/json",
        downloads.download_schema_name("statements_json"),
        years_gzipped=True,
    ),
    "csv": _Format(
        _csv_itemiser, _csv_file, 0, "text/csv", data_schemas.CSV_SCHEMA, years_gzipped=False
    ),
}


def statement_downloads(
    archive: Archive, site_url: str | None, kept: Kept | None = None
) -> Generator[Download, None, None]:
    """The statements files: per format (JSON, then CSV) the whole file while at most
    `WHOLE_LIMIT` bytes and the plain per-year files (CSV), oldest first; then the gzipped
    files in the order they were started: the whole JSON, the JSON per year, the whole CSV.

    One format's records are serialised once and held until its files are made; the
    caller may write each file and let it go. The gzips run in two threads (zlib lets go
    of the GIL) beside what follows them, and have ended when this returns. A caller that
    stops early (closes the generator) does not wait for the gzips still running.

    With `kept` (the same one each time), what the last finished call made from the very
    same records is taken from it rather than made again.

    Which whole files it published, `published_whole` tells from the paths it gave: the
    home page of the same build lists them without serialising the statements again.
    """
    zipping: list[tuple[Download, Future[bytes]]] = []  # each without its data yet
    gzips = _Gzips(kept.gzips if kept is not None else None)
    finished = False
    if kept is not None:
        kept.items.begin((site_url, archive.actors, archive.briefings))
        kept.gzips.begin()
    try:
        for extension, form in _FORMATS.items():
            files = _format_downloads(archive, site_url, extension, form, gzips, zipping, kept)
            yield from files
        while zipping:
            made, zipped = zipping.pop(0)  # so each file's bytes go once it is written
            yield replace(made, data=zipped.result())
        finished = True
    finally:
        gzips.end(finished=finished)
    if kept is not None:
        kept.items.end()
        kept.gzips.end()


class _Gzips:
    """The gzips one making of the statements files starts, in two threads (zlib lets go of
    the GIL): each taken from `kept` instead when the last making gzipped the very same
    items for the same path."""

    def __init__(self, kept: Reuse[str, Future[bytes]] | None) -> None:
        # Two threads, so that the JSON's per-year gzips run beside its whole file's while
        # the CSV is serialised, rather than after both.
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="briefing-gzip")
        self._stop = threading.Event()
        self._kept = kept

    def start(self, path: str, items: list[bytes], chunks: Iterable[bytes]) -> Future[bytes]:
        """The file at `path`, `chunks` (framing `items`) gzipped, or kept from last time.

        Items are compared one by one, each first by identity: a reused item is the same
        object, so an unchanged year costs a pass over references.
        """

        def make() -> Future[bytes]:
            return self._pool.submit(gzipped, _until(self._stop, chunks))

        return make() if self._kept is None else self._kept.get(path, tuple(items), make)

    def end(self, *, finished: bool) -> None:
        """Wait for the gzips; or, the making stopped early, make them give up at their
        next batch (the process would wait for them when it exits) and wait for nothing."""
        if not finished:
            self._stop.set()
        self._pool.shutdown(wait=finished, cancel_futures=not finished)


def _format_downloads(
    archive: Archive,
    site_url: str | None,
    extension: str,
    form: _Format,
    gzips: _Gzips,
    zipping: list[tuple[Download, Future[bytes]]],
    kept: Kept | None,
) -> Iterator[Download]:
    by_year: dict[int, list[bytes]] = {}
    whole: list[bytes] = []
    for statement, item in _items(archive, site_url, extension, form, kept):
        whole.append(item)
        by_year.setdefault(statement.date.year, []).append(item)
    chunks = form.framed(whole)
    path = f"data/statements.{extension}"
    base = Download(path, b"", len(whole), "statements", form.schema, form.media_type)
    data = b"".join(chunks) if whole_published(sum(map(len, chunks))) else None
    zipped = replace(base, path=path + ".gz", compression="gzip")
    zipping.append((zipped, gzips.start(zipped.path, whole, _drained(chunks))))
    del whole, chunks
    if data is not None:
        yield replace(base, data=data)
    del data
    for year in sorted(by_year):
        items = by_year.pop(year)
        made = replace(base, path=year_path(year, extension), records=len(items), year=year)
        if form.years_gzipped:
            # Over the same bytes objects as the whole file's gzip: no copy of the items
            # is made, and each is let go once both gzips have passed it.
            job = gzips.start(made.path, items, form.framed(items))
            zipping.append((replace(made, compression="gzip"), job))
        else:
            yield replace(made, data=b"".join(form.framed(items)))


def _until(stop: threading.Event, chunks: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        if stop.is_set():
            return
        yield chunk


def _drained(chunks: list[bytes]) -> Iterator[bytes]:
    # `chunks`' items one by one, each let go as it is handed on: in a build, the gzip of a
    # whole file holds the only list of all its items, which need not outlive their
    # compression (a `serve` session's Kept holds them for the next refresh).
    chunks.reverse()
    while chunks:
        yield chunks.pop()


def _lower_bound(archive: Archive) -> int:
    # Fewer bytes than either whole file holds: each holds these texts at least whole
    # (escaping, quoting and UTF-8 only add), so the home page can tell a large archive's
    # whole files are not published without serialising anything.
    return sum(
        len(s.id) + len(s.title) + len(s.summary) + sum(len(q.text) for q in s.quotes)
        for s in archive.statements.values()
    )


def published_whole(paths: Iterable[str]) -> tuple[str, ...]:
    """The formats whose whole statements file is among `paths` (what a build wrote)."""
    written = set(paths)
    return tuple(x for x in _FORMATS if downloads.DOWNLOADS[f"statements_{x}"] in written)


def whole_files(archive: Archive, site_url: str | None) -> tuple[str, ...]:
    """The formats ("json", "csv") whose whole statements file `statement_downloads`
    publishes uncompressed, found without making the files, and without serialising
    anything when the archive is large."""

    if _lower_bound(archive) > WHOLE_LIMIT:
        return ()
    published = []
    for extension, form in _FORMATS.items():
        # The size statement_downloads measures, item by item: the empty file's framing,
        # then each item with what the framing adds to it.
        size = sum(map(len, form.framed([])))
        for _, item in _items(archive, site_url, extension, form, None):
            size += len(item) + form.between
            if not whole_published(size):
                break
        else:
            published.append(extension)
    return tuple(published)
