"""The Docker image, run as a user would run it: health, the demo tenants it prints, a SCIM
round trip per vendor, configuration by environment, durable data on a volume across restarts,
a non-root user, and a clean stop on `docker stop`.

The image is built once per session (or named by $SCIM_SANDBOX_IMAGE); most tests share one
container, and only those that restart or stop one start their own.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from scim_client import valid_user

from sandbox.testing.containers import SandboxContainer, http_json, sandbox_container_fixture

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
VERITAS = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User"
VENDORS = ["generic", "velpic", "visitly", "vaultplatform", "olfeo", "veritas"]
PUBLIC_URL = "https://scim.example.test"
# The demo tenants' token of the containers the tests start themselves; the shared container
# has its own (conftest.py), read back from `.token` and `.admin_token`.
TOKEN = "image-test-token"
# `serve` prints each demo tenant as "  <name>  Tenant URL:   <url>\n  <pad>  Secret Token: <t>".
TENANT_LINES = re.compile(r"^  (\S.*?)\s+Tenant URL:\s+(\S+)\n\s+Secret Token:\s+(\S+)$", re.M)


def call(method: str, url: str, token: str | None, body: Any = None) -> tuple[int, Any]:
    return http_json(method, url, body, token)


def demo_tenant(container: SandboxContainer, vendor: str) -> dict[str, Any]:
    """The demo tenant `serve` made for `vendor`, as the admin API shows it."""
    return next(t for t in container.tenants() if t["id"] == f"{vendor}-demo")


def local_url(container: SandboxContainer, tenant_url: str) -> str:
    """A tenant URL as printed or returned (any root) moved onto the container's port."""
    path = re.sub(r"^https?://[^/]+", "", tenant_url)
    return container.url + path


@pytest.mark.docker
def test_health(scim_sandbox_container):
    status, body = call("GET", scim_sandbox_container.url + "/_sandbox/health", None)
    assert (status, body) == (200, {"status": "ok"})


@pytest.mark.docker
def test_the_images_healthcheck_passes(scim_sandbox_container):
    # Docker's first probe comes only after the interval; run the image's probe ourselves.
    check = scim_sandbox_container.container.attrs["Config"]["Healthcheck"]
    assert check["Test"][0] == "CMD", check
    code, output = scim_sandbox_container.exec(*check["Test"][1:])
    assert code == 0, output


@pytest.mark.docker
def test_every_vendors_demo_tenant_is_printed_in_the_log(scim_sandbox_container):
    container = scim_sandbox_container
    status, body = container.admin("GET", "/_sandbox/vendors")
    assert status == 200, body
    # Demo tenants at start are the hand-written profiles'; the gallery's apps are served too.
    names = {v["name"]: v["id"] for v in body["vendors"] if not v["gallery"]}
    assert sorted(names.values()) == sorted(VENDORS)

    printed = {name: (url, token) for name, url, token in TENANT_LINES.findall(container.logs())}
    assert set(printed) == set(names), container.logs()
    for name, (url, token) in printed.items():
        assert token == container.token, name
        # What an admin would paste works, once moved onto the port Docker published.
        status, body = call("GET", local_url(container, url) + "/Users", token)
        assert status == 200, (name, url, body)
        assert url == demo_tenant(container, names[name])["tenant_url"].replace(
            container.url, "http://localhost:8000")


@pytest.mark.docker
@pytest.mark.parametrize("vendor", VENDORS)
def test_scim_round_trip(scim_sandbox_container, vendor):
    tenant = demo_tenant(scim_sandbox_container, vendor)
    token = scim_sandbox_container.token
    user_name = f"round-trip-{uuid.uuid4().hex[:8]}@example.test"
    status, created = call("POST", tenant["tenant_url"] + "/Users", token,
                           valid_user(vendor, user_name))
    assert status == 201, created
    status, fetched = call("GET", f"{tenant['tenant_url']}/Users/{created['id']}", token)
    assert status == 200, fetched
    assert fetched["userName"] == user_name
    assert fetched["id"] == created["id"]
    if vendor == "vaultplatform":
        assert fetched[ENTERPRISE]["employeeNumber"] == "1815"
    if vendor == "veritas":
        assert fetched[VERITAS]["emailAliases"] == [f"alias.{user_name.split('@')[0]}@example.test"]


