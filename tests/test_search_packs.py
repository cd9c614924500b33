"""Search results read from packs: a few Pagefind fragments per file, not one file per page.

Uses the real Pagefind build of tests/test_search_pagefind.py (three shards).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from _site_support import FIXTURE_CONTENT
from test_search_pagefind import SMALL_SHARDS, site  # noqa: F401  (the module's fixture)

from generator.records.model import Archive
from generator.search import packs
from generator.search import shards as search_shards


def test_a_shard_knows_how_many_documents_it_indexes(archive: Archive) -> None:
    # The pack count the search page is told derives from this figure: it must be the
    # number of documents actually written for the shard.
    for size in (1, SMALL_SHARDS, None):
        for shard in search_shards.plan_shards(archive, size):
            assert shard.documents == len(search_shards.shard_documents(shard, archive))


def test_packs_hold_a_few_documents_each_and_a_fragment_id_names_its_pack() -> None:
    assert packs.pack_count(0) == packs.pack_count(1) == 1
    assert packs.pack_count(packs.PACK_SIZE) == 1
    assert packs.pack_count(packs.PACK_SIZE + 1) == 2
    assert packs.pack_count(12_000, 8) == 1_500
    # The hex part after the language, modulo the count (what the search page computes).
    assert packs.pack_of("en_72cf5b3", 1500) == 0x72CF5B3 % 1500
    assert packs.pack_of("en_000000a", 4) == 2
    assert packs.pack_of("pt-br_ff", 16) == 15


def test_every_result_is_found_in_the_pack_its_id_names(site: Path) -> None:  # noqa: F811
    bundle = site / "pagefind"
    manifest = json.loads((bundle / "shards.json").read_text("utf-8"))
    urls = []
    for shard in manifest["shards"]:
        folder = bundle / shard["path"]
        # Pagefind's one file per page is gone; packs replace it.
        assert not (folder / packs.FRAGMENT_DIR).exists()
        files = sorted((folder / packs.PACK_DIR).glob(f"*{packs.PACK_SUFFIX}"))
        assert files and len(files) <= shard["packs"]
        for path in files:
            for fragment_id, fragment in packs.read_pack(path).items():
                assert path.stem == str(packs.pack_of(fragment_id, shard["packs"]))
                assert {"url", "content", "meta", "filters"} <= set(fragment)
                urls.append(fragment["url"])
        entry = json.loads((folder / "pagefind-entry.json").read_text("utf-8"))
        # Every page Pagefind indexed is in a pack, once.
        count = sum(len(packs.read_pack(p)) for p in files)
        assert count == entry["languages"]["en"]["page_count"]
    assert len(urls) == len(set(urls))
    assert any(url.startswith("/statements/") for url in urls)


def test_packing_keeps_each_fragment_as_pagefind_wrote_it(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / packs.FRAGMENT_DIR).mkdir(parents=True)
    written = {}
    for n, hex_part in enumerate(("0000001", "0000002", "0000003")):
        fragment = {"url": f"/statements/s{n}/", "content": f"Text {n} ü", "meta": {}}
        written[f"en_{hex_part}"] = fragment
        data = b"pagefind_dcd" + json.dumps(fragment).encode("utf-8")
        (bundle / packs.FRAGMENT_DIR / f"en_{hex_part}.pf_fragment").write_bytes(
            gzip.compress(data)
        )
    packs.pack_fragments(bundle, 2)
    assert not (bundle / packs.FRAGMENT_DIR).exists()
    odd = packs.read_pack(bundle / packs.PACK_DIR / f"1{packs.PACK_SUFFIX}")
    even = packs.read_pack(bundle / packs.PACK_DIR / f"0{packs.PACK_SUFFIX}")
    assert odd == {k: written[k] for k in ("en_0000001", "en_0000003")}
    assert even == {"en_0000002": written["en_0000002"]}
    (bundle / packs.FRAGMENT_DIR).mkdir()
    (bundle / packs.FRAGMENT_DIR / "en_1.pf_fragment").write_bytes(gzip.compress(b"{}"))
    with pytest.raises(ValueError, match="no Pagefind signature"):
        packs.pack_fragments(bundle, 2)


def test_a_bundle_that_cannot_be_packed_fails_the_index_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.records.validate import validate_archive
    from generator.search import indexer

    archive = validate_archive(FIXTURE_CONTENT).archive
    assert archive is not None

    def broken_pagefind(source: Path, output: Path) -> None:
        (output / packs.FRAGMENT_DIR).mkdir(parents=True)
        (output / packs.FRAGMENT_DIR / "en_1.pf_fragment").write_bytes(gzip.compress(b"{}"))

    monkeypatch.setattr(indexer, "run_pagefind", broken_pagefind)
    with pytest.raises(indexer.SearchIndexError, match=r"en_1\.pf_fragment: no Pagefind signature"):
        indexer.index_shards(archive, tmp_path / "work", size=1, jobs=1)
