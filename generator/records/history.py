"""When each record last changed, from the repository's history (git).

One `git log` over the content folder gives the day of the last commit that touched each
file, for every record at once. The day is the commit's committer time in UTC, so the same
history gives the same days on every machine. When the history cannot be trusted to be
complete, nothing is known rather than something wrong: git missing, the folder outside a
git work tree, or a shallow clone (whose oldest commit would look like every file's last
change). Uncommitted edits are not in the history: a record's day is its last commit's.

The answer is kept per folder and commit (`HEAD`): a `serve` rebuild after an edit asks git
only whether `HEAD` moved.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from generator.records.model import Archive

#: The last answer for each content folder, with the commit `HEAD` was at.
_KNOWN: dict[str, tuple[str, Mapping[str, dt.date]]] = {}
#: Marks a commit's line in the log (`%x01`, then its committer time); no file name holds it.
_COMMIT = "\x01"


def _git(folder: Path, *args: str) -> str | None:
    """Git's output for `args` run in `folder`, or None when git is missing or fails."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "-c", "log.showSignature=false", *args],
            cwd=folder,
            env=env,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


def parse_log(text: str) -> dict[str, dt.date]:
    """The newest day for each path in `git log -z --name-only --format=%x01%ct` output.

    The log lists commits newest first, so a path's first appearance is its last change.
    """
    changed: dict[str, dt.date] = {}
    day: dt.date | None = None
    for token in text.split("\0"):
        token = token.lstrip("\n")
        if token.startswith(_COMMIT):
            stamp = int(token[1:])
            day = dt.datetime.fromtimestamp(stamp, dt.UTC).date()
        elif token and day is not None and token not in changed:
            changed[token] = day
    return changed


def last_changed(content_dir: Path) -> Mapping[str, dt.date]:
    """The day each file under `content_dir` last changed in git, by its path relative to
    `content_dir` (POSIX separators, as `Record.path`); empty when the history is unknown."""
    head = _git(content_dir, "rev-parse", "--is-shallow-repository", "HEAD")
    if head is None or len(lines := head.split()) != 2 or lines[0] != "false":
        return {}
    folder, commit = str(content_dir.resolve()), lines[1]
    known = _KNOWN.get(folder)
    if known is None or known[0] != commit:
        log = _git(
            content_dir,
            "log",
            "-z",
            "--no-renames",  # a moved file's new path is then named like any other change
            "--name-only",
            "--format=%x01%ct",
            "--relative",  # paths relative to the content folder, and only those in it
            "HEAD",
            "--",
            ".",
        )
        if log is None:
            return {}
        known = _KNOWN[folder] = (commit, parse_log(log))
    return known[1]


def with_history(archive: Archive, content_dir: Path) -> Archive:
    """The archive with the day each of its records last changed (`Archive.changed`)."""
    return replace(archive, changed=last_changed(content_dir))


__all__ = ["last_changed", "parse_log", "with_history"]
