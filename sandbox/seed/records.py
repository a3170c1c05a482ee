"""The people and groups a seed run creates, before they become SCIM bodies.

Generated people and the fixed cast are both turned into these records first, so one
renderer (`bodies`) and one loader (`loading`) serve both, and a vendor only changes what
is *kept* of a person, never who the person is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Person:
    """One directory user, with every attribute any vendor profile may keep."""

    id: str
    external_id: str
    user_name: str
    given_name: str
    family_name: str
    title: str
    department: str
    employee_number: str
    locality: str
    country: str  # ISO 3166-1 alpha-2, as Entra sends addresses[type eq "work"].country
    language: str  # BCP 47, e.g. "fr-FR", for `preferredLanguage`
    created: datetime
    manager_id: str | None = None
    aliases: tuple[str, ...] = ()
    active: bool = True

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True, slots=True)
class GroupRecord:
    """One group and the ids of its member users."""

    id: str
    external_id: str
    display_name: str
    member_ids: tuple[str, ...]
    created: datetime
