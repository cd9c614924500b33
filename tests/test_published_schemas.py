"""A client that validates the site's downloads against the schemas published beside them.

The site is built for real (the mini fixture, the repository's mkdocs.yml), and every
`/data/*.json` is checked with check-jsonschema, a validator nobody here wrote, against the
schema the site publishes for it under `/schema/data/`. Nothing is fetched: each schema is
whole (no `$ref` to another file), and check-jsonschema knows the 2020-12 metaschema.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from _site_support import make_project
from _tool_support import run_tool, tool
from test_exports import one_record_per_line

from generator.mkdocs.run import run_build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The built site and its site_url."""
    root = tmp_path_factory.mktemp("project")
    config = make_project(root)
    out = root / "site"
    assert run_build(config, out) == 0
    found = re.search(r"^site_url: (\S+)$", config.read_text(encoding="utf-8"), re.MULTILINE)
    assert found is not None
    return out, found.group(1)


def _check(schema: Path, *instances: Path) -> tuple[int, str]:
    result = run_tool(
        [tool("check-jsonschema"), "--schemafile", str(schema), *map(str, instances)],
        cwd=schema.parent,
    )
    return result.returncode, result.stdout + result.stderr


def _schema_of(site: Path, entry: dict[str, Any], site_url: str) -> Path:
    return site / entry["schema"].removeprefix(site_url)


def test_every_json_download_validates_against_its_published_schema(
    built: tuple[Path, str],
) -> None:
    site, site_url = built
    data = sorted((site / "data").rglob("*.json"))
    assert [p.relative_to(site / "data").as_posix() for p in data] == [
        "actors.json",
        "briefings.json",
        "index.json",
        "statements.json",
        "topics.json",
    ]
    index = json.loads((site / "data" / "index.json").read_text(encoding="utf-8"))
    schemas = {e["path"]: _schema_of(site, e, site_url) for e in index["downloads"]}
    schemas["data/index.json"] = site / "schema" / "data" / "index.schema.json"
    for download in data:
        text = download.read_text(encoding="utf-8")
        records = json.loads(text)
        if download.name != "index.json":
            assert records and all("permalink" in r for r in records)
            assert one_record_per_line(text) == records  # as the site publishes it
        code, output = _check(schemas[download.relative_to(site).as_posix()], download)
        assert code == 0, f"{download.name}: {output}"


def test_every_other_download_validates_once_read_as_a_client_reads_it(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    # Gzipped files decompressed, CSV rows as a CSV reader with a header row gives them.
    site, site_url = built
    index = json.loads((site / "data" / "index.json").read_text(encoding="utf-8"))
    others = [e for e in index["downloads"] if not e["path"].endswith(".json")]
    assert sorted(e["path"] for e in others) == [
        "data/statements.csv",
        "data/statements.csv.gz",
        "data/statements.json.gz",
        "data/statements/2023.csv",
        "data/statements/2023.json.gz",
        "data/statements/2024.csv",
        "data/statements/2024.json.gz",
    ]
    for i, entry in enumerate(others):
        raw = (site / entry["path"]).read_bytes()
        if entry.get("compression") == "gzip":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8-sig")
        if entry["media_type"] == "application/json":
            assert one_record_per_line(text) == json.loads(text)  # as the site publishes it
        else:
            text = json.dumps(list(csv.DictReader(io.StringIO(text, newline=""))))
        instance = tmp_path / f"{i}.json"
        instance.write_text(text, encoding="utf-8")
        code, output = _check(_schema_of(site, entry, site_url), instance)
        assert code == 0, f"{entry['path']}: {output}"
        assert len(json.loads(text)) == entry["records"]


def test_a_download_record_with_a_field_no_schema_names_fails(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    # The check above can fail: the published schema is as strict as the record schema.
    site, _ = built
    records = json.loads((site / "data" / "statements.json").read_text(encoding="utf-8"))
    records[0]["unexpected"] = 1
    bad = tmp_path / "statements.json"
    bad.write_text(json.dumps(records), encoding="utf-8")
    code, output = _check(site / "schema" / "data" / "statements.schema.json", bad)
    assert code != 0
    assert "'unexpected' was unexpected" in output


def test_each_schema_is_valid_and_its_id_is_where_it_is_published(
    built: tuple[Path, str],
) -> None:
    site, site_url = built
    schemas = sorted((site / "schema").rglob("*.schema.json"))
    names = [p.relative_to(site / "schema").as_posix() for p in schemas]
    assert names == [
        "actor.schema.json",
        "briefing.schema.json",
        "data/actors.schema.json",
        "data/briefings.schema.json",
        "data/index.schema.json",
        "data/statements.csv.schema.json",
        "data/statements.schema.json",
        "data/topics.schema.json",
        "statement.schema.json",
        "topic.schema.json",
    ]
    for path, name in zip(schemas, names, strict=True):
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$id"] == site_url + "schema/" + name
    result = run_tool(
        [tool("check-jsonschema"), "--check-metaschema", *map(str, schemas)], cwd=site
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_home_page_links_every_published_schema(built: tuple[Path, str]) -> None:
    site, _ = built
    home = (site / "index.html").read_text(encoding="utf-8")
    for path in (site / "schema").rglob("*.schema.json"):
        assert f'href="./schema/{path.relative_to(site / "schema").as_posix()}"' in home
