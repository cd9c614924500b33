"""Search with Pagefind: the lean documents, the shards, the mode switch, and a real build.

The real build uses shards of at most 2 statements (`shards.SHARD_SIZE` patched), so the
fixture's five statements make three shards: 2024-03-03 (two statements, with the briefing
and the actor and topic pages), 2024-03-01, and 2023.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import shutil
import threading
from pathlib import Path
from typing import Any, cast

import cbor2
import pytest
from _site_support import FIXTURE_CONTENT, HOSTILE_ID, make_project
from conftest import needs_fork
from lxml import html

from generator import worker
from generator.mkdocs.run import run_build
from generator.records import find
from generator.records.model import Archive
from generator.search import bundle_order, documents, indexer, modes
from generator.search import shards as search_shards

FILTERS = {"actor", "topic", "year", "kind"}
SMALL_SHARDS = 2
NEWEST, MIDDLE, OLDEST = "20240303-20240303", "20240301-20240301", "20230510-20231102"


def pagefind_project(root: Path) -> Path:
    """The fixture project with `search: pagefind` (it has 5 statements: auto means Material)."""
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    assert "      search: auto\n" in text, "mkdocs.yml no longer sets the briefing search option"
    config.write_text(text.replace("      search: auto\n", "      search: pagefind\n"), "utf-8")
    return config


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pagefind-project")
    out = root / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_shards, "SHARD_SIZE", SMALL_SHARDS)
        assert run_build(pagefind_project(root), out) == 0
    return out


# --- pure --------------------------------------------------------------------------------------


def test_auto_search_is_material_up_to_the_threshold_and_pagefind_above() -> None:
    assert modes.resolve_mode("material", 10**6) == "material"
    assert modes.resolve_mode("pagefind", 0) == "pagefind"
    assert modes.resolve_mode("auto", modes.AUTO_THRESHOLD) == "material"
    assert modes.resolve_mode("auto", modes.AUTO_THRESHOLD + 1) == "pagefind"
    with pytest.raises(ValueError):
        modes.resolve_mode("lunr", 1)


def test_auto_search_counts_the_statement_files_of_the_archive(tmp_path: Path) -> None:
    assert modes.count_statement_files(FIXTURE_CONTENT) == 5
    assert modes.count_statement_files(tmp_path) == 0


def test_auto_search_counts_exactly_the_records_validation_finds(tmp_path: Path) -> None:
    # The count decides the engine before validation; it must follow discovery's rule, not
    # a look-alike: only regular, visible .yml files in statements/<yyyy>/.
    content = tmp_path / "content"
    year = content / "statements" / "2024"
    year.mkdir(parents=True)
    for name in ("a.yml", "b.yml", ".hidden.yml", "c.yaml", "notes.txt"):
        (year / name).write_text("id: x\n", encoding="utf-8")
    (year / "link.yml").symlink_to(year / "a.yml")
    (year / "folder.yml").mkdir()
    (year / "folder.yml" / "d.yml").write_text("id: x\n", encoding="utf-8")
    (year / ".drafts").mkdir()
    (year / ".drafts" / "e.yml").write_text("id: x\n", encoding="utf-8")
    for other in ("statements/misc", "statements/2023/deeper", "statements", "actors"):
        (content / other).mkdir(parents=True, exist_ok=True)
        (content / other / "f.yml").write_text("id: x\n", encoding="utf-8")
    (content / "statements" / "2025").symlink_to(year)

    found = [f for f in find.discover(content, []) if f.kind == "statement"]
    assert sum(len(f.names) for f in found) == 2  # a.yml and b.yml
    assert modes.count_statement_files(content) == 2


def test_search_indexes_each_permalink_page_once_in_a_stable_order(archive: Archive) -> None:
    docs = documents.lean_documents(archive)
    expected = {f"statements/{s}/index.html" for s in archive.statements}
    expected |= {f"actors/{a}/index.html" for a in archive.actors}
    expected |= {f"topics/{t}/index.html" for t in archive.topics}
    expected |= {f"briefings/{b}/index.html" for b in archive.briefings}
    assert set(docs) == expected
    assert list(docs) == sorted(docs)  # deterministic order
    assert documents.lean_documents(archive) == docs


def test_hostile_record_text_reaches_the_search_index_as_text(archive: Archive) -> None:
    text = documents.lean_documents(archive)[f"statements/{HOSTILE_ID}/index.html"]
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


def test_a_statement_is_found_by_its_text_and_every_name_and_has_four_filters(
    archive: Archive,
) -> None:
    sid = "anna-petrova-grain-corridor-2023-05-10"
    doc = html.fromstring(documents.lean_documents(archive)[f"statements/{sid}/index.html"])
    statement = archive.statements[sid]
    assert doc.get("lang") == "en"
    (body,) = doc.xpath("//*[@data-pagefind-body]")
    assert body.get("data-pagefind-meta") == f"date:{statement.date.isoformat()}"
    # No sort: the page ranks by relevance, and a sort costs metadata bytes on every query.
    assert body.get("data-pagefind-sort") is None
    content = body.text_content()
    assert statement.summary in content
    for quote in statement.quotes:
        assert quote.text in content and (quote.original or "") in content
    for name in ("Anna Petrova", "Анна Петрова"):  # every recorded script
        assert name in content
    filters = {el.get("data-pagefind-filter") for el in doc.xpath("//*[@data-pagefind-filter]")}
    assert {f.split(":")[0] for f in filters} == FILTERS
    assert f"year:{statement.date.year}" in filters


# --- shards ------------------------------------------------------------------------------------


def test_a_small_archive_is_searched_as_one_index(archive: Archive) -> None:
    (shard,) = search_shards.plan_shards(archive)
    assert shard.label == "2023–2024" and shard.years == (2024, 2023)
    assert set(shard.statements) == set(archive.statements) and shard.pages
    assert set(search_shards.shard_documents(shard, archive)) == set(
        documents.lean_documents(archive)
    )


def test_search_indexes_run_newest_first_and_hold_each_page_once(archive: Archive) -> None:
    shards = search_shards.plan_shards(archive, SMALL_SHARDS)
    assert [s.key for s in shards] == [NEWEST, MIDDLE, OLDEST]
    # 2024 holds three statements: more than a shard, so it is cut by date, newest run
    # first; 2023's two fit one shard, named by the year.
    assert [s.label for s in shards] == ["3 March 2024", "1 March 2024", "2023"]
    assert [len(s.statements) for s in shards] == [2, 1, 2]
    assert [s.years for s in shards] == [(2024,), (2024,), (2023,)]
    # Undated pages and the 2024-03-04 briefing go with the newest shard.
    assert [s.pages for s in shards] == [True, False, False]
    assert shards[0].briefings == ("eastland-news-briefing-2024-03-04",)
    seen: list[str] = []
    for shard in shards:
        seen += search_shards.shard_documents(shard, archive)
    assert sorted(seen) == sorted(documents.lean_documents(archive))  # each exactly once
    assert search_shards.plan_shards(archive, SMALL_SHARDS) == shards  # deterministic


def test_a_search_index_holds_whole_years_while_they_fit(archive: Archive) -> None:
    # 2024 (3) + 2023 (2) fit 5: one shard; at 4 the years are apart, each whole.
    assert [s.label for s in search_shards.plan_shards(archive, 5)] == ["2023–2024"]
    assert [s.label for s in search_shards.plan_shards(archive, 4)] == ["2024", "2023"]
    # One statement a shard: the two of 2024-03-03 still get distinct folders.
    keys = [s.key for s in search_shards.plan_shards(archive, 1)]
    assert len(keys) == len(set(keys)) == 5


def test_a_briefing_is_searched_with_the_statements_of_its_date(archive: Archive) -> None:
    (bid,) = archive.briefings
    for day, key in (("2025-01-03", NEWEST), ("2023-06-01", OLDEST), ("2020-01-01", OLDEST)):
        moved = dataclasses.replace(archive.briefings[bid], published=dt.date.fromisoformat(day))
        changed = dataclasses.replace(archive, briefings={bid: moved})
        shards = {s.key: s for s in search_shards.plan_shards(changed, SMALL_SHARDS)}
        assert shards[key].briefings == (bid,)
        # The year filter picks shards by their years: the briefing's year is among them.
        assert moved.published.year in shards[key].years


def test_the_search_page_is_told_each_index_s_dates_and_every_filter_value(
    archive: Archive,
) -> None:
    manifest = search_shards.shard_manifest(search_shards.plan_shards(archive, SMALL_SHARDS))
    shards = manifest["shards"]
    assert isinstance(shards, list)
    assert [s["path"] for s in shards] == [f"{NEWEST}/", f"{MIDDLE}/", f"{OLDEST}/"]
    assert shards[2] == {
        "path": f"{OLDEST}/",
        "label": "2023",
        "first": "2023-05-10",
        "last": "2023-11-02",
        "years": ["2023"],
        "statements": 2,
        "packs": 1,  # its two documents' fragments in one file
    }
    values = search_shards.filter_values(archive)
    assert values == {
        "year": ["2024", "2023"],
        "kind": ["Interview", "Joint statement", "Press conference", "Statement"],
        "topic": ["River treaty", "Trade talks"],
        "actor": ["Anna Petrova", "Eastland", "Li Wei", "Northland"],
    }
    # Each value is spelled as in the lean documents' filter elements.
    spelled: dict[str, set[str]] = {name: set() for name in FILTERS}
    for text in documents.lean_documents(archive).values():
        for el in html.fromstring(text).xpath("//*[@data-pagefind-filter]"):
            name, _, inline = el.get("data-pagefind-filter").partition(":")
            spelled[name].add(inline or el.text_content())
    assert {name: set(v) for name, v in values.items()} == spelled


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


def test_a_pagefind_build_writes_an_index_per_period_and_no_material_index(site: Path) -> None:
    bundle = site / "pagefind"
    manifest = json.loads((bundle / "shards.json").read_text("utf-8"))
    assert [s["path"] for s in manifest["shards"]] == [f"{NEWEST}/", f"{MIDDLE}/", f"{OLDEST}/"]
    pages = {}
    for key in (NEWEST, MIDDLE, OLDEST):
        entry = json.loads((bundle / key / "pagefind-entry.json").read_text("utf-8"))
        assert entry["version"] == "1.5.2"
        # One language, so a shard is one index whatever script a name is in.
        assert list(entry["languages"]) == ["en"]
        pages[key] = entry["languages"]["en"]["page_count"]
        for name in ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"):
            assert (bundle / key / name).is_file()
        # Pagefind's own UIs are not used by the search page: removed.
        assert not list((bundle / key).glob("pagefind-*ui*"))
    # 2 statements + 4 actors + 2 topics + 1 briefing; 1 statement; 2 statements.
    assert pages == {NEWEST: 9, MIDDLE: 1, OLDEST: 2}
    assert _filter_names(bundle / NEWEST) == FILTERS
    assert _filter_names(bundle / OLDEST) == FILTERS
    filters = json.loads((bundle / "filters.json").read_text("utf-8"))
    assert set(filters) == FILTERS and "Anna Petrova" in filters["actor"]
    assert not (site / "search" / "search_index.json").exists()


def test_filter_files_are_sorted_and_named_by_content(site: Path) -> None:
    bundle = site / "pagefind" / NEWEST
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    meta: Any = bundle_order.read_pf(
        bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    )
    assert [name for name, _ in meta[3]] == sorted(FILTERS)
    for _, chunk in meta[3]:
        name, values = cast(Any, bundle_order.read_pf(bundle / "filter" / f"{chunk}.pf_filter"))
        assert name in FILTERS and [v[0] for v in values] == sorted(v[0] for v in values)


def test_at_most_jobs_indexes_are_made_at_once_and_a_stop_is_obeyed(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running: list[str] = []
    most = 0
    lock = threading.Lock()

    def fake_pagefind(source: Path, output: Path) -> None:
        nonlocal most
        with lock:
            running.append(output.name)
            most = max(most, len(running))
        assert any(source.rglob("index.html"))
        output.mkdir(parents=True)
        with lock:
            running.remove(output.name)

    # Pagefind itself is replaced: how many run at once shows only inside the runs.
    monkeypatch.setattr(indexer, "run_pagefind", fake_pagefind)
    shards, indexed = indexer.index_shards(archive, tmp_path / "a", size=1, jobs=2)
    assert len(shards) == 5 and indexed == len(documents.lean_documents(archive))
    assert 1 <= most <= 2  # never more than `jobs` at a time
    assert sorted(p.name for p in (tmp_path / "a" / "bundle").iterdir()) == sorted(
        s.key for s in shards
    )
    assert not list((tmp_path / "a" / "documents").iterdir())  # removed once indexed
    stop = threading.Event()
    stop.set()
    indexer.index_shards(archive, tmp_path / "b", size=1, stop=stop)
    assert not (tmp_path / "b" / "bundle").exists()


@needs_fork
def test_indexing_in_a_child_process_or_a_thread_gives_the_same_index(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A child where the build can fork (started at once), a thread where it cannot
    # (started by `beside`, after the pages' fork): the same files, byte for byte.
    monkeypatch.setattr(worker, "_can_fork", lambda: True)
    apart = indexer.EarlyIndex(archive)
    assert apart.child is not None
    stats = apart.finish(tmp_path / "apart")
    monkeypatch.setattr(worker, "_can_fork", lambda: False)
    threaded = indexer.EarlyIndex(archive)
    assert threaded.child is None
    threaded.beside()
    assert threaded.finish(tmp_path / "thread").documents == stats.documents > 0

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    assert files(tmp_path / "apart") == files(tmp_path / "thread")
    assert (tmp_path / "apart" / indexer.BUNDLE_DIR / search_shards.MANIFEST).is_file()


@needs_fork
def test_indexing_that_fails_in_its_child_fails_the_build_with_pagefind_s_reason(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(source: Path, output: Path) -> None:
        raise indexer.SearchIndexError("briefing: Pagefind failed (exit status 2) indexing x")

    monkeypatch.setattr(worker, "_can_fork", lambda: True)
    monkeypatch.setattr(indexer, "run_pagefind", failing)  # the child is a copy of this one
    early = indexer.EarlyIndex(archive)
    assert early.child is not None
    with pytest.raises(indexer.SearchIndexError, match=r"exit status 2\) indexing x"):
        early.finish(tmp_path / "site")
    assert not early.folder.exists()  # the temporary folder is removed all the same


def test_pages_to_index_are_written_to_memory_when_the_machine_has_some(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whether a machine has a memory-backed folder is the machine's: pointed at one, then none.
    monkeypatch.setattr(indexer, "SHM", tmp_path)
    folder = indexer.scratch_folder()
    assert folder is not None and folder.parent == tmp_path and folder.is_dir()
    monkeypatch.setattr(indexer, "SHM", tmp_path / "missing")
    assert indexer.scratch_folder() is None  # then under the work folder


def test_build_is_deterministic(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_shards, "SHARD_SIZE", SMALL_SHARDS)
        assert run_build(pagefind_project(tmp_path / "project"), out) == 0

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    # Pagefind writes filters in hash-map order, different in every run; pagefind.py
    # rewrites them (and the metadata naming them) sorted, so every file is identical.
    first, second = files(site / "pagefind"), files(out / "pagefind")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.endswith(".pf_filter") for name in first)


@pytest.fixture(scope="module")
def raw_bundle(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle exactly as Pagefind writes it: the fixture's one shard, not normalised."""
    work = tmp_path_factory.mktemp("pagefind-raw")
    (shard,) = search_shards.plan_shards(archive)
    indexer.write_documents(search_shards.shard_documents(shard, archive), work / "documents")
    indexer.run_pagefind(work / "documents", work / "bundle")
    return work / "bundle"


