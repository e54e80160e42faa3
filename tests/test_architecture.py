"""The plugin's module graph: no import cycles (also none hidden in a function body), every
module importable on its own, and the write side's layering (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from support import REPO

PACKAGE = REPO / "plugins" / "disclosures"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Modules of the package that `path` imports anywhere (top level or in a function)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("disclosures"):
                continue
            for alias in node.names:  # `from . import cache` imports a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("disclosures")}
    found.discard(name)
    # A submodule's parent packages run first; only count modules, not attribute paths.
    return {m for m in found if m in MODULES}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def graph() -> dict[str, set[str]]:
    # A package's __init__ importing its submodules is not a cycle with them.
    edges = {name: imports_of(path) for name, path in MODULES.items()}
    for name in edges:
        edges[name] = {m for m in edges[name] if not name.startswith(m + ".")}
    return edges


def test_no_import_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(edges[name]):
            if state.get(target) == 1:
                cycle = stack[stack.index(target) :] + [target]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name)


def test_render_and_patterns_do_not_import_each_other() -> None:
    edges = graph()
    assert "disclosures.patterns" not in edges["disclosures.render"] or (
        "disclosures.render" not in edges["disclosures.patterns"]
    )
    assert "disclosures.render" not in edges["disclosures.patterns"]


def test_the_model_and_the_read_side_know_nothing_of_the_write_side() -> None:
    edges = graph()
    write_side = {"disclosures.plan", "disclosures.publish", "disclosures.parallel"}
    for name in ("model", "load", "validate", "index", "pipeline", "cache", "render"):
        reach: set[str] = set()
        todo = [f"disclosures.{name}"]
        while todo:
            for target in edges[todo.pop()]:
                if target not in reach:
                    reach.add(target)
                    todo.append(target)
        assert not reach & write_side, (name, reach & write_side)


def test_every_module_imports_on_its_own() -> None:
    names = sorted(MODULES)
    script = (
        "import importlib, sys\n"
        f"names = {names!r}\n"
        "failed = []\n"
        "for name in names:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'disclosures']:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as error:\n"
        "        failed.append(f'{name}: {type(error).__name__}: {error}')\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(PACKAGE.parent), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
