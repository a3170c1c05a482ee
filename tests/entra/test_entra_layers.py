"""DESIGN, Layers: "entra (a SCIM *client*, apart) ... speaks only HTTP, so it runs against
our tenants or anyone's endpoint": it never reaches into the server's layers."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
import sandbox.entra, sandbox.simulate_cli
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
