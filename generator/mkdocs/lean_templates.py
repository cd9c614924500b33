"""The lean template's parents: the theme's `main.html` and `base.html` without indentation.

theme/lean.html, the template of the generated pages, extends LEAN_MAIN. This loader serves
it as the theme's own `main.html` (the tool's, or an archive's override), extending LEAN_BASE
instead of `base.html`; and LEAN_BASE as Material's `base.html`. Both sources go through
`compact`, which drops their indentation and the blank lines their statement tags leave:
Material's templates are indented for reading, and on a generated page that whitespace was
about a tenth of its bytes. Deriving the two from the real templates, rather than keeping
copies, keeps every block, asset URL and head tag exactly as the theme has them.

`compact` changes whitespace between tags only: a line's leading and trailing blanks, and the
line break after a line that ends in a `{% ... %}` statement. Material's `base.html` has no
<pre>, no text run broken across such a line, and no statement inside an attribute value;
tests/test_lean_shell.py checks that a page rendered through it has the same elements, text
and attributes as through the original.

LEAN_BASE also goes through `lean_base`, which leaves out two things Material's `base.html`
writes on every page whatever it holds: the skip-link and announcement containers when they
would be empty (Material fills them only with a table of contents, which a generated page
lacks, or an archive's `announce` block), and the script that opens a content tab named in
the URL (generated pages have no tabs). And it loads Material's storage helpers (its inline
`__md_scope`... script, the same on every page) from one cached file the build renders from
that same partial (theme/assets/javascripts/briefing-storage.js), in the same place.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jinja2 import BaseLoader, Environment, TemplateNotFound

from generator.mkdocs.config import STORAGE_SCRIPT

#: What theme/lean.html extends.
LEAN_MAIN = "briefing/lean-main.html"
LEAN_BASE = "briefing/lean-base.html"
_EXTENDS_BASE = re.compile(r"""\{%-?\s*extends\s+(["'])base\.html\1\s*-?%\}""")
_ENDS_IN_STATEMENT = re.compile(r"%\}$")
#: `<div data-md-component="skip|announce">{% if ... %}...{% endif %}</div>`: Material's
#: containers, each holding one `{% if %}`; the first `{% endif %}` followed by `</div>` is
#: its end (the announcement's inner `{% if %}`s end elsewhere).
_CONTAINER = re.compile(
    r'<div data-md-component="(skip|announce)">\s*(\{% if [^%]*%\})(.*?)'
    r"\{% endif %\}\s*</div>",
    re.S,
)
_TABS_SCRIPT = re.compile(
    r"""\{%-?\s*include\s+(["'])partials/javascripts/content\.html\1\s*-?%\}"""
)
_STORAGE_SCRIPT = re.compile(
    r"""\{%-?\s*include\s+(["'])partials/javascripts/base\.html\1\s*-?%\}"""
)
_STORAGE_TAG = f"<script src=\"{{{{ '{STORAGE_SCRIPT}' | url }}}}\"></script>"


def lean_base(source: str) -> str:
    """Material's base.html without the skip and announcement containers when they would be
    empty (each inside its own `{% if %}` instead), nor the content tabs' script, and with
    its inline storage script loaded from the site's STORAGE_SCRIPT."""
    source = _CONTAINER.sub(r'\2<div data-md-component="\1">\3</div>{% endif %}', source)
    source = _STORAGE_SCRIPT.sub(lambda _: _STORAGE_TAG, source, count=1)
    return _TABS_SCRIPT.sub("", source)


def compact(source: str) -> str:
    """A Jinja template's source without indentation or the blank lines its tags leave."""
    lines = []
    for line in source.splitlines():
        text = line.strip()
        if not text:
            continue
        if _ENDS_IN_STATEMENT.search(text) and not text.endswith("-%}"):
            # `-%}` also eats the line break after the tag, which trim_blocks would do.
            text = text[:-2] + "-%}"
        lines.append(text)
    return "\n".join(lines) + "\n"


class LeanLoader(BaseLoader):
    """Serves LEAN_MAIN and LEAN_BASE, made from what `fallback` serves as main/base.html."""

    def __init__(self, fallback: BaseLoader) -> None:
        self.fallback = fallback

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The compacted source of LEAN_MAIN or LEAN_BASE; TemplateNotFound for any other."""
        if template == LEAN_BASE:
            source, filename, uptodate = self.fallback.get_source(environment, "base.html")
            return compact(lean_base(source)), filename, uptodate
        if template == LEAN_MAIN:
            source, filename, uptodate = self.fallback.get_source(environment, "main.html")
            # A main.html that does not extend base.html plainly keeps its own parent.
            source = _EXTENDS_BASE.sub(f'{{% extends "{LEAN_BASE}" %}}', source, count=1)
            return compact(source), filename, uptodate
        raise TemplateNotFound(template)


__all__ = ["LEAN_BASE", "LEAN_MAIN", "LeanLoader", "compact", "lean_base"]
