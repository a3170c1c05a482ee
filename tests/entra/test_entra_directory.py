"""The source directory: deterministic fake users and groups, and the changes between cycles."""

from __future__ import annotations

import pytest

from sandbox.entra import DEFAULT_ACCESS, USER_ROLE, SourceDirectory, sample_changes


def test_same_arguments_give_the_same_directory():
    first = SourceDirectory.fake(users=10, groups=2, seed=7)
    second = SourceDirectory.fake(users=10, groups=2, seed=7)
    assert first == second
    assert SourceDirectory.fake(users=10, groups=2, seed=8) != first


def test_every_user_carries_what_the_vendor_tables_require():
    directory = SourceDirectory.fake(users=12, seed=1)
    for user in directory.users:
        assert user.userPrincipalName == user.mail and "@" in user.mail
        assert user.mailNickname == user.userPrincipalName.split("@")[0]
        assert user.displayName == f"{user.givenName} {user.surname}"
        for value in (user.jobTitle, user.department, user.employeeId, user.city,
                      user.country, user.preferredLanguage):
            assert value
        assert user.proxyAddresses and user.accountEnabled
    ids = {u.objectId for u in directory.users}
    assert len(ids) == 12
    assert all(u.manager in ids for u in directory.users[1:])  # managers come first


def test_every_fifth_user_has_the_default_access_role():
    directory = SourceDirectory.fake(users=10)
    roles = [u.appRole for u in directory.users]
    assert roles == [USER_ROLE] * 4 + [DEFAULT_ACCESS] + [USER_ROLE] * 4 + [DEFAULT_ACCESS]
    assert len(list(directory.in_scope_users())) == 8
    none = SourceDirectory.fake(users=10, default_access_every=0)
    assert all(u.in_scope for u in none.users)


def test_groups_hold_users_of_the_directory():
    directory = SourceDirectory.fake(users=20, groups=3, seed=2, locale="fr_FR")
    ids = {u.objectId for u in directory.users}
    assert len(directory.groups) == 3
    for group in directory.groups:
        assert group.members and set(group.members) <= ids
        assert group.mailNickname.isalnum()


def test_changes_between_cycles():
    directory = SourceDirectory.fake(users=6, groups=1, seed=3)
    first, second, third = directory.users[:3]
    directory.disable(first.objectId)
    assert directory.user(first.objectId).accountEnabled is False
    directory.rename(second.objectId, "Ada", "Lovelace")
    assert directory.user(second.objectId).displayName == "Ada Lovelace"
    directory.unassign(third.objectId)
    assert not directory.user(third.objectId).in_scope
    group = directory.groups[0]
    directory.add_member(group.objectId, first.objectId)
    assert first.objectId in group.members
    directory.hard_delete(first.objectId)
    assert first.objectId not in group.members
    with pytest.raises(KeyError):
        directory.user(first.objectId)
    with pytest.raises(TypeError):
        directory.update_user(second.objectId, nickname="x")


def test_sample_changes_unassign_disable_rename_hard_delete():
    """The second scripted cycle's changes, one per assigned active user."""
    directory = SourceDirectory.fake(users=5)
    assigned = [u.objectId for u in directory.in_scope_users()]
    done = sample_changes(directory)
    assert [d.split()[0] for d in done] == ["unassigned", "disabled", "renamed", "deleted"]
    assert len(directory.users) == 4 and assigned[3] not in {u.objectId for u in
                                                            directory.users}
    assert not directory.user(assigned[0]).assigned
    assert not directory.user(assigned[1]).accountEnabled
    assert directory.user(assigned[2]).surname.endswith("-Renamed")


def test_soft_delete_and_restore_change_is_active():
    directory = SourceDirectory.fake(users=2)
    user = directory.soft_delete(directory.users[0].objectId)
    assert user.softDeleted and not user.active and user.accountEnabled
    assert directory.restore(user.objectId).active


def test_bad_arguments_are_value_errors():
    with pytest.raises(ValueError, match="locale"):
        SourceDirectory.fake(users=1, locale="xx_NOPE")
    with pytest.raises(ValueError, match="users"):
        SourceDirectory.fake(users=-1)
