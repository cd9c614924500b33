"""The bundled archive built by Zensical from `briefing generate --project`, in Chromium.

Zensical runs no MkDocs plugin; the project holds every page and the Pagefind bundle
(mkdocs/builder_project.py), and `briefing check-site` confirms the build is complete.
Its Search page then finds a word only one bundled quote holds, and the ambassador and
the president by their names in Cyrillic and Chinese. Skipped when content/ holds another
archive; a missing Zensical fails (`bash scripts/setup.sh test` installs it).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import briefing, needs_bundled_archive
from playwright.sync_api import expect

from .conftest import DESKTOP, ROOT, Archive, _make_page, read_archive, serve_folder

pytestmark = needs_bundled_archive

QUOTE_WORD = "eventful"  # in one quote of the bundled archive (the test checks)
RESULT_LINK = "a.ba-search__link"


@pytest.fixture(scope="module")
def bundled() -> Archive:
    return read_archive(ROOT / "content")


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's archive: generate --project, zensical build, check-site, served."""
    project = tmp_path_factory.mktemp("zensical") / "project"
    run = briefing("generate", "--project", "--out", str(project), cwd=ROOT)
    assert run.code == 0, run.err
    proc = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert proc.returncode == 0, f"zensical build failed:\n{proc.stdout}\n{proc.stderr}"
    check = briefing("check-site", str(project), cwd=ROOT)
    assert check.code == 0, check.err
    with serve_folder(project / "site", "zensical-site-server") as url:
        yield url


@pytest.fixture
def search_page(request: pytest.FixtureRequest, browser: Any, zensical_url: str) -> Iterator[Any]:
    for page in _make_page(request, browser, zensical_url, DESKTOP):
        page.goto("/search/")
        yield page


def _results_for(page: Any, query: str) -> list[str]:
    """Type `query` into the Search page; the result links' paths once they are shown."""
    page.locator("#ba-search-q").fill(query)
    expect(page.locator(".ba-search__status")).to_contain_text(f"for \u201c{query}\u201d")
    expect(page.locator("#ba-search")).to_have_attribute("data-state", "done")
    return [a.get_attribute("href") or "" for a in page.locator(RESULT_LINK).all()]


def test_the_search_page_finds_a_quote_and_opens_its_statement(
    search_page: Any, bundled: Archive, zensical_url: str
) -> None:
    holders = [s for s in bundled.statements if any(QUOTE_WORD in q.lower() for q in s.quotes)]
    assert len(holders) == 1, f"{QUOTE_WORD!r} is in {len(holders)} quotes: the test is out of date"
    hrefs = _results_for(search_page, QUOTE_WORD)
    assert any(holders[0].path in href for href in hrefs), hrefs
    search_page.locator(f'{RESULT_LINK}[href*="{holders[0].path}"]').first.click()
    expect(search_page).to_have_url(zensical_url + holders[0].path)
    expect(search_page.locator("h1")).to_have_text(holders[0].title)
    assert search_page.errors.messages == [], search_page.errors.messages
    # The theme's repository facts (api.github.com), as in the MkDocs build; nothing else.
    assert all(url.startswith("https://api.github.com/") for url in search_page.offsite), (
        search_page.offsite
    )


@pytest.mark.parametrize(
    ("query", "actor_id"),
    [
        pytest.param("Путин", "vladimir-putin", id="cyrillic-putin"),
        pytest.param("Чжан Ханьхуэй", "zhang-hanhui", id="cyrillic-zhang"),
        pytest.param("张汉晖", "zhang-hanhui", id="chinese-zhang"),
    ],
)
def test_the_search_page_finds_an_actor_by_a_name_in_another_script(
    search_page: Any, bundled: Archive, query: str, actor_id: str
) -> None:
    actor = bundled.actors[actor_id]
    assert any(query in name for name, _ in actor.names), f"{query!r} is not {actor_id}'s name"
    wanted = {actor.path} | {s.path for s in bundled.by_actor(actor_id)}
    hrefs = _results_for(search_page, query)
    assert any(path in href for href in hrefs for path in wanted), (query, hrefs)
