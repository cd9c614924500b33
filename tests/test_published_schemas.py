"""A client that validates the site's downloads against the schemas published beside them.

The site is built for real (the mini fixture, the repository's mkdocs.yml), and every
`/data/*.json` is checked with check-jsonschema, a validator nobody here wrote, against the
schema the site publishes for it under `/schema/data/`. Nothing is fetched: each schema is
whole (no `$ref` to another file), and check-jsonschema knows the 2020-12 metaschema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _site_support import make_project
from _tool_support import run_tool, tool

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


def test_every_json_download_validates_against_its_published_schema(
    built: tuple[Path, str],
) -> None:
    site, _ = built
    data = sorted((site / "data").glob("*.json"))
    assert [p.name for p in data] == [
        "actors.json",
        "briefings.json",
        "statements.json",
        "topics.json",
    ]
    for download in data:
        records = json.loads(download.read_text(encoding="utf-8"))
        assert records and all("permalink" in r for r in records)
        schema = site / "schema" / "data" / download.name.replace(".json", ".schema.json")
        code, output = _check(schema, download)
        assert code == 0, f"{download.name}: {output}"


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
