"""The data browser: tenants, users, groups with members, the journal and faults."""

from __future__ import annotations

from flask import Blueprint, render_template

from sandbox.console.context import ConsoleContext


def register_data_routes(console: Blueprint, context: ConsoleContext) -> None:
    @console.get("/console/data")
    def data_index() -> str:
        return render_template("console/data_index.html", tenants=context.sandbox.tenants())
