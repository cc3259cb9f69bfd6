"""Where docs/api.md names the roles that have an endpoint's permission ("Needs `payments:write`
(sales, finance, admin, or a service token with that scope)"), it names the roles the code
grants it to: once it said "sales, admin" for create-intent while its own table let finance."""

import re

from app.core.permissions import ROLE_PERMISSIONS, Permission, Role
from app.core.settings import REPO_ROOT

NEEDS = re.compile(r"Needs `([a-z]+:[a-z]+)` \(([^)]*?),? or a service token with that scope\)")


def test_every_section_names_the_roles_that_have_its_permission() -> None:
    text = " ".join((REPO_ROOT / "docs" / "api.md").read_text().split())
    found = NEEDS.findall(text)
    assert len(found) >= 6
    for permission, roles in found:
        named = {role.strip() for role in roles.split(",")}
        granted = {
            role.value
            for role, permissions in ROLE_PERMISSIONS.items()
            if Permission(permission) in permissions and role is not Role.SERVICE
        }
        assert named == granted, permission
