"""`serve --demo-vendors a,b` (or SCIM_SANDBOX_DEMO_VENDORS) adds demo tenants of those
vendors to the core profiles' six, printed with their Tenant URL and token and answering;
an id that is no vendor is one `Error:` line naming the close ones."""

from __future__ import annotations

from cli_support import ADMIN_TOKEN, assert_error, call, clean_env, free_port, run_cli, serve


def test_demo_vendors_get_a_demo_tenant_beside_the_core_six(tmp_path):
    served = serve(tmp_path / "d.json", "--demo-vendors", "asana, miro")
    try:
        assert set(served.tokens) == {"Generic SCIM 2.0", "Olfeo SAAS", "Vault Platform",
                                      "Velpic", "Veritas Enterprise Vault.cloud",
                                      "Visitly", "Asana", "Miro"}
        assert f"{served.url.replace('127.0.0.1', 'localhost')}/asana/asana-demo/scim/v2" \
            in served.banner
        status, tenants = call(f"{served.url}/_sandbox/tenants", ADMIN_TOKEN)
        assert status == 200
        urls = {t["vendor"]: t["tenant_url"] for t in tenants["tenants"]}
        assert len(urls) == 8
        for vendor, name in (("asana", "Asana"), ("miro", "Miro")):
            status, listed = call(urls[vendor] + "/Users", served.tokens[name])
            assert status == 200 and listed["totalResults"] == 0
    finally:
        served.stop()


def test_the_environment_variable_names_them_too(tmp_path):
    served = serve(tmp_path / "d.json", env=clean_env(SCIM_SANDBOX_DEMO_VENDORS="figma"))
    try:
        assert "Figma" in served.tokens and len(served.tokens) == 7
    finally:
        served.stop()


def test_by_default_only_the_core_profiles_have_demo_tenants(tmp_path):
    served = serve(tmp_path / "d.json")
    try:
        assert len(served.tokens) == 6 and "Asana" not in served.tokens
    finally:
        served.stop()


def test_an_unknown_demo_vendor_is_one_error_line_naming_close_ids(tmp_path):
    result = run_cli("serve", "--port", str(free_port()), "--data", str(tmp_path / "d.json"),
                     "--demo-vendors", "asana,asanna")
    assert_error(result, 1, "--demo-vendors", "'asanna'", "asana")
    assert not (tmp_path / "d.json").exists()  # refused before the data file was opened
