"""docs/openapi.json is the app's OpenAPI document; this fails as soon as they differ."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.export_openapi import DEFAULT_OUTPUT, REGENERATE_COMMAND, openapi_document, render

SERVICE_ROOT = Path(__file__).resolve().parents[3]


def test_committed_document_matches_the_app() -> None:
    expected = render(openapi_document())
    committed = DEFAULT_OUTPUT.read_text() if DEFAULT_OUTPUT.exists() else ""
    if committed != expected:
        pytest.fail(
            f"docs/openapi.json is out of date with the app; regenerate it: {REGENERATE_COMMAND}"
        )


def test_the_document_does_not_depend_on_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = render(openapi_document())
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_from_the_environment")
    monkeypatch.setenv("CORS_ORIGINS", "https://somewhere.example")
    monkeypatch.setenv("AUTH_DEV_LOGIN", "false")
    assert render(openapi_document()) == plain


def test_the_command_writes_and_checks(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app.cli.export_openapi", "--output", str(target), *args],
            cwd=SERVICE_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    stale = run("--check")
    assert stale.returncode == 1
    assert f"regenerate it: {REGENERATE_COMMAND}" in stale.stderr
    assert run().returncode == 0
    assert json.loads(target.read_text())["info"]["title"] == "ERP sales-service"
    assert run("--check").returncode == 0
