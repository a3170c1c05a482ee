"""Attribute Mappings for a vendor profile, as an admin following its tutorial would set them.

Entra's default rows are kept where the vendor has the target (its tutorial's attribute
table). Every other attribute the profile names (required, in its table, in a custom
extension schema, or in a rule) gets a generated source attribute (`generated_sources`).
The profile's rules then shape the rows as an admin would:

- a rule on values the default source cannot be trusted to meet (a format it does not have,
  a list of allowed values, uniqueness, a length limit on an address) → a generated source;
  lowercase and length limits on plain text → `ToLower(...)`, `Left(..., n)`;
- `email_equals_username` → the email rows take the userName row's source;
- `create_only_attribute`, `no_group_rename` → the row applies only during object creation;
- `no_filter_on` or a filterable list without userName → another filterable attribute
  becomes the matching attribute (Test Connection and the match queries use it);
- `no_group_create`, `no_group_delete` → Create or Delete is left out of the groups' Target
  Object Actions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from sandbox.entra.generated_sources import ValueRules, generated_value
from sandbox.entra.mapping_rows import (
    FORMATTED_NAME,
    GROUP_DEFAULTS,
    MEMBERS,
    ON_CREATE_ONLY,
    USER_DEFAULTS,
    AttributeMapping,
    evaluate,
    expression_text,
)
from sandbox.entra.profile_targets import Key, Slot, mapping_slot, merge_rules, value_shape
from sandbox.entra.profile_targets import written_slot as slot_of
from sandbox.scim.schema import STANDARD_SCHEMA_FILES
from sandbox.vendors.rules import filterable_keys

if TYPE_CHECKING:
    from sandbox.vendors import Profile
    from sandbox.vendors.profile import ResourceTypeProfile

TARGET_OBJECT_ACTIONS = frozenset({"Create", "Update", "Delete"})
# What the values of Entra's default sources are, as far as a rule can ask.
_USER_TRAITS: dict[str, frozenset[str]] = {
    "userPrincipalName": frozenset({"email", "unique"}),
    "mail": frozenset({"email", "unique"}),
    "mailNickname": frozenset({"unique"}),
    "employeeId": frozenset({"unique"}),
    "displayName": frozenset({"no_digits"}),
    "givenName": frozenset({"no_digits"}),
    "surname": frozenset({"no_digits"}),
    FORMATTED_NAME: frozenset({"no_digits"}),
    "jobTitle": frozenset({"no_digits"}),
    "department": frozenset({"no_digits"}),
    "city": frozenset({"no_digits"}),
    "country": frozenset({"iso3166_alpha2"}),
    "preferredLanguage": frozenset({"bcp47"}),
}
_GROUP_TRAITS: dict[str, frozenset[str]] = {
    "displayName": frozenset({"unique"}),
    "objectId": frozenset({"unique"}),
}
# Rules that constrain values, and rules that name an attribute worth mapping.
_VALUE_KINDS = {"value_format", "allowed_values", "max_length", "lowercase_only",
                "unique_attribute", "single_role_only", "verified_domain_required"}
_NAMING_KINDS = _VALUE_KINDS | {"create_only_attribute", "attribute_required_by_text"}


def profile_user_mappings(profile: Profile) -> tuple[AttributeMapping, ...]:
    """The user rows for a vendor: none when it has no users."""
    rt = profile.resource_types.get("User")
    if rt is None:
        return ()
    return _mappings(profile, rt, USER_DEFAULTS, _USER_TRAITS)


def profile_group_mappings(profile: Profile) -> tuple[AttributeMapping, ...]:
    """The group rows for a vendor: none when it has no groups."""
    rt = profile.resource_types.get("Group")
    if rt is None:
        return ()
    return _mappings(profile, rt, GROUP_DEFAULTS, _GROUP_TRAITS)


def keeps_disabled_accounts(profile: Profile | None) -> bool:
    """False for an app with a `hard_delete_only` rule: Entra sends a DELETE where it would
    disable (Microsoft's "How application provisioning works", deprovisioning)."""
    return profile is None or not profile.has_rule("hard_delete_only")


def group_actions(profile: Profile | None) -> frozenset[str]:
    """The groups' Target Object Actions: without Create (or Delete) where the vendor
    refuses it, so that no cycle sends what the vendor's tutorial says it refuses."""
    actions = set(TARGET_OBJECT_ACTIONS)
    if profile is not None:
        if profile.has_rule("no_group_create"):
            actions.discard("Create")
        if profile.has_rule("no_group_delete"):
            actions.discard("Delete")
    return frozenset(actions)


def _mappings(profile: Profile, rt: ResourceTypeProfile,
              defaults: tuple[AttributeMapping, ...],
              traits: dict[str, frozenset[str]]) -> tuple[AttributeMapping, ...]:
    rules_at = _value_rules(profile, rt)
    app = re.sub(r"[^A-Za-z0-9]", "", profile.id) or "app"
    rows: list[AttributeMapping] = []
    places: set[tuple[str, str, str, str]] = set()
    for row in defaults:
        if row.target == MEMBERS:  # not an attribute value: the group's memberships
            if rt.schema.resolve(MEMBERS) is not None:
                rows.append(row)
            continue
        slot = mapping_slot(row.target, rt.schema)
        if slot is not None:
            places.add(slot.place)
            rows.append(_fitted(row, slot, rules_at, traits.get(row.source, frozenset()), app))
    for slot in _named_slots(profile, rt):
        if not _covered(slot, places):
            places.add(slot.place)
            rows.append(_generated(slot, rules_at, app))
    rows = _email_follows_username(profile, rt, rows)
    rows = _on_create_only(profile, rt, rows)
    unique = {source for source, kinds in traits.items() if "unique" in kinds}
    return tuple(_matching(profile, rt, rows, unique))


def _value_rules(profile: Profile, rt: ResourceTypeProfile) -> dict[Key, ValueRules]:
    """The value rules of each attribute of the resource type, by the key rules name."""
    found: dict[Key, ValueRules] = {}
    named = [(rule.attribute, _rule_values(rule)) for rule in profile.rules
             if rule.kind in _VALUE_KINDS and rule.attribute]
    named += [(name, ValueRules(unique=True)) for name in rt.unique]
    for written, rules in named:
        slot = slot_of(written, rt.schema)
        if slot is not None:
            found[slot.key] = merge_rules(found.get(slot.key, ValueRules()), rules)
    return found


def _rule_values(rule: Any) -> ValueRules:
    kind = rule.kind
    if kind == "value_format":
        return ValueRules(formats=frozenset({rule.format}))
    if kind == "verified_domain_required":
        return ValueRules(formats=frozenset({"email"}))
    if kind == "allowed_values":
        return ValueRules(allowed=tuple(rule.values or ()))
    if kind == "max_length":
        return ValueRules(max_length=rule.max)
    return ValueRules(lowercase=kind == "lowercase_only", unique=kind == "unique_attribute",
                      single=kind == "single_role_only")


def _named_slots(profile: Profile, rt: ResourceTypeProfile) -> Iterator[Slot]:
    """Every attribute the profile names for the resource type, required ones first."""
    schema = rt.schema
    written: list[str] = [path.written for path in rt.required]
    for extension in (None, *schema.extensions):
        attributes = schema.core.attributes if extension is None else extension.attributes
        prefix = f"{extension.id}:" if extension is not None else ""
        custom = extension is not None and extension.id not in STANDARD_SCHEMA_FILES
        written += [prefix + a.name for a in attributes if a.required or custom]
    table = profile.raw.get("resource_types", {}).get(rt.name, {}).get("attributes")
    written += [entry for entry in table or () if isinstance(entry, str)]
    written += [rule.attribute for rule in profile.rules
                if rule.kind in _NAMING_KINDS and rule.attribute]
    for entry in written:
        slot = mapping_slot(entry, schema)
        if slot is not None and slot.key[1] not in ("id", "meta", "schemas", MEMBERS):
            yield slot


def _covered(slot: Slot, places: set[tuple[str, str, str, str]]) -> bool:
    """Whether a row already fills the slot: the same place, or its whole attribute, or
    (for a whole attribute) any part of it."""
    urn, name, sub, _ = slot.place
    if slot.place in places or (urn, name, "", "") in places:
        return True
    return not sub and any(p[:2] == (urn, name) for p in places)


def _generated(slot: Slot, rules_at: dict[Key, ValueRules], app: str,
               row: AttributeMapping | None = None) -> AttributeMapping:
    """A row from a directory extension attribute made for the target."""
    ref = slot.ref
    parts = [ref.attribute.name, slot.value_type or ""]
    if ref.sub_attribute is not None and ref.sub_attribute.name.lower() != "value":
        parts.append(ref.sub_attribute.name)
    name = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:] if p)
    shape = value_shape(slot, rules_at)
    return AttributeMapping(f"extension_{app}_{name}", slot.target,
                            row.matching_precedence if row is not None else None,
                            row.apply if row is not None else "Always",
                            compute=partial(generated_value, shape))


