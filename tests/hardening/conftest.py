"""Hardening tests: property-based fuzzing, tenant isolation and secrets.

The fuzz targets count the examples they ran (`hardening_support.EXAMPLES`); the counts are
printed at the end of the run so a CI log shows how much was tried.
"""

from __future__ import annotations

from typing import Any

from hardening_support import EXAMPLES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not EXAMPLES:
        return
    terminalreporter.section("hardening: fuzz examples run")
    for name, count in sorted(EXAMPLES.items()):
        terminalreporter.write_line(f"{name:<40} {count:>7,}")
    terminalreporter.write_line(f"{'total':<40} {sum(EXAMPLES.values()):>7,}")
