"""Checks behind the vendor setup screens: plain functions, no Flask, each returning the message
an admin reads (None when the value is fine).

Each check follows what a vendor's tutorial asks for, so a training admin who types what a
real console would refuse is told why, in plain words.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
from collections.abc import Callable
from urllib.parse import urlsplit

# One slug rule for menu labels (checked with the profile) and names typed in the console.
from sandbox.vendors.setup_spec import slugify as slugify

BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----"
END_CERTIFICATE = "-----END CERTIFICATE-----"
MIN_SECRET_LENGTH = 16
# An organization slug or directory id becomes one path segment of the Tenant URL.
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MAX_CERTIFICATE_CHARS = 20_000  # a real signing certificate is 1-3 KB of Base64


def check_confirmed(confirmed: bool, prerequisite: str) -> str | None:
    """A prerequisite the tutorial lists, which the admin must say they have."""
    if confirmed:
        return None
    return f"The tutorial requires this before you start: “{prerequisite}”."


def check_choice(value: str, expected: str, label: str) -> str | None:
    """A dropdown the tutorial says to set to one value (e.g. Data Integration = Azure)."""
    if value == expected:
        return None
    if not value:
        return f"Select “{expected}” for {label}."
    sentence = label[:1].upper() + label[1:]  # the label may be "the login method"
    return f"{sentence} must be “{expected}”, as the tutorial says; you chose “{value}”."


def check_issuer(value: str, expected: str) -> str | None:
    """Vault Platform's SAML step: the Issuer URI is exactly the value its tutorial gives."""
    given = value.strip()
    if given == expected:
        return None
    if not given:
        return f"Issuer URI is empty; it must be set to “{expected}”."
    return f"Issuer URI must be set to “{expected}” exactly; you entered “{given}”."


def check_https_url(value: str, label: str) -> str | None:
    """An absolute https URL, such as the Login URL Entra shows for SAML sign-in."""
    given = value.strip()
    if not given:
        return f"{label} is empty; paste the Login URL from Entra's SAML setup instructions."
    try:
        parts = urlsplit(given)
    except ValueError:
        parts = None
    if parts is None or parts.scheme != "https" or not parts.hostname or " " in given:
        return (f"{label} must be an https URL, such as "
                "https://login.microsoftonline.com/<tenant-id>/saml2.")
    return None


def check_certificate(text: str) -> str | None:
    """Vault Platform's SAML step: the Base64 certificate file pasted whole, its BEGIN and
    END CERTIFICATE lines included."""
    given = text.strip()
    if not given:
        return ("Certificate is empty; open the Certificate (Base64) file in a text editor and "
                "paste all of it, markers included.")
    if len(given) > _MAX_CERTIFICATE_CHARS:
        return "Certificate is far too long for a signing certificate; paste only that one file."
    if not given.startswith(BEGIN_CERTIFICATE):
        return (f"Certificate must start with the {BEGIN_CERTIFICATE} marker; copy the file's "
                "contents including the markers.")
    if not given.endswith(END_CERTIFICATE):
        return (f"Certificate must end with the {END_CERTIFICATE} marker; copy the file's "
                "contents including the markers.")
    inside = given[len(BEGIN_CERTIFICATE):-len(END_CERTIFICATE)]
    if BEGIN_CERTIFICATE in inside or END_CERTIFICATE in inside:
        return "Certificate holds more than one certificate; paste only the signing certificate."
    body = "".join(inside.split())
    if not body:
        return "Certificate has its markers but nothing between them."
    try:
        base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return ("Certificate is not Base64 between its markers: download the Certificate "
                "(Base64) file, not the Raw or Federation Metadata XML one.")
    return None


def secret_shortfalls(secret: str) -> list[str]:
    """What keeps `secret` from being as complex as a strong password (Vault Platform's
    Data Integration asks for that): empty when it is strong enough."""
    missing: list[str] = []
    if len(secret) < MIN_SECRET_LENGTH:
        missing.append(f"at least {MIN_SECRET_LENGTH} characters (it has {len(secret)})")
    classes = (
        ("a lowercase letter", string.ascii_lowercase),
        ("an uppercase letter", string.ascii_uppercase),
        ("a digit", string.digits),
        ("a symbol such as !#%+-_", string.punctuation),
    )
    missing += [name for name, chars in classes if not any(c in chars for c in secret)]
    return missing


def check_secret(secret: str, label: str = "Secret") -> str | None:
    """The secret becomes the credential Entra sends, so it must also travel in an
    Authorization header: printable ASCII without spaces."""
    if not secret:
        return f"{label} is empty; choose a long, complex string, as for a strong password."
    if not secret.isascii() or not secret.isprintable() or any(c.isspace() for c in secret):
        return (f"{label} may hold only printable ASCII characters without spaces: it travels "
                "in an HTTP header.")
    missing = secret_shortfalls(secret)
    if missing:
        return f"{label} is not strong enough; it needs " + ", ".join(missing) + "."
    return None


def check_slug(slug: str, label: str = "Organization slug") -> str | None:
    """A slug that is one path segment of the Tenant URL."""
    if not slug:
        return f"{label} is empty; it is the last part of your Tenant URL."
    if not _SLUG.fullmatch(slug):
        return (f"{label} may hold only lowercase letters, digits and hyphens (not at either "
                "end), at most 63 characters, e.g. “acme-corp”.")
    return None


def unique_name(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is not taken yet."""
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def missing_field_message(value: str, label: str) -> str | None:
    """The form's message when a required field is left empty, else None."""
    return None if value.strip() else f"{label} is required."


def check_email(value: str, label: str = "Email") -> str | None:
    given = value.strip()
    if not given:
        return f"{label} is required."
    return None if _EMAIL.fullmatch(given) else f"{label} must be an email address."


def check_entra_tenant_id(value: str) -> str | None:
    """The Microsoft Entra tenant ID (Directory ID), a GUID, that a vendor's support asks for."""
    given = value.strip()
    if not given:
        return "Microsoft Entra tenant ID is required: Entra admin center > Overview > Tenant ID."
    if not _GUID.fullmatch(given):
        return ("Microsoft Entra tenant ID is a GUID such as "
                "00000000-0000-0000-0000-000000000000 (Entra admin center > Overview).")
    return None
