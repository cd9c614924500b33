"""Data downloads: parsed back with json / csv and compared to the model, not to fixtures.

Every exported record (less the added `permalink`) must validate against the JSON Schema
its YAML record does, so the published schemas describe the downloads too. Checked on the mini
fixture archive and a small hand-made one; tests/test_bundled_archive_reuse.py runs the checks
over the bundled archive.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.outputs import downloads
from generator.records.model import Actor, Archive, Briefing, Quote, Source, Statement, Topic

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "generator" / "schemas"
SITE = "https://example.org/archive/"


def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _without_permalink(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "permalink"}


def _source(src: Source) -> dict[str, Any]:
    data = {"title": src.title, "publisher": src.publisher, "published": src.published.isoformat()}
    data |= {k: v for k, v in (("url", src.url), ("archived_url", src.archived_url)) if v}
    return data


def _small() -> Archive:
    """An archive with formula-like text, optional fields and non-ASCII names."""
    ann = Actor("ann", "Анна =Ann", "person", "actors/ann.yml")
    briefing = Briefing(
        "b", "=cmd|' /C calc'!A0", "@Wire", dt.date(2024, 1, 2), "briefings/b.yml",
        url="https://wire.example/b",
    )  # fmt: skip
    full = Statement(
        id="full",
        date=dt.date(2024, 1, 3),
        actors=("ann",),
        title='=HYPERLINK("https://evil.example", "click")',
        kind="interview",
        summary="+1 and a; semicolon\nacross lines",
        path="statements/full.yml",
        sources=(
            Source("First", "Daily", dt.date(2024, 1, 3)),
            Source("Second", "Weekly", dt.date(2024, 1, 4), url="https://w.example/2"),
        ),
        briefing="b",
        briefing_order=1,
        venue="-2",
        location="safe=value",
        quotes=(Quote("«Слово»", "ru", original="词", original_lang="zh", translated_by="@me"),),
        topics=("t",),
        mentions=("ann",),
        related=("bare",),
        date_note="\tindented",
        notes="\rreturn",
    )
    bare = Statement(
        id="bare",
        date=dt.date(2023, 5, 1),
        actors=("ann",),
        title="Bare",
        kind="other",
        summary="Only what is required.",
        path="statements/bare.yml",
        sources=(Source("Only", "Daily", dt.date(2023, 5, 1)),),
    )
    return Archive(
        actors={"ann": ann},
        topics={"t": Topic("t", "Trade", "topics/t.yml", description="-minus")},
        statements={"bare": bare, "full": full},
        briefings={"b": briefing},
    )


@pytest.fixture(params=["mini", "small"])
def mini_or_small(request: pytest.FixtureRequest, archive: Archive) -> Archive:
    """conftest's `archive` (the mini fixture archive), then `_small()`."""
    return archive if request.param == "mini" else _small()


def statements_json_matches_the_model_and_the_schema(archive: Archive) -> None:
    """`archive`'s statements.json against the model and the schema."""
    text = downloads.statements_json(archive, SITE)
    assert text.endswith("]\n")
    items = json.loads(text)
    assert [i["id"] for i in items] == sorted(archive.statements)
    validator = _validator("statement")
    for item in items:
        statement = archive.statements[item["id"]]
        errors = list(validator.iter_errors(_without_permalink(item)))
        assert not errors, [e.message for e in errors]
        assert item["permalink"] == f"{SITE}statements/{statement.id}/"
        assert item["date"] == statement.date.isoformat()
        assert item["actors"] == list(statement.actors)
        assert (item["title"], item["kind"], item["summary"]) == (
            statement.title,
            statement.kind,
            statement.summary,
        )
        assert item["sources"] == [_source(s) for s in archive.sources_of(statement)]
        assert item.get("briefing") == statement.briefing
        assert item.get("briefing_order") == statement.briefing_order
        assert item.get("venue") == statement.venue
        assert item.get("notes") == statement.notes
        assert item["topics"] == list(statement.topics)
        assert [q["text"] for q in item["quotes"]] == [q.text for q in statement.quotes]
        assert None not in item.values()


def test_statements_json_matches_the_model_and_the_schema(mini_or_small: Archive) -> None:
    statements_json_matches_the_model_and_the_schema(mini_or_small)


def test_a_statement_s_briefing_is_exported_as_its_first_source() -> None:
    items = {i["id"]: i for i in json.loads(downloads.statements_json(_small(), SITE))}
    assert [s["title"] for s in items["full"]["sources"]] == [
        "=cmd|' /C calc'!A0",  # JSON is not a spreadsheet: no apostrophe here
        "First",
        "Second",
    ]
    assert items["full"]["sources"][0]["url"] == "https://wire.example/b"
    assert items["full"]["quotes"][0] == {
        "text": "«Слово»",
        "lang": "ru",
        "original": "词",
        "original_lang": "zh",
        "translated_by": "@me",
    }


