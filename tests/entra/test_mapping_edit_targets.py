"""Targets an admin's mapping edit may not write. Microsoft's "Customize user provisioning
attribute-mappings" says the application's primary key (`id`) should not be a target
attribute: the application assigns it. Entra writes `schemas` itself, and `meta` is
read-only, set by the service provider (RFC 7643 §3.1). An edit that writes any of them is
refused with a reason."""

from __future__ import annotations

import pytest
from entra_support import profile

from sandbox.entra.mapping_edits import CONSTANT, DIRECT, MappingEdit, MappingEditError, apply_edits
from sandbox.entra.mappings import default_mappings


@pytest.mark.parametrize(("kind", "source", "target"), [
    (CONSTANT, "x", "id"),
    (CONSTANT, "x", "ID"),
    (DIRECT, "objectId", "id"),
    (CONSTANT, "x", "schemas"),
    (DIRECT, "department", "meta.created"),
    (CONSTANT, "x", "meta"),
])
def test_an_edit_writing_the_id_or_the_envelope_is_refused(kind, source, target):
    rows = default_mappings(profile("generic"))
    with pytest.raises(MappingEditError, match="not an attribute Entra writes"):
        apply_edits(rows, [MappingEdit(kind, target, source)])


def test_a_target_that_only_starts_like_one_is_an_attribute():
    """`identityNumber` or `metadata` are attributes like any other."""
    rows = default_mappings(profile("generic"))
    edited = apply_edits(rows, [MappingEdit(CONSTANT, "identityNumber", "7"),
                                MappingEdit(DIRECT, "metadata", "department")])
    assert [row.target for row in edited[-2:]] == ["identityNumber", "metadata"]
