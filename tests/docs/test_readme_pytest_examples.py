"""The README's pytest section: its Python examples of `tenant.client`, `tenant.received()`
and `with ScimSandbox.start()` run as printed."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## pytest"):README.index("## Test your own endpoint")]
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _example(marker: str) -> str:
    """The (indented) ```python block of the section that contains `marker`, dedented."""
    for block in re.findall(r"^( *)```python\n(.*?)^\1```$", SECTION, re.M | re.S):
        indent, code = block
        if marker in code:
            return "\n".join(line[len(indent):] for line in code.splitlines()) + "\n"
    raise AssertionError(f"no python example with {marker!r} in the README's pytest section")


def test_the_response_example_runs(scim_tenant):
    exec(_example("created = tenant.client.post"), {"tenant": scim_tenant("generic")})


def test_the_received_example_runs(scim_tenant):
    tenant = scim_tenant("generic")
    exec(_example("tenant.received("), {"tenant": tenant})
    assert tenant.user("ann") is not None


def test_the_context_manager_example_runs_and_stops_the_server():
    seen = {}

    def my_sync(url: str, token: str) -> None:  # a client that needs a real URL
        request = urllib.request.Request(
            url + "/Users", method="POST", data=json.dumps({"userName": "zoe"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"})
        with NO_PROXY.open(request, timeout=10) as answer:
            assert answer.status == 201
        seen["url"] = url

    scope = {"my_sync": my_sync}
    exec(_example("with ScimSandbox.start() as sandbox:"), scope)
    sandbox = scope["sandbox"]
    assert sandbox.closed and seen["url"].startswith("http://127.0.0.1:")
    with pytest.raises(urllib.error.URLError):  # the block's end stopped the live server
        NO_PROXY.open(seen["url"] + "/Users", timeout=5)
