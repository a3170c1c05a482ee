"""The records the importer writes fit the gallery record schema: checked with the
`jsonschema` library, and with the small reader the command line uses (which must agree with
it), against the copy of the schema shipped in the package."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from importer_support import FIXTURES, GALLERY, SEED_IDS, SEED_TUTORIALS, need_shared

from sandbox.vendors.importer import import_tutorial, record_id_for, record_schema, schema_errors

FIXTURE_NAMES = sorted(p.name for p in FIXTURES.glob("*.md"))


def _validator() -> jsonschema.protocols.Validator:
    schema = record_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def test_the_shipped_schema_is_the_shared_one():
    shared = json.loads(need_shared(GALLERY / "record.schema.json").read_text("utf-8"))
    shipped = dict(record_schema())
    assert "shared" in shipped.pop("$comment")  # says where it came from
    assert shipped == shared


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_fixture_gives_a_valid_record(name):
    path = FIXTURES / name
    record = import_tutorial(path.read_text("utf-8"), record_id_for(name) or "", name).record
    _validator().validate(record)
    assert schema_errors(record) == []


@pytest.mark.parametrize(("file_name", "record_id"), sorted(SEED_IDS.items()))
def test_every_seed_tutorial_gives_a_valid_record(file_name, record_id):
    text = need_shared(SEED_TUTORIALS / file_name).read_text("utf-8")
    record = import_tutorial(text, record_id, file_name).record
    _validator().validate(record)
    assert schema_errors(record) == []


def test_the_small_reader_accepts_every_shared_record():
    records = sorted(need_shared(GALLERY / "records").glob("*.json"))
    assert len(records) >= 200
    for path in records:
        record = json.loads(path.read_text("utf-8"))
        _validator().validate(record)
        assert schema_errors(record) == [], path.name


def _broken_records() -> list[tuple[str, dict]]:
    path = FIXTURES / "brightdesk-provisioning-tutorial.md"
    good = import_tutorial(path.read_text("utf-8"), "brightdesk", path.name).record
    cases = []

    def change(label: str, edit) -> None:
        record = copy.deepcopy(good)
        edit(record)
        cases.append((label, record))

    change("missing key", lambda r: r.pop("quirks"))
    change("unknown key", lambda r: r.update(extra=1))
    change("bad enum", lambda r: r["tenant_url"].update(kind="somewhere"))
    change("bad pattern", lambda r: r.update(id="Bright Desk"))
    change("bad const", lambda r: r["source"].update(repository="someone/else"))
    change("bad type", lambda r: r["user_attributes"][0].update(filterable="yes"))
    change("bool as integer", lambda r: r["auth"].update(token_lifetime_days=True))
    change("bad quirk kind", lambda r: r["quirks"].append({"kind": "mystery"}))
    change("nested unknown key", lambda r: r["setup"].update(colour="blue"))
    return cases


@pytest.mark.parametrize(("label", "record"), _broken_records(),
                         ids=[label for label, _ in _broken_records()])
def test_the_small_reader_refuses_what_jsonschema_refuses(label, record):
    assert not _validator().is_valid(record)
    assert schema_errors(record), label
