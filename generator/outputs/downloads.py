"""Data downloads: the archive as JSON and CSV, and the JSON Schemas of its records.

Pure: functions return strings for the plugin to write (suggested paths in `DOWNLOADS`).
Deterministic: records in id order, laid out as json_layout.py says (one compact record per
line, keys sorted, non-ASCII kept).

JSON shape: each file is an array of records shaped like the YAML records (the JSON Schemas
under /schema/ describe them: schema/data/statements.schema.json the whole of
data/statements.json, and so on), with absent optional values left out (the schemas allow no
nulls), dates as YYYY-MM-DD, plus `permalink`, the record's page. In statements.json,
`sources` is resolved: the briefing's own source (title, publisher, date, URLs) comes first,
then the statement's sources, exactly as the page lists them; `briefing` keeps the id.

CSV (statements.csv): one row per statement, UTF-8 with a byte-order mark (without it Excel
reads the file in the system's legacy code page and garbles Cyrillic, Chinese and umlauts;
Python reads it with encoding="utf-8-sig"), CRLF line ends (RFC 4180; also what makes the
csv module quote a cell holding a lone carriage return). Fields that hold several values
are joined with "; " (the JSON is the lossless form: a value may itself contain "; ").
Source columns stay aligned: the n-th title, publisher, date, URL and archived URL belong to
the n-th source, and quote columns likewise to the n-th quote (its text, language,
original, original's language, translator), a missing value being an empty item.
Formula injection: a spreadsheet runs a cell starting with = + - @ (or tab / carriage
return) as a formula, so such a cell gets a leading apostrophe ("'=1+1"), which
spreadsheets show as text. Readers who parse the CSV programmatically should drop one
leading apostrophe from cells that have one followed by one of those characters.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from generator.outputs import json_layout
from generator.outputs.citations import absolute, permalink
from generator.pages.urls import actor_url, briefing_url, topic_url
from generator.records.model import Actor, Archive, Briefing, Quote, Role, Source, Statement, Topic

#: Where the plugin should publish each download (site-relative).
DOWNLOADS: dict[str, str] = {
    "statements_json": "data/statements.json",
    "statements_csv": "data/statements.csv",
    "actors_json": "data/actors.json",
    "topics_json": "data/topics.json",
    "briefings_json": "data/briefings.json",
}
#: Folder the JSON Schemas are published under (`schema/statement.schema.json`...), which
#: is where their `$id`s point.
SCHEMA_DIR = "schema/"

#: Leading characters that make a spreadsheet treat a cell as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Columns of statements.csv, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "title",
    "kind",
    "actors",
    "actor_names",
    "summary",
    "quotes",
    "quote_langs",
    "quote_originals",
    "quote_original_langs",
    "quote_translators",
    "venue",
    "location",
    "topics",
    "mentions",
    "related",
    "briefing",
    "briefing_order",
    "source_titles",
    "source_publishers",
    "source_dates",
    "source_urls",
    "source_archived_urls",
    "date_note",
    "notes",
    "correction_dates",
    "correction_notes",
    "permalink",
)

SEP = "; "
#: The byte-order mark statements.csv starts with, for spreadsheets (see the docstring).
BOM = "\ufeff"


def _dump(items: Iterable[dict[str, Any]]) -> str:
    return json_layout.array(json_layout.record(item) for item in items)


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    # Absent optional fields are left out, as in the YAML: the schemas allow no nulls.
    return {k: v for k, v in data.items() if v is not None}


# --- Records as JSON-ready dicts ------------------------------------------------------------


def source_data(source: Source) -> dict[str, Any]:
    """A source as in the statement schema."""
    return _drop_empty(
        {
            "title": source.title,
            "publisher": source.publisher,
            "published": source.published.isoformat(),
            "url": source.url,
            "archived_url": source.archived_url,
        }
    )


def quote_data(quote: Quote) -> dict[str, Any]:
    """A quote as in the statement schema."""
    return _drop_empty(
        {
            "text": quote.text,
            "lang": quote.lang,
            "original": quote.original,
            "original_lang": quote.original_lang,
            "translated_by": quote.translated_by,
        }
    )


def statement_data(statement: Statement, archive: Archive, site_url: str | None) -> dict[str, Any]:
    """One statement: every field, sources resolved (briefing first), and its permalink.

    List fields are always present (possibly empty) so that consumers need no special
    case, except `sources`, which the schema wants non-empty and which only a statement
    without sources and briefing (an invalid record) could lack.
    """
    sources = [source_data(s) for s in archive.sources_of(statement)]
    data = _drop_empty(
        {
            "id": statement.id,
            "date": statement.date.isoformat(),
            "actors": list(statement.actors),
            "title": statement.title,
            "kind": statement.kind,
            "summary": statement.summary,
            "sources": sources or None,
            "briefing": statement.briefing,
            "briefing_order": statement.briefing_order,
            "venue": statement.venue,
            "location": statement.location,
            "quotes": [quote_data(q) for q in statement.quotes],
            "topics": list(statement.topics),
            "mentions": list(statement.mentions),
            "related": list(statement.related),
            "date_note": statement.date_note,
            "notes": statement.notes,
            "corrections": [
                {"date": c.date.isoformat(), "note": c.note} for c in statement.corrections
            ],
        }
    )
    data["permalink"] = permalink(site_url, statement.id)
    return data


def _role_data(role: Role) -> dict[str, Any]:
    # The model keeps a year-only `from: 2019` as 2019-01-01, so this cannot tell the two
    # apart; YYYY-MM-DD is what the downloads promise, and the schema accepts it.
    return _drop_empty(
        {
            "title": role.title,
            "organization": role.organization,
            "from": role.start.isoformat() if role.start else None,
            "to": role.end.isoformat() if role.end else None,
        }
    )


def actor_data(actor: Actor, site_url: str | None) -> dict[str, Any]:
    """One actor as in the actor schema, plus the permalink of its page."""
    links = _drop_empty({"wikidata": actor.links.wikidata, "website": actor.links.website})
    data = _drop_empty(
        {
            "id": actor.id,
            "name": actor.name,
            "kind": actor.kind,
            "names": [{"name": n.name, "lang": n.lang} for n in actor.names],
            "country": actor.country,
            "roles": [_role_data(r) for r in actor.roles],
            "description": actor.description,
            "links": links or None,
        }
    )
    data["permalink"] = absolute(site_url, actor_url(actor.id))
    return data


def topic_data(topic: Topic, site_url: str | None) -> dict[str, Any]:
    """One topic as in the topic schema, plus the permalink of its page."""
    data = _drop_empty({"id": topic.id, "title": topic.title, "description": topic.description})
    data["permalink"] = absolute(site_url, topic_url(topic.id))
    return data


def briefing_data(briefing: Briefing, site_url: str | None) -> dict[str, Any]:
    """One briefing as in the briefing schema (full text included), plus its permalink."""
    data = _drop_empty(
        {
            "id": briefing.id,
            "title": briefing.title,
            "publisher": briefing.publisher,
            "published": briefing.published.isoformat(),
            "url": briefing.url,
            "archived_url": briefing.archived_url,
            "language": briefing.language,
            "text": briefing.text,
            "notes": briefing.notes,
        }
    )
    data["permalink"] = absolute(site_url, briefing_url(briefing.id))
    return data


# --- JSON files -----------------------------------------------------------------------------


def statements_json(archive: Archive, site_url: str | None) -> str:
    """Every statement (`statement_data`), in id order, as a JSON array."""
    items = sorted(archive.statements.values(), key=lambda s: s.id)
    return _dump(statement_data(s, archive, site_url) for s in items)


def actors_json(archive: Archive, site_url: str | None) -> str:
    """Every actor (`actor_data`), in id order, as a JSON array."""
    items = sorted(archive.actors.values(), key=lambda a: a.id)
    return _dump(actor_data(a, site_url) for a in items)


def topics_json(archive: Archive, site_url: str | None) -> str:
    """Every topic (`topic_data`), in id order, as a JSON array."""
    items = sorted(archive.topics.values(), key=lambda t: t.id)
    return _dump(topic_data(t, site_url) for t in items)


def briefings_json(archive: Archive, site_url: str | None) -> str:
    """Every briefing (`briefing_data`), in id order, as a JSON array."""
    items = sorted(archive.briefings.values(), key=lambda b: b.id)
    return _dump(briefing_data(b, site_url) for b in items)


# --- CSV ------------------------------------------------------------------------------------


def csv_cell(value: str) -> str:
    """`value` made safe for spreadsheets: a leading apostrophe before a formula prefix."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _join(values: Iterable[str]) -> str:
    return SEP.join(values)


