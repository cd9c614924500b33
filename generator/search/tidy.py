"""A shard's bundle made ready to publish, in a process of its own.

What Pagefind writes for a shard is pruned to what the search page loads, put in a canonical
order (bundle_order.py: the same records give the same bytes) and its one-file-per-document
fragments packed (packs.py). That is Python work over every fragment of the shard, done while
MkDocs renders pages: in a thread of the build it would hold the interpreter's lock that
MkDocs needs, so the indexer runs it as `python -m generator.search.tidy BUNDLE PACKS`
beside Pagefind's own process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.search.bundle_order import ENTRY, normalise
from generator.search.packs import FRAGMENT_DIR, PACK_DIR, pack_fragments

#: What the search page needs of each shard's bundle; the rest (Pagefind's own UIs) is
#: removed. The page imports pagefind.js once, from the first shard it searches, and
#: Pagefind starts its worker from that shard's pagefind-worker.js; result fragments are read
#: from packs (packs.py), which replace Pagefind's fragment folder once written.
KEEP = ("pagefind.js", "pagefind-worker.js", ENTRY, "index", FRAGMENT_DIR, PACK_DIR, "filter")


def prune(bundle: Path) -> None:
    """Remove what the search page never loads from one shard's bundle."""
    for path in bundle.iterdir():
        keep = path.name in KEEP or path.suffix == ".pf_meta" or path.name.startswith("wasm.")
        if not keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def tidy(bundle: Path, packs: int) -> None:
    """Prune `bundle`, put it in canonical order and pack its fragments into `packs` packs."""
    prune(bundle)
    normalise(bundle)
    pack_fragments(bundle, packs)


def tidy_apart(bundle: Path, packs: int, python: str = sys.executable) -> None:
    """`tidy` in a new Python process; subprocess.CalledProcessError if it fails."""
    # The package this module belongs to comes first on the child's path, whatever the
    # folder it starts in (the bundle's, where nothing can shadow it).
    package_root = str(Path(__file__).resolve().parents[2])
    paths = [package_root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [python, "-m", "generator.search.tidy", str(bundle.resolve()), str(packs)]
    subprocess.run(command, cwd=bundle, env=env, check=True, capture_output=True)


def main(argv: list[str]) -> int:
    """`python -m generator.search.tidy BUNDLE PACKS`."""
    bundle, packs = argv
    tidy(Path(bundle), int(packs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


__all__ = ["KEEP", "main", "prune", "tidy", "tidy_apart"]
