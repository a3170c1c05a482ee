"""The one HTTP transport: `sandbox.entra.transport`, which the simulator and the pytest
plugin's tenant client both send through."""

from __future__ import annotations

import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from flask import Flask, request

from sandbox.entra import urllib_transport, wsgi_transport
from sandbox.testing.client import TenantClient, UrllibTransport, WsgiTransport


def twice_set(environ, start_response):
    """A WSGI app answering with the same header on two lines."""
    start_response("200 OK", [("X-Seen", "one"), ("Content-Type", "text/plain"),
                              ("X-Seen", "two")])
    return [b"ok"]


class _TwiceSet(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(404)
        self.send_header("X-Seen", "one")
        self.send_header("X-Seen", "two")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"no")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TwiceSet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_wsgi_transport_keeps_every_line_of_a_repeated_header():
    status, headers, body = wsgi_transport(twice_set)("GET", "http://h.test/x", {}, None)
    assert (status, body) == (200, b"ok")
    assert headers["X-Seen"] == "one, two"


def test_urllib_transport_keeps_every_line_of_a_repeated_header(loopback_server):
    status, headers, body = urllib_transport(5)("GET", loopback_server + "/x", {}, None)
    assert (status, body) == (404, b"no")  # an error status is an answer
    assert headers["X-Seen"] == "one, two"


def test_wsgi_transport_can_send_through_the_apps_own_test_client():
    app = Flask(__name__)

    @app.get("/who")
    def who():
        return {"remote": request.remote_addr, "host": request.host}

    bare = wsgi_transport(app)("GET", "http://sandbox.test/who", {}, None)
    flask_client = wsgi_transport(app, test_client=True)("GET", "http://sandbox.test/who",
                                                          {}, None)
    assert bare[2] == b'{"host":"sandbox.test","remote":null}\n'
    assert flask_client[2] == b'{"host":"sandbox.test","remote":"127.0.0.1"}\n'


# The plugin's tenant client now sends through the transport above; these two hold what it
# did before, through Flask's test client and its own urllib opener.


def test_the_tenant_clients_in_process_transport_sends_to_the_urls_host(app, tenant_of):
    """The host of the URL the client is given reaches the app, which builds `meta.location`
    from it."""
    tenant = tenant_of("generic")
    url = urlsplit(tenant.url)._replace(netloc="sandbox.test").geturl()
    client = TenantClient(url, tenant.token, WsgiTransport(app))
    created = client.post("/Users", json={"userName": "ann@contoso.com"})
    assert created.status_code == 201, created.text
    assert created.json()["meta"]["location"].startswith("http://sandbox.test/")
    assert created.headers["content-type"].startswith("application/scim+json")


def test_the_tenant_clients_live_transport_answers_errors_and_keeps_urllibs_failure(
        loopback_server):
    client = TenantClient(loopback_server, "t", UrllibTransport())
    answer = client.get("/Users")
    assert answer.status_code == 404 and answer.headers["x-seen"] == "one, two"
    with pytest.raises(urllib.error.URLError):
        TenantClient("http://127.0.0.1:9", "t", UrllibTransport()).get("/Users")
