"""A gallery record (one Microsoft Entra provisioning tutorial's facts, in the format of
`gallery/record.schema.json`) as a vendor profile.

`profile_data(record)` writes the profile the loader reads from TOML, so a record is checked
by the same code as a hand-written profile; `profile_from_record(record)` loads it. Every
choice the record leaves open is made in one place, and written down in docs/profiles.md
("Gallery records as profiles"):

- attribute tables: `gallery_attributes`; Tenant URL: `gallery_urls`; limitations:
  `gallery_rules`; sign-in and setup screens: `gallery_setup`;
- which resource types, and the flags a table does not give: `_user_type`, `_group_type`
  and `offers_groups` below:
  - Groups exactly where `capabilities.groups` is true; where the tutorial does not say
    (`null`), groups when it shows a group table (readable or not), else users only.
  - A readable table keeps its rows. userName is always kept (RFC 7643 requires it and
    Entra matches users on it) and so are a group's displayName and members (a group is
    provisioned with its memberships). A user of an app with groups keeps `groups`, which
    the sandbox derives from the memberships.
  - No filterable row (no such column, or none checked, or only `id`, which Entra cannot
    know before it matches): userName is filterable, for groups displayName (Entra's
    matching attributes); where a `no_filter_on` quirk says
    the app cannot filter on that one, externalId is kept and filterable instead, for
    Entra to match on. A matching attribute the record names is filterable too.
  - No readable table (`image` or `none`): the whole core schema, as the Velpic profile
    has, with userName (displayName) and externalId filterable.
  - userName, and a group's displayName, are unique in a tenant.
- what the endpoint does where tutorials are silent: PATCH and filters on, sort, ETags and
  bulk off; attributes outside the profile are accepted and not stored (Entra's default
  mappings may send more than a table lists), as in the hand-written profiles.
- records whose `status` is not `scim` are no profiles (`gallery_records`).
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.constants import ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA
from sandbox.scim.errors import ScimError
from sandbox.scim.schema import standard_schema
from sandbox.vendors.gallery_attributes import Table, read_row, read_table
from sandbox.vendors.gallery_notes import doc_notes, one_line
from sandbox.vendors.gallery_records import check_record, not_served_reason
from sandbox.vendors.gallery_rules import as_other, rule_entries
from sandbox.vendors.gallery_setup import auth_table, setup_table
from sandbox.vendors.gallery_urls import sandbox_tenant_url
from sandbox.vendors.loader import profile_from_dict
from sandbox.vendors.profile import Profile, ProfileError

_FEATURES = {"patch": True, "filter": True, "sort": False, "etag": False, "bulk": False,
             "change_password": False}
_RULE_AT = re.compile(r"key 'rules\[(\d+)\]")


def offers_groups(record: dict[str, Any]) -> bool:
    groups = record["capabilities"].get("groups")
    if groups is None:
        return record["group_table"] in ("parsed", "image")
    return bool(groups)


def profile_from_record(record: dict[str, Any], source: str = "<record>") -> Profile:
    """The profile a `scim` record describes; a rule the loader refuses is kept as an
    `other` rule saying why, and any other mistake is a ProfileError naming `source`."""
    check_record(record, source)
    if record["status"] != "scim":
        raise ProfileError(f"{source}: app {record['id']!r} is not served: "
                           f"{not_served_reason(record)}")
    data = profile_data(record)
    for _ in range(len(data["rules"]) + 1):
        try:
            return profile_from_dict(data, source)
        except ScimError as error:  # an attribute path no schema check caught
            raise ProfileError(f"{source}: {error.detail}") from None
        except ProfileError as error:
            found = _RULE_AT.search(str(error))
            if found is None:
                raise
            number = int(found.group(1))
            reason = str(error).split(f"key 'rules[{number}]", 1)[1].lstrip(".'")
            data["rules"][number] = as_other(record["quirks"][number]
                                             if number < len(record["quirks"])
                                             else data["rules"][number], reason.strip())
    raise ProfileError(f"{source}: its rules could not be made to load")  # pragma: no cover


def profile_data(record: dict[str, Any]) -> dict[str, Any]:
    """The profile, as the loader's TOML tables, that a `scim` record describes."""
    groups = offers_groups(record)
    users = _table(record, "user", USER_SCHEMA)
    group_table = _table(record, "group", GROUP_SCHEMA) if groups else None
    types = {"User": _user_type(users, groups, record)}
    if groups:
        types["Group"] = _group_type(group_table, record)
    auth = auth_table(record)
    rules = rule_entries(record["quirks"], record["auth"].get("token_lifetime_days"),
                         lambda written: _kept(written, users, group_table, groups), groups)
    data = {
        "id": record["id"],
        "gallery_id": record["id"],
        "name": record["app_name"].strip(),
        "tenant_url": sandbox_tenant_url(record),
        "unknown_attributes": "ignore",
        "features": dict(_FEATURES),
        "resource_types": types,
        "rules": rules,
        "auth": auth,
        "setup": setup_table(record, auth["token_from"]),
    }
    schemas = _schemas(record["app_name"], users, group_table)
    if schemas:
        data["schemas"] = schemas
    data["doc"] = doc_notes(record, users, group_table, groups, data)
    data["description"] = one_line(record, users, group_table, groups)
    if isinstance(record["source"].get("url"), str):
        data["documentation_uri"] = record["source"]["url"]
    return data


