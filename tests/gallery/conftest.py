"""Fixtures for the gallery tests: small records written in the shape of the shared ones
(`../shared/gallery/record.schema.json`), and files holding them."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

_BASE: dict[str, Any] = {
    "id": "acme-hr",
    "app_name": "Acme HR",
    "source": {
        "repository": "MicrosoftDocs/entra-docs",
        "path": "docs/identity/saas-apps/acme-hr-provisioning-tutorial.md",
        "commit": "0" * 40,
        "ms_date": None,
        "url": "https://learn.microsoft.com/entra/identity/saas-apps/"
               "acme-hr-provisioning-tutorial",
    },
    "status": "scim",
    "capabilities": {"create_users": True, "remove_users": True,
                     "sync_user_attributes": True, "groups": False, "single_sign_on": None},
    "auth": {"kind": "bearer", "token_label": "API Key", "token_from": "console",
             "token_lifetime_days": None},
    "tenant_url": {"kind": "console", "value": None, "label": "SCIM URL"},
    "setup": {"self_service": True, "menu_path": ["Settings", "Provisioning"],
              "language": "en", "prerequisites": ["An Acme HR admin account"]},
    "user_table": "parsed",
    "user_attributes": [
        {"name": "userName", "type": "String", "filterable": True, "required": True},
        {"name": "active", "type": "Boolean", "filterable": False, "required": False},
        {"name": 'emails[type eq "work"].value', "type": "String", "filterable": False,
         "required": True},
    ],
    "group_table": "none",
    "group_attributes": [],
    "quirks": [],
}


@pytest.fixture
def make_record() -> Callable[..., dict[str, Any]]:
    """`make_record(user_attributes=[...], groups=True)`: a scim record with the given keys
    replaced; `groups` sets `capabilities.groups`."""
    def make(**changes: Any) -> dict[str, Any]:
        record = copy.deepcopy(_BASE)
        if "groups" in changes:
            record["capabilities"]["groups"] = changes.pop("groups")
        record.update(changes)
        return record

    return make


@pytest.fixture
def write_record(tmp_path: Path) -> Callable[..., Path]:
    """`write_record(record, folder=None)`: the record saved as `<id>.json`; its path."""
    def write(record: dict[str, Any], folder: Path | None = None) -> Path:
        folder = folder or tmp_path
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{record['id']}.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        return path

    return write
