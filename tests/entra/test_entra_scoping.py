"""Scoping: the Scope setting ("Sync only assigned users and groups" / "Sync all users and
groups") and attribute-based scoping filters, as Microsoft's page "Scoping users or groups to
be provisioned with scoping filters" (define-conditional-rules-for-provisioning-user-accounts)
describes them: one filter's clauses are ANDed, several filters are ORed, string comparisons
are case-sensitive, an empty attribute fails every clause but IS NULL, and a user that falls
out of scope is disabled in the application."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.entra import Action, SourceDirectory, SourceUser, Status
from sandbox.entra.scoping import (
    ALL,
    ASSIGNED,
    OPERATORS,
    Scope,
    ScopeClause,
    ScopeError,
    ScopingFilter,
)

DISABLE_BODY = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}


def person(**attributes: Any) -> SourceUser:
    base: dict[str, Any] = {
        "objectId": "0001", "userPrincipalName": "ann@contoso.com",
        "mail": "ann@contoso.com", "mailNickname": "ann", "givenName": "Ann",
        "surname": "Lee", "displayName": "Ann Lee"}
    return SourceUser(**{**base, **attributes})


def holds(clause: str, **attributes: Any) -> bool:
    return ScopeClause.parse(clause).holds(person(**attributes))


# Each operator: a user for whom the clause is true, one for whom it is false, and the
# verdict for an empty attribute.
OPERATOR_CASES = [
    ("department & SalesMarketing", {"department": "Sales"}, {"department": "Legal"}, False),
    ("department !& SalesMarketing", {"department": "Legal"}, {"department": "Sales"}, False),
    ("mail ENDS_WITH @contoso.com", {"mail": "a@contoso.com"}, {"mail": "a@fabrikam.com"},
     False),
    ("department EQUALS Sales", {"department": "Sales"}, {"department": "Sales "}, False),
    ("employeeId Greater_Than 100", {"employeeId": "101"}, {"employeeId": "100"}, False),
    ("employeeId Greater_Than_OR_EQUALS 100", {"employeeId": "100"}, {"employeeId": "99"},
     False),
    ("jobTitle Includes Engineer", {"jobTitle": "Senior Engineer II"},
     {"jobTitle": "Designer"}, False),
    ("accountEnabled IS FALSE", {"accountEnabled": False}, {"accountEnabled": True}, None),
    ("accountEnabled IS TRUE", {"accountEnabled": True}, {"accountEnabled": False}, None),
    ("city IS NOT NULL", {"city": "Oslo"}, {"city": None}, False),
    ("city IS NULL", {"city": None}, {"city": "Oslo"}, True),
    ("department NOT EQUALS Sales", {"department": "Legal"}, {"department": "Sales"}, False),
    ("employeeId NOT REGEX MATCH [0-9]+", {"employeeId": "E12"}, {"employeeId": "12"}, False),
    ("employeeId REGEX MATCH ([1-9][0-9])", {"employeeId": "42"}, {"employeeId": "7"}, False),
]


def test_the_cases_cover_every_operator():
    assert {ScopeClause.parse(case[0]).operator for case in OPERATOR_CASES} == set(OPERATORS)


@pytest.mark.parametrize(("clause", "true_for", "false_for", "when_empty"), OPERATOR_CASES,
                         ids=[case[0] for case in OPERATOR_CASES])
def test_each_operator(clause, true_for, false_for, when_empty):
    """The scoping filters page's operators (a to n); its IMPORTANT box: a clause on an
    empty attribute is false, IS NULL being the one clause that asks for emptiness."""
    assert holds(clause, **true_for) is True
    assert holds(clause, **false_for) is False
    if when_empty is not None:
        name = ScopeClause.parse(clause).attribute
        assert holds(clause, **{name: None}) is when_empty
        assert holds(clause, **{name: ""}) is when_empty


def test_greater_than_compares_integers_only():
    """Greater_Than: both the filter value and the attribute must be integers."""
    assert holds("employeeId Greater_Than 9", employeeId="10")  # not "10" < "9" as text
    assert not holds("employeeId Greater_Than 9", employeeId="E10")
    with pytest.raises(ScopeError, match="integers"):
        ScopeClause.parse("employeeId Greater_Than ten")


def test_string_comparisons_are_case_sensitive():
    """EQUALS, NOT EQUALS, Includes and REGEX MATCH are case-sensitive on the page."""
    assert not holds("department EQUALS sales", department="Sales")
    assert holds("department NOT EQUALS sales", department="Sales")
    assert not holds("jobTitle Includes engineer", jobTitle="Engineer")
    assert not holds("department REGEX MATCH sal.*", department="Sales")
    assert holds("department REGEX MATCH Sal.*", department="Sales")


def test_the_common_filters_of_the_page_read_and_hold():
    """The page's table of common filters: a UPN domain regex, a department."""
    assert holds(r"userPrincipalName REGEX MATCH .*\@contoso.com")
    assert not holds(r"userPrincipalName REGEX MATCH .*\@domain.com")
    assert holds("department EQUALS sales", department="sales")


