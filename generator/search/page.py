"""The /search/ page of Pagefind mode.

The page is generated Markdown (no file in docs/; mkdocs/search_setup.py hands it to
MkDocs); its script, theme/assets/javascripts/briefing-search.js, searches the shards'
bundles.
"""

from __future__ import annotations

from typing import Final

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


__all__ = ["SEARCH_URL", "search_page_markdown"]
