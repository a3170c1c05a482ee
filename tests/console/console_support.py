"""Constants shared by the console's browser tests and their fixtures."""

from __future__ import annotations

import os
from pathlib import Path

ADMIN_TOKEN = "console-admin-token-0123456789"
CHROMIUM = os.environ.get("SCIM_SANDBOX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
TIMEOUT_MS = 15_000