@pytest.mark.docker
def test_tokens_come_from_the_environment(scim_sandbox_container):
    container = scim_sandbox_container
    token, admin_token = container.token, container.admin_token
    assert token and admin_token
    config = container.container.attrs["Config"]
    # Only the environment carries them: the command is the image's own.
    assert config["Cmd"] == ["scim-sandbox", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert f"SCIM_SANDBOX_TOKEN={token}" in config["Env"]
    assert f"SCIM_SANDBOX_ADMIN_TOKEN={admin_token}" in config["Env"]

    tenants = container.url + "/_sandbox/tenants"
    assert call("GET", tenants, admin_token)[0] == 200
    assert call("GET", tenants, "not-the-admin-token")[0] == 401
    users = demo_tenant(container, "generic")["tenant_url"] + "/Users"
    assert call("GET", users, token)[0] == 200
    assert call("GET", users, "not-the-demo-token")[0] == 401


@pytest.mark.docker
def test_other_settings_come_from_the_environment(start_container):
    container = start_container(token=TOKEN, env={
        "SCIM_SANDBOX_PUBLIC_URL": PUBLIC_URL,
        "SCIM_SANDBOX_JOURNAL_SIZE": "2",
        "SCIM_SANDBOX_SEED_USERS": "3",
        "SCIM_SANDBOX_SEED": "7",
    })
    assert f"Tenant URL:   {PUBLIC_URL}/generic/generic-demo/scim/v2" in container.logs()
    tenant = demo_tenant(container, "generic")
    assert tenant["tenant_url"] == f"{PUBLIC_URL}/generic/generic-demo/scim/v2"
    assert tenant["resources"]["User"] == 3  # seeded at start
    for _ in range(3):
        assert call("GET", local_url(container, tenant["tenant_url"]) + "/Users", TOKEN)[0] == 200
    status, journal = container.admin("GET", "/_sandbox/tenants/generic-demo/journal")
    assert status == 200, journal
    assert len(journal["entries"]) == 2  # the journal keeps SCIM_SANDBOX_JOURNAL_SIZE requests


@pytest.mark.docker
def test_durable_data_on_a_volume_survives_restarts(docker_client, start_container):
    volume = docker_client.volumes.create(f"scim-sandbox-test-{uuid.uuid4().hex[:8]}")
    try:
        options = {"token": TOKEN, "volumes": {volume.name: "/data"},
                   "env": {"SCIM_SANDBOX_DATA": "/data/sandbox.json"}}
        first = start_container(**options)
        users = demo_tenant(first, "generic")["tenant_url"] + "/Users"
        status, user = call("POST", users, TOKEN, valid_user("generic", "durable@example.test"))
        assert status == 201, user

        first.restart()  # same container, same volume (the port may change)
        users = demo_tenant(first, "generic")["tenant_url"] + "/Users"
        assert call("GET", f"{users}/{user['id']}", TOKEN)[0] == 200

        assert first.stop() == 0
        first.remove()
        second = start_container(**options)  # a new container on the same volume
        users = demo_tenant(second, "generic")["tenant_url"] + "/Users"
        status, again = call("GET", f"{users}/{user['id']}", TOKEN)
        assert status == 200, again
        assert again["userName"] == "durable@example.test"
        assert len(second.tenants()) == len(VENDORS)  # the demo tenants were not made twice
        code, listing = second.exec("ls", "/data")
        assert code == 0 and "sandbox.json" in listing.split(), listing
    finally:
        for container in docker_client.containers.list(all=True, filters={"volume": volume.name}):
            container.remove(force=True)
        volume.remove(force=True)


@pytest.mark.docker
def test_runs_as_a_non_root_user(scim_sandbox_container):
    assert scim_sandbox_container.container.attrs["Config"]["User"] == "10001:10001"
    code, uid = scim_sandbox_container.exec("id", "-u")
    assert code == 0
    assert uid.strip() == "10001"


@pytest.mark.docker
def test_the_image_holds_only_what_the_build_needs(scim_sandbox_container):
    # .dockerignore is an allowlist: no tests, .git, .venv or caches reach the image.
    code, listing = scim_sandbox_container.exec("ls", "-A", "/opt/scim-sandbox")
    assert code == 0, listing
    assert sorted(listing.split()) == ["LICENSE", "README.md", "pyproject.toml", "sandbox",
                                       "seed", "vendors"]
    code, caches = scim_sandbox_container.exec("find", "/opt/scim-sandbox", "-name",
                                               "__pycache__")
    assert (code, caches.strip()) == (0, "")


@pytest.mark.docker
def test_docker_stop_is_a_clean_stop(start_container):
    container = start_container()
    started = time.monotonic()
    code = container.stop(timeout=10)
    elapsed = time.monotonic() - started
    assert code == 0, container.logs()  # not 137: SIGTERM ended it, no SIGKILL was needed
    assert elapsed < 8, f"docker stop took {elapsed:.1f} s"
    assert container.logs().rstrip().endswith("scim-sandbox stopped."), container.logs()


def test_the_fixture_skips_when_no_daemon_answers(pytester, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    pytester.makepyfile("""
        import pytest
        from sandbox.testing.containers import sandbox_container_fixture

        @pytest.fixture
        def scim_sandbox_container():
            yield from sandbox_container_fixture()

        def test_needs_docker(scim_sandbox_container):
            pass
    """)
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no Docker daemon reachable:*/nonexistent/docker.sock*"])


@pytest.mark.docker
def test_the_fixture_skips_when_the_image_is_absent(docker_client):
    fixture = sandbox_container_fixture("scim-sandbox:no-such-tag")
    with pytest.raises(pytest.skip.Exception, match="'scim-sandbox:no-such-tag' not found"):
        next(fixture)