def test_operator_and_attribute_names_are_read_whatever_their_case():
    clause = ScopeClause.parse("Department equals Sales")
    assert (clause.attribute, clause.operator, clause.value) == ("department", "EQUALS",
                                                                 "Sales")
    assert ScopeClause.parse("city is not null").operator == "IS NOT NULL"
    assert ScopeClause.parse("mail not regex match x.*").operator == "NOT REGEX MATCH"
    assert str(ScopeClause.parse("city IS NULL")) == "city IS NULL"


@pytest.mark.parametrize(("text", "message"), [
    ("department", "is not a clause"),
    ("colour EQUALS red", "'colour' is not a source attribute"),
    ("department LIKE Sales", "no scoping operator"),
    ("department EQUALS", "EQUALS needs a value"),
    ("city IS NULL yes", "IS NULL takes no value"),
    ("mail REGEX MATCH ([a-z]", "is not a regular expression"),
    ("employeeId Greater_Than 1.5", "compares integers"),
    ("proxyAddresses Includes a@contoso.com", "multi-valued"),
])
def test_unreadable_clauses_say_what_is_wrong(text, message):
    """Each mistake gets a sentence naming it (and the page's rule that multi-valued
    attributes cannot be filtered)."""
    with pytest.raises(ScopeError, match=message):
        ScopingFilter.parse(text)


def test_an_empty_filter_and_an_unknown_mode_are_errors():
    with pytest.raises(ScopeError, match="at least one clause"):
        ScopingFilter.parse("   ")
    with pytest.raises(ScopeError, match="'assigned' or 'all'"):
        Scope(mode="everyone")


def test_clauses_of_one_filter_are_anded():
    """All the clauses of a filter must hold."""
    scope = Scope.parse(ALL, ["department EQUALS Sales AND city IS NOT NULL"])
    assert str(scope.filters[0]) == "department EQUALS Sales AND city IS NOT NULL"
    assert scope.verdict(person(department="Sales", city="Oslo")).in_scope
    left_out = scope.verdict(person(department="Sales", city=None))
    assert not left_out.in_scope
    assert "'city IS NOT NULL' (city is empty)" in left_out.reason
    assert not scope.verdict(person(department="Legal", city="Oslo")).in_scope


def test_filters_are_ored():
    """A user is in scope when every clause of ANY one filter holds."""
    scope = Scope.parse(ALL, ["department EQUALS Sales", "city EQUALS Oslo"])
    assert scope.verdict(person(department="Sales", city="Bergen")).in_scope
    passes = scope.verdict(person(department="Legal", city="Oslo"))
    assert passes.in_scope and "'city EQUALS Oslo'" in passes.reason
    out = scope.verdict(person(department="Legal", city="Bergen"))
    assert not out.in_scope
    assert "department is 'Legal'" in out.reason and "city is 'Bergen'" in out.reason


def test_assigned_scope_needs_an_assignment_with_a_role_that_provisions():
    """How application provisioning works: with "Sync only assigned users and groups" an
    unassigned user is out of scope; Velpic's and Visitly's tutorials: Default Access too."""
    scope = Scope()
    assert scope.mode == ASSIGNED
    assert scope.verdict(person()).in_scope
    assert "Not assigned" in scope.verdict(person(assigned=False)).reason
    assert "Default Access" in scope.verdict(person(appRole="Default Access")).reason
    everyone = Scope(mode=ALL)
    assert everyone.verdict(person(assigned=False)).in_scope
    assert everyone.describe() == ["Sync all users and groups"]
    assert Scope.parse(ASSIGNED, ["city IS NULL"]).describe() == [
        "Sync only assigned users and groups", "Scoping filter: city IS NULL"]
    # Filters come on top of the assignment: an unassigned user is out whatever they say.
    assert not Scope.parse(ASSIGNED, ["city IS NULL"]).verdict(person(assigned=False)).in_scope


