"""The Jinja filters of the page templates that need no renderer, and the escaping helpers.

Record text is escaped here or by autoescaping, never trusted: see `render.py` for the
rules. `output_escape` is what autoescaping writes for `{{ value }}` (see `jinja.py`).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from urllib.parse import urlsplit

import markupsafe
from markupsafe import Markup, escape

from generator.pages.urls import format_date, publisher_slug, publisher_url
from generator.records.kinds import ACTOR_KINDS, STATEMENT_KINDS
from generator.records.model import Actor, Name, Role

# markupsafe's own escaper of plain text (what `escape` runs on a str, less the Markup it wraps
# the result in); a markupsafe without it gets the same text through `escape`.
escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (
    lambda text: str(escape(text))
)


# Markup of a plain str: what Markup(text) makes, without its Python-level checks for other
# kinds of value (it is called for every fragment and link).
markup: Callable[[str], Markup] = functools.partial(str.__new__, Markup)


#: The templates' `kind` filter: a statement kind's label, and an actor kind's plural (the
#: heading of its list on the actors page). The two sets of kinds are disjoint (test_kinds.py).
KIND_LABELS: Mapping[str, str] = {
    **{kind: how.label for kind, how in STATEMENT_KINDS.items()},
    **{kind: how.many for kind, how in ACTOR_KINDS.items()},
}

_WEB = ("http", "https")


# A character a URL may not hold as it is (the URL Standard's "URL code points", outside
# `[` `]` in the host and one `#` before the fragment; `%` only when it starts an escape):
# `"`, `<`, `>`, spaces, controls, backslash, caret, backtick, braces, `|`, and so on.
_NOT_IN_URL = re.compile(
    r"%(?![0-9A-Fa-f]{2})"
    "|[^!$-;=?-Z_a-z~\u00a0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010fffd#%\\[\\]]"
)
_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
# What _percent_encode also looks at: brackets anywhere, a second `#`.
_ELSEWHERE = re.compile(r"[\[\]]|#.*#", re.DOTALL)


def _percent_encode(url: str) -> str:
    """`url` with each character a URL may not hold as it is percent-encoded (as UTF-8).

    Valid URLs come back as they are, byte for byte; `[` `]` stay in the host (an IPv6
    address) and are encoded elsewhere, and so is every `#` after the first.
    """
    host = _HOST.match(url)
    split = host.end() if host else 0
    rest, hash_, fragment = url[split:].partition("#")
    rest = rest.replace("[", "%5B").replace("]", "%5D")
    fragment = fragment.replace("[", "%5B").replace("]", "%5D").replace("#", "%23")

    def encode(match: re.Match[str]) -> str:
        return "".join(f"%{byte:02X}" for byte in match[0].encode("utf-8"))

    return _NOT_IN_URL.sub(encode, url[:split] + rest + hash_ + fragment)


def safe_url(url: str | None) -> str | None:
    """`url` fit for an `href`: an http(s) URL, percent-encoded where it must be; else None."""
    # Belt and braces: the validator already refuses other schemes. A URL that starts with
    # the scheme spelled out needs no parsing to say so (urlsplit would agree).
    if url and (url.startswith(("https://", "http://")) or urlsplit(url).scheme in _WEB):
        if _NOT_IN_URL.search(url) is None and not _ELSEWHERE.search(url):
            return url  # nearly every URL: valid as it is
        return _percent_encode(url)
    return None


def paras(text: str | None, css: str = "") -> Markup:
    """Paragraphs of escaped text; a blank line in the record starts a new paragraph."""
    if not text:
        return Markup("")
    # f-strings of escaped pieces rather than Markup.format: same text, a fraction of the
    # time, and every statement page has a few of these.
    attr = f' class="{escape_text(css)}"' if css else ""
    if "\n" not in text:  # one paragraph, as most text is (one scan of it, not two)
        one = " ".join(text.split())
        return markup(f"<p{attr}>{escape_text(one)}</p>" if one else "")
    blocks = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return markup("".join([f"<p{attr}>{escape_text(b)}</p>" for b in blocks if b]))


def one_line(text: str) -> str:
    return " ".join(text.split())


def same(value: Hashable) -> Hashable:
    return value


def role_label(role: Role) -> str:
    label = role.title + (f", {role.organization}" if role.organization else "")
    if role.start or role.end:
        start = _role_bound(role.start, (1, 1), "…")
        end = _role_bound(role.end, (12, 31), "present")
        label += f" ({start} – {end})"
    return label


def _role_bound(day: dt.date | None, year_only: tuple[int, int], missing: str) -> str:
    # Records may give only a year ("from: 2019"), which loads as 1 January (or 31 December
    # for `to`); printing the full date would claim a precision the record does not have.
    if day is None:
        return missing
    # Otherwise as every other date on the pages: "1 March 2020".
    return str(day.year) if (day.month, day.day) == year_only else format_date(day)


def all_names(actor: Actor) -> tuple[Name, ...]:
    """The actor's main name and every recorded script, without repeats."""
    seen = {actor.name}
    names = []
    for name in actor.names:
        if name.name not in seen:
            seen.add(name.name)
            names.append(name)
    return tuple(names)


