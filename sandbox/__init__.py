"""scim-sandbox: a local SCIM 2.0 stand-in for real vendors' provisioning endpoints.

Importing the package stays cheap: Flask, TinyDB and Faker load only when the parts that
need them are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["SandboxConfig", "__version__", "create_app"]

if TYPE_CHECKING:
    from sandbox.config import SandboxConfig
    from sandbox.http.app import create_app


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `import sandbox` from importing Flask.
    if name == "create_app":
        from sandbox.http.app import create_app

        return create_app
    if name == "SandboxConfig":
        from sandbox.config import SandboxConfig

        return SandboxConfig
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
