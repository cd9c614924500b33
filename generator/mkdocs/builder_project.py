"""`briefing generate --project`: a project any MkDocs-compatible builder can build alone.

A builder that does not run the `briefing` plugin (Zensical reads mkdocs.yml but runs no
MkDocs plugin, and says nothing about it) still builds the archive from this folder:

    mkdocs.yml   the archive's config less the plugin: docs_dir docs, custom_dir overrides,
                 the tool's stylesheet and script first in extra_css / extra_javascript,
                 the Search page in the nav
    docs/        the hand-written pages, every generated page, the Atom feeds, data
                 downloads and JSON Schemas, and the Pagefind search bundle (pagefind/)
    overrides/   the tool's theme overrides, under the archive's own custom_dir

The search is the one a `search: pagefind` build has: Pagefind indexes the lean documents
made from the records (search/documents.py) and the /search/ page searches the bundle, so
the index does not depend on the builder; the builder copies it like any static file.
`briefing check-site` (cli/site_check.py) then checks what the builder made.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

from generator.mkdocs.config import SCRIPTS, STATIC_TEMPLATES, STYLESHEETS, THEME_DIR
from generator.mkdocs.search_setup import NAV_TITLE
from generator.mkdocs.shells import lift_head
from generator.pages.filters import yaml_string
from generator.pages.render import split_page
from generator.records.model import Archive
from generator.search.indexer import index_shards, install_bundles
from generator.search.page import SEARCH_URL, search_page_markdown
from generator.search.shards import BUNDLE_DIR

#: The project's folders, relative to its root (what check-site expects too).
DOCS = "docs"
OVERRIDES = "overrides"
SITE = "site"
CONFIG = "mkdocs.yml"
PLUGIN = "briefing"  # the plugin's entry point name (pyproject.toml)
#: What the project's mkdocs.yml starts with.
HEADER = (
    "# Written by `briefing generate --project` from the archive's mkdocs.yml, without the\n"
    "# briefing plugin: every page is already in docs/. Rewritten on every run; edit the\n"
    "# archive's mkdocs.yml instead. Build with any MkDocs-compatible builder, then check\n"
    "# the result with `briefing check-site` (see the README).\n"
)


class ProjectError(Exception):
    """The archive's files cannot be made into a project (a clash, an unreadable config)."""


def _tree(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file under `folder` by its POSIX relative path; dotfiles and folders skipped
    (MkDocs and Zensical leave them out of a site too)."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = Path(root).relative_to(folder).as_posix()
        prefix = "" if rel == "." else rel + "/"
        for name in sorted(names):
            if not name.startswith("."):
                yield prefix + name, Path(root) / name


def _without_plugin(plugins: Any) -> list[Any]:
    entries = list(plugins.items()) if isinstance(plugins, dict) else list(plugins or ())
    kept = []
    for entry in entries:
        name = entry[0] if isinstance(entry, tuple) else entry
        if isinstance(entry, dict):
            name = next(iter(entry), None)
        if name != PLUGIN:
            kept.append({entry[0]: entry[1]} if isinstance(entry, tuple) else entry)
    return kept


def project_config(raw: dict[str, Any]) -> str:
    """The project's mkdocs.yml made from the archive's (as read, tags resolved)."""
    out = {k: v for k, v in raw.items() if k not in ("docs_dir", "site_dir", "plugins")}
    out["docs_dir"] = DOCS
    out["site_dir"] = SITE
    plugins = _without_plugin(raw.get("plugins"))
    if plugins:
        out["plugins"] = plugins
    theme = raw.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme["custom_dir"] = OVERRIDES
    out["theme"] = theme
    for key, ours in (("extra_css", STYLESHEETS), ("extra_javascript", SCRIPTS)):
        theirs = [str(item) for item in raw.get(key) or ()]
        out[key] = [path for path in ours if path not in theirs] + theirs
    # The generated pages' edit links open their YAML records in the body; the theme's edit
    # button would open docs/<page>.md, which exists only in this project: no button.
    out["edit_uri"] = ""
    nav = raw.get("nav")
    page = SEARCH_URL + "index.md"
    if isinstance(nav, list) and not any(
        isinstance(item, dict) and page in item.values() for item in nav
    ):
        out["nav"] = [*nav, {NAV_TITLE: page}]
    return HEADER + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)


def search_bundle(archive: Archive) -> dict[str, bytes]:
    """The Pagefind bundle of `archive` (what a pagefind build puts in site/pagefind/)."""
    with tempfile.TemporaryDirectory(prefix="briefing-project-") as tmp:
        work, bundle = Path(tmp) / "work", Path(tmp) / BUNDLE_DIR
        shards, _ = index_shards(archive, work)
        install_bundles(work, bundle, shards, archive)
        return {f"{BUNDLE_DIR}/{rel}": path.read_bytes() for rel, path in _tree(bundle)}


def _head_in_front_matter(markdown: bytes) -> bytes:
    # A statement page's <head> tags travel in its body for the plugin to lift out
    # (shells.lift_head); a builder without the plugin reads them from the front matter,
    # which theme/main.html prints, and the body is what the plugin's build shows.
    try:
        front, rest = split_page(markdown)
    except ValueError:
        return markdown
    description, head, body = lift_head(rest.decode())
    if description is None and head is None:
        return markdown
    meta = front[4:-4]  # between the opening `---` line and the closing one
    if description is not None:
        meta += f"description: {yaml_string(description)}\n"
    if head is not None:
        meta += f"head: {yaml_string(head)}\n"
    return f"---\n{meta}---\n{body}".encode()


def project_files(
    config_path: Path,
    config: MkDocsConfig,
    archive: Archive,
    data: dict[str, bytes],
    pages: dict[str, bytes],
) -> dict[str, bytes]:
    """Every file of the project by its path relative to the project's root.

    `data` are the feeds, data downloads and JSON Schemas (files.data_items), `pages` the
    generated pages (src_uri -> Markdown bytes). ProjectError when a hand-written file in
    docs_dir has the path of a generated one, or mkdocs.yml cannot be read as a mapping.
    """
    with open(config_path, "rb") as handle:
        raw = yaml_load(handle)
    if not isinstance(raw, dict):
        raise ProjectError(f"{config_path} is not a mapping of settings")
    docs = {uri: _head_in_front_matter(page) for uri, page in pages.items()}
    docs[SEARCH_URL + "index.md"] = search_page_markdown().encode()
    docs.update(data)
    docs.update(search_bundle(archive))
    docs_dir = Path(config.docs_dir)
    for rel, path in _tree(docs_dir):
        if rel in docs:
            raise ProjectError(
                f"{docs_dir / rel} has the path of a generated file; rename or remove it"
            )
        docs[rel] = path.read_bytes()
    files = {f"{DOCS}/{rel}": data for rel, data in docs.items()}
    theme_dirs = [THEME_DIR]
    if config.theme.custom_dir:  # the archive's own overrides win over the tool's
        theme_dirs.append(Path(config.theme.custom_dir))
    for folder in theme_dirs:
        files.update(
            {
                f"{OVERRIDES}/{rel}": path.read_bytes()
                for rel, path in _tree(folder)
                # The plugin's templates for its lean pages, which a builder without it
                # neither renders nor uses: copied as they are, they would be raw Jinja.
                if folder != THEME_DIR or rel not in STATIC_TEMPLATES
            }
        )
    files[CONFIG] = project_config(raw).encode("utf-8")
    return files


__all__ = ["CONFIG", "DOCS", "OVERRIDES", "SITE", "ProjectError", "project_files"]
