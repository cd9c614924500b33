"""An archive's layout: its root, where its records live, where an editor finds a schema.

The root is the folder holding mkdocs.yml; every command that is not told where the archive
is finds it from the folder it runs in (`archive_root`). The schemas ship inside the
package, so an archive made by `briefing init` has no copy of them; its site publishes them
under `schema/` (exports.SCHEMA_DIR). In the tool's own repository the source files are
right there. One rule for `briefing new` (the record's `$schema` line) and `briefing init`
(the editor settings).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

CONFIG_NAME = "mkdocs.yml"
"""The file that marks an archive's root (MkDocs' configuration)."""


def archive_root(start: Path) -> Path | None:
    """The root of the archive `start` is in: the nearest folder holding mkdocs.yml, `start`
    itself or one above it; None if there is none."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


#: The record kinds and the folder (under content/) that holds each, with the glob an
#: editor setting matches their files by.
RECORD_GLOBS: dict[str, str] = {
    "actor": "actors/*.yml",
    "topic": "topics/*.yml",
    "briefing": "briefings/*.yml",
    "statement": "statements/*/*.yml",
}


def schema_link(
    root: Path, kind: str, site_url: str | None, *, start: Path | None = None
) -> str | None:
    """The schema of `kind` for records of the archive rooted at `root` (where mkdocs.yml is).

    A path relative to `start` (default: `root`) when the archive is the tool's own
    repository, else the copy the archive's site publishes, else None (no site_url yet).
    """
    local = root / "generator" / "schemas" / f"{kind}.schema.json"
    if local.is_file():
        return posixpath.relpath(local.as_posix(), (start or root).as_posix())
    if site_url and site_url.startswith(("https://", "http://")):
        return f"{site_url.rstrip('/')}/schema/{kind}.schema.json"
    return None
