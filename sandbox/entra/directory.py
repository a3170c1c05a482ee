"""The source side of a provisioning run: a Microsoft Entra directory of assigned users and
groups, drawn deterministically from the same Faker pools as the sandbox's seed data.

Fields are named as Entra names its source attributes (`userPrincipalName`, `mailNickname`,
`jobTitle`, ...), so a direct attribute mapping is a plain lookup by the name the admin sees
in **Attribute Mappings**. Every user carries every attribute a vendor table requires (title,
city, country, employeeId, department, proxyAddresses), so the default mappings can satisfy
Vault Platform's and Veritas's required columns.

The objects are mutable on purpose: an admin changes the directory between two cycles
(disables someone, renames someone, removes an assignment) and the next cycle must send
exactly those changes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

USER_ROLE = "User"
# Per Velpic's and Visitly's tutorials, a user assigned with the Default Access role is never
# provisioned: Entra passes over it.
DEFAULT_ACCESS = "Default Access"
DEFAULT_ACCESS_EVERY = 5  # every fifth fake user is assigned with Default Access


@dataclass(slots=True)
class SourceUser:
    """One Entra user and its app assignment (`appRole`, `assigned`)."""

    objectId: str
    userPrincipalName: str
    mail: str
    mailNickname: str
    givenName: str
    surname: str
    displayName: str
    jobTitle: str | None = None
    department: str | None = None
    employeeId: str | None = None
    city: str | None = None
    country: str | None = None
    preferredLanguage: str | None = None
    accountEnabled: bool = True
    appRole: str = USER_ROLE
    manager: str | None = None  # the manager's objectId
    # Plain addresses: Exchange's "smtp:" prefixes are what an admin's expression strips.
    proxyAddresses: list[str] = field(default_factory=list)
    assigned: bool = True  # False once the admin removes the user from the app
    # In the directory's recycle bin: Entra disables the account in the app; a hard delete
    # (30 days later, or a purge) takes the user out of the directory, and the app's account
    # is deleted.
    softDeleted: bool = False

    @property
    def in_scope(self) -> bool:
        """Assigned with a role that provisions: the default scope, "Sync only assigned users
        and groups" (`scoping.Scope` adds the other setting and scoping filters)."""
        return self.assigned and self.appRole != DEFAULT_ACCESS

    @property
    def active(self) -> bool:
        """Entra's `IsActive`: enabled and not soft-deleted."""
        return self.accountEnabled and not self.softDeleted


