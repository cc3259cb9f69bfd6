"""Roles, permissions and the one mapping between them.

A token's permissions are the union of its roles' permissions and its `scope` entries that name
known permissions. The `service` role grants nothing by itself: machine clients get exactly the
scopes their token lists.
"""

from collections.abc import Iterable
from enum import StrEnum


class Permission(StrEnum):
    ORDERS_READ = "orders:read"
    ORDERS_WRITE = "orders:write"
    PAYMENTS_READ = "payments:read"
    PAYMENTS_WRITE = "payments:write"
    PAYMENTS_CAPTURE = "payments:capture"
    REFUNDS_READ = "refunds:read"
    REFUNDS_WRITE = "refunds:write"
    REPORTS_READ = "reports:read"
    AUDIT_READ = "audit:read"


class Role(StrEnum):
    SALES = "sales"
    FINANCE = "finance"
    ADMIN = "admin"
    SERVICE = "service"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SALES: frozenset(
        {
            Permission.ORDERS_READ,
            Permission.ORDERS_WRITE,
            Permission.PAYMENTS_READ,
            Permission.PAYMENTS_WRITE,
            Permission.PAYMENTS_CAPTURE,
        }
    ),
    Role.FINANCE: frozenset(
        {
            Permission.ORDERS_READ,
            Permission.PAYMENTS_READ,
            Permission.PAYMENTS_WRITE,
            Permission.PAYMENTS_CAPTURE,
            Permission.REFUNDS_READ,
            Permission.REFUNDS_WRITE,
            Permission.REPORTS_READ,
            Permission.AUDIT_READ,
        }
    ),
    Role.ADMIN: frozenset(Permission),
    Role.SERVICE: frozenset(),
}

_KNOWN_ROLES = {role.value: role for role in Role}
_KNOWN_PERMISSIONS = {permission.value: permission for permission in Permission}


def known_roles(names: Iterable[str]) -> frozenset[Role]:
    """The recognised roles among `names`; unknown names are ignored, not errors."""
    return frozenset(_KNOWN_ROLES[name] for name in names if name in _KNOWN_ROLES)


def permissions_for(roles: Iterable[Role], scopes: Iterable[str]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    granted |= {_KNOWN_PERMISSIONS[scope] for scope in scopes if scope in _KNOWN_PERMISSIONS}
    return frozenset(granted)
