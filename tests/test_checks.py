"""The shortcut of the address check agrees with the full check it skips.

`checks._url_finding` passes an address of the simplest shape without taking it apart; that
shape must be one `urlsplit` never finds fault with, or a bad address would go unreported.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.records import checks


@settings(max_examples=500, deadline=None)
@given(st.from_regex(checks._SIMPLE_URL, fullmatch=True))
def test_an_address_the_shortcut_passes_passes_the_full_check(url: str) -> None:
    assert checks._urlsplit_finding("url", url) is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[x", "`url` is not a valid address: 'http://[x'"),
        ("https:///path", "`url` has no host name: 'https:///path'"),
        ("https://user@:80/", "`url` has no host name: 'https://user@:80/'"),
    ],
)
def test_an_address_of_another_shape_is_checked_the_full_way(url: str, message: str) -> None:
    assert checks._SIMPLE_URL.fullmatch(url) is None
    finding = checks._url_finding("url", url)
    assert finding is not None and finding[0] == message
