"""What a profile's rules check at the SCIM endpoint, compiled once per resource type.

`compile_rules(profile)` reads `Profile.rules` (see `profile_rules.RULE_KINDS`, whose words
are the contract of each kind) and answers, per resource type, a `TypeRules`: the value
checks of every write, the rewrites (lowercase, create-only values kept), the attributes no
filter may use and the group operations refused. A profile without rules gets an empty
mapping, so a request pays one dictionary lookup for rules it does not have.

Pure functions over dicts: no Flask, no store. The service calls them (`service.writes`,
`service.reads`, `service.tenant_base`) and decides what they mean for stored data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.scim.errors import ScimError, invalid_filter, invalid_value, mutability
from sandbox.scim.filter import Node
from sandbox.scim.schema import ResourceSchema
from sandbox.vendors.attribute_reader import AttributeReader, attribute_reader
from sandbox.vendors.profile import Profile, ResourceTypeProfile
from sandbox.vendors.profile_rules import Rule
from sandbox.vendors.rule_effects import applies_to
from sandbox.vendors.rules import filter_terms, filterable_keys
from sandbox.vendors.value_formats import FORMAT_TESTS

# The tenant setting a verified_domain_required rule reads, and its default: the demo
# directory's domain and the one of RFC 2606's examples.
VERIFIED_DOMAINS = "verified_domains"
DEFAULT_VERIFIED_DOMAINS: tuple[str, ...] = ("contoso.com", "example.com")
MAX_DOMAIN_CHARS = 253  # the longest domain name DNS allows
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                     r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")

# (the values a path selects, the whole resource, the tenant's verified domains) → why the
# values are refused, or None.
Problem = Callable[[list[Any], dict[str, Any], Sequence[str]], str | None]


@dataclass(frozen=True, slots=True)
class ValueCheck:
    """One rule's test of the values its attribute path selects."""

    rule: Rule
    reader: AttributeReader
    problem: Problem


