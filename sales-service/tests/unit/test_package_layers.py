"""The service's packages depend one way: no two import each other, directly or round a loop."""

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
SHARED = {"core", "infra"}  # below every package; they import none of them


def _package_imports() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP).parts
        if len(parts) < 2:
            continue  # main.py, composition.py, background.py: the top, above every package
        package = parts[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app."):
                target = node.module.split(".")[1]
                if target != package:
                    edges[package].add(target)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(package: str) -> list[str] | None:
        if package in visiting:
            return [*visiting[visiting.index(package) :], package]
        if package in done:
            return None
        visiting.append(package)
        for target in sorted(edges.get(package, ())):
            found = visit(target)
            if found:
                return found
        visiting.pop()
        done.add(package)
        return None

    for package in sorted(edges):
        found = visit(package)
        if found:
            return found
    return None


def test_no_import_cycle_between_packages() -> None:
    assert _cycle(_package_imports()) is None


def test_shared_packages_import_no_domain_package() -> None:
    edges = _package_imports()
    for package in SHARED:
        assert edges.get(package, set()) <= SHARED, (package, edges.get(package))


def test_payments_do_not_import_refunds() -> None:
    assert "refunds" not in _package_imports()["payments"]


def test_the_check_sees_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
