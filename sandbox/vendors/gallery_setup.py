"""A gallery record's sign-in and setup facts as a profile's `[auth]` and `[setup]`.

Where the record leaves room:

- `auth.kind` `other` (a token the admin assembles, an Authorize button with no OAuth detail)
  is served as `bearer`: Entra still sends one secret in the Authorization header.
- `auth.token_from` `other` or missing, or `oauth` for a kind that is not OAuth: `oauth` for
  the OAuth kinds, else `support` when the tutorial says the vendor's support sets the app up
  (`setup.self_service` false), else `console`.
- `token_label` missing: "Secret Token", the word of Entra's Admin Credentials.
- `[setup] self_service` follows `token_from` (the setup flow needs them to agree); a
  tutorial that has support take part although the secret comes from a console keeps that
  in a note (`gallery_profile`).
- `[setup] menu` is the record's `menu_path` (labels with no letter or digit left out),
  except when support issues the credentials: that flow has no menu. `prerequisites` and
  `language` are the record's (a language that is no language tag is `en`); `console` is
  the app's name; `tenant_url_hint` is the Tenant URL as the tutorial writes it.
- `sso_first` is not set: records say whether the app offers single sign-on, not that it
  must come first (where it must, a prerequisite says so).
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.vendors.profile_auth import AUTH_KINDS, TOKEN_SOURCES, is_oauth_kind
from sandbox.vendors.setup_spec import slugify

DEFAULT_TOKEN_LABEL = "Secret Token"
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def auth_table(record: dict[str, Any]) -> dict[str, Any]:
    """The profile's `[auth]` table."""
    auth = record.get("auth") or {}
    kind = auth.get("kind") if auth.get("kind") in AUTH_KINDS else "bearer"
    oauth = is_oauth_kind(kind)
    source = auth.get("token_from")
    if source not in TOKEN_SOURCES or (source == "oauth" and not oauth):
        if oauth:
            source = "oauth"
        elif (record.get("setup") or {}).get("self_service") is False:
            source = "support"
        else:
            source = "console"
    label = auth.get("token_label")
    label = label.strip() if isinstance(label, str) and label.strip() else DEFAULT_TOKEN_LABEL
    return {"kind": kind, "token_label": label, "token_from": source}


def setup_table(record: dict[str, Any], token_from: str) -> dict[str, Any]:
    """The profile's `[setup]` table, fitting `[auth] token_from`."""
    setup = record.get("setup") or {}
    language = setup.get("language")
    table: dict[str, Any] = {
        "language": language if isinstance(language, str) and _LANGUAGE.fullmatch(language)
        else "en",
        "console": record["app_name"],
        "self_service": token_from != "support",
    }
    prerequisites = [p.strip() for p in setup.get("prerequisites") or [] if str(p).strip()]
    if prerequisites:
        table["prerequisites"] = prerequisites
    menu = [label.strip() for label in setup.get("menu_path") or []
            if isinstance(label, str) and slugify(label)]
    if menu and token_from != "support":
        table["menu"] = menu
    hint = tenant_url_as_written(record)
    if hint:
        table["tenant_url_hint"] = hint
    return table


def tenant_url_as_written(record: dict[str, Any]) -> str | None:
    """The tutorial's Tenant URL, or its URLs joined by "or" (a regional list)."""
    spec = record.get("tenant_url") or {}
    values = [v for v in spec.get("values") or [] if isinstance(v, str) and v.strip()]
    if isinstance(spec.get("value"), str) and spec["value"].strip():
        return spec["value"].strip()
    return " or ".join(values) or None
