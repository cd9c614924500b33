"""`briefing build`, `briefing serve` and `briefing generate`: MkDocs driven from Python.

Errors are printed as messages (records as `path:line:column`), never as tracebacks.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import logging
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.base import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import yaml_load

from generator.mkdocs.plugin import BriefingPlugin
from generator.pages.render import Options, generate_pages
from generator.records.model import Archive
from generator.records.publish import drafts_shown, for_publishing, published
from generator.records.validate import Result, validate_archive

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
    try:
        return _build(path, site_dir)
    finally:
        # Validation froze the archive out of the collector's scans for the build (the
        # plugin thaws it as the build ends); whatever way the build ended, nothing stays
        # frozen past this call.
        gc.unfreeze()


def _build(path: Path, site_dir: Path | None) -> int:
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
            result = for_publishing(validate_archive(plugin.content_dir, keep=True))
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
                with _source_date_epoch(published(result.archive)):
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


def run_serve(config_file: Path | None, dev_addr: str | None, drafts: bool = False) -> int:
    """Live preview: rebuilds when a record, a page or mkdocs.yml changes.

    `drafts`: show the draft statements too, each with a banner (publish.py).
    """
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
            with _quiet_dirty_warning(), drafts_shown(drafts):
                serve(config_file=str(path), dev_addr=dev_addr, livereload=True, build_type="dirty")
        except MkDocsException as exc:
            return _error(str(exc) or type(exc).__name__)
        except OSError as exc:  # e.g. the port is taken
            return _error(str(exc))
    return 0


#: The first line of MARKER. The lines after it list the files that run wrote, so that the
#: next run removes only the ones it no longer generates and never a file someone added.
_MANIFEST_HEADER = (
    "Generated by `briefing generate`. The next run rewrites the files listed below and "
    "removes those it no longer generates; other files are left alone.\n"
)
#: MARKER as written before it listed files, when every run replaced the whole folder.
_LEGACY_MARKER = "Generated by `briefing generate`; replaced on every run.\n"
_PAGE_NAME = "index.md"  # the only file name a generated page has (site.src_uri)
# Open flags that never follow a symlink at the file itself, never block on a FIFO and are
# not inherited by child processes; the flags a platform lacks (Windows) are left out.
_SAFE_OPEN = sum(getattr(os, flag, 0) for flag in ("O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC"))


class _OutDirError(Exception):
    pass


def _is_safe_relative(path: str) -> bool:
    # Manifest lines are read back from disk: only plain relative paths inside the folder.
    if not path or path.startswith("/") or "\\" in path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def _read_manifest(out: Path) -> set[str] | None:
    """The files the previous run listed in MARKER; None for an older run's marker.

    A marker that cannot be read, or that neither this version nor the older one wrote,
    lists nothing: then no file is ever removed, only rewritten.
    """
    try:
        fd = os.open(out / MARKER, os.O_RDONLY | _SAFE_OPEN)
    except OSError:
        return set()
    try:
        with os.fdopen(fd, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    if text == _LEGACY_MARKER:
        return None
    if not text.startswith(_MANIFEST_HEADER):
        return set()
    lines = text[len(_MANIFEST_HEADER) :].splitlines()
    return {line for line in lines if _is_safe_relative(line) and line != MARKER}


def _legacy_pages(out: Path) -> set[str]:
    """Generated pages in a folder an older `briefing generate` made (its MARKER lists none).

    That version replaced the whole folder on every run and wrote only `index.md` pages, so
    those are the files it made; anything else was added by someone and stays.
    """
    found: set[str] = set()
    for folder, dirs, names in os.walk(out):  # never descends into symlinked folders
        rel = Path(folder).relative_to(out).as_posix()
        prefix = "" if rel == "." else rel + "/"
        found.update(prefix + name for name in names if name == _PAGE_NAME)
        dirs.sort()
    return found


def _write_manifest(out: Path, files: set[str]) -> None:
    text = _MANIFEST_HEADER + "".join(f"{path}\n" for path in sorted(files))
    # Beside it, then renamed over it: a crash never leaves half a list, and a symlink put
    # in its place is replaced rather than written through.
    temp = out / f"{MARKER}.tmp-{secrets.token_hex(6)}"
    try:
        temp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temp, out / MARKER)
    finally:
        temp.unlink(missing_ok=True)


def _plan_folders(out: Path, files: dict[str, bytes]) -> list[str]:
    """The folders (relative, parents first) to create; _OutDirError if one is not a folder.

    Checks every folder on the way, so that nothing is written through a symlink someone
    put in the tree (the previous version deleted the tree first, which had the same
    effect), and nothing is written at all when one of them is in the way.
    """
    folders = sorted({uri.rpartition("/")[0] for uri in files} - {""})
    wanted: set[str] = set()
    for folder in folders:  # make sure every parent is checked too, parents first
        parts = folder.split("/")
        wanted.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    missing: list[str] = []
    absent: set[str] = set()
    base = str(out)  # plain strings: pathlib's joins cost more than the system calls here
    for folder in sorted(wanted, key=lambda f: (f.count("/"), f)):
        parent = folder.rpartition("/")[0]
        if parent in absent:  # no need to ask the file system
            absent.add(folder)
            missing.append(folder)
            continue
        try:
            mode = os.lstat(f"{base}/{folder}").st_mode
        except FileNotFoundError:
            absent.add(folder)
            missing.append(folder)
            continue
        if stat.S_ISLNK(mode):
            raise _OutDirError(f"{out / folder} is a symlink; nothing is written through one")
        if not stat.S_ISDIR(mode):
            raise _OutDirError(f"{out / folder} is in the way of generated pages")
    return missing


def _unchanged(path: str, data: bytes) -> bool:
    """Whether the file at `path` already holds `data`; _OutDirError if it is not a file."""
    try:
        fd = os.open(path, os.O_RDONLY | _SAFE_OPEN)
    except FileNotFoundError:
        return False
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _OutDirError(f"{path} is a symlink; nothing is written through one") from exc
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _OutDirError(f"{path} is in the way of a generated page")
        if info.st_size != len(data):  # changed, no need to read it
            return False
        # os.read rather than a file object: 16,000 of these, and one read is usually all.
        chunks = []
        left = len(data) + 1  # one byte more, to notice a file that grew meanwhile
        while left > 0 and (chunk := os.read(fd, left)):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks) == data
    finally:
        os.close(fd)


def _stale(out: Path, previous: set[str], current: set[str]) -> list[str]:
    """The files of the previous run this one no longer generates, that are still there.

    Only regular files, and only where no folder on the way is a symlink.
    """
    stale = []
    for rel in sorted(previous - current):
        target = out / rel
        parts = rel.split("/")
        try:
            on_the_way = [os.lstat(out.joinpath(*parts[:i])).st_mode for i in range(1, len(parts))]
            mode = os.lstat(target).st_mode
        except OSError:  # already gone
            continue
        if all(stat.S_ISDIR(m) for m in on_the_way) and stat.S_ISREG(mode):
            stale.append(rel)
    return stale


def _sync_tree(out: Path, files: dict[str, bytes]) -> tuple[int, int, int]:
    """Make `out` hold `files`: write what changed, remove the previous run's stale files.

    Returns (written, unchanged, removed). Files whose bytes are already right are not
    touched (same inode and mtime), so tools watching the folder see only real changes.
    """
    if not out.exists():
        out.mkdir(parents=True)
    listed = _read_manifest(out)
    previous = _legacy_pages(out) if listed is None else listed
    missing = _plan_folders(out, files)
    absent = set(missing)
    base = str(out)
    to_write = [
        uri
        for uri, data in files.items()
        if uri.rpartition("/")[0] in absent or not _unchanged(f"{base}/{uri}", data)
    ]
    stale = _stale(out, previous, set(files))
    current = set(files)
    # Listed before anything is written, so that a run cut short still knows its files.
    if listed != previous | current:
        _write_manifest(out, previous | current)
    for folder in missing:
        os.mkdir(f"{base}/{folder}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _SAFE_OPEN
    for uri in to_write:
        fd = os.open(f"{base}/{uri}", flags, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(files[uri])
    for rel in stale:
        (out / rel).unlink()
        # Folders left empty by the removal go too (rmdir refuses any that are not empty).
        parent = (out / rel).parent
        while parent != out:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    if previous | current != current:
        _write_manifest(out, current)
    return len(to_write), len(files) - len(to_write), len(stale)


def _load_generate_config(path: Path) -> MkDocsConfig:
    """mkdocs.yml with the `briefing` plugin as its only plugin, for `generate`.

    Generating needs the plugin's options only; loading every plugin would import them all
    (Material's search plugin imports jieba: a fifth of a second, and a pkg_resources
    warning). A configuration this cannot read that way is loaded whole, as before.
    """
    try:
        with open(path, "rb") as handle:
            raw = yaml_load(handle)
        plugins = raw.get("plugins")
        entries = list(plugins.items()) if isinstance(plugins, dict) else plugins
        mine = [
            entry
            for entry in entries or ()
            if entry == _PLUGIN_NAME
            or (isinstance(entry, dict) and list(entry) == [_PLUGIN_NAME])
            or (isinstance(entry, tuple) and entry[0] == _PLUGIN_NAME)
        ]
    except Exception:  # anything odd: MkDocs' own loading below reports it properly
        mine = []
    if len(mine) == 1:
        entry = mine[0]
        if isinstance(entry, tuple):
            entry = {entry[0]: entry[1]}
        return load_config(config_file=str(path), plugins=[entry])
    return load_config(config_file=str(path))


_PLUGIN_NAME = "briefing"  # the entry point name in pyproject.toml


def run_generate(content_dir: Path | None, out_dir: Path) -> int:
    """Write the generated Markdown tree to `out_dir` (for inspection or another builder).

    A folder made by an earlier run is updated in place: only files whose bytes changed are
    written, and the pages the records no longer produce are removed; files that run did not
    write are never touched.
    """
    options = Options()
    path = find_config()
    if path is not None:
        try:
            with _mkdocs_logging():
                config = _load_generate_config(path)
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
    if out.exists() and not out.is_dir():
        return _error(f"{out_dir} is a file, not a folder; choose another")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        return _error(f"{out_dir} is not empty and was not made by `briefing generate`")
    result = validate_archive(content)
    _report(result)
    if result.archive is None or result.errors:
        return 1
    # Two processes where the machine has two cores: the pages are the same bytes either way.
    # What a build would publish: no drafts (publish.py).
    archive = published(result.archive)
    pages = generate_pages(archive, options, processes=min(2, os.cpu_count() or 1))
    files = {page.src_uri: page.markdown.encode("utf-8") for page in pages}
    try:
        written, unchanged, removed = _sync_tree(out, files)
    except _OutDirError as exc:
        return _error(f"{exc}\n    hint: move it away, or choose another folder")
    except OSError as exc:  # a read-only folder, a full disk...
        return _error(f"could not write to {out_dir}: {exc}")
    print(
        f"wrote {len(pages)} pages to {out_dir}: {written} changed, {unchanged} unchanged, "
        f"{removed} stale removed",
        file=sys.stderr,
    )
    return 0
