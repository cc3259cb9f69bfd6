import subprocess
import sys
from pathlib import Path

import pytest

from app.core.settings import ConfigurationError, load_settings

SERVICE_ROOT = Path(__file__).resolve().parents[3]
RSA_PUBLIC_KEY_MARKER = "-----BEGIN PUBLIC KEY-----"

VALID_ENV = {
    "MONGODB_URL": "mongodb://db.internal:27017",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "JWT_SECRET": "a-real-secret-that-is-long-enough-for-hs256",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A clean environment holding only VALID_ENV."""
    for name in (
        "MONGODB_URL", "MONGODB_DB", "REDIS_URL", "JWT_SECRET", "JWT_ALGORITHM", "JWT_PUBLIC_KEY",
        "JWT_JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE", "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "CORS_ORIGINS",
        "AUTH_DEV_LOGIN", "LOG_LEVEL", "PUBLIC_BASE_URL", "SMTP_URL", "SMTP_FROM",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in VALID_ENV.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def problems(env_files: tuple[Path, ...] = ()) -> str:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(env_files)
    return str(caught.value)


class TestValidSettings:
    def test_defaults(self, env: pytest.MonkeyPatch) -> None:
        settings = load_settings(())
        assert settings.mongodb_db == "erp_sales"
        assert settings.jwt_algorithm == "HS256"
        assert settings.auth_dev_login is False
        assert settings.cors_origins == []
        assert settings.stripe_api_base is None
        assert (settings.public_base_url, settings.smtp_url) == (None, None)

    def test_cors_origins_are_comma_separated(self, env: pytest.MonkeyPatch) -> None:
        env.setenv("CORS_ORIGINS", "http://localhost:5173, https://erp.example.com")
        assert load_settings(()).cors_origins == [
            "http://localhost:5173",
            "https://erp.example.com",
        ]

    def test_env_local_overrides_env_and_environment_overrides_both(
        self, env: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        env.delenv("MONGODB_URL")
        base = tmp_path / ".env"
        local = tmp_path / ".env.local"
        base.write_text("MONGODB_URL=mongodb://from-env:1\nMONGODB_DB=from_env\nLOG_LEVEL=debug\n")
        local.write_text("MONGODB_URL=mongodb://from-local:2\nMONGODB_DB=from_local\n")
        env.setenv("MONGODB_DB", "from_environment")
        settings = load_settings((base, local))
        assert settings.mongodb_url == "mongodb://from-local:2"
        assert settings.mongodb_db == "from_environment"
        assert settings.log_level == "DEBUG"

    def test_missing_env_files_are_fine(self, env: pytest.MonkeyPatch, tmp_path: Path) -> None:
        assert load_settings((tmp_path / ".env", tmp_path / ".env.local")).redis_url

    def test_placeholder_secret_is_allowed_with_dev_login(self, env: pytest.MonkeyPatch) -> None:
        env.setenv("JWT_SECRET", "dev-only-jwt-secret-change-me-0123456789")
        env.setenv("AUTH_DEV_LOGIN", "true")
        assert load_settings(()).auth_dev_login is True

    def test_rs256_with_a_pem_key(self, env: pytest.MonkeyPatch, rsa_public_pem: str) -> None:
        env.delenv("JWT_SECRET")
        env.setenv("JWT_ALGORITHM", "RS256")
        env.setenv("JWT_PUBLIC_KEY", rsa_public_pem.replace("\n", "\\n"))
        assert load_settings(()).jwt_public_key_pem.startswith(RSA_PUBLIC_KEY_MARKER)


class TestConfigurationErrors:
    @pytest.mark.parametrize("name", ["MONGODB_URL", "REDIS_URL", "JWT_SECRET"])
    def test_missing_required_setting_is_named(self, env: pytest.MonkeyPatch, name: str) -> None:
        env.delenv(name)
        assert problems() == f"configuration error: {name} is missing"

    def test_empty_value_counts_as_missing_and_beats_the_env_file(
        self, env: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        dotenv = tmp_path / ".env"
        dotenv.write_text("JWT_SECRET=a-real-secret-that-is-long-enough-for-hs256\n")
        env.setenv("JWT_SECRET", "")
        assert problems((dotenv,)) == "configuration error: JWT_SECRET is missing"

    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("MONGODB_URL", "postgres://db", "MONGODB_URL must start with mongodb://"),
            ("REDIS_URL", "localhost:6379", "REDIS_URL must start with redis://"),
            ("JWT_ALGORITHM", "HS512", "JWT_ALGORITHM must be HS256 or RS256 (got 'HS512')"),
            ("JWT_SECRET", "short", "JWT_SECRET is too short"),
            ("JWT_SECRET", "please-change-me-please-change-me-123", "JWT_SECRET is a placeholder"),
            ("AUTH_DEV_LOGIN", "maybe", "AUTH_DEV_LOGIN must be true or false"),
            (
                "CORS_ORIGINS",
                "localhost:5173",
                "CORS_ORIGINS has malformed origins: localhost:5173",
            ),
            ("STRIPE_SECRET_KEY", "pk_test_123", "STRIPE_SECRET_KEY must start with sk_test_"),
            ("STRIPE_WEBHOOK_SECRET", "secret", "STRIPE_WEBHOOK_SECRET must start with whsec_"),
            ("STRIPE_API_BASE", "127.0.0.1:8420", "STRIPE_API_BASE must be an http(s) URL"),
            ("MONGODB_DB", "bad name", "MONGODB_DB must be"),
            ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of"),
            ("PUBLIC_BASE_URL", "erp.example.com", "PUBLIC_BASE_URL must be an http(s) URL"),
            ("PUBLIC_BASE_URL", "https://erp.example.com/?a=1", "PUBLIC_BASE_URL must be"),
            ("SMTP_URL", "mail.example.com:25", "SMTP_URL must look like smtp://host:port"),
            ("SMTP_FROM", "payments", "SMTP_FROM must be an email address"),
        ],
    )
    def test_malformed_setting_is_named(
        self, env: pytest.MonkeyPatch, name: str, value: str, message: str
    ) -> None:
        env.setenv(name, value)
        text = problems()
        assert text.startswith(f"configuration error: {message}")
        assert "\n" not in text

    def test_several_problems_share_one_line(self, env: pytest.MonkeyPatch) -> None:
        env.delenv("MONGODB_URL")
        env.delenv("JWT_SECRET")
        assert problems() == "configuration error: MONGODB_URL is missing; JWT_SECRET is missing"

    def test_rs256_needs_a_key(self, env: pytest.MonkeyPatch) -> None:
        env.setenv("JWT_ALGORITHM", "RS256")
        assert problems() == (
            "configuration error: JWT_PUBLIC_KEY or JWT_JWKS_URL is missing (needed for RS256)"
        )

    def test_rs256_rejects_a_malformed_pem(self, env: pytest.MonkeyPatch) -> None:
        env.setenv("JWT_ALGORITHM", "RS256")
        env.setenv("JWT_PUBLIC_KEY", "not a key")
        assert problems() == (
            "configuration error: JWT_PUBLIC_KEY must be an RSA public key in PEM format"
        )

    def test_dev_login_needs_hs256(self, env: pytest.MonkeyPatch) -> None:
        env.setenv("JWT_ALGORITHM", "RS256")
        env.setenv("JWT_JWKS_URL", "https://idp.example.com/.well-known/jwks.json")
        env.setenv("AUTH_DEV_LOGIN", "true")
        assert "AUTH_DEV_LOGIN=true needs JWT_ALGORITHM=HS256" in problems()


class TestStartUp:
    def test_server_start_fails_with_one_clear_line(self) -> None:
        """Starting the real server with a bad setting prints one line, no traceback."""
        result = subprocess.run(
            [sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app", "--port", "0"],
            cwd=SERVICE_ROOT,
            env={
                "PATH": "/usr/bin:/bin",
                "JWT_SECRET": "",
                "MONGODB_URL": "mongodb://db:27017",
                "REDIS_URL": "redis://cache:6379/0",
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode != 0
        assert result.stderr == "configuration error: JWT_SECRET is missing\n"
        assert "Traceback" not in result.stderr


class TestDevLoginWithALiveKey:
    def test_dev_login_is_refused_with_a_live_key(self, env: pytest.MonkeyPatch) -> None:
        env.setenv("AUTH_DEV_LOGIN", "true")
        # Only the prefix matters; the rest says plainly that it is no key at all.
        env.setenv("STRIPE_SECRET_KEY", "sk_live_" + "placeholder-not-a-key")
        assert "AUTH_DEV_LOGIN=true is refused with a live Stripe key" in problems()

    def test_dev_login_with_a_test_key_starts(self, env: pytest.MonkeyPatch) -> None:
        env.setenv("AUTH_DEV_LOGIN", "true")
        env.setenv("STRIPE_SECRET_KEY", "sk_test_51TestAccountKey")
        assert load_settings(()).auth_dev_login is True
