"""The fixtures as a project uses them: inner test files run by pytester, fixtures from the
entry point. In process by default; isolation and teardown between tests; seeding."""

from __future__ import annotations


def test_in_process_tenant_has_url_token_and_a_ready_client(pytester, run_inner):
    pytester.makepyfile("""
        def test_tenant(scim_tenant):
            tenant = scim_tenant("olfeo")
            assert tenant.vendor == "olfeo" and not tenant.live
            assert tenant.url == "http://localhost" + tenant.path
            assert tenant.url.endswith("/scim/v2") and tenant.id in tenant.url
            assert len(tenant.token) >= 16
            created = tenant.client.post("/Users", json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "ann@example.com", "active": True,
                "name": {"givenName": "Ann", "familyName": "Lee"},
                "emails": [{"value": "ann@example.com", "type": "work", "primary": True}],
            })
            assert created.status_code == 201, created.text
            assert created.headers["content-type"].startswith("application/scim+json")
            assert created.headers["Location"] == created.json()["meta"]["location"]
            listed = tenant.client.get("/Users", params={"filter": 'userName eq "ann@example.com"'})
            assert listed.json()["totalResults"] == 1
            again = tenant.client.get(created.json()["meta"]["location"])
            assert again.status_code == 200 and again.json()["userName"] == "ann@example.com"
            assert [u["userName"] for u in tenant.users()] == ["ann@example.com"]
            assert tenant.groups() == []

        def test_default_vendor_is_generic(scim_tenant, scim_sandbox):
            tenant = scim_tenant()
            assert tenant.vendor == "generic"
            assert scim_sandbox.registry.tenant(tenant.id) is tenant.service
            assert scim_sandbox.server is None  # no live tenant: no socket was opened
    """)
    run_inner().assert_outcomes(passed=2)


def test_tenants_are_isolated_and_deleted_at_teardown(pytester, run_inner):
    pytester.makepyfile("""
        import pytest

        made = {}

        def test_a(scim_tenant):
            tenant = scim_tenant(token="shared-token-123")
            assert tenant.client.post("/Users", json={"userName": "ann"}).status_code == 201
            made["a"] = tenant.id

        def test_b(scim_tenant, scim_sandbox):
            assert scim_sandbox.registry.tenant(made["a"]) is None  # deleted at A's teardown
            assert scim_sandbox.registry.tenants() == []
            tenant = scim_tenant(token="shared-token-123")
            assert tenant.id != made["a"]
            assert tenant.users() == []
            assert tenant.client.get("/Users").json()["totalResults"] == 0

        def test_several_tenants_in_one_test(scim_tenant, scim_sandbox):
            one, two = scim_tenant("olfeo"), scim_tenant("olfeo")
            assert one.client.post("/Users", json={"userName": "ann"}).status_code == 201
            assert two.users() == []
            # A token of one tenant never reads another tenant's data.
            other = two.client.get("/Users", headers={"Authorization": f"Bearer {one.token}"})
            assert other.status_code == 401
            assert len(scim_sandbox.registry.tenants()) == 2

        def test_after(scim_sandbox):
            assert scim_sandbox.registry.tenants() == []

        def test_deleting_early_is_fine(scim_tenant, scim_sandbox):
            tenant = scim_tenant("visitly")
            assert tenant.delete() is True
            assert scim_sandbox.registry.tenant(tenant.id) is None
    """)
    # The tests depend on their order (B checks what A left), so no random ordering.
    run_inner("-p", "no:randomly").assert_outcomes(passed=5)


def test_seeded_tenants_have_the_users_and_groups(pytester, run_inner):
    pytester.makepyfile("""
        def test_seeded(scim_tenant):
            tenant = scim_tenant("olfeo", seed_users=5, seed_groups=2, seed=42)
            users, groups = tenant.users(), tenant.groups()
            assert len(users) == 5 and len(groups) == 2
            assert all(g.get("members") for g in groups)
            listed = tenant.client.get("/Users").json()
            assert listed["totalResults"] == 5
            assert len(tenant.journal()) == 1  # the GET above: seeding is not a request
            assert tenant.user(users[0]["userName"].upper())["id"] == users[0]["id"]

        def test_same_seed_same_people(scim_tenant):
            one = scim_tenant("generic", seed_users=3, seed=7)
            two = scim_tenant("generic", seed_users=3, seed=7)
            assert [u["userName"] for u in one.users()] == [u["userName"] for u in two.users()]

        def test_vendor_without_groups_seeds_users_only(scim_tenant):
            tenant = scim_tenant("visitly", seed_users=2, seed_groups=3)
            assert len(tenant.users()) == 2 and tenant.groups() == []

        def test_more_than_a_page(scim_tenant):
            tenant = scim_tenant("generic", seed_users=250)
            assert len(tenant.users()) == 250  # the vendor's page size does not cut it
    """)
    run_inner().assert_outcomes(passed=4)


