"""Search with Pagefind: the lean documents, the mode switch, and a real build of the fixture."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from _site_support import FIXTURE_CONTENT, HOSTILE_ID, make_project
from lxml import html

from generator import search
from generator.build import run_build
from generator.model import Archive
from generator.validate import validate_archive

FILTERS = {"actor", "topic", "year", "kind"}


def pagefind_project(root: Path) -> Path:
    """The fixture project with `search: pagefind` (it has 5 statements: auto means Material)."""
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    assert "      search: auto\n" in text, "mkdocs.yml no longer sets the briefing search option"
    config.write_text(text.replace("      search: auto\n", "      search: pagefind\n"), "utf-8")
    return config


@pytest.fixture(scope="module")
def archive() -> Archive:
    result = validate_archive(FIXTURE_CONTENT)
    assert result.archive is not None and not result.errors
    return result.archive


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pagefind-project")
    out = root / "site"
    assert run_build(pagefind_project(root), out) == 0
    return out


# --- pure --------------------------------------------------------------------------------------


def test_resolve_mode() -> None:
    assert search.resolve_mode("material", 10**6) == "material"
    assert search.resolve_mode("pagefind", 0) == "pagefind"
    assert search.resolve_mode("auto", search.AUTO_THRESHOLD) == "material"
    assert search.resolve_mode("auto", search.AUTO_THRESHOLD + 1) == "pagefind"
    with pytest.raises(ValueError):
        search.resolve_mode("lunr", 1)


def test_count_statement_files(tmp_path: Path) -> None:
    assert search.count_statement_files(FIXTURE_CONTENT) == 5
    assert search.count_statement_files(tmp_path) == 0


def test_lean_documents_paths_are_the_permalinks(archive: Archive) -> None:
    docs = search.lean_documents(archive)
    expected = {f"statements/{s}/index.html" for s in archive.statements}
    expected |= {f"actors/{a}/index.html" for a in archive.actors}
    expected |= {f"topics/{t}/index.html" for t in archive.topics}
    expected |= {f"briefings/{b}/index.html" for b in archive.briefings}
    assert set(docs) == expected
    assert list(docs) == sorted(docs)  # deterministic order
    assert search.lean_documents(archive) == docs


def test_lean_document_escapes_hostile_records(archive: Archive) -> None:
    text = search.lean_documents(archive)[f"statements/{HOSTILE_ID}/index.html"]
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
    doc = html.fromstring(text.encode("utf-8"))
    statement = archive.statements[HOSTILE_ID]
    # The hostile title survives as text, in <title> and as the result title.
    assert doc.xpath("string(//title)") == statement.title
    assert doc.xpath("string(//*[@data-pagefind-meta='title'])") == statement.title
    (body,) = doc.xpath("//*[@data-pagefind-body]")
    assert statement.quotes[0].text in body.text_content()
    assert not doc.xpath("//script | //img | //b")


def test_lean_document_content_and_filters(archive: Archive) -> None:
    sid = "anna-petrova-grain-corridor-2023-05-10"
    doc = html.fromstring(search.lean_documents(archive)[f"statements/{sid}/index.html"])
    statement = archive.statements[sid]
    assert doc.get("lang") == "en"
    (body,) = doc.xpath("//*[@data-pagefind-body]")
    assert body.get("data-pagefind-sort") == f"date:{statement.date.isoformat()}"
    content = body.text_content()
    assert statement.summary in content
    for quote in statement.quotes:
        assert quote.text in content and (quote.original or "") in content
    for name in ("Anna Petrova", "Анна Петрова"):  # every recorded script
        assert name in content
    filters = {el.get("data-pagefind-filter") for el in doc.xpath("//*[@data-pagefind-filter]")}
    assert {f.split(":")[0] for f in filters} == FILTERS
    assert f"year:{statement.date.year}" in filters


# --- a real build ------------------------------------------------------------------------------


def _filter_names(bundle: Path) -> set[str]:
    """The filter names of a Pagefind bundle, read from its filter files' headers.

    Each is gzip: `pagefind_dcd`, then CBOR [name, {value: pages}]; a name under 24 bytes is
    one byte 0x60 + length, then the UTF-8 text.
    """
    names = set()
    for path in (bundle / "filter").glob("*.pf_filter"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd\x82")
        length = data[13] - 0x60
        names.add(data[14 : 14 + length].decode("utf-8"))
    return names


def test_build_writes_pagefind_bundle_not_material_index(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["version"] == "1.5.2"
    # One language, so the whole archive is one index whatever script a name is in.
    assert list(entry["languages"]) == ["en"]
    assert entry["languages"]["en"]["page_count"] == 12  # 5 statements, 4 actors, 2 topics, 1
    assert not (site / "search" / "search_index.json").exists()
    assert _filter_names(site / "pagefind") == FILTERS
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"):
        assert (site / "pagefind" / name).is_file()


def test_search_page_and_header(site: Path) -> None:
    page = html.fromstring((site / "search" / "index.html").read_bytes())
    assert page.xpath("//div[@id='ba-search']")
    scripts = [s.get("src") for s in page.xpath("//script[@src]")]
    assert "../pagefind/pagefind-ui.js" in scripts
    assert "new PagefindUI" in page.xpath("string(//article)")
    home = html.fromstring((site / "index.html").read_bytes())
    # Material's header search is gone (its plugin is disabled); the sidebar links the page.
    assert not home.xpath("//*[contains(@class,'md-search')]")
    assert home.xpath("//nav//a[@href='search/']")


def test_material_mode_has_no_search_page(tmp_path: Path) -> None:
    # The fixture's 5 statements are far below the threshold: auto means Material.
    out = tmp_path / "site"
    assert run_build(make_project(tmp_path / "project"), out) == 0
    assert (out / "search" / "search_index.json").is_file()
    assert not (out / "search" / "index.html").exists()
    assert not (out / "pagefind").exists()
    home = html.fromstring((out / "index.html").read_bytes())
    assert home.xpath("//*[contains(@class,'md-search')]")
    assert not home.xpath("//nav//a[@href='search/']")
