"""Search engines accept the sitemap at any size: past the protocol's 50,000 URLs it is an
index of parts, each within the limit, listing every page once and in order."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from _site_support import make_project, mkdocs_build

from generator.outputs import sitemaps
from generator.outputs.sitemaps import MAX_URLS, split_sitemap

NS = {"s": sitemaps.NAMESPACE}
SITE = "https://example.test/archive/"


def _mkdocs_sitemap(count: int) -> bytes:
    # As MkDocs' sitemap.xml template writes it: indented, a lastmod for each page.
    entries = "".join(
        f"    <url>\n         <loc>{SITE}statements/s{n:06d}/?a=1&amp;b=2</loc>\n"
        f"         <lastmod>2024-12-28</lastmod>\n    </url>\n"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{sitemaps.NAMESPACE}">\n{entries}</urlset>'
    ).encode()


def _urls(data: bytes) -> list[tuple[str | None, str | None]]:
    root = ET.fromstring(data)
    assert root.tag == f"{{{sitemaps.NAMESPACE}}}urlset"
    return [
        (u.findtext("s:loc", namespaces=NS), u.findtext("s:lastmod", namespaces=NS))
        for u in root.findall("s:url", NS)
    ]


def test_a_sitemap_within_the_limit_is_left_as_mkdocs_wrote_it() -> None:
    assert split_sitemap(_mkdocs_sitemap(MAX_URLS), SITE) == {}


def test_a_larger_sitemap_becomes_an_index_of_parts_with_every_url_once_in_order() -> None:
    original = _mkdocs_sitemap(MAX_URLS * 2 + 1)
    files = split_sitemap(original, SITE)
    assert sorted(files) == ["sitemap.xml", "sitemap.xml.gz", "sitemaps/1.xml",
                             "sitemaps/2.xml", "sitemaps/3.xml"]  # fmt: skip
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{{{sitemaps.NAMESPACE}}}sitemapindex"
    locs = [s.findtext("s:loc", namespaces=NS) for s in index.findall("s:sitemap", NS)]
    assert locs == [f"{SITE}sitemaps/{n}.xml" for n in (1, 2, 3)]
    parts = [_urls(files[f"sitemaps/{n}.xml"]) for n in (1, 2, 3)]
    assert [len(p) for p in parts] == [MAX_URLS, MAX_URLS, 1]
    assert [u for p in parts for u in p] == _urls(original)  # escaping kept: &amp; in, & out
    assert gzip.decompress(files["sitemap.xml.gz"]) == files["sitemap.xml"]
    assert all(len(data) < 50 * 1000**2 for data in files.values())


def test_a_split_sitemap_is_the_same_bytes_every_time() -> None:
    original = _mkdocs_sitemap(MAX_URLS + 5)
    assert split_sitemap(original, SITE) == split_sitemap(original, SITE)


def test_the_build_writes_the_index_and_its_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fixture's few pages stand for a large archive: the limit is lowered to 3 URLs.
    monkeypatch.setattr(sitemaps, "MAX_URLS", 3)
    config = make_project(tmp_path / "project")
    site = tmp_path / "site"
    mkdocs_build(config, site)
    base = "https://example.github.io/briefing-archive/"  # the repository's mkdocs.yml
    pages = {base + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")}
    pages = {page.replace("/./", "/") for page in pages}
    index = ET.fromstring((site / "sitemap.xml").read_bytes())
    parts = [
        loc.removeprefix(base)
        for loc in (s.findtext("s:loc", namespaces=NS) for s in index.findall("s:sitemap", NS))
        if loc
    ]
    assert parts and all((site / p).is_file() for p in parts)
    listed = [loc for p in parts for loc, _ in _urls((site / p).read_bytes())]
    assert all(len(_urls((site / p).read_bytes())) <= 3 for p in parts)
    assert len(listed) == len(set(listed)) and set(listed) == pages  # each page once
    assert (
        gzip.decompress((site / "sitemap.xml.gz").read_bytes())
        == (site / "sitemap.xml").read_bytes()
    )
