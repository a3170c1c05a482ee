"""The Admin Credentials a tutorial asks for: the auth kind, where the secret comes from and
what the vendor calls it, and the Tenant URL (a value, a template, a console label...)."""

from __future__ import annotations

import re

from sandbox.vendors.importer.markdown_text import bold_labels, plain

_URL = re.compile(r"`(https?://[^`\s]+)`|(?<![(`\w])(https?://[^\s)`'\"<>,]+[^\s)`'\".,;<>])")
_DOC_HOSTS = re.compile(r"//(entra\.microsoft\.com|portal\.azure\.com|learn\.microsoft\.com|"
                        r"docs\.microsoft\.com|aka\.ms)", re.I)
_PLACEHOLDER = re.compile(r"\$\{|\{[^}]*\}|<[^>]*>|\[[^\]]*\]|\bYOUR[-_]|your[-_]?(sub)?domain|"
                          r"\bx{3,}\b|tenant[-_]?(name|id)\b", re.I)
_SECRET_WORDS = {"token", "key", "secret", "jeton", "clé", "password", "apikey"}
_BUTTON_VERBS = {"generate", "create", "issue", "copy", "show", "view", "reveal", "reset",
                 "regenerate", "add", "new", "get", "request", "revoke", "rotate", "générer"}
_URL_WORDS = re.compile(r"\burl\b|endpoint|\buri\b", re.I)
_NO_STOP = r"(?:[^.]|\.(?=\S))"  # a sentence goes on past a dot inside a name ("Vault.cloud")
_HELPERS = r"\b(support|representative|customer success|account manager|team)\b"
_HANDS_OVER = r"\b(provides?|will provide|sends?|will send|gives?|issues?|generates?|shares?)\b"
SUPPORT = re.compile(rf"\bcontact\b{_NO_STOP}{{0,80}}?{_HELPERS}|"
                     rf"{_HELPERS}{_NO_STOP}{{0,60}}?{_HANDS_OVER}", re.I)
_SELF_CHOSEN = re.compile(r"complex string|strong password|of your (own )?choice|(choose|create|"
                          r"pick|make up) (a|your own) (secret|password|token)", re.I)


def _split_label(label: str) -> list[str]:
    return [p.strip(" .:") for p in re.split(r"\s*&\s*|\s+and\s+|\s*/\s*", plain(label))
            if p.strip(" .:")]


def _labels(text: str) -> list[str]:
    return [part for label, _ in bold_labels(text) for part in _split_label(label)]


def is_secret_label(label: str) -> bool:
    """Whether a console label names a secret ("API Key", "Jeton secret", "Bearer Token")."""
    words = label.lower().split()
    if not words or len(words) > 5 or words[0] in _BUTTON_VERBS:  # "Generate Token" is a button
        return False
    return words[-1] in _SECRET_WORDS or words[0] in _SECRET_WORDS


def _has_authorize(text: str) -> bool:
    return bool(re.search(r"\*\*authori[sz]e\*\*|(select|click|choose) (the )?authori[sz]e\b",
                          text, re.I))


def read_auth(creds: str, vendor: str, has_menu: bool) -> dict:
    """The `auth` object: kind, the secret's label, where it comes from."""
    if _has_authorize(creds):
        return {"kind": "oauth2_authorization_code", "token_label": None, "token_from": "oauth",
                "token_lifetime_days": None}
    lowered = creds.lower()
    if ("client id" in lowered and "client secret" in lowered) or re.search(
            r"client credentials|token endpoint", lowered):
        return {"kind": "oauth2_client_credentials", "token_label": None,
                "token_from": "oauth", "token_lifetime_days": None}
    if re.search(r"admin(istrator)? ?user ?name", lowered) and "password" in lowered:
        return {"kind": "basic", "token_label": None, "token_from": "console",
                "token_lifetime_days": None}
    label = next((p for p in _labels(vendor) if is_secret_label(p)), None)
    label = label or next((p for p in _labels(creds) if is_secret_label(p)
                           and p.lower() != "secret token"), None)
    if not label and "secret token" in lowered:
        label = "Secret Token"
    if _SELF_CHOSEN.search(vendor):
        source = "self_chosen"
    elif has_menu or (label and label.lower() != "secret token"):
        source = "console"
    elif SUPPORT.search(vendor) or SUPPORT.search(creds):
        source = "support"
    else:
        source = None
    return {"kind": "bearer", "token_label": label, "token_from": source,
            "token_lifetime_days": None}


def urls_in(text: str) -> list[str]:
    """The URLs a text gives as values: in code marks or bare, not link targets or Microsoft's."""
    found = []
    for match in _URL.finditer(text):
        url = match.group(1) or match.group(2)
        if not _DOC_HOSTS.search(url) and url not in found:
            found.append(url)
    return found


def _url_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines()
                     if re.search(r"tenant url|base url|scim url|endpoint", line, re.I))


def read_tenant_url(creds: str, vendor: str, everything: str, auth_kind: str) -> dict:
    """The `tenant_url` object: how an admin finds the Tenant URL, and its value or label."""
    urls = urls_in(creds) or urls_in(_url_lines(vendor)) or urls_in(_url_lines(everything))
    templates = [u for u in urls if _PLACEHOLDER.search(u)]
    if templates:
        return {"kind": "template", "value": templates[0], "label": None}
    if len(urls) > 1:
        return {"kind": "region_list", "value": None, "values": urls, "label": None}
    if urls:
        return {"kind": "fixed", "value": urls[0], "label": None}
    if auth_kind == "oauth2_authorization_code":
        return {"kind": "oauth_preset", "value": None, "label": None}
    label = next((p for p in _labels(vendor) if _URL_WORDS.search(p)), None)
    if label or re.search(r"tenant url|base url|scim url|scim endpoint", vendor, re.I):
        return {"kind": "console", "value": None, "label": label}
    if SUPPORT.search(vendor) or SUPPORT.search(creds):
        return {"kind": "support", "value": None, "label": None}
    return {"kind": "none", "value": None, "label": None}
