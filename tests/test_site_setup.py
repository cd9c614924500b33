"""An archive's site takes its look from the tool and its words from its own configuration.

The plugin brings the tool's theme overrides itself (an archive copies none of the tool's
files), the home page says what mkdocs.yml says, and a missing or wrong `site_url` is
reported before it breaks feeds and permalinks.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _site_support import make_project
from lxml import html

from generator.cli import main
from generator.mkdocs.config import THEME_DIR, site_url_problem

HOSTILE = 'Ministers <script>alert("x")</script> & {{ 7*7 }}'


def _configure(config: Path, **replace: str) -> None:
    text = config.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")


def _home(page: html.HtmlElement) -> html.HtmlElement:
    found: list[html.HtmlElement] = page.xpath('//div[contains(@class, "ba-home")]')
    return found[0]


def _build(config: Path, site: Path) -> int:
    return main(["build", "-f", str(config), "--site-dir", str(site)])


@pytest.fixture(scope="module")
def own_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with its own name, description and About text, and no theme folder."""
    root = tmp_path_factory.mktemp("own")
    config = make_project(root)
    _configure(
        config,
        **{
            "site_name: Briefing Archive": "site_name: EU Foreign Ministers on Ukraine",
            "site_description: An archive of public statements with verbatim quotes, "
            "paraphrase and sources.": "site_description: What the ministers said, and when.",
            # The repository's own tagline goes, so site_description is the lead.
            "      tagline: >-\n        An archive of public statements: who said what, when "
            "and where, with verbatim\n        quotes kept apart from paraphrase and every "
            "claim tied to its sources.\n": "      about: |\n        Kept by an institute.\n\n"
            f"        {HOSTILE}\n",
        },
    )
    assert not (root / "theme").exists()
    assert _build(config, root / "site") == 0
    return root / "site"


def test_home_heading_lead_and_about_come_from_the_config(own_site: Path) -> None:
    page = html.fromstring((own_site / "index.html").read_bytes())
    home = _home(page)
    assert home.xpath(".//h1")[0].text_content() == "EU Foreign Ministers on Ukraine"
    lead = home.xpath('.//p[@class="ba-lead"]')[0]
    assert lead.text_content() == "What the ministers said, and when."
    about = [p.text_content() for p in home.xpath('.//h2[@id="about"]/following-sibling::p')][:2]
    assert about == ["Kept by an institute.", HOSTILE]
    assert "Briefing Archive" not in home.text_content()
    assert page.findtext(".//title").startswith("EU Foreign Ministers on Ukraine")


def test_about_text_is_never_markup(own_site: Path) -> None:
    page = html.fromstring((own_site / "index.html").read_bytes())
    assert not [s for s in page.iter("script") if "alert" in (s.text or "")]
    assert "{{ 7*7 }}" in _home(page).text_content()


def test_the_tools_assets_style_a_site_without_a_theme_folder(own_site: Path) -> None:
    page = html.fromstring((own_site / "index.html").read_bytes())
    styles = [link.get("href") for link in page.iter("link") if link.get("rel") == "stylesheet"]
    scripts = [script.get("src") for script in page.iter("script") if script.get("src")]
    assert "assets/stylesheets/briefing.css" in styles
    assert "assets/javascripts/briefing.js" in scripts
    for rel in ("assets/stylesheets/briefing.css", "assets/javascripts/briefing.js"):
        assert (own_site / rel).read_bytes() == (THEME_DIR / rel).read_bytes()
    # The tool's main.html (a feed link in every generated page's head) is in use.
    actor = html.fromstring((own_site / "actors" / "li-wei" / "index.html").read_bytes())
    assert actor.xpath('//link[@rel="alternate"][@type="application/atom+xml"]')


def test_an_archives_own_theme_folder_wins(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    (tmp_path / "theme" / "assets" / "stylesheets").mkdir(parents=True)
    (tmp_path / "theme" / "assets" / "stylesheets" / "briefing.css").write_text(
        "/* the archive's own */\n", encoding="utf-8"
    )
    (tmp_path / "theme" / "assets" / "extra.css").write_text("p{}\n", encoding="utf-8")
    _configure(
        config,
        **{"  name: material\n": "  name: material\n  custom_dir: theme\n"},
    )
    config.write_text(
        config.read_text(encoding="utf-8") + "extra_css:\n  - assets/extra.css\n", "utf-8"
    )
    assert _build(config, tmp_path / "site") == 0
    css = (tmp_path / "site" / "assets" / "stylesheets" / "briefing.css").read_text("utf-8")
    assert css == "/* the archive's own */\n"
    page = html.fromstring((tmp_path / "site" / "index.html").read_bytes())
    styles = [link.get("href") for link in page.iter("link") if link.get("rel") == "stylesheet"]
    ours, theirs = styles.index("assets/stylesheets/briefing.css"), styles.index("assets/extra.css")
    assert ours < theirs  # the archive's stylesheet comes last, so it can restyle anything


@pytest.mark.parametrize(
    ("site_url", "repo_url", "says"),
    [
        (None, None, "no `site_url`"),
        ("", "https://github.com/inst/archive", "no `site_url`"),
        ("ftp://example.org/", None, "not an absolute http(s) address"),
        ("https://example.org/?x=1", None, "query or fragment"),
        (
            "https://inst.github.io/",
            "https://github.com/Inst/eu-ukraine",
            "set `site_url: https://inst.github.io/eu-ukraine/`",
        ),
    ],
)
def test_a_site_url_that_breaks_the_site_is_explained(
    site_url: str | None, repo_url: str | None, says: str
) -> None:
    problem = site_url_problem(site_url, repo_url)
    assert problem is not None and says in problem


@pytest.mark.parametrize(
    ("site_url", "repo_url"),
    [
        ("https://inst.github.io/eu-ukraine/", "https://github.com/inst/eu-ukraine"),
        ("https://inst.github.io/", "https://github.com/inst/inst.github.io"),
        ("https://statements.example.org/", "https://github.com/inst/eu-ukraine"),
        ("http://127.0.0.1:8000/", None),
    ],
)
def test_a_working_site_url_passes(site_url: str, repo_url: str | None) -> None:
    assert site_url_problem(site_url, repo_url) is None


def test_without_site_url_mkdocs_warns_and_strict_builds_stop(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        "\n".join(line for line in text.split("\n") if not line.startswith("site_url:")), "utf-8"
    )
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "plain")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert plain.returncode == 0, plain.stderr
    assert "WARNING" in plain.stderr and "no `site_url`" in plain.stderr
    assert "no Atom feeds" in plain.stderr
    strict = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "strict")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert strict.returncode == 1 and "no `site_url`" in strict.stderr
    assert _build(config, tmp_path / "site") == 1  # `briefing build` is the strict one
    assert not (tmp_path / "site").exists()
