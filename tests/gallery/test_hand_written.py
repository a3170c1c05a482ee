"""Each hand-written profile names the gallery record it stands for (`gallery_id`) and agrees
with that record's facts, read as any record is read (required and filterable attributes,
groups, how Entra signs in), or the difference is listed below with its reason."""

from __future__ import annotations

import pytest

from sandbox.vendors.catalog import Catalog
from sandbox.vendors.gallery_profile import profile_data

COVERED = {"olfeo": "olfeo-saas", "vaultplatform": "vault-platform", "velpic": "velpic",
           "veritas": "veritas", "visitly": "visitly"}
# (profile id, fact) → why the hand-written profile differs from its record. Every entry must
# name a real difference (checked below), so the list cannot outlive its reason.
DIFFERENCES: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _facts(resource_types: dict) -> dict[str, object]:
    facts: dict[str, object] = {"groups": "Group" in resource_types}
    for name, spec in resource_types.items():
        facts[f"{name} required"] = sorted(e.lower() for e in spec["required"])
        facts[f"{name} filterable"] = sorted(e.lower() for e in spec["filterable"] or ())
    return facts


def _profile_facts(profile) -> dict[str, object]:
    types = {name: {"required": [r.written for r in rt.required], "filterable": rt.filterable}
             for name, rt in profile.resource_types.items()}
    return {**_facts(types), "auth": (profile.auth.kind, profile.auth.token_from)}


def _record_facts(record) -> dict[str, object]:
    data = profile_data(record)
    types = {name: {"required": spec.get("required", []),
                    "filterable": spec.get("filterable")}
             for name, spec in data["resource_types"].items()}
    return {**_facts(types), "auth": (data["auth"]["kind"], data["auth"]["token_from"])}


def test_every_hand_written_gallery_profile_names_its_record(catalog):
    named = {p.id: p.raw.get("gallery_id") for p in catalog.hand_written().values()}
    assert named == {**COVERED, "generic": None}
    assert {record: vendor for vendor, record in COVERED.items()} == catalog.covered()


@pytest.mark.parametrize("vendor", sorted(COVERED))
def test_a_hand_written_profile_agrees_with_its_records_facts(catalog, vendor):
    ours = _profile_facts(catalog[vendor])
    theirs = _record_facts(catalog.record(COVERED[vendor]))
    assert ours.keys() == theirs.keys()
    for fact in ours:
        if (vendor, fact) in DIFFERENCES:
            assert ours[fact] != theirs[fact], f"{vendor} {fact} agrees now: drop its entry"
        else:
            assert ours[fact] == theirs[fact], f"{vendor} {fact}"


def test_every_listed_difference_is_about_a_covered_profile():
    assert all(vendor in COVERED and reason for (vendor, _), reason in DIFFERENCES.items())
