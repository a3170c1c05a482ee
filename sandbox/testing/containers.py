"""Run the sandbox's Docker image from Python: a context manager for tests and scripts, and the
body of the pytest fixture `scim_sandbox_container`.

```python
from sandbox.testing.containers import start_sandbox_container

with start_sandbox_container("scim-sandbox:latest", token="demo-token-123") as sandbox:
    tenant = sandbox.create_tenant("olfeo")      # {"id", "tenant_url", "token", ...}
    ...                                          # point the client under test at sandbox.url
```

The `docker` SDK is an optional dependency (`pip install 'scim-sandbox[docker]'`), so it is
imported only when a function here talks to a daemon; importing this module costs nothing.
"""

from __future__ import annotations

import json
import os
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docker import DockerClient
    from docker.models.containers import Container

DEFAULT_IMAGE = "scim-sandbox:latest"
#: Environment variable naming the image the pytest fixture runs (default: DEFAULT_IMAGE).
IMAGE_ENV = "SCIM_SANDBOX_IMAGE"
CONTAINER_PORT = 8000
HEALTH_PATH = "/_sandbox/health"
#: Every container started here carries this label, so leftovers are easy to find and remove:
#: `docker rm -f $(docker ps -aq --filter label=scim-sandbox.helper)`.
LABEL = "scim-sandbox.helper"

_INSTALL_HINT = "the docker SDK is not installed: pip install 'scim-sandbox[docker]'"


class SandboxContainerError(RuntimeError):
    """The container could not be started, or did not become healthy; carries its log."""


def _docker_client(timeout: float | None = None) -> DockerClient:
    try:
        import docker
    except ImportError as exc:
        raise SandboxContainerError(_INSTALL_HINT) from exc
    # from_env honours DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH like the CLI does.
    return docker.from_env(timeout=int(timeout)) if timeout else docker.from_env()


def docker_available(timeout: float = 5.0) -> tuple[bool, str]:
    """Whether a Docker daemon answers, and why not when it does not ("" when it does)."""
    try:
        client = _docker_client(timeout)
    except SandboxContainerError as exc:
        return False, str(exc)
    except Exception as exc:  # the SDK raises several types (DockerException, requests', OS')
        return False, _daemon_reason(exc)
    try:
        client.ping()
    except Exception as exc:
        return False, _daemon_reason(exc)
    finally:
        client.close()
    return True, ""


def _daemon_reason(exc: Exception) -> str:
    where = os.environ.get("DOCKER_HOST") or "the default socket (DOCKER_HOST is unset)"
    return f"{exc} [at {where}]"


def image_available(image: str = DEFAULT_IMAGE) -> tuple[bool, str]:
    """Whether the daemon has `image` locally, and why not when it has not."""
    import docker.errors

    client = _docker_client()
    try:
        client.images.get(image)
    except docker.errors.ImageNotFound:
        return False, (f"Docker image {image!r} not found; build it with "
                       f"`docker build -t {image} .` in the scim-sandbox repository")
    finally:
        client.close()
    return True, ""


