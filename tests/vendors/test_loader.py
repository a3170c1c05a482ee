"""Profile loading: the bundled generic profile, and clear errors naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.scim.schema import ENTERPRISE_USER_SCHEMA
from sandbox.vendors import ProfileError, bundled_vendors_dir, load_profile, load_profiles

GOOD = """
id = "acme"
name = "Acme"
tenant_url = "/acme/{slug}/scim"
delete_mode = "soft"
unknown_attributes = "ignore"
patch_response = "no_content"
[features]
patch = true
filter = true
[resource_types.User]
endpoint = "/Users"
schema = "urn:ietf:params:scim:schemas:core:2.0:User"
extensions = ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
attributes = ["userName", "active", "name.givenName",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"]
required = ["name.givenName",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"]
filterable = ["userName"]
unique = ["userName"]
"""


def write(tmp_path: Path, text: str, name: str = "acme.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_generic_profile_offers_users_and_groups():
    profiles = load_profiles(bundled_vendors_dir())
    generic = profiles["generic"]
    assert list(generic.resource_types) == ["User", "Group"]
    assert generic.delete_mode == "hard"
    assert generic.by_endpoint("USERS").name == "User"
    assert generic.by_endpoint("groups").name == "Group"
    user = generic.resource_types["User"].schema
    assert [e.id for e in user.extensions] == [ENTERPRISE_USER_SCHEMA]
    assert all(generic.feature(f) for f in ("patch", "filter", "sort", "etag"))


def test_custom_profile_restricts_and_requires(tmp_path):
    profile = load_profile(write(tmp_path, GOOD))
    user = profile.resource_types["User"]
    names = [a.name for a in user.schema.core.attributes]
    assert names == ["userName", "name", "active"]
    assert user.schema.core.attribute("name").sub("givenName").required is True
    department = user.schema.extensions[0].attribute("department")
    assert department.required is True
    assert [a.name for a in user.schema.extensions[0].attributes] == ["department"]
    assert user.filterable == ("userName",)
    assert profile.tenant_placeholder == "slug"
    assert profile.tenant_path("t1", "my-org") == "/acme/my-org/scim"
    assert profile.delete_mode == "soft" and profile.patch_response == "no_content"


def test_extra_directory_adds_profiles(tmp_path):
    write(tmp_path, GOOD)
    profiles = load_profiles(bundled_vendors_dir(), tmp_path)
    assert {"generic", "acme"} <= set(profiles)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('delete_mode = "soft"', 'delete_mode = "sometimes"'), "key 'delete_mode' must be one of"),
        (('name = "Acme"\n', 'name = "Acme"\ncolour = "red"\n'),
         "key 'colour' is not a profile key"),
        (('endpoint = "/Users"\n', ''), "key 'resource_types.User.endpoint' is required"),
        (('schema = "urn:ietf:params:scim:schemas:core:2.0:User"',
          'schema = "urn:example:Nope"'), "unknown schema 'urn:example:Nope'"),
        (('"name.givenName",', '"name.nickName",'), "names attribute 'name.nickName'"),
        (('tenant_url = "/acme/{slug}/scim"', 'tenant_url = "acme"'), "key 'tenant_url' must"),
        (('patch = true', 'patch = "yes"'), "key 'features.patch' must be true or false"),
        (('filterable = ["userName"]', 'filterable = "userName"'),
         "key 'resource_types.User.filterable' must be a list of strings"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_invalid_toml_is_reported_with_its_file(tmp_path):
    path = write(tmp_path, "id = [unclosed")
    with pytest.raises(ProfileError, match="not valid TOML") as caught:
        load_profile(path)
    assert str(path) in str(caught.value)


def test_two_profiles_cannot_share_a_url(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace('id = "acme"', 'id = "acme2"'), "acme2.toml")
    with pytest.raises(ProfileError, match="cannot share a URL"):
        load_profiles(tmp_path)


def test_missing_directory_is_an_error(tmp_path):
    with pytest.raises(ProfileError, match="not a directory"):
        load_profiles(tmp_path / "absent")
