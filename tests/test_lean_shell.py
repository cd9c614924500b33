"""The lean theme shell (theme/lean.html) of the generated pages, and the full theme elsewhere.

An archive has its statements and listings by the hundred thousand, so what the theme repeats
on each of them decides whether the site fits a host (GitHub Pages: 1 GB). Each generated page
outside the nav gets lean.html: Material's CSS, scripts and header bar, without the chrome a
reader of one statement does not need; the hand-written pages and the section pages keep
Material's full template. tests/test_shell.py proves the filled lean pages equal rendered ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from lxml import html as lxml_html

from generator.mkdocs import lean_templates
from generator.mkdocs.config import THEME_DIR
from generator.mkdocs.run import run_build
from tests._site_support import make_project

MATERIAL = Path(__import__("material").__file__).parent / "templates"
LEAN_CSS = "assets/stylesheets/briefing-lean.css"
PALETTE_JS = "assets/javascripts/briefing-palette.js"
STATEMENT = "statements/anna-petrova-grain-corridor-2023-05-10/index.html"
#: The chrome of a generated statement page: everything but its body and its own metadata,
#: in bytes, with the repository's mkdocs.yml and Pagefind search (what an archive past 2,000
#: statements has). Material's full template put about 13 KB of chrome around a 4-5 KB
#: statement, which makes a 100,000-statement site too big for GitHub Pages (at most 1 GB,
#: so 10 KB a statement for everything). The lean shell's chrome is about 4.0 KB: 0.5 KB of
#: <head> (stylesheets, the script tag of Material's storage helpers, which it would otherwise
#: carry inline, tests/test_lean_storage.py), 0.9 KB of header bar (the palette toggle
#: an empty form and a script, which writes its inputs and labels: once per site, not 0.8 KB
#: on every page), 1.1 KB of drawer, the rest Material's skeleton, config and scripts. The
#: budget leaves room for a longer site name or a nav entry more, and fails when a whole
#: part comes back: the palette form's markup (0.8 KB), the search dialog (about 2 KB),
#: Material's indentation (0.6 KB), inline icons (0.3-0.8 KB each), the table of contents
#: sidebar or the repository block, the span.md-ellipsis of each title, the empty
#: skip/announce containers with the tabs script.
CHROME_BUDGET = 4_600


def _pagefind_project(root: Path) -> Path:
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    assert "      search: auto\n" in text, "mkdocs.yml no longer sets the briefing search option"
    config.write_text(text.replace("      search: auto\n", "      search: pagefind\n"), "utf-8")
    return config


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lean-pagefind")
    assert run_build(_pagefind_project(root), root / "site") == 0
    return root / "site"


@pytest.fixture(scope="module")
def material_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lean-material")
    assert run_build(make_project(root), root / "site") == 0
    return root / "site"


#: The page's own metadata in its <head>: what it says about itself, not theme chrome.
_METADATA = re.compile(
    r'<title>.*?</title>|<meta [^>]*>|<link rel="(canonical|alternate)"[^>]*>'
    r'|<script type="application/ld\+json">.*?</script>',
    re.S,
)


@pytest.fixture(scope="module")
def indented_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Pagefind site with the lean template's parents served as they are (indented)."""
    root = tmp_path_factory.mktemp("lean-indented")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lean_templates, "compact", lambda source: source)
        assert run_build(_pagefind_project(root), root / "site") == 0
    return root / "site"


def _body_and_chrome(page: str) -> tuple[str, str]:
    """The generated body (the `ba-page` block) and the chrome: everything else of a lean
    page but its own metadata (title, description, canonical and feed links, citation tags)."""
    start = page.index('<div class="ba-page')
    end = page.rindex("</article>")
    return page[start:end], _METADATA.sub("", page[:start] + page[end:])


