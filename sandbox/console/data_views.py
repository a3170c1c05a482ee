"""What the data browser shows, shaped from the service layer in plain Python (no Flask).

Everything here reads or changes a tenant through `TenantService` (its SCIM reads, journal
and faults), never the store. Lists are paged or capped, so a tenant with many users or a
long journal still gives a page of a bounded size.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from sandbox.console.setup_flows import credential_fields
from sandbox.scim.errors import ScimError
from sandbox.scim.listing import ListQuery
from sandbox.service import TenantService
from sandbox.service.faults import Fault
from sandbox.service.operations import LABELS

PAGE_SIZE = 100  # users or groups per page
JOURNAL_SHOWN = 200  # newest journal entries shown
MEMBERS_SHOWN = 25  # members named per group in the list; the JSON view has them all
PAUSED_PER_TENANT = 50
FAULT_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SCIM_TYPES = ("invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax",
              "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive")
OPERATIONS = LABELS


SECRET_KEYS = frozenset({"token", "password", "client_secret"})  # hidden until "Show"
ENTRA_TOKEN_LABEL = "Secret Token"  # where Entra's Provisioning blade takes a bearer secret


class InputError(ValueError):
    """A form value the data browser cannot use; the message is for the admin."""


@dataclass(frozen=True, slots=True)
class CredentialRow:
    """One credential of a tenant, as its page shows it (a secret is masked until shown)."""

    label: str
    element_id: str
    value: str
    secret: bool


def credential_rows(tenant: TenantService, root_url: str) -> list[CredentialRow]:
    """The tenant's credentials by its vendor's auth kind, labelled as its setup screens
    label them: the secret under `[auth] token_label`, or a username and password, or an
    OAuth client with its token URL (and authorization URL)."""
    rows = []
    for field in credential_fields(tenant.profile, tenant.credentials(root_url)):
        label = field.label
        if field.key == "token" and label != ENTRA_TOKEN_LABEL:
            label = f"{label} (Entra's {ENTRA_TOKEN_LABEL})"  # what goes where
        rows.append(CredentialRow(label, "tenant-" + field.key.replace("_", "-"), field.value,
                                  field.key in SECRET_KEYS))
    return rows


def pretty(value: Any) -> str:
    """A body as indented JSON (text that is not JSON as it is)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


# Users and groups --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResourcePage:
    resources: list[dict[str, Any]]
    total: int
    page: int
    pages: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.resources else 0

    @property
    def last(self) -> int:
        return self.first + len(self.resources) - 1 if self.resources else 0


def has_type(tenant: TenantService, name: str) -> bool:
    return name in tenant.profile.resource_types


