"""A durable sandbox restarted with `--token` (or SCIM_SANDBOX_TOKEN) gives its demo tenants
that token; their users stay. Without one, the stored token stays."""

from __future__ import annotations

from cli_support import call, clean_env, serve

from sandbox import create_app
from sandbox.store import Store

USER = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "kept@x.org"}


def test_a_token_given_on_restart_replaces_the_stored_one_and_the_data_stays(tmp_path):
    data = tmp_path / "sandbox.json"
    first = serve(data)
    old = first.tokens["Generic SCIM 2.0"]
    generic = f"{first.url}/generic/generic-demo/scim/v2/Users"
    status, made = call(generic, old, "POST", USER)
    assert status == 201, made
    first.stop()

    second = serve(data, "--token", "demo-token-123")
    try:
        assert set(second.tokens.values()) == {"demo-token-123"}, second.banner
        generic = f"{second.url}/generic/generic-demo/scim/v2/Users"
        status, found = call(generic + "?filter=userName%20eq%20%22kept@x.org%22",
                             "demo-token-123")
        assert status == 200 and found["totalResults"] == 1, found
        assert found["Resources"][0]["id"] == made["id"]
        assert call(generic, old)[0] == 401
        # Visitly's URL names no tenant: it is found by its token alone.
        assert call(f"{second.url}/v1/usersync/SCIM/Users", "demo-token-123")[0] == 200
        assert call(f"{second.url}/v1/usersync/SCIM/Users", first.tokens["Visitly"])[0] == 401
    finally:
        second.stop()

    # The new token is the stored one now: a start without --token keeps it.
    third = serve(data)
    try:
        assert set(third.tokens.values()) == {"demo-token-123"}, third.banner
        assert call(f"{third.url}/generic/generic-demo/scim/v2/Users", "demo-token-123")[0] == 200
    finally:
        third.stop()


def test_the_environment_variable_does_the_same(tmp_path):
    data = tmp_path / "sandbox.json"
    serve(data).stop()
    again = serve(data, env=clean_env(SCIM_SANDBOX_TOKEN="env-token-4567"))
    try:
        assert set(again.tokens.values()) == {"env-token-4567"}, again.banner
        assert call(f"{again.url}/olfeo/olfeo-demo/scim/v2/Users", "env-token-4567")[0] == 200
    finally:
        again.stop()


def test_without_a_token_a_restart_keeps_each_stored_token(tmp_path):
    data = tmp_path / "sandbox.json"
    first = serve(data)
    first.stop()
    second = serve(data)
    second.stop()
    assert second.tokens == first.tokens and len(set(first.tokens.values())) > 1


def test_create_app_moves_every_lookup_and_the_stored_record_to_the_new_token(tmp_path):
    data = tmp_path / "sandbox.json"
    app = create_app({"admin_token": "a" * 12, "data_file": data})
    sandbox = app.extensions["scim_sandbox"]
    old = sandbox.tenant("visitly-demo").token
    sandbox.store.close()

    app = create_app({"admin_token": "a" * 12, "data_file": data, "demo_token": "new-token-1"})
    sandbox = app.extensions["scim_sandbox"]
    visitly = sandbox.tenant("visitly-demo")
    assert sandbox.authenticate("visitly", None, "new-token-1") is visitly
    assert sandbox.authenticate("visitly", None, old) is None
    assert sandbox.token_matches(visitly, "new-token-1")
    assert not sandbox.token_matches(visitly, old)
    sandbox.store.close()
    with Store.open(data) as store:
        assert {t["token"] for t in store.tenants()} == {"new-token-1"}
