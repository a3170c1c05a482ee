"""Every tenant of a sandbox as one document, and back: the whole-sandbox snapshot.

Each tenant appears as its own snapshot (`TenantSnapshots.snapshot`: record, settings,
rate_limit, resources) plus `token_sha256`, the SHA-256 digest (hex) of its current secret.
The secret itself never leaves the sandbox; a restore keeps the digest, so every client that
held a secret still gets in with it, while nobody can read it from the file. Replaced
secrets (and their grace periods), OAuth access tokens, journals and faults are not kept.

A restore replaces every tenant: tenants that the document lacks are deleted. The whole
document is checked first (vendors, ids, slugs, digests, settings, every resource as its
vendor would hold it); one problem is a 400 naming the tenant, and nothing changes.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sandbox.scim.errors import ScimError, invalid_value
from sandbox.service.clock import format_time
from sandbox.service.credentials import EXPIRY_FIELD, NAME_FIELD
from sandbox.service.registry import TenantRegistry
from sandbox.service.sandbox_clock import EARLIEST, LATEST
from sandbox.service.snapshots import HIDDEN_FIELDS, CheckedSnapshot
from sandbox.service.tenant import TenantService
from sandbox.service.tenant_keys import TenantKeys

FORMAT = "scim-sandbox snapshot"
VERSION = 1
_DIGEST = re.compile(r"[0-9a-f]{64}")
# As `TenantRegistry.create_tenant` takes ids and slugs.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")


def export_sandbox(registry: TenantRegistry) -> dict[str, Any]:
    """Every tenant's snapshot, with its secret as a digest; `PUT /_sandbox/snapshot` and
    `serve --load` take it back."""
    tenants = []
    with registry.store.lock:  # one moment for every tenant
        for tenant in registry.tenants():
            state = tenant.snapshot()
            state["tenant"]["token_sha256"] = registry.keys.digest_of(tenant.id).hex()
            tenants.append(state)
    return {"format": FORMAT, "version": VERSION, "taken": format_time(registry.clock()),
            "tenants": tenants}


def restore_sandbox(registry: TenantRegistry, document: Any) -> list[TenantService]:
    """Make `document` (as `export_sandbox` wrote it) every tenant of the sandbox: the ones
    it lacks are deleted, the ones it holds come back with their ids, URLs, credentials (by
    digest), settings and resources. Returns the tenants now served."""
    with registry.store.lock:
        checked = _checked_document(registry, document)
        with registry.store.transaction():  # one record in a durable store's log
            for tenant in registry.tenants():
                registry.delete_tenant(tenant.id)
            restored = []
            for record, snapshot in checked:
                tenant = registry.add_restored(record)
                tenant.apply_snapshot(snapshot)
                restored.append(tenant)
    return restored


def _checked_document(registry: TenantRegistry, document: Any,
                      ) -> list[tuple[dict[str, Any], CheckedSnapshot]]:
    if not isinstance(document, dict) or not isinstance(document.get("tenants"), list):
        raise invalid_value('A sandbox snapshot is {"tenants": [...]} as GET /_sandbox/snapshot '
                            "returns it. Nothing was restored.")
    if document.get("format", FORMAT) != FORMAT or document.get("version", VERSION) != VERSION:
        raise invalid_value(f"This sandbox reads snapshots of format {FORMAT!r} version "
                            f"{VERSION}; got {document.get('format')!r} version "
                            f"{document.get('version')!r}. Nothing was restored.")
    checked: list[tuple[dict[str, Any], CheckedSnapshot]] = []
    taken: dict[tuple[str, ...], str] = {}
    for position, entry in enumerate(document["tenants"]):
        label = _label(entry, position)
        try:
            record, snapshot = _checked_entry(registry, entry)
            for key in _unique_keys(registry, record):
                if key in taken:
                    raise invalid_value(f"It has the same {key[0]} as tenant "
                                        f"'{taken[key]}'.")
                taken[key] = record["id"]
        except ScimError as error:
            raise invalid_value(f"Tenant {label} of the snapshot: {error.detail} Nothing was "
                                "restored.") from None
        checked.append((record, snapshot))
    return checked


def _checked_entry(registry: TenantRegistry, entry: Any,
                   ) -> tuple[dict[str, Any], CheckedSnapshot]:
    """One tenant's record as the registry will keep it, and its checked snapshot."""
    if not isinstance(entry, dict) or not isinstance(entry.get("tenant"), dict):
        raise invalid_value('Each tenant is {"tenant": {...}, "resources": {...}}.')
    given = entry["tenant"]
    if not isinstance(given.get("vendor"), str):
        raise invalid_value("Its 'vendor' is missing.")
    profile = registry.profile(given["vendor"])  # 400 with the close ids when unknown
    record = {k: v for k, v in given.items() if k not in HIDDEN_FIELDS}
    record["settings"] = {}  # the snapshot's own are checked and set by `apply_snapshot`
    if not isinstance(record.get("id"), str) or not _NAME.fullmatch(record["id"]):
        raise invalid_value("Its 'id' must be 1-63 letters, digits, '.', '_' or '-'.")
    slug = record.get("slug")
    if profile.tenant_placeholder == "slug":
        if not isinstance(slug, str) or not _NAME.fullmatch(slug):
            raise invalid_value(f"{profile.name} tenants need a 'slug' of 1-63 letters, "
                                "digits, '.', '_' or '-'.")
    elif slug is not None:
        raise invalid_value(f"{profile.name} tenant URLs have no slug; 'slug' must be null.")
    digest = given.get("token_sha256")
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise invalid_value("'token_sha256' must be the 64 lowercase hex digits of the "
                            "secret's SHA-256 digest, as GET /_sandbox/snapshot writes it.")
    record["token_sha256"] = digest
    name_field = NAME_FIELD.get(profile.auth.kind)
    if name_field and not isinstance(record.get(name_field), str):
        raise invalid_value(f"{profile.name} tenants use {profile.auth.kind} credentials: "
                            f"'{name_field}' is missing.")
    if "created" not in record:
        raise invalid_value("'created' is missing.")
    for field in ("created", "token_issued"):
        if field in record and not _is_time(record[field]):
            raise invalid_value(f"'{field}' must be an ISO 8601 time with a timezone, "
                                f"between {EARLIEST.year} and {LATEST.year}; got "
                                f"{record[field]!r}.")
    _check_expiry(record.get(EXPIRY_FIELD))
    trial = TenantService(record, profile, registry.store, {}, registry.clock)
    try:
        TenantKeys(registry.clock).index(trial)  # what a restart would read from the record
    except (KeyError, TypeError, ValueError) as error:
        raise invalid_value(f"Its record cannot open the tenant ({error}).") from None
    return record, trial.checked_snapshot(entry)


