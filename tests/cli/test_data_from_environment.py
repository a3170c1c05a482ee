"""The data file named by SCIM_SANDBOX_DATA alone (the Docker image's way) is the one served."""

from __future__ import annotations

import signal
import subprocess

from cli_support import ADMIN_TOKEN, SCRIPT, clean_env, free_port


def test_scim_sandbox_data_names_the_data_file(tmp_path):
    data = tmp_path / "from-env.json"
    process = subprocess.Popen(
        [SCRIPT, "serve", "--host", "127.0.0.1", "--port", str(free_port()),
         "--admin-token", ADMIN_TOKEN],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=clean_env(SCIM_SANDBOX_DATA=str(data)), stdin=subprocess.DEVNULL)
    assert process.stdout is not None
    banner = []
    for line in process.stdout:
        banner.append(line)
        if line.startswith(("Data file:", "scim-sandbox stopped")) or "Traceback" in line:
            break
    process.send_signal(signal.SIGTERM)
    rest, _ = process.communicate(timeout=30)
    assert f"Data file: {data}" in "".join(banner), "".join(banner) + rest
    assert process.returncode == 0 and "Traceback" not in rest, rest
    assert data.is_file() and data.stat().st_size > 0
