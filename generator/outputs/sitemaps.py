"""A sitemap search engines accept at any size: split into parts under an index when large.

The sitemaps protocol (https://www.sitemaps.org/protocol.html) allows at most 50,000 URLs and
50 MB in one sitemap file; search engines ignore a larger one whole. MkDocs writes one
`sitemap.xml` with every page, which a 100,000-statement archive passes twice over. So when
it holds more than `MAX_URLS`, it becomes a sitemap index that lists `sitemaps/<n>.xml`, each
with up to `MAX_URLS` of the same `<url>` entries in the same order, and `sitemap.xml.gz`
becomes the index gzipped. A sitemap within the limit is left as MkDocs wrote it.

Pure: bytes in, bytes out; the MkDocs session writes them (mkdocs/session.py).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from generator.outputs.statement_files import gzipped

#: The protocol's limit of URLs per sitemap file.
MAX_URLS = 50_000
#: The namespace of sitemaps and sitemap indexes.
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: Where the parts of a split sitemap go (site-relative), numbered from 1.
PARTS_DIR = "sitemaps/"

_URL = f"{{{NAMESPACE}}}url"
_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n'.encode()


def _entries(sitemap: bytes) -> Iterator[ET.Element]:
    # Each <url> element as it is parsed, then dropped from the tree: memory stays small.
    for _, element in ET.iterparse(io.BytesIO(sitemap), events=("end",)):
        if element.tag == _URL:
            yield element
            element.clear()


def _line(entry: ET.Element) -> bytes:
    # One <url> per line, its children in their order, the namespace declared once above.
    parts = []
    for child in entry:
        tag = child.tag.removeprefix(f"{{{NAMESPACE}}}")
        parts.append(f"<{tag}>{_text(child.text or '')}</{tag}>")
    return f"<url>{''.join(parts)}</url>\n".encode()


def _text(text: str) -> str:
    return text.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_sitemap(sitemap: bytes, site_url: str) -> dict[str, bytes]:
    """The files that replace `sitemap` (MkDocs' sitemap.xml) when it lists more than
    `MAX_URLS` URLs, keyed by site-relative path: the index `sitemap.xml`, its gzipped copy
    `sitemap.xml.gz`, and the parts. Nothing (an empty dict) when it is within the limit.

    `site_url` (absolute, ending in "/") is where the parts are published: an index must
    give their full addresses.
    """
    parts: list[list[bytes]] = [[]]
    for entry in _entries(sitemap):
        if len(parts[-1]) == MAX_URLS:
            parts.append([])
        parts[-1].append(_line(entry))
    if len(parts) == 1:
        return {}
    files = {
        f"{PARTS_DIR}{n}.xml": b"".join([_HEAD, *lines, b"</urlset>\n"])
        for n, lines in enumerate(parts, start=1)
    }
    index = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n',
        *(f"<sitemap><loc>{_text(site_url + path)}</loc></sitemap>\n" for path in files),
        "</sitemapindex>\n",
    ]
    data = "".join(index).encode()
    return {"sitemap.xml": data, "sitemap.xml.gz": gzipped([data]), **files}


__all__ = ["MAX_URLS", "NAMESPACE", "PARTS_DIR", "split_sitemap"]
