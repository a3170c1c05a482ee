"""How a presented secret is checked against the one the sandbox keeps.

One rule for every secret (tenant tokens, the admin token, the console's sign-in): keep the
SHA-256 digest, hash what is presented, and compare the digests in constant time. Comparing
digests of a fixed length means the comparison's time says nothing about a token's length
or content, and the sandbox need not keep the secret itself where a digest will do.
"""

from __future__ import annotations

import hashlib
import hmac


def token_digest(token: str) -> bytes:
    """The SHA-256 digest of a token's UTF-8 bytes."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def digest_matches(given_token: str, expected_digest: bytes) -> bool:
    """Whether `given_token` hashes to `expected_digest`, in constant time; an empty token
    never matches (a missing header must not pass as the secret ``""``)."""
    if not given_token:
        return False
    return hmac.compare_digest(token_digest(given_token), expected_digest)
