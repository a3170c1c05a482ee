"""Helpers the Entra simulator tests share (a module with a unique name, so that it can be
imported beside the other test folders' helpers)."""

from __future__ import annotations

from typing import Any

from sandbox.vendors import bundled_vendors_dir, load_profiles

VENDORS = ["generic", "velpic", "visitly", "vaultplatform", "olfeo", "veritas"]


def profile(vendor: str) -> Any:
    return load_profiles(bundled_vendors_dir())[vendor]


class Sleeps(list):
    """A stand-in for time.sleep that records the waits, so retries cost no time."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
