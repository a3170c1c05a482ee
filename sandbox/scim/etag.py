"""Entity tags for resource versions (RFC 7644 §3.14)."""

from __future__ import annotations

from sandbox.scim.errors import precondition_failed


def make_version(revision: int) -> str:
    """The weak ETag of a resource's `revision`-th state."""
    return f'W/"{revision}"'


def revision_of(version: str) -> int | None:
    """The revision number inside a version made by `make_version`, or None for another."""
    text = version.removeprefix("W/").strip('"') if isinstance(version, str) else ""
    return int(text) if text.isdigit() else None


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _same(tag: str, version: str) -> bool:
    # Weak comparison (RFC 7232 §2.3.2): W/"1" and "1" name the same version.
    return tag.removeprefix("W/") == version.removeprefix("W/")


def check_if_match(header: str | None, version: str) -> None:
    """Raise 412 when an `If-Match` header names none of the current version."""
    if not header:
        return
    tags = _tags(header)
    if "*" in tags or any(_same(tag, version) for tag in tags):
        return
    raise precondition_failed(
        f"The resource has changed: If-Match {header} does not match its version {version}."
    )


def if_none_match_hits(header: str | None, version: str) -> bool:
    """True when an `If-None-Match` header names the current version (answer 304)."""
    if not header:
        return False
    tags = _tags(header)
    return "*" in tags or any(_same(tag, version) for tag in tags)
