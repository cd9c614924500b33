"""Every data download, and data/index.json, the list a script reads to fetch them.

Which statements files exist depends on the archive's size (statement_files.py), so a
script should not guess URLs: the index lists each file with its URL, records, bytes,
SHA-256 and the schema of its content (data_schemas.py describes the index itself).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from generator.outputs import downloads, json_layout
from generator.outputs.citations import absolute
from generator.outputs.statement_files import Download, Kept, statement_downloads
from generator.records.model import Archive

#: Where the index is published (site-relative).
INDEX = "data/index.json"

#: The single-file downloads besides the statements: (key in DOWNLOADS, archive mapping).
_RECORD_FILES = (
    ("actors_json", "actors", downloads.actors_json),
    ("topics_json", "topics", downloads.topics_json),
    ("briefings_json", "briefings", downloads.briefings_json),
)


def every_download(
    archive: Archive, site_url: str | None, kept: Kept | None = None
) -> Iterator[Download]:
    """Every data download, one at a time: the statements files (with what `kept` holds from
    the last call, see statement_files.Kept), then actors, topics and briefings (single
    files: they stay small)."""
    yield from statement_downloads(archive, site_url, kept)
    for key, content, make in _RECORD_FILES:
        yield Download(
            path=downloads.DOWNLOADS[key],
            data=make(archive, site_url).encode("utf-8"),
            records=len(getattr(archive, content)),
            content=content,
            schema=downloads.download_schema_name(key),
            media_type="application/json",
        )


def entry(download: Download, site_url: str | None) -> dict[str, Any]:
    """What the index says of `download` (data/index.schema.json describes it)."""
    item: dict[str, Any] = {
        "path": download.path,
        "url": absolute(site_url, download.path),
        "content": download.content,
    }
    if download.year is not None:
        item["year"] = download.year
    item["media_type"] = download.media_type
    if download.compression:
        item["compression"] = download.compression
    item |= {
        "records": download.records,
        "bytes": len(download.data),
        "sha256": hashlib.sha256(download.data).hexdigest(),
        "schema": absolute(site_url, downloads.SCHEMA_DIR + download.schema),
    }
    return item


def index_json(entries: Iterable[dict[str, Any]]) -> str:
    """data/index.json: `{"downloads": [...]}`, the entries in the order the downloads were
    made, laid out like the downloads (json_layout.py): one entry per line."""
    listed = json_layout.array(json_layout.record(item) for item in entries)
    return '{"downloads":' + listed.removesuffix("\n") + "}\n"