def _payloads(bundle: Path) -> dict[str, bytes]:
    """The CBOR after the signature in each filter, metadata and index file of `bundle`."""
    found = {}
    for pattern in ("filter/*.pf_filter", "*.pf_meta", "index/*.pf_index"):
        for path in sorted(bundle.glob(pattern)):
            data = gzip.decompress(path.read_bytes())
            assert data.startswith(b"pagefind_dcd"), path.name
            found[path.relative_to(bundle).as_posix()] = data[len(b"pagefind_dcd") :]
    return found


def test_sorting_a_bundle_changes_only_the_order_not_the_encoding(raw_bundle: Path) -> None:
    """The canonical files are cbor2's encoding: it must be the one Pagefind uses, or sorting
    would change more than the order."""
    payloads = _payloads(raw_bundle)
    assert {name.rsplit(".", 1)[1] for name in payloads} == {"pf_filter", "pf_meta", "pf_index"}
    for name, payload in payloads.items():
        value = bundle_order.read_pf(raw_bundle / name)  # of the kinds the rewrite expects
        assert cbor2.loads(payload) == value, name
        assert cbor2.dumps(value) == payload, name
        assert gzip.decompress(bundle_order.pf_bytes(value)) == b"pagefind_dcd" + payload, name


def test_bundles_are_byte_identical_to_those_of_earlier_versions() -> None:
    """Before cbor2, a codec of its own wrote these bytes (shortest heads for every width of
    integer, text length and array length): bundles made before and after are the same."""
    value = [
        "kind",
        [
            ["", [0, 23, 24, 255, 256, 65535, 65536, 2**32 - 1, 2**32]],
            ["x" * 23, []],
            ["ü" * 12, list(range(24))],
        ],
    ]
    before = bytes.fromhex(
        "82646b696e64838260890017181818ff19010019ffff1a000100001affffffff1b0000000100000000"
        "8277787878787878787878787878787878787878787878787880"
        "827818c3bcc3bcc3bcc3bcc3bcc3bcc3bcc3bcc3bcc3bcc3bcc3bc"
        "9818000102030405060708090a0b0c0d0e0f1011121314151617"
    )
    assert gzip.decompress(bundle_order.pf_bytes(value)) == b"pagefind_dcd" + before


