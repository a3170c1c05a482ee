"""Stubbed answers from an outside project: `tenant.fault(...)` with the admin API's stub
fields, the client under test sees exactly the stub's answer, the journal marks it."""

from __future__ import annotations


def test_a_project_stubs_a_broken_answer_through_the_fixture(pytester, run_inner):
    pytester.makepyfile("""
        import json

        import pytest

        def test_a_200_without_id_then_a_truncated_body(scim_tenant):
            tenant = scim_tenant("generic")
            no_id = tenant.fault(operation="create user", status=200, times=1,
                                 body={"userName": "ann"})
            cut = tenant.fault(method="GET", status=200, times=1, body_text='{"Resources": [')
            created = tenant.client.post("/Users", json={"userName": "ann"})
            assert created.status_code == 200 and "id" not in created.json()
            assert "Location" not in created.headers
            assert tenant.users() == []          # the stub stored nothing
            listed = tenant.client.get("/Users")
            assert listed.content == b'{"Resources": ['
            with pytest.raises(ValueError):
                json.loads(listed.text)
            assert [e["fault"] for e in tenant.journal()] == [no_id["id"], cut["id"]]
            assert [f["fired"] for f in tenant.faults()] == [1, 1]

        def test_body_contains_picks_the_request(scim_tenant):
            tenant = scim_tenant()
            tenant.fault(status=502, body_text="<html>Bad Gateway</html>",
                         headers={"Content-Type": "text/html"},
                         body_contains={"userName": "bob"})
            assert tenant.client.post("/Users", json={"userName": "ann"}).status_code == 201
            bob = tenant.client.post("/Users", json={"userName": "bob"})
            assert bob.status_code == 502 and bob.headers["content-type"] == "text/html"
            assert bob.text == "<html>Bad Gateway</html>"
            assert [u["userName"] for u in tenant.users()] == ["ann"]

        def test_a_live_tenant_sends_the_stub_over_a_socket(scim_tenant):
            tenant = scim_tenant(live=True)
            tenant.fault(status=500, body_text="<h1>proxy error</h1>",
                         headers={"Content-Type": "text/html", "Via": "1.1 proxy"})
            answer = tenant.client.get("/Users")
            assert tenant.url.startswith("http://127.0.0.1:")
            assert answer.status_code == 500 and answer.text == "<h1>proxy error</h1>"
            assert answer.headers["via"] == "1.1 proxy"

        def test_a_bad_stub_is_refused_by_name(scim_tenant):
            with pytest.raises(ValueError, match="body_text"):
                scim_tenant().fault(status=200, body={"a": 1}, body_text="x")
    """)
    run_inner().assert_outcomes(passed=4)
