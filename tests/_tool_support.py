"""The real command-line tools the tests check files with (zizmor, check-jsonschema,
linkchecker): the ones installed beside this Python, which requirements-test.txt pins."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def tool(name: str) -> str:
    """The executable `name`, preferring the one installed beside this Python (the pinned one)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` is not installed; run: bash scripts/setup.sh test")
    return found


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for subprocesses: this Python's scripts first on PATH, no colour."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(NO_COLOR="1", PYTHONIOENCODING="utf-8", **extra)
    return env


def run_tool(args: list[str], cwd: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run `args` in `cwd` (no stdin: nothing may wait for input), capturing its output."""
    return subprocess.run(
        args,
        cwd=cwd,
        env=tool_env(**extra_env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