def _nav_targets() -> list[str]:
    """The site-relative URLs of the top-level entries of the repository's mkdocs.yml nav."""
    config = yaml.safe_load(Path("mkdocs.yml").read_text(encoding="utf-8"))
    targets = []
    for entry in config["nav"]:
        (target,) = entry.values()
        targets.append("" if target == "index.md" else target.removesuffix("index.md"))
    return [t.removesuffix(".md") + "/" if t.endswith(".md") else t for t in targets]


def test_statement_page_chrome_within_budget(pagefind_site: Path) -> None:
    page = (pagefind_site / STATEMENT).read_text(encoding="utf-8")
    body, chrome = _body_and_chrome(page)
    assert "Petrova" in body
    size = len(chrome.encode("utf-8"))
    assert size <= CHROME_BUDGET, f"the lean chrome is {size} bytes, over {CHROME_BUDGET}"


@pytest.mark.parametrize(
    "path",
    [
        STATEMENT,
        "actors/anna-petrova/index.html",
        "topics/trade-talks/index.html",
        "dates/2024/03/03/index.html",
    ],
)
def test_generated_pages_have_the_lean_shell(pagefind_site: Path, path: str) -> None:
    page = (pagefind_site / path).read_text(encoding="utf-8")
    assert LEAN_CSS in page
    assert "<svg" not in page.split('<div class="ba-page', 1)[0], "an inline icon in the chrome"
    assert "md-sidebar--secondary" not in page  # no empty table of contents
    assert 'data-md-component="source"' not in page  # no repository block (nor its API call)
    assert 'rel="edit"' not in page  # the body's own edit link is enough


@pytest.mark.parametrize("path", ["about/index.html", "index.html", "actors/index.html"])
def test_hand_written_and_section_pages_keep_the_full_theme(pagefind_site: Path, path: str) -> None:
    page = (pagefind_site / path).read_text(encoding="utf-8")
    assert LEAN_CSS not in page
    assert "<svg" in page  # Material's inline icons
    assert "md-sidebar--secondary" in page
    assert 'class="md-source"' in page  # the repository block of the full header


def test_lean_page_keeps_skip_link_landmarks_and_the_way_around(pagefind_site: Path) -> None:
    tree = lxml_html.fromstring((pagefind_site / STATEMENT).read_bytes())
    (skip,) = tree.xpath('//a[contains(@class, "md-skip")]')
    assert skip.get("href") == "#ba-content"
    (target,) = tree.xpath('//*[@id="ba-content"]')
    assert target.xpath(".//article//h1"), "the skip link does not lead to the page's heading"
    assert len(tree.xpath("//h1")) == 1
    for landmark in ("header", "main", "footer"):
        assert len(tree.xpath(f"//{landmark}")) == 1, landmark
    (drawer,) = tree.xpath('//nav[contains(@class, "md-nav--primary")]')
    links = [a.get("href") for a in drawer.xpath(".//li/a")]
    # statements/<id>/ is two levels down: the nav's URLs relative to it.
    assert links == ["../.."] + [f"../../{t}" for t in _nav_targets()[1:]] + ["../../search/"]
    # Icon links, named by their title (the tooltip too).
    (search,) = tree.xpath('//header//a[@title="Search"]')
    assert search.get("href") == "../../search/" and not search.text_content()
    (home,) = tree.xpath('//header//a[contains(@class, "md-logo")]')
    assert home.get("href") == "../.." and home.get("title") == "Briefing Archive"
    # The palette form is there, empty, for the script right after it to fill in.
    (form,) = tree.xpath('//header//form[@data-md-component="palette"]')
    assert len(form) == 0 and not (form.text or "").strip()
    (script,) = form.xpath("following-sibling::*[1]")
    assert script.tag == "script" and script.get("src") == f"../../{PALETTE_JS}"


