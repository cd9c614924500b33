"""The statements downloads at any size: per-year files (JSON gzipped, CSV plain), gzipped
whole files, the whole files while small, and data/index.json listing them.

Each file is compared with downloads.statements_json / statements_csv, the one definition of
the formats, over the same statements; the completeness checks read the files back with json,
csv and gzip as a client would. A real build's home page lists exactly the data files it wrote,
having serialised each statement once per format.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import hashlib
import io
import json
import threading
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from _site_support import make_project
from lxml import html
from test_exports import SITE, _small, one_record_per_line

from generator.cli import main
from generator.mkdocs.run import run_build
from generator.outputs import data_index, data_schemas, downloads, parts, statement_files
from generator.records.model import Archive, Source, Statement


def _files(archive: Archive, site_url: str | None = SITE) -> dict[str, bytes]:
    return {d.path: d.data for d in statement_files.statement_downloads(archive, site_url)}


def _of_year(archive: Archive, year: int) -> Archive:
    kept = {k: s for k, s in archive.statements.items() if s.date.year == year}
    return dataclasses.replace(archive, statements=kept)


def _csv_ids(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [row["id"] for row in csv.DictReader(io.StringIO(text, newline=""))]


def _spread(count: int) -> Archive:
    """`count` statements over three years, ids not in date order."""
    statements = {}
    for i in range(count):
        day = dt.date(2021 + i % 3, 1 + i % 12, 1 + i % 28)
        ident = f"s{(i * 7919) % 10007:05d}"
        statements[ident] = Statement(
            id=ident,
            date=day,
            actors=(),
            title=f"Statement {i} «ü»",
            kind="other",
            summary="A summary; with a semicolon.\nAnd a line break.",
            path=f"statements/{ident}.yml",
            sources=(Source("Daily", "Daily", day),),
        )
    return Archive(actors={}, topics={}, statements=dict(sorted(statements.items())), briefings={})


@pytest.fixture(params=["mini", "small", "spread"])
def any_archive(request: pytest.FixtureRequest, archive: Archive) -> Archive:
    """conftest's mini archive, test_exports' small one, and 300 statements over 3 years."""
    return {"mini": archive, "small": _small(), "spread": _spread(300)}[request.param]


def _json_records(data: bytes) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(data)
    return records


def _csv_records(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_every_statement_is_in_exactly_one_year_file_of_each_format(any_archive: Archive) -> None:
    files = _files(any_archive)
    years = sorted({s.date.year for s in any_archive.statements.values()})
    # Read back as a client would: the JSON ones gunzipped.
    for published, read in (("json.gz", _json_records), ("csv", _csv_records)):
        paths = sorted(p for p in files if p.startswith("data/statements/"))
        paths = [p for p in paths if p.endswith("." + published)]
        assert paths == [f"data/statements/{y}.{published}" for y in years]
        seen: list[dict[str, Any]] = []
        for year, path in zip(years, paths, strict=True):
            data = files[path]
            records = read(gzip.decompress(data) if published.endswith(".gz") else data)
            ids = [r["id"] for r in records]
            assert ids == sorted(ids), path  # id order within the year
            assert {any_archive.statements[i].date.year for i in ids} == {year}
            seen += records
        assert sorted(r["id"] for r in seen) == sorted(any_archive.statements)  # each once
        # The gzipped whole file holds the same records, field for field.
        whole = read(gzip.decompress(files[f"data/statements.{published.split('.')[0]}.gz"]))
        assert sorted(seen, key=lambda r: r["id"]) == whole


def test_no_per_year_json_is_published_uncompressed(any_archive: Archive) -> None:
    files = _files(any_archive)
    year_files = {p for p in files if p.startswith("data/statements/")}
    assert year_files
    assert not {p for p in year_files if p.endswith(".json")}
    for year in {s.date.year for s in any_archive.statements.values()}:
        assert statement_files.year_path(year, "json") == f"data/statements/{year}.json.gz"
        assert statement_files.year_path(year, "csv") == f"data/statements/{year}.csv"
        assert {statement_files.year_path(year, e) for e in ("json", "csv")} <= year_files


def test_a_year_file_is_the_whole_file_of_that_year_s_statements(any_archive: Archive) -> None:
    files = _files(any_archive)
    for year in {s.date.year for s in any_archive.statements.values()}:
        only = _of_year(any_archive, year)
        json_bytes = downloads.statements_json(only, SITE).encode("utf-8")
        zipped = files[f"data/statements/{year}.json.gz"]
        assert gzip.decompress(zipped) == json_bytes
        # The project's one gzip: deterministic, whatever the chunks it was fed.
        assert zipped == statement_files.gzipped([json_bytes])
        csv_text = downloads.statements_csv(only, SITE)
        assert files[f"data/statements/{year}.csv"] == csv_text.encode("utf-8")


def test_the_gzipped_files_hold_exactly_the_whole_files(any_archive: Archive) -> None:
    files = _files(any_archive)
    whole_json = downloads.statements_json(any_archive, SITE).encode("utf-8")
    whole_csv = downloads.statements_csv(any_archive, SITE).encode("utf-8")
    assert gzip.decompress(files["data/statements.json.gz"]) == whole_json
    assert gzip.decompress(files["data/statements.csv.gz"]) == whole_csv
    # Small, so published uncompressed too, and the same bytes.
    assert files["data/statements.json"] == whole_json
    assert files["data/statements.csv"] == whole_csv


@pytest.mark.parametrize("which", ["mini", "small"])  # valid records (_spread's have no actors)
def test_a_year_s_json_validates_against_the_published_schema_once_gunzipped(
    which: str, archive: Archive
) -> None:
    files = _files(archive if which == "mini" else _small())
    name = downloads.download_schema_name("statements_json")
    schema = json.loads(data_schemas.schema_files(SITE)[name])
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    years = [p for p in files if p.startswith("data/statements/") and p.endswith(".json.gz")]
    assert years
    for path in years:
        records = json.loads(gzip.decompress(files[path]))
        assert records
        errors = [e.message for e in validator.iter_errors(records)]
        assert not errors, (path, errors)
        del records[0]["permalink"]  # the check can fail
        assert not validator.is_valid(records), path


def test_two_runs_give_the_same_gzipped_bytes(any_archive: Archive) -> None:
    first, second = _files(any_archive), _files(any_archive)
    zipped = [p for p in first if p.endswith(".gz")]
    assert len(zipped) == 2 + len({s.date.year for s in any_archive.statements.values()})
    for path in zipped:
        assert first[path] == second[path], path
        assert first[path][4:8] == b"\0\0\0\0" and first[path][3] == 0  # no mtime or name


def test_gzip_output_depends_on_the_content_alone() -> None:
    first = statement_files.gzipped([b"abc", b"def"])
    assert statement_files.gzipped([b"abcdef"]) == first
    assert first[:3] == b"\x1f\x8b\x08"
    flags, mtime = first[3], first[4:8]
    assert flags == 0  # no file name, comment or extra field
    assert mtime == b"\0\0\0\0"


def test_an_empty_archive_has_empty_whole_files_and_no_year_files() -> None:
    empty = Archive(actors={}, topics={}, statements={}, briefings={})
    files = _files(empty)
    assert sorted(files) == [
        "data/statements.csv",
        "data/statements.csv.gz",
        "data/statements.json",
        "data/statements.json.gz",
    ]
    assert files["data/statements.json"] == b"[]\n"
    assert gzip.decompress(files["data/statements.json.gz"]) == b"[]\n"
    assert _csv_ids(files["data/statements.csv"]) == []


def _sizes(archive: Archive) -> dict[str, int]:
    return {
        "json": len(downloads.statements_json(archive, SITE).encode("utf-8")),
        "csv": len(downloads.statements_csv(archive, SITE).encode("utf-8")),
    }


def test_a_whole_file_is_published_up_to_the_limit_and_the_home_page_knows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    archive = _spread(60)
    sizes = _sizes(archive)
    assert sizes["json"] > sizes["csv"]
    for limit, expected in (
        (sizes["json"], ("json", "csv")),
        (sizes["json"] - 1, ("csv",)),
        (sizes["csv"], ("csv",)),
        (sizes["csv"] - 1, ()),
    ):
        monkeypatch.setattr(statement_files, "WHOLE_LIMIT", limit)
        # Measured without making the files, and told from the files made: the same.
        assert statement_files.whole_files(archive, SITE) == expected, limit
        files = _files(archive)
        published = tuple(e for e in ("json", "csv") if f"data/statements.{e}" in files)
        assert published == statement_files.published_whole(files) == expected, limit
        # The gzipped and per-year files are there either way.
        assert {"data/statements.json.gz", "data/statements.csv.gz"} <= set(files)
        for whole in (None, expected):  # the home page measuring, or told
            listed = parts.home_downloads(archive, SITE, whole)
            home = {target for _, target, _ in listed.statements}
            home |= {t for _, *targets in listed.years for t in targets}
            assert home == set(files) | {data_index.INDEX}, limit


def _count_serialised(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"json": 0, "csv": 0}
    for name, key in (("statement_data", "json"), ("statement_row", "csv")):
        real = getattr(downloads, name)

        def counted(*args: Any, _real: Any = real, _key: str = key) -> Any:
            counts[_key] += 1
            return _real(*args)

        monkeypatch.setattr(downloads, name, counted)
    return counts


def test_the_home_page_told_the_whole_files_made_serialises_nothing_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    archive = _spread(60)
    counts = _count_serialised(monkeypatch)
    files = _files(archive)
    assert counts == {"json": 60, "csv": 60}
    told = parts.page_parts(statement_files.published_whole(files))
    listed = told.downloads(archive, SITE)
    assert counts == {"json": 60, "csv": 60}  # nothing serialised again
    whole = {"data/statements.json", "data/statements.csv"}
    assert isinstance(listed, parts.HomeDownloads)
    assert whole <= set(files) and whole <= {target for _, target, _ in listed.statements}
    assert told is parts.page_parts(("json", "csv"))  # one object: options compare equal
    # Not told, the home page measures.
    parts.page_parts().downloads(archive, SITE)
    assert counts == {"json": 120, "csv": 120}


def _home_links(site: Path, page: str = "index.html") -> set[str]:
    home = html.fromstring((site / page).read_bytes())
    links = home.xpath("//ul[@class='ba-downloads']//a[@download]/@href")
    return {href.removeprefix("./") for href in links}  # the home page is the site root


def _data_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / "data").rglob("*") if p.is_file()}


def test_a_built_home_page_lists_exactly_the_data_files_the_build_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_project(tmp_path / "project")
    counts = _count_serialised(monkeypatch)
    first = tmp_path / "site"
    assert run_build(config, first) == 0
    made = _data_files(first)
    assert {"data/statements.json", "data/statements.csv"} <= made
    assert _home_links(first) == made
    # Each statement serialised once per format: the home page measured nothing again.
    statements = sum(1 for _ in (tmp_path / "project" / "content" / "statements").rglob("*.yml"))
    assert counts == {"json": statements, "csv": statements}
    # With a limit between the two whole files' sizes, only the CSV is published whole.
    json_size = (first / "data/statements.json").stat().st_size
    csv_size = (first / "data/statements.csv").stat().st_size
    assert csv_size < json_size
    monkeypatch.setattr(statement_files, "WHOLE_LIMIT", csv_size)
    second = tmp_path / "small-limit"
    assert run_build(config, second) == 0
    assert _data_files(second) == made - {"data/statements.json"}
    assert _home_links(second) == _data_files(second)


def test_serve_serves_the_data_files(tmp_path: Path) -> None:
    from mkdocs.config.base import load_config
    from mkdocs.structure.files import Files

    config = load_config(config_file=str(make_project(tmp_path / "p")))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    for path in ("data/statements.json", "data/statements.csv", "data/index.json"):
        assert files.get_file_from_path(path) is not None, path


def test_generate_project_makes_the_data_files_once_and_its_home_page_lists_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    counts = _count_serialised(monkeypatch)
    out = tmp_path / "project"
    assert main(["generate", "--project", "--out", str(out)]) == 0
    statements = sum(1 for _ in (tmp_path / "repo" / "content" / "statements").rglob("*.yml"))
    assert counts == {"json": statements, "csv": statements}
    # docs/index.md: front matter, then the page as raw HTML, which lxml reads alike.
    assert _home_links(out / "docs", "index.md") == _data_files(out / "docs")


def test_the_cheap_bound_never_exceeds_a_whole_file(any_archive: Archive) -> None:
    # whole_files trusts it to skip measuring a large archive.
    bound = statement_files._lower_bound(any_archive)
    assert 0 < bound <= min(_sizes(any_archive).values())


def test_a_large_archive_s_home_page_skips_measuring(monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _spread(60)
    monkeypatch.setattr(statement_files, "WHOLE_LIMIT", statement_files._lower_bound(archive) - 1)

    def refuse(*_: object) -> Any:
        raise AssertionError("serialised a statement")

    monkeypatch.setattr(downloads, "statement_data", refuse)
    monkeypatch.setattr(downloads, "statement_row", refuse)
    assert statement_files.whole_files(archive, SITE) == ()


def _index(archive: Archive, site_url: str | None) -> tuple[dict[str, bytes], dict[str, Any]]:
    made = list(data_index.every_download(archive, site_url))
    text = data_index.index_json(data_index.entry(d, site_url) for d in made)
    # Laid out like the downloads: the array of entries one per line, inside its object.
    assert text.startswith('{"downloads":[\n') and text.endswith("\n]}\n")
    entries = one_record_per_line(text.removeprefix('{"downloads":').removesuffix("}\n") + "\n")
    index = json.loads(text)
    assert index == {"downloads": entries}
    return {d.path: d.data for d in made}, index


def test_the_index_lists_every_download_with_its_bytes_hash_and_records(
    any_archive: Archive,
) -> None:
    files, index = _index(any_archive, SITE)
    schema = data_schemas.index_schema()
    jsonschema.validate(
        index, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    entries = index["downloads"]
    assert [e["path"] for e in entries] == list(files)
    assert {"data/actors.json", "data/topics.json", "data/briefings.json"} <= set(files)
    published_schemas = data_schemas.schema_files(SITE)
    for e in entries:
        data = files[e["path"]]
        assert e["url"] == SITE + e["path"]
        assert e["bytes"] == len(data)
        assert e["sha256"] == hashlib.sha256(data).hexdigest()
        name = e["schema"].removeprefix(SITE + downloads.SCHEMA_DIR)
        assert name in published_schemas
        content = gzip.decompress(data) if e.get("compression") == "gzip" else data
        if e["media_type"] == "application/json":
            records = json.loads(content)
            assert name == f"data/{e['content']}.schema.json"
        else:
            records = _csv_ids(content)
            assert name == data_schemas.CSV_SCHEMA
        assert e["records"] == len(records)
        if "year" in e:
            assert e["path"].startswith(f"data/statements/{e['year']}.")
            # A year's JSON is published gzipped only, its CSV plain.
            gzipped = e["media_type"] == "application/json"
            assert e.get("compression") == ("gzip" if gzipped else None), e["path"]
            assert e["path"].endswith(".json.gz" if gzipped else ".csv"), e["path"]
    statements = [e for e in entries if e["content"] == "statements" and "year" not in e]
    assert all(e["records"] == len(any_archive.statements) for e in statements)


def test_without_a_site_url_the_index_s_urls_are_root_relative() -> None:
    _, index = _index(_small(), None)
    for e in index["downloads"]:
        assert e["url"] == "/" + e["path"]
        assert e["schema"].startswith("/schema/data/")


def test_every_csv_row_validates_against_the_published_csv_schema(any_archive: Archive) -> None:
    text = downloads.statements_csv(any_archive, SITE).removeprefix(downloads.BOM)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    schema = data_schemas.csv_schema()
    jsonschema.validate(rows, schema)
    del rows[0]["permalink"]
    with pytest.raises(jsonschema.ValidationError, match="'permalink' is a required property"):
        jsonschema.validate(rows, schema)


def test_the_new_schemas_are_valid_and_published_with_the_site_s_id() -> None:
    files = data_schemas.schema_files(SITE)
    assert set(files) == set(downloads.schema_files(SITE)) | {
        data_schemas.CSV_SCHEMA,
        data_schemas.INDEX_SCHEMA,
    }
    for name in (data_schemas.CSV_SCHEMA, data_schemas.INDEX_SCHEMA):
        schema = json.loads(files[name])
        assert schema["$id"] == SITE + downloads.SCHEMA_DIR + name
        jsonschema.Draft202012Validator.check_schema(schema)


def test_no_gzip_thread_outlives_the_downloads() -> None:
    # The pages' second process forks only when no other thread runs (generator/worker.py).
    before = threading.active_count()
    made = statement_files.statement_downloads(_spread(30), SITE)
    next(made)
    assert before < threading.active_count() <= before + 2  # the gzip threads, while needed
    list(made)
    assert threading.active_count() == before
