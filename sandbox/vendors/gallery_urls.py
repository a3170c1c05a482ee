"""Where a gallery app's SCIM endpoint lives on the sandbox's one host.

A gallery record says where the real Tenant URL comes from (`tenant_url.kind`) and, for a
fixed URL or a template, what it looks like. Every gallery app is served below its own first
path segment, `/<id>`, so no two apps can ever claim the same URL, whatever their real hosts:

- `fixed` (one URL for every customer, as Visitly's): `/<id>` followed by the URL's path,
  letter case kept; the URL names no tenant, so the token alone finds it.
  `https://api.example.com/scim/v2` for app `example` → `/example/scim/v2`.
- `template` (a URL the customer completes, as Vault Platform's): `/<id>` followed by the
  template's path, whose placeholder becomes the `{slug}` segment; a placeholder is written
  `${name}`, `{name}`, `{{name}}`, `<name>`, `[name]` or `*name*`, or is a path segment
  ending in `-ID` (`User-Roster-Realm-ID`). When the path has no placeholder, what the
  customer fills in is the host (a subdomain, their own server): `{slug}` then comes right
  after `/<id>`. `https://<sub>.example.com/api/scim` → `/example/{slug}/api/scim`.
- anything else (from the console, from support, an OAuth preset, a list of regional URLs,
  another document, nothing said), and a fixed URL or template whose path cannot be a URL
  path here (or that has two placeholders in its path): `/<id>/{tenant}/scim/v2`.
"""

from __future__ import annotations

import re
from typing import Any

_PLACEHOLDER = re.compile(
    r"\$\{[^}]*\}"  # ${organization-slug}
    r"|\{\{[^}]*\}\}"  # {{API Url}}
    r"|\{[^}]*\}"  # {tenant}
    r"|<[^>]*>"  # <subdomain>
    r"|\[[^\]]*\]"  # [corpname]
    r"|\*[^*/.]+\*"  # *your-org-name*
)
_MARK = "\x00"  # stands for a placeholder while the URL is taken apart
_ID_SEGMENT = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*-ID", re.IGNORECASE)
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
SLUG = "{slug}"


def default_tenant_url(app_id: str) -> str:
    """The URL shape of an app whose tutorial gives no usable URL."""
    return f"/{app_id}/{{tenant}}/scim/v2"


def sandbox_tenant_url(record: dict[str, Any]) -> str:
    """The sandbox path of a record's SCIM base URL (see the module's docstring)."""
    app_id = record["id"]
    spec = record.get("tenant_url") or {}
    value = spec.get("value")
    path = None
    if isinstance(value, str) and value.strip():
        if spec.get("kind") == "fixed":
            path = _fixed_path(value.strip())
        elif spec.get("kind") == "template":
            path = _template_path(value.strip())
    return default_tenant_url(app_id) if path is None else f"/{app_id}{path}"


def _split(url: str) -> tuple[str, list[str]]:
    """(host, path segments) of a URL written with or without its scheme."""
    rest = url.split("://", 1)[1] if "://" in url else url
    host, _, path = rest.partition("/")
    path = path.split("?", 1)[0].split("#", 1)[0]
    return host, [segment for segment in path.split("/") if segment]


def _fixed_path(url: str) -> str | None:
    if "://" not in url:
        return None
    _, segments = _split(url)
    if not all(_SEGMENT.fullmatch(segment) for segment in segments):
        return None
    return "".join(f"/{segment}" for segment in segments)


def _template_path(template: str) -> str | None:
    _, segments = _split(_PLACEHOLDER.sub(_MARK, template))
    written = []
    for segment in segments:
        if _MARK in segment or _ID_SEGMENT.fullmatch(segment):
            if SLUG in written:
                return None  # two placeholders in the path: one slug cannot stand for both
            written.append(SLUG)
        elif _SEGMENT.fullmatch(segment):
            written.append(segment)
        else:
            return None
    if SLUG not in written:
        written.insert(0, SLUG)  # the host is what the customer fills in
    return "".join(f"/{segment}" for segment in written)