def test_files_in_another_shape_are_left_as_pagefind_wrote_them(
    raw_bundle: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(raw_bundle, bundle)
    (first, *_) = sorted((bundle / "filter").glob("*.pf_filter"))
    # A map and a boolean: CBOR that cbor2 reads, but no filter file Pagefind writes.
    first.write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(["kind", {"a": True}])))
    before = {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    with pytest.raises(ValueError, match="other than arrays"):
        bundle_order.read_pf(first)
    bundle_order.normalise(bundle)
    assert {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == before


def test_an_index_that_cannot_be_installed_fails_the_build_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = pagefind_project(tmp_path / "project")
    stray = tmp_path / "project" / "docs" / "pagefind" / "notes.txt"
    stray.parent.mkdir()
    stray.write_text("not a bundle\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_shards, "SHARD_SIZE", SMALL_SHARDS)
        assert run_build(config, tmp_path / "site") == 1
    # MkDocs reports the plugin's error as its own (a line, no traceback) and aborts.
    err = capsys.readouterr().err
    assert "pagefind already exists and is not a Pagefind bundle" in err
    assert "Remove docs/pagefind" in err and "error: Aborted" in err
    assert "Traceback" not in err
    assert not (tmp_path / "site").exists()  # a failed build puts nothing in place


def test_search_page_and_header(site: Path) -> None:
    page = html.fromstring((site / "search" / "index.html").read_bytes())
    (root,) = page.xpath("//div[@id='ba-search']")
    assert root.get("data-bundle") == "../pagefind/" and root.get("data-site") == "../"
    scripts = [s.get("src") for s in page.xpath("//script[@src]")]
    assert "../assets/javascripts/briefing-search.js" in scripts
    assert (site / "assets" / "javascripts" / "briefing-search.js").is_file()
    assert (site / "assets" / "stylesheets" / "briefing-search.css").is_file()
    # Every control has a label; the filter menus hold only "Any ..." until opened.
    for control in root.xpath(".//input | .//select"):
        assert root.xpath(f".//label[@for='{control.get('id')}']")
    names = [s.get("name") for s in root.xpath(".//select")]
    assert names == ["year", "kind", "topic", "actor"]
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
