"""Every JSON Schema the site publishes under /schema/: the records' and JSON downloads'
(downloads.schema_files), the CSV's rows, and data/index.json's.

A CSV file is text, not JSON; its schema describes the rows as a CSV reader with a header
row yields them (Python's csv.DictReader, pandas' records, jq's @csv aside): an array of
objects keyed by column, every cell a string. That is what a script validates or reads the
columns from; the meaning of each column is the statement field of the same name.
"""

from __future__ import annotations

from typing import Any

from generator.outputs import downloads

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
#: Where, under SCHEMA_DIR, the schema of the statements CSV files is published.
CSV_SCHEMA = "data/statements.csv.schema.json"
#: Where, under SCHEMA_DIR, the schema of data/index.json is published.
INDEX_SCHEMA = "data/index.schema.json"


def csv_schema() -> dict[str, Any]:
    """The schema of data/statements.csv and every other file made of its rows."""
    columns = downloads.CSV_COLUMNS
    return {
        "$schema": SCHEMA,
        "title": "statements.csv",
        "description": "data/statements.csv and each file data/index.json lists with this "
        "schema, as a CSV reader with a header row reads them: one object per statement, "
        "keyed by column, in id order. UTF-8 with a byte-order mark, CRLF line ends. Each "
        "column holds the statement field of its name (actor_names: the actors' names; "
        "source_* and quote_*: one item per source or quote, aligned); several values are "
        'joined with "; ". A cell that would start with = + - @, a tab or a carriage '
        "return starts with an apostrophe, so that spreadsheets show it as text.",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": list(columns),
            "properties": {column: {"type": "string"} for column in columns},
        },
    }


def _url(description: str) -> dict[str, Any]:
    return {"type": "string", "format": "uri-reference", "description": description}


def index_schema() -> dict[str, Any]:
    """The schema of data/index.json, the list of every data download."""
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path", "url", "content", "media_type", "records", "bytes", "sha256"],
        "properties": {
            "path": {
                "type": "string",
                "pattern": "^data/[a-z0-9/._-]+$",
                "description": "Where the file is, relative to the site's root.",
            },
            "url": _url(
                "The file's URL: absolute under the site's URL, else root-relative (/data/...) "
                "when the site has no site_url."
            ),
            "content": {
                "enum": ["statements", "actors", "topics", "briefings"],
                "description": "What the file's records are.",
            },
            "year": {
                "type": "integer",
                "description": "Only in a per-year file: the year its statements are dated in.",
            },
            "media_type": {
                "enum": ["application/json", "text/csv"],
                "description": "The format of the content, once decompressed.",
            },
            "compression": {
                "const": "gzip",
                "description": "Only in a compressed file: how it is compressed.",
            },
            "records": {"type": "integer", "minimum": 0, "description": "How many records."},
            "bytes": {"type": "integer", "minimum": 0, "description": "The file's size."},
            "sha256": {
                "type": "string",
                "pattern": "^[0-9a-f]{64}$",
                "description": "The SHA-256 of the file as published (compressed, if it is).",
            },
            "schema": _url(
                "The JSON Schema of the content, once decompressed: for a CSV file, of its "
                "rows as a CSV reader with a header row reads them."
            ),
        },
    }
    return {
        "$schema": SCHEMA,
        "title": "index.json",
        "description": "Every data download the site publishes, for scripts: per file its "
        "URL, how many records it holds, its size, its SHA-256 and its schema. The whole "
        "statements files are listed only while they are small enough to publish "
        "uncompressed; data/statements.json.gz and .csv.gz and the per-year files always.",
        "type": "object",
        "additionalProperties": False,
        "required": ["downloads"],
        "properties": {"downloads": {"type": "array", "items": entry}},
    }


def schema_files(site_url: str | None = None) -> dict[str, str]:
    """Every JSON Schema the site publishes, by path under `downloads.SCHEMA_DIR`, each with
    its `$id` where it is published under `site_url` (see downloads.published_schema)."""
    files = downloads.schema_files(site_url)
    for name, schema in ((CSV_SCHEMA, csv_schema()), (INDEX_SCHEMA, index_schema())):
        files[name] = downloads.published_schema(schema, name, site_url)
    return files