def test_lean_page_with_material_search_keeps_materials_search_box(material_site: Path) -> None:
    page = (material_site / STATEMENT).read_text(encoding="utf-8")
    assert LEAN_CSS in page
    assert 'data-md-component="search"' in page
    # ... and the config its search script reads: the worker and the result texts.
    assert '"search.result.none"' in page and "workers/search" in page


def test_lean_page_without_material_search_has_a_short_config(pagefind_site: Path) -> None:
    page = (pagefind_site / STATEMENT).read_text(encoding="utf-8")
    (config,) = re.findall(r'<script id="__config" type="application/json">(.*?)</script>', page)
    assert '"clipboard.copy"' in config  # the citations' copy buttons
    assert "search.result" not in config and "workers/search" not in config


def test_lean_page_leaves_out_what_nothing_on_it_uses(pagefind_site: Path) -> None:
    """No empty skip-link or announcement container (Material fills them from a table of
    contents and an `announce` block, which a generated page has not), no script for content
    tabs (it has none), no component hooks only instant navigation looks for (it is off)."""
    page = (pagefind_site / STATEMENT).read_text(encoding="utf-8")
    for hook in ("skip", "announce", "logo", "header-topic"):
        assert f'data-md-component="{hook}"' not in page, hook
    assert "__tabbed_" not in page and "tabbed-set" not in page
    assert 'data-md-component="header-title"' in page  # the title swap on scrolling stays
    assert 'data-md-component="dialog"' in page  # "Copied to clipboard" shows in it


def test_an_archives_announcement_shows_on_lean_pages(tmp_path: Path) -> None:
    """An archive's own main.html with an `announce` block: its banner is on every page."""
    config = make_project(tmp_path)
    text = config.read_text(encoding="utf-8")
    assert "  language: en\n" in text, "mkdocs.yml no longer sets the theme language"
    config.write_text(text.replace("  language: en\n", "  language: en\n  custom_dir: own\n"))
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "main.html").write_text(
        '{% extends "base.html" %}{% block announce %}The archive moves on 1 May.{% endblock %}'
    )
    assert run_build(config, tmp_path / "site") == 0
    for path in (STATEMENT, "about/index.html"):
        tree = lxml_html.fromstring((tmp_path / "site" / path).read_bytes())
        (banner,) = tree.xpath('//*[@data-md-component="announce"]//aside[@class="md-banner"]')
        assert banner.text_content().strip() == "The archive moves on 1 May.", path
    assert LEAN_CSS in (tmp_path / "site" / STATEMENT).read_text(encoding="utf-8")


def _bundle_features() -> set[str]:
    """The features Material's JavaScript asks for: `feature("...")` in its bundle's sources."""
    (source_map,) = (MATERIAL / "assets" / "javascripts").glob("bundle.*.min.js.map")
    sources = json.loads(source_map.read_text(encoding="utf-8"))["sourcesContent"]
    return {name for text in sources for name in re.findall(r'feature\("([^"]+)"\)', text)}


def test_lean_config_lists_only_the_features_the_bundle_acts_on(tmp_path: Path) -> None:
    """With every feature of Material's bundle and some template-only ones turned on, a lean
    page's __config lists the bundle's, but for search.* (no Material search form here)."""
    acted_on = _bundle_features()
    assert {"content.code.copy", "navigation.instant", "search.highlight"} <= acted_on
    config = _pagefind_project(tmp_path)
    template_only = ["navigation.sections", "navigation.top", "content.action.edit"]
    features = sorted(acted_on) + template_only
    text = config.read_text(encoding="utf-8")
    listed = re.search(r"^  features:\n(?:    - .*\n)+", text, re.M)
    assert listed, "mkdocs.yml no longer lists its features one a line"
    block = "  features:\n" + "".join(f"    - {f}\n" for f in features)
    config.write_text(text.replace(listed.group(0), block), encoding="utf-8")
    assert run_build(config, tmp_path / "site") == 0
    page = (tmp_path / "site" / STATEMENT).read_text(encoding="utf-8")
    (raw,) = re.findall(r'<script id="__config" type="application/json">(.*?)</script>', page)
    expected = [f for f in features if f in acted_on and not f.startswith("search.")]
    assert json.loads(raw)["features"] == expected


