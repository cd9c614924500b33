"""`briefing build`, `briefing serve` and `briefing generate`: MkDocs driven from Python.

Errors are printed as messages (records as `path:line:column`), never as tracebacks.
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.base import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from generator.plugin import BriefingPlugin
from generator.render import Options, generate_pages
from generator.validate import Result, validate_archive

CONFIG_NAME = "mkdocs.yml"
# Written into `briefing generate`'s output so that a re-run may replace only what it made.
MARKER = ".briefing-generated"


def find_config(start: Path | None = None) -> Path | None:
    """The repository's mkdocs.yml: the first one found walking up from `start` (cwd)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return None


@contextmanager
def _mkdocs_logging() -> Iterator[None]:
    # The mkdocs CLI installs its own handler; called from Python nothing would print.
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _config_path(config_file: Path | None) -> Path | None:
    path = config_file or find_config()
    if path is None or not path.is_file():
        return None
    return path


def _plugin(config: MkDocsConfig) -> BriefingPlugin | None:
    for plugin in config.plugins.values():
        if isinstance(plugin, BriefingPlugin):
            return plugin
    return None


def _report(result: Result) -> None:
    for problem in result.problems:
        print(problem.format(), file=sys.stderr)


def run_build(config_file: Path | None, site_dir: Path | None) -> int:
    """Validate the records, then build the site with MkDocs in strict mode; 0 when built."""
    path = _config_path(config_file)
    if path is None:
        return _error(
            f"no {CONFIG_NAME} found (looked in {config_file or 'this folder and above'})"
        )
    with _mkdocs_logging():
        try:
            from mkdocs.commands.build import build

            config = load_config(
                config_file=str(path), strict=True, site_dir=str(site_dir) if site_dir else None
            )
            plugin = _plugin(config)
            if plugin is None:
                return _error(f"{path}: the `briefing` plugin is not enabled under `plugins:`")
            config.plugins.on_startup(command="build", dirty=False)
            plugin.on_config(config)  # resolves content_dir; MkDocs runs it again in build()
            result = validate_archive(plugin.content_dir)
            _report(result)
            if result.errors:
                print(f"{len(result.errors)} error(s); the site was not built.", file=sys.stderr)
                return 1
            plugin.preloaded = result  # the plugin need not read every record twice
            build(config)
        except MkDocsException as exc:  # Abort, ConfigurationError, PluginError...
            return _error(str(exc) or type(exc).__name__)
    return 0


def run_serve(config_file: Path | None, dev_addr: str | None) -> int:
    """Live preview: rebuilds when a record, a page or mkdocs.yml changes."""
    path = _config_path(config_file)
    if path is None:
        return _error(
            f"no {CONFIG_NAME} found (looked in {config_file or 'this folder and above'})"
        )
    with _mkdocs_logging():
        try:
            from mkdocs.commands.serve import serve

            serve(config_file=str(path), dev_addr=dev_addr, livereload=True)
        except MkDocsException as exc:
            return _error(str(exc) or type(exc).__name__)
        except OSError as exc:  # e.g. the port is taken
            return _error(str(exc))
    return 0


def run_generate(content_dir: Path | None, out_dir: Path) -> int:
    """Write the generated Markdown tree to `out_dir` (for inspection or another builder)."""
    options = Options()
    path = find_config()
    if path is not None:
        try:
            with _mkdocs_logging():
                config = load_config(config_file=str(path))
            plugin = _plugin(config)
            if plugin is not None:
                plugin.on_config(config)
                options = plugin.options
                content_dir = content_dir or plugin.content_dir
        except MkDocsException as exc:
            return _error(str(exc) or type(exc).__name__)
    if content_dir is None:
        return _error("no content folder given and no mkdocs.yml found to take it from")
    content = content_dir.resolve()
    out = out_dir.resolve()
    if out == content or out.is_relative_to(content):
        return _error(f"{out_dir} is inside the content folder {content_dir}; choose another")
    if content.is_relative_to(out):
        return _error(f"{out_dir} contains the content folder; choose another")
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            return _error(f"{out_dir} is not empty and was not made by `briefing generate`")
        shutil.rmtree(out)  # ours: replace it whole so removed records leave no pages behind
    result = validate_archive(content)
    _report(result)
    if result.archive is None or result.errors:
        return 1
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Generated by `briefing generate`; replaced on every run.\n")
    pages = generate_pages(result.archive, options)
    for page in pages:
        target = out / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8", newline="\n")
    print(f"wrote {len(pages)} pages to {out_dir}", file=sys.stderr)
    return 0
