"""`briefing check-site`: did the builder turn every file of the project into the site?

A builder may skip what it does not support and still report success: Zensical ignores
MkDocs plugins and exits 0 with "No issues found". After building a project written by
`briefing generate --project` (mkdocs/builder_project.py), this compares the site with
the project and fails loudly, listing every problem at once:

- every page of docs/ (`x.md`, `x/index.md`) has its `x/index.html`, and a generated page's
  raw HTML body (`<div class="ba-page …">`) reached it, not escaped or dropped;
- every other file of docs/ (feeds, downloads, schemas, the search bundle) and of
  overrides/assets/ is in the site with the same bytes;
- the theme overrides were applied: a page whose front matter names a feed advertises it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from generator.mkdocs.builder_project import DOCS, OVERRIDES, SITE

#: What every generated page's body starts with (pages/templates), in source and output.
GENERATED_BODY = '<div class="ba-page'
#: The Atom link the tool's main.html adds to a page with a feed.
FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml"[^>]*>')
_FRONT_FEED = re.compile(r"^---\n(?:.*\n)*?feed:\n(?:.*\n)*?---\n")


@dataclass
class Report:
    """What the check found: counts, and the problems (empty when the site is complete)."""

    pages: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def page_output(rel: str) -> str:
    """The site path of the page whose source is docs/`rel` (use_directory_urls)."""
    stem = rel.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index") + "index.html"
    return stem + "/index.html"


def _files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def check_site(project: Path, site: Path | None = None) -> Report:
    """Compare the built site (default: project/site) with the project's docs/ and overrides/."""
    site = site or project / SITE
    docs = project / DOCS
    report = Report()
    if not docs.is_dir():
        report.problems.append(
            f"{docs}: no docs/ folder; is {project} made by `generate --project`?"
        )
        return report
    if not site.is_dir():
        report.problems.append(f"{site}: no site was built there")
        return report
    for rel in _files(docs):
        source = docs / rel
        if rel.endswith(".md"):
            report.pages += 1
            out = site / page_output(rel)
            if not out.is_file():
                report.problems.append(f"{out}: missing; the page of {DOCS}/{rel} was not built")
                continue
            text, html = source.read_text("utf-8"), out.read_text("utf-8", errors="replace")
            if GENERATED_BODY in text and GENERATED_BODY not in html:
                report.problems.append(
                    f"{out}: the generated page's HTML body did not reach it (raw HTML dropped "
                    "or escaped: the builder needs Markdown's raw HTML and md_in_html)"
                )
            if _FRONT_FEED.match(text) and not FEED_LINK.search(html):
                report.problems.append(
                    f"{out}: no Atom feed link in its <head>: the theme overrides in "
                    f"{OVERRIDES}/ were not applied (theme.custom_dir)"
                )
        else:
            report.files += 1
            _same(source, site / rel, report)
    assets = project / OVERRIDES
    for rel in _files(assets):
        if rel.startswith("assets/"):
            report.files += 1
            _same(assets / rel, site / rel, report)
    return report


def _same(source: Path, out: Path, report: Report) -> None:
    if not out.is_file():
        report.problems.append(f"{out}: missing; {source} was not copied into the site")
    elif out.read_bytes() != source.read_bytes():
        report.problems.append(f"{out}: differs from {source}")


def run_check_site(project: Path, site: Path | None = None) -> int:
    """Print the check's result; 0 when the site is complete, 1 when anything is missing."""
    report = check_site(project, site)
    for problem in report.problems:
        print(f"error: {problem}", file=sys.stderr)
    if report.problems:
        print(
            f"the site is incomplete: {len(report.problems)} problem(s) in {report.pages} pages "
            f"and {report.files} files checked",
            file=sys.stderr,
        )
        return 1
    print(f"site complete: {report.pages} pages and {report.files} files, as the project lists")
    return 0


__all__ = ["Report", "check_site", "page_output", "run_check_site"]
