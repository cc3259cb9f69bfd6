"""A link's secret: 256 random bits in the URL, only their SHA-256 in the database.

Whoever holds the URL may pay the link's amount and see the order's lines, so the token is the
only credential of the public endpoints: long enough that guessing is hopeless, never stored or
logged as it is. A database dump holds hashes, from which no URL can be rebuilt.
"""

import hashlib
import re
import secrets

TOKEN_BYTES = 32
# token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    """A cheap check before any lookup; a malformed token is answered like an unknown one."""
    return bool(_TOKEN.match(token))
