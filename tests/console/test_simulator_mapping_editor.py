"""Editing the Attribute Mappings on the console's simulator (Microsoft's "Customize user
provisioning attribute-mappings": change the matching attribute, remove a mapping, add a
Direct or a Constant one; the target must support filtering on the matching attribute), and
schema discovery when a gallery app's settings are saved (Microsoft's SCIM endpoint
tutorial, "/Schemas (Schema discovery)"), through the Flask test client."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import pytest
from simulator_client import (
    ROOT,
    flashes,
    operations,
    page_text,
    post,
    save,
    start,
    the_simulation,
)

EDIT = "/console/simulator/mappings/edit"


@pytest.fixture
def generic(simulator_for):
    return simulator_for("generic", users=2)


def edit(client, csrf, tenant, **fields):
    return post(client, csrf, EDIT, {"tenant_url": ROOT + tenant.path, **fields})


def add(client, csrf, tenant, kind, target, value):
    source = {"source_attribute": value} if kind == "direct" else {"constant_value": value}
    return flashes(edit(client, csrf, tenant, edit="add", kind=kind, target=target,
                        **source).get_data(as_text=True))


def created_bodies(tenant):
    return [e.to_dict()["request"]["body"] for e in tenant.journal.entries()
            if e.operation == "create user"]


def user_rows(html):
    table = re.search(r'aria-label="User attribute mappings">(.*?)</table>', html, re.S)
    return [unescape(target) for target in
            re.findall(r"</td><td aria-hidden=\"true\">→</td><td><code>(.*?)</code>",
                       table.group(1))]


def test_the_section_offers_the_edits(generic):
    _, client, _ = generic
    html = client.get("/console/simulator").get_data(as_text=True)
    assert 'aria-label="Remove the mapping to title"' in html
    assert 'aria-label="Match objects using externalId"' in html
    # The matching row can be neither removed nor chosen again.
    assert 'aria-label="Remove the mapping to userName"' not in html
    assert "<legend>Add new mapping</legend>" in html
    assert '<option value="nickName">' not in html  # not a row, and nothing discovered


def test_a_constant_and_a_direct_mapping_reach_the_next_create(generic, console_app):
    tenant, client, csrf = generic
    shown = add(client, csrf, tenant, "constant", "nickName", "Contractor")
    assert shown == ['Mapping changed: "Contractor" → nickName. The next cycle evaluates '
                     'every user with the new mappings.']
    add(client, csrf, tenant, "direct", "profileUrl", "mailNickname")
    html = client.get("/console/simulator").get_data(as_text=True)
    assert user_rows(html)[-2:] == ["nickName", "profileUrl"]
    assert 'Your edits: "Contractor" → nickName; mailNickname → profileUrl.' in unescape(html)
    start(console_app, client, csrf)
    users = {u.userPrincipalName: u for u in the_simulation(console_app, client)
             .directory.users}
    bodies = created_bodies(tenant)
    assert bodies and all(b["nickName"] == "Contractor" for b in bodies)
    assert all(b["profileUrl"] == users[b["userName"]].mailNickname for b in bodies)


def test_a_removed_mapping_is_no_longer_sent(generic, console_app):
    tenant, client, csrf = generic
    edit(client, csrf, tenant, edit="remove title")
    assert "title" not in user_rows(client.get("/console/simulator").get_data(as_text=True))
    start(console_app, client, csrf)
    assert created_bodies(tenant) and all("title" not in b for b in created_bodies(tenant))


def test_another_matching_attribute_changes_the_match_query(generic, console_app):
    tenant, client, csrf = generic
    edit(client, csrf, tenant, edit="matching externalId")
    assert "Matching attribute: externalId" in page_text(client)
    start(console_app, client, csrf)
    queries = [unquote(e.to_dict()["query"]) for e in tenant.journal.entries()
               if e.operation == "match query"]
    assert queries and all(q.startswith("filter=externalId eq ") for q in queries)


def test_matching_on_an_attribute_the_target_cannot_filter_is_warned(signed_in):
    """The SCIM endpoint tutorial: the target must support filtering on the matching
    attribute (Velpic's table does not list displayName as filterable)."""
    sandbox, client, csrf = signed_in
    tenant = sandbox.create_tenant("velpic")
    save(client, csrf, tenant)
    shown = flashes(edit(client, csrf, tenant, edit="matching displayName")
                    .get_data(as_text=True))
    assert shown[-1] == ("Warning: Velpic does not support filtering on displayName: the "
                         "target must filter on the matching attribute, or every match "
                         "query fails.")
    assert "Warning: Velpic does not support filtering on displayName" in page_text(client)


@pytest.mark.parametrize(("fields", "message"), [
    ({"edit": "remove userName"}, "userName is the matching attribute"),
    ({"edit": "remove nosuch"}, "No mapping has the target attribute 'nosuch'"),
    ({"edit": "add", "kind": "direct", "target": "nickName", "source_attribute": "shoeSize"},
     "'shoeSize' is not a source attribute"),
    ({"edit": "add", "kind": "constant", "target": "nickName", "constant_value": " "},
     "A constant mapping needs a value"),
    ({"edit": "add", "kind": "expression", "target": "nickName"}, "Direct or Constant"),
    ({"edit": "add", "kind": "direct", "target": "", "source_attribute": "city"},
     "Enter the target attribute"),
    ({"edit": "rename title"}, "That is not a mapping edit"),
])
def test_an_edit_that_cannot_apply_changes_nothing(generic, console_app, fields, message):
    tenant, client, csrf = generic
    shown = flashes(edit(client, csrf, tenant, **fields).get_data(as_text=True))
    assert len(shown) == 1 and shown[0].startswith("Mapping not changed:")
    assert message in shown[0]
    assert the_simulation(console_app, client).mapping_edits.edits == ()


def test_a_change_restarts_provisioning_and_restore_drops_the_edits(generic, console_app):
    tenant, client, csrf = generic
    save(client, csrf, tenant, token="wrong-token-123")
    start(console_app, client, csrf)
    simulation = the_simulation(console_app, client)
    assert simulation.state.quarantine is not None
    simulation.pending_changes.clear()
    edit(client, csrf, tenant, edit="remove title")
    assert simulation.state.quarantine is None  # a restart, as Entra does on a change
    assert simulation.pending_changes == ["changed the attribute mappings: remove title"]
    shown = flashes(edit(client, csrf, tenant, edit="restore").get_data(as_text=True))
    assert shown == ["Default mappings restored. The next cycle evaluates every user with "
                     "them."]
    assert simulation.mapping_edits.edits == ()
    assert "title" in user_rows(client.get("/console/simulator").get_data(as_text=True))


def test_edits_hold_only_for_the_vendor_they_were_made_for(generic, console_app, signed_in):
    tenant, client, csrf = generic
    edit(client, csrf, tenant, edit="remove title")
    other = signed_in[0].create_tenant("olfeo")
    save(client, csrf, other)
    html = client.get("/console/simulator").get_data(as_text=True)
    assert "Your edits" not in html
    assert the_simulation(console_app, client).mapping_edits.vendor == "generic"


def test_saving_a_gallery_apps_settings_discovers_its_schemas(signed_in, console_app):
    sandbox, client, csrf = signed_in
    tenant = sandbox.create_tenant("velpic")
    html = save(client, csrf, tenant)
    assert "schema discovery" in operations(tenant)
    found = the_simulation(console_app, client).discovered.schemas
    assert found.count > 0 and found.problem is None
    assert (f"Schema discovery: GET /Schemas found {found.count} target attributes "
            f"({len(found.users)} for users, {len(found.groups)} for groups); the mapping "
            "editor offers them.") in flashes(html)
    extra = sorted(set(found.users) - set(user_rows(html)))
    assert extra  # attributes the default rows do not write
    assert f'<option value="{extra[0]}"></option>' in unescape(html)


def test_a_non_gallery_app_is_not_asked_for_its_schemas(generic, console_app):
    tenant, client, _ = generic
    assert "schema discovery" not in operations(tenant)
    assert the_simulation(console_app, client).discovered is None
