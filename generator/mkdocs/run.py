"""`briefing build` and `briefing serve`: MkDocs driven from Python.

`briefing generate` is markdown_tree.py; where a build may go, site_dir.py. Errors are
printed as messages (records as `path:line:column`), never as tracebacks.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.base import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from generator import collector
from generator.mkdocs import hosts
from generator.mkdocs.plugin import BriefingPlugin
from generator.mkdocs.site_dir import SiteDirError, check_site_dir, mark, sibling, swap_in
from generator.records.layout import CONFIG_NAME, archive_root
from generator.records.model import Archive
from generator.records.publish import drafts_shown, for_publishing, published
from generator.records.validate import Result, validate_archive


@contextmanager
def mkdocs_logging() -> Iterator[None]:
    """MkDocs' log messages printed to stderr, as the mkdocs command prints them."""
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


def print_error(message: str) -> int:
    """Print `message` as the command's error (no traceback); the exit status, 1."""
    print(f"error: {message}", file=sys.stderr)
    return 1


def config_path(config_file: Path | None) -> Path | None:
    """`config_file`, or else the mkdocs.yml of the archive the command runs in; None if
    there is no such file."""
    if config_file is None:
        root = archive_root(Path.cwd())
        config_file = None if root is None else root / CONFIG_NAME
    if config_file is None or not config_file.is_file():
        return None
    return config_file


def briefing_plugin(config: MkDocsConfig) -> BriefingPlugin | None:
    """The `briefing` plugin of a loaded configuration; None if it is not enabled."""
    for plugin in config.plugins.values():
        if isinstance(plugin, BriefingPlugin):
            return plugin
    return None


def report_problems(result: Result) -> None:
    """Print validation's problems, each at `path:line:column`, to stderr."""
    for problem in result.problems:
        print(problem.format(), file=sys.stderr)


def default_source_date_epoch(archive: Archive) -> int:
    """Seconds since the epoch of the newest date in the records (midnight UTC); 0 if none.

    MkDocs stamps the build date into the sitemap (`<lastmod>`) and the gzip header of
    sitemap.xml.gz unless SOURCE_DATE_EPOCH is set; taking it from the records makes the
    site a function of the records alone, never of the clock.
    """
    days = [s.date for s in archive.statements.values()]
    days += [b.published for b in archive.briefings.values()]
    days += [src.published for s in archive.statements.values() for src in s.sources]
    days += [c.date for s in archive.statements.values() for c in s.corrections]
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


def run_build(config_file: Path | None, site_dir: Path | None) -> int:
    """Validate the records, then build the site with MkDocs in strict mode; 0 when built.

    The site is built into a temporary folder beside `site_dir` and renamed into place
    only when the build succeeded, so a failed build leaves the previous site as it was.
    """
    path = config_path(config_file)
    if path is None:
        return print_error(
            f"no {CONFIG_NAME} found (looked in {config_file or 'this folder and above'})"
        )
    if site_dir is not None:
        # Relative to where the command runs, like every other path on the command line
        # (absolute() rather than resolve(): a symlink given as site_dir must stay visible).
        site_dir = Path(os.path.abspath(site_dir))
    return _build(path, site_dir)


def _build(path: Path, site_dir: Path | None) -> int:
    with mkdocs_logging():
        try:
            config = load_config(
                config_file=str(path), strict=True, site_dir=str(site_dir) if site_dir else None
            )
            plugin = briefing_plugin(config)
            if plugin is None:
                return print_error(f"{path}: the `briefing` plugin is not enabled under `plugins:`")
            config.plugins.on_startup(command="build", dirty=False)
            # Resolves content_dir and refuses a site_dir in content/, docs/, theme/ or
            # the repository; MkDocs runs it again in build().
            plugin.on_config(config)
            target = Path(config.site_dir)
            problem = check_site_dir(target)
            if problem:
                return print_error(problem)
            # The build holds the archive to its end: kept out of the collector's scans,
            # before the pause ends (Hold.keep). The plugin releases it as the build ends;
            # whatever way the build ends, nothing stays kept past this call.
            try:
                with collector.paused():
                    result = for_publishing(validate_archive(plugin.session.content_dir))
                    if result.archive is not None:
                        plugin.session.hold.keep()
                return _build_site(config, plugin, result, target)
            finally:
                plugin.session.hold.release(collect=False)
        except MkDocsException as exc:  # Abort, ConfigurationError, PluginError...
            return print_error(str(exc) or type(exc).__name__)
        except SiteDirError as exc:
            return print_error(str(exc))


def _build_site(config: MkDocsConfig, plugin: BriefingPlugin, result: Result, target: Path) -> int:
    """Build the validated archive into a sibling of `target`, then swap it in; 0 if built."""
    from mkdocs.commands.build import build

    report_problems(result)
    if result.errors or result.archive is None:
        print(f"{len(result.errors)} error(s); the site was not built.", file=sys.stderr)
        return 1
    plugin.session.preload(result)  # the plugin need not read every record twice
    target.parent.mkdir(parents=True, exist_ok=True)
    # A sibling, so the final move is a rename on one filesystem; mkdir (not
    # mkdtemp, which makes it private) so the site gets the usual permissions.
    work = sibling(target, "building")
    work.mkdir()
    try:
        config.site_dir = str(work)
        with _source_date_epoch(published(result.archive)):
            build(config)
        try:
            mark(work)
            swap_in(work, target)
        except OSError as exc:  # a read-only or vanished folder, a full disk...
            message = f"could not put the site in place at {target}: {exc}"
            raise SiteDirError(message) from exc
    finally:
        if work.exists():  # a failed build: the previous site is untouched
            shutil.rmtree(work, ignore_errors=True)
    _report_size(target)
    return 0


def _report_size(site: Path) -> None:
    # A site that builds can still be refused by its host: say so before anyone pushes.
    size = hosts.measure(site)
    print(size.summary(), file=sys.stderr)
    for warning in hosts.over_limits(size):
        print(f"warning: {warning}", file=sys.stderr)


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


def run_serve(config_file: Path | None, dev_addr: str | None, drafts: bool = False) -> int:
    """Live preview: rebuilds when a record, a page or mkdocs.yml changes.

    `drafts`: show the draft statements too, each with a banner (publish.py).
    """
    path = config_path(config_file)
    if path is None:
        return print_error(
            f"no {CONFIG_NAME} found (looked in {config_file or 'this folder and above'})"
        )
    with mkdocs_logging():
        try:
            from mkdocs.commands.serve import serve

            # Dirty: a rebuild after an edit keeps the previous output and rewrites only the
            # pages whose content changed (the plugin tells MkDocs which), so a preview of
            # a large archive updates without rebuilding every page.
            with _quiet_dirty_warning(), drafts_shown(drafts):
                serve(config_file=str(path), dev_addr=dev_addr, livereload=True, build_type="dirty")
        except MkDocsException as exc:
            return print_error(str(exc) or type(exc).__name__)
        except OSError as exc:  # e.g. the port is taken
            return print_error(str(exc))
    return 0
