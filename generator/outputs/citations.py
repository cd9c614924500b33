"""How to cite a statement: plain text, BibTeX and CSL-JSON.

Pure: no I/O, no MkDocs. Every function returns the same string for the same archive and
site URL, so pages and downloads do not change between builds. None of them adds an access
date: that is the day the *reader* looked, which a static build cannot know.

The text citation is plain text (not HTML): a template must escape it like any record text.
BibTeX output escapes record text for TeX; CSL-JSON is JSON, its strings escaped as `json.dumps`
escapes them.

`permalink` and `absolute` also serve `feeds.py` and `exports.py`, so every download and
feed points at exactly the URL the statement page is published under.
"""

from __future__ import annotations

import functools
import json
import re
from typing import NamedTuple
from urllib.parse import quote

from generator.pages.models import SITE_NAME as SITE_NAME  # the default site_name
from generator.pages.urls import format_date, statement_url
from generator.records.kinds import csl_type, statement_label
from generator.records.model import Archive, Statement

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


def _pieces(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str
) -> tuple[Statement, list[str], str, str, str]:
    """What every citation format starts from: the statement, its authors' names, its title
    on one line, its permalink and the site's name."""
    names = _actor_names(statement, archive)
    return (
        statement,
        names,
        _one_line(statement.title),
        permalink(site_url, statement.id),
        site_name,
    )


# Pieces that many statements share (a site, an author, a day): worked out once each.
_format_date = functools.lru_cache(maxsize=4096)(format_date)


@functools.lru_cache(maxsize=16)
def _site_sentence(site_name: str) -> str:
    return _sentence(_one_line(site_name))


# --- Plain text -----------------------------------------------------------------------------


def occasion(statement: Statement) -> list[str]:
    """The statement's kind and venue, for a citation, without saying the kind twice: a
    press conference at "press conference after the talks" is "Press conference after the
    talks", not "Press conference, press conference after the talks"."""
    kind = statement_label(statement.kind)
    if not statement.venue:
        return [kind]
    venue = _one_line(statement.venue)
    if venue.casefold().startswith(kind.casefold()):
        return [venue[:1].upper() + venue[1:]]
    return [kind, venue]


def _text(statement: Statement, names: list[str], title: str, link: str, site_name: str) -> str:
    what = occasion(statement)
    if statement.location:
        what.append(_one_line(statement.location))
    what.append(_format_date(statement.date))
    site = _site_sentence(site_name)
    return f"{_sentence(_join_names(names))} “{_sentence(title)}” {', '.join(what)}. {site} {link}"


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
_NOT_KEY_CHAR = re.compile(r"[^a-z0-9-]")
# What `_bibtex_url` leaves as it is: quote's always-safe characters and its `safe` ones.
_BIBTEX_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
_BIBTEX_URL_UNCHANGED = re.compile(r"[A-Za-z0-9:/?#\[\]@!$&'()*+,;=%._~-]*")


def bibtex_escape(text: str) -> str:
    r"""Record text made safe inside a braced BibTeX field.

    One pass, so the `\` of an inserted `\{` is never escaped again. Every brace that comes
    from the record becomes `\{` or `\}`, so the record cannot close the field early or
    unbalance the entry.
    """
    text = _one_line(text)
    if _BIBTEX_RE.search(text) is None:  # most text: a search is a fraction of a sub
        return text
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIALS[m.group(0)], text)


def _bibtex_url(url: str) -> str:
    # URLs go verbatim into `url` (the url package reads them raw), so TeX-escaping them
    # would corrupt them; percent-encoding the few characters that could break the entry
    # keeps the URL equivalent. Most URLs need none, and quote() is slow to say so.
    if _BIBTEX_URL_UNCHANGED.fullmatch(url):
        return url
    return quote(url, safe=_BIBTEX_URL_SAFE)


def bibtex_key(statement: Statement) -> str:
    """A stable citation key: the statement id (a slug, unique and never reused)."""
    return _NOT_KEY_CHAR.sub("-", statement.id.lower()) or "statement"


