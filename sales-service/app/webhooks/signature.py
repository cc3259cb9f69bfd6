"""Stripe's webhook signature: `Stripe-Signature: t=<unix time>,v1=<hex>[,v1=<hex>…]`.

Each `v1` is the hex HMAC-SHA256 of `"{t}.{raw body}"` keyed with an endpoint secret. Several
secrets are accepted so one can be rotated without dropping events: Stripe signs with the old
and the new secret for a while (several `v1` entries), and we may hold both.
"""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

SIGNATURE_HEADER = "Stripe-Signature"
SCHEME = "v1"
MAX_HEADER_LENGTH = 4096


class SignatureError(Exception):
    """Why a delivery is refused; `kind` is the stable machine name."""

    kind = "signature_invalid"


class SignatureMissing(SignatureError):
    kind = "signature_missing"


class SignatureMalformed(SignatureError):
    kind = "signature_malformed"


class SignatureMismatch(SignatureError):
    kind = "signature_mismatch"


class SignatureExpired(SignatureError):
    kind = "signature_expired"


@dataclass(frozen=True)
class SignatureHeader:
    timestamp: int
    signatures: tuple[str, ...]


def parse_header(header: str | None) -> SignatureHeader:
    if header is None or not header.strip():
        raise SignatureMissing(f"The {SIGNATURE_HEADER} header is missing.")
    if len(header) > MAX_HEADER_LENGTH:
        raise SignatureMalformed(f"The {SIGNATURE_HEADER} header is too long.")
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        name, separator, value = item.strip().partition("=")
        if not separator:
            continue
        if name == "t":
            if not value.isascii() or not value.isdigit():
                raise SignatureMalformed(f"The {SIGNATURE_HEADER} timestamp is not a number.")
            timestamp = int(value)
        elif name == SCHEME:
            signatures.append(value)
    if timestamp is None:
        raise SignatureMalformed(f"The {SIGNATURE_HEADER} header has no timestamp (t=).")
    if not signatures:
        raise SignatureMalformed(f"The {SIGNATURE_HEADER} header has no {SCHEME} signature.")
    return SignatureHeader(timestamp, tuple(signatures))


def compute_signature(payload: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """A header value as Stripe writes it (for tests, tools and benchmarks)."""
    return f"t={timestamp},{SCHEME}={compute_signature(payload, secret, timestamp)}"


def verify(
    payload: bytes,
    header: str | None,
    secrets: Sequence[str],
    *,
    tolerance_seconds: int,
    now: float,
) -> int:
    """Checks the raw body against the header; returns the signed timestamp or raises.

    Every secret is compared with every `v1` entry in constant time. The timestamp is checked
    only after a signature matched, so an unsigned request learns nothing about our clock.
    """
    parsed = parse_header(header)
    candidates = [signature.encode() for signature in parsed.signatures]
    matched = False
    for secret in secrets:
        expected = compute_signature(payload, secret, parsed.timestamp).encode()
        for candidate in candidates:
            # No early exit: every comparison runs, whichever matched.
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureMismatch(f"No {SCHEME} signature matches the body with our secret.")
    if abs(now - parsed.timestamp) > tolerance_seconds:
        raise SignatureExpired(
            f"The signature's timestamp is more than {tolerance_seconds} s from our clock."
        )
    return parsed.timestamp
