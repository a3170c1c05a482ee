"""Deterministic fake directories: the same (vendor, seed, counts, locale) gives the same
users, groups, ids and timestamps on any machine and in any process.

Why it is deterministic: every choice comes from a `random.Random` seeded with a string
(hashed with SHA-512, so independent of PYTHONHASHSEED) through `random()` and
`getrandbits()`, the two outputs Python keeps stable across versions (`choice`, `randrange`
and `sample` may change between releases, so they are not used); and from a Faker instance
seeded with `seed_instance` (never the global `Faker.seed`, which other code in the process
could reseed). Times are a fixed base plus seeded offsets, never the clock. The one outside
input is Faker's word lists: another Faker release may draw other names from the same seed.

Why it is fast: Faker costs microseconds per call and ~0.1 s to import, so it is imported
only on this code path (never by `import sandbox` or `create_app()`) and called a few hundred
times per run to fill small pools of names, cities and titles; each user is then a handful of
seeded picks from those pools, and a userName is made unique by its number, not by retrying.
"""

from __future__ import annotations

import functools
import random
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sandbox.scim.errors import invalid_value
from sandbox.seed.recipes import departments_for
from sandbox.seed.records import GroupRecord, Person

BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
DEFAULT_LOCALE = "en_US"
EMAIL_DOMAIN = "example.com"  # RFC 2606: reserved for examples, never anyone's mailbox
# Upper bounds for one request, so an admin call cannot tie up the server for minutes.
MAX_USERS = 100_000
MAX_GROUPS = 10_000
MAX_GROUP_MEMBERS = 100
# Pool sizes: 200 x 200 names are plenty of variety; the number in each userName makes it
# unique whatever the pools hold.
POOL_SIZES = {"first_names": 200, "last_names": 200, "cities": 50, "titles": 50}
_DRAWS_PER_ENTRY = 10  # Faker lists can be short (ja_JP has ~50 first names): stop trying
MANAGER_SPAN = 4  # a user's manager is among the first quarter of the users before them
SAME_DEPARTMENT = 0.75  # how often a user works in their manager's department
_STEP_MS = (60_000, 4 * 3_600_000)  # time between two creations: 1 min to 4 h

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Pools:
    """What Faker contributes to one run, drawn once: names (with their ASCII slugs for
    addresses), cities and job titles, plus the locale's country and language."""

    locale: str
    language: str
    country: str
    first_names: tuple[tuple[str, str], ...]
    last_names: tuple[tuple[str, str], ...]
    cities: tuple[str, ...]
    titles: tuple[str, ...]


def generate_directory(
    *,
    users: int,
    groups: int = 0,
    seed: int = 0,
    locale: str = DEFAULT_LOCALE,
    first_user: int = 1,
    first_group: int = 0,
) -> tuple[list[Person], list[GroupRecord]]:
    """`users` fake people and `groups` groups drawn from them, all fixed by `seed`.

    `first_user` / `first_group` continue the numbering of a directory that already has
    some (and pick another random stream), so a second run adds people rather than
    colliding. Bad arguments raise a 400 `invalidValue` ScimError.
    """
    _check_count("users", users, MAX_USERS)
    _check_count("groups", groups, MAX_GROUPS)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise invalid_value(f"'seed' must be an integer; got {seed!r}.")
    rng = random.Random(f"scim-sandbox/{seed}/{first_user - 1}/{first_group}")
    people: list[Person] = []
    if users:
        pools = build_pools(locale, seed)
        people = generate_people(pools, departments_for(locale), rng, users,
                                 first_number=first_user)
    start = people[-1].created if people else BASE_TIME
    records = generate_groups(departments_for(locale), rng, groups, people,
                              first_index=first_group, start=start)
    return people, records


