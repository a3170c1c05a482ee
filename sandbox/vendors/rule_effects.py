"""What a profile's rules change in the profile itself, at load time: the delete mode, the
required and unique attributes of each resource type, and which resource types an attribute
rule applies to. Behaviour at request time is read from `Profile.rules` by the service."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import AttrPath, Present, ValuePath
from sandbox.vendors import rules as attribute_rules
from sandbox.vendors.profile import ResourceTypeProfile
from sandbox.vendors.profile_rules import Rule

Fail = Callable[[str, str], None]
_GROUP_KINDS = {"no_group_create", "no_group_delete", "no_group_rename", "max_groups"}
# Kinds whose attribute must be one the vendor keeps (an `other` rule may name anything).
_CHECKED_ATTRIBUTE = {"no_filter_on", "create_only_attribute", "attribute_required_by_text",
                      "verified_domain_required", "email_equals_username", "max_length",
                      "allowed_values", "value_format", "lowercase_only", "unique_attribute",
                      "single_role_only", "no_group_rename"}


def rule_path(written: str) -> AttrPath | None:
    """The attribute a rule names (`emails[type eq "work"].value` → emails), or None when
    it is no attribute path."""
    try:
        node = attribute_rules.parse_attribute_path(written)
    except ScimError:
        return None
    return node.path if isinstance(node, Present | ValuePath) else None


def applies_to(rule: Rule, rt: ResourceTypeProfile) -> bool:
    """Whether an attribute rule concerns resources of `rt` (its schema has the attribute)."""
    if rule.kind in _GROUP_KINDS:
        return rt.name == "Group"
    path = rule_path(rule.attribute) if rule.attribute else None
    return path is not None and rt.schema.resolve(path.attr, path.sub, path.urn) is not None


def apply_rules(rules: tuple[Rule, ...], types: dict[str, ResourceTypeProfile],
                delete_mode: str | None, fail: Fail,
                ) -> tuple[dict[str, ResourceTypeProfile], str]:
    """The resource types with the rules' required and unique attributes added, and the
    delete mode the rules imply (a `delete_mode` that contradicts them is an error)."""
    kinds = {rule.kind for rule in rules}
    mode = delete_mode or "hard"
    if {"soft_delete_only", "hard_delete_only"} <= kinds:
        fail("rules", "cannot hold both soft_delete_only and hard_delete_only")
    for kind, implied in (("soft_delete_only", "soft"), ("hard_delete_only", "hard")):
        if kind in kinds:
            if delete_mode not in (None, implied):
                fail("delete_mode", f"must be {implied!r} (or left out) with a {kind} rule")
            mode = implied
    for number, rule in enumerate(rules):
        where = f"rules[{number}]"
        if rule.kind in _GROUP_KINDS and "Group" not in types:
            fail(f"{where}.kind", f"{rule.kind} needs a Group resource type")
        if rule.kind in _CHECKED_ATTRIBUTE and rule.attribute is not None and not any(
                applies_to(rule, rt) for rt in types.values()):
            fail(f"{where}.attribute", f"names {rule.attribute!r}, which no resource type "
                                       "of this profile has")
        for name, rt in types.items():
            if not applies_to(rule, rt) or rule.attribute is None:
                continue
            already = {r.written.lower() for r in rt.required}
            if rule.kind == "attribute_required_by_text" and rule.attribute.lower() not in already:
                types[name] = dataclasses.replace(rt, required=(
                    *rt.required, attribute_rules.required_path(rule.attribute, rt.schema)))
            elif rule.kind == "unique_attribute" and rule.attribute not in rt.unique:
                types[name] = dataclasses.replace(rt, unique=(*rt.unique, rule.attribute))
    return types, mode