def statement_row(statement: Statement, archive: Archive, site_url: str | None) -> list[str]:
    """The cells of one statement's CSV row (`CSV_COLUMNS` order), already defused."""
    sources = archive.sources_of(statement)
    names = (archive.actors[a].name if a in archive.actors else a for a in statement.actors)
    row = {
        "id": statement.id,
        "date": statement.date.isoformat(),
        "title": statement.title,
        "kind": statement.kind,
        "actors": _join(statement.actors),
        "actor_names": _join(names),
        "summary": statement.summary,
        "quotes": _join(q.text for q in statement.quotes),
        "quote_langs": _join(q.lang for q in statement.quotes),
        "quote_originals": _join(q.original or "" for q in statement.quotes),
        "quote_original_langs": _join(q.original_lang or "" for q in statement.quotes),
        "quote_translators": _join(q.translated_by or "" for q in statement.quotes),
        "venue": statement.venue or "",
        "location": statement.location or "",
        "topics": _join(statement.topics),
        "mentions": _join(statement.mentions),
        "related": _join(statement.related),
        "briefing": statement.briefing or "",
        "briefing_order": "" if statement.briefing_order is None else str(statement.briefing_order),
        "source_titles": _join(s.title for s in sources),
        "source_publishers": _join(s.publisher for s in sources),
        "source_dates": _join(s.published.isoformat() for s in sources),
        "source_urls": _join(s.url or "" for s in sources),
        "source_archived_urls": _join(s.archived_url or "" for s in sources),
        "date_note": statement.date_note or "",
        "notes": statement.notes or "",
        "correction_dates": _join(c.date.isoformat() for c in statement.corrections),
        "correction_notes": _join(c.note for c in statement.corrections),
        "permalink": permalink(site_url, statement.id),
    }
    return [csv_cell(row[column]) for column in CSV_COLUMNS]


