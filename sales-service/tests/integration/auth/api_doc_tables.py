"""docs/api.md's two tables, read as data: the routes with who may call them, and the role table.

The permission matrix compares them with the code, so the docs cannot drift from what is
enforced."""

import re
from pathlib import Path

API_DOC = Path(__file__).resolve().parents[4] / "docs" / "api.md"
PERMISSION = re.compile(r"^`([a-z]+:[a-z]+)`$")


def _rows(header: str) -> list[list[str]]:
    """The cells of the table whose header row starts with `header`."""
    lines = API_DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def normalized(path: str) -> str:
    """`/orders/{id}?x=` and `/orders/{order_id}` name the same route."""
    return re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])


def route_table() -> dict[tuple[str, str], str | None]:
    """(method, normalized path) → the permission the table names, or None (anyone, Stripe…)."""
    table: dict[tuple[str, str], str | None] = {}
    for method, path, who, _ in _rows("| method | path | who |"):
        match = PERMISSION.match(who)
        table[(method, normalized(path.strip("`")))] = match.group(1) if match else None
    return table


def role_table() -> dict[str, set[str]]:
    """Role → the permissions ticked for it (`scope` means only what a token's scope lists)."""
    rows = _rows("| permission | sales | finance | admin | service |")
    roles = ["sales", "finance", "admin", "service"]
    table: dict[str, set[str]] = {role: set() for role in roles}
    for permission, *cells in rows:
        for role, cell in zip(roles, cells, strict=True):
            if cell == "✓":
                table[role].add(permission.strip("`"))
    return table
