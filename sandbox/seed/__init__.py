"""Deterministic seed data: fake directories made with Faker, and a small fixed cast.

Everything is created through `TenantService.create`, so seeded users and groups obey the
vendor's rules as a client's would. Importing this package does not import Faker; only a
seeding call does (DESIGN.md: "importing the app must not pay for Faker unless seeding is
asked for").
"""

from sandbox.seed.generator import MAX_GROUPS, MAX_USERS, resolve_locale, seed_tenant
from sandbox.seed.recipes import (
    Recipe,
    SeedDataError,
    departments_for,
    load_cast,
    load_recipes,
    read_cast,
    seed_dir,
)
from sandbox.seed.request import seed_from_request

__all__ = [
    "MAX_GROUPS",
    "MAX_USERS",
    "Recipe",
    "SeedDataError",
    "departments_for",
    "load_cast",
    "load_recipes",
    "read_cast",
    "resolve_locale",
    "seed_dir",
    "seed_from_request",
    "seed_tenant",
]
