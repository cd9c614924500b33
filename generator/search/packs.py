"""Pagefind's result fragments packed a few to a file, instead of one file per document.

Pagefind writes one fragment file (a result's URL, title, filters and text) per indexed
document: with a permalink page per statement as well, a large archive would need two files
per statement, past what static hosts accept. Pagefind's index, filters and ranking stay as
they are (one document per statement, so counts and filters are exact); only the fragments
move, after indexing, into packs: `pack/<n>.pf_pack` maps each fragment's hash (the `id` of
a Pagefind result) to the fragment, and n = the hash's hex part modulo the shard's pack count
(`packs` in shards.json). The search page computes n from a result's id, fetches that pack
once, and reads the fragment from it (generator/theme/assets/javascripts/briefing-search.js).

A pack is gzip-compressed JSON, like Pagefind's own files and under an extension of the same
kind: a host then serves it as it is (no host decompresses an unknown extension on the way),
and it takes on disk what the fragments took.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Final

#: The folder of a shard's packs, and of Pagefind's fragments (removed once packed).
PACK_DIR: Final = "pack"
FRAGMENT_DIR: Final = "fragment"
PACK_SUFFIX: Final = ".pf_pack"
#: Documents per pack on average: more means fewer files, and more bytes fetched per result.
PACK_SIZE: Final = 8
_SIGNATURE: Final = b"pagefind_dcd"


def pack_count(documents: int, size: int = PACK_SIZE) -> int:
    """How many packs a shard of `documents` documents gets (at least one)."""
    return max(1, -(-documents // max(1, size)))


def pack_of(fragment_id: str, count: int) -> int:
    """The pack that holds the fragment `fragment_id` (`en_72cf5b3`): hex part mod `count`.

    The search page computes the same (parseInt(hex, 16) % count): a hash's hex part stays
    well under 2**53, where JavaScript numbers are exact.
    """
    return int(fragment_id.rsplit("_", 1)[-1], 16) % count


def read_fragment(path: Path) -> dict[str, object]:
    """One Pagefind fragment file: gzip of the signature and the fragment's JSON."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"{path.name}: no Pagefind signature")
    value = json.loads(data[len(_SIGNATURE) :].decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError(f"{path.name}: not a fragment")
    return value


def pack_fragments(bundle: Path, count: int) -> None:
    """Move a bundle's fragments into `count` packs (`pack_count` of the shard's documents,
    the figure the manifest gives the search page).

    Deterministic: packs hold their fragments sorted by id, in compact JSON, gzip without a
    time stamp.
    """
    fragments = sorted((bundle / FRAGMENT_DIR).glob("*.pf_fragment"))
    packs: dict[int, dict[str, object]] = {}
    for path in fragments:
        fragment_id = path.name.removesuffix(".pf_fragment")
        packs.setdefault(pack_of(fragment_id, count), {})[fragment_id] = read_fragment(path)
    folder = bundle / PACK_DIR
    folder.mkdir(exist_ok=True)
    for number, pack in sorted(packs.items()):
        text = json.dumps(pack, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        data = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
        (folder / f"{number}{PACK_SUFFIX}").write_bytes(data)
    shutil.rmtree(bundle / FRAGMENT_DIR, ignore_errors=True)


def read_pack(path: Path) -> dict[str, object]:
    """The fragments of one pack, by id."""
    value = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError(f"{path.name}: not a pack")
    return value


__all__ = [
    "FRAGMENT_DIR",
    "PACK_DIR",
    "PACK_SIZE",
    "PACK_SUFFIX",
    "pack_count",
    "pack_fragments",
    "pack_of",
]
