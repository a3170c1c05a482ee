"""Fixtures of the Docker image tests: the image, built once per session unless
`$SCIM_SANDBOX_IMAGE` names one that is already built (as `.ci/run` does), one shared running
container, and a factory for tests that need a container of their own.

Every fixture here skips, saying why, when no Docker daemon is reachable or the named image is
absent, so the suite still passes on a machine without Docker.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.testing.containers import (
    IMAGE_ENV,
    SandboxContainer,
    docker_available,
    image_available,
    sandbox_container_fixture,
    start_sandbox_container,
)

REPO = Path(__file__).resolve().parents[2]
TEST_TAG = "scim-sandbox:test"
# The shared container's tokens, given through its environment only (see test_image.py).
TOKEN = "docker-demo-token"
ADMIN_TOKEN = "docker-admin-token"


@pytest.fixture(scope="session")
def docker_client() -> Iterator[Any]:
    """A client of the daemon at $DOCKER_HOST; skips when none answers."""
    reachable, reason = docker_available()
    if not reachable:
        pytest.skip(f"no Docker daemon reachable: {reason}")
    import docker

    # Builds run pip inside the image, which takes longer than the SDK's default 60 s timeout.
    client = docker.from_env(timeout=900)
    yield client
    client.close()


@pytest.fixture(scope="session")
def sandbox_image(docker_client: Any) -> str:
    """The tag of the image under test: $SCIM_SANDBOX_IMAGE, or `scim-sandbox:test` built
    here from the repository (with the SDK, which reads .dockerignore as the CLI does)."""
    named = os.environ.get(IMAGE_ENV)
    if named:
        present, reason = image_available(named)
        if not present:
            pytest.skip(f"{reason} (named by ${IMAGE_ENV})")
        return named
    import docker.errors

    started = time.monotonic()
    try:
        docker_client.images.build(path=str(REPO), tag=TEST_TAG, rm=True, forcerm=True)
    except docker.errors.BuildError as exc:
        log = "".join(chunk.get("stream") or chunk.get("error") or "" for chunk in exc.build_log)
        pytest.fail(f"docker build of {REPO} failed: {exc}\n{log[-6000:]}", pytrace=False)
    print(f"\nbuilt {TEST_TAG} in {time.monotonic() - started:.1f} s")
    return TEST_TAG


@pytest.fixture(scope="session")
def scim_sandbox_container(sandbox_image: str) -> Iterator[SandboxContainer]:
    """One running container for the tests that only read or add data: the plugin's fixture
    of the same name, on the image under test and with known tokens."""
    yield from sandbox_container_fixture(sandbox_image, token=TOKEN, admin_token=ADMIN_TOKEN)


@pytest.fixture
def start_container(sandbox_image: str) -> Iterator[Callable[..., SandboxContainer]]:
    """`start_container(env={...}, volumes={...})`: a container of the image under test,
    removed at the end of the test."""
    started: list[SandboxContainer] = []

    def start(**options: Any) -> SandboxContainer:
        container = start_sandbox_container(sandbox_image, **options)
        started.append(container)
        return container

    yield start
    for container in started:
        container.remove()
