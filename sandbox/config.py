"""Configuration of one sandbox app, from code, a mapping or the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "SCIM_SANDBOX_"


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
    vendors_dirs: tuple[Path, ...] = ()  # extra profile folders, after the bundled profiles
    public_url: str | None = None  # absolute root for tenant URLs; None: the request's host
    max_body_bytes: int = 1_048_576  # larger requests get a 413 SCIM error
    data_file: Path | None = None  # durable store (snapshot; its log is `<file>.log`); None: memory
    journal_size: int = 1000  # requests kept per tenant; the oldest fall off
    max_fault_delay_ms: int = 10_000  # the longest delay a fault may inject
    max_filter_length: int = 4096  # characters of one filter (400 invalidFilter beyond)
    max_filter_terms: int = 64  # comparisons in one filter (400 invalidFilter beyond)
    max_patch_operations: int = 1000  # operations in one PATCH (400 invalidValue beyond)
    max_json_depth: int = 32  # nesting of a request body (400 invalidSyntax beyond)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SandboxConfig:
        """Build from a dict such as `{"admin_token": "x"}`; unknown keys are an error."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"unknown sandbox setting(s) {unknown}; known: {sorted(names)}")
        config = cls(**values)
        config.vendors_dirs = tuple(Path(p) for p in config.vendors_dirs)
        if config.data_file is not None:
            config.data_file = Path(config.data_file)
        return config

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SandboxConfig:
        """Settings from SCIM_SANDBOX_* variables (used by the Docker image)."""
        env = os.environ if environ is None else environ
        config = cls()
        if env.get(ENV_PREFIX + "ADMIN_TOKEN"):
            config.admin_token = env[ENV_PREFIX + "ADMIN_TOKEN"]
        if env.get(ENV_PREFIX + "TOKEN"):
            config.demo_token = env[ENV_PREFIX + "TOKEN"]
        if env.get(ENV_PREFIX + "VENDORS"):
            config.vendors_dirs = (Path(env[ENV_PREFIX + "VENDORS"]),)
        if env.get(ENV_PREFIX + "PUBLIC_URL"):
            config.public_url = env[ENV_PREFIX + "PUBLIC_URL"]
        if env.get(ENV_PREFIX + "DATA"):
            config.data_file = Path(env[ENV_PREFIX + "DATA"])
        if env.get(ENV_PREFIX + "JOURNAL_SIZE"):
            config.journal_size = int(env[ENV_PREFIX + "JOURNAL_SIZE"])
        return config
