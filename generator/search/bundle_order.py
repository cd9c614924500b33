"""Pagefind bundles in a canonical order, so the same records give the same files.

Pagefind 1.5 writes each filter's values, and the metadata's list of filters, in hash-map
order, which changes from run to run (Pagefind/pagefind#638): the same records would give
different filter and metadata files, under different names. `normalise` rewrites them
sorted. The files are gzip of b"pagefind_dcd" + CBOR (RFC 8949) holding only arrays, text
and unsigned integers, so a small codec does; anything else is left exactly as written.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from pathlib import Path
from typing import cast

log = logging.getLogger("mkdocs.plugins.briefing")

#: A file every Pagefind bundle has: a folder holding it is a bundle we may replace.
ENTRY = "pagefind-entry.json"
_SIGNATURE = b"pagefind_dcd"
CBOR = int | str | list["CBOR"]


def _cbor_load(data: bytes, at: int = 0) -> tuple[CBOR, int]:
    head, at = data[at], at + 1
    major, info = head >> 5, head & 31
    if info < 24:
        value = info
    elif info <= 27:
        width = 1 << (info - 24)
        value, at = int.from_bytes(data[at : at + width], "big"), at + width
    else:
        raise ValueError("indefinite or reserved CBOR length")
    if major == 0:
        return value, at
    if major == 3:
        return data[at : at + value].decode("utf-8"), at + value
    if major == 4:
        items: list[CBOR] = []
        for _ in range(value):
            item, at = _cbor_load(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} not expected in a Pagefind filter file")


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | info]) + value.to_bytes(width, "big")
    raise ValueError("CBOR integer too large")


def _cbor_dump(value: CBOR) -> bytes:
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    return _cbor_head(4, len(value)) + b"".join(_cbor_dump(item) for item in value)


def read_pf(path: Path) -> CBOR:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"{path.name}: no Pagefind signature")
    value, end = _cbor_load(data, len(_SIGNATURE))
    if end != len(data):
        raise ValueError(f"{path.name}: trailing bytes")
    return value


def _pf_bytes(value: CBOR) -> bytes:
    # mtime=0: a gzip header holds a time stamp otherwise.
    return gzip.compress(_SIGNATURE + _cbor_dump(value), compresslevel=9, mtime=0)


def _canonical(bundle: Path) -> None:
    """Rewrite one bundle's filter files and metadata in sorted order, named by content."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = cast(list[CBOR], read_pf(path))
        ordered = sorted(cast(list[list[CBOR]], values), key=lambda v: str(v[0]))
        data = _pf_bytes([name, cast(CBOR, ordered)])
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
        data = _pf_bytes(meta)
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


__all__ = ["CBOR", "ENTRY", "normalise", "read_pf"]
