"""The /search/ page of Pagefind mode, and setting MkDocs up for the chosen search.

The page is generated Markdown (no file in docs/); its script,
theme/assets/javascripts/briefing-search.js, searches the shards' bundles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from generator.search.modes import Engine, count_statement_files, resolve_mode

#: The search page (site-relative directory URL, like the URLs in site.py).
SEARCH_URL: Final = "search/"

#: The page's Markdown: front matter, then raw HTML that Python-Markdown passes through (no
#: blank lines inside it, which would end the HTML block). Paths are relative to the page
#: (../pagefind/, ../), so a site served under a path prefix works; the script resolves the
#: result links, which Pagefind stores as site-absolute paths (/statements/<id>/), against
#: `data-site`. theme/assets/javascripts/briefing-search.js does the searching; the form
#: still submits (?q=...) without it, and the <noscript> text says where to browse instead.
SEARCH_PAGE = """\
---
title: Search
hide:
- toc
search:
  exclude: true
---

<div class="ba-page ba-search" id="ba-search" data-bundle="../pagefind/" data-site="../"
  data-state="loading">
<link rel="stylesheet" href="../assets/stylesheets/briefing-search.css">
<form class="ba-search__form" role="search" action="./" method="get">
<div class="ba-search__bar">
<label class="ba-search__label" for="ba-search-q">Search statements, quotes, actors and
topics</label>
<input class="ba-search__input" id="ba-search-q" type="search" name="q" autocomplete="off"
  spellcheck="false" autofocus>
<button class="md-button md-button--primary ba-search__submit" type="submit">Search</button>
</div>
<details class="ba-search__filters">
<summary>Filters: year, kind, topic, actor</summary>
<div class="ba-search__menus">
<label for="ba-search-year">Year</label>
<select id="ba-search-year" name="year"><option value="">Any year</option></select>
<label for="ba-search-kind">Kind</label>
<select id="ba-search-kind" name="kind"><option value="">Any kind</option></select>
<label for="ba-search-topic">Topic</label>
<select id="ba-search-topic" name="topic"><option value="">Any topic</option></select>
<label for="ba-search-actor">Actor</label>
<select id="ba-search-actor" name="actor"><option value="">Any actor</option></select>
</div>
</details>
</form>
<p class="ba-search__status" role="status" aria-live="polite"></p>
<div class="ba-search__results"></div>
<p class="ba-search__buttons">
<button class="md-button ba-search__older" type="button" hidden>Search earlier years</button>
</p>
<noscript><p>Search needs JavaScript. Browse by <a href="../actors/">actor</a>,
<a href="../dates/">date</a> or <a href="../topics/">topic</a> instead.</p></noscript>
</div>

<script src="../assets/javascripts/briefing-search.js"></script>
"""


def search_page_markdown() -> str:
    """The Markdown source of the /search/ page (pagefind mode only)."""
    return SEARCH_PAGE


#: Material's search plugin, as MkDocs names it in config.plugins (`- search` in mkdocs.yml).
MATERIAL_SEARCH = "material/search"
#: The sidebar entry of the search page.
NAV_TITLE = "Search"


def configure_search(config: MkDocsConfig, mode: str, content_dir: Path) -> Engine:
    """Decide the search engine (plugin option `search`) and set MkDocs up for it.

    For Pagefind, Material's search plugin is disabled for this build: it would otherwise
    write its single search_index.json, and Material's header hides its search box when the
    plugin is disabled. The search page joins the sidebar.
    """
    engine = resolve_mode(mode, count_statement_files(content_dir))
    if engine != "pagefind":
        return engine
    material = config.plugins.get(MATERIAL_SEARCH)
    if material is not None:
        # Runs after Material's own on_config (it is listed first), whose setup is harmless;
        # every later hook of that plugin checks `enabled` first.
        material.config.enabled = False
    nav = config.nav
    page = SEARCH_URL + "index.md"
    if isinstance(nav, list) and not any(
        isinstance(item, dict) and page in item.values() for item in nav
    ):
        nav.append({NAV_TITLE: page})
    return engine


def search_page_files(config: MkDocsConfig, engine: Engine) -> dict[str, File]:
    """The generated /search/ page in Pagefind mode; nothing for Material (no such page).

    With Material the search is the header's box, and search/ holds its index only, so
    /search/ is a 404 rather than a second, different search.
    """
    if engine != "pagefind":
        return {}
    uri = SEARCH_URL + "index.md"
    return {uri: File.generated(config, uri, content=search_page_markdown())}


__all__ = [
    "MATERIAL_SEARCH",
    "SEARCH_URL",
    "configure_search",
    "search_page_files",
    "search_page_markdown",
]
