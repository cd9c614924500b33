"""Golden Markdown of every generated page of the mini fixture archive.

Regenerate after an intended change with `BRIEFING_UPDATE_GOLDEN=1 pytest tests/test_site_golden.py`
and read the diff before committing it.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml
from _site_support import GOLDEN, GOLDEN_OPTIONS, HOSTILE_ID

from generator.pages.pipeline import generate
from generator.records.model import Archive


@pytest.fixture(scope="module")
def files(archive: Archive) -> dict[str, str]:
    return generate(archive, GOLDEN_OPTIONS)


def test_generated_pages_match_golden(files: dict[str, str]) -> None:
    if os.environ.get("BRIEFING_UPDATE_GOLDEN") == "1":
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for uri, text in files.items():
            target = GOLDEN / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    golden = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN.rglob("*.md")
    }
    assert sorted(files) == sorted(golden), "the set of generated pages changed"
    for uri, text in files.items():
        assert text == golden[uri], f"{uri} differs from tests/golden/{uri}"


def test_expected_urls_exist(files: dict[str, str]) -> None:
    expected = {
        "index.md",
        "actors/index.md",
        "actors/anna-petrova/index.md",
        "actors/li-wei/page/2/index.md",  # 3 statements, 2 per page
        "dates/index.md",
        "dates/2024/index.md",
        "dates/2024/03/index.md",
        "dates/2024/03/page/2/index.md",  # 3 statements in March 2024, 2 per page
        "dates/2024/03/03/index.md",
        "topics/index.md",
        "topics/river-treaty/index.md",
        "briefings/index.md",
        "briefings/eastland-news-briefing-2024-03-04/index.md",
        f"statements/{HOSTILE_ID}/index.md",
    }
    assert expected <= set(files)


def test_generation_is_deterministic(archive: Archive, files: dict[str, str]) -> None:
    again = generate(archive, GOLDEN_OPTIONS)
    assert list(again) == list(files)
    assert again == files


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, "every generated page starts with front matter"
    return yaml.safe_load(match.group(1)), text[match.end() :]


def test_hostile_record_stays_text(files: dict[str, str]) -> None:
    meta, body = _front_matter(files[f"statements/{HOSTILE_ID}/index.md"])
    # The title is HTML-escaped inside a YAML-safe string; `---` in the summary did not
    # end the front matter, so no `title: hacked` key appeared.
    assert (
        meta["title"]
        == "Petrova on &lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; {{ 7*7 }} tariffs"
    )
    assert set(meta) == {"title", "hide"}
    # The <head> metadata comes first, in an HTML comment that no record text can end early:
    # the one `-->` closes it, and its JSON-LD holds the one `</script`.
    head, end, body = body.partition("\nba-head-->\n")
    assert end and head.lstrip().startswith("<!--ba-head\n") and "-->" not in head
    assert head.count("<script") == head.count("</script") == 1
    assert "<script" not in body and "<img" not in body and "<b>" not in body and "<i>" not in body
    assert "{{ 7*7 }}" in body and "49" not in body  # never rendered as a template
    assert "{% raw %}{{ config }}{% endraw %}" in body
    # The source URL's `"` and `<` are percent-encoded in the href (an href must be a URL).
    assert 'href="https://example.org/q?a=%22%3E%3Cscript%3Ealert(3)%3C/script%3E"' in body
    # The whole body is one raw HTML block, so Markdown never sees `*tariffs*` or `{onclick=`.
    assert body.lstrip().startswith('<div class="ba-page ba-statement">\n')
    assert body.rstrip().endswith("</div>")


def test_listing_pages_are_kept_out_of_search(files: dict[str, str]) -> None:
    for uri, text in files.items():
        meta, _ = _front_matter(text)
        searchable = uri.count("/") == 2 and uri.split("/")[0] in {
            "statements",
            "actors",
            "topics",
            "briefings",
            "publishers",
        }
        assert ("search" not in meta) == searchable, uri
        if not searchable:
            assert meta["search"] == {"exclude": True}