class SandboxContainer:
    """A running sandbox container published on a loopback port of this machine.

    `url` is the server root (`http://127.0.0.1:<port>`); tenant URLs hang off it. It can
    change after `restart()` when Docker chose the port. Use it as a context manager, or call
    `remove()` when done.
    """

    def __init__(self, client: DockerClient, container: Container, *, admin_token: str,
                 token: str | None, timeout: float) -> None:
        self.client = client
        self.container = container
        self.admin_token = admin_token
        #: The demo tenants' secret token, when one was given (else each is random and printed).
        self.token = token
        self.timeout = timeout
        self._host_port: int | None = None

    # Where it is ------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.container.id

    @property
    def host_port(self) -> int:
        """The loopback port that Docker publishes the container's port 8000 on."""
        if self._host_port is None:
            self.container.reload()
            bindings = self.container.attrs["NetworkSettings"]["Ports"].get(
                f"{CONTAINER_PORT}/tcp") or []
            if not bindings:
                raise SandboxContainerError(
                    f"port {CONTAINER_PORT} is not published (container is "
                    f"{self.container.status})\n{self.logs()}")
            self._host_port = int(bindings[0]["HostPort"])
        return self._host_port

    @property
    def url(self) -> str:
        """The server root, e.g. `http://127.0.0.1:49153` (no trailing slash)."""
        return f"http://127.0.0.1:{self.host_port}"

    # Life cycle -------------------------------------------------------------------------

    def wait_until_healthy(self, timeout: float | None = None) -> None:
        """Poll the health endpoint until it answers 200; fail early if the container exits.

        Polling over HTTP is quicker than Docker's own HEALTHCHECK, whose first probe comes
        only after its interval.
        """
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            self.container.reload()
            if self.container.status in ("exited", "dead"):
                code = self.container.attrs["State"]["ExitCode"]
                raise SandboxContainerError(
                    f"the sandbox container exited with code {code} before it was healthy:\n"
                    f"{self.logs()}")
            if self.container.status == "running":
                try:
                    with urllib.request.urlopen(self.url + HEALTH_PATH, timeout=2) as answer:
                        if answer.status == 200:
                            return
                except (OSError, ValueError, SandboxContainerError):
                    # Not listening yet, or its port not yet published: ask again.
                    self._host_port = None
            if time.monotonic() > deadline:
                raise SandboxContainerError(
                    f"the sandbox container was not healthy within {timeout or self.timeout} s:"
                    f"\n{self.logs()}")
            time.sleep(0.1)

    def logs(self) -> str:
        """Everything the container printed (stdout and stderr) so far."""
        return self.container.logs(stdout=True, stderr=True).decode("utf-8", "replace")

    def stop(self, timeout: int = 10) -> int:
        """`docker stop` (SIGTERM, then SIGKILL after `timeout` s); return the exit code."""
        self.container.stop(timeout=timeout)
        result = self.container.wait(timeout=timeout + 30)
        self.container.reload()
        self._host_port = None
        return int(result.get("StatusCode", self.container.attrs["State"]["ExitCode"]))

    def restart(self, timeout: int = 10) -> None:
        """`docker restart`, then wait until healthy again (the port may change)."""
        self.container.restart(timeout=timeout)
        self._host_port = None
        self.wait_until_healthy()

    def remove(self) -> None:
        """Remove the container and its anonymous volume (named volumes are kept)."""
        import docker.errors

        try:
            self.container.remove(force=True, v=True)
        except docker.errors.NotFound:
            pass
        finally:
            self.client.close()

    def exec(self, *command: str) -> tuple[int, str]:
        """Run a command inside the container: its exit code and output."""
        code, output = self.container.exec_run(list(command))
        return code, output.decode("utf-8", "replace")

    def __enter__(self) -> SandboxContainer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.remove()

    # The admin API ----------------------------------------------------------------------

    def admin(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Call the admin API (`path` under the root, e.g. `/_sandbox/tenants`): status, JSON."""
        return http_json(method, self.url + path, body, self.admin_token)

    def create_tenant(self, vendor: str = "generic", **fields: Any) -> dict[str, Any]:
        """A fresh tenant (`POST /_sandbox/tenants`): `{"id", "tenant_url", "token", ...}`."""
        status, tenant = self.admin("POST", "/_sandbox/tenants", {"vendor": vendor, **fields})
        if status != 201:
            raise SandboxContainerError(f"creating a {vendor} tenant answered {status}: {tenant}")
        return tenant

    def tenants(self) -> list[dict[str, Any]]:
        """Every tenant, the demo tenants included."""
        status, body = self.admin("GET", "/_sandbox/tenants")
        if status != 200:
            raise SandboxContainerError(f"listing tenants answered {status}: {body}")
        return body["tenants"]


def http_json(method: str, url: str, body: Any = None,
              token: str | None = None) -> tuple[int, Any]:
    """One JSON request over HTTP: the status and the decoded body (None when empty)."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        with error:
            status, raw = error.code, error.read()
    return status, json.loads(raw) if raw else None


def start_sandbox_container(
    image: str = DEFAULT_IMAGE,
    *,
    env: Mapping[str, str] | None = None,
    token: str | None = None,
    admin_token: str | None = None,
    volumes: Mapping[str, str | dict[str, str]] | Sequence[str] | None = None,
    port: int | None = None,
    timeout: float = 60.0,
    name: str | None = None,
) -> SandboxContainer:
    """Start the sandbox image and wait until it answers its health check.

    - `env`: extra environment (`SCIM_SANDBOX_*`, see the README's configuration table).
    - `token`: the demo tenants' secret token (`SCIM_SANDBOX_TOKEN`).
    - `admin_token`: the admin API's token; a random one is made (and kept in
      `.admin_token`) when neither this nor `env` gives one.
    - `volumes`: `{"volume-or-host-dir": "/data"}`, the docker SDK's
      `{"name": {"bind": "/data", "mode": "rw"}}`, or `["name:/data"]`. With
      `env={"SCIM_SANDBOX_DATA": "/data/sandbox.json"}` the data outlives the container. A host
      directory must be writable by uid 10001, the image's user.
    - `port`: the loopback port to publish on (default: a free one Docker picks).
    - `timeout`: seconds to wait for health, here and after `restart()`.

    Raises SandboxContainerError (with the container's log) when it does not become healthy;
    the container is removed then.
    """
    import docker.errors

    environment = dict(env or {})
    admin_token = admin_token or environment.get("SCIM_SANDBOX_ADMIN_TOKEN") \
        or secrets.token_urlsafe(24)
    environment["SCIM_SANDBOX_ADMIN_TOKEN"] = admin_token
    if token is not None:
        environment["SCIM_SANDBOX_TOKEN"] = token
    client = _docker_client()
    try:
        container = client.containers.run(
            image,
            detach=True,
            environment=environment,
            volumes=_volume_spec(volumes),
            # Loopback only: the sandbox's tokens are test secrets, not for the network.
            ports={f"{CONTAINER_PORT}/tcp": ("127.0.0.1", port)},
            labels={LABEL: "1"},
            name=name,
        )
    except docker.errors.ImageNotFound as exc:
        client.close()
        raise SandboxContainerError(
            f"Docker image {image!r} not found; build it with `docker build -t {image} .`"
        ) from exc
    except Exception:
        client.close()
        raise
    sandbox = SandboxContainer(client, container, admin_token=admin_token,
                               token=environment.get("SCIM_SANDBOX_TOKEN"), timeout=timeout)
    try:
        sandbox.wait_until_healthy()
    except BaseException:
        sandbox.remove()
        raise
    return sandbox


def _volume_spec(volumes: Mapping[str, str | dict[str, str]] | Sequence[str] | None,
                 ) -> dict[str, dict[str, str]] | list[str] | None:
    if volumes is None:
        return None
    if isinstance(volumes, str):  # one "name:/data" spec, not a sequence of characters
        return [volumes]
    if isinstance(volumes, Sequence):
        return list(volumes)
    return {source: {"bind": target, "mode": "rw"} if isinstance(target, str) else dict(target)
            for source, target in volumes.items()}


def sandbox_container_fixture(image: str | None = None, **options: Any,
                              ) -> Iterator[SandboxContainer]:
    """The body of the pytest fixture `scim_sandbox_container`: a running sandbox container,
    removed after the last test that uses it. `image` defaults to `$SCIM_SANDBOX_IMAGE`, then
    `scim-sandbox:latest`; `options` go to `start_sandbox_container`.

    Skips the test, saying why, when no Docker daemon is reachable or the image is absent, so a
    suite that uses it still runs on machines without Docker.
    """
    import pytest

    image = image or os.environ.get(IMAGE_ENV) or DEFAULT_IMAGE
    reachable, reason = docker_available()
    if not reachable:
        pytest.skip(f"no Docker daemon reachable: {reason}")
    present, reason = image_available(image)
    if not present:
        pytest.skip(reason)
    with start_sandbox_container(image, **options) as container:
        yield container
