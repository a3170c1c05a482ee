"""Seeding a tenant: fake directories and the fixed cast, created through the tenant's
service so every vendor rule (required and kept attributes, uniqueness) applies to seed data
exactly as to a client's POST. The data itself comes from `sandbox.seed`, which knows
nothing of tenants; Faker is imported only when a seeding call runs.

Seed data stands for what the vendor's app holds before any client arrives. So the profile's
value rules shape it (`seed_conformance` makes each body fit them before it is written), but
the rules on group operations, which say what the vendor lets a provisioning client do, do
not refuse it: groups are seeded under no_group_create, and at most up to max_groups (the
answer's `notes` say how many were left out).

`POST /_sandbox/tenants` (its `"seed"` member), `POST /_sandbox/tenants/<id>/seed` and
`scim-sandbox serve --seed-users` all go through `seed_from_request` or `seed_tenant`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sandbox.scim.errors import ScimError, invalid_value
from sandbox.seed.bodies import Fitter, group_body, user_body
from sandbox.seed.generator import generate_directory, resolve_locale
from sandbox.seed.recipes import CAST_FILE, load_recipes, read_cast, seed_dir
from sandbox.seed.records import GroupRecord, Person
from sandbox.service.seed_conformance import seed_conformer
from sandbox.service.tenant import TenantService
from sandbox.vendors import ResourceTypeProfile

SeedProgress = Callable[[int, int], None]

PROGRESS_EVERY = 500  # often enough for a progress bar, rare enough to cost nothing
_RENAME_ATTEMPTS = 3


@dataclass(slots=True)
class Loaded:
    """What `load_records` created, and what it did to fit the profile's rules."""

    users: int = 0
    groups: int = 0
    notes: list[str] = field(default_factory=list)


def load_records(
    tenant: TenantService,
    people: Sequence[Person],
    groups: Sequence[GroupRecord],
    *,
    progress: SeedProgress | None = None,
    rename_on_conflict: bool = True,
) -> Loaded:
    """Create `people`, then `groups` (whose members must exist first); returns the counts.

    With `rename_on_conflict`, a userName or group displayName that the tenant already holds
    (e.g. a client created `jane.doe7@example.com` before a second seed run) gets a numbered
    suffix instead of failing the whole run; the fixed cast turns it off, since its names are
    quoted in the docs. Bodies are made to fit the profile's value rules; the first body of
    each kind is fitted before anything is written, so a rule no seeded value can meet
    refuses the run with nothing written.
    """
    user_rt = tenant.profile.resource_types.get("User")
    group_rt = tenant.profile.resource_types.get("Group")
    people = people if user_rt is not None else ()
    groups = groups if group_rt is not None else ()
    loaded = Loaded(users=len(people))
    groups = _within_max_groups(tenant, groups, loaded.notes)
    loaded.groups = len(groups)
    batches: list[tuple[ResourceTypeProfile | None, Sequence[Person | GroupRecord]]] = [
        (user_rt, people), (group_rt, groups),
    ]
    preparers = [_preparer(tenant, rt, records) for rt, records in batches]
    total = len(people) + len(groups)
    done = 0
    for (rt, records), (prepare, notes) in zip(batches, preparers, strict=True):
        if rt is None or not records:
            continue
        for record in records:
            _create(tenant, rt, prepare, record, rename_on_conflict)
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
        loaded.notes.extend(notes())
    if progress is not None and (done == 0 or done % PROGRESS_EVERY != 0):
        progress(done, total)  # the last call always reports the end
    return loaded


Prepare = Callable[[dict[str, Any]], dict[str, Any]]


def _preparer(tenant: TenantService, rt: ResourceTypeProfile | None,
              records: Sequence[Person | GroupRecord],
              ) -> tuple[Prepare, Callable[[], list[str]]]:
    """How a body of `rt` becomes the one written (fitted to the schema, then to the
    rules), and what was done to fit the rules. A trial of the first record on a conformer
    of its own raises before any write when a required value cannot fit."""
    if rt is None or not records:
        return (lambda body: body), list
    fit = Fitter(rt.schema)
    conform = seed_conformer(tenant, rt)
    if conform is None:
        return fit, list
    trial = seed_conformer(tenant, rt)
    if trial is not None:
        trial(fit(_body_of(records[0])))
    return (lambda body: conform(fit(body))), conform.notes


def _within_max_groups(tenant: TenantService, groups: Sequence[GroupRecord],
                       notes: list[str]) -> Sequence[GroupRecord]:
    """The groups a max_groups rule leaves room for; a note says how many were left out
    (a tenant holding more groups than its vendor allows would teach the wrong thing)."""
    rules = tenant.type_rules.get("Group")
    if not groups or rules is None or rules.max_count is None:
        return groups
    room = max(0, rules.max_count - tenant.store.count(tenant.id, "Group"))
    if room < len(groups):
        notes.append(f"groups: {room} of the {len(groups)} asked for were made; "
                     f"{tenant.profile.name} allows at most {rules.max_count} groups "
                     "(rule max_groups).")
    return groups[:room]


def _body_of(record: Person | GroupRecord) -> dict[str, Any]:
    return user_body(record) if isinstance(record, Person) else group_body(record)


