"""Release files agree with each other: one version in pyproject.toml, the installed package
and CHANGELOG.md; the licence in the metadata and the wheel; one image name in the release
workflow and the README, whose service-container example works as written."""

from __future__ import annotations

import importlib.metadata
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
REPOSITORY = "scim-sandbox/scim-sandbox"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _released_versions() -> list[str]:
    return re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", CHANGELOG, re.M)


def test_pyproject_the_installed_package_and_the_changelog_name_one_version():
    installed = importlib.metadata.version("scim-sandbox")
    assert installed == PYPROJECT["version"]
    assert _released_versions()[0] == installed, "CHANGELOG.md's newest release"


def test_the_changelog_keeps_an_unreleased_section_first_and_links_every_version():
    headings = re.findall(r"^## \[([^\]]+)\]", CHANGELOG, re.M)
    assert headings[0] == "Unreleased"
    for heading in headings:
        assert re.search(rf"^\[{re.escape(heading)}\]: https://github.com/{REPOSITORY}/",
                         CHANGELOG, re.M), heading


def test_the_licence_is_mit_in_the_file_and_the_metadata():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the scim-sandbox authors" in text
    metadata = importlib.metadata.metadata("scim-sandbox")
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert "License :: OSI Approved :: MIT License" in metadata.get_all("Classifier")
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL"))
    assert set(urls) == {"Homepage", "Repository", "Issues", "Changelog"}
    assert all(url.startswith(f"https://github.com/{REPOSITORY}") for url in urls.values())


def test_the_built_wheel_carries_the_licence(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "-w", str(tmp_path)], check=True, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob("scim_sandbox-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        dist_info = f"scim_sandbox-{PYPROJECT['version']}.dist-info"
        assert archive.read(f"{dist_info}/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
        metadata = archive.read(f"{dist_info}/METADATA").decode()
    assert "License-File: LICENSE" in metadata.splitlines()


def test_the_readme_names_the_image_the_release_workflow_pushes():
    release = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert 'name=ghcr.io/${GITHUB_REPOSITORY,,}' in release
    assert ":${{ needs.build.outputs.version }}" in release and ":latest" in release
    assert PYPROJECT["urls"]["Repository"] == f"https://github.com/{REPOSITORY}"
    images = re.findall(r"^\s+image: (\S+)$", README, re.M)
    assert images == [f"ghcr.io/{REPOSITORY}:latest"]
    assert "OWNER" not in README


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _service_example() -> tuple[dict[str, str], str, str]:
    """The README's service container: its env, and the URL and token its step uses."""
    section = README[README.index("### In GitHub Actions"):README.index("### The container")]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    env = dict(re.findall(r"^ {10}(SCIM_SANDBOX_\w+): (\S+)$", block, re.M))
    step = re.search(r"--scim-url (\S+) --token (\S+)", block)
    return env, step.group(1), step.group(2)


def test_the_service_container_example_works_as_written(tmp_path):
    """The image runs `scim-sandbox serve --host 0.0.0.0 --port 8000` configured by these
    variables; the same command here, on a free port, answers the example's request."""
    env, url, token = _service_example()
    assert set(env) == {"SCIM_SANDBOX_TOKEN", "SCIM_SANDBOX_ADMIN_TOKEN"}
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        request = urllib.request.Request(
            url.replace("localhost:8000", f"127.0.0.1:{port}") + "/Users",
            headers={"Authorization": f"Bearer {token}"})
        deadline = time.monotonic() + 30
        while True:
            try:
                with NO_PROXY.open(request, timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "Traceback" not in output
