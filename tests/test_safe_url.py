"""The `safe_url` filter: an http(s) URL fit for an href, percent-encoded only where it must be.

Record URLs reach `href` attributes through it. A valid URL comes back byte for byte (so the
pages of normal records never change); characters a URL may not hold (`"`, `<`, spaces, ...)
are percent-encoded, which the Nu Html Checker asks of an href (tests/test_html_checker.py).
"""

from __future__ import annotations

import pytest

from generator.pages.filters import _percent_encode, safe_url

VALID = [
    "https://example.org/northland-daily/2023-05-11",
    "https://example.org/search?q=grain+corridor&lang=en;page=2#results",
    "https://ru.wikipedia.org/wiki/Путин_(фамилия)?printable=yes#Носители",
    "https://example.org/a%20b/%E2%80%94?x=%3C",
    "http://[2001:db8::1]:8080/p/?a=1",
    "https://user:pw@example.org/~me/it's!$&*+,=@:.",
]
ENCODED = [
    (
        'https://example.org/q?a="><script>alert(3)</script>',
        "https://example.org/q?a=%22%3E%3Cscript%3Ealert(3)%3C/script%3E",
    ),
    ("https://example.org/a b/c d", "https://example.org/a%20b/c%20d"),
    ("https://example.org/100%/off%zz", "https://example.org/100%25/off%25zz"),
    ("https://example.org/{x}|y^z`\\", "https://example.org/%7Bx%7D%7Cy%5Ez%60%5C"),
    (
        "https://example.org/p[1]?q=[2]#f[3]#g",
        "https://example.org/p%5B1%5D?q=%5B2%5D#f%5B3%5D%23g",
    ),
    ("https://example.org/tab\there", "https://example.org/tab%09here"),
]


@pytest.mark.parametrize("url", VALID)
def test_a_valid_url_comes_back_byte_for_byte(url: str) -> None:
    assert safe_url(url) == url
    assert _percent_encode(url) == url  # the fast path and the rule agree


@pytest.mark.parametrize(("url", "href"), ENCODED)
def test_characters_a_url_may_not_hold_are_percent_encoded(url: str, href: str) -> None:
    assert safe_url(url) == href
    assert safe_url(href) == href  # encoding an encoded URL changes nothing


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>", "ftp://example.org/", "", None]
)
def test_only_web_urls_are_linked(url: str | None) -> None:
    assert safe_url(url) is None
