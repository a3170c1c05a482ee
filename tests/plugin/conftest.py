"""Shared by the plugin tests: inner test suites run by `pytester` use the fixtures that the
`pytest11` entry point registers, exactly as a project that installs us would."""

from __future__ import annotations

from collections.abc import Callable

import pytest

# Imported here so that pytester's inline runs, which drop every module first imported during
# the inner run, find them already loaded instead of importing them afresh each time.
import sandbox.app
import sandbox.service.seeding
import sandbox.testing  # noqa: F401

# Hypothesis's plugin imports much of hypothesis at the end of every session; in an inline
# run those imports are undone and redone each time (1.6 s a run). The inner suites do not
# use it.
QUIET = ("-p", "no:hypothesispytest")


@pytest.fixture
def run_inner(pytester: pytest.Pytester) -> Callable[..., pytest.RunResult]:
    """`run_inner(*args)`: run the inner suite in this process (fast)."""
    return lambda *args: pytester.runpytest(*QUIET, *args)
