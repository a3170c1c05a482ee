"""One Markdown page per vendor, generated from its profile so the page cannot drift.

`python scripts/generate_vendor_docs.py` writes `docs/vendors/<id>.md`; a test fails when a
page differs from what the profile renders. The profile's `[doc]` notes state what the
vendor's tutorial says in our own words (never a copied sentence), one note per behaviour.
"""

from __future__ import annotations

from sandbox.vendors.profile import Profile, ResourceTypeProfile
from sandbox.vendors.rules import entry_attribute

# Which note (a key of the profile's [doc] table) stands behind which behaviour.
_BEHAVIOUR_NOTES = {
    "Tenant URL": ("tenant_url",),
    "Resource types": ("resource_types", "group_members"),
    "Delete": ("delete_mode",),
    "Required attributes": ("required",),
    "Filterable attributes": ("filterable", "user_filterable", "group_filterable"),
    "Setup": ("menu", "setup", "sync_tab"),
    "Auth": ("secret",),
    "Quirks": ("active_scim_provider",),
}
_TOKEN_FROM = {
    "console": "the vendor's admin console",
    "support": "the vendor's support",
    "self_chosen": "the admin, who chooses it",
    "oauth": "OAuth (Entra's Authorize button)",
}
# What stands behind a behaviour the tutorial says nothing about.
_WHEN_SILENT = {
    "PATCH answer": "(silent; Microsoft Entra's SCIM guidance: 200 for users, 204 for groups)",
    "Unknown attributes": "(silent; a real endpoint keeps only the attributes it has)",
}


def _notes(profile: Profile, keys: tuple[str, ...]) -> str:
    lines = [profile.doc[k] for k in keys if k in profile.doc]
    return "<br>".join(_cell(line) for line in lines) or "(the tutorial is silent)"


def _rule_lines(profile: Profile) -> list[str]:
    """The profile's `[[rules]]` in words: what the sandbox does, and the tutorial's point."""
    if not profile.rules:
        return []
    lines = ["", "## Rules", "", "| rule | what the sandbox does | the tutorial's point |",
             "|---|---|---|"]
    for rule in profile.rules:
        lines.append(f"| `{rule.kind}` | {_cell(rule.in_words())} | "
                     f"{_cell(rule.summary) or '(no summary)'} |")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _tenant_url(profile: Profile) -> str:
    found_by = {
        "tenant": "the tenant id in the path, and its token",
        "slug": "the organization slug in the path; slug and token must belong to one tenant",
        None: "the token alone (every tenant shares the URL)",
    }[profile.tenant_placeholder]
    return f"`{profile.tenant_url}`; found by {found_by}"


def _patch(rt: ResourceTypeProfile) -> str:
    return "200 with the resource" if rt.patch_response == "resource" else "204 No Content"


def _delete(profile: Profile) -> str:
    if profile.delete_mode == "soft":
        return ("soft: DELETE sets `active` to false; GET and filters still return the user; "
                "PATCH `active: true` restores it")
    return "hard: DELETE removes the resource (and its group memberships)"


def _attribute_rows(rt: ResourceTypeProfile) -> list[str]:
    required = {entry_attribute(r.written).lower() for r in rt.required}
    filterable = (None if rt.filterable is None
                  else {entry_attribute(f).lower() for f in rt.filterable})
    rows = ["| attribute | type | required | filterable |", "|---|---|---|---|"]
    named: list[tuple[str, str]] = (
        [("externalId", "string")] if rt.schema.top_level("externalId") else [])
    for schema in (rt.schema.core, *rt.schema.extensions):
        prefix = "" if schema is rt.schema.core else f"{schema.id}:"
        for attr in schema.attributes:
            if not attr.sub_attributes:
                kind = f"{attr.type}, multi-valued" if attr.multi_valued else attr.type
                named.append((prefix + attr.name, kind))
            named += [(f"{prefix}{attr.name}.{sub.name}", sub.type)
                      for sub in attr.sub_attributes]
    for name, kind in named:
        key = name.lower()
        is_filterable = filterable is None or key in filterable
        rows.append(f"| `{_cell(name)}` | {kind} | {'yes' if key in required else ''} | "
                    f"{'yes' if is_filterable else ''} |")
    return rows


def render_vendor_doc(profile: Profile) -> str:
    """The Markdown page of one vendor profile."""
    doc = profile.doc
    out = [f"# {profile.name} (`{profile.id}`)", "", profile.description, ""]
    if doc.get("url"):
        out += [f"Source of truth: [the Microsoft Entra provisioning tutorial for {profile.name}]"
                f"({doc['url']}) (Microsoft Entra documentation, CC BY 4.0; its facts are "
                "restated here in our own words). Generated from "
                f"[`vendors/{profile.id}.toml`](../../vendors/{profile.id}.toml); "
                "do not edit by hand.", ""]
    behaviours = {
        "Tenant URL": _tenant_url(profile),
        "Resource types": ", ".join(
            f"{rt.name} at `{rt.schema.endpoint}`" for rt in profile.resource_types.values()),
        "Delete": _delete(profile),
        "PATCH answer": "; ".join(f"{rt.name}: {_patch(rt)}"
                                  for rt in profile.resource_types.values()),
        "Unknown attributes": "accepted and ignored (not stored); the response shows what was "
        "kept" if profile.unknown_attributes == "ignore" else "refused with 400",
        "Required attributes": "; ".join(
            f"{rt.name}: " + (", ".join(f"`{_cell(r.written)}`" for r in rt.required) or "RFC")
            for rt in profile.resource_types.values()),
        "Filterable attributes": "; ".join(
            f"{rt.name}: " + (", ".join(f"`{_cell(f)}`" for f in rt.filterable)
                              if rt.filterable is not None else "any attribute")
            for rt in profile.resource_types.values()),
    }
    if profile.quirks:
        behaviours["Quirks"] = ", ".join(f"`{q}`" for q in profile.quirks)
    setup = profile.setup
    if setup.get("menu"):
        behaviours["Setup"] = " > ".join(setup["menu"])
    elif profile.auth.token_from == "support":
        behaviours["Setup"] = "no self-service: the vendor's support issues the credentials"
    behaviours["Auth"] = (f"{profile.auth.kind}; the secret is labelled "
                          f"“{profile.auth.token_label}” and comes from "
                          f"{_TOKEN_FROM[profile.auth.token_from]}")
    out += ["## Behaviour", "", "| behaviour | the sandbox | the tutorial states (our words) |",
            "|---|---|---|"]
    for name, value in behaviours.items():
        keys = _BEHAVIOUR_NOTES.get(name, ())
        note = _WHEN_SILENT.get(name) or _notes(profile, keys)
        out.append(f"| {name} | {_cell(value)} | {note} |")
    used = {k for keys in _BEHAVIOUR_NOTES.values() for k in keys} | {"source", "url"}
    others = [(k, v) for k, v in doc.items() if k not in used]
    if others:
        out += ["", "Other facts of the tutorial the emulation follows:", ""]
        out += [f"- `{k}`: {_cell(v)}" for k, v in others]
    out += _rule_lines(profile)
    for rt in profile.resource_types.values():
        out += ["", f"## {rt.name} attributes", "", *_attribute_rows(rt)]
    features = ", ".join(f"{k} {'on' if v else 'off'}" for k, v in profile.features.items())
    out += ["", "## Service provider configuration", "", f"{features}; "
            f"maxResults {profile.max_results}.", ""]
    return "\n".join(out)
