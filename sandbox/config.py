"""Configuration of one sandbox app, from code or a mapping (the command line reads the
environment variables into it), and the one place each default is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Each default lives here once; the settings below, the service's limits, journal and faults,
# and the command line's options all read it.
JOURNAL_SIZE = 1000  # requests kept per tenant; the oldest fall off
MAX_BODY_BYTES = 1_048_576  # larger requests get a 413 SCIM error
MAX_FAULT_DELAY_MS = 10_000  # the longest delay a fault may inject
MAX_FILTER_LENGTH = 4096  # characters of one filter (400 invalidFilter beyond)
MAX_FILTER_TERMS = 64  # comparisons in one filter (400 invalidFilter beyond)
MAX_PATCH_OPERATIONS = 1000  # operations in one PATCH (400 invalidValue beyond)
MAX_JSON_DEPTH = 32  # nesting of a request body (400 invalidSyntax beyond); resources need ~5


def is_http_url(value: str) -> bool:
    """Whether `value` is an absolute http(s) URL with a host (and a valid port, if any)."""
    try:
        parts = urlsplit(value)
        return (parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
                and (parts.port is None or parts.port > 0))
    except ValueError:  # a bracketed host left open, a port that is not a number, ...
        return False


@dataclass(slots=True)
class SandboxConfig:
    """Settings of one `create_app`; every field has a sensible default."""

    admin_token: str | None = None  # None: a random one is made (and printed by the CLI)
    demo_tenants: bool = True  # one ready tenant per vendor, as `scim-sandbox serve` shows
    demo_token: str | None = None  # the demo tenants' token; None: a random one per tenant
    demo_vendors: tuple[str, ...] = ()  # gallery vendors given demo tenants too (ids)
    vendors_dirs: tuple[Path, ...] = ()  # extra profile folders, after the bundled profiles
    public_url: str | None = None  # absolute root for tenant URLs; None: the request's host
    max_body_bytes: int = MAX_BODY_BYTES
    data_file: Path | None = None  # durable store (snapshot; its log is `<file>.log`); None: memory
    journal_size: int = JOURNAL_SIZE
    max_fault_delay_ms: int = MAX_FAULT_DELAY_MS
    max_filter_length: int = MAX_FILTER_LENGTH
    max_filter_terms: int = MAX_FILTER_TERMS
    max_patch_operations: int = MAX_PATCH_OPERATIONS
    max_json_depth: int = MAX_JSON_DEPTH

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SandboxConfig:
        """Build from a dict such as `{"admin_token": "x"}`; unknown keys are an error."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"unknown sandbox setting(s) {unknown}; known: {sorted(names)}")
        config = cls(**values)
        config.vendors_dirs = tuple(Path(p) for p in config.vendors_dirs)
        if isinstance(config.demo_vendors, str):
            raise ValueError("demo_vendors must be a list of vendor ids, e.g. ['slack']")
        config.demo_vendors = tuple(config.demo_vendors)
        if config.data_file is not None:
            config.data_file = Path(config.data_file)
        return config
