"""The shipped schema documents are scim2-models' standard definitions, unchanged."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from sandbox.scim.schema import (
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    SCHEMA_DIR,
    USER_SCHEMA,
    ResourceSchema,
    standard_schema,
)

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "generate_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_json_matches_scim2_models():
    pytest.importorskip("scim2_models")
    for name, document in _generator().standard_schemas().items():
        shipped = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert shipped == json.loads(json.dumps(document)), f"{name}.json is stale: regenerate"


def test_user_schema_has_rfc_attributes():
    user = standard_schema(USER_SCHEMA)
    assert user.attribute("userName").required is True
    assert user.attribute("userName").uniqueness == "server"
    assert user.attribute("password").returned == "never"
    assert user.attribute("groups").mutability == "readOnly"
    assert user.attribute("emails").multi_valued is True
    assert user.attribute("EMAILS").sub("TYPE").name == "type"


def test_schema_documents_round_trip():
    for urn in (USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA):
        schema = standard_schema(urn)
        doc = schema.to_dict()
        assert doc["id"] == urn
        assert [a["name"] for a in doc["attributes"]] == [a.name for a in schema.attributes]


def test_resolve_is_case_insensitive_and_urn_aware():
    schema = ResourceSchema("User", "/Users", standard_schema(USER_SCHEMA),
                            (standard_schema(ENTERPRISE_USER_SCHEMA),))
    assert schema.resolve("name", "FamilyName").dotted == "name.familyName"
    assert schema.resolve("ID").attribute.name == "id"
    assert schema.resolve("employeeNumber", None, ENTERPRISE_USER_SCHEMA.upper()).dotted == \
        f"{ENTERPRISE_USER_SCHEMA}:employeeNumber"
    assert schema.resolve("userName", None, USER_SCHEMA).attribute.name == "userName"
    assert schema.resolve("nope") is None
    assert schema.resolve("employeeNumber") is None  # extension attributes need their URN
    assert schema.split_urn(f"{ENTERPRISE_USER_SCHEMA}:manager.value") == \
        (ENTERPRISE_USER_SCHEMA, "manager.value")


def test_restricted_keeps_named_attributes_and_overrides():
    user = standard_schema(USER_SCHEMA)
    small = user.restricted({"userName", "name.givenName"}, {"name.givenName": {"required": True}})
    assert [a.name for a in small.attributes] == ["userName", "name"]
    assert [s.name for s in small.attribute("name").sub_attributes] == ["givenName"]
    assert small.attribute("name").sub("givenName").required is True
    assert user.attribute("name").sub("givenName").required is False  # original untouched
