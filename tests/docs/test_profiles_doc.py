"""docs/profiles.md documents every rule kind and auth kind, and its examples load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.vendors import load_profile
from sandbox.vendors.profile_auth import AUTH_KINDS
from sandbox.vendors.profile_rules import RULE_KINDS, VALUE_FORMATS

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "profiles.md").read_text(
    encoding="utf-8")
EXAMPLES = re.findall(r"```toml\n(.*?)```", PAGE, flags=re.S)


def _table_rows(heading: str) -> dict[str, str]:
    section = PAGE.split(heading, 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z0-9_]+)` \|.*$", section,
                                                        flags=re.M)}


def test_every_rule_kind_has_a_row():
    rows = _table_rows("## `[[rules]]`")
    assert set(rows) == set(RULE_KINDS)


def test_every_value_format_is_named():
    row = _table_rows("## `[[rules]]`")["value_format"]
    assert all(f"`{name}`" in row for name in VALUE_FORMATS)


def test_every_auth_kind_is_named():
    row = _table_rows("## `[auth]`")["kind"]
    assert all(f"`{kind}`" in row for kind in AUTH_KINDS)


# A profile keeping the whole core User schema, and groups, so each example fits it.
HOST = """
id = "acme"
name = "Acme"
tenant_url = "/acme/{tenant}/scim"
[resource_types.User]
endpoint = "/Users"
schema = "urn:ietf:params:scim:schemas:core:2.0:User"
[resource_types.Group]
endpoint = "/Groups"
schema = "urn:ietf:params:scim:schemas:core:2.0:Group"
"""


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "[[rules]]" in e or "[auth]" in e])
def test_each_rules_or_auth_example_loads(tmp_path, example):
    path = tmp_path / "acme.toml"
    path.write_text(HOST + example, encoding="utf-8")
    profile = load_profile(path)
    assert len(profile.rules) == example.count("[[rules]]")
    assert ("[auth]" in example) == (profile.raw.get("auth") is not None)


def test_the_minimal_profile_loads(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(EXAMPLES[-1], encoding="utf-8")
    assert load_profile(path).id == "acme"
