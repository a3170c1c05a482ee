"""The SCIM endpoints of the Entra gallery's apps: two URL rules for all of them.

Every gallery app's Tenant URL starts with `/<its id>` (`vendors/gallery_urls.py`), so one
rule whose first segment is a gallery id reaches them all, and an app's profile is built when
its first request comes, not at start. The rest of the path is then matched against that
app's Tenant URL template, which names the tenant (`{tenant}` or `{slug}`) or not (the token
finds it), and what is left is the SCIM path, as a hand-written profile's own rule gives it.
Werkzeug tries literal segments before this rule, so the hand-written profiles, the admin API
and the console keep their URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from flask import Flask
from werkzeug.routing import BaseConverter

from sandbox.scim.errors import not_found
from sandbox.vendors.catalog import Catalog

GALLERY_CONVERTER = "gallery_app"


def register_gallery_routes(app: Flask, catalog: Catalog, view: Callable[..., object],
                            methods: list[str]) -> None:
    """Route `/<gallery id>` and everything below it to `view(app_id, rest)`."""
    ids = sorted(catalog.record_ids(), key=len, reverse=True)  # longest first: `ab` < `abc`
    if not ids:
        return
    converter = type("GalleryAppConverter", (BaseConverter,),
                     {"regex": "(?:" + "|".join(re.escape(i) for i in ids) + ")"})
    app.url_map.converters[GALLERY_CONVERTER] = converter
    # No automatic OPTIONS: it would answer without auth and outside the SCIM error format.
    app.add_url_rule(f"/<{GALLERY_CONVERTER}:app_id>/<path:rest>", "scim_gallery", view,
                     methods=methods, provide_automatic_options=False)
    app.add_url_rule(f"/<{GALLERY_CONVERTER}:app_id>", "scim_gallery_root", view,
                     methods=methods, defaults={"rest": ""}, provide_automatic_options=False)


def gallery_target(catalog: Catalog, app_id: str, rest: str) -> tuple[str, str | None, str]:
    """(vendor, tenant key or None, SCIM path) of a request below `/<app_id>`; a SCIM 404
    naming the app's Tenant URL when the path does not fit it, or saying why the id is no
    vendor (a record not served, or an app a hand-written profile serves)."""
    refusal = catalog.refusal(app_id)
    if refusal is not None:
        raise not_found(f"No SCIM endpoint at /{app_id}: {refusal}; GET "
                        f"/_sandbox/vendors?q={app_id} says more.")
    profile = catalog[app_id]
    path = f"/{app_id}/{rest}" if rest else f"/{app_id}"
    found = _template(profile.tenant_url).match(path)
    if found is None:
        raise not_found(f"No {profile.name} endpoint at {path}: its Tenant URL has the shape "
                        f"{profile.tenant_url}, with /Users and the rest below it.")
    return profile.id, found.group("tenant_key") or None, found.group("scim_path") or ""


@lru_cache(maxsize=1024)
def _template(tenant_url: str) -> re.Pattern[str]:
    """`/acme/{tenant}/scim/v2` → a pattern naming the tenant key and the SCIM path."""
    pattern = re.escape(tenant_url.rstrip("/"))
    pattern = re.sub(r"\\\{(tenant|slug)\\\}", "(?P<tenant_key>[^/]+)", pattern, count=1)
    if "(?P<tenant_key>" not in pattern:
        pattern += "(?P<tenant_key>)"  # the token finds the tenant
    return re.compile(pattern + r"(?:/(?P<scim_path>.*))?\Z")
