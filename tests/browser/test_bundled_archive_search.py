"""The bundled archive's site in Chromium: Material's header search finds its quotes and names.

content/ is built with the repository's mkdocs.yml (as `briefing build` does) and searched as
test_reader_path.py searches the fixture archive's site: a word only one bundled quote holds,
and the ambassador's and the president's names in Cyrillic and Chinese. Skipped when content/
holds another archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import needs_bundled_archive

from .conftest import DESKTOP, ROOT, Archive, _make_page, build_site, read_archive, serve_folder
from .test_reader_path import (
    search_finds_a_quote_and_opens_the_permalink,
    search_finds_an_actor_by_a_name_in_another_script,
)

pytestmark = needs_bundled_archive

# A word from a quote that only one statement of the bundled archive holds (the test checks).
QUOTE_WORD = "eventful"


@pytest.fixture(scope="module")
def bundled() -> Archive:
    """The bundled archive's records."""
    return read_archive(ROOT / "content")


@pytest.fixture(scope="module")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's own site (content/) built and served on 127.0.0.1."""
    site: Path = build_site(ROOT, tmp_path_factory.mktemp("bundled-site"))
    with serve_folder(site, "bundled-site-server") as url:
        yield url


@pytest.fixture
def bundled_page(request: pytest.FixtureRequest, browser: Any, bundled_url: str) -> Iterator[Any]:
    """A desktop page on the bundled archive's site."""
    yield from _make_page(request, browser, bundled_url, DESKTOP)


def test_search_finds_a_quote_and_opens_the_permalink(bundled_page: Any, bundled: Archive) -> None:
    """Typing a word from a quote shows its statement; clicking the result opens the permalink."""
    search_finds_a_quote_and_opens_the_permalink(bundled_page, bundled, QUOTE_WORD)


@pytest.mark.parametrize(
    ("query", "actor_id"),
    [
        pytest.param("Чжан Ханьхуэй", "zhang-hanhui", id="cyrillic-zhang"),
        pytest.param("Путин", "vladimir-putin", id="cyrillic-putin"),
        pytest.param("张汉晖", "zhang-hanhui", id="chinese-zhang"),
    ],
)
def test_search_finds_an_actor_by_a_name_in_another_script(
    bundled_page: Any, bundled: Archive, query: str, actor_id: str
) -> None:
    """An actor's Cyrillic or Chinese name in the header search finds them or their statement."""
    search_finds_an_actor_by_a_name_in_another_script(bundled_page, bundled, query, actor_id)
