"""Each vendor's setup screens, following its tutorial's steps and labels."""

from __future__ import annotations

from flask import Blueprint, render_template

from sandbox.console.context import ConsoleContext


def register_setup_routes(console: Blueprint, context: ConsoleContext) -> None:
    @console.get("/console/setup")
    def setup_index() -> str:
        return render_template("console/setup_index.html")
