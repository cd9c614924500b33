"""Benchmark: build synthetic archives of 1k, 10k and 100k statements and compare to a baseline.

For each size it measures, in separate processes (so that peak memory is per command):
validation, generation, the full `briefing build`, a second validation with unchanged
records (the cache), output size, the search bytes a browser downloads for one query, and
(up to 10k by default) the live-preview delay from saving a record to its page being served,
and the size of the artifact GitHub's Pages actions would upload (bench/artifact.py).
The baseline, measured in the same run on the same machine, is plain MkDocs + Material
(with its built-in search) over the Markdown tree that `briefing generate` writes.

    python bench/run.py                      # 1k, 10k and 100k (100k takes a while)
    python bench/run.py --sizes 1000,10000   # smaller
Not part of the test suite: performance lives here, not in timed tests.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from artifact import Artifact, pages_artifact  # noqa: E402
from preview import measure as measure_preview  # noqa: E402
from synth import write_archive  # noqa: E402

from generator.mkdocs.hosts import SiteSize  # noqa: E402
from generator.mkdocs.hosts import measure as measure_site  # noqa: E402


@dataclass
class Run:
    """One command's wall time, peak RSS, CPU time and exit status."""

    seconds: float
    peak_mb: float
    status: int
    #: CPU seconds in user and in system (kernel) mode, of the command and its children:
    #: on a machine with few cores, the work a build cannot overlap.
    user: float = 0.0
    system: float = 0.0


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `cmd`; wait4 reports the peak RSS and the CPU time of the process and the
    children it waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace")[-3000:])
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime, usage.ru_stime)


