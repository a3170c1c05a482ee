"""Create records in a tenant through its service, so every vendor rule applies to seed data.

Seeding never writes to the store directly: `TenantService.create` checks the vendor's
required and kept attributes and uniqueness exactly as for a client's POST, so seeded data is
data a real client could have provisioned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from sandbox.scim.errors import ScimError
from sandbox.seed.bodies import Fitter, group_body, user_body
from sandbox.seed.records import GroupRecord, Person
from sandbox.service.tenant import TenantService
from sandbox.vendors import ResourceTypeProfile

Progress = Callable[[int, int], None]

PROGRESS_EVERY = 500  # often enough for a progress bar, rare enough to cost nothing
_RENAME_ATTEMPTS = 3


def load_records(
    tenant: TenantService,
    people: Sequence[Person],
    groups: Sequence[GroupRecord],
    *,
    base_url: str = "",
    progress: Progress | None = None,
    rename_on_conflict: bool = True,
) -> tuple[int, int]:
    """Create `people`, then `groups` (whose members must exist first); returns the counts.

    With `rename_on_conflict`, a userName or group displayName that the tenant already holds
    (e.g. a client created `jane.doe7@example.com` before a second seed run) gets a numbered
    suffix instead of failing the whole run; the fixed cast turns it off, since its names are
    quoted in the docs.
    """
    user_rt = tenant.profile.resource_types.get("User")
    group_rt = tenant.profile.resource_types.get("Group")
    people = people if user_rt is not None else ()
    groups = groups if group_rt is not None else ()
    batches: list[tuple[ResourceTypeProfile | None, Sequence[Person | GroupRecord]]] = [
        (user_rt, people), (group_rt, groups),
    ]
    total = len(people) + len(groups)
    done = 0
    for rt, records in batches:
        if rt is None or not records:
            continue
        fit = Fitter(rt.schema)
        for record in records:
            _create(tenant, rt, fit, record, base_url, rename_on_conflict)
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
    if progress is not None and (done == 0 or done % PROGRESS_EVERY != 0):
        progress(done, total)  # the last call always reports the end
    return len(people), len(groups)


def _create(tenant: TenantService, rt: ResourceTypeProfile, fit: Fitter,
            record: Person | GroupRecord, base_url: str, rename_on_conflict: bool) -> None:
    attempts = _RENAME_ATTEMPTS if rename_on_conflict else 0
    for attempt in range(attempts + 1):
        candidate = record if attempt == 0 else _renamed(record, attempt + 1)
        body = user_body(candidate) if isinstance(candidate, Person) else group_body(candidate)
        try:
            tenant.create(rt, fit(body), base_url, rid=candidate.id,
                          created=candidate.created)
            return
        except ScimError as error:
            if error.scim_type != "uniqueness" or attempt == attempts:
                raise


def _renamed(record: Person | GroupRecord, number: int) -> Person | GroupRecord:
    if isinstance(record, Person):
        local, _, domain = record.user_name.partition("@")
        return replace(record, user_name=f"{local}-{number}@{domain}")
    return replace(record, display_name=f"{record.display_name} ({number})")
