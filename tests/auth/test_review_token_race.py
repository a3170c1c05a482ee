"""The token endpoint checks the client and issues its tokens under the store's lock, the
lock a secret rotation holds, so no token is issued for a secret rotated away meanwhile."""

from __future__ import annotations

import threading

from auth_support import basic, make_tenant, token_request


def _lock_is_free_to_others(lock) -> bool:
    """Whether another thread could take `lock` now (asked without waiting)."""
    taken: list[bool] = []

    def try_it() -> None:
        got = lock.acquire(blocking=False)
        if got:
            lock.release()
        taken.append(got)

    other = threading.Thread(target=try_it)
    other.start()
    other.join()
    return taken[0]


def test_the_client_check_and_the_issue_happen_under_the_rotation_lock(app, client,
                                                                      monkeypatch):
    registry = app.extensions["scim_sandbox"]
    tenant = make_tenant(client, "authclient")
    seen: dict[str, bool] = {}
    check_client, issue_tokens = registry.check_client, registry.oauth.issue_tokens

    def checking(*args, **kwargs):
        seen["check"] = _lock_is_free_to_others(registry.store.lock)
        return check_client(*args, **kwargs)

    def issuing(*args, **kwargs):
        seen["issue"] = _lock_is_free_to_others(registry.store.lock)
        return issue_tokens(*args, **kwargs)

    monkeypatch.setattr(registry, "check_client", checking)
    monkeypatch.setattr(registry.oauth, "issue_tokens", issuing)
    response = token_request(client, tenant, {"grant_type": "client_credentials"},
                             basic(tenant["client_id"], tenant["client_secret"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert seen == {"check": False, "issue": False}
