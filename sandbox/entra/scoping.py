"""Who is in scope: the Provisioning blade's **Scope** setting and attribute-based scoping
filters.

Scope is "Sync only assigned users and groups" (the default: assigned with a role that
provisions) or "Sync all users and groups". On top of it an admin may add scoping filters,
each a list of clauses such as `department EQUALS Sales`. As Microsoft's page on scoping
filters describes them, the clauses of one filter must all hold (AND) and a user passes when
any one filter holds (OR); string comparisons are case-sensitive.

In text (the CLI's `--scope-filter`, the console's clause box) a clause is
`<attribute> <OPERATOR> [value]`, and ` AND ` joins the clauses of one filter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from sandbox.entra.directory import DEFAULT_ACCESS, SourceUser

ASSIGNED = "assigned"
ALL = "all"
SCOPE_LABELS = {ASSIGNED: "Sync only assigned users and groups",
                ALL: "Sync all users and groups"}


def _text(value: Any) -> str | None:
    if value is None or value == "" or value == []:
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def _number(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _compare(check: Callable[[int, int], bool]) -> Callable[[str | None, str], bool]:
    def compare(actual: str | None, wanted: str) -> bool:
        left, right = _number(actual), _number(wanted)
        return left is not None and right is not None and check(left, right)
    return compare


def _regex(actual: str | None, pattern: str) -> bool:
    return actual is not None and re.fullmatch(pattern, actual) is not None


# Operator → (takes a value, test of the attribute's text against the value), as the scoping
# filters page lists them. Every operator but IS NULL is false for an empty attribute.
OPERATORS: dict[str, tuple[bool, Callable[[str | None, str], bool]]] = {
    "&": (True, lambda actual, wanted: actual is not None and actual in wanted),
    "!&": (True, lambda actual, wanted: actual is not None and actual not in wanted),
    "ENDS_WITH": (True, lambda actual, wanted: actual is not None and actual.endswith(wanted)),
    "EQUALS": (True, lambda actual, wanted: actual == wanted),
    "Greater_Than": (True, _compare(lambda a, b: a > b)),
    "Greater_Than_OR_EQUALS": (True, _compare(lambda a, b: a >= b)),
    "Includes": (True, lambda actual, wanted: actual is not None and wanted in actual),
    "IS FALSE": (False, lambda actual, _: actual == "false"),
    "IS NOT NULL": (False, lambda actual, _: actual is not None),
    "IS NULL": (False, lambda actual, _: actual is None),
    "IS TRUE": (False, lambda actual, _: actual == "true"),
    "NOT EQUALS": (True, lambda actual, wanted: actual is not None and actual != wanted),
    "NOT REGEX MATCH": (True, lambda actual, pattern: actual is not None
                        and not _regex(actual, pattern)),
    "REGEX MATCH": (True, _regex),
}
# Longest first, so that "NOT EQUALS" is not read as an attribute "NOT" and "EQUALS".
_BY_LENGTH = sorted(OPERATORS, key=len, reverse=True)
# The page's IMPORTANT box: multi-valued attributes (proxyAddresses) cannot be filtered on.
MULTI_VALUED = tuple(f.name for f in fields(SourceUser) if str(f.type).startswith("list"))
ATTRIBUTES = tuple(f.name for f in fields(SourceUser) if f.name not in MULTI_VALUED)


class ScopeError(ValueError):
    """A scoping clause that cannot be read: the message says what is wrong and how to
    write it."""


@dataclass(frozen=True, slots=True)
class ScopeClause:
    attribute: str
    operator: str
    value: str = ""

    def __str__(self) -> str:
        return f"{self.attribute} {self.operator}" + (f" {self.value}" if self.value else "")

    def holds(self, user: SourceUser) -> bool:
        _, test = OPERATORS[self.operator]
        return test(_text(getattr(user, self.attribute)), self.value)

    def actual(self, user: SourceUser) -> str:
        """What the user has, for a log reason: `department is 'Sales'`."""
        value = _text(getattr(user, self.attribute))
        return f"{self.attribute} is {value!r}" if value is not None else \
            f"{self.attribute} is empty"

    @classmethod
    def parse(cls, text: str) -> ScopeClause:
        """`department EQUALS Sales` → ScopeClause("department", "EQUALS", "Sales")."""
        parts = text.strip().split(None, 1)
        if len(parts) < 2:
            raise ScopeError(f"{text.strip()!r} is not a clause: write <attribute> <OPERATOR> "
                             "[value], e.g. 'department EQUALS Sales'.")
        name, rest = parts
        attribute = _attribute(name)
        operator = next((op for op in _BY_LENGTH
                         if rest.upper() == op.upper()
                         or rest.upper().startswith(op.upper() + " ")), None)
        if operator is None:
            raise ScopeError(f"no scoping operator at the start of {rest!r}; the operators "
                             f"are {', '.join(OPERATORS)}.")
        value = rest[len(operator):].strip()
        takes_value, _ = OPERATORS[operator]
        if takes_value and not value:
            raise ScopeError(f"{operator} needs a value: '{name} {operator} <value>'.")
        if not takes_value and value:
            raise ScopeError(f"{operator} takes no value; got {value!r}.")
        if operator.endswith("REGEX MATCH"):
            try:
                re.compile(value)
            except re.error as error:
                raise ScopeError(f"{value!r} is not a regular expression: {error}.") from None
        if operator.startswith("Greater") and _number(value) is None:
            raise ScopeError(f"{operator} compares integers; {value!r} is not one.")
        return cls(attribute, operator, value)


def _attribute(name: str) -> str:
    for known in ATTRIBUTES:
        if known.lower() == name.lower():
            return known
    if name.lower() in (m.lower() for m in MULTI_VALUED):
        raise ScopeError(f"{name!r} is multi-valued, and scoping filters cannot filter on "
                         "multi-valued attributes.")
    raise ScopeError(f"{name!r} is not a source attribute; scoping filters can use "
                     f"{', '.join(ATTRIBUTES)}.")


@dataclass(frozen=True, slots=True)
class ScopingFilter:
    """Clauses that must all hold."""

    clauses: tuple[ScopeClause, ...]

    def __str__(self) -> str:
        return " AND ".join(str(clause) for clause in self.clauses)

    @classmethod
    def parse(cls, text: str) -> ScopingFilter:
        """`department EQUALS Sales AND city IS NOT NULL`."""
        pieces = [p for p in re.split(r"\s+AND\s+", text.strip()) if p.strip()]
        if not pieces:
            raise ScopeError("a scoping filter needs at least one clause, e.g. "
                             "'department EQUALS Sales'.")
        return cls(tuple(ScopeClause.parse(piece) for piece in pieces))

    def failing(self, user: SourceUser) -> ScopeClause | None:
        return next((c for c in self.clauses if not c.holds(user)), None)


@dataclass(frozen=True, slots=True)
class ScopeVerdict:
    in_scope: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Scope:
    """The Scope setting and the scoping filters; `verdict(user)` says whether the user is in
    scope and why (the on-demand page's second step shows it, the log's skips quote it)."""

    mode: str = ASSIGNED
    filters: tuple[ScopingFilter, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.mode not in SCOPE_LABELS:
            raise ScopeError(f"scope must be {ASSIGNED!r} or {ALL!r}, not {self.mode!r}.")

    @classmethod
    def parse(cls, mode: str = ASSIGNED, filters: Iterable[str] = ()) -> Scope:
        return cls(mode, tuple(ScopingFilter.parse(text) for text in filters))

    def verdict(self, user: SourceUser) -> ScopeVerdict:
        if self.mode == ASSIGNED and not user.assigned:
            return ScopeVerdict(False, "Not assigned to the application, so outside the "
                                       "provisioning scope (Sync only assigned users and "
                                       "groups).")
        if self.mode == ASSIGNED and user.appRole == DEFAULT_ACCESS:
            return ScopeVerdict(False, "Assigned with the Default Access role, which doesn't "
                                       "provision: the user is out of scope and skipped.")
        if not self.filters:
            how = "assigned to the application" if self.mode == ASSIGNED else \
                "Sync all users and groups"
            return ScopeVerdict(True, f"In scope: {how}, no scoping filter.")
        missed: list[str] = []
        for scoping_filter in self.filters:
            clause = scoping_filter.failing(user)
            if clause is None:
                return ScopeVerdict(True, f"In scope: passes the scoping filter "
                                          f"'{scoping_filter}'.")
            missed.append(f"'{clause}' ({clause.actual(user)})")
        return ScopeVerdict(False, "Out of scope: fails the scoping filter clause "
                                   + "; and ".join(missed) + ".")

    def describe(self) -> Sequence[str]:
        """One line per setting, for a person."""
        return [SCOPE_LABELS[self.mode],
                *(f"Scoping filter: {f}" for f in self.filters)]
