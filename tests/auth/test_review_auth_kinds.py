"""The auth kinds are named once (`vendors.profile_auth`) and one predicate says which are
OAuth; every layer's view of a kind follows from it."""

from __future__ import annotations

import pytest

from sandbox.service.credentials import NAME_FIELD, SECRET_NAME
from sandbox.service.tenant_keys import family
from sandbox.vendors.profile_auth import (
    AUTH_KINDS,
    BASIC,
    BEARER,
    OAUTH_KINDS,
    AuthProfile,
    is_oauth_kind,
)


@pytest.mark.parametrize("kind", AUTH_KINDS)
def test_every_view_of_a_kind_agrees_with_the_one_predicate(kind):
    assert AuthProfile(kind=kind).is_oauth == is_oauth_kind(kind) == (kind in OAUTH_KINDS)
    assert family(kind) == ("oauth" if is_oauth_kind(kind) else kind)
    assert kind in SECRET_NAME
    assert (kind in NAME_FIELD) == (kind != BEARER)


def test_a_kind_that_merely_starts_like_oauth_is_not_oauth():
    assert not is_oauth_kind("oauth2_password")
    assert set(AUTH_KINDS) == {BEARER, BASIC, *OAUTH_KINDS}
