"""Helpers shared by unit and integration tests: settings and hand-made tokens."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from app.core.settings import Settings

TEST_JWT_SECRET = "test-only-secret-for-the-test-suite-0123456789"


def make_settings(**overrides: Any) -> Settings:
    """Settings from explicit values only (no `.env`), overriding whatever the shell exports."""
    values: dict[str, Any] = {
        "mongodb_url": "mongodb://127.0.0.1:27117",
        "mongodb_db": "erp_sales_unit",
        "redis_url": "redis://127.0.0.1:16379/0",
        "jwt_secret": TEST_JWT_SECRET,
        "jwt_algorithm": "HS256",
        "jwt_public_key": None,
        "jwt_jwks_url": None,
        "jwt_issuer": None,
        "jwt_audience": None,
        "cors_origins": "http://localhost:5173",
        "auth_dev_login": True,
        "log_level": "INFO",
    }
    values.update(overrides, _env_file=None)
    return Settings(**values)


def make_token(
    *,
    sub: str | None = "user-1",
    roles: list[str] | None = None,
    scope: str | None = None,
    expires_in: timedelta = timedelta(minutes=5),
    key: Any = TEST_JWT_SECRET,
    algorithm: str = "HS256",
    extra: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
) -> str:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {"iat": now, "exp": now + expires_in}
    if sub is not None:
        claims["sub"] = sub
    if roles is not None:
        claims["roles"] = roles
    if scope is not None:
        claims["scope"] = scope
    claims.update(extra or {})
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def unsigned_token(claims: dict[str, Any]) -> str:
    """An `alg: none` token (empty signature), which must never be accepted."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."
