"""What the plugin adds to an archive's MkDocs config, and what it checks there.

An archive made by `briefing init` holds records and a `mkdocs.yml`, never a copy of the
tool's files: the plugin puts the tool's theme overrides (templates, stylesheets, scripts)
into the theme itself, so upgrading the tool upgrades the look too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig

from generator.paths import THEME

#: The tool's Material overrides, shipped inside the package.
THEME_DIR = THEME
#: The tool's own stylesheets and scripts, site-relative, as the theme folder holds them.
STYLESHEETS = ("assets/stylesheets/briefing.css",)
SCRIPTS = ("assets/javascripts/briefing.js",)
#: The lean pages' copy of Material's storage helpers (__md_scope, __md_get, __md_set),
#: which Material writes inline in every page's <head>.
STORAGE_SCRIPT = "assets/javascripts/briefing-storage.js"
#: Theme files that are Jinja templates MkDocs renders once per build (with the site's
#: config) instead of copying: the lean pages' palette script writes the palette form the
#: site's `theme.palette` describes, and their storage script Material's helpers, which each
#: of them would otherwise carry.
STATIC_TEMPLATES = ("assets/javascripts/briefing-palette.js", STORAGE_SCRIPT)


def add_tool_theme(config: MkDocsConfig) -> None:
    """Put the tool's theme overrides under the archive's own and load its assets first.

    The archive's `custom_dir`, when it has one, still wins over the tool's templates, and
    its own `extra_css` comes after the tool's, so an archive can restyle anything.
    """
    theme_dir = str(THEME_DIR)
    dirs = config.theme.dirs
    if theme_dir not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)
    config.theme.static_templates.update(STATIC_TEMPLATES)
    for extra, ours in ((config.extra_css, STYLESHEETS), (config.extra_javascript, SCRIPTS)):
        present = {str(item) for item in extra}
        extra[:0] = [path for path in ours if path not in present]


def site_url_problem(site_url: str | None, repo_url: str | None) -> str | None:
    """Why `site_url` will give a broken site, or None when it looks right.

    Without an absolute http(s) site URL the site has no Atom feeds, and the permalinks in
    citations and downloads are site-relative, which is wrong for a site served under a
    path (a GitHub project page lives at https://OWNER.github.io/REPO/).
    """
    fix = "set `site_url:` in mkdocs.yml to the address the site is published at"
    if not site_url:
        return (
            "mkdocs.yml has no `site_url`: the site will have no Atom feeds, and citations, "
            f"downloads and the sitemap will not have the pages' real addresses; {fix} "
            "(e.g. https://OWNER.github.io/REPO/ for a GitHub project page)"
        )
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            f"site_url {site_url!r} is not an absolute http(s) address, so the site will have "
            f"no Atom feeds and no working permalinks; {fix}"
        )
    if parts.query or parts.fragment:
        return f"site_url {site_url!r} has a query or fragment, which every link would carry; {fix}"
    expected = _github_project_url(repo_url)
    if expected and parts.netloc.lower() == urlsplit(expected).netloc and parts.path in ("", "/"):
        return (
            f"site_url {site_url!r} is a GitHub user site, but repo_url is a project "
            f"repository, whose Pages site is {expected}: permalinks, feeds and citations "
            f"would point at the wrong address; set `site_url: {expected}` (or the custom "
            "domain the site is served at)"
        )
    return None


def _github_project_url(repo_url: str | None) -> str | None:
    """https://OWNER.github.io/REPO/ for a github.com project repository, else None."""
    parts = urlsplit(repo_url or "")
    segments = [s for s in parts.path.split("/") if s]
    if parts.netloc.lower() != "github.com" or len(segments) != 2:
        return None
    owner, repo = segments[0].lower(), segments[1].removesuffix(".git")
    if repo.lower() == f"{owner}.github.io":
        return None  # a user or organisation site, served at the root
    return f"https://{owner}.github.io/{repo}/"