def _bibtex_author(name: str) -> str:
    return f"{{{bibtex_escape(name)}}}"


_bibtex_note = functools.lru_cache(maxsize=16)(bibtex_escape)


def _bibtex(statement: Statement, names: list[str], title: str, link: str, site_name: str) -> str:
    day = statement.date
    how = occasion(statement)
    if statement.location:
        how.append(statement.location)
    authors = " and ".join([_bibtex_author(n) for n in names]) or "{Unknown}"
    # One f-string rather than a list of fields: the same lines, written for every page.
    return (
        f"@misc{{{bibtex_key(statement)},\n"
        f"  author = {{{authors}}},\n"
        f"  title = {{{{{bibtex_escape(title)}}}}},\n"
        f"  howpublished = {{{bibtex_escape(', '.join(how))}}},\n"
        f"  date = {{{day.isoformat()}}},\n"
        f"  year = {{{day.year}}},\n"
        f"  note = {{{_bibtex_note(site_name)}}},\n"
        f"  url = {{{_bibtex_url(link)}}},\n"
        # A month macro, unbraced, so every style prints the month its own way.
        f"  month = {_MONTH_MACROS[day.month - 1]}\n"
        "}\n"
    )


# --- CSL-JSON -------------------------------------------------------------------------------


# What json.dumps escapes strings with when ensure_ascii=False (the C version if available).
_encode_string = json.encoder.encode_basestring


@functools.lru_cache(maxsize=4096)
def _csl_author(name: str) -> str:
    return f'{{"literal":{_encode_string(name)}}}'


_encode_site_name = functools.lru_cache(maxsize=16)(_encode_string)


def _csl_json(statement: Statement, names: list[str], title: str, link: str, site_name: str) -> str:
    # The CSL-JSON document: an array (what a CSL-JSON file is) of one item, the statement
    # (the format Zotero, Pandoc and citeproc read); authors are `literal` names, as the
    # archive does not record which part is the family name. One field to a line, keys in
    # sorted order, each value as compact JSON (`json.dumps(value, ensure_ascii=False,
    # separators=(",", ":"))`): read like the BibTeX beside it, line by line, with no
    # indentation or nested lines to pay for on every page (tests/test_cite.py holds it
    # equal to that definition for every kind and arbitrary text).
    enc = _encode_string
    day = statement.date
    fields = [
        f'"URL":{enc(link)}',
        f'"author":[{",".join([_csl_author(n) for n in names])}]',
        f'"container-title":{_encode_site_name(site_name)}',
    ]
    if statement.location:
        fields.append(f'"event-place":{enc(_one_line(statement.location))}')
    if statement.venue:
        fields.append(f'"event-title":{enc(_one_line(statement.venue))}')
    fields += [
        f'"genre":{enc(statement_label(statement.kind))}',
        f'"id":{enc(statement.id)}',
        f'"issued":{{"date-parts":[[{day.year},{day.month},{day.day}]]}}',
        f'"title":{enc(title)}',
        f'"type":{enc(csl_type(statement.kind))}',
    ]
    return "[{" + ",\n".join(fields) + "}]\n"


# --- All three ------------------------------------------------------------------------------


class Citations(NamedTuple):
    """A statement's citations: plain text, a BibTeX `@misc` entry, a CSL-JSON document."""

    text: str
    bibtex: str
    csl_json: str


def citations(
    statement: Statement, archive: Archive, site_url: str | None, site_name: str = SITE_NAME
) -> Citations:
    """A statement's citations in the three formats.

    The text reads e.g. `Zhang Hanhui. “Title.” Interview, conversation with RIA Novosti,
    Moscow, 19 December 2023. Briefing Archive. https://…/statements/<id>/` (venue and
    location when recorded; no access date: the reader adds it); it is plain text, to be
    escaped in HTML. The BibTeX entry is keyed by the statement id. Every statement page
    shows all three; the names and the permalink are worked out once.
    """
    pieces = _pieces(statement, archive, site_url, site_name)
    return Citations(_text(*pieces), _bibtex(*pieces), _csl_json(*pieces))
