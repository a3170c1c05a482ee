"""`scim-sandbox vendors [QUERY]`: every vendor, or those whose id or name holds the query
(any case), each with its groups, auth kind and rule count; `--json` says the same and names
the gallery records that are not served, with the reason."""

from __future__ import annotations

import json

from cli_support import assert_error, run_cli

from sandbox.vendors.catalog import Catalog


def test_without_a_query_it_lists_every_vendor_core_first_and_says_how_many():
    catalog = Catalog.load()
    result = run_cli("vendors")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "groups", "auth", "rules"]
    ids = [line.split()[0] for line in lines[1:-1]]
    assert ids == list(catalog)
    assert lines[-1].startswith(f"{len(catalog)} vendors; {len(catalog.not_served())} ")


def test_a_query_finds_by_name_in_any_case_and_shows_groups_auth_and_rules():
    catalog = Catalog.load()
    result = run_cli("vendors", "GITHUB")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    found = {row[0] for row in rows}
    assert "github" in found and all("github" in vendor for vendor in found)
    github = next(row for row in rows if row[0] == "github")
    profile = catalog["github"]
    assert github[-3:] == ["yes" if "Group" in profile.resource_types else "no",
                           profile.auth.kind, str(len(profile.rules))]


def test_a_query_with_spaces_finds_an_id_written_without_them():
    result = run_cli("vendors", "vault platform")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["vaultplatform"]


def test_json_gives_the_cards_and_the_records_not_served_that_match():
    catalog = Catalog.load()
    refused = catalog.not_served()[0]
    result = run_cli("vendors", "--json", refused.id)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert refused.id not in [card["id"] for card in answer["vendors"]]
    assert {"id": refused.id, "name": refused.name, "status": refused.status,
            "reason": refused.reason} in answer["not_served"]
    every = json.loads(run_cli("vendors", "--json").stdout)
    assert len(every["vendors"]) == len(catalog)
    assert len(every["not_served"]) == len(catalog.not_served())
    card = next(c for c in every["vendors"] if c["id"] == "olfeo")
    assert card == {"id": "olfeo", "name": "Olfeo SAAS", "groups": True, "auth": "bearer",
                    "rule_count": len(catalog["olfeo"].rules),
                    "tenant_url": catalog["olfeo"].tenant_url, "gallery": False,
                    "delete_mode": "hard"}


def test_a_query_nothing_holds_is_an_error_line():
    assert_error(run_cli("vendors", "no-such-app-anywhere"), 1, "no-such-app-anywhere")


def test_a_folder_record_is_listed_and_a_broken_one_is_an_error_naming_file_and_key(
        tmp_path):
    record = dict(Catalog.load().record("asana"))
    record.update(id="acme-books", app_name="Acme Books")
    (tmp_path / "acme-books.json").write_text(json.dumps(record), encoding="utf-8")
    result = run_cli("vendors", "--vendors", str(tmp_path), "acme")
    assert result.returncode == 0, result.stderr
    assert [line.split()[:3] for line in result.stdout.splitlines()[1:]] == [
        ["acme-books", "Acme", "Books"]]
    del record["app_name"]
    (tmp_path / "acme-books.json").write_text(json.dumps(record), encoding="utf-8")
    assert_error(run_cli("vendors", "--vendors", str(tmp_path)), 1, "acme-books.json",
                 "app_name")
