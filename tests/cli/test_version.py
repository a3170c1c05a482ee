"""`scim-sandbox --version` and `sandbox.__version__` are the installed distribution's version."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

from cli_support import clean_env, run_cli

import sandbox


def test_the_package_version_is_the_distributions():
    assert sandbox.__version__ == importlib.metadata.version("scim-sandbox")


def test_version_prints_the_installed_version():
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"scim-sandbox, version {importlib.metadata.version('scim-sandbox')}")


def test_the_version_is_read_from_the_distribution_metadata(tmp_path):
    # A distribution found first on the path stands for an upgraded install: the version
    # printed must follow its metadata, not a number written into the code.
    info = tmp_path / "scim_sandbox-97.3.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: scim-sandbox\n"
                                   "Version: 97.3.1\n")
    result = subprocess.run([sys.executable, "-m", "sandbox", "--version"], capture_output=True,
                            text=True, timeout=60,
                            env=clean_env(PYTHONPATH=str(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "scim-sandbox, version 97.3.1"


def test_import_sandbox_stays_light():
    # Reading the version needs importlib.metadata; only asking for it may pay for that.
    code = ("import sys, sandbox; heavy = [m for m in ('importlib.metadata', 'flask', 'faker')"
            " if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env=clean_env())
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_a_source_tree_never_installed_reads_pyproject():
    code = ("import importlib.metadata as m\n"
            "def missing(name): raise m.PackageNotFoundError(name)\n"
            "m.version = missing\n"
            "import sandbox; print(sandbox.__version__)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env=clean_env())
    assert result.stdout.strip() == importlib.metadata.version("scim-sandbox"), result.stderr
