"""Test helpers behind the pytest fixtures `scim_sandbox` and `scim_tenant`.

Usable without pytest too:

    from sandbox.testing import ScimSandbox

    with ScimSandbox.start() as sandbox:              # closed (server and store) on exit
        tenant = sandbox.tenant("olfeo", seed_users=5)
        tenant.client.get("/Users").json()["totalResults"]   # 5

`sandbox.pytest_plugin` imports this package only inside its fixtures, so a pytest run that
uses no fixture of ours never loads Flask.
"""

from sandbox.testing.client import Response, TenantClient
from sandbox.testing.clock import ScimClock
from sandbox.testing.server import LiveServer
from sandbox.testing.session import ScimSandbox, TenantFactory
from sandbox.testing.tenant import SandboxTenant

__all__ = ["LiveServer", "Response", "SandboxTenant", "ScimClock", "ScimSandbox",
           "TenantClient", "TenantFactory"]
