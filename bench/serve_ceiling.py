"""The ceiling: a trivial Flask app on waitress that answers every request with constant JSON.

Whatever a SCIM server does per request comes on top of what this costs, so its throughput
on the same requests is the most any Flask app on this WSGI server could reach.

    python bench/serve_ceiling.py --port 8082 --threads 4
"""

from __future__ import annotations

import argparse

from flask import Flask, Response
from waitress import serve

BODY = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0}'


def build_app() -> Flask:
    app = Flask("ceiling")

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
    @app.route("/<path:path>", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
    def answer(path: str) -> Response:
        return Response(BODY, content_type="application/scim+json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    serve(build_app(), host="127.0.0.1", port=args.port, threads=args.threads, _quiet=True)


if __name__ == "__main__":
    main()
