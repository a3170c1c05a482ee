"""The seed data folder: named recipes, word lists Faker lacks, and the fixed cast.

The folder lives at the top of the repository (`seed/`), where people edit it, and is shipped
inside the wheel as `sandbox/_bundled/seed` (pyproject's force-include); `seed_dir` finds
either, as `bundled_vendors_dir` does for the vendor profiles.
"""

from __future__ import annotations

import functools
import json
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sandbox.seed.records import GroupRecord, Person

CAST_FILE = "cast.json"
RECIPES_FILE = "recipes.toml"
VOCABULARY_FILE = "vocabulary.toml"
_RECIPE_KEYS = {"description", "users", "groups", "seed", "locale", "cast"}


class SeedDataError(ValueError):
    """A seed data file that cannot be used; the message names the file and the key."""


def seed_dir() -> Path:
    """The seed folder shipped with the package (or the repository's `seed/` in a checkout)."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_bundled" / "seed"
    return shipped if shipped.is_dir() else package.parent / "seed"


@functools.cache
def _read_toml(path: Path) -> dict[str, Any]:
    # Cached: the vocabulary is read on every seed run, and shipped files do not change.
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SeedDataError(f"{path}: cannot read: {exc}") from None


def departments_for(locale: str, directory: Path | None = None) -> tuple[str, ...]:
    """Department names in the locale's language (`fr_FR` → the `fr` list), else English."""
    path = (directory or seed_dir()) / VOCABULARY_FILE
    table = _read_toml(path).get("departments")
    if not isinstance(table, dict):
        raise SeedDataError(f"{path}: key 'departments' must be a table of lists by language")
    names = table.get(locale.partition("_")[0].lower()) or table.get("en")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise SeedDataError(f"{path}: key 'departments.en' must be a non-empty list of names")
    return tuple(names)


@dataclass(frozen=True, slots=True)
class Recipe:
    """A named seeding request: generated people (`users`, `groups`, `seed`, `locale`) or,
    with `cast`, a fixed cast file of the seed folder."""

    name: str
    description: str = ""
    users: int = 0
    groups: int = 0
    seed: int = 0
    locale: str | None = None
    cast: str | None = None


def load_recipes(directory: Path | None = None) -> dict[str, Recipe]:
    """Every recipe of `recipes.toml` in `directory` (default: the bundled seed folder)."""
    path = (directory or seed_dir()) / RECIPES_FILE
    table = _read_toml(path).get("recipes", {})
    if not isinstance(table, dict):
        raise SeedDataError(f"{path}: key 'recipes' must be a table of recipes")
    return {name: _recipe(name, spec, path) for name, spec in table.items()}


def _recipe(name: str, spec: Any, path: Path) -> Recipe:
    where = f"{path}: key 'recipes.{name}"
    if not isinstance(spec, dict):
        raise SeedDataError(f"{where}' must be a table")
    unknown = set(spec) - _RECIPE_KEYS
    if unknown:
        raise SeedDataError(f"{where}.{sorted(unknown)[0]}' is not a recipe key; expected one "
                            f"of {sorted(_RECIPE_KEYS)}")
    for key in ("users", "groups", "seed"):
        if key in spec and (not isinstance(spec[key], int) or isinstance(spec[key], bool)):
            raise SeedDataError(f"{where}.{key}' must be an integer")
    for key in ("description", "locale", "cast"):
        if key in spec and not isinstance(spec[key], str):
            raise SeedDataError(f"{where}.{key}' must be a string")
    if "cast" in spec and ({"users", "groups", "seed", "locale"} & set(spec)):
        raise SeedDataError(f"{where}' has a cast, so it cannot also have users, groups, "
                            "seed or locale")
    return Recipe(name=name, **spec)


def read_cast(path: Path) -> tuple[list[Person], list[GroupRecord]]:
    """The people and groups of a cast file; `manager` and `members` name people by `key`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ids = {entry["key"]: entry["id"] for entry in data["users"]}
        people = [_cast_person(entry, ids) for entry in data["users"]]
        groups = [_cast_group(entry, ids) for entry in data.get("groups", ())]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeedDataError(f"{path}: cannot read: {exc}") from None
    except KeyError as exc:
        raise SeedDataError(f"{path}: an entry lacks key {exc} (or names an unknown person)"
                            ) from None
    except (TypeError, ValueError) as exc:
        raise SeedDataError(f"{path}: an entry has a value of the wrong type: {exc}") from None
    return people, groups


def _cast_person(entry: dict[str, Any], ids: dict[str, str]) -> Person:
    manager = entry.get("manager")
    return Person(
        id=entry["id"],
        external_id=entry["externalId"],
        user_name=entry["userName"],
        given_name=entry["givenName"],
        family_name=entry["familyName"],
        title=entry["title"],
        department=entry["department"],
        employee_number=entry["employeeNumber"],
        locality=entry["locality"],
        country=entry["country"],
        language=entry["preferredLanguage"],
        created=datetime.fromisoformat(entry["created"]),
        manager_id=ids[manager] if manager is not None else None,
        aliases=tuple(entry.get("emailAliases", ())),
        active=bool(entry.get("active", True)),
    )


def _cast_group(entry: dict[str, Any], ids: dict[str, str]) -> GroupRecord:
    return GroupRecord(
        id=entry["id"],
        external_id=entry["externalId"],
        display_name=entry["displayName"],
        member_ids=tuple(ids[key] for key in entry.get("members", ())),
        created=datetime.fromisoformat(entry["created"]),
    )
