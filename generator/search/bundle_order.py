"""Pagefind bundles in a canonical order, so the same records give the same files.

Pagefind 1.5 writes each filter's values, and the metadata's list of filters, in hash-map
order, which changes from run to run (Pagefind/pagefind#638): the same records would give
different filter and metadata files, under different names. `normalise` rewrites them
sorted. The files are gzip of b"pagefind_dcd" + CBOR (RFC 8949), read and written with
cbor2, whose shortest-form encoding is the one Pagefind writes (tests/test_search_pagefind.py
checks it on a real run); a file in any other shape is left exactly as written.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
from pathlib import Path
from typing import cast

import cbor2

log = logging.getLogger("mkdocs.plugins.briefing")

#: A file every Pagefind bundle has: a folder holding it is a bundle we may replace.
ENTRY = "pagefind-entry.json"
_SIGNATURE = b"pagefind_dcd"
#: What Pagefind's files hold: arrays, text and integers (negative ones in its indexes only).
CBOR = int | str | list["CBOR"]


def read_pf(path: Path) -> CBOR:
    """The value in a Pagefind file (filter, metadata or index).

    ValueError unless the file is Pagefind's signature and one CBOR value of the expected
    kinds: a file in another shape is not rewritten, however cbor2 would read it.
    """
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"{path.name}: no Pagefind signature")
    stream = io.BytesIO(data)
    stream.seek(len(_SIGNATURE))
    try:
        value = cbor2.CBORDecoder(stream).decode()
    except cbor2.CBORDecodeError as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    if stream.tell() != len(data):
        raise ValueError(f"{path.name}: trailing bytes")
    if not _expected(value):
        raise ValueError(f"{path.name}: CBOR other than arrays, text and integers")
    return cast(CBOR, value)


def _expected(value: object) -> bool:
    # `type(...) is int`: cbor2 reads CBOR's true and false as bool, an int subclass.
    if type(value) is list:
        return all(map(_expected, value))
    return type(value) is str or type(value) is int


def pf_bytes(value: CBOR) -> bytes:
    """A Pagefind file holding `value`: gzip of the signature and the CBOR encoding."""
    # mtime=0: a gzip header holds a time stamp otherwise.
    return gzip.compress(_SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _canonical(bundle: Path) -> None:
    """Rewrite one bundle's filter files and metadata in sorted order, named by content."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = cast(list[CBOR], read_pf(path))
        ordered = sorted(cast(list[list[CBOR]], values), key=lambda v: str(v[0]))
        data = pf_bytes([name, cast(CBOR, ordered)])
        old = path.name.removesuffix(".pf_filter")
        new = f"{old.split('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[:7]}"
        path.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
        renamed[old] = new
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = cast(list[CBOR], read_pf(meta_path))
        filters = cast(list[list[str]], meta[3])
        meta[3] = cast(CBOR, sorted([name, renamed.get(h, h)] for name, h in filters))
        data = pf_bytes(meta)
        lang = language["hash"].split("_", 1)[0]
        language["hash"] = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{language['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def normalise(bundle: Path) -> None:
    """`_canonical`, or the bundle as Pagefind wrote it when its format is not the expected."""
    try:
        _canonical(bundle)
    except (ValueError, KeyError, IndexError, TypeError, OSError) as exc:
        log.debug("briefing: %s: filter files left in Pagefind's order (%s)", bundle.name, exc)


__all__ = ["CBOR", "ENTRY", "normalise", "pf_bytes", "read_pf"]