def resource_page(tenant: TenantService, type_name: str, page: int,
                  base_url: str) -> ResourcePage:
    """One page of a tenant's users or groups, as a SCIM client would get them."""
    rt = tenant.profile.resource_types[type_name]
    page = max(1, page)
    query = ListQuery(start_index=(page - 1) * PAGE_SIZE + 1, count=PAGE_SIZE)
    body = tenant.list_view(tenant.list(rt, query), base_url)
    total = int(body.get("totalResults", 0))
    pages = max(1, -(-total // PAGE_SIZE))
    return ResourcePage(list(body.get("Resources", [])), total, page, pages)


def user_label(user: Mapping[str, Any]) -> str:
    """How a person is named in lists: the formatted name, else given and family names."""
    name = user.get("name") if isinstance(user.get("name"), Mapping) else {}
    formatted = name.get("formatted") if name else None
    if formatted:
        return str(formatted)
    parts = [name.get("givenName"), name.get("familyName")] if name else []
    return " ".join(str(p) for p in parts if p) or str(user.get("displayName") or "")


def member_names(tenant: TenantService,
                 group: Mapping[str, Any]) -> tuple[list[tuple[str, str]], int]:
    """(member id, userName or display) for the first MEMBERS_SHOWN members, and how many
    members the group has."""
    members = [m for m in group.get("members") or [] if isinstance(m, Mapping)]
    users = tenant.profile.resource_types.get("User")
    named: list[tuple[str, str]] = []
    for member in members[:MEMBERS_SHOWN]:
        member_id = str(member.get("value", ""))
        label = str(member.get("display") or "")
        if not label and users is not None:
            try:
                found = tenant.get(users, member_id)
                label = str(found.get("userName") or found.get("displayName") or "")
            except ScimError:  # a member that is not a user of this tenant (any more)
                label = ""
        named.append((member_id, label or member_id))
    return named, len(members)


def resource_json(tenant: TenantService, type_name: str, resource_id: str,
                  base_url: str) -> dict[str, Any]:
    """The full resource, as GET /Users/<id> returns it (a SCIM 404 when there is none)."""
    rt = tenant.profile.resource_types[type_name]
    return tenant.view(rt, tenant.get(rt, resource_id), base_url)


# The journal -------------------------------------------------------------------------------


def journal_filters(args: Mapping[str, str]) -> dict[str, Any]:
    """Filters from the journal form; InputError for a status that is not a number."""
    filters: dict[str, Any] = {}
    operation = (args.get("operation") or "").strip().lower()
    if operation:
        if operation not in OPERATIONS:
            raise InputError(f"Unknown operation {operation!r}.")
        filters["operation"] = operation
    method = (args.get("method") or "").strip().upper()
    if method:
        filters["method"] = method
    status = (args.get("status") or "").strip()
    if status:
        # isdecimal and the length keep int() from refusing digits such as "²" or 5,000 ones.
        if not (status.isascii() and status.isdecimal() and len(status) == 3
                and 100 <= int(status) <= 599):
            raise InputError("Status must be an HTTP status code such as 201 or 404.")
        filters["status"] = int(status)
    return filters


def page_number(text: str | None) -> int:
    """A page number from the query string; anything that is not a small number is page 1."""
    text = (text or "").strip()
    if text.isascii() and text.isdecimal() and len(text) <= 6:
        return max(1, int(text))
    return 1


def journal_entries(tenant: TenantService, filters: Mapping[str, Any]
                    ) -> tuple[list[dict[str, Any]], int]:
    """The newest JOURNAL_SHOWN matching entries, newest first, and how many matched."""
    found = tenant.journal.entries(**filters)
    shown = [entry.to_dict() for entry in reversed(found[-JOURNAL_SHOWN:])]
    for entry in shown:
        entry["request_text"] = pretty(entry["request"]["body"])
        entry["response_text"] = pretty(entry["response"]["body"])
        entry["query_text"] = unquote(entry["query"])  # filter="..." reads better decoded
    return shown, len(found)


# Faults ------------------------------------------------------------------------------------

_TEXT = ("method", "resource_type", "operation", "path", "scim_type", "detail")
_INTS = ("status", "times", "delay_ms", "retry_after")


def fault_spec(form: Mapping[str, str]) -> dict[str, Any]:
    """The admin API's fault JSON from the form: empty fields left out, numbers as numbers.
    The service validates the rest and answers what is wrong."""
    spec: dict[str, Any] = {}
    for name in _TEXT:
        value = (form.get(name) or "").strip()
        if value:
            spec[name] = value
    for name in _INTS:
        value = (form.get(name) or "").strip()
        if value:
            try:
                spec[name] = int(value)
            except ValueError:
                raise InputError(f"{name.replace('_', ' ').capitalize()} must be a whole "
                                 "number.") from None
    probability = (form.get("probability") or "").strip()
    if probability:
        try:
            spec["probability"] = float(probability)
        except ValueError:
            raise InputError("Probability must be a number from 0 to 1.") from None
    return spec


def spec_of(fault: Fault) -> dict[str, Any]:
    """A fault's own JSON form, to add it again; `times` counts only what was left."""
    data = fault.to_dict()
    spec = {k: v for k, v in data.items() if k not in ("id", "fired") and v is not None}
    if fault.times is not None:
        spec["times"] = max(1, fault.times - fault.fired)
    return spec


@dataclass(slots=True)
class PausedFault:
    """A fault switched off: taken out of the tenant's rules, kept here to switch on."""

    id: str
    spec: dict[str, Any]
    fired: int


class PausedFaults:
    """Faults switched off, per tenant, in the app's memory (the service's fault set has
    only live rules: switching off is removing, switching on is adding it back)."""

    def __init__(self) -> None:
        self._paused: dict[str, list[PausedFault]] = {}
        self._lock = threading.Lock()

    def of(self, tenant_id: str) -> list[PausedFault]:
        with self._lock:
            return list(self._paused.get(tenant_id, []))

    def switch_off(self, tenant: TenantService, fault_id: str) -> bool:
        fault = next((f for f in tenant.faults.list() if f.id == fault_id), None)
        if fault is None or not tenant.faults.remove(fault_id):
            return False
        with self._lock:
            paused = self._paused.setdefault(tenant.id, [])
            paused.append(PausedFault(fault.id, spec_of(fault), fault.fired))
            del paused[:-PAUSED_PER_TENANT]
        return True

    def switch_on(self, tenant: TenantService, fault_id: str) -> Fault | None:
        with self._lock:
            paused = self._paused.get(tenant.id, [])
            found = next((p for p in paused if p.id == fault_id), None)
            if found is None:
                return None
            paused.remove(found)
        return tenant.faults.add(found.spec)

    def remove(self, tenant_id: str, fault_id: str) -> bool:
        with self._lock:
            paused = self._paused.get(tenant_id, [])
            kept = [p for p in paused if p.id != fault_id]
            self._paused[tenant_id] = kept
            return len(kept) != len(paused)

    def forget(self, tenant_id: str) -> None:
        with self._lock:
            self._paused.pop(tenant_id, None)
