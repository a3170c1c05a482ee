"""`Store` keeps the contract the service relies on (`sandbox.store.StoreContract`)."""

from __future__ import annotations

import inspect

import pytest

from sandbox.store import Store, StoreContract

MEMBERS = [name for name, value in vars(StoreContract).items()
           if not name.startswith("_") and (callable(value) or isinstance(value, property))]


def test_the_contract_names_the_store_api_the_service_uses():
    assert {"transaction", "insert", "get", "update", "delete", "find", "has_key",
            "export_resources", "replace_resources"} <= set(MEMBERS)


@pytest.mark.parametrize("name", MEMBERS)
def test_store_has_each_member_with_the_same_parameters(name):
    promised = getattr(StoreContract, name)
    kept = getattr(Store, name)
    if isinstance(promised, property):
        assert isinstance(kept, property)
        return
    assert list(inspect.signature(kept).parameters) == \
        list(inspect.signature(promised).parameters)


def test_a_store_instance_is_usable_where_the_contract_is_asked_for():
    store: StoreContract = Store()
    with store.transaction():
        store.add_tenant({"id": "t1", "vendor": "generic"})
    assert store.get_tenant("t1")["vendor"] == "generic"