@dataclass(frozen=True, slots=True)
class TypeRules:
    """The rules that concern one resource type of one profile, ready to run."""

    vendor: str
    checks: tuple[ValueCheck, ...] = ()
    lowercase: tuple[AttributeReader, ...] = ()
    create_only: tuple[AttributeReader, ...] = ()
    unfilterable: tuple[tuple[str, str], ...] = ()  # (filter key, as the rule writes it)
    unique: tuple[AttributeReader, ...] = ()  # unique paths the store's indexes cannot read
    no_create: bool = False
    no_delete: bool = False
    no_rename: AttributeReader | None = None
    max_count: int | None = None
    deactivation_deletes: bool = False
    needs_domains: bool = False

    def prepared(self, data: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
        """A validated body as it will be stored: on a change of an existing resource
        (`current`), create-only values kept as they were; values stored in lowercase."""
        if current is not None:
            for reader in self.create_only:
                data = reader.kept_from(data, current)
        for reader in self.lowercase:
            data = reader.mapped(data, _lowered)
        return data

    def check_values(self, data: dict[str, Any], domains: Sequence[str] = ()) -> None:
        """400 invalidValue naming the attribute and the rule a value breaks."""
        for check in self.checks:
            values = check.reader.values(data)
            if not values:
                continue  # absent: whether it must be there is another rule's business
            problem = check.problem(values, data, domains)
            if problem is not None:
                raise invalid_value(f"{self.vendor}: {check.reader.written} {problem} "
                                    f"(rule {check.rule.kind}).")

    def check_filter(self, node: Node) -> None:
        """400 invalidFilter when a filter uses an attribute a no_filter_on rule names."""
        for key, written in filter_terms(node):
            for refused, rule_written in self.unfilterable:
                if key == refused or key.startswith((refused + ".", refused + "[")):
                    raise invalid_filter(f"{self.vendor} does not support filtering on "
                                         f"'{written}' (rule no_filter_on {rule_written}).")

    def check_create(self) -> None:
        """403 for a group create that no_group_create refuses (before the body is read)."""
        if self.no_create:
            raise ScimError(403, f"{self.vendor} does not let a provisioning client create "
                                 "groups (rule no_group_create); create them in the app.")

    def check_count(self, count: int) -> None:
        """400 invalidValue for a group create past max_groups (`count`: groups held now)."""
        if self.max_count is not None and count >= self.max_count:
            raise invalid_value(f"{self.vendor} allows at most {self.max_count} groups and this "
                                f"tenant has {count}; this group was not created "
                                "(rule max_groups).")

    def check_delete(self) -> None:
        if self.no_delete:
            raise ScimError(403, f"{self.vendor} does not let a provisioning client delete "
                                 "groups (rule no_group_delete); the group stays.")

    def check_rename(self, new: dict[str, Any], current: dict[str, Any]) -> None:
        reader = self.no_rename
        if reader is not None and reader.values(new) != reader.values(current):
            kept = ", ".join(map(str, reader.values(current))) or "empty"
            raise mutability(f"{self.vendor} does not let a provisioning client rename a "
                             f"group: its {reader.written} stays '{kept}' "
                             "(rule no_group_rename).")

    def deletes_on(self, new: dict[str, Any], current: dict[str, Any]) -> bool:
        """Whether this change deactivates a user that hard_delete_only removes instead."""
        return (self.deactivation_deletes and new.get("active") is False
                and current.get("active") is not False)


def compile_rules(profile: Profile) -> dict[str, TypeRules]:
    """The rules of each resource type that has any; empty for a profile without rules."""
    compiled = {}
    for rt in profile.resource_types.values():
        rules = _type_rules(profile, rt)
        if rules != TypeRules(profile.name):
            compiled[rt.name] = rules
    return compiled


def needs_reader(written: str, schema: ResourceSchema) -> bool:
    """Whether a unique attribute is more than a top-level name spelled as the schema spells
    it (the one form the service's own uniqueness check and its indexes read)."""
    found = schema.top_level(written)
    return found is None or found.name != written or found.is_complex


def _type_rules(profile: Profile, rt: ResourceTypeProfile) -> TypeRules:
    fields: dict[str, Any] = {"checks": [], "lowercase": [], "create_only": [],
                              "unfilterable": []}
    for rule in profile.rules:
        if not applies_to(rule, rt):
            continue
        reader = attribute_reader(rule.attribute, rt.schema) if rule.attribute else None
        _add_rule(fields, rule, reader, rt)
    unique = [reader for written in rt.unique if needs_reader(written, rt.schema)
              for reader in [attribute_reader(written, rt.schema)] if reader is not None]
    kinds = {rule.kind for rule in profile.rules}
    return TypeRules(
        vendor=profile.name,
        checks=tuple(fields["checks"]),
        lowercase=tuple(fields["lowercase"]),
        create_only=tuple(fields["create_only"]),
        unfilterable=tuple(fields["unfilterable"]),
        unique=tuple(unique),
        no_create=rt.name == "Group" and "no_group_create" in kinds,
        no_delete=rt.name == "Group" and "no_group_delete" in kinds,
        no_rename=fields.get("no_rename"),
        max_count=fields.get("max_count"),
        deactivation_deletes=rt.name == "User" and "hard_delete_only" in kinds,
        needs_domains=any(c.rule.kind == "verified_domain_required" for c in fields["checks"]),
    )


def _add_rule(fields: dict[str, Any], rule: Rule, reader: AttributeReader | None,
              rt: ResourceTypeProfile) -> None:
    kind = rule.kind
    if kind == "max_groups" and rt.name == "Group":
        fields["max_count"] = min(rule.max or 0, fields.get("max_count") or rule.max or 0)
    if reader is None:
        return
    problem = _problem(rule)
    if problem is not None:
        fields["checks"].append(ValueCheck(rule, reader, problem))
    elif kind == "lowercase_only":
        fields["lowercase"].append(reader)
    elif kind == "create_only_attribute":
        fields["create_only"].append(reader)
    elif kind == "no_group_rename":
        fields["no_rename"] = reader
    elif kind == "no_filter_on" and rule.attribute:
        fields["unfilterable"].extend((key, rule.attribute)
                                      for key in filterable_keys((rule.attribute,)))


def _problem(rule: Rule) -> Problem | None:
    """The value test of a rule kind that refuses values, or None for other kinds."""
    if rule.kind == "value_format" and rule.format in FORMAT_TESTS:
        test = FORMAT_TESTS[rule.format]
        return lambda values, _data, _domains: _first(
            f"'{_text(v)}' is not {wanted}" for v in values
            if (wanted := test(_text(v))) is not None)
    if rule.kind == "allowed_values" and rule.values is not None:
        allowed = {v.casefold() for v in rule.values}
        shown = ", ".join(rule.values)
        return lambda values, _data, _domains: _first(
            f"'{_text(v)}' is not one of {shown}" for v in values
            if _text(v).casefold() not in allowed)
    if rule.kind == "max_length" and rule.max is not None:
        most = rule.max
        return lambda values, _data, _domains: _first(
            f"'{_text(v)}' is {len(_text(v))} characters long, more than {most}"
            for v in values if len(_text(v)) > most)
    if rule.kind == "single_role_only":
        return lambda values, _data, _domains: (
            f"holds {len(values)} values; only one is allowed" if len(values) > 1 else None)
    if rule.kind == "email_equals_username":
        return _differs_from_user_name
    if rule.kind == "verified_domain_required":
        return _unverified_domain
    return None


def _differs_from_user_name(values: list[Any], data: dict[str, Any],
                            _domains: Sequence[str]) -> str | None:
    user_name = data.get("userName")
    if not isinstance(user_name, str):
        return None  # a resource without a userName (a group) has nothing to equal
    return _first(f"'{_text(v)}' differs from the userName '{user_name}'" for v in values
                  if _text(v).casefold() != user_name.casefold())


def _unverified_domain(values: list[Any], _data: dict[str, Any],
                       domains: Sequence[str]) -> str | None:
    verified = {d.casefold() for d in domains}
    shown = ", ".join(domains) or "none"
    for value in values:
        local, at, domain = _text(value).rpartition("@")
        if not at or not local:
            return f"'{_text(value)}' has no domain (name@domain); the tenant's verified " \
                   f"domains are {shown}"
        if domain.casefold() not in verified:
            return f"'{_text(value)}' is not in a verified domain of this tenant ({shown})"
    return None


def is_string_list(value: Any) -> bool:
    """Whether `value` is a list of strings (the shape of a list setting's value)."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def setting_problem(default: Any, value: Any, name: str = "") -> str | None:
    """What a tenant setting `name` whose default is `default` must be, when `value` is not
    that (a setting keeps its default's type: true/false, or a list of strings), else None.
    The verified domains must be domain names, at least one unless the default has none:
    with none, a verified_domain_required rule refuses every user."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if not (is_string_list(value) and all(item.strip() for item in value)):
        return "a list of non-empty strings, e.g. [\"contoso.com\", \"example.com\"]"
    if name != VERIFIED_DOMAINS or value == default:
        return None
    if not value:
        return ("at least one domain, e.g. [\"contoso.com\"]: with none, every user a domain "
                "rule checks is refused")
    wrong = next((item for item in value if not is_domain_name(item)), None)
    if wrong is not None:
        shown = wrong if len(wrong) <= 60 else wrong[:60] + "…"
        return (f"domain names such as contoso.com, without '@' or 'https://'; {shown!r} "
                "is not one")
    return None


def is_domain_name(text: str) -> bool:
    """Whether `text` is a domain name (any case, a trailing dot allowed): dot-separated
    labels of letters, digits and inner hyphens, ending in a top-level name of letters (an
    internationalised one in its xn-- form)."""
    return len(text) <= MAX_DOMAIN_CHARS and bool(_DOMAIN.fullmatch(text.lower().rstrip(".")))


def _first(problems: Iterable[str]) -> str | None:
    return next(iter(problems), None)


def _text(value: Any) -> str:
    """A value as text: JSON's spelling for booleans, so `true` meets `values = ["true"]`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _lowered(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value
