"""Shared fixtures: the compose file, the env files and the sales-service settings names."""

import importlib
import sys
from typing import Any

import pytest
from repo_files import COMPOSE_FILE, REPO_ROOT, load_yaml, read_env_file


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = load_yaml(COMPOSE_FILE)
    return document


@pytest.fixture(scope="session")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


@pytest.fixture(scope="session")
def dotenv() -> dict[str, str]:
    return read_env_file(REPO_ROOT / ".env")


@pytest.fixture(scope="session")
def test_env() -> dict[str, str]:
    return read_env_file(REPO_ROOT / "dev" / "test.env")


@pytest.fixture(scope="session")
def compose_env() -> dict[str, str]:
    return read_env_file(REPO_ROOT / "deploy" / "compose.env")


@pytest.fixture(scope="session")
def settings_names() -> set[str]:
    """The environment names the sales-service reads (its Settings fields, upper-cased)."""
    sys.path.insert(0, str(REPO_ROOT / "sales-service"))
    try:
        settings_module = importlib.import_module("app.core.settings")
    finally:
        sys.path.pop(0)
    return {name.upper() for name in settings_module.Settings.model_fields}