def _fitted(row: AttributeMapping, slot: Slot, rules_at: dict[Key, ValueRules],
            traits: frozenset[str], app: str) -> AttributeMapping:
    """A default row under the rules on its target: kept, wrapped in ToLower/Left, or
    replaced by a generated source when its values cannot be trusted to pass."""
    rules = value_shape(slot, rules_at).rules
    if not rules:
        return row
    trusted = (rules.formats <= traits and not rules.allowed
               and (not rules.unique or "unique" in traits)
               and (rules.max_length is None or not traits & {"email", "unique"}))
    if not trusted:
        return _generated(slot, rules_at, app, row)
    if not (rules.lowercase or rules.max_length):
        return row
    text = expression_text(row)
    if rules.lowercase:
        text = f"ToLower({text})"
    if rules.max_length:
        text = f"Left({text}, {rules.max_length})"
    return replace(row, source=text, compute=partial(_reshaped, row, rules))


def _reshaped(row: AttributeMapping, rules: ValueRules, source: Any) -> Any:
    value = evaluate(row, source)
    if isinstance(value, str):
        value = value.lower() if rules.lowercase else value
        value = value[:rules.max_length] if rules.max_length else value
    return value


def _rows_named(rt: ResourceTypeProfile, rows: list[AttributeMapping],
                written: str) -> Iterator[int]:
    """Indexes of the rows whose target is (in) the attribute `written` names."""
    named = slot_of(written, rt.schema)
    if named is None:
        return
    for index, row in enumerate(rows):
        if row.target == MEMBERS:
            continue
        slot = slot_of(row.target, rt.schema)
        if slot is not None and slot.key[:2] == named.key[:2] and (
                not named.key[2] or named.key[2] == slot.key[2]):
            yield index


