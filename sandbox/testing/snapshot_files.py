"""Starting a test's tenant from a snapshot file: `scim_tenant("generic",
snapshot="tests/data/acme.json")`.

The file is what the admin API wrote: one tenant's snapshot (`GET
/_sandbox/tenants/<id>/snapshot`) or the whole sandbox's (`GET /_sandbox/snapshot`, from
which the one tenant of the vendor asked for is taken). The new tenant keeps its own id, URL
and secret (tests stay apart); it takes the snapshot's users, groups (ids and meta
included), settings and rate_limit.
"""

from __future__ import annotations

import json
from os import PathLike
from pathlib import Path
from typing import Any

from sandbox.scim.errors import ScimError
from sandbox.service.tenant import TenantService


def start_from_snapshot(service: TenantService, path: str | PathLike[str]) -> None:
    """Make the snapshot in `path` the new tenant's state; ValueError says what is wrong
    with the file, and the tenant is left unchanged."""
    state = _tenant_part(_read(Path(path)), Path(path), service.profile.id)
    vendor = (state.get("tenant") or {}).get("vendor") if isinstance(state, dict) else None
    if isinstance(vendor, str) and vendor != service.profile.id:
        raise ValueError(f"{path} holds a snapshot of a '{vendor}' tenant; ask for "
                         f"scim_tenant({vendor!r}, snapshot=...).")
    try:
        service.restore(state)
    except ScimError as error:
        raise ValueError(f"{path}: {error.detail}") from None


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"cannot read the snapshot file {path}: {error.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not a JSON snapshot ({error}).") from None


def _tenant_part(document: Any, path: Path, vendor: str) -> Any:
    """One tenant's snapshot: the document itself, or the tenant of `vendor` in a
    whole-sandbox snapshot."""
    if not isinstance(document, dict) or not isinstance(document.get("tenants"), list):
        return document
    found = [entry for entry in document["tenants"] if isinstance(entry, dict)
             and isinstance(entry.get("tenant"), dict) and entry["tenant"].get("vendor") == vendor]
    if len(found) != 1:
        held = sorted({str(entry["tenant"].get("vendor")) for entry in document["tenants"]
                       if isinstance(entry, dict) and isinstance(entry.get("tenant"), dict)})
        how_many = "no" if not found else f"{len(found)}"
        raise ValueError(f"{path} is a whole-sandbox snapshot with {how_many} '{vendor}' "
                         f"tenants (it holds: {', '.join(held) or 'none'}); keep one tenant's "
                         "part, as GET /_sandbox/tenants/<id>/snapshot writes it.")
    return found[0]
