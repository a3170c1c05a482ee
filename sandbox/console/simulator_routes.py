"""The Entra-side provisioning simulator's pages, over `sandbox.entra`."""

from __future__ import annotations

from flask import Blueprint, render_template

from sandbox.console.context import ConsoleContext


def register_simulator_routes(console: Blueprint, context: ConsoleContext) -> None:
    @console.get("/console/simulator")
    def simulator() -> str:
        return render_template("console/simulator.html")
