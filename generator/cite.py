"""How to cite a statement: plain text, BibTeX and CSL-JSON.

Pure: no I/O, no MkDocs. Every function returns the same string for the same archive and
site URL, so pages and downloads do not change between builds. None of them adds an access
date: that is the day the *reader* looked, which a static build cannot know.

The text citation is plain text (not HTML): a template must escape it like any record text.
BibTeX output escapes record text for TeX; CSL-JSON is JSON, so `json.dumps` escapes it.

`permalink` and `absolute` also serve `feeds.py` and `exports.py`, so every download and
feed points at exactly the URL the statement page is published under.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from generator.model import STATEMENT_KIND_LABELS, Archive, Statement
from generator.site import format_date, statement_url

#: Default `site_name`, as in mkdocs.yml.
SITE_NAME = "Briefing Archive"

#: What each statement kind is called in a citation: the labels the pages use.
KIND_LABELS: Mapping[str, str] = STATEMENT_KIND_LABELS

#: CSL item type of each statement kind. Oral forms are `speech` (CSL's type for talks and
#: presentations); written statements are `document` (CSL 1.0.2), the closest honest fit.
#: The kind itself also goes into `genre`, so nothing is lost when a style ignores the type.
CSL_TYPES: Mapping[str, str] = {
    "interview": "interview",
    "speech": "speech",
    "press-conference": "speech",
    "briefing": "speech",
    "statement": "document",
    "joint-statement": "document",
    "article": "article",
    "social-media": "post",
    "other": "document",
}

_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun",
                 "jul", "aug", "sep", "oct", "nov", "dec")  # fmt: skip


# --- URLs -----------------------------------------------------------------------------------


def absolute(site_url: str | None, url: str) -> str:
    """`url` (site-relative, no leading slash) under `site_url`.

    Without a site URL the result is root-relative (`/statements/x/`), like the citations
    render.py puts on pages when mkdocs.yml has no `site_url`.
    """
    if not site_url:
        return "/" + url
    return site_url.rstrip("/") + "/" + url


def permalink(site_url: str | None, statement_id: str) -> str:
    """The absolute permalink of a statement: `<site_url>statements/<id>/`."""
    return absolute(site_url, statement_url(statement_id))


# --- Shared pieces --------------------------------------------------------------------------


def _one_line(text: str) -> str:
    # Record text may hold line breaks (folded YAML); a citation is one line.
    return " ".join(text.split())


def _actor_names(statement: Statement, archive: Archive) -> list[str]:
    # An id without a record (the validator reports it) still names someone: keep the id
    # rather than dropping an author.
    return [
        _one_line(archive.actors[a].name) if a in archive.actors else a for a in statement.actors
    ]


def _join_names(names: list[str]) -> str:
    if not names:
        return "Unknown"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _sentence(text: str) -> str:
    """`text` ending in one full stop, not `?.` or `..`."""
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def kind_label(kind: str) -> str:
    """`Joint statement` for `joint-statement`; unknown kinds are shown as given."""
    return KIND_LABELS.get(kind, kind)


# --- Plain text -----------------------------------------------------------------------------


def citation_text(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str = SITE_NAME
) -> str:
    """A plain-text citation, e.g.

    `Zhang Hanhui. “Title.” Interview, conversation with RIA Novosti, Moscow, 19 December
    2023. Briefing Archive. https://…/statements/<id>/`

    Venue and location are included when recorded. No access date: the reader adds it.
    Plain text: escape it before putting it into HTML.
    """
    who = _sentence(_join_names(_actor_names(statement, archive)))
    title = _sentence(_one_line(statement.title))
    what = ", ".join(
        [
            kind_label(statement.kind),
            *(_one_line(x) for x in (statement.venue, statement.location) if x),
            format_date(statement.date),
        ]
    )
    link = permalink(site_url, statement.id)
    return f"{who} “{title}” {what}. {_sentence(_one_line(site_name))} {link}"


# --- BibTeX ---------------------------------------------------------------------------------

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(ch) for ch in _BIBTEX_SPECIALS))


def bibtex_escape(text: str) -> str:
    r"""Record text made safe inside a braced BibTeX field.

    One pass, so the `\` of an inserted `\{` is never escaped again. Every brace that comes
    from the record becomes `\{` or `\}`, so the record cannot close the field early or
    unbalance the entry.
    """
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIALS[m.group(0)], _one_line(text))


def _bibtex_url(url: str) -> str:
    # URLs go verbatim into `url` (the url package reads them raw), so TeX-escaping them
    # would corrupt them; percent-encoding the few characters that could break the entry
    # keeps the URL equivalent.
    return quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")


def bibtex_key(statement: Statement) -> str:
    """A stable citation key: the statement id (a slug, unique and never reused)."""
    return re.sub(r"[^a-z0-9-]", "-", statement.id.lower()) or "statement"


def citation_bibtex(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str = SITE_NAME
) -> str:
    """A BibTeX `@misc` entry keyed by the statement id.

    Authors are braced literals (`{Zhang Hanhui}`) so BibTeX never splits a name into first
    and last parts, which would mangle Chinese names and organisations. The title is double
    braced so styles keep its capitals. `date` serves biblatex, `year`/`month` classic BibTeX.
    """
    day = statement.date
    how = ", ".join(
        [kind_label(statement.kind), *(x for x in (statement.venue, statement.location) if x)]
    )
    authors = " and ".join(f"{{{bibtex_escape(n)}}}" for n in _actor_names(statement, archive))
    fields = [
        ("author", authors or "{Unknown}"),
        ("title", f"{{{bibtex_escape(statement.title)}}}"),
        ("howpublished", bibtex_escape(how)),
        ("date", day.isoformat()),
        ("year", str(day.year)),
        ("note", bibtex_escape(site_name)),
        ("url", _bibtex_url(permalink(site_url, statement.id))),
    ]
    lines = [f"@misc{{{bibtex_key(statement)},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    # A month macro, unbraced, so every style prints the month its own way.
    lines.append(f"  month = {_MONTH_MACROS[day.month - 1]}")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- CSL-JSON -------------------------------------------------------------------------------


def csl_item(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str = SITE_NAME
) -> dict[str, Any]:
    """The statement as one CSL-JSON item (the format Zotero, Pandoc and citeproc read).

    Authors are `literal` names: the archive does not record which part is the family name.
    """
    day = statement.date
    item: dict[str, Any] = {
        "id": statement.id,
        "type": CSL_TYPES.get(statement.kind, "document"),
        "genre": kind_label(statement.kind),
        "title": _one_line(statement.title),
        "author": [{"literal": name} for name in _actor_names(statement, archive)],
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "URL": permalink(site_url, statement.id),
        "container-title": site_name,
    }
    if statement.venue:
        item["event-title"] = _one_line(statement.venue)
    if statement.location:
        item["event-place"] = _one_line(statement.location)
    return item


def citation_csl_json(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str = SITE_NAME
) -> str:
    """A CSL-JSON document: an array holding the one item `csl_item` returns.

    An array because that is what a CSL-JSON file is (Zotero and Pandoc import it as is).
    Sorted keys and a trailing newline keep the download byte-identical across builds.
    """
    item = csl_item(statement, archive, site_url, site_name)
    return dumps_indented([item]) + "\n"


# What json.dumps escapes strings with when ensure_ascii=False (the C version if available).
_encode_string = json.encoder.encode_basestring


def dumps_indented(value: Any, indent: str = "") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)`, the same bytes.

    json.dumps drops to its pure-Python encoder whenever `indent` is given, which made the
    CSL-JSON of every statement page a tenth of the time to render the site. This walks
    the dicts, lists and strings of a CSL item directly; other scalars go to json.dumps.
    """
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__repr__(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        fields = ",\n".join(
            [
                # Strings inline: most values are, and a call per value is most of the cost.
                f"{inner}{_encode_string(key)}: "
                + (_encode_string(item) if type(item) is str else dumps_indented(item, inner))
                for key, item in sorted(value.items())
            ]
        )
        return f"{{\n{fields}\n{indent}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = ",\n".join([inner + dumps_indented(item, inner) for item in value])
        return f"[\n{items}\n{indent}]"
    return json.dumps(value)
