"""`briefing init`: what it writes, that it never overwrites, when it asks, and that any
name stays text in every format it writes (checked with the YAML and Markdown parsers that
will read the files). The workflows and the journey to a built site: test_init_journey.py.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shlex
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path, PurePosixPath

import markdown
import pytest
import yaml
from _init_support import (
    EXPECTED_TREE,
    REPO_URL,
    ROOT,
    SITE_URL,
    files_under,
    first_heading,
    init,
    load,
    make_archive,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli.init_checks import markdown_text, yaml_scalar
from generator.records.layout import RECORD_GLOBS

HOSTILE_NAMES = [
    'Harbour "Watch": {{ 7*7 }} <script>alert(1)</script> & Co.',
    "- 1. # [a link](javascript:alert(1)) *em* `code` &amp; \\ {: #x } 'q' ]]>",
]
MD_EXTENSIONS = ["attr_list", "md_in_html", "toc"]  # as the archive's mkdocs.yml


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive made with every option given."""
    return make_archive(tmp_path_factory.mktemp("init"))


# --- what it writes -------------------------------------------------------------------------
def test_init_writes_the_expected_tree(archive: Path) -> None:
    assert files_under(archive) == EXPECTED_TREE
    config = load(archive / "mkdocs.yml")
    repo_config = load(ROOT / "mkdocs.yml")
    assert config["site_name"] == "Harbour Watch"
    assert config["site_url"] == SITE_URL  # the slash added
    assert config["repo_url"] == REPO_URL  # `.git` dropped
    assert config["edit_uri"] == repo_config["edit_uri"]
    assert config["site_description"]
    theme = config["theme"]
    assert theme["name"] == "material"
    assert theme["font"] is False  # readers' browsers ask Google for nothing
    # The plugin brings the tool's theme: nothing of it is referenced from the archive.
    assert "custom_dir" not in theme
    assert "extra_css" not in config and "extra_javascript" not in config
    assert "briefing" in [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert config["nav"] == repo_config["nav"]
    assert config["validation"] == repo_config["validation"]
    assert config["use_directory_urls"] is True


def test_requirements_pin_this_tool_and_the_tested_link_checker(archive: Path) -> None:
    pins = dict(
        line.split("==")
        for line in (archive / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert pins["briefing-archive"] == metadata.version("briefing-archive")
    # The link checker the archives' CI runs is the one this repository's tests run.
    tested = re.search(r"^linkchecker==(\S+)$", (ROOT / "requirements-test.txt").read_text(), re.M)
    assert tested, "requirements-test.txt does not pin linkchecker"
    assert pins["linkchecker"] == tested.group(1)


def test_vscode_maps_each_record_folder_to_the_published_schema(archive: Path) -> None:
    settings_ = json.loads((archive / ".vscode/settings.json").read_text(encoding="utf-8"))
    schemas = settings_["yaml.schemas"]
    assert schemas == {
        f"{SITE_URL}schema/{kind}.schema.json": f"content/{glob}"
        for kind, glob in RECORD_GLOBS.items()
    }
    # Every kind the tool has a schema for, and a file in each folder matches its glob.
    shipped = {p.name.removesuffix(".schema.json") for p in (ROOT / "generator/schemas").iterdir()}
    assert set(RECORD_GLOBS) == shipped
    assert PurePosixPath("content/statements/2024/x.yml").match(
        schemas[f"{SITE_URL}schema/statement.schema.json"]
    )
    extensions = json.loads((archive / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_the_readmes_and_about_page(archive: Path) -> None:
    readme = (archive / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Harbour Watch\n")
    for needle in ("briefing new actor", "briefing serve", "status: draft", "requirements.txt",
                   "Source: GitHub Actions", "https://OWNER.github.io/"):  # fmt: skip
        assert needle in readme, needle
    assert "Harbour Watch is an archive" in (archive / "docs/about.md").read_text(encoding="utf-8")
    assert "briefing new" in (archive / "content/README.md").read_text(encoding="utf-8")
    assert "/site/" in (archive / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_without_a_site_url_the_schema_mapping_is_left_out_and_said_so(tmp_path: Path) -> None:
    result = init("arch", "--name", "Harbour Watch", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no site URL" in result.stderr
    arch = tmp_path / "arch"
    assert "site_url" not in load(arch / "mkdocs.yml")
    assert "repo_url" not in load(arch / "mkdocs.yml")
    assert "yaml.schemas" not in json.loads((arch / ".vscode/settings.json").read_text())
    assert "no `site_url` yet" in (arch / "README.md").read_text(encoding="utf-8")


def test_a_user_site_repository_gets_the_root_address(tmp_path: Path) -> None:
    result = init("arch", "--repo-url", "git@github.com:Example/example.github.io.git",
                  cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    config = load(tmp_path / "arch/mkdocs.yml")
    assert config["repo_url"] == "https://github.com/Example/example.github.io"
    assert config["site_url"] == "https://example.github.io/"
    assert config["site_name"] == "Arch"  # not a terminal: the folder's name, and said so
    assert "after its folder" in result.stderr


# --- never overwrites -----------------------------------------------------------------------
def test_init_never_overwrites(tmp_path: Path) -> None:
    arch = tmp_path / "arch"
    (arch / ".github/workflows").mkdir(parents=True)
    (arch / "README.md").write_text("my own notes\n")
    (arch / ".github/workflows/pages.yml").write_text("name: mine\n")
    (arch / "content").write_text("a file where a folder would go\n")
    before = snapshot(arch)
    result = init("arch", "--name", "X", "--site-url", SITE_URL, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for clash in ("README.md", ".github/workflows/pages.yml", "content"):
        assert f"arch/{clash}\n" in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(arch) == before


def test_init_accepts_a_folder_holding_only_git(tmp_path: Path) -> None:
    (tmp_path / "arch/.git").mkdir(parents=True)
    result = init("arch", "--name", "X", "--site-url", SITE_URL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert files_under(tmp_path / "arch") == EXPECTED_TREE


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--site-url", "ftp://example.org/", "not an absolute http"),
        ("--site-url", "example.org", "not an absolute http"),
        ("--site-url", "https://example.org/?page=1", "query or fragment"),
        ("--site-url", "https://exa mple.org/", "characters a URL cannot hold"),
        ("--repo-url", "https://user:secret@github.com/a/b", "user name or password"),
        ("--name", "two\nlines", "control character"),
        ("--name", "  ", "the name is empty"),
        ("--name", "\udcff", "not valid UTF-8"),  # the byte 0xFF on the command line
    ],
)
def test_bad_options_are_clear_errors(tmp_path: Path, flag: str, value: str, message: str) -> None:
    result = init("arch", "--name", "X", flag, value, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "briefing init:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "arch").exists()


# --- asking ---------------------------------------------------------------------------------
def _expect(fd: int, seen: bytearray, text: str, timeout: float = 30) -> None:
    """Read the terminal until `text` has appeared after what was matched before."""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            pytest.fail(f"no {text!r} on the terminal; it shows:\n{seen.decode(errors='replace')}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            pytest.fail(f"the command ended before {text!r}:\n{seen.decode(errors='replace')}")
        seen += chunk
    del seen[: seen.index(text.encode()) + len(text)]


def test_init_asks_for_what_is_missing_on_a_terminal(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "init", "harbour-watch"],
        cwd=tmp_path, env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen = bytearray()
    try:
        _expect(master, seen, "Archive name [Harbour watch]: ")
        os.write(master, b"Harbour Watch: the council\n")
        _expect(master, seen, "Repository URL")
        os.write(master, b"not a url\n")
        _expect(master, seen, "try again")
        _expect(master, seen, "Repository URL")
        os.write(master, (REPO_URL + "\n").encode())
        _expect(master, seen, f"Site URL, where the site will be published [{SITE_URL}]: ")
        os.write(master, b"\n")  # the default, derived from the repository
        _expect(master, seen, "Created the archive")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(master)
    config = load(tmp_path / "harbour-watch/mkdocs.yml")
    assert config["site_name"] == "Harbour Watch: the council"
    assert config["repo_url"] == REPO_URL
    assert config["site_url"] == SITE_URL


def test_without_a_terminal_it_never_waits_for_answers(tmp_path: Path) -> None:
    # A pipe that is never written to nor closed: asking would hang until the timeout.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "init", "arch", "--repo-url", REPO_URL],
        cwd=tmp_path, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
        _, err = proc.communicate()
    assert code == 0, err
    assert load(tmp_path / "arch/mkdocs.yml")["site_url"] == SITE_URL


# --- escaping -------------------------------------------------------------------------------
def _rendered_heading(markdown_source: str) -> tuple[str | None, list[str]]:
    return first_heading(markdown.markdown(markdown_source, extensions=MD_EXTENSIONS))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_stays_text(tmp_path: Path, name: str) -> None:
    result = init("arch", "--name", name, "--site-url", SITE_URL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    arch = tmp_path / "arch"
    assert load(arch / "mkdocs.yml")["site_name"] == name
    for page in ("README.md", "docs/about.md"):
        text = (arch / page).read_text(encoding="utf-8")
        assert "49" not in text  # `{{ 7*7 }}` was not evaluated
        html = markdown.markdown(text, extensions=MD_EXTENSIONS)
        assert "<script" not in html and 'href="javascript' not in html, html
    heading, tags = _rendered_heading((arch / "README.md").read_text(encoding="utf-8"))
    assert (heading, tags) == (name.strip(), [])
    about = markdown.markdown((arch / "docs/about.md").read_text(encoding="utf-8"),
                              extensions=MD_EXTENSIONS)  # fmt: skip
    first_paragraph = about.split("<p>", 1)[1].split("</p>", 1)[0]
    assert "<" not in first_paragraph.replace("&lt;", "")  # no element: only text


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_any_name_init_writes_into_yaml_reads_back_as_typed(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(text)}\n") == {"key": text}


_MD_ALPHABET = "ab1 -+.#*_`[](){}!<>&;:=|~'\"\\/"


@settings(max_examples=300, deadline=None)
@given(st.text(_MD_ALPHABET, min_size=1).filter(lambda t: t.strip() == t and "  " not in t))
def test_any_name_init_writes_into_markdown_shows_as_typed(text: str) -> None:
    heading, tags = _rendered_heading(f"# {markdown_text(text)}\n")
    assert (heading, tags) == (text, [])
    paragraph = markdown.markdown(markdown_text(text))
    assert paragraph.startswith("<p>") and first_heading(f"<h1>{paragraph[3:-4]}</h1>") == (
        text,
        [],
    )


# --- documentation --------------------------------------------------------------------------
def _commands(text: str) -> list[str]:
    """The `briefing …` lines of fenced code blocks, without trailing comments."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    lines = [ln.strip() for block in blocks for ln in block.splitlines()]
    return [ln.split("  #")[0].strip() for ln in lines if ln.startswith("briefing ")]


def test_documented_commands_are_real_cli_usage(archive: Path) -> None:
    from generator.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Start your own archive", 1)[1].split("\n## ", 1)[0]
    texts = {
        "README.md#start-your-own-archive": section,
        "the archive's README.md": (archive / "README.md").read_text(encoding="utf-8"),
        "the archive's content/README.md": (archive / "content/README.md").read_text("utf-8"),
    }
    for where, text in texts.items():
        commands = _commands(text)
        assert commands, f"{where} shows no `briefing` command"
        for command in commands:
            try:
                build_parser().parse_args(shlex.split(command)[1:])
            except SystemExit:
                pytest.fail(f"{where} shows a command the CLI rejects: {command}")
    assert "briefing init" in section
