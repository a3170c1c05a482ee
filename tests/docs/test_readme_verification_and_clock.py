"""The README's pytest examples of counted and ordered verification, the token lifecycle and
the clock run as printed, against a fresh tenant and the `scim_clock` fixture."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## pytest"):README.index("## Test your own endpoint")]


def _example(marker: str) -> str:
    """The (indented) ```python block of the pytest section that holds `marker`, dedented."""
    for indent, code in re.findall(r"^( *)```python\n(.*?)^\1```$", SECTION, re.M | re.S):
        if marker in code:
            return "\n".join(line[len(indent):] for line in code.splitlines()) + "\n"
    raise AssertionError(f"no python example with {marker!r} in the README's pytest section")


def test_the_counted_and_ordered_example_runs(scim_tenant):
    tenant = scim_tenant("generic")
    exec(_example("assert_received_in_order("), {"tenant": tenant})
    assert len(tenant.journal()) == 2  # the example sent what it asserts on


def test_the_clock_and_token_example_runs(scim_tenant, scim_clock):
    tenant = scim_tenant("generic")
    exec(_example("scim_clock.freeze("), {"tenant": tenant, "scim_clock": scim_clock})
    assert scim_clock.frozen and tenant.token_expires_at is not None


def test_the_printed_count_failure_is_the_real_one(scim_tenant):
    block = SECTION[SECTION.index("AssertionError: expected exactly 1"):].split("```")[0]
    tenant = scim_tenant("generic")
    ann = tenant.client.post("/Users", json={"userName": "ann"}).json()
    tenant.client.patch(f"/Users/{ann['id']}", json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}]})
    tenant.client.post("/Users", json={"userName": "ann"})
    try:
        tenant.assert_received("create user", times=1, userName="ann")
    except AssertionError as error:
        real = str(error).splitlines()
    else:
        raise AssertionError("the count should have failed")
    printed = [line.strip() for line in block.strip().splitlines()]
    assert printed[0] == "AssertionError: " + real[0]
    # The id differs per run; the README shortens it.
    assert [re.sub(r"/Users/\S+", "/Users/ID", line.strip()) for line in printed[1:]] == \
        [re.sub(r"/Users/\S+", "/Users/ID", line.strip()) for line in real[1:]]
