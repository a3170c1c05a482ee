"""The Entra side: a SCIM *client* that runs Microsoft Entra's provisioning cycle.

It speaks only HTTP (through a transport), in the request shapes Entra's provisioning
service sends, so it runs against the sandbox's tenants or against anyone's SCIM endpoint.
Nothing here imports the sandbox's server layers (service, store, http).

    engine = ProvisioningEngine(ProvisioningConfig.from_tenant_url(url, token))
    if engine.test_connection().ok:
        first = engine.run_cycle(SourceDirectory.fake(users=5))
        second = engine.run_cycle(directory_after_changes, first.state)
"""

from sandbox.entra.config import ProvisioningConfig, split_flags
from sandbox.entra.directory import (
    DEFAULT_ACCESS,
    USER_ROLE,
    SourceDirectory,
    SourceGroup,
    SourceUser,
)
from sandbox.entra.directory_actions import DIRECTORY_ACTIONS, DirectoryAction, sample_changes
from sandbox.entra.engine import ConnectionResult, ProvisioningEngine
from sandbox.entra.log import Action, LogEntry, Status
from sandbox.entra.mappings import (
    AttributeMapping,
    default_group_mappings,
    default_mappings,
    matching_mapping,
)
from sandbox.entra.requests import FLAG
from sandbox.entra.state import CycleResult, Provisioned, ProvisioningState
from sandbox.entra.transport import Transport, TransportError, urllib_transport, wsgi_transport

__all__ = [
    "DEFAULT_ACCESS",
    "DIRECTORY_ACTIONS",
    "FLAG",
    "USER_ROLE",
    "Action",
    "AttributeMapping",
    "ConnectionResult",
    "CycleResult",
    "DirectoryAction",
    "LogEntry",
    "Provisioned",
    "ProvisioningConfig",
    "ProvisioningEngine",
    "ProvisioningState",
    "SourceDirectory",
    "SourceGroup",
    "SourceUser",
    "Status",
    "Transport",
    "TransportError",
    "default_group_mappings",
    "default_mappings",
    "matching_mapping",
    "sample_changes",
    "split_flags",
    "urllib_transport",
    "wsgi_transport",
]
