"""What `briefing init` accepts as a name and as URLs, and how it writes them into files.

Every value goes into YAML, Markdown or JSON text through one of the functions here, so a
name with quotes, colons, `{{`, `<script>` or a Markdown marker stays the text it is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

NAME_MAX = 120

# A name is one line of text: no controls, line or paragraph separators, nor the
# bidirectional controls that can disguise text (the validator refuses them in records too).
_NAME_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What YAML may not hold raw inside a double-quoted scalar: non-printable characters, and
# the ones PyYAML reads as line breaks (NEL, LS, PS) or as a byte-order mark.
_YAML_RAW_UNSAFE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]"
)
# Characters that start inline Markdown (emphasis, code, links, images, attribute lists,
# headings' closing `#`); each is backslash-escapable in Python-Markdown and CommonMark.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]()#!])")
# RFC 3986 characters only: a URL with spaces, quotes or angle brackets is a typo, and
# would need escaping differently in every file it goes into.
_URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
_GITHUB_SSH = re.compile(r"^git@github\.com:([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")


class InitError(Exception):
    """A problem with what the user asked for, shown as a message without a traceback."""


# --- checking the answers -------------------------------------------------------------------
def check_name(text: str) -> str:
    """The archive's name, trimmed; InitError if it is empty, too long or not one line."""
    name = text.strip()
    if not name:
        raise InitError("the name is empty")
    if len(name) > NAME_MAX:
        raise InitError(f"the name is longer than {NAME_MAX} characters")
    if re.search("[\ud800-\udfff]", name):  # undecodable bytes on the command line
        raise InitError("the name is not valid UTF-8 text")
    if bad := _NAME_FORBIDDEN.search(name):
        raise InitError(
            f"the name contains the control character U+{ord(bad.group()):04X}; "
            "a name is one line of plain text"
        )
    return name


def _check_url(text: str, what: str) -> str:
    url = text.strip()
    if not _URL_CHARS.match(url):
        raise InitError(
            f"{what} {url!r} has characters a URL cannot hold (spaces, quotes, <>, or letters "
            "outside ASCII: write an international domain name in its xn-- form)"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InitError(f"{what} {url!r} is not an absolute http:// or https:// address")
    if parts.query or parts.fragment or "#" in url or "?" in url:
        raise InitError(f"{what} {url!r} has a query or fragment (?…, #…); leave it out")
    if parts.username or parts.password:
        raise InitError(f"{what} {url!r} contains a user name or password; leave it out")
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))


def check_site_url(text: str) -> str:
    """The site's address, ending in `/` as MkDocs' site_url should; InitError if invalid."""
    url = _check_url(text, "the site URL")
    return url if url.endswith("/") else url + "/"


def check_repo_url(text: str) -> str:
    """The repository's web address (a github.com SSH address becomes its https one)."""
    if ssh := _GITHUB_SSH.match(text.strip()):
        text = f"https://github.com/{ssh.group(1)}/{ssh.group(2)}"
    url = _check_url(text, "the repository URL").rstrip("/")
    return url.removesuffix(".git")


def _github_parts(repo_url: str | None) -> tuple[str, str] | None:
    parts = urlsplit(repo_url or "")
    segments = [s for s in parts.path.split("/") if s]
    if (parts.hostname or "") != "github.com" or len(segments) != 2:
        return None
    return segments[0], segments[1]


def pages_url(repo_url: str | None) -> str | None:
    """Where GitHub Pages publishes `repo_url`'s site: https://OWNER.github.io/REPO/, or
    https://OWNER.github.io/ for the OWNER.github.io repository; None off github.com."""
    found = _github_parts(repo_url)
    if found is None:
        return None
    owner, repo = found[0].lower(), found[1]
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


def default_name(folder: Path) -> str:
    """A name from the folder's: `harbour-watch` gives `Harbour watch`."""
    words = re.sub(r"[-_.\s]+", " ", folder.resolve().name).strip()
    return (words[:1].upper() + words[1:]) if words else "Briefing archive"


# --- escaping for each format ---------------------------------------------------------------
def yaml_scalar(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back as exactly `text`.

    A JSON string is a valid YAML double-quoted scalar; characters YAML reads differently
    from JSON (NEL, LS, PS, BOM) or refuses raw are written as \\u escapes.
    """
    dumped = json.dumps(text, ensure_ascii=False)
    return _YAML_RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def markdown_text(text: str) -> str:
    """`text` as Markdown that shows exactly `text`: never HTML, a link or emphasis."""
    out = text.replace("&", "&amp;") if re.search(r"&(#?\w+);", text) else text
    out = _MD_INLINE.sub(r"\\\1", out.replace("<", "&lt;").replace(">", "&gt;"))
    # List markers count only at the start of a line, where the name may stand.
    if out[:1] in ("-", "+"):
        out = "\\" + out
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", out)


def markdown_link(url: str) -> str:
    """An autolink to a URL that check_*_url accepted (no spaces, quotes or `<>`)."""
    if not _URL_CHARS.match(url):
        raise ValueError(f"not a checked URL: {url!r}")
    return f"<{url}>"