def _check_count(name: str, value: Any, limit: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        raise invalid_value(f"'{name}' must be an integer from 0 to {limit}; got {value!r}.")


def resolve_locale(locale: str | None, default: str | None = None) -> str:
    """The Faker locale to use: `locale`, else the vendor's, else en_US; "fr-fr" → "fr_FR"."""
    from faker.config import AVAILABLE_LOCALES

    chosen = locale if locale is not None else default or DEFAULT_LOCALE
    if isinstance(chosen, str):
        known = {name.lower(): name for name in AVAILABLE_LOCALES}
        found = known.get(chosen.replace("-", "_").lower())
        if found is not None:
            return found
    raise invalid_value(f"Unknown locale {chosen!r}; use a Faker locale such as en_US, "
                        "fr_FR or de_DE.")


@functools.lru_cache(maxsize=32)
def build_pools(locale: str, seed: int) -> Pools:
    """Draw this run's pools from a Faker instance seeded for it (Faker is imported here).

    Cached: pools depend on nothing else, and test suites seed many tenants with one seed,
    each of which would otherwise pay ~50-100 ms for a new Faker instance."""
    from faker import Faker

    faker = Faker(locale)
    faker.seed_instance(seed)
    return Pools(
        locale=locale,
        language=locale.replace("_", "-"),
        country=_country(faker, locale),
        first_names=tuple((n, _slug(n)) for n in _distinct(faker.first_name,
                                                           POOL_SIZES["first_names"])),
        last_names=tuple((n, _slug(n)) for n in _distinct(faker.last_name,
                                                          POOL_SIZES["last_names"])),
        cities=_distinct(faker.city, POOL_SIZES["cities"]),
        titles=_distinct(lambda: _capitalised(faker.job()), POOL_SIZES["titles"]),
    )


def _distinct(draw: Callable[[], str], size: int) -> tuple[str, ...]:
    """Up to `size` different values of `draw`, in the order first drawn."""
    seen: dict[str, None] = {}
    for _ in range(size * _DRAWS_PER_ENTRY):
        seen.setdefault(draw(), None)
        if len(seen) == size:
            break
    return tuple(seen)


def _country(faker: Any, locale: str) -> str:
    try:
        return faker.current_country_code()
    except (AttributeError, ValueError):
        _, _, region = locale.partition("_")
        return region if len(region) == 2 else "US"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slug(name: str) -> str:
    """An email-safe ASCII form of a name: "Éloïse" → "eloise", "O'Neil" → "oneil"."""
    ascii_form = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    kept = "".join(c for c in ascii_form.lower() if c.isalnum() or c == "-").strip("-")
    return kept or "user"  # e.g. Japanese names have no ASCII form


def _below(rng: random.Random, n: int) -> int:
    """A seeded integer in [0, n), from `random()` alone (stable across Python versions)."""
    return min(int(rng.random() * n), n - 1)


def _pick(rng: random.Random, items: Sequence[_T]) -> _T:
    return items[_below(rng, len(items))]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _step(rng: random.Random) -> timedelta:
    low, high = _STEP_MS
    return timedelta(milliseconds=low + _below(rng, high - low))


def generate_people(pools: Pools, departments: Sequence[str], rng: random.Random, count: int,
                    *, first_number: int = 1, start: datetime = BASE_TIME) -> list[Person]:
    """`count` people numbered from `first_number`, each (after the first) reporting to an
    earlier one, so managers exist before their reports are created."""
    people: list[Person] = []
    moment = start
    for index in range(count):
        number = first_number + index
        given, given_slug = _pick(rng, pools.first_names)
        family, family_slug = _pick(rng, pools.last_names)
        manager = people[_below(rng, max(1, index // MANAGER_SPAN))] if people else None
        same_department = rng.random() < SAME_DEPARTMENT
        department = _pick(rng, departments)
        if manager is not None and same_department:
            department = manager.department
        moment += _step(rng)
        local = f"{given_slug}.{family_slug}{number}"
        aliases = (f"{given_slug[0]}{family_slug}{number}@{EMAIL_DOMAIN}",
                   f"{local}@mail.{EMAIL_DOMAIN}")
        people.append(Person(
            id=_uuid(rng).hex,
            external_id=str(_uuid(rng)),
            user_name=f"{local}@{EMAIL_DOMAIN}",
            given_name=given,
            family_name=family,
            title=_pick(rng, pools.titles),
            department=department,
            employee_number=f"E{number:05d}",
            locality=_pick(rng, pools.cities),
            country=pools.country,
            language=pools.language,
            created=moment,
            manager_id=manager.id if manager is not None else None,
            aliases=aliases[:1 + _below(rng, 2)],
        ))
    return people


def generate_groups(departments: Sequence[str], rng: random.Random, count: int,
                    people: Sequence[Person], *, first_index: int = 0,
                    start: datetime = BASE_TIME) -> list[GroupRecord]:
    """`count` groups named after departments ("Sales", …, then "Sales 2"), each with a
    seeded sample of that department's people (or of everyone, if it has none)."""
    by_department: dict[str, list[Person]] = {}
    for person in people:
        by_department.setdefault(person.department, []).append(person)
    records: list[GroupRecord] = []
    moment = start
    for index in range(first_index, first_index + count):
        department = departments[index % len(departments)]
        round_ = index // len(departments)
        name = department if round_ == 0 else f"{department} {round_ + 1}"
        pool = by_department.get(department) or people
        size = 1 + _below(rng, min(len(pool), MAX_GROUP_MEMBERS)) if pool else 0
        moment += _step(rng)
        records.append(GroupRecord(
            id=_uuid(rng).hex,
            external_id=str(_uuid(rng)),
            display_name=name,
            member_ids=tuple(pool[i].id for i in _sample_indices(rng, len(pool), size)),
            created=moment,
        ))
    return records


def _sample_indices(rng: random.Random, population: int, size: int) -> list[int]:
    """`size` distinct indices below `population`, ascending (a partial Fisher-Yates)."""
    chosen: dict[int, int] = {}  # sparse swaps, so a sample of 5 from 10,000 costs 5 steps
    for i in range(size):
        j = i + _below(rng, population - i)
        chosen[i], chosen[j] = chosen.get(j, j), chosen.get(i, i)
    return sorted(chosen[i] for i in range(size))
