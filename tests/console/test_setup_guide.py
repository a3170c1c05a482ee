"""The setup screens' words are ours: the guide lines beside each step, the prerequisites and
the other [setup] texts of the five vendors state their tutorial's facts without copying it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from copied_text import shared_run

from sandbox.console import setup_flows as flows
from sandbox.vendors import bundled_vendors_dir, load_profiles

PROFILES = load_profiles(bundled_vendors_dir())
VENDOR_DOCS = Path(__file__).resolve().parents[3] / "shared" / "vendor-docs"
VENDORS = ["velpic", "visitly", "vaultplatform", "olfeo", "veritas"]


def texts(value: Any, where: str = "setup") -> Iterator[tuple[str, str]]:
    """Every string under a table, with the key path it sits at."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, f"{where}[{index}]")


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_setup_text_copies_the_vendor_tutorial(vendor):
    """Each tutorial in ../shared/vendor-docs/: no text of the vendor's [setup] shares a run
    of eight words with it."""
    if not VENDOR_DOCS.is_dir():
        pytest.skip(f"the vendor tutorials are not beside the repository ({VENDOR_DOCS})")
    profile = PROFILES[vendor]
    tutorial = (VENDOR_DOCS / profile.doc["source"]).read_text(encoding="utf-8")
    names = (profile.name, flows.flow_plan(profile).console)
    copied = {where: run for where, text in texts(profile.setup)
              if (run := shared_run(text, tutorial, names=names))}
    assert not copied, f"{vendor}: [setup] copies the tutorial: {copied}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_step_of_the_five_flows_has_guide_lines(vendor):
    """The guide stands beside the start and the credentials of every vendor's flow."""
    profile = PROFILES[vendor]
    assert flows.guide(profile, "start") and flows.guide(profile, "credentials")
    for step in profile.setup.get("extra_steps", ()):
        assert flows.guide(profile, step) or flows.guide(profile, "menu"), step