def measure_stage(project: Path, env: dict[str, str]) -> dict[str, float]:
    """The build's validation and generation, timed inside its own process (bench/stage.py)."""
    proc = subprocess.run(
        [sys.executable, str(HERE / "stage.py"), str(project)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        return {"validate": float("nan"), "generate": float("nan")}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def site_size(path: Path) -> SiteSize:
    """Bytes, files and largest file of a built site, as `briefing build` reports them."""
    return measure_site(path) if path.is_dir() else SiteSize(0, 0, 0, 0, "(not built)")


def artifact(site: Path) -> Artifact:
    """What GitHub's Pages actions would upload for a built site (bench/artifact.py); zero
    when it cannot be measured here (no GNU tar), which the report then shows."""
    if not site.is_dir():
        return Artifact(0, 0)
    try:
        return pages_artifact(site)
    except (OSError, RuntimeError) as exc:
        print(f"(Pages artifact not measured: {exc})", file=sys.stderr)
        return Artifact(0, 0)


def search_bytes(site: Path) -> tuple[int, str]:
    """What a browser downloads to answer one query, and what that consists of.

    Material's search downloads its whole index before the first query. Pagefind downloads
    its entry file, runtime and wasm, then only the index chunks and result packs a query
    needs; for it we count the runtime plus the largest index chunk and ten packs, an upper
    bound for one query's download.
    """
    material = site / "search" / "search_index.json"
    pagefind = site / "pagefind"
    if pagefind.is_dir() and (site / "search" / "index.html").is_file():
        try:  # measured in Chromium when Playwright is there (bench/search_bytes.py)
            from search_bytes import measure as measure_in_browser

            (query,) = measure_in_browser(site, ["cooperation"])
            return query.total, f"pagefind: measured in Chromium, {query.line()}"
        except Exception as exc:  # no Playwright or Chromium: estimate from the files
            print(f"(search bytes estimated: no browser measurement: {exc})", file=sys.stderr)
    if pagefind.is_dir():
        fixed = sum(
            f.stat().st_size
            for f in pagefind.iterdir()
            if f.is_file()
            and (
                f.suffix in (".js", ".json") or ".pagefind" in f.name or f.name.endswith(".pf_meta")
            )
        )
        chunks = sorted((f.stat().st_size for f in (pagefind / "index").glob("*")), reverse=True)
        # Results are read from packs of a few fragments (generator/search/packs.py).
        packs = sorted((f.stat().st_size for f in pagefind.glob("*/pack/*")), reverse=True)
        total = fixed + (chunks[0] if chunks else 0) + sum(packs[:10])
        return total, "pagefind: runtime + 1 index chunk + 10 result packs (gzipped files)"
    if material.is_file():
        data = material.read_bytes()
        how = f"material: whole search_index.json ({len(data):,} B raw)"
        return len(gzip.compress(data, 6)), how
    return 0, "no search index"


BASELINE_YML = """\
site_name: Baseline
docs_dir: generated
site_dir: {site}
use_directory_urls: true
theme:
  name: material
markdown_extensions: [attr_list, md_in_html]
plugins:
  - search:
      lang: [en, ru]
nav:
  - index.md
validation:
  nav:
    omitted_files: ignore
  links:
    not_found: ignore
"""


def prepare(size: int, work: Path) -> Path:
    """A project folder with the repository's config and docs and a synthetic content/."""
    project = work / f"n{size}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, project / name)
    for name in ("docs",):
        shutil.copytree(REPO / name, project / name)
    write_archive(project / "content", size)
    return project


def bench(size: int, work: Path, preview: bool) -> dict[str, object]:
    """Every figure for one archive size."""
    project = prepare(size, work)
    briefing = [sys.executable, "-m", "generator.cli"]
    env = {"XDG_CACHE_HOME": str(project / "cache")}  # a cold cache for the first runs
    cold = measure([*briefing, "validate", "content"], project, env)
    gen = measure([*briefing, "generate", "--out", "generated"], project, env)
    warm = measure([*briefing, "validate", "content"], project, env)
    # The same stage as the build runs it, in memory: once more with the cache warm, and
    # once with a cache of its own that starts empty.
    stage_warm = measure_stage(project, env)
    stage_cold = measure_stage(project, {"XDG_CACHE_HOME": str(project / "cache-stage")})
    shutil.rmtree(project / "cache-stage", ignore_errors=True)
    shutil.rmtree(project / "cache", ignore_errors=True)
    build = measure([*briefing, "build", "--site-dir", "site"], project, env)
    (project / "baseline.yml").write_text(BASELINE_YML.format(site="baseline-site"), "utf-8")
    base = measure([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "baseline.yml"], project)
    ours_search, ours_how = search_bytes(project / "site")
    base_search, base_how = search_bytes(project / "baseline-site")
    # Live preview: save one record under `briefing serve`, time until its page shows it.
    saves = measure_preview(project) if preview else []
    return {
        "preview": saves,
        "size": size,
        "validate": cold,
        "generate": gen,
        "validate_warm": warm,
        "build": build,
        "stage_cold": stage_cold,
        "stage_warm": stage_warm,
        "baseline": base,
        "out": site_size(project / "site"),
        "base_out": site_size(project / "baseline-site"),
        "artifact": artifact(project / "site"),
        "base_artifact": artifact(project / "baseline-site"),
        "search": (ours_search, ours_how),
        "base_search": (base_search, base_how),
    }


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def _stage(label: str, figures: dict[str, float]) -> str:
    v, g = figures["validate"], figures["generate"]
    return (
        f"  {label} {v + g:8.2f} s   = validate {v:.2f} s + generate {g:.2f} s "
        "(in memory, pages in two processes)"
    )


def report(row: dict[str, object]) -> str:
    """The figures for one size as text, with ratios to the baseline."""
    v, g, w, b, base = (
        row[k] for k in ("validate", "generate", "validate_warm", "build", "baseline")
    )
    assert isinstance(v, Run) and isinstance(g, Run) and isinstance(w, Run)
    assert isinstance(b, Run) and isinstance(base, Run)
    out, base_out = cast(SiteSize, row["out"]), cast(SiteSize, row["base_out"])
    s, how = cast(tuple[int, str], row["search"])
    bs, bhow = cast(tuple[int, str], row["base_search"])
    art, base_art = cast(Artifact, row["artifact"]), cast(Artifact, row["base_artifact"])
    status = "" if b.status == 0 and base.status == 0 else "  (A COMMAND FAILED)"
    return "\n".join(
        [
            f"== {row['size']:,} statements{status}",
            f"  validate (cold)      {v.seconds:8.2f} s   peak {v.peak_mb:7.0f} MB",
            f"  validate (unchanged) {w.seconds:8.2f} s   peak {w.peak_mb:7.0f} MB",
            f"  validate + generate  {g.seconds:8.2f} s   peak {g.peak_mb:7.0f} MB   "
            "(briefing generate: writes the Markdown tree)",
            _stage("build stage, cold   ", row["stage_cold"]),  # type: ignore[arg-type]
            _stage("build stage, warm   ", row["stage_warm"]),  # type: ignore[arg-type]
            f"  full build           {b.seconds:8.2f} s   peak {b.peak_mb:7.0f} MB   "
            f"output {out.bytes / 1e6:8.1f} MB   search/query {s / 1e6:6.2f} MB",
            f"  baseline build       {base.seconds:8.2f} s   peak {base.peak_mb:7.0f} MB   "
            f"output {base_out.bytes / 1e6:8.1f} MB   search/query {bs / 1e6:6.2f} MB",
            f"  CPU, user + system   build {b.user:.1f} + {b.system:.1f} s   "
            f"baseline {base.user:.1f} + {base.system:.1f} s",
            f"  ratio to baseline    time {_ratio(b.seconds, base.seconds)}   "
            f"memory {_ratio(b.peak_mb, base.peak_mb)}   "
            f"output {_ratio(out.bytes, base_out.bytes)}   "
            f"search {_ratio(s, bs)}",
            f"  site files           {out.files:8,} files, largest {out.largest / 1e6:.1f} MB "
            f"({out.largest_path})",
            f"  baseline files       {base_out.files:8,} files, largest "
            f"{base_out.largest / 1e6:.1f} MB ({base_out.largest_path})",
            f"  Pages artifact       {art.deflated_bytes / 1e6:8.1f} MB deflated "
            f"(tar {art.tar_bytes / 1e6:.1f} MB); baseline {base_art.deflated_bytes / 1e6:.1f} MB "
            f"(tar {base_art.tar_bytes / 1e6:.1f} MB)",
            f"  search: ours = {how}; baseline = {bhow}",
            "  preview: save -> page served (briefing serve) "
            + (", ".join(f"{t:.2f} s" for t in row["preview"]) or "not measured"),  # type: ignore[attr-defined]
        ]
    )


def main() -> int:
    """Run the benchmark for the sizes asked for and print the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    parser.add_argument(
        "--preview-max",
        type=int,
        default=10000,
        help="measure live preview for sizes up to this (a serve's first build is a full one)",
    )
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for size in (int(s) for s in args.sizes.split(",")):
        print(report(bench(size, args.work, size <= args.preview_max)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
