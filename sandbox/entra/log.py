"""Provisioning logs in Entra's style, and the error codes a failed step is reported with.

An entry is what the portal's **Provisioning logs** blade shows per object and step: when,
the object (type, source id, display name, target id), the action (Create, Update, Disable,
Delete, Skip, Other), the status (Success, Failure, Skipped), and for a failure an error
code with the endpoint's own answer: HTTP status, SCIM `status`, `scimType` and `detail`.

Codes: where Microsoft's provisioning-logs page ("Error codes") names one for the case, that
one is used: EntryConflict (409), InsufficientRights (403), Unauthorized (401),
MethodNotAllowed, UnprocessableEntity, NotImplemented, InvalidAnchor (a 404 for an account the
service had anchored), DuplicateTargetEntries (the match query found several), Timeout,
EntrySynchronizationSkipped. A SCIM endpoint's own failures are reported in the service's
`SystemForCrossDomainIdentityManagement*` family: ServiceIncompatible (an answer it cannot
use, or a 400 invalidSyntax), CredentialValidationUnavailable (Test Connection refused with
401/403), and, named by us in that family, BadRequest (other 400s), ServiceUnavailable (5xx,
or no answer at all; the logs page calls a 5xx InternalServerError) and Throttled (a 429 that
persists after the one retry; the logs page's TooManyRequests).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.entra.responses import ScimAnswer

SCIM = "SystemForCrossDomainIdentityManagement"
SERVICE_INCOMPATIBLE = f"{SCIM}ServiceIncompatible"
BAD_REQUEST = f"{SCIM}BadRequest"
CREDENTIALS = f"{SCIM}CredentialValidationUnavailable"
SERVICE_UNAVAILABLE = f"{SCIM}ServiceUnavailable"
THROTTLED = f"{SCIM}Throttled"
ENTRY_CONFLICT = "EntryConflict"
UNAUTHORIZED = "Unauthorized"
INSUFFICIENT_RIGHTS = "InsufficientRights"
INVALID_ANCHOR = "InvalidAnchor"
METHOD_NOT_ALLOWED = "MethodNotAllowed"
NOT_IMPLEMENTED = "NotImplemented"
UNPROCESSABLE = "UnprocessableEntity"
DUPLICATE_TARGETS = "DuplicateTargetEntries"
TIMEOUT = "Timeout"
SKIPPED = "EntrySynchronizationSkipped"

# Entra's Test Connection message for refused credentials.
INVALID_CREDENTIALS = ("You appear to have entered invalid credentials. Please confirm you are "
                       "using the correct information for an administrative account.")
CONNECTION_OK = "The supplied credentials are authorized to enable provisioning."


class Action:
    CREATE = "Create"
    UPDATE = "Update"
    DISABLE = "Disable"
    DELETE = "Delete"
    SKIP = "Skip"
    OTHER = "Other"
    STAGED_DELETE = "StagedDelete"  # held back by the accidental deletions threshold


class Status:
    SUCCESS = "Success"
    FAILURE = "Failure"
    SKIPPED = "Skipped"


def error_code(answer: ScimAnswer, *, anchored: bool = False, test_connection: bool = False,
               timeout: bool = False) -> str:
    """The Entra-like code for a failed request. `anchored`: the request named a resource
    the service had created or matched before (PATCH or DELETE /Users/<id>)."""
    status = answer.http_status
    if status is None:
        return TIMEOUT if timeout else SERVICE_UNAVAILABLE
    if test_connection and status in (401, 403):
        return CREDENTIALS
    if status == 400:
        return SERVICE_INCOMPATIBLE if answer.scim_type == "invalidSyntax" else BAD_REQUEST
    codes = {401: UNAUTHORIZED, 403: INSUFFICIENT_RIGHTS, 405: METHOD_NOT_ALLOWED,
             409: ENTRY_CONFLICT, 412: ENTRY_CONFLICT, 422: UNPROCESSABLE, 429: THROTTLED,
             501: NOT_IMPLEMENTED}
    if status in codes:
        return codes[status]
    if status == 404:
        return INVALID_ANCHOR if anchored else SERVICE_INCOMPATIBLE
    if status >= 500:
        return SERVICE_UNAVAILABLE
    return SERVICE_INCOMPATIBLE  # a 2xx of the wrong shape, a 3xx, an unexpected 4xx


@dataclass(slots=True)
class LogEntry:
    """One row of the provisioning log."""

    time: str
    object_type: str  # "User" or "Group"
    source_id: str
    display_name: str
    action: str
    status: str
    target_id: str | None = None
    method: str | None = None
    path: str | None = None
    http_status: int | None = None
    error_code: str | None = None
    scim_status: str | None = None
    scim_type: str | None = None
    detail: str | None = None
    reason: str | None = None  # why it was skipped, or what an update changed
    cycle: int = 1
    retry: int = 0  # earlier failed attempts of this object's action (held in escrow)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def request(self) -> str:
        return f"{self.method} {self.path}" if self.method else ""

