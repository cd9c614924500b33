"""A build's filled pages are written by threads beside MkDocs, as MkDocs would write them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from _site_support import make_project
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.utils import write_file

from generator.mkdocs.page_writer import PageWriter

PAGES = {
    "statements/s1/index.md": "<p>Заявление “quoted” 李</p>\n",
    "statements/s2/index.md": "<p>a lone surrogate \ud800 becomes a reference</p>\n",
    "dates/2024/03/01/index.md": "<p>deep folders made as needed</p>\n",
}


def _target(root: Path, src_uri: str) -> Path:
    return root / src_uri.replace("index.md", "index.html")


def test_pages_written_beside_mkdocs_hold_the_bytes_mkdocs_writes(tmp_path: Path) -> None:
    writer = PageWriter()
    for src_uri, html in PAGES.items():
        writer.write(src_uri, str(_target(tmp_path / "ours", src_uri)), html)
        write_file(
            html.encode("utf-8", errors="xmlcharrefreplace"),
            str(_target(tmp_path / "mkdocs", src_uri)),
        )
    writer.close()
    for src_uri in PAGES:
        ours = _target(tmp_path / "ours", src_uri).read_bytes()
        assert ours == _target(tmp_path / "mkdocs", src_uri).read_bytes()
    assert b"&#55296;" in _target(tmp_path / "ours", "statements/s2/index.md").read_bytes()


def test_a_page_that_cannot_be_written_fails_the_build_and_names_it(tmp_path: Path) -> None:
    (tmp_path / "statements").write_text("a file where a folder should be", encoding="utf-8")
    writer = PageWriter()
    target = tmp_path / "statements" / "s1" / "index.html"
    writer.write("statements/s1/index.md", str(target), "<p>x</p>")
    with pytest.raises(PluginError, match=r"could not write .*statements/s1/index\.html"):
        writer.close()


@pytest.mark.parametrize("builder", ["mkdocs", "properdocs"])
def test_mkdocs_skip_line_is_kept_off_the_log_for_the_writer_s_pages_only(
    builder: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build_log = logging.getLogger(f"{builder}.commands.build")
    writer = PageWriter()
    writer.write("statements/s1/index.md", str(tmp_path / "s1.html"), "<p>x</p>")
    with caplog.at_level(logging.INFO, logger=build_log.name):
        # MkDocs' own words for a page given empty output (commands/build.py).
        build_log.info("Page skipped: 'statements/s1/index.md'. Generated empty output.")
        build_log.info("Page skipped: 'about.md'. Generated empty output.")
        writer.close()
        build_log.info("Page skipped: 'statements/s1/index.md'. Generated empty output.")
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "Page skipped: 'about.md'. Generated empty output.",
        "Page skipped: 'statements/s1/index.md'. Generated empty output.",  # after close
    ]


class _LaterPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """A plugin whose post_page runs after the briefing plugin's."""

    def on_post_page(self, output: str, **_: object) -> str:
        return output


def test_a_build_writes_pages_beside_unless_a_later_plugin_reads_them(tmp_path: Path) -> None:
    config_file = make_project(tmp_path)
    config = load_config(str(config_file))
    session = config.plugins["briefing"].session  # type: ignore[attr-defined]
    settings = config.plugins["briefing"].config  # type: ignore[attr-defined]
    session.start("build", False)
    session.configure(config, settings)
    assert session.writing.writer is not None
    session.start("serve", False)  # serve's dirty rebuilds compare what is on disk
    session.configure(config, settings)
    assert session.writing.writer is None
    config.plugins["later"] = _LaterPlugin()
    session.start("build", False)
    session.configure(config, settings)
    assert session.writing.writer is None