RECORD_DOWNLOADS = [
    (downloads.actors_json, "actor", "actors", "actors"),
    (downloads.topics_json, "topic", "topics", "topics"),
    (downloads.briefings_json, "briefing", "briefings", "briefings"),
]


def record_download_matches_the_model_and_schema(
    archive: Archive, function: Any, kind: str, mapping: str, url: str
) -> None:
    """One of `archive`'s actors/topics/briefings downloads (a RECORD_DOWNLOADS row)."""
    records = getattr(archive, mapping)
    items = json.loads(function(archive, SITE))
    assert [i["id"] for i in items] == sorted(records)
    validator = _validator(kind)
    for item in items:
        errors = list(validator.iter_errors(_without_permalink(item)))
        assert not errors, [e.message for e in errors]
        assert item["permalink"] == f"{SITE}{url}/{item['id']}/"
        record = records[item["id"]]
        for field in ("name", "title", "publisher", "description", "text", "notes"):
            if hasattr(record, field):
                assert item.get(field) == getattr(record, field)


@pytest.mark.parametrize(("function", "kind", "mapping", "url"), RECORD_DOWNLOADS)
def test_record_downloads_match_the_model_and_schemas(
    mini_or_small: Archive, function: Any, kind: str, mapping: str, url: str
) -> None:
    record_download_matches_the_model_and_schema(mini_or_small, function, kind, mapping, url)


def actor_export_keeps_names_roles_and_links(archive: Archive) -> None:
    """`archive`'s actors.json keeps each actor's names, roles and links."""
    items = {i["id"]: i for i in json.loads(downloads.actors_json(archive, SITE))}
    for actor in archive.actors.values():
        item = items[actor.id]
        assert item["names"] == [{"name": n.name, "lang": n.lang} for n in actor.names]
        assert [r["title"] for r in item["roles"]] == [r.title for r in actor.roles]
        assert [r.get("from") for r in item["roles"]] == [
            r.start.isoformat() if r.start else None for r in actor.roles
        ]
        assert item.get("links", {}).get("wikidata") == actor.links.wikidata
        assert item.get("links", {}).get("website") == actor.links.website


def test_actor_export_keeps_names_roles_and_links(archive: Archive) -> None:
    actor_export_keeps_names_roles_and_links(archive)


def one_record_per_line(text: str) -> list[Any]:
    """The records of a JSON download read line by line, as grep or diff see them, after
    checking its layout (restated from generator/outputs/json_layout.py, not imported):
    `[`, one compact record per line with sorted keys, `]`, a newline; `[]` when empty."""
    lines = text.split("\n")
    assert lines.pop() == ""  # the file ends with a newline
    if lines == ["[]"]:
        assert json.loads(text) == []
        return []
    assert lines[0] == "[" and lines[-1] == "]"
    body = lines[1:-1]
    assert all(line.endswith("},") for line in body[:-1]) and body[-1].endswith("}")
    records = [json.loads(line.removesuffix(",")) for line in body]
    for line, record in zip(body, records, strict=True):
        compact = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert line.removesuffix(",") == compact
    assert records == json.loads(text)  # the lines are the whole file's records
    return records


def downloads_are_deterministic_and_keep_non_ascii(archive: Archive, name: str) -> None:
    """`archive`'s downloads, made twice, each JSON one record per line; actors.json holds
    `name` unescaped."""
    for function in (
        downloads.statements_json,
        downloads.actors_json,
        downloads.topics_json,
        downloads.briefings_json,
        downloads.statements_csv,
    ):
        first = function(archive, SITE)
        assert function(archive, SITE) == first
        assert first.endswith("\n")
        if function is not downloads.statements_csv:
            one_record_per_line(first)
    actors = downloads.actors_json(archive, SITE)
    assert name in actors and "\\u" not in actors
    # Keys are sorted at every level.
    item = json.loads(downloads.statements_json(archive, SITE))[0]
    assert list(item) == sorted(item)


def test_downloads_are_deterministic_and_keep_non_ascii(archive: Archive) -> None:
    downloads_are_deterministic_and_keep_non_ascii(archive, "Анна Петрова")
    downloads_are_deterministic_and_keep_non_ascii(archive, "李伟")


def test_an_empty_archive_s_json_downloads_are_empty_arrays() -> None:
    empty = Archive(actors={}, topics={}, statements={}, briefings={})
    for function in (
        downloads.statements_json,
        downloads.actors_json,
        downloads.topics_json,
        downloads.briefings_json,
    ):
        assert function(empty, SITE) == "[]\n"