def _unique_keys(registry: TenantRegistry, record: dict[str, Any]) -> list[tuple[str, ...]]:
    """What two tenants of one sandbox may not share: the id, a vendor's slug, and the secret
    of a vendor whose URLs name no tenant (its tenants are found by their secret)."""
    keys: list[tuple[str, ...]] = [("id", record["id"])]
    placeholder = registry.profile(record["vendor"]).tenant_placeholder
    if placeholder == "slug":
        keys.append(("slug", record["vendor"], record["slug"].lower()))
    elif placeholder is None:
        keys.append(("secret", record["vendor"], record["token_sha256"]))
    return keys


def _is_time(value: Any) -> bool:
    """An ISO 8601 time the clock's can be compared with: with a timezone, in its range."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return False
    return moment is not None and moment.tzinfo is not None and EARLIEST <= moment <= LATEST


def _check_expiry(value: Any) -> None:
    """`token_expiry` as `credentials.expiry_set` writes it: absent, or {"at": time|null}."""
    if value is None:
        return
    if not isinstance(value, dict) or set(value) != {"at"} or (
            value["at"] is not None and not _is_time(value["at"])):
        raise invalid_value(f"'{EXPIRY_FIELD}' must be {{\"at\": null}} or {{\"at\": an ISO "
                            f"8601 time with a timezone, between {EARLIEST.year} and "
                            f"{LATEST.year}}}, as GET /_sandbox/snapshot writes it; got "
                            f"{value!r}.")


def _label(entry: Any, position: int) -> str:
    tenant = entry.get("tenant") if isinstance(entry, dict) else None
    name = tenant.get("id") if isinstance(tenant, dict) else None
    return f"{name!r} (#{position + 1})" if isinstance(name, str) else f"#{position + 1}"
