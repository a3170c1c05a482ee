"""scim-sandbox: a local SCIM 2.0 stand-in for real vendors' provisioning endpoints.

Importing the package stays cheap: Flask, TinyDB and Faker load only when the parts that
need them are used.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

__all__ = ["SandboxConfig", "__version__", "create_app"]

if TYPE_CHECKING:
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig


@cache
def _installed_version() -> str:
    # The distribution's metadata is the one place the version is written (pyproject.toml);
    # importlib.metadata costs tens of milliseconds, so it is read on first use only.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scim-sandbox")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return _source_tree_version()


def _source_tree_version() -> str:
    import tomllib
    from pathlib import Path

    try:
        with (Path(__file__).parent.parent / "pyproject.toml").open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, ValueError, KeyError):
        return "0+unknown"


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `import sandbox` from importing Flask.
    if name == "__version__":
        return _installed_version()
    if name == "create_app":
        from sandbox.app import create_app

        return create_app
    if name == "SandboxConfig":
        from sandbox.config import SandboxConfig

        return SandboxConfig
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
