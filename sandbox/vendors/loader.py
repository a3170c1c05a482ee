"""Read vendor profiles from TOML, with errors that name the file and the key at fault."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import And, Node, Present, ValuePath
from sandbox.scim.schema import (
    COMMON_ATTRIBUTES,
    STANDARD_SCHEMA_FILES,
    Attribute,
    ResourceSchema,
    Schema,
    standard_schema,
)
from sandbox.vendors import rules
from sandbox.vendors.profile import Profile, ProfileError, ResourceTypeProfile
from sandbox.vendors.profile_auth import parse_auth
from sandbox.vendors.profile_rules import Rule, parse_rules
from sandbox.vendors.quirks import QUIRKS
from sandbox.vendors.rule_checks import (
    DEFAULT_VERIFIED_DOMAINS,
    VERIFIED_DOMAINS,
    is_string_list,
)
from sandbox.vendors.rule_effects import apply_rules
from sandbox.vendors.setup_spec import parse_setup

_TOP_KEYS = {
    "id", "name", "description", "tenant_url", "delete_mode", "unknown_attributes",
    "patch_response", "max_results", "features", "quirks", "documentation_uri",
    "resource_types", "schemas", "setup", "settings", "locale", "doc", "rules", "auth",
    "gallery_id",  # the gallery record a hand-written profile covers (vendors.catalog)
}
_RESOURCE_KEYS = {
    "endpoint", "description", "schema", "extensions", "required_extensions", "attributes",
    "required", "filterable", "unique", "patch_response",
}
_CHOICES = {
    "delete_mode": ("hard", "soft"),
    "unknown_attributes": ("reject", "ignore"),
    "patch_response": ("resource", "no_content"),
}
_FEATURES = {"patch", "bulk", "filter", "sort", "etag", "change_password"}
_COMMON = {a.name.lower() for a in COMMON_ATTRIBUTES}


def bundled_vendors_dir() -> Path:
    """The profiles shipped with the package (or the repository's `vendors/` in a checkout)."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_bundled" / "vendors"
    return shipped if shipped.is_dir() else package.parent / "vendors"


def load_profiles(*directories: Path) -> dict[str, Profile]:
    """Every `*.toml` profile in the directories; a later directory overrides an earlier id."""
    profiles: dict[str, Profile] = {}
    for directory in directories:
        if not directory.is_dir():
            raise ProfileError(f"{directory}: not a directory of vendor profiles")
        for path in sorted(directory.glob("*.toml")):
            profile = load_profile(path)
            profiles[profile.id] = profile
    check_distinct_urls((p.id, p.tenant_url, p.source) for p in profiles.values())
    return profiles


def check_distinct_urls(urls: Iterable[tuple[str, str, str]]) -> None:
    """(vendor id, tenant_url, source) of every vendor served together: two cannot share a
    URL shape ({slug} and {tenant} alike, case aside), or a request could not tell them
    apart. ProfileError naming both."""
    seen: dict[str, str] = {}
    for vendor_id, url, source in urls:
        shape = url.replace("{slug}", "{tenant}").lower()
        if shape in seen:
            raise ProfileError(f"{source}: tenant_url {url!r} is the same as the one of "
                               f"profile {seen[shape]!r}; two vendors cannot share a URL")
        seen[shape] = vendor_id


def load_profile(path: Path) -> Profile:
    """Parse and check one profile file (cached while the file is unchanged)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from None
    # Profiles are immutable, so apps in one process (a test suite makes many) share them.
    return _load_profile(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _load_profile(path: Path, mtime_ns: int, size: int) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    return profile_from_dict(data, str(path))


def profile_from_dict(data: dict[str, Any], source: str = "<profile>") -> Profile:
    check = _Checker(source)
    check.known_keys(data, _TOP_KEYS, "")
    for key in ("id", "name", "tenant_url"):
        check.string(data, key, required=True)
    tenant_url = data["tenant_url"]
    if not tenant_url.startswith("/") or tenant_url.endswith("/"):
        check.fail("tenant_url", "must start with '/' and not end with '/'")
    if tenant_url.startswith("/_sandbox"):
        check.fail("tenant_url", "may not live under /_sandbox, which the admin API uses")
    if tenant_url.lower().startswith("/oauth/"):
        check.fail("tenant_url", "may not live under /oauth, where tenants' OAuth endpoints are")
    for key, choices in _CHOICES.items():
        if key in data and data[key] not in choices:
            check.fail(key, f"must be one of {', '.join(choices)}; got {data[key]!r}")
    features = data.get("features", {})
    check.table(data, "features")
    check.known_keys(features, _FEATURES, "features.")
    for key, value in features.items():
        if not isinstance(value, bool):
            check.fail(f"features.{key}", "must be true or false")
    max_results = data.get("max_results", 200)
    if not isinstance(max_results, int) or isinstance(max_results, bool) or max_results < 1:
        check.fail("max_results", "must be a positive integer")
    custom = _custom_schemas(data.get("schemas", {}), check)
    quirks = tuple(check.string_list(data, "quirks", ""))
    for quirk in quirks:
        if quirk not in QUIRKS:
            check.fail("quirks", f"names an unknown quirk {quirk!r}; known: {sorted(QUIRKS)}")
    for key in ("setup", "doc", "settings"):
        check.table(data, key)
    if "locale" in data:
        check.string(data, "locale")
    resource_types = data.get("resource_types")
    if not isinstance(resource_types, dict) or not resource_types:
        check.fail("resource_types",
                   "must declare at least one resource type, e.g. [resource_types.User]")
    rules_ = parse_rules(data.get("rules"), check.fail)
    settings = _settings(data.get("settings", {}), rules_, check)
    types = {name: _resource_type(name, spec, custom, check,
                                  data.get("patch_response", "resource"))
             for name, spec in resource_types.items()}
    types, delete_mode = apply_rules(rules_, types, data.get("delete_mode"), check.fail)
    return Profile(
        id=data["id"],
        name=data["name"],
        description=data.get("description", ""),
        tenant_url=tenant_url,
        resource_types=types,
        delete_mode=delete_mode,
        unknown_attributes=data.get("unknown_attributes", "reject"),
        patch_response=data.get("patch_response", "resource"),
        max_results=max_results,
        features=dict(features),
        quirks=quirks,
        settings=settings,
        setup=parse_setup(data.get("setup"), data.get("auth"), check.fail),
        doc=dict(data.get("doc", {})),
        locale=data.get("locale"),
        documentation_uri=data.get("documentation_uri"),
        rules=rules_,
        auth=parse_auth(data.get("auth"), check.fail),
        source=source,
        raw=data,
    )


def _settings(specs: dict[str, Any], rules_: tuple[Rule, ...],
              check: _Checker) -> dict[str, dict[str, Any]]:
    """A tenant's settings as the profile declares them (each a table whose `default` is
    true, false or a list of strings), plus those its rules need: `verified_domains` for a
    verified_domain_required rule, unless the profile declares it itself."""
    settings = {}
    for name, spec in specs.items():
        default = spec.get("default") if isinstance(spec, dict) else None
        if not (isinstance(default, bool) or is_string_list(default)):
            check.fail(f"settings.{name}", "must be a table whose 'default' is true, false or "
                                           "a list of strings")
        settings[name] = dict(spec)
    if any(rule.kind == "verified_domain_required" for rule in rules_):
        declared = settings.setdefault(VERIFIED_DOMAINS, {
            "default": list(DEFAULT_VERIFIED_DOMAINS), "label": "Verified domains"})
        if not is_string_list(declared["default"]):
            check.fail(f"settings.{VERIFIED_DOMAINS}", "must have a list of domains as its "
                                                       "'default'")
    return settings


def _custom_schemas(specs: Any, check: _Checker) -> dict[str, Schema]:
    if not isinstance(specs, dict):
        check.fail("schemas", "must be a table of schema definitions keyed by URN")
    schemas = {}
    for urn, spec in specs.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("attributes"), list):
            check.fail(f"schemas.{urn!r}", "must have an 'attributes' list")
        try:
            schemas[urn] = Schema.from_dict({"id": urn, **spec})
        except (KeyError, TypeError) as exc:
            check.fail(f"schemas.{urn!r}", f"has an attribute without {exc}")
    return schemas


def _find_schema(urn: Any, custom: dict[str, Schema], where: str, check: _Checker) -> Schema:
    if urn in custom:
        return custom[urn]
    if urn in STANDARD_SCHEMA_FILES:
        return standard_schema(urn)
    known = sorted({*STANDARD_SCHEMA_FILES, *custom})
    check.fail(where, f"names an unknown schema {urn!r}; known: {', '.join(known)}")
    raise AssertionError  # unreachable: fail() raises


def _resource_type(
    name: str, spec: Any, custom: dict[str, Schema], check: _Checker,
    default_patch_response: str = "resource",
) -> ResourceTypeProfile:
    where = f"resource_types.{name}"
    if not isinstance(spec, dict):
        check.fail(where, "must be a table")
    check.known_keys(spec, _RESOURCE_KEYS, f"{where}.")
    check.string(spec, "endpoint", required=True, prefix=f"{where}.")
    check.string(spec, "schema", required=True, prefix=f"{where}.")
    core = _find_schema(spec["schema"], custom, f"{where}.schema", check)
    extensions = [
        _find_schema(urn, custom, f"{where}.extensions", check)
        for urn in check.string_list(spec, "extensions", f"{where}.")
    ]
    keep = check.string_list(spec, "attributes", f"{where}.") if "attributes" in spec else None
    required = check.string_list(spec, "required", f"{where}.")
    required_nodes = [_attribute_path(entry, f"{where}.required", check) for entry in required]
    flags = [flag for node in required_nodes for flag in _required_flags(node)]
    core, extensions = _apply_attribute_rules(core, extensions, keep, flags, where, check)
    resource_schema = ResourceSchema(
        name=name,
        endpoint="/" + spec["endpoint"].strip("/"),
        core=core,
        extensions=tuple(extensions),
        required_extensions=frozenset(check.string_list(spec, "required_extensions", f"{where}.")),
        description=spec.get("description", name),
        common=_kept_common(keep),
    )
    required_paths = []
    for entry in required:
        try:
            required_paths.append(rules.required_path(entry, resource_schema))
        except ScimError as error:
            check.fail(f"{where}.required", f"entry {entry!r} does not fit the schema: "
                                            f"{error.detail}")
    filterable = None
    if "filterable" in spec:
        filterable = tuple(check.string_list(spec, "filterable", f"{where}."))
        for entry in filterable:
            _attribute_path(entry, f"{where}.filterable", check)
    patch_response = spec.get("patch_response", default_patch_response)
    if patch_response not in _CHOICES["patch_response"]:
        check.fail(f"{where}.patch_response",
                   f"must be one of {', '.join(_CHOICES['patch_response'])}")
    return ResourceTypeProfile(
        name=name,
        schema=resource_schema,
        filterable=filterable,
        filterable_keys=None if filterable is None else rules.filterable_keys(filterable),
        unique=tuple(check.string_list(spec, "unique", f"{where}.")),
        required=tuple(required_paths),
        patch_response=patch_response,
    )


def _kept_common(keep: list[str] | None) -> tuple[Attribute, ...]:
    """externalId is optional: a vendor whose table lacks it does not store it."""
    if keep is None or "externalid" in {k.lower() for k in keep}:
        return COMMON_ATTRIBUTES
    return tuple(a for a in COMMON_ATTRIBUTES if a.name != "externalId")


def _attribute_path(entry: str, where: str, check: _Checker) -> Node:
    try:
        return rules.parse_attribute_path(entry)
    except ScimError as error:
        check.fail(where, f"entry {entry!r} is not an attribute path: {error.detail}")
        raise AssertionError from None  # unreachable: fail() raises


def _required_flags(node: Node) -> list[str]:
    """Schema attributes to mark `required` for a doc entry: `name.givenName` marks that
    sub-attribute; `emails[type eq "work"].value` marks `emails` and `emails.value`."""
    if isinstance(node, Present):
        path = node.path
    elif isinstance(node, ValuePath) and isinstance(node.filter, And) \
            and isinstance(node.filter.right, Present):
        base = f"{node.path.urn}:{node.path.attr}" if node.path.urn else node.path.attr
        return [base, f"{base}.{node.filter.right.path.attr}"]
    else:
        return []
    name = f"{path.attr}.{path.sub}" if path.sub else path.attr
    if path.sub:
        return [f"{path.urn}:{path.attr}" if path.urn else path.attr,
                f"{path.urn}:{name}" if path.urn else name]
    return [f"{path.urn}:{name}" if path.urn else name]


def _apply_attribute_rules(
    core: Schema,
    extensions: list[Schema],
    keep: list[str] | None,
    required: list[str],
    where: str,
    check: _Checker,
) -> tuple[Schema, list[Schema]]:
    """Limit schemas to the attributes a vendor keeps and mark the ones it requires."""
    by_schema: dict[str, tuple[set[str], dict[str, dict[str, Any]]]] = {
        s.id: (set(), {}) for s in (core, *extensions)
    }

    def owner(path: str) -> tuple[str, str]:
        for schema_id in by_schema:
            if path.lower().startswith(schema_id.lower() + ":"):
                return schema_id, path[len(schema_id) + 1:]
        if path.startswith("urn:"):
            check.fail(where, f"names {path!r}, whose schema this resource type does not use")
        return core.id, path

    for path in keep or ():
        if path.lower() in _COMMON:
            continue  # id, externalId, meta and schemas belong to every resource
        schema_id, rest = owner(path)
        by_schema[schema_id][0].add(rest)
    for path in required:
        if path.split(".")[0].lower() in _COMMON:
            continue
        schema_id, rest = owner(path)
        by_schema[schema_id][1][rest] = {"required": True}
    restricted = []
    for schema in (core, *extensions):
        names, overrides = by_schema[schema.id]
        for name in [*names, *overrides]:
            attr, _, sub = name.partition(".")
            found = schema.attribute(attr)
            if found is None or (sub and found.sub(sub) is None):
                check.fail(where, f"names attribute {name!r}, which schema {schema.id} lacks")
        keep_here = names if keep is not None else None
        restricted.append(schema.restricted(keep_here, overrides) if keep_here is not None
                          or overrides else schema)
    return restricted[0], restricted[1:]


class _Checker:
    """Raises ProfileError messages of the form `<file>: key 'a.b' must ...`."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> None:
        raise ProfileError(f"{self.source}: key '{key}' {message}")

    def known_keys(self, data: dict[str, Any], allowed: set[str], prefix: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail(prefix + key, f"is not a profile key; expected one of {sorted(allowed)}")

    def table(self, data: dict[str, Any], key: str) -> None:
        if key in data and not isinstance(data[key], dict):
            self.fail(key, "must be a table")

    def string(self, data: dict[str, Any], key: str, required: bool = False,
               prefix: str = "") -> None:
        if key not in data:
            if required:
                self.fail(prefix + key, "is required")
            return
        if not isinstance(data[key], str) or not data[key]:
            self.fail(prefix + key, "must be a non-empty string")

    def string_list(self, data: dict[str, Any], key: str, prefix: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(prefix + key, "must be a list of strings")
        return value
