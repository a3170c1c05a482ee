"""The HTTP edge: SCIM endpoints per tenant, the admin API, and SCIM error responses.

`install_http(app, registry, ...)` puts them on a Flask app; the composition root,
`sandbox.app.create_app`, calls it.
"""

from sandbox.http.install import install_http

__all__ = ["install_http"]
