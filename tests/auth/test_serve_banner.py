"""`scim-sandbox serve` prints each demo tenant's credentials by its vendor's auth kind, and
`--token` (the demo tenants' secret, for CI) is the secret of every kind."""

from __future__ import annotations

import re

from auth_support import PROFILES

from sandbox import create_app
from sandbox.cli.serve import _print_banner
from sandbox.http.admin_routes import tenant_json


def test_the_banner_shows_what_each_kind_needs(capsys):
    app = create_app({"admin_token": "admin-secret", "vendors_dirs": (PROFILES,),
                      "demo_token": "Demo-Secret-1"})
    registry = app.extensions["scim_sandbox"]
    _print_banner("127.0.0.1", 8000, None, "admin-secret", registry, None, tenant_json)
    banner = capsys.readouterr().out
    blocks = dict(re.findall(r"^  (\S.*?)\s+Tenant URL: .*\n((?:\s{30,}.*\n)*)", banner, re.M))
    assert "Secret Token: Demo-Secret-1" in blocks["Generic SCIM 2.0"]
    assert "Username:" in blocks["Basic Auth Vendor"]
    assert re.search(r"Password:\s+Demo-Secret-1", blocks["Basic Auth Vendor"])
    code = blocks["Authorization Code Vendor"]
    assert re.search(r"Client ID:\s+authcode-demo-\w+", code)
    assert re.search(r"Client Secret:\s+Demo-Secret-1", code)
    assert re.search(r"Token URL:\s+http://localhost:8000/oauth/authcode-demo/token\n", code)
    assert re.search(r"Authorize URL:\s+http://localhost:8000/oauth/authcode-demo/authorize",
                     code)
    assert "Secret Token" not in blocks["Client Credentials Vendor"]
