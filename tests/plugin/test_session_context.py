"""`ScimSandbox` outside pytest: `with ScimSandbox.start() as sandbox:` closes it on exit."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from sandbox.testing import ScimSandbox

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _health(url: str) -> int:
    with NO_PROXY.open(url + "/_sandbox/health", timeout=5) as answer:
        return answer.status


def test_with_block_gives_a_working_sandbox_and_stops_its_server_on_exit():
    with ScimSandbox.start() as sandbox:
        tenant = sandbox.tenant("olfeo", seed_users=3, seed=1)
        assert tenant.client.get("/Users").json()["totalResults"] == 3
        live = sandbox.tenant("generic", live=True)
        url = sandbox.live_url
        assert _health(url) == 200
        assert live.client.post("/Users", json={"userName": "ann"}).status_code == 201
        assert not sandbox.closed
    assert sandbox.closed
    assert sandbox.server is not None
    with pytest.raises(urllib.error.URLError):
        _health(url)


def test_with_block_closes_the_sandbox_when_the_body_raises():
    with pytest.raises(KeyError), ScimSandbox.start() as sandbox:
        url = sandbox.live_url
        raise KeyError("boom")
    assert sandbox.closed
    with pytest.raises(urllib.error.URLError):
        _health(url)


def test_close_inside_the_block_is_harmless_and_a_closed_sandbox_serves_no_more():
    with ScimSandbox.start() as sandbox:
        sandbox.close()
    with pytest.raises(RuntimeError, match="closed; start a new one"):
        sandbox.live_url  # noqa: B018 (the property starts a server)