def statements_csv(archive: Archive, site_url: str | None) -> str:
    """Every statement as one CSV row, with a header row; see the module docstring."""
    out = io.StringIO()
    out.write(BOM)
    # CRLF, not "\n": the writer quotes only cells holding characters of the line
    # terminator, so with "\n" a lone "\r" in a record would split the row for readers.
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for statement in sorted(archive.statements.values(), key=lambda s: s.id):
        writer.writerow(statement_row(statement, archive, site_url))
    return out.getvalue()


# --- Schemas --------------------------------------------------------------------------------


#: The JSON downloads and the record schema each one's items follow, by download key.
DOWNLOAD_RECORDS: dict[str, str] = {
    "statements_json": "statement",
    "actors_json": "actor",
    "topics_json": "topic",
    "briefings_json": "briefing",
}


def download_schema_name(key: str) -> str:
    """Where, under `SCHEMA_DIR`, the schema of the download `key` is published.

    The download's path with `.json` made `.schema.json`: data/statements.json is described
    by schema/data/statements.schema.json.
    """
    return DOWNLOADS[key].removesuffix(".json") + ".schema.json"


def _record_schemas() -> dict[str, dict[str, Any]]:
    # Package data, read via importlib.resources like validate.py does.
    folder = resources.files("generator").joinpath("schemas")
    return {
        entry.name: json.loads(entry.read_text("utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".schema.json")
    }


def published_schema(schema: dict[str, Any], name: str, site_url: str | None) -> str:
    """`schema` as published at `SCHEMA_DIR + name`: its `$id` that URL under `site_url`, or
    none without an absolute site URL (a wrong `$id` is worse than none)."""
    out = {key: value for key, value in schema.items() if key != "$id"}
    if site_url and site_url.startswith(("https://", "http://")):
        out = {"$schema": out.pop("$schema"), "$id": absolute(site_url, SCHEMA_DIR + name), **out}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _download_schema(key: str, record: dict[str, Any]) -> dict[str, Any]:
    """The schema of a whole JSON download: an array of the records the record schema
    describes, each with the `permalink` that downloads add.

    A copy of the record schema rather than a `$ref` to it: the record schema allows no
    other properties, which no `$ref` can loosen, and a copy also spares clients a fetch.
    """
    items = {k: v for k, v in record.items() if k not in ("$schema", "$id")}
    items["required"] = [*items["required"], "permalink"]
    items["properties"] = {
        **items["properties"],
        "permalink": {
            "type": "string",
            "format": "uri-reference",
            "description": "The record's page: absolute under the site's URL, else "
            "root-relative (/statements/<id>/) when the site has no site_url.",
        },
    }
    return {
        "$schema": record["$schema"],
        "title": DOWNLOADS[key].rsplit("/", 1)[-1],
        "description": f"{DOWNLOADS[key]} and each file data/index.json lists with this schema: "
        f"{DOWNLOAD_RECORDS[key]}s in id order as the record schema has them, plus permalinks.",
        "type": "array",
        "items": items,
    }


def schema_files(site_url: str | None = None) -> dict[str, str]:
    """The JSON Schemas the site publishes, by path under `SCHEMA_DIR`.

    The records' schemas as shipped in the package (`statement.schema.json`...), and one
    per JSON download (`data/statements.schema.json`...) that its whole file validates
    against. Each `$id` is where the schema is published under `site_url` (left out
    without an absolute http(s) site URL).
    """
    records = _record_schemas()
    files = {name: published_schema(schema, name, site_url) for name, schema in records.items()}
    for key, kind in DOWNLOAD_RECORDS.items():
        name = download_schema_name(key)
        files[name] = published_schema(
            _download_schema(key, records[f"{kind}.schema.json"]), name, site_url
        )
    return files
