"""`serve` and `vendors` refuse what they cannot do with one `Error:` line, never a traceback:
exit status 2 for a bad option, 1 for what goes wrong after the options were read."""

from __future__ import annotations

import socket

from cli_support import ADMIN_TOKEN, assert_error, clean_env, free_port, run_cli

from sandbox.vendors import bundled_vendors_dir


def test_a_port_in_use_is_an_error_line_and_no_banner(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--host", "127.0.0.1", "--port", str(port),
                         "--admin-token", ADMIN_TOKEN, "--data", str(tmp_path / "d.json"))
    line = assert_error(result, 1, f"127.0.0.1:{port}", "--port")
    assert "in use" in line
    assert "listening on" not in result.stdout  # it never said it was serving


def test_a_host_that_is_not_this_machines_is_an_error_line():
    result = run_cli("serve", "--host", "no-such-host.invalid", "--port", str(free_port()))
    assert_error(result, 1, "no-such-host.invalid", "--host")


def test_a_public_url_that_is_not_an_http_url_is_a_usage_error():
    result = run_cli("serve", "--port", str(free_port()), "--public-url", "scim.example.com")
    assert_error(result, 2, "--public-url", "'scim.example.com'", "http(s)")


def test_a_too_short_token_from_the_environment_is_a_usage_error():
    result = run_cli("serve", "--port", str(free_port()), env=clean_env(SCIM_SANDBOX_TOKEN="tok"))
    assert_error(result, 2, "SCIM_SANDBOX_TOKEN", "at least 8")


def test_a_token_with_a_space_is_a_usage_error():
    result = run_cli("serve", "--port", str(free_port()), "--token", "demo token 123")
    assert_error(result, 2, "--token", "no spaces")


def test_a_data_file_in_a_missing_folder_is_refused_and_no_folder_is_made(tmp_path):
    missing = tmp_path / "no" / "such"
    result = run_cli("serve", "--port", str(free_port()), "--data", str(missing / "x.json"))
    assert_error(result, 2, "--data", str(missing), "does not exist")
    assert not (tmp_path / "no").exists()


def test_a_tenant_of_a_vendor_no_longer_loaded_is_an_error_line(tmp_path):
    extra = tmp_path / "profiles"
    extra.mkdir()
    profile = (bundled_vendors_dir() / "generic.toml").read_text()
    assert 'id = "generic"' in profile
    (extra / "acme.toml").write_text(profile.replace('id = "generic"', 'id = "acme"', 1)
                                     .replace("/generic/", "/acme/"))
    data = tmp_path / "d.json"
    made = run_cli("vendors", "--vendors", str(extra))
    assert made.returncode == 0 and "acme" in made.stdout, made.stdout + made.stderr

    # The demo tenants of a first start with the extra profiles include `acme-demo`.
    from sandbox import create_app
    app = create_app({"admin_token": ADMIN_TOKEN, "data_file": data, "vendors_dirs": [extra]})
    app.extensions["scim_sandbox"].store.close()

    result = run_cli("serve", "--port", str(free_port()), "--data", str(data))
    assert_error(result, 1, "acme-demo", "'acme'", "--vendors")


def test_a_data_file_whose_log_cannot_be_opened_is_an_error_line(tmp_path):
    data = tmp_path / "d.json"
    (tmp_path / "d.json.log").mkdir()  # where the change log should be, a folder
    result = run_cli("serve", "--port", str(free_port()), "--data", str(data))
    assert_error(result, 1, "d.json.log")


def test_vendors_with_a_broken_profile_is_an_error_line(tmp_path):
    (tmp_path / "broken.toml").write_text("id = [unclosed\n")
    result = run_cli("vendors", "--vendors", str(tmp_path))
    assert_error(result, 1, "broken.toml")
