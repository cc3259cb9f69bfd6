"""Bearer-token authentication and permission checks, exposed as named dependencies.

Endpoints declare `principal: OrdersWrite` (or another alias below) and hold no auth logic.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.core.errors import Forbidden, ServiceUnavailable, Unauthorized
from app.core.permissions import Permission, Role, known_roles, permissions_for
from app.core.settings import Settings

logger = logging.getLogger(__name__)
CLOCK_SKEW_SECONDS = 30


@dataclass(frozen=True)
class Principal:
    """Who is calling and what they may do."""

    subject: str
    roles: frozenset[Role]
    scopes: frozenset[str]
    permissions: frozenset[Permission]


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    subject = claims.get("sub")
    roles = claims.get("roles", [])
    scope = claims.get("scope", "")
    if not isinstance(subject, str) or not subject:
        raise Unauthorized("The token has no subject.", invalid_token=True)
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise Unauthorized("The token's roles claim must be a list of strings.", invalid_token=True)
    if not isinstance(scope, str):
        raise Unauthorized("The token's scope claim must be a string.", invalid_token=True)
    role_set = known_roles(roles)
    scopes = frozenset(scope.split())
    return Principal(subject, role_set, scopes, permissions_for(role_set, scopes))


class TokenVerifier:
    """Verifies HS256 tokens with the shared secret, RS256 with a PEM key or a JWKS endpoint."""

    def __init__(self, settings: Settings) -> None:
        self._algorithm = settings.jwt_algorithm
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._jwks: jwt.PyJWKClient | None = None
        self._key: Any = None
        if self._algorithm == "HS256" and settings.jwt_secret is not None:
            self._key = settings.jwt_secret.get_secret_value()
        elif settings.jwt_jwks_url is not None:
            self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True, timeout=5)
        else:
            self._key = load_pem_public_key(settings.jwt_public_key_pem.encode())

    async def verify(self, token: str) -> Principal:
        key = await self._signing_key(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self._algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("The token has expired.", invalid_token=True) from None
        except jwt.InvalidTokenError:
            raise Unauthorized("The token is invalid.", invalid_token=True) from None
        return principal_from_claims(claims)

    async def _signing_key(self, token: str) -> Any:
        if self._jwks is None:
            return self._key
        try:
            # PyJWKClient fetches over blocking HTTP; keep it off the event loop.
            signing_key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError:
            logger.warning("JWKS endpoint unreachable")
            raise ServiceUnavailable("Token keys are unavailable; try again shortly.") from None
        except (jwt.PyJWKClientError, jwt.InvalidTokenError):
            raise Unauthorized("The token is invalid.", invalid_token=True) from None
        return signing_key.key


_bearer = HTTPBearer(auto_error=False, description="A JWT in `Authorization: Bearer <token>`")


async def get_token_verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    verifier: Annotated[TokenVerifier, Depends(get_token_verifier)],
) -> Principal:
    if credentials is None:
        raise Unauthorized("A bearer token is required.")
    principal = await verifier.verify(credentials.credentials)
    request.state.principal_sub = principal.subject  # for the access log
    return principal


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency that authenticates the caller and insists on one permission."""

    async def check_permission(
        principal: Annotated[Principal, Depends(authenticate)],
    ) -> Principal:
        if permission not in principal.permissions:
            raise Forbidden(f"This needs the {permission.value} permission.")
        return principal

    check_permission.permission = permission  # type: ignore[attr-defined]  # read by route_permission
    return check_permission


def route_permission(route: APIRoute) -> Permission | None:
    """The permission a route's `require` dependency insists on, if it has one."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        found = getattr(dependant.call, "permission", None)
        if isinstance(found, Permission):
            return found
        pending.extend(dependant.dependencies)
    return None


def describe_permissions(router: APIRouter) -> APIRouter:
    """Names each route's permission in its OpenAPI description, from the code that checks it
    (once: routers are module-level, and every app built includes them again)."""
    for route in router.routes:
        if isinstance(route, APIRoute) and (permission := route_permission(route)):
            needs = f"Needs `{permission.value}` (see the role table in docs/api.md)."
            if needs not in route.description:
                route.description = f"{route.description}\n\n{needs}".strip()
    return router


Authenticated = Annotated[Principal, Depends(authenticate)]
OrdersRead = Annotated[Principal, Depends(require(Permission.ORDERS_READ))]
OrdersWrite = Annotated[Principal, Depends(require(Permission.ORDERS_WRITE))]
PaymentsRead = Annotated[Principal, Depends(require(Permission.PAYMENTS_READ))]
PaymentsWrite = Annotated[Principal, Depends(require(Permission.PAYMENTS_WRITE))]
PaymentsCapture = Annotated[Principal, Depends(require(Permission.PAYMENTS_CAPTURE))]
RefundsRead = Annotated[Principal, Depends(require(Permission.REFUNDS_READ))]
RefundsWrite = Annotated[Principal, Depends(require(Permission.REFUNDS_WRITE))]
ReportsRead = Annotated[Principal, Depends(require(Permission.REPORTS_READ))]
AuditRead = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]