def _table(record: dict[str, Any], which: str, core: str) -> Table | None:
    """The table's reading, or None when it shows none (the whole core schema is kept)."""
    if record[f"{which}_table"] != "parsed":
        return None
    return read_table(record[f"{which}_attributes"], core)


def _user_type(table: Table | None, groups: bool, record: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {"endpoint": "/Users", "schema": USER_SCHEMA,
                            "unique": ["userName"]}
    matching = _matching("userName", record)
    if table is None:
        spec["filterable"] = list(dict.fromkeys([matching, "externalId"]))
        return spec
    table.add_keep("userName", *(["groups"] if groups else []))
    return _with_table(spec, table, matching, (record.get("matching") or {}).get("user"))


def _group_type(table: Table | None, record: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {"endpoint": "/Groups", "schema": GROUP_SCHEMA,
                            "unique": ["displayName"]}
    matching = _matching("displayName", record)
    if table is None:
        spec["filterable"] = list(dict.fromkeys([matching, "externalId"]))
        return spec
    table.add_keep("displayName", "members")
    return _with_table(spec, table, matching, (record.get("matching") or {}).get("group"))


def _matching(default: str, record: dict[str, Any]) -> str:
    """The attribute Entra matches on: `default`, or externalId where a `no_filter_on` quirk
    says the app cannot filter on `default`."""
    refused = {str(q.get("attribute", "")).lower() for q in record["quirks"]
               if q.get("kind") == "no_filter_on"}
    return "externalId" if default.lower() in refused else default


def _with_table(spec: dict[str, Any], table: Table, matching: str,
                named: str | None) -> dict[str, Any]:
    filterable = list(table.filterable)
    # `id` is the app's own: Entra cannot know it before it matches, so it does not count.
    if not [entry for entry in filterable if entry.lower() != "id"]:
        filterable.append(matching)
        table.add_keep(matching)
    if isinstance(named, str):
        row = read_row(named, "", standard_schema(spec["schema"]))
        if row is not None and _keeps(table, row.keep) and row.written not in filterable:
            filterable.append(row.written)
    spec.update(attributes=list(table.keep), filterable=filterable)
    if table.required:
        spec["required"] = list(table.required)
    extensions = list(table.extensions)
    if any(entry.lower().startswith(ENTERPRISE_USER_SCHEMA.lower() + ":")
           for entry in table.keep):
        extensions.insert(0, ENTERPRISE_USER_SCHEMA)
    if extensions:
        spec["extensions"] = extensions
    return spec


def _schemas(app_name: str, *tables: Table | None) -> dict[str, Any]:
    """A schema document per custom URN of the tables (one per URN, merged)."""
    merged = Table()
    for table in tables:
        for urn, attributes in (table.extensions if table else {}).items():
            for attribute in attributes.values():
                merged.add_extension(urn, attribute)
    return {urn: {"name": _schema_name(urn),
                  "description": f"{app_name}: custom attributes of its tutorial's table",
                  "attributes": list(attributes.values())}
            for urn, attributes in merged.extensions.items()}


def _schema_name(urn: str) -> str:
    """`urn:…:extension:Adobe:2.0:User` → `AdobeUser`."""
    parts = urn.split(":")
    if "extension" in parts:
        parts = parts[parts.index("extension") + 1:]
    words = [p for p in parts if p and not re.fullmatch(r"[\d.]+", p)]
    return "".join(w[:1].upper() + w[1:] for w in words[-3:]) or "Extension"


def _top(entry: str) -> str:
    """A keep entry's top-level attribute: `urn:…:User:manager.value` → `urn:…:User:manager`."""
    head, _, tail = entry.rpartition(":")
    top = tail.split(".")[0]
    return f"{head}:{top}".lower() if head else top.lower()


def _keeps(table: Table | None, keep: tuple[str, ...]) -> bool:
    if table is None:  # the whole core schema
        return not any(entry.startswith("urn:") for entry in keep)
    kept = {_top(entry) for entry in table.keep}
    return all(_top(entry) in kept for entry in keep)


def _kept(written: str, users: Table | None, groups_table: Table | None,
          groups: bool) -> str | None:
    """The profile's spelling of an attribute a rule names, if a resource type keeps it."""
    candidates = [(users, USER_SCHEMA)]
    if groups:
        candidates.append((groups_table, GROUP_SCHEMA))
    for table, core in candidates:
        row = read_row(written, "", standard_schema(core))
        if row is not None and _keeps(table, row.keep):
            return row.written
    return None
