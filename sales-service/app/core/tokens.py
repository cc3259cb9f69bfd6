"""Issuing HS256 tokens for demo users and local tools; production tokens come from an IdP."""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import jwt

from app.core.permissions import Role
from app.core.settings import Settings

DEMO_TOKEN_TTL = timedelta(hours=8)


class TokenIssuingUnavailable(Exception):
    """Raised when the configuration has no HS256 secret to sign with."""


def issue_token(
    settings: Settings,
    *,
    subject: str,
    roles: Iterable[Role],
    scopes: Iterable[str] = (),
    ttl: timedelta = DEMO_TOKEN_TTL,
    now: datetime | None = None,
) -> str:
    if settings.jwt_algorithm != "HS256" or settings.jwt_secret is None:
        raise TokenIssuingUnavailable("tokens can only be issued with JWT_ALGORITHM=HS256")
    issued_at = now or datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": subject,
        "roles": [role.value for role in roles],
        "iat": issued_at,
        "exp": issued_at + ttl,
        "jti": uuid.uuid4().hex,
    }
    scope = " ".join(scopes)
    if scope:
        claims["scope"] = scope
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")
