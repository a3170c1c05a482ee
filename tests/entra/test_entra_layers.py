"""DESIGN, Layers: "entra (a SCIM *client*, apart) ... speaks only HTTP, so it runs against
our tenants or anyone's endpoint": it never reaches into the server's layers."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import sandbox.entra

SCRIPT = """
import json, sys
import sandbox.entra, sandbox.cli.simulate
from sandbox.entra import ProvisioningConfig, ProvisioningEngine, SourceDirectory
directory = SourceDirectory.fake(users=2, groups=1)
def answer(method, url, headers, body):
    return 200, {}, b'{"totalResults": 0, "Resources": []}'
ProvisioningEngine(ProvisioningConfig("https://example.test/scim", "t"), answer).test_connection()
print(json.dumps(sorted(sys.modules)))
"""


def test_the_simulator_imports_no_server_layer():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          check=True, timeout=60)
    modules = json.loads(done.stdout)
    for layer in ("sandbox.service", "sandbox.store", "sandbox.http", "flask", "tinydb"):
        assert not any(m == layer or m.startswith(layer + ".") for m in modules), layer


def _entra_imports() -> dict[str, set[str]]:
    """Module → the sandbox.entra modules it imports, `if TYPE_CHECKING:` blocks included."""
    root = Path(sandbox.entra.__file__).parent
    names = {p.stem for p in root.glob("*.py")} - {"__init__"}
    edges: dict[str, set[str]] = {}
    for name in names:
        tree = ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "sandbox.entra":
                found |= {a.name for a in node.names if a.name in names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "sandbox.entra."):
                found.add(node.module.split(".")[2])
        edges[name] = found - {name}
    return edges


def test_the_simulator_modules_import_one_way():
    """engine → cycle → groups → steps, never back: no module reaches one that reaches it."""
    edges = _entra_imports()

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for target in edges[todo.pop()] - seen:
                seen.add(target)
                todo.append(target)
        return seen

    circles = sorted(name for name in edges if name in reach(name))
    assert circles == []
    assert "engine" not in reach("cycle") and "cycle" not in reach("groups")
