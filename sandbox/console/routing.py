"""How the console's parts declare their pages: a table of routes over module-level views.

Each part (`setup_routes`, `simulator_routes`, `data_routes`) lists its routes; the blueprint
adds them all. A route's endpoint is its view's name (`url_for("console.<name>")`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint

BLUEPRINT_NAME = "console"


@dataclass(frozen=True, slots=True)
class Route:
    rule: str
    view: Callable[..., Any]
    methods: tuple[str, ...] = ("GET",)


def add_routes(blueprint: Blueprint, routes: Iterable[Route]) -> None:
    for route in routes:
        blueprint.add_url_rule(route.rule, view_func=route.view, methods=list(route.methods))