def _key(rt: ResourceTypeProfile, target: str) -> Key | None:
    slot = slot_of(target, rt.schema)
    return slot.key if slot is not None else None


def _email_follows_username(profile: Profile, rt: ResourceTypeProfile,
                            rows: list[AttributeMapping]) -> list[AttributeMapping]:
    user_name = next((r for r in rows if r.target == "userName"), None)
    if user_name is None:
        return rows
    for rule in profile.rules_of("email_equals_username"):
        for index in _rows_named(rt, rows, rule.attribute or "emails"):
            rows[index] = replace(user_name, target=rows[index].target,
                                  matching_precedence=rows[index].matching_precedence)
    return rows


def _on_create_only(profile: Profile, rt: ResourceTypeProfile,
                    rows: list[AttributeMapping]) -> list[AttributeMapping]:
    rules = [*profile.rules_of("create_only_attribute"), *profile.rules_of("no_group_rename")]
    for rule in rules:
        if rule.kind == "no_group_rename" and rt.name != "Group":
            continue
        for index in _rows_named(rt, rows, rule.attribute or "displayName"):
            rows[index] = replace(rows[index], apply=ON_CREATE_ONLY)
    return rows


def filters_on(profile: Profile, rt: ResourceTypeProfile, target: str) -> bool:
    """Whether the vendor's endpoint answers a filter on this mapping target (its table's
    filterable attributes, less what a `no_filter_on` rule refuses)."""
    refused = {key for rule in profile.rules_of("no_filter_on") if rule.attribute
               for key in filterable_keys((rule.attribute,))}
    keys = filterable_keys((target,))
    allowed = rt.filterable_keys
    return not keys & refused and (allowed is None or keys <= allowed)


def _matching(profile: Profile, rt: ResourceTypeProfile, rows: list[AttributeMapping],
              unique_sources: set[str]) -> list[AttributeMapping]:
    """Keep the default matching row where the vendor has it and filters on it; else make
    the first row it filters on (in its filterable list's order, externalId first among the others)
    whose values tell users apart the matching one."""
    def filterable(row: AttributeMapping) -> bool:
        return filters_on(profile, rt, row.target)

    current = next((r for r in rows if r.matching_precedence is not None), None)
    if current is not None and filterable(current):
        return rows
    order = {target: n for n, target in enumerate(rt.filterable or ())}
    unique_targets = {slot.key for name in rt.unique
                      if (slot := slot_of(name, rt.schema)) is not None}
    candidates = sorted((r for r in rows if r.target != MEMBERS and filterable(r) and (
        r.source in unique_sources or _key(rt, r.target) in unique_targets)),
                        key=lambda r: (order.get(r.target, len(order)), r.target != "externalId"))
    if not candidates:
        return rows  # nothing to match on: the cycle's match queries will say so
    chosen = candidates[0]
    return [replace(r, matching_precedence=1 if r is chosen else None) for r in rows]

