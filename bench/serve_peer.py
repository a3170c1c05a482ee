"""The peer, `scim2-server`, as a WSGI app under waitress (run with the peer's own venv).

Built through its public API the way its `scim2-server` command builds one: the RFC 7643
schemas and resource types, its default service provider configuration, in-memory storage
and a static bearer token, but served by waitress instead of wsgiref, with as many threads as
our server gets.

    bench/.peer-venv/bin/python bench/serve_peer.py --port 8081 --threads 4 --token T
"""

from __future__ import annotations

import argparse
import secrets

from scim2_models import ScimProvider
from scim2_server.memory import InMemoryStorage
from scim2_server.service import ScimService
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
from scim2_server.utils import (
    load_default_resource_types,
    load_default_schemas,
    load_default_service_provider_config,
)
from waitress import serve


def build_app(token: str) -> BearerTokenApplication:
    config = load_default_service_provider_config()
    config.authentication_schemes = [*(config.authentication_schemes or []),
                                     BEARER_TOKEN_SCHEME]
    provider = ScimProvider.from_discovery(load_default_schemas().values(),
                                           load_default_resource_types().values(),
                                           config=config)
    service = ScimService(provider, secret=secrets.token_urlsafe(32))
    return BearerTokenApplication(InMemoryStorage(), provider, service=service,
                                  bearer_tokens=[token])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    serve(build_app(args.token), host="127.0.0.1", port=args.port, threads=args.threads,
          _quiet=True)


if __name__ == "__main__":
    main()