@dataclass(slots=True)
class SourceGroup:
    """One Entra group assigned to the app, with its members' objectIds."""

    objectId: str
    displayName: str
    mailNickname: str
    members: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SourceDirectory:
    """The users and groups assigned to the enterprise application, in a stable order."""

    users: list[SourceUser] = field(default_factory=list)
    groups: list[SourceGroup] = field(default_factory=list)

    @classmethod
    def fake(cls, users: int = 5, groups: int = 0, seed: int = 0, locale: str = "en_US",
             default_access_every: int = DEFAULT_ACCESS_EVERY) -> SourceDirectory:
        """A deterministic fake directory: the same arguments give the same people and ids.

        Every `default_access_every`-th user (0: none) is assigned with the Default Access
        role, so an initial cycle shows such users passed over, as the tutorials warn.
        ValueError for a count out of range or an unknown Faker locale.
        """
        # Faker is imported on this path only; the seed layer reports bad counts or an
        # unknown locale as a SCIM error, which a client-side caller gets as a ValueError.
        from sandbox.scim.errors import ScimError
        from sandbox.seed.generator import generate_directory, resolve_locale

        try:
            people, records = generate_directory(users=users, groups=groups, seed=seed,
                                                 locale=resolve_locale(locale))
        except ScimError as error:
            raise ValueError(error.detail) from None
        object_ids = {person.id: person.external_id for person in people}
        made = [
            SourceUser(
                objectId=person.external_id,
                userPrincipalName=person.user_name,
                mail=person.user_name,
                mailNickname=person.user_name.split("@")[0],
                givenName=person.given_name,
                surname=person.family_name,
                displayName=person.display_name,
                jobTitle=person.title,
                department=person.department,
                employeeId=person.employee_number,
                city=person.locality,
                country=person.country,
                preferredLanguage=person.language,
                manager=object_ids.get(person.manager_id or ""),
                proxyAddresses=list(person.aliases),
                appRole=(DEFAULT_ACCESS if default_access_every
                         and number % default_access_every == 0 else USER_ROLE),
            )
            for number, person in enumerate(people, start=1)
        ]
        made_groups = [
            SourceGroup(objectId=record.external_id, displayName=record.display_name,
                        mailNickname=_nickname(record.display_name),
                        members=[object_ids[m] for m in record.member_ids])
            for record in records
        ]
        return cls(made, made_groups)

    # Lookups ---------------------------------------------------------------------------

    def user(self, object_id: str) -> SourceUser:
        for user in self.users:
            if user.objectId == object_id:
                return user
        raise KeyError(f"no user {object_id!r} in the source directory")

    def group(self, object_id: str) -> SourceGroup:
        for group in self.groups:
            if group.objectId == object_id:
                return group
        raise KeyError(f"no group {object_id!r} in the source directory")

    def in_scope_users(self) -> Iterator[SourceUser]:
        return (user for user in self.users if user.in_scope)

    # Changes an admin makes between cycles -----------------------------------------------

    def update_user(self, object_id: str, **changes: Any) -> SourceUser:
        """Set source attributes, e.g. `update_user(oid, jobTitle="CTO")`."""
        user = self.user(object_id)
        for name, value in changes.items():
            if name not in _USER_FIELDS:
                raise TypeError(f"SourceUser has no attribute {name!r}")
            setattr(user, name, value)
        return user

    def disable(self, object_id: str) -> SourceUser:
        """accountEnabled = false: Entra's next cycle disables the account in the app."""
        return self.update_user(object_id, accountEnabled=False)

    def enable(self, object_id: str) -> SourceUser:
        return self.update_user(object_id, accountEnabled=True)

    def rename(self, object_id: str, given_name: str, surname: str) -> SourceUser:
        """A new name (the userPrincipalName, the matching attribute, is kept)."""
        return self.update_user(object_id, givenName=given_name, surname=surname,
                                displayName=f"{given_name} {surname}")

    def set_role(self, object_id: str, role: str) -> SourceUser:
        return self.update_user(object_id, appRole=role)

    def unassign(self, object_id: str) -> SourceUser:
        """Remove the user's assignment: it leaves scope, and Entra disables it in the app."""
        return self.update_user(object_id, assigned=False)

    def assign(self, object_id: str) -> SourceUser:
        return self.update_user(object_id, assigned=True)

    def soft_delete(self, object_id: str) -> SourceUser:
        """Send the user to the recycle bin: Entra disables the account in the app."""
        return self.update_user(object_id, softDeleted=True)

    def restore(self, object_id: str) -> SourceUser:
        """Bring a soft-deleted user back: Entra enables the account again."""
        return self.update_user(object_id, softDeleted=False)

    def hard_delete(self, object_id: str) -> SourceUser:
        """Delete the user for good (a purge, or 30 days after a soft delete): Entra deletes
        the account in the app."""
        user = self.user(object_id)
        self.users.remove(user)
        for group in self.groups:
            if object_id in group.members:
                group.members.remove(object_id)
        return user

    def add_user(self, user: SourceUser) -> SourceUser:
        self.users.append(user)
        return user

    def add_member(self, group_id: str, user_id: str) -> None:
        group = self.group(group_id)
        if user_id not in group.members:
            group.members.append(user_id)

    def remove_member(self, group_id: str, user_id: str) -> None:
        group = self.group(group_id)
        if user_id in group.members:
            group.members.remove(user_id)

    def remove_group(self, object_id: str) -> SourceGroup:
        group = self.group(object_id)
        self.groups.remove(group)
        return group


_USER_FIELDS = frozenset(f.name for f in fields(SourceUser))


def _nickname(name: str) -> str:
    ascii_form = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_form.lower() if c.isalnum()) or "group"
