"""Where the package's data lives: page templates, the archive skeleton, schemas, theme."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
ARCHIVE_SKELETON = TEMPLATES / "archive"
SCHEMAS = PACKAGE / "schemas"
THEME = PACKAGE / "theme"


@functools.cache
def code_stamp() -> str:
    """A digest of every module and schema of the package, read once per process.

    Caches of work derived from the records (validation results, compiled templates) are
    keyed by it, so that any change to the code that made them discards them: no list of
    the files that matter to keep up to date.
    """
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted([*PACKAGE.rglob("*.py"), *SCHEMAS.glob("*.json")]):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
