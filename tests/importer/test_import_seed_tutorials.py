"""The five seed tutorials read into the facts their gallery records hold.

Each seed copy in ../shared/vendor-docs/ is the Microsoft Entra provisioning tutorial of one
gallery app; ../shared/gallery/records/<id>.json is that app's record. The importer must give
the same user attribute table (names, types, filterable, required), the same
capabilities.groups and the same Tenant URL kind.
"""

from __future__ import annotations

import pytest
from importer_support import SEED_IDS, SEED_TUTORIALS, need_shared, shared_record

from sandbox.vendors.importer import import_tutorial, schema_errors

SEEDS = sorted(SEED_IDS.items())


def _import(file_name: str, record_id: str) -> dict:
    text = need_shared(SEED_TUTORIALS / file_name).read_text(encoding="utf-8")
    return import_tutorial(text, record_id, file_name).record


@pytest.mark.parametrize(("file_name", "record_id"), SEEDS, ids=[i for _, i in SEEDS])
def test_a_seed_tutorial_gives_its_records_table_groups_and_tenant_url_kind(file_name,
                                                                          record_id):
    """Velpic, Visitly, Vault Platform, Olfeo SAAS and Veritas tutorials (seed copies)."""
    got, want = _import(file_name, record_id), shared_record(record_id)
    assert got["user_attributes"] == want["user_attributes"]
    assert got["capabilities"]["groups"] == want["capabilities"]["groups"]
    assert got["tenant_url"]["kind"] == want["tenant_url"]["kind"]
    assert got["group_attributes"] == want["group_attributes"]
    assert schema_errors(got) == []


@pytest.mark.parametrize(("file_name", "record_id"), SEEDS, ids=[i for _, i in SEEDS])
def test_a_seed_tutorial_gives_its_records_auth_and_console_facts(file_name, record_id):
    """The same tutorials: auth kind and secret, Tenant URL value and label, menu path,
    console language and whether the admin sets it up alone."""
    got, want = _import(file_name, record_id), shared_record(record_id)
    assert got["app_name"] == want["app_name"]
    assert got["auth"] == want["auth"]
    assert got["tenant_url"] == want["tenant_url"]
    for key in ("menu_path", "language", "self_service"):
        assert got["setup"][key] == want["setup"][key], key
    assert [q["kind"] for q in got["quirks"]] == [q["kind"] for q in want["quirks"]]


def test_the_olfeo_copy_reads_its_console_labels_in_french():
    """Olfeo SAAS tutorial (seed copy 003): its copy spells Créer as UTF-8 read as Mac Roman;
    the importer repairs it and tells the console's language from its labels."""
    record = _import("003_b0c2c8a1b6b2c16f.txt", "olfeo-saas")
    assert "Créer" in record["setup"]["menu_path"]
    assert record["setup"]["language"] == "fr"
    assert record["auth"]["token_label"] == "Jeton secret"
