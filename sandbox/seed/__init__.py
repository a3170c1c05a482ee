"""Deterministic seed data: fake directories made with Faker, and a small fixed cast.

This package makes the data (people, groups, their SCIM bodies) and knows nothing of
tenants; `sandbox.service.seeding` creates it in a tenant through the vendor's rules.
Importing this package does not import Faker; only a seeding call does (DESIGN.md:
"importing the app must not pay for Faker unless seeding is asked for").
"""

from sandbox.seed.generator import (
    MAX_GROUPS,
    MAX_USERS,
    generate_directory,
    resolve_locale,
)
from sandbox.seed.recipes import (
    Recipe,
    SeedDataError,
    departments_for,
    load_recipes,
    read_cast,
    seed_dir,
)

__all__ = [
    "MAX_GROUPS",
    "MAX_USERS",
    "Recipe",
    "SeedDataError",
    "departments_for",
    "generate_directory",
    "load_recipes",
    "read_cast",
    "resolve_locale",
    "seed_dir",
]