# Against a sandbox tenant ----------------------------------------------------------------

def operations(entries: list[dict[str, Any]]) -> list[str]:
    return [e["operation"] for e in entries]


def test_sync_all_provisions_the_unassigned(tenant_of, engine_for, journal):
    """"Sync all users and groups" takes users with no assignment; the default takes only
    the assigned ones."""
    directory = SourceDirectory.fake(users=3, seed=5, default_access_every=0)
    directory.unassign(directory.users[2].objectId)
    assigned_only = tenant_of("generic")
    result = engine_for(assigned_only).run_cycle(directory)
    assert result.count(Action.CREATE, Status.SUCCESS) == 2
    everyone = tenant_of("generic")
    result = engine_for(everyone, scope=Scope(mode=ALL)).run_cycle(directory)
    assert result.count(Action.CREATE, Status.SUCCESS) == 3
    created = [e["request"]["body"]["userName"] for e in journal(everyone)
               if e["operation"] == "create user"]
    assert created == [u.userPrincipalName for u in directory.users]


def test_a_user_never_in_scope_is_skipped_once_and_never_created(tenant_of, engine_for,
                                                                 journal):
    """Users outside the filters are reported as skipped, not provisioned; an unchanged
    object's skip is not repeated by the next cycle."""
    tenant = tenant_of("generic")
    directory = SourceDirectory.fake(users=3, seed=5, default_access_every=0)
    outsider = directory.update_user(directory.users[1].objectId, department="Legal")
    for user in (directory.users[0], directory.users[2]):
        directory.update_user(user.objectId, department="Sales")
    engine = engine_for(tenant, scope=Scope.parse(ASSIGNED, ["department EQUALS Sales"]))
    first = engine.run_cycle(directory)
    skipped = [e for e in first.entries if e.action == Action.SKIP]
    assert [(e.source_id, e.status) for e in skipped] == [(outsider.objectId, Status.SKIPPED)]
    assert "'department EQUALS Sales' (department is 'Legal')" in skipped[0].reason
    second = engine.run_cycle(directory, first.state)
    assert second.entries == [] and second.requests == 0
    created = [e["request"]["body"]["userName"] for e in journal(tenant)
               if e["operation"] == "create user"]
    assert outsider.userPrincipalName not in created and len(created) == 2


def test_a_user_leaving_scope_by_a_filter_is_disabled(tenant_of, engine_for, journal,
                                                      clear_journal):
    """A user that was in scope and no longer passes the filters is disabled in the app
    (the page's IMPORTANT box; SkipOutOfScopeDeletions off), with the SCIM tutorial's
    disable PATCH; nothing is sent for it afterwards."""
    tenant = tenant_of("generic")
    directory = SourceDirectory.fake(users=2, seed=6, default_access_every=0)
    for user in directory.users:
        directory.update_user(user.objectId, department="Sales")
    engine = engine_for(tenant, scope=Scope.parse(ASSIGNED, ["department EQUALS Sales"]))
    first = engine.run_cycle(directory)
    assert first.count(Action.CREATE, Status.SUCCESS) == 2
    leaver = directory.update_user(directory.users[0].objectId, department="sales")
    target_id = first.state.users[leaver.objectId].target_id
    clear_journal(tenant)
    second = engine.run_cycle(directory, first.state)
    (entry,) = journal(tenant)
    assert (entry["operation"], entry["method"]) == ("disable user", "PATCH")
    assert entry["path"].endswith(f"/Users/{target_id}")
    assert entry["request"]["body"] == DISABLE_BODY
    (logged,) = second.entries
    assert (logged.action, logged.status) == (Action.DISABLE, Status.SUCCESS)
    assert logged.reason.startswith("Left scope.")
    assert tenant.user(target_id)["active"] is False
    clear_journal(tenant)
    third = engine.run_cycle(directory, second.state)
    assert third.requests == 0 and journal(tenant) == []
