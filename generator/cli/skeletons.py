"""The record skeletons `briefing new topic` and `briefing new briefing` write, and the
`$schema` line every skeleton starts with.

Pure text, except `schema_line`, which looks for the archive's mkdocs.yml: the line names
the schema the way `layout.schema_link` finds it from the new file's folder.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml

from generator.records.layout import CONFIG_NAME, archive_root, schema_link


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold MkDocs' own tags (`!ENV`, `!relative`, python names)."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, s, node: None)


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, so any text stays text.
    return json.dumps(text, ensure_ascii=False)


def site_url_of(root: Path) -> str | None:
    """`site_url` in the archive's mkdocs.yml, or None (none set, or unreadable)."""
    try:
        with (root / CONFIG_NAME).open(encoding="utf-8") as handle:
            config: Any = yaml.load(handle, Loader=_AnyTagLoader)  # a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    url = config.get("site_url") if isinstance(config, dict) else None
    return url if isinstance(url, str) else None


def schema_line(content: Path, kind: str, folder: Path) -> str:
    """The first line of a new `kind` record in `folder`: where its JSON Schema is for an
    editor (yaml-language-server); "" when there is no copy to name yet."""
    # The archive the content folder is in; without a mkdocs.yml above, the folder's parent.
    above = content.resolve().parent
    root = archive_root(above) or above
    link = schema_link(root, kind, site_url_of(root), start=folder.resolve())
    return f"# yaml-language-server: $schema={link}\n" if link else ""


def topic_text(ident: str, title: str, description: str | None, schema: str) -> str:
    """A topic record: id, title and description (commented out when not given)."""
    described = f"description: {_q(description)}" if description else '# description: "..."'
    return f"""\
{schema}# A topic record. The format: README.md#record-format
id: {ident}
title: {_q(title)}
{described}
"""


def briefing_text(
    ident: str, title: str, publisher: str, published: dt.date, url: str | None, schema: str
) -> str:
    """A briefing record: the required fields, the optional ones commented out."""
    link = f"url: {_q(url)}" if url else "# url: https://..."
    return f"""\
{schema}# A briefing record: a source document that statements are drawn from (statements
# cite it with `briefing: {ident}`). The format: README.md#record-format
id: {ident}
title: {_q(title)}
publisher: {_q(publisher)}  # the outlet, spelled the same way everywhere in the archive
published: {published.isoformat()}  # the date the briefing carries, as given
{link}
# archived_url: https://web.archive.org/...
# language: en  # BCP 47 tag of `text`
# text: >-  # the briefing's own text, where its licence allows
#   ...
# notes: "..."  # editorial notes, e.g. where the briefing's dates disagree
"""
