"""A group update's log line counts its members in plain English: 1 member, 3 members."""

from __future__ import annotations

from sandbox.entra import SourceDirectory, SourceGroup


def test_member_updates_count_members_in_singular_and_plural(tenant_of, engine_for):
    directory = SourceDirectory.fake(users=4, groups=0, default_access_every=0)
    directory.groups.append(SourceGroup("g-all", "Everyone", "everyone",
                                        [u.objectId for u in directory.users]))
    result = engine_for(tenant_of("generic"), member_batch_size=3).run_cycle(directory)
    reasons = [e.reason for e in result.entries if e.object_type == "Group" and e.reason]
    assert reasons == ["Added 3 members.", "Added 1 member."]
