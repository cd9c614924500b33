"""Setting MkDocs up for the chosen search, and the Pagefind search page as a MkDocs file.

The search itself (search/) knows nothing of MkDocs: which engine a build uses, the lean
documents, the index and the page's Markdown are plain Python. This is where they meet
MkDocs' config, Material's search plugin and the sidebar.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from generator.search.folding import add_folded_forms
from generator.search.modes import Engine, count_statement_files, resolve_mode
from generator.search.page import SEARCH_URL, search_page_markdown

#: Material's search plugin, as MkDocs names it in config.plugins (`- search` in mkdocs.yml).
MATERIAL_SEARCH = "material/search"
#: The sidebar entry of the search page.
NAV_TITLE = "Search"
#: Folds the reader's query for Material's search as its index is folded (search/folding.py).
FOLD_SCRIPT = "assets/javascripts/briefing-search-fold.js"
#: Where Material's search plugin writes its index, in site_dir.
MATERIAL_INDEX = Path("search") / "search_index.json"


def configure_search(config: MkDocsConfig, mode: str, content_dir: Path) -> Engine:
    """Decide the search engine (plugin option `search`) and set MkDocs up for it.

    For Material's search, every page loads the script that folds the reader's query the way
    fold_material_index folds the index.

    For Pagefind, Material's search plugin is disabled for this build: it would otherwise
    write its single search_index.json, and Material's header hides its search box when the
    plugin is disabled. The search page joins the sidebar.
    """
    engine = resolve_mode(mode, count_statement_files(content_dir))
    if engine != "pagefind":
        if FOLD_SCRIPT not in {str(item) for item in config.extra_javascript}:
            config.extra_javascript.append(FOLD_SCRIPT)
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


def fold_material_index(config: MkDocsConfig) -> None:
    """Add the folded forms of its words to the index Material's search plugin has written.

    Runs after that plugin's post_build (the briefing plugin's comes later, see plugin.py);
    written as Material writes it, so the same pages give the same bytes.
    """
    path = Path(config.site_dir) / MATERIAL_INDEX
    if not path.is_file():
        return
    index = add_folded_forms(json.loads(path.read_text(encoding="utf-8")))
    path.write_bytes(json.dumps(index, separators=(",", ":")).encode("utf-8"))


__all__ = [
    "FOLD_SCRIPT",
    "MATERIAL_INDEX",
    "MATERIAL_SEARCH",
    "NAV_TITLE",
    "configure_search",
    "fold_material_index",
    "search_page_files",
]
