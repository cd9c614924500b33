"""The package declares everything it needs, in ranges that hold the versions CI tests.

`pip install briefing-archive` alone must be able to build any archive the tool supports
(Pagefind included), and what CONTRIBUTING tells a contributor to run must be installed by
the command it gives.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> dict[str, Requirement]:
    found = (Requirement(text) for text in PYPROJECT["project"]["dependencies"])
    return {canonicalize_name(req.name): req for req in found}


def _pins(name: str) -> dict[str, str]:
    """`name==version` lines of a requirements file and the files it includes."""
    pins: dict[str, str] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(_pins(line[3:].strip()))
        elif line:
            req = Requirement(line)
            (version,) = [spec.version for spec in req.specifier if spec.operator == "=="]
            pins[canonicalize_name(req.name)] = version
    return pins


def _third_party_imports() -> set[str]:
    modules: set[str] = set()
    for path in (ROOT / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m != "generator"}


def test_every_declared_dependency_is_pinned_inside_its_range() -> None:
    pins = _pins("requirements.txt")
    for name, req in _declared().items():
        assert name in pins, f"{req} is declared but requirements.txt does not pin it"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"requirements.txt pins {name}=={pins[name]}, outside the declared {req}"
        )


def test_every_imported_package_is_declared() -> None:
    owners = importlib.metadata.packages_distributions()
    declared = set(_declared())
    for module in sorted(_third_party_imports()):
        dists = {canonicalize_name(d) for d in owners.get(module, [])}
        assert dists & declared, f"generator imports {module} ({dists}) but does not declare it"


def test_pagefind_is_declared_with_its_extended_binary() -> None:
    """Archives over 2,000 statements search with Pagefind (`search: auto`)."""
    req = _declared()["pagefind"]
    assert "extended" in req.extras


def test_contributing_set_up_commands_are_installed_by_the_command_given() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("## Set up once", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    modes = dict(re.findall(r"^  (\w+)\)\n((?:    .*\n)+?)    ;;", setup, re.MULTILINE))
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    for command in filter(None, commands):
        assert command.startswith("bash scripts/setup.sh "), (
            f"CONTRIBUTING runs `{command}`, which no set-up command installs"
        )
        mode = command.split()[-1]
        assert mode in modes, f"scripts/setup.sh has no `{mode}` mode"
        for tool in re.findall(r'"\$py" -m (\w+)', modes[mode]):
            files = re.findall(r"install_python (\S+)", modes[mode])
            pinned = set().union(*(_pins(f) for f in files))
            assert canonicalize_name(tool.replace("_", "-")) in pinned, (
                f"`setup.sh {mode}` runs {tool} but installs no pin of it"
            )
