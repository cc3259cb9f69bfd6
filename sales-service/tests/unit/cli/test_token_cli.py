import subprocess
import sys
from pathlib import Path

import jwt

SERVICE_ROOT = Path(__file__).resolve().parents[3]
SECRET = "cli-test-secret-that-is-long-enough-0123456789"
ENV = {
    "PATH": "/usr/bin:/bin",
    "MONGODB_URL": "mongodb://db:27017",
    "REDIS_URL": "redis://cache:6379/0",
    "JWT_SECRET": SECRET,
    "JWT_ALGORITHM": "HS256",
    "JWT_ISSUER": "",
    "JWT_AUDIENCE": "",
}


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli.token", *args],
        cwd=SERVICE_ROOT,
        env={**ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_prints_a_token_signed_with_the_configured_secret() -> None:
    result = run_cli("--role", "finance")
    assert result.returncode == 0, result.stderr
    claims = jwt.decode(result.stdout.strip(), SECRET, algorithms=["HS256"])
    assert claims["sub"] == "demo-finance"
    assert claims["roles"] == ["finance"]
    assert claims["exp"] - claims["iat"] == 8 * 3600


def test_service_token_with_scopes() -> None:
    result = run_cli("--role", "service", "--sub", "svc-billing", "--scope", "orders:read")
    claims = jwt.decode(result.stdout.strip(), SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["scope"]) == ("svc-billing", "orders:read")


def test_configuration_errors_are_one_line() -> None:
    result = run_cli("--role", "sales", JWT_SECRET="")
    assert result.returncode == 2
    assert result.stderr == "configuration error: JWT_SECRET is missing\n"
    assert result.stdout == ""


def test_unknown_role_is_refused() -> None:
    result = run_cli("--role", "boss")
    assert result.returncode == 2
    assert "invalid choice: 'boss'" in result.stderr
