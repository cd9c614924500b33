"""The package keeps the shape the README's "How it works" describes.

Each stage imports only the stages below it (import-linter's contracts in pyproject.toml),
modules stay small, and the garbage collector has few owners. The lists of today's
exceptions may only shrink: a test fails when one grows, or when an exception has been
paid off but is still listed (so the list is shortened in the same change).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"
MAX_LINES = 400

#: Modules still over MAX_LINES, with the most lines each may have until it is split.
OVERSIZED: dict[str, int] = {}

#: The modules allowed to use `gc` directly; collector.py is to be the only one.
GC_USERS = {"collector.py"}


def _modules() -> dict[str, Path]:
    return {p.relative_to(PACKAGE).as_posix(): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_stages_import_only_the_stages_below_them() -> None:
    tool = Path(sys.executable).parent / "lint-imports"
    if not tool.exists():
        pytest.fail("lint-imports is not installed; run: bash scripts/setup.sh test")
    proc = subprocess.run(
        [str(tool), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_no_module_grows_past_its_limit() -> None:
    sizes = {name: len(path.read_text("utf-8").splitlines()) for name, path in _modules().items()}
    too_big = {
        name: lines for name, lines in sizes.items() if lines > OVERSIZED.get(name, MAX_LINES)
    }
    assert not too_big, f"over the limit ({MAX_LINES} lines, or the listed debt): {too_big}"
    paid = {name for name in OVERSIZED if sizes.get(name, 0) <= MAX_LINES}
    assert not paid, f"now small enough: remove from OVERSIZED: {sorted(paid)}"


def _uses_gc(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import) and any(a.name == "gc" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "gc":
            return True
    return False


def test_few_modules_touch_the_garbage_collector() -> None:
    users = {name for name, path in _modules().items() if _uses_gc(path)}
    assert users <= GC_USERS, (
        f"new direct users of gc (use generator.collector): {users - GC_USERS}"
    )
    assert users == GC_USERS, f"no longer use gc: remove from GC_USERS: {GC_USERS - users}"


def test_no_module_imports_another_modules_private_names() -> None:
    """What a module shares is public: a `_name` is its own, so changing it breaks nothing
    elsewhere."""
    borrowed = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator"):
                borrowed += [
                    f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert not borrowed, "\n".join(borrowed)
