"""Issue 5: the published site (a real `briefing build` into tmp of the repository's
mkdocs.yml and docs/ with the mini fixture archive as content/).

Every "edit" link opens a file that exists in the project (a record under content/ for
a generated page), the 404 page and `.nojekyll` are there, and the sitemap lists every page
of the site as an absolute URL under site_url.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml
from _site_support import make_project
from conftest import briefing
from lxml import html

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' own tags (!ENV, !relative); they don't matter here."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's mkdocs.yml and docs/ with the fixture records (small listing pages)."""
    root = tmp_path_factory.mktemp("published") / "project"
    make_project(root)
    return root


@pytest.fixture(scope="module")
def config(project: Path) -> dict[str, object]:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    loaded = yaml.load(text, Loader=_AnyTagLoader)
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    out = project.parent / "site"
    run = briefing("build", "--site-dir", str(out), cwd=project)
    assert run.code == 0, run.err
    return out


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    return pages


def _url_of(site: Path, page: Path) -> str:
    """The site-relative URL of a built page ('' for the home page, 'about/' ...)."""
    rel = page.relative_to(site).as_posix()
    return rel.removesuffix("index.html")


def _docs_page(project: Path, url: str) -> Path | None:
    """The hand-written docs/ page that builds `url`, if there is one."""
    stem = url.rstrip("/") or "index"
    for candidate in (project / "docs" / f"{stem}.md", project / "docs" / stem / "index.md"):
        if candidate.is_file():
            return candidate
    return None


def test_every_edit_link_opens_an_existing_file(
    project: Path, site: Path, config: dict[str, object]
) -> None:
    repo_url = str(config["repo_url"]).rstrip("/")
    edit_uri = str(config.get("edit_uri", "edit/main/")).strip("/")
    prefix = f"{repo_url}/{edit_uri}/"
    checked = 0
    statements = 0
    for page in _pages(site):
        url = _url_of(site, page)
        doc = html.fromstring(page.read_bytes())
        button = doc.xpath("//a[contains(@class,'md-content__button')][contains(@href,'edit')]")
        body = doc.xpath("//article//p[@class='ba-edit']/a")
        hrefs = {a.get("href") for a in button + body}
        if url.startswith("statements/") and url.count("/") == 2:
            # A statement page: the body's "Edit this record" is its one edit link (the lean
            # theme shell, theme/lean.html, has no button repeating it).
            statements += 1
            assert len(button) == 0 and len(body) == 1, url
            assert len(hrefs) == 1, (url, hrefs)
        for href in hrefs:
            assert href.startswith(prefix), (url, href)
            path = unquote(href[len(prefix) :])
            assert ".." not in path.split("/"), (url, href)
            target = project / path
            assert target.is_file(), f"/{url}: edit link to a missing file {path}"
            docs = _docs_page(project, url)
            if docs is not None:
                assert target == docs, (url, path)  # a hand-written page edits its own source
            else:
                # A generated page edits the record it shows.
                assert path.startswith("content/") and path.endswith(".yml"), (url, path)
                record = yaml.safe_load(target.read_text(encoding="utf-8"))
                assert url.rstrip("/").split("/")[1] == record["id"], (url, path)
            checked += 1
    assert statements >= 5 and checked >= statements


def test_404_page_and_nojekyll(site: Path) -> None:
    page = site / "404.html"
    assert page.is_file()
    doc = html.fromstring(page.read_bytes())
    assert "404" in doc.text_content()
    # Served for any missing path, so its assets must not be relative to one folder.
    for ref in doc.xpath("//link[@rel='stylesheet']/@href | //script/@src"):
        assert ref.startswith(("/", "http")), ref
    nojekyll = site / ".nojekyll"
    assert nojekyll.is_file() and not nojekyll.is_symlink()


def test_sitemap_lists_every_page(site: Path, config: dict[str, object]) -> None:
    site_url = str(config["site_url"])
    assert site_url.startswith("https://") and site_url.endswith("/")
    tree = ET.fromstring((site / "sitemap.xml").read_bytes())
    locs = [loc.text or "" for loc in tree.findall("s:url/s:loc", SITEMAP_NS)]
    assert len(locs) == len(set(locs)), "a page is listed twice"
    assert all(loc.startswith(site_url) for loc in locs), locs
    listed = {loc[len(site_url) :] for loc in locs}
    pages = {_url_of(site, p) for p in _pages(site) if p.name != "404.html"}
    # Every page except the 404 page; nothing else (no stale or missing URLs).
    assert sorted(pages - listed) == []
    assert sorted(listed - pages) == []
    for loc in locs:
        assert urljoin(site_url, loc[len(site_url) :]) == loc
