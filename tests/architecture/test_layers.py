"""The layers of DESIGN.md and ARCHITECTURE.md hold in the code: each room imports only the
rooms below it, the SCIM engine imports no web framework, no two modules import each other
(directly or round a circle), and rooms stay small."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest
from import_graph import circles, graph, imports, modules

# Room → the rooms it may import. `constants` and `config` hold plain values every room may
# read. The Entra client stands apart: it speaks HTTP and shares only the grammar, the
# constants and the fake directory.
ALLOWED: dict[str, set[str]] = {
    "constants": set(),
    "config": set(),
    "scim": {"constants"},
    "store": {"constants"},
    "seed": {"scim", "constants"},
    "vendors": {"scim", "constants"},
    "service": {"scim", "vendors", "store", "seed", "constants", "config"},
    "entra": {"scim", "seed", "vendors", "constants"},
    "http": {"service", "scim", "vendors", "constants", "config"},
    "console": {"http", "service", "scim", "vendors", "entra", "seed", "constants", "config"},
    "app": {"http", "console", "service", "scim", "vendors", "store", "constants", "config"},
}
# Ways in, above every room: they may import anything.
ENTRANCES = {"root", "__main__", "cli", "testing", "pytest_plugin"}


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def test_every_room_is_known():
    unknown = {room(name) for name in modules()} - set(ALLOWED) - ENTRANCES
    assert not unknown, f"rooms with no place in the layers: {sorted(unknown)}"


def test_rooms_import_only_the_rooms_below_them():
    wrong = []
    for found in imports():
        if not found.imported.startswith("sandbox.") or found.imported == "sandbox":
            continue
        source, target = room(found.importer), room(found.imported)
        if source in ENTRANCES or source == target:
            continue
        if target not in ALLOWED.get(source, set()):
            wrong.append(f"{found.importer}:{found.line} imports {found.imported}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_module_sits_on_an_import_circle():
    found = circles(graph(include_type_only=True))
    assert not found, "import circles: " + "; ".join(" -> ".join(c) for c in found)


@pytest.mark.parametrize("library", ["flask", "werkzeug", "tinydb", "faker"])
def test_the_scim_engine_imports_no_framework_or_store(library):
    for found in imports():
        if room(found.importer) == "scim":
            assert found.imported.split(".")[0] != library, found


def test_importing_the_scim_engine_loads_no_web_framework():
    script = ("import json, sys, pkgutil, importlib, sandbox.scim\n"
              "for m in pkgutil.walk_packages(sandbox.scim.__path__, 'sandbox.scim.'):\n"
              "    importlib.import_module(m.name)\n"
              "print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=60)
    loaded = json.loads(done.stdout)
    for library in ("flask", "werkzeug", "tinydb", "faker", "sandbox.service", "sandbox.http"):
        assert not any(m == library or m.startswith(library + ".") for m in loaded), library


MAX_MODULE_LINES = 400
MAX_NESTED_FUNCTION_LINES = 40


def test_no_module_is_over_400_lines():
    long = {name: len(path.read_text(encoding="utf-8").splitlines())
            for name, path in modules().items()}
    assert not {n: count for n, count in long.items() if count > MAX_MODULE_LINES}


def test_no_function_defined_inside_another_is_over_40_lines():
    # Views and helpers inside a registering function are how rooms grow unreadable.
    found = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for outer in ast.walk(tree):
            if not isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(outer):
                if inner is outer or not isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                length = (inner.end_lineno or inner.lineno) - inner.lineno + 1
                if length > MAX_NESTED_FUNCTION_LINES:
                    found.append(f"{name}.{outer.name}.{inner.name}: {length} lines")
    assert not found, found
