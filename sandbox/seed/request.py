"""A seeding request as the admin API and the CLI receive it, checked and run in one place.

`POST /_sandbox/tenants` (its `"seed"` member) and `POST /_sandbox/tenants/<id>/seed` take
the same JSON (DESIGN.md, "Admin API"), so both call `seed_from_request` and answer its
summary; a bad request is a 400 `invalidValue` ScimError the HTTP layer already serialises.
"""

from __future__ import annotations

from typing import Any

from sandbox.scim.errors import invalid_value
from sandbox.seed.generator import seed_tenant
from sandbox.seed.loading import Progress
from sandbox.seed.recipes import load_cast, load_recipes, seed_dir
from sandbox.service.tenant import TenantService

_KEYS = ("users", "groups", "seed", "locale", "recipe")


def seed_from_request(tenant: TenantService, body: Any, *, base_url: str = "",
                      progress: Progress | None = None) -> dict[str, Any]:
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
        return _generate(tenant, options, base_url, progress)
    recipes = load_recipes()
    recipe = recipes.get(name) if isinstance(name, str) else None
    if recipe is None:
        raise invalid_value(f"Unknown seed recipe {name!r}; known: {', '.join(sorted(recipes))}.")
    if recipe.cast is not None:
        if options:
            raise invalid_value(f"Recipe '{recipe.name}' loads a fixed cast; it takes no "
                                f"{', '.join(sorted(options))}.")
        summary = load_cast(tenant, base_url=base_url, path=seed_dir() / recipe.cast,
                            progress=progress)
    else:
        defaults = {"users": recipe.users, "groups": recipe.groups, "seed": recipe.seed,
                    "locale": recipe.locale}
        summary = _generate(tenant, {**defaults, **options}, base_url, progress)
    return {"recipe": recipe.name, **summary}


def _generate(tenant: TenantService, options: dict[str, Any], base_url: str,
              progress: Progress | None) -> dict[str, Any]:
    return seed_tenant(tenant, users=options["users"], groups=options.get("groups", 0),
                       seed=options.get("seed", 0), locale=options.get("locale"),
                       base_url=base_url, progress=progress)
