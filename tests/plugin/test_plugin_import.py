"""pytest imports the plugin in every run of every project that has us installed: importing
it must cost nothing beyond pytest itself."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("flask", "werkzeug", "tinydb", "waitress", "sandbox.testing", "sandbox.http",
         "sandbox.service")


def test_importing_the_plugin_loads_no_app_code():
    code = ("import sys, sandbox.pytest_plugin; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_a_run_that_uses_no_fixture_loads_no_sandbox_code(pytester):
    pytester.makepyfile("""
        import sys

        def test_untouched():
            assert "sandbox.pytest_plugin" in sys.modules  # the entry point did load it
            assert "sandbox.testing" not in sys.modules
            assert "sandbox.app" not in sys.modules
    """)
    pytester.runpytest_subprocess("-p", "no:hypothesispytest").assert_outcomes(passed=1)