def test_a_record_with_line_breaks_stays_on_its_line() -> None:
    # JSON escapes control characters, so the summary's line breaks cannot split a record.
    text = downloads.statements_json(_small(), SITE)
    records = one_record_per_line(text)
    assert any("\n" in r["summary"] for r in records)


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # the byte-order mark spreadsheets read UTF-8 by
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def _defused(value: str) -> str:
    # The rule, restated independently of downloads.csv_cell.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def statements_csv_has_one_row_per_statement_matching_the_model(archive: Archive) -> None:
    """`archive`'s statements.csv against the model."""
    text = downloads.statements_csv(archive, SITE)
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(header) == downloads.CSV_COLUMNS
    rows = _rows(text)
    assert [r["id"] for r in rows] == sorted(archive.statements)
    for row in rows:
        statement = archive.statements[row["id"]]
        sources = archive.sources_of(statement)
        assert row["date"] == statement.date.isoformat()
        assert row["title"] == _defused(statement.title)
        assert row["summary"] == _defused(statement.summary)  # line breaks survive quoting
        assert row["actors"] == "; ".join(statement.actors)
        assert row["topics"] == "; ".join(statement.topics)
        assert row["source_titles"] == _defused("; ".join(s.title for s in sources))
        assert row["source_publishers"] == _defused("; ".join(s.publisher for s in sources))
        assert row["source_urls"].split("; ") == [s.url or "" for s in sources]
        archived = [s.archived_url or "" for s in sources]
        assert row["source_archived_urls"] == _defused("; ".join(archived))
        # One item per quote, in order, aligned across the columns.
        quotes = statement.quotes
        for column, values in (
            ("quote_langs", [q.lang for q in quotes]),
            ("quote_originals", [q.original or "" for q in quotes]),
            ("quote_original_langs", [q.original_lang or "" for q in quotes]),
            ("quote_translators", [q.translated_by or "" for q in quotes]),
        ):
            assert row[column] == _defused("; ".join(values)), column
        assert row["briefing_order"] == (
            "" if statement.briefing_order is None else str(statement.briefing_order)
        )
        assert row["permalink"] == f"{SITE}statements/{statement.id}/"


def test_statements_csv_has_one_row_per_statement_matching_the_model(
    mini_or_small: Archive,
) -> None:
    statements_csv_has_one_row_per_statement_matching_the_model(mini_or_small)


def test_csv_defuses_spreadsheet_formulas() -> None:
    rows = {r["id"]: r for r in _rows(downloads.statements_csv(_small(), SITE))}
    full = rows["full"]
    assert full["title"] == '\'=HYPERLINK("https://evil.example", "click")'
    assert full["summary"] == "'+1 and a; semicolon\nacross lines"
    assert full["venue"] == "'-2"
    assert full["source_titles"] == "'=cmd|' /C calc'!A0; First; Second"
    assert full["source_publishers"] == "'@Wire; Daily; Weekly"
    assert full["date_note"] == "'\tindented"
    assert full["notes"] == "'\rreturn"
    assert full["quotes"] == "«Слово»"
    assert full["quote_originals"] == "词"
    assert full["quote_original_langs"] == "zh"
    assert full["quote_translators"] == "'@me"
    assert full["actor_names"] == "Анна =Ann"  # `=` inside a cell is harmless
    assert full["location"] == "safe=value"
    # No cell anywhere starts with a formula character.
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_published_schemas_are_the_shipped_ones_with_the_sites_id() -> None:
    site_url = "https://example.test/archive/"
    files = downloads.schema_files(site_url)
    shipped = {p.name for p in SCHEMAS.glob("*.schema.json")}
    assert set(files) == shipped | {
        downloads.download_schema_name(key) for key in downloads.DOWNLOAD_RECORDS
    }
    for name, text in files.items():
        schema = json.loads(text)
        assert schema["$id"] == site_url + downloads.SCHEMA_DIR + name
        if name in shipped:
            original = json.loads((SCHEMAS / name).read_text("utf-8"))
            assert {**original, "$id": schema["$id"]} == schema
    # Without a site URL nobody knows where they are published: no `$id` at all.
    assert all("$id" not in json.loads(text) for text in downloads.schema_files(None).values())


def test_a_download_schema_is_its_record_schema_plus_the_permalink() -> None:
    files = downloads.schema_files(None)
    for key, kind in downloads.DOWNLOAD_RECORDS.items():
        record = json.loads(files[f"{kind}.schema.json"])
        items = json.loads(files[downloads.download_schema_name(key)])["items"]
        properties = items.pop("properties")
        assert properties.pop("permalink")["type"] == "string"
        assert properties == record.pop("properties")
        assert items.pop("required") == [*record.pop("required"), "permalink"]
        assert {**items, "$schema": record["$schema"]} == record
