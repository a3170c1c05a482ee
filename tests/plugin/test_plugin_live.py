"""Live tenants: a real URL on a free 127.0.0.1 port, one server per session, stopped at the
end; reachable by any HTTP client, not only ours."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from sandbox.testing import ScimSandbox

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def test_a_plain_urllib_client_reaches_a_live_tenant(pytester, run_inner):
    pytester.makepyfile("""
        import json
        import urllib.request
        from urllib.parse import urlsplit

        def test_live(scim_tenant, scim_sandbox):
            tenant = scim_tenant("generic", live=True)
            where = urlsplit(tenant.url)
            assert where.scheme == "http" and where.hostname == "127.0.0.1" and where.port
            assert scim_sandbox.live_url == f"http://127.0.0.1:{where.port}"
            request = urllib.request.Request(
                tenant.url + "/Users", method="POST",
                data=json.dumps({"userName": "ann"}).encode(),
                headers={"Authorization": f"Bearer {tenant.token}",
                         "Content-Type": "application/scim+json"})
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(request, timeout=10) as answer:
                assert answer.status == 201
                body = json.load(answer)
            assert body["meta"]["location"] == f"{tenant.url}/Users/{body['id']}"
            assert [u["userName"] for u in tenant.users()] == ["ann"]
            tenant.assert_received("create user", userName="ann")
            assert tenant.client.get(body["meta"]["location"]).json()["userName"] == "ann"
    """)
    run_inner().assert_outcomes(passed=1)


def test_two_live_tenants_in_one_session_share_one_server(scim_tenant, scim_sandbox):
    one, two = scim_tenant(live=True), scim_tenant("olfeo", live=True)
    assert urlsplit(one.url).netloc == urlsplit(two.url).netloc
    assert scim_sandbox.server is not None and scim_sandbox.server.running
    assert scim_sandbox.server.url == f"http://{urlsplit(one.url).netloc}"
    assert scim_sandbox.server.host == "127.0.0.1"  # nothing listens beyond loopback
    in_process = scim_tenant()
    assert in_process.url.startswith("http://localhost/")
    assert one.client.get("/Users").status_code == two.client.get("/Users").status_code == 200


def test_live_errors_are_responses_not_exceptions(scim_tenant):
    tenant = scim_tenant(live=True)
    refused = tenant.client.get("/Users", headers={"Authorization": "Bearer wrong-token"})
    assert refused.status_code == 401
    assert refused.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert refused.headers["content-type"].startswith("application/scim+json")
    missing = tenant.client.get("/Users/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    deleted = tenant.client.delete(
        tenant.client.post("/Users", json={"userName": "ann"}).json()["meta"]["location"])
    assert deleted.status_code == 204 and deleted.json() is None and deleted.text == ""


def test_live_server_takes_concurrent_clients(scim_tenant):
    tenant = scim_tenant(live=True)
    statuses: list[int] = []

    def create(worker: int) -> None:
        for n in range(10):
            answer = tenant.client.post("/Users", json={"userName": f"user{worker}-{n}"})
            statuses.append(answer.status_code)

    threads = [threading.Thread(target=create, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [201] * 80
    assert len(tenant.users()) == 80
    assert len(tenant.journal(operation="create user")) == 80


def test_closing_the_sandbox_stops_its_server():
    sandbox = ScimSandbox.start()
    tenant = sandbox.tenant("generic", live=True)
    assert tenant.client.get("/Users").status_code == 200
    server = sandbox.server
    assert server is not None and server.running
    sandbox.close()
    assert not server.running
    with pytest.raises(urllib.error.URLError):
        NO_PROXY.open(f"{tenant.url}/Users", timeout=5)


def test_open_connections_do_not_keep_a_stopped_server_running():
    import http.client

    sandbox = ScimSandbox.start()
    port = urlsplit(sandbox.live_url).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/_sandbox/health")
    assert json.loads(connection.getresponse().read()) == {"status": "ok"}
    server = sandbox.server
    sandbox.close()  # the connection above is still open (HTTP/1.1 keep-alive)
    assert server is not None and not server.running
    connection.close()


def test_admin_client(scim_sandbox, scim_tenant):
    tenant = scim_tenant("visitly")
    answer = scim_sandbox.admin_client().get(f"/tenants/{tenant.id}")
    assert answer.status_code == 200 and answer.json()["tenant_url"] == tenant.url