def test_journal_and_fault_helpers(pytester, run_inner):
    pytester.makepyfile("""
        def test_fault_then_recovery(scim_tenant):
            tenant = scim_tenant("generic")
            fault = tenant.fault(status=429, retry_after=2, times=1)
            assert fault["id"].startswith("f-") and fault["status"] == 429
            first = tenant.client.post("/Users", json={"userName": "ann"})
            assert first.status_code == 429 and first.headers["Retry-After"] == "2"
            second = tenant.client.post("/Users", json={"userName": "ann"})
            assert second.status_code == 201
            assert tenant.faults()[0]["fired"] == 1
            entries = tenant.journal(operation="create user")
            assert [e["status"] for e in entries] == [429, 201]
            assert entries[0]["fault"] == fault["id"] and entries[1]["fault"] is None
            assert tenant.journal(status=429)[0]["request"]["body"] == {"userName": "ann"}
            assert tenant.journal(method="GET") == []
            assert "Bearer [redacted]" in str(entries[0]["request"]["headers"])
            tenant.clear_journal()
            assert tenant.journal() == []
            match_query = {"filter": 'userName eq "x"'}
            tenant.fault(operation="match query", status=503)
            assert tenant.client.get("/Users", params=match_query).status_code == 503
            tenant.clear_faults()
            assert tenant.faults() == []
            assert tenant.client.get("/Users", params=match_query).status_code == 200

        def test_bad_fault_and_bad_label_say_why(scim_tenant):
            import pytest
            tenant = scim_tenant()
            with pytest.raises(ValueError, match="retry_after"):
                tenant.fault(status=500, retry_after=3)
            with pytest.raises(ValueError, match="disable user"):
                tenant.journal(operation="disable")
            with pytest.raises(ValueError, match="Unknown vendor 'nope'; known vendors"):
                scim_tenant("nope")
    """)
    run_inner().assert_outcomes(passed=2)


def test_config_fixture_reaches_create_app(pytester, run_inner):
    pytester.makeconftest("""
        import pytest

        @pytest.fixture(scope="session")
        def scim_sandbox_config():
            return {"journal_size": 2}
    """)
    pytester.makepyfile("""
        def test_small_journal(scim_tenant):
            tenant = scim_tenant()
            for _ in range(3):
                tenant.client.get("/Users")
            assert len(tenant.journal()) == 2
    """)
    run_inner().assert_outcomes(passed=1)


def test_live_option_makes_every_tenant_live(pytester, run_inner):
    pytester.makepyfile("""
        def test_live(scim_tenant):
            tenant = scim_tenant("velpic")
            assert tenant.live and tenant.url.startswith("http://127.0.0.1:")
            assert tenant.client.get("/Users").status_code == 200
            assert not scim_tenant(live=False).live  # a test may still ask for in process
    """)
    run_inner("--scim-sandbox-live").assert_outcomes(passed=1)


def test_option_is_documented_in_help(pytester, run_inner):
    result = run_inner("--help")
    result.stdout.fnmatch_lines(["*scim-sandbox*", "*--scim-sandbox-live*"])


def test_seed_recipes_and_reset(scim_tenant):
    tenant = scim_tenant("olfeo")
    made = tenant.seed(recipe="cast")
    assert made["recipe"] == "cast" and made["users"] == len(tenant.users()) > 0
    assert tenant.seed(users=2, seed=3)["users"] == 2
    tenant.client.get("/Users")
    tenant.reset()
    assert tenant.users() == [] and tenant.groups() == []
    assert len(tenant.journal()) == 1  # the URL, token and journal stay
    assert tenant.client.get("/Users").json()["totalResults"] == 0