def _create(tenant: TenantService, rt: ResourceTypeProfile, prepare: Prepare,
            record: Person | GroupRecord, rename_on_conflict: bool) -> None:
    attempts = _RENAME_ATTEMPTS if rename_on_conflict else 0
    for attempt in range(attempts + 1):
        candidate = record if attempt == 0 else _renamed(record, attempt + 1)
        try:
            tenant.create(rt, prepare(_body_of(candidate)), by_app=True, rid=candidate.id,
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


def seed_tenant(
    tenant: TenantService,
    *,
    users: int,
    groups: int = 0,
    seed: int = 0,
    locale: str | None = None,
    progress: SeedProgress | None = None,
) -> dict[str, Any]:
    """Fill `tenant` with `users` fake users and, where the vendor has groups, `groups`
    groups with members.

    `locale` (a Faker locale such as "fr_FR"; "fr-FR" works too) defaults to the profile's
    `locale`, else en_US. Returns `{"users": n, "groups": m, "seed": seed, "locale": locale}`
    with what was made, plus `"notes"` (sentences) where the profile's rules changed it;
    bad arguments raise a 400 `invalidValue` ScimError.
    """
    locale = resolve_locale(locale, tenant.profile.locale)
    types = tenant.profile.resource_types
    users = users if "User" in types else 0
    groups = groups if "Group" in types else 0
    people, records = generate_directory(
        users=users, groups=groups, seed=seed, locale=locale,
        first_user=(tenant.store.count(tenant.id, "User") if users else 0) + 1,
        first_group=tenant.store.count(tenant.id, "Group") if groups else 0,
    )
    loaded = load_records(tenant, people, records, progress=progress)
    return _summary(loaded, {"seed": seed, "locale": locale})


def load_cast(tenant: TenantService, *, path: Path | None = None,
              progress: SeedProgress | None = None) -> dict[str, Any]:
    """Load the fixed cast (default `seed/cast.json`) into `tenant`; each vendor keeps what
    its schema has, groups only where the vendor has groups.

    Ids, userNames and times are the file's, so a second load into the same tenant is a 409
    `uniqueness` error rather than a renamed copy. Returns `{"users", "groups", "cast"}`
    (and `"notes"`, as `seed_tenant`).
    """
    path = path or seed_dir() / CAST_FILE
    people, groups = read_cast(path)
    loaded = load_records(tenant, people, groups, progress=progress,
                          rename_on_conflict=False)
    return _summary(loaded, {"cast": path.name})


def _summary(loaded: Loaded, extra: dict[str, Any]) -> dict[str, Any]:
    """A seed answer: the counts made, `extra`, and `notes` when the profile's rules
    changed what was asked for (left out groups, values changed to fit)."""
    summary = {"users": loaded.users, "groups": loaded.groups, **extra}
    return {**summary, "notes": loaded.notes} if loaded.notes else summary


_KEYS = ("users", "groups", "seed", "locale", "recipe")


def seed_from_request(tenant: TenantService, body: Any, *,
                      progress: SeedProgress | None = None) -> dict[str, Any]:
    """Run `{"users": N, "groups"?: M, "seed"?: S, "locale"?: "fr_FR"}`, or
    `{"recipe": "team"}` (a name of `seed/recipes.toml`, whose counts, seed and locale the
    other keys may override), against `tenant`; returns what `seed_tenant` or `load_cast`
    returns, plus `"recipe"` when one was named."""
    if not isinstance(body, dict):
        raise invalid_value('A seed request must be a JSON object such as '
                            '{"users": 10, "groups": 2, "seed": 42}.')
    unknown = sorted(set(body) - set(_KEYS))
    if unknown:
        raise invalid_value(f"Unknown seed option '{unknown[0]}'; expected {', '.join(_KEYS)}.")
    options = {key: value for key, value in body.items() if key != "recipe"}
    name = body.get("recipe")
    if name is None:
        if "users" not in options:
            raise invalid_value("A seed request needs 'users' (a count) or 'recipe' (a name).")
        return _generate(tenant, options, progress)
    recipes = load_recipes()
    recipe = recipes.get(name) if isinstance(name, str) else None
    if recipe is None:
        raise invalid_value(f"Unknown seed recipe {name!r}; known: {', '.join(sorted(recipes))}.")
    if recipe.cast is not None:
        if options:
            raise invalid_value(f"Recipe '{recipe.name}' loads a fixed cast; it takes no "
                                f"{', '.join(sorted(options))}.")
        summary = load_cast(tenant, path=seed_dir() / recipe.cast,
                            progress=progress)
    else:
        defaults = {"users": recipe.users, "groups": recipe.groups, "seed": recipe.seed,
                    "locale": recipe.locale}
        summary = _generate(tenant, {**defaults, **options}, progress)
    return {"recipe": recipe.name, **summary}


def _generate(tenant: TenantService, options: dict[str, Any],
              progress: SeedProgress | None) -> dict[str, Any]:
    return seed_tenant(tenant, users=options["users"], groups=options.get("groups", 0),
                       seed=options.get("seed", 0), locale=options.get("locale"),
                       progress=progress)
