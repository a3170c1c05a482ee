"""Saving a gallery app's settings reads its `/Schemas` (Microsoft's SCIM endpoint tutorial,
"/Schemas (Schema discovery)"). The answer is the endpoint's: one that is a ListResponse but
holds a malformed attribute definition (RFC 7643 §7: `subAttributes` is a list) still saves
the settings and reports what was found, never an error page."""

from __future__ import annotations

from simulator_client import flashes, the_simulation

from sandbox.constants import USER_SCHEMA

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def test_a_malformed_schema_answer_saves_and_reports_what_was_read(signed_in, console_app):
    sandbox, client, csrf = signed_in
    tenant = sandbox.create_tenant("velpic")
    schema = {"id": USER_SCHEMA, "attributes": [
        {"name": "emails", "type": "complex", "multiValued": True, "subAttributes": 5},
        {"name": "nickName", "type": "string"}]}
    tenant.faults.add({"method": "GET", "path": "/Schemas$", "status": 200, "body": {
        "schemas": [LIST_RESPONSE], "totalResults": 1, "Resources": [schema]}})
    answer = client.post("/console/simulator/settings", data={
        "csrf_token": csrf, "tenant_url": "http://localhost" + tenant.path,
        "token": tenant.token, "provisioning_mode": "Automatic", "scope": "assigned"})
    assert answer.status_code == 302
    html = client.get("/console/simulator").get_data(as_text=True)
    simulation = the_simulation(console_app, client)
    assert simulation.settings.tenant_url.endswith(tenant.path)
    assert simulation.discovered.schemas.users == ["nickName"]
    assert ("Schema discovery: GET /Schemas found 1 target attribute (1 for users, 0 for "
            "groups); the mapping editor offers them.") in flashes(html)
