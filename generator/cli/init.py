"""`briefing init DIR`: start a new archive that uses the installed tool, copying none of it.

The new archive holds only what its editors own: `mkdocs.yml`, empty record folders, the
About page, the GitHub workflows that check pull requests and publish to Pages, editor
settings and a README. The theme, page templates and schemas stay in the package (the
`briefing` plugin adds them at build time), so upgrading means bumping one pin in the
archive's `requirements.txt`.

The files come from `templates/archive/`: a path part `dot-x` is written as `.x` (package
data and tools handle dotfiles unevenly, and a real `.gitignore` or `.github/` there would
act on this repository), and `*.j2` files are rendered with Jinja, every value passing
through the filter for its format (`yaml`, `md`, `link`). Answers are asked for on a
terminal only; elsewhere (a script, CI) missing options take their defaults and say so.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from generator.cli.init_checks import (
    InitError,
    check_name,
    check_repo_url,
    check_site_url,
    default_name,
    markdown_link,
    markdown_text,
    pages_url,
    yaml_scalar,
)
from generator.paths import ARCHIVE_SKELETON
from generator.records.layout import RECORD_GLOBS, schema_link

TEMPLATE_DIR = ARCHIVE_SKELETON
DOT_PREFIX = "dot-"
DESCRIPTION = "An archive of public statements: who said what, when, and who reported it."


@dataclass(frozen=True)
class Settings:
    """What a new archive is made from."""

    name: str
    site_url: str | None
    repo_url: str | None


def tool_version() -> str:
    """The installed tool's version: what the archive's requirements.txt pins."""
    from importlib import metadata

    try:
        return metadata.version("briefing-archive")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        from generator import __version__

        return __version__


# --- the files ------------------------------------------------------------------------------
def _environment() -> jinja2.Environment:
    # No autoescape: the files are YAML, Markdown and plain text, each value is escaped by
    # the filter for its place, and StrictUndefined turns a misspelt name into an error.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(yaml=yaml_scalar, md=markdown_text, link=markdown_link)
    return env


def _target(relative: Path) -> str:
    parts = [
        "." + p.removeprefix(DOT_PREFIX) if p.startswith(DOT_PREFIX) else p for p in relative.parts
    ]
    return "/".join(parts).removesuffix(".j2")


def _edit_uri(repo_url: str) -> tuple[str | None, str | None]:
    """(repo_name, edit_uri) for the hosts whose edit links MkDocs knows; main branch."""
    host = urlsplit(repo_url).hostname or ""
    path = urlsplit(repo_url).path.strip("/")
    if host == "github.com":
        return path, "edit/main/"
    if host == "gitlab.com":
        return path, "-/edit/main/"
    return None, None


def vscode_settings(root: Path, site_url: str | None) -> str:
    """`.vscode/settings.json`: YAML settings, and each record folder's schema when the
    published site has one (schema_links.schema_link; none without a site_url)."""
    settings: dict[str, object] = {}
    schemas = {kind: schema_link(root, kind, site_url) for kind in RECORD_GLOBS}
    if all(schemas.values()):
        settings["yaml.schemas"] = {
            schemas[kind]: f"content/{glob}" for kind, glob in RECORD_GLOBS.items()
        }
    settings.update(
        {
            "yaml.validate": True,
            "yaml.completion": True,
            "yaml.format.enable": False,
            "[yaml]": {"editor.tabSize": 2, "editor.insertSpaces": True},
            "files.encoding": "utf8",
            "files.eol": "\n",
            "files.insertFinalNewline": True,
        }
    )
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def archive_files(root: Path, settings: Settings) -> dict[str, str]:
    """Every file of the new archive: its path relative to `root` (POSIX) and its text."""
    env = _environment()
    repo_name, edit_uri = _edit_uri(settings.repo_url) if settings.repo_url else (None, None)
    vscode = vscode_settings(root, settings.site_url)
    context = {
        "name": settings.name,
        "description": DESCRIPTION,
        "site_url": settings.site_url,
        "repo_url": settings.repo_url,
        "repo_name": repo_name,
        "edit_uri": edit_uri,
        "version": tool_version(),
        "schemas": "yaml.schemas" in vscode,
    }
    files: dict[str, str] = {}
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(TEMPLATE_DIR)
        if path.suffix == ".j2":
            text = env.get_template(relative.as_posix()).render(context)
        else:
            text = path.read_text(encoding="utf-8")
        files[_target(relative)] = text
    files[".vscode/settings.json"] = vscode
    return files


def clashes(root: Path, relatives: list[str]) -> list[str]:
    """The paths (relative to `root`) that already exist where a file would go: the file
    itself, or a non-folder or symlink where one of its folders should be."""
    found: set[str] = set()
    for rel in relatives:
        parts = rel.split("/")
        for depth in range(1, len(parts) + 1):
            path = root.joinpath(*parts[:depth])
            last = depth == len(parts)
            if path.is_symlink() or (path.exists() and (last or not path.is_dir())):
                found.add("/".join(parts[:depth]))
                break
    return sorted(found)


def write_archive(root: Path, files: dict[str, str]) -> None:
    """Write `files` under `root`; never over an existing file (mode "x")."""
    for rel, text in files.items():
        path = root.joinpath(*rel.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:  # made by someone else since clashes() looked
            raise InitError(f"{path} appeared while writing; it was left as it is") from None


# --- asking ---------------------------------------------------------------------------------
Ask = Callable[[str], str]


def _ask(ask: Ask, prompt: str, default: str | None, check: Callable[[str], str]) -> str | None:
    """Ask until the answer passes `check`; an empty answer takes `default`."""
    shown = f" [{default}]" if default else " (empty: none for now)"
    while True:
        answer = ask(f"{prompt}{shown}: ").strip()
        if not answer:
            return default
        try:
            return check(answer)
        except InitError as problem:
            print(f"  {problem}; try again", file=sys.stderr)


def gather(args: argparse.Namespace, ask: Ask | None) -> tuple[Settings, list[str]]:
    """The settings from the options, asking for the missing ones when `ask` is given.

    Without `ask` (not a terminal) a missing option takes its default; the notes say which.
    """
    notes: list[str] = []
    name = check_name(args.name) if args.name is not None else None
    repo = check_repo_url(args.repo_url) if args.repo_url is not None else None
    site = check_site_url(args.site_url) if args.site_url is not None else None
    if name is None:
        guess = default_name(args.dir)
        if ask:
            name = _ask(ask, "Archive name", guess, check_name) or guess
        else:
            name = guess
            notes.append(f"named the archive {name!r} after its folder (--name to choose)")
    if repo is None:
        if ask:
            prompt = "Repository URL, e.g. https://github.com/OWNER/REPO"
            repo = _ask(ask, prompt, None, check_repo_url)
        else:
            notes.append("no repository URL: pages have no edit links (--repo-url to set one)")
    if site is None:
        derived = pages_url(repo)
        if ask:
            site = _ask(ask, "Site URL, where the site will be published", derived, check_site_url)
        elif derived:
            site = derived
            notes.append(f"site URL {site}: GitHub Pages' address for the repository")
        if site is None:
            notes.append(
                "no site URL: set `site_url` in mkdocs.yml before publishing; `briefing build` "
                "stops without it (--site-url to set it now)"
            )
    return Settings(name=name, site_url=site, repo_url=repo), notes


def archive_paths() -> list[str]:
    """The paths (relative, POSIX) of every file `briefing init` writes."""
    paths = [
        _target(p.relative_to(TEMPLATE_DIR))
        for p in TEMPLATE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    return sorted([*paths, ".vscode/settings.json"])


def _fail(message: str) -> int:
    print(f"briefing init: {message}", file=sys.stderr)
    return 1


def _refuse(root: Path, found: list[str]) -> int:
    listed = "".join(f"\n    {root / rel}" for rel in found)
    return _fail(
        f"{len(found)} of the paths it would write already exist, so nothing was written:"
        f"{listed}\n    hint: choose a new or empty folder, or move those files away"
    )


def run_init(args: argparse.Namespace) -> int:
    """`briefing init`: write a new archive into `args.dir`; 0 when written, 1 otherwise."""
    root: Path = args.dir
    if root.exists() and not root.is_dir():
        return _fail(f"{root} exists and is not a folder")
    # Checked before asking anything, so that nobody answers questions to be refused.
    if found := clashes(root, archive_paths()):
        return _refuse(root, found)
    interactive = sys.stdin is not None and sys.stdin.isatty()
    try:
        settings, notes = gather(args, input if interactive else None)
        files = archive_files(root, settings)
        if found := clashes(root, list(files)):
            return _refuse(root, found)
        write_archive(root, files)
    except InitError as problem:
        return _fail(str(problem))
    except EOFError:
        return _fail("cancelled; nothing was written")
    except UnicodeDecodeError:  # an answer typed in another encoding
        return _fail("an answer was not valid UTF-8 text; nothing was written")
    except OSError as problem:
        return _fail(f"could not write the archive: {problem}")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(
        f"Created the archive {settings.name!r} in {root} ({len(files)} files). Next:\n"
        f"  cd {root}\n"
        '  briefing new actor --name "..." --kind person\n'
        '  briefing new statement --date YYYY-MM-DD --actor ACTOR-ID --title "..."\n'
        "  briefing serve\n"
        "README.md there says how to publish it on GitHub Pages."
    )
    return 0
