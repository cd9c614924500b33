"""`briefing build`, `briefing serve` and `briefing generate`: MkDocs driven from Python.

Errors are printed as messages (records as `path:line:column`), never as tracebacks.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.base import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from generator.model import Archive
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


# Written into every site `briefing build` makes: only a folder carrying it is ever replaced.
SITE_MARKER = ".briefing-site"
_SITE_MARKER_TEXT = "Built by `briefing build`; replaced whole on every build.\n"


def default_source_date_epoch(archive: Archive) -> int:
    """Seconds since the epoch of the newest date in the records (midnight UTC); 0 if none.

    MkDocs stamps the build date into the sitemap (`<lastmod>`) and the gzip header of
    sitemap.xml.gz unless SOURCE_DATE_EPOCH is set; taking it from the records makes the
    site a function of the records alone, never of the clock.
    """
    days = [s.date for s in archive.statements.values()]
    days += [b.published for b in archive.briefings.values()]
    days += [src.published for s in archive.statements.values() for src in s.sources]
    if not days:
        return 0
    newest = max(days)
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


@contextmanager
def _source_date_epoch(archive: Archive) -> Iterator[None]:
    # An explicit SOURCE_DATE_EPOCH (CI, a packager) wins; otherwise the records decide.
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(default_source_date_epoch(archive))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _is_ours(folder: Path) -> bool:
    marker = folder / SITE_MARKER
    return marker.is_file() and not marker.is_symlink()


def check_site_dir(site_dir: Path) -> str | None:
    """Why `briefing build` must not replace `site_dir`, or None when it may.

    The folders MkDocs must never empty (content/, docs/, theme/, the repository) are
    refused by the plugin's on_config, which runs for plain `mkdocs build` too.
    """
    if site_dir.is_symlink():
        return (
            f"site_dir {site_dir} is a symlink; the build would replace what it points to"
            "\n    hint: give the real folder, or a new folder name"
        )
    if site_dir.exists() and not site_dir.is_dir():
        return f"site_dir {site_dir} is a file, not a folder\n    hint: choose another path"
    if site_dir.is_dir() and any(site_dir.iterdir()) and not _is_ours(site_dir):
        return (
            f"site_dir {site_dir} is not empty and was not made by `briefing build` "
            f"(it has no {SITE_MARKER} file), so it is left alone"
            "\n    hint: choose a new or empty folder, or delete this one yourself"
        )
    return None


def _sibling(target: Path, what: str) -> Path:
    return target.with_name(f".{target.name}.{what}-{secrets.token_hex(6)}")


def _swap_in(built: Path, target: Path) -> None:
    """Put the finished site at `target`; the old one (ours, checked) is deleted after."""
    if not target.exists():
        os.replace(built, target)
        return
    problem = check_site_dir(target)  # again: it may have changed while we built
    if problem:
        raise _SiteDirError(problem)
    old = _sibling(target, "old")
    os.replace(target, old)  # same folder, so same filesystem: a rename, never a copy
    try:
        os.replace(built, target)
    except OSError:
        os.replace(old, target)  # put the previous site back
        raise
    shutil.rmtree(old)


class _SiteDirError(Exception):
    pass


def run_build(config_file: Path | None, site_dir: Path | None) -> int:
    """Validate the records, then build the site with MkDocs in strict mode; 0 when built.

    The site is built into a temporary folder beside `site_dir` and renamed into place
    only when the build succeeded, so a failed build leaves the previous site as it was.
    """
    path = _config_path(config_file)
    if path is None:
        return _error(
            f"no {CONFIG_NAME} found (looked in {config_file or 'this folder and above'})"
        )
    if site_dir is not None:
        # Relative to where the command runs, like every other path on the command line
        # (absolute() rather than resolve(): a symlink given as site_dir must stay visible).
        site_dir = Path(os.path.abspath(site_dir))
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
            # Resolves content_dir and refuses a site_dir in content/, docs/, theme/ or
            # the repository; MkDocs runs it again in build().
            plugin.on_config(config)
            target = Path(config.site_dir)
            problem = check_site_dir(target)
            if problem:
                return _error(problem)
            result = validate_archive(plugin.content_dir)
            _report(result)
            if result.errors or result.archive is None:
                print(f"{len(result.errors)} error(s); the site was not built.", file=sys.stderr)
                return 1
            plugin.preloaded = result  # the plugin need not read every record twice
            target.parent.mkdir(parents=True, exist_ok=True)
            # A sibling, so the final move is a rename on one filesystem; mkdir (not
            # mkdtemp, which makes it private) so the site gets the usual permissions.
            work = _sibling(target, "building")
            work.mkdir()
            try:
                config.site_dir = str(work)
                with _source_date_epoch(result.archive):
                    build(config)
                try:
                    (work / SITE_MARKER).write_text(_SITE_MARKER_TEXT, encoding="utf-8")
                    _swap_in(work, target)
                except OSError as exc:  # a read-only or vanished folder, a full disk...
                    message = f"could not put the site in place at {target}: {exc}"
                    raise _SiteDirError(message) from exc
            finally:
                if work.exists():  # a failed build: the previous site is untouched
                    shutil.rmtree(work, ignore_errors=True)
        except MkDocsException as exc:  # Abort, ConfigurationError, PluginError...
            return _error(str(exc) or type(exc).__name__)
        except _SiteDirError as exc:
            return _error(str(exc))
    return 0


class _DirtyWarningFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


@contextmanager
def _quiet_dirty_warning() -> Iterator[None]:
    # MkDocs warns on every dirty build that navigation may be inaccurate; the plugin
    # rebuilds every page whose content changed, so the warning is noise here.
    logger = logging.getLogger("mkdocs.commands.build")
    quiet = _DirtyWarningFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


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

            # Dirty: a rebuild after an edit keeps the previous output and rewrites only the
            # pages whose content changed (the plugin tells MkDocs which), so a preview of
            # a 10,000-statement archive updates in seconds rather than a minute.
            with _quiet_dirty_warning():
                serve(config_file=str(path), dev_addr=dev_addr, livereload=True, build_type="dirty")
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