def roles_label(roles: Iterable[Role]) -> str:
    """Roles as one line of plain text (the template escapes it)."""
    return "; ".join(map(role_label, roles))


def sorted_roles(actor: Actor) -> tuple[Role, ...]:
    return tuple(
        sorted(actor.roles, key=lambda r: (r.start or dt.date.min, r.end or dt.date.max, r.title))
    )


def publisher_href(name: str) -> str | None:
    """The publisher page of an outlet's name, or None when the name has no slug."""
    slug = publisher_slug(name)
    return publisher_url(slug) if slug else None


def output_escape(value: object) -> str:
    """What autoescaping writes for `{{ value }}`: the text of `markupsafe.escape(value)`.

    Text is escaped; Markup (an already escaped fragment) is written as it is; anything else
    goes through `escape` itself (numbers, objects with `__html__`, str subclasses).
    """
    kind = type(value)
    if kind is str:
        return escape_text(value)  # type: ignore[arg-type]  # a str: `kind is str`
    if kind is Markup:
        return value  # type: ignore[return-value]  # a Markup is a str
    return escape(value)


def element_text(text: str) -> Markup:
    """`text` escaped as the text of an element (here `<pre><code>`), not of an attribute.

    Only `&`, `<` and `>` are escaped: in element text a quote is just a character, and
    writing the citations' many `"` as `&#34;` (as autoescaping does) only makes pages
    bigger. `html.escape` escapes every `&` first, so no character reference survives as one,
    and leaves no `<` to open a tag: the text stays text, and an HTML parser reads it back as
    it was (tests/test_cite.py).
    """
    return markup(html.escape(text, quote=False))


# Characters safe unescaped in a YAML double-quoted scalar; anything else becomes a \u escape
# (NEL and the Unicode line/paragraph separators would be folded like newlines).
_NOT_YAML_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


# What json.dumps(text, ensure_ascii=False) returns for a str, without its Python layers.
_json_string: Callable[[str], str] = json.encoder.encode_basestring


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar that loads back unchanged.

    JSON's string syntax is a subset of YAML's double-quoted style; yaml.safe_dump would do
    the same, much more slowly.
    """
    dumped = _json_string(text)
    if _NOT_YAML_PRINTABLE.search(dumped) is None:  # nearly always
        return dumped
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


__all__ = [
    "KIND_LABELS",
    "all_names",
    "element_text",
    "escape_text",
    "markup",
    "one_line",
    "output_escape",
    "paras",
    "publisher_href",
    "role_label",
    "roles_label",
    "safe_url",
    "same",
    "sorted_roles",
    "yaml_string",
]