def test_lean_icons_are_materials(pagefind_site: Path) -> None:
    """Each icon of briefing-lean.css is Material's SVG, and the lean shell's list matches it."""
    css = (THEME_DIR / LEAN_CSS).read_text(encoding="utf-8")
    rules = dict(
        re.findall(
            r'\.ba-i--material-([a-z0-9-]+)\{--ba-i:url\("data:image/svg\+xml,([^"]+)"\)\}', css
        )
    )
    assert len(rules) >= 5
    for name, data in rules.items():
        svg = (MATERIAL / ".icons" / "material" / f"{name}.svg").read_text(encoding="utf-8")
        assert unquote(data) == svg.strip(), name
    template = (THEME_DIR / "partials" / "briefing-icons.html").read_text(encoding="utf-8")
    listed = re.search(r"set lean_icons = \[(.*?)\]", template, re.S)
    assert listed is not None
    assert sorted(re.findall(r'"material/([a-z0-9-]+)"', listed.group(1))) == sorted(rules)
    used = set(re.findall(r"ba-i--material-([a-z0-9-]+)", (pagefind_site / STATEMENT).read_text()))
    assert used and used <= rules.keys()


def _materials_palette_script() -> str:
    inline = (MATERIAL / "partials" / "javascripts" / "palette.html").read_text(encoding="utf-8")
    (code,) = re.findall(r"<script>(.*?)</script>", inline, re.S)
    return str(code)


def test_palette_script_applies_the_saved_scheme_as_materials_does() -> None:
    """The part of the palette script that applies a saved scheme is Material's inline one,
    for this Material, verbatim."""
    template = (THEME_DIR / PALETTE_JS).read_text(encoding="utf-8")
    assert re.findall(r"\{% raw %\}(.*?)\{% endraw %\}", template, re.S) == [
        _materials_palette_script()
    ]


def _palette_form(site: Path) -> str:
    """The palette form's inner HTML the site's palette script writes."""
    script = (site / PALETTE_JS).read_text(encoding="utf-8")
    (markup,) = re.findall(r'form\.innerHTML=("(?:[^"\\]|\\.)*")', script)
    assert script.endswith(_materials_palette_script())
    return str(json.loads(markup))


def test_palette_form_is_written_once_per_site_as_materials(pagefind_site: Path) -> None:
    """The palette form the site's script writes into a lean page has the inputs and labels
    of Material's form on a hand-written page (same attributes, in the same order), with
    icons from briefing-lean.css; no page carries them itself."""
    ours = lxml_html.fragment_fromstring(_palette_form(pagefind_site), create_parent="form")
    page = lxml_html.fromstring((pagefind_site / "about/index.html").read_bytes())
    (theirs,) = page.xpath('//header//form[@data-md-component="palette"]')
    assert [el.tag for el in ours] == [el.tag for el in theirs] == ["input", "label"] * 2
    for mine, material in zip(ours, theirs, strict=True):
        assert mine.attrib == material.attrib
        if mine.tag == "label":
            (icon,) = mine
            assert icon.get("class", "").startswith("ba-i ba-i--material-weather-")
            assert material.xpath("./svg")
    for path in pagefind_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if LEAN_CSS in text:
            assert "__palette_0" not in text, path


def _with_palette(root: Path, palette: str) -> Path:
    """The repository's mkdocs.yml with its `theme.palette` list replaced by `palette`."""
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    listed = re.search(r"^  palette:\n(?:    .*\n)+", text, re.M)
    assert listed, "mkdocs.yml no longer lists its palette under the theme"
    config.write_text(text.replace(listed.group(0), palette), encoding="utf-8")
    return config


