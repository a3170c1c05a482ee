"""Where tenants, users and groups live: TinyDB behind a small, thread-safe, indexed interface."""

from sandbox.store.changelog import StoreFileError
from sandbox.store.contract import StoreContract
from sandbox.store.store import IndexSpec, Store

__all__ = ["IndexSpec", "Store", "StoreContract", "StoreFileError"]
