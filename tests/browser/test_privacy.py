"""Readers' browsers talk only to the site: every request a page makes, recorded in Chromium.

The page fixture answers any off-site request with an empty stub and notes its URL
(`page.offsite`); here every request is recorded as well, so a request to another host fails
the test whether or not the stub answered it. Material would otherwise ask api.github.com
for the repository's stars and forks on every page (theme/partials/source.html keeps the
link to the repository and drops that).
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Archive, pages_of_each_kind


@pytest.mark.parametrize("kind", ["home", "actor", "day", "statement"])
def test_a_page_requests_nothing_from_another_host(
    page: Any, base_url: str, archive: Archive, kind: str
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(pages_of_each_kind(archive)[kind])
    page.wait_for_load_state("networkidle")
    # Searching loads the index (and the search worker) too: still from the site itself.
    page.keyboard.press("/")
    page.keyboard.type("river")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # facts and fonts are fetched after load, when at all
    assert requested, "the page made no request at all: the recording is broken"
    assert any(url.endswith(".js") for url in requested)
    assert [url for url in requested if not url.startswith(base_url + "/")] == []
    assert page.offsite == []
    if kind == "home":  # generated pages have the lean header, without the repository
        # The repository link is still there, for the reader to follow.
        assert page.locator("a.md-source").first.get_attribute("href", timeout=1000)
