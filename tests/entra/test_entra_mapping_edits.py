"""An admin's edits to the Attribute Mappings (Microsoft's "Customize user provisioning
attribute-mappings": Direct and Constant mappings, the matching attribute, which the target
must be able to filter on), and what the next cycle sends because of them."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from entra_support import profile

from sandbox.entra import SourceDirectory
from sandbox.entra.mapping_edits import (
    CONSTANT,
    DIRECT,
    MATCHING,
    REMOVE,
    MappingEdit,
    MappingEditError,
    apply_edits,
    matching_warning,
)
from sandbox.entra.mappings import default_mappings, matching_mapping


def test_a_constant_and_a_direct_mapping_reach_the_create_body(tenant_of, engine_for,
                                                               journal):
    tenant = tenant_of("generic")
    rows = apply_edits(default_mappings(profile("generic")), [
        MappingEdit(REMOVE, "title"),
        MappingEdit(CONSTANT, "nickName", "Contractor"),
        MappingEdit(DIRECT, "displayName", "department"),
    ])
    engine = engine_for(tenant, user_mappings=rows)
    directory = SourceDirectory.fake(users=1, seed=3, default_access_every=0)
    assert engine.run_cycle(directory).ok
    (create,) = [e for e in journal(tenant) if e["operation"] == "create user"]
    body = create["request"]["body"]
    user = directory.users[0]
    assert body["nickName"] == "Contractor"
    assert body["displayName"] == user.department
    assert "title" not in body


def test_another_matching_attribute_changes_the_match_query(tenant_of, engine_for, journal):
    tenant = tenant_of("generic")
    rows = apply_edits(default_mappings(profile("generic")),
                       [MappingEdit(MATCHING, "externalId")])
    assert matching_mapping(rows).target == "externalId"
    assert sum(row.matching_precedence is not None for row in rows) == 1
    engine = engine_for(tenant, user_mappings=rows)
    directory = SourceDirectory.fake(users=1, seed=3, default_access_every=0)
    assert engine.run_cycle(directory).ok
    (query,) = [e for e in journal(tenant) if e["operation"] == "match query"]
    assert unquote(query["query"]) == (
        f'filter=externalId eq "{directory.users[0].mailNickname}"')


def test_editing_a_mapped_target_keeps_its_place_and_matching():
    rows = default_mappings(None)
    edited = apply_edits(rows, [MappingEdit(DIRECT, "userName", "mail")])
    assert len(edited) == len(rows)
    assert edited[0].source == "mail" and edited[0].matching_precedence == 1


@pytest.mark.parametrize(("edit", "words"), [
    (MappingEdit(REMOVE, "userName"), "choose another matching attribute"),
    (MappingEdit(REMOVE, "shoeSize"), "No mapping has the target attribute"),
    (MappingEdit(MATCHING, "nope"), "No mapping has the target attribute"),
    (MappingEdit(DIRECT, "title", "favouriteColour"), "is not a source attribute"),
    (MappingEdit(CONSTANT, "title", "  "), "needs a value"),
    (MappingEdit(DIRECT, "emails[type eq work", "mail"), "is not a target attribute"),
    (MappingEdit("rename", "title"), "is not a mapping edit"),
])
def test_an_edit_that_cannot_apply_says_why(edit, words):
    with pytest.raises(MappingEditError, match=words):
        apply_edits(default_mappings(None), [edit])


def test_the_warning_names_a_matching_attribute_the_vendor_does_not_filter_on():
    """Veritas's table lists the attributes it filters on; title is not one of them."""
    veritas = profile("veritas")
    rows = default_mappings(veritas)
    assert matching_warning(rows, veritas) is None
    edited = apply_edits(rows, [MappingEdit(MATCHING, "title")]) if any(
        r.target == "title" for r in rows) else apply_edits(
        rows, [MappingEdit(DIRECT, "title", "jobTitle"), MappingEdit(MATCHING, "title")])
    warning = matching_warning(edited, veritas)
    assert warning is not None and "title" in warning and veritas.name in warning
    # Nothing is known of an endpoint without a profile: no warning.
    assert matching_warning(edited, None) is None


def test_edits_survive_a_json_round_trip():
    edit = MappingEdit(CONSTANT, "nickName", "Contractor")
    assert MappingEdit.from_dict(edit.to_dict()) == edit
    assert str(edit) == '"Contractor" → nickName'
