"""Records → SCIM request bodies in the shape Microsoft Entra's provisioning service sends.

A body is first built with everything any vendor may keep, then `fit` to the resource type's
schema: a vendor that rejects unknown attributes (the generic profile) would refuse the rest,
and one that ignores them would drop them anyway, so fitting first keeps both paths equal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.constants import VERITAS_USER_SCHEMA
from sandbox.scim.schema import (
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
    Attribute,
    ResourceSchema,
    Schema,
)
from sandbox.seed.records import GroupRecord, Person

# Veritas Enterprise Vault.cloud's own extension (vendors/veritas.toml, vendor-docs/004).


def user_body(person: Person) -> dict[str, Any]:
    """A POST /Users body as Entra's default attribute mappings produce it."""
    enterprise: dict[str, Any] = {
        "employeeNumber": person.employee_number,
        "department": person.department,
    }
    if person.manager_id is not None:
        enterprise["manager"] = {"value": person.manager_id}
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, VERITAS_USER_SCHEMA],
        "externalId": person.external_id,
        "userName": person.user_name,
        "active": person.active,
        "displayName": person.display_name,
        "title": person.title,
        "preferredLanguage": person.language,
        "name": {
            "formatted": person.display_name,
            "familyName": person.family_name,
            "givenName": person.given_name,
        },
        "emails": [{"primary": True, "type": "work", "value": person.user_name}],
        "addresses": [{"type": "work", "locality": person.locality, "country": person.country}],
        ENTERPRISE_USER_SCHEMA: enterprise,
    }
    if person.aliases:
        body[VERITAS_USER_SCHEMA] = {"emailAliases": list(person.aliases)}
    return body


def group_body(group: GroupRecord) -> dict[str, Any]:
    """A POST /Groups body; Entra names members by the ids the service gave them."""
    body: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "externalId": group.external_id,
        "displayName": group.display_name,
    }
    if group.member_ids:
        body["members"] = [{"value": member} for member in group.member_ids]
    return body


def fit(body: dict[str, Any], schema: ResourceSchema) -> dict[str, Any]:
    """`body` limited to what `schema` declares (see `Fitter`)."""
    return Fitter(schema)(body)


class Fitter:
    """Limits bodies to what one resource type declares: attributes, sub-attributes and
    extensions it does not offer are left out, and `schemas` lists the extensions that remain.

    It remembers how it resolved each name, since every seeded body has the same keys: a
    10,000-user run resolves each name once instead of 10,000 times.
    """

    def __init__(self, schema: ResourceSchema) -> None:
        self._schema = schema
        self._root = _Node("", self._resolve_top)

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        fitted = _fit_object(self._root, {k: v for k, v in body.items() if k != "schemas"})
        offered = [self._schema.core.id,
                   *(e.id for e in self._schema.extensions if e.id in fitted)]
        return {"schemas": offered, **fitted}

    def _resolve_top(self, key: str) -> _Node | None:
        if key.startswith("urn:"):
            extension = self._schema.extension(key)
            return None if extension is None else _Node(extension.id, _resolver(extension))
        return _node(self._schema.top_level(key))


class _Node:
    """A kept attribute: its canonical name and, for a complex one, how to resolve its
    sub-attributes (`resolve` is None for a simple attribute)."""

    __slots__ = ("children", "name", "resolve")

    def __init__(self, name: str, resolve: Callable[[str], _Node | None] | None) -> None:
        self.name = name
        self.resolve = resolve
        self.children: dict[str, _Node | None] = {}


def _node(attribute: Attribute | None) -> _Node | None:
    if attribute is None:
        return None
    return _Node(attribute.name, _resolver(attribute) if attribute.is_complex else None)


def _resolver(parent: Attribute | Schema) -> Callable[[str], _Node | None]:
    if isinstance(parent, Schema):
        return lambda key: _node(parent.attribute(key))
    return lambda key: _node(parent.sub(key))


def _fit_object(node: _Node, value: dict[str, Any]) -> dict[str, Any]:
    assert node.resolve is not None
    kept: dict[str, Any] = {}
    children = node.children
    for key, item in value.items():
        if key not in children:
            children[key] = node.resolve(key)
        child = children[key]
        if child is None or item is None:
            continue
        if child.resolve is None:
            kept[child.name] = item
        elif isinstance(item, list):
            items = [fitted for fitted in (_fit_object(child, v) for v in item) if fitted]
            if items:
                kept[child.name] = items
        else:
            fitted = _fit_object(child, item)
            if fitted:
                kept[child.name] = fitted
    return kept