@pytest.mark.parametrize(
    ("palette", "script"),
    [("  palette:\n    scheme: slate\n    primary: teal\n", False), ("", True)],
    ids=["mapping", "none"],
)
def test_a_single_palette_or_none_is_as_materials(
    tmp_path: Path, palette: str, script: bool
) -> None:
    """With a single (mapping) palette or none there is no toggle; Material's header then
    has its inline palette script only without a mapping, and lean pages load it likewise."""
    assert run_build(_with_palette(tmp_path, palette), tmp_path / "site") == 0
    site = tmp_path / "site"
    lean = (site / STATEMENT).read_text(encoding="utf-8")
    full = (site / "about/index.html").read_text(encoding="utf-8")
    for page in (lean, full):
        assert 'data-md-component="palette"' not in page
    assert (_materials_palette_script() in full) is script
    assert (PALETTE_JS in lean) is script
    assert (site / PALETTE_JS).read_text(encoding="utf-8") == _materials_palette_script()
    if palette:  # Material sets a single palette's colours on the body of every page
        assert 'data-md-color-scheme="slate" data-md-color-primary="teal"' in lean


def _tree(page: bytes) -> list[tuple[str, list[tuple[str, str]], str, str]]:
    """Every element in document order: tag, attributes, text and tail, where a
    whitespace-only text is nothing and any other has its whitespace runs as one space."""

    def norm(text: str | None) -> str:
        return "" if not text or text.isspace() else re.sub(r"\s+", " ", text)

    return [
        (str(el.tag), sorted(el.attrib.items()), norm(el.text), norm(el.tail))
        for el in lxml_html.document_fromstring(page).iter()
    ]


def test_compact_parents_change_only_whitespace_between_tags(
    pagefind_site: Path, indented_site: Path
) -> None:
    """Lean pages from the compacted main/base.html have the same elements, attributes and
    text as from the indented originals; every other file is byte-identical."""
    compacted = {p.relative_to(pagefind_site) for p in pagefind_site.rglob("*") if p.is_file()}
    indented = {p.relative_to(indented_site) for p in indented_site.rglob("*") if p.is_file()}
    assert compacted == indented
    lean = 0
    for rel in sorted(compacted):
        ours, theirs = (pagefind_site / rel).read_bytes(), (indented_site / rel).read_bytes()
        if rel.suffix == ".html" and LEAN_CSS.encode() in ours:
            lean += 1
            assert len(ours) < len(theirs), rel
            assert _tree(ours) == _tree(theirs), rel
        else:
            assert ours == theirs, rel
    assert lean >= 20


def test_compact_drops_indentation_and_statement_line_breaks() -> None:
    source = '<head>\n  {% block a %}\n    <meta x="{{ y }}">\n\n  {% endblock %}\n</head>\n'
    assert lean_templates.compact(source) == (
        '<head>\n{% block a -%}\n<meta x="{{ y }}">\n{% endblock -%}\n</head>\n'
    )


def test_an_icon_the_lean_stylesheet_lacks_is_inlined(tmp_path: Path) -> None:
    """An archive's own logo icon is drawn as Material draws it: its SVG, inline."""
    config = make_project(tmp_path)
    text = config.read_text(encoding="utf-8")
    assert "  language: en\n" in text, "mkdocs.yml no longer sets the theme language"
    icon = "  language: en\n  icon:\n    logo: fontawesome/solid/book\n"
    config.write_text(text.replace("  language: en\n", icon), encoding="utf-8")
    assert run_build(config, tmp_path / "site") == 0
    page = (tmp_path / "site" / STATEMENT).read_text(encoding="utf-8")
    svg = (MATERIAL / ".icons" / "fontawesome" / "solid" / "book.svg").read_text("utf-8")
    assert page.count(svg.strip()) == 2  # the header's logo and the drawer's
    assert "ba-i--material-library" not in page
    assert "ba-i--material-menu" in page  # the others still from the stylesheet
