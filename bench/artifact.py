"""The size of the artifact GitHub's Pages actions would upload for a built site.

`actions/upload-pages-artifact` packs the site folder with GNU tar (following links, leaving
out `.git` and `.github`) and hands the tar to `actions/upload-artifact@v4`, which stores it
in a zip deflated at level 6. `actions/deploy-pages` then compares that stored size with
1 GiB and warns above it; the folder's own byte count is never checked by the action.

    python bench/artifact.py SITE_DIR

Real GNU tar makes the tar (`gtar` where `tar` is BSD's, as on macOS); zlib at level 6 (the
deflate the zip uses) counts its compressed bytes, so nothing is written to disk. The zip's own
headers for its one member are left out.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

#: What `actions/deploy-pages` compares the uploaded artifact with (ONE_GIGABYTE there).
DEPLOY_WARNS_ABOVE = 1024**3
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Artifact:
    """The tar's bytes and the deflated bytes the Pages deployment is checked against."""

    tar_bytes: int
    deflated_bytes: int


def pages_artifact(site: Path) -> Artifact:
    """Tar `site` as upload-pages-artifact does and count the tar and its deflated size."""
    tar = subprocess.Popen(
        [
            shutil.which("gtar") or "tar",
            "--dereference",
            "--hard-dereference",
            "--directory",
            str(site),
            "-cf",
            "-",
            "--exclude=.git",
            "--exclude=.github",
            ".",
        ],
        stdout=subprocess.PIPE,
    )
    assert tar.stdout is not None
    # A raw deflate stream (no zlib header), as a zip member holds it.
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = packed = 0
    while chunk := tar.stdout.read(_CHUNK):
        raw += len(chunk)
        packed += len(deflate.compress(chunk))
    packed += len(deflate.flush())
    if tar.wait() != 0:
        raise RuntimeError(f"tar failed on {site} (exit {tar.returncode})")
    return Artifact(raw, packed)


def main() -> int:
    """Print the artifact's sizes for the site folder given."""
    site = Path(sys.argv[1])
    art = pages_artifact(site)
    verdict = "over" if art.deflated_bytes > DEPLOY_WARNS_ABOVE else "under"
    print(
        f"tar {art.tar_bytes / 1e6:.1f} MB, deflated {art.deflated_bytes / 1e6:.1f} MB "
        f"({verdict} the 1 GiB deploy-pages checks)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
