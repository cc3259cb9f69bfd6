"""Service configuration read from the environment, `.env` and `.env.local`.

Precedence, strongest first: environment variables, `.env.local`, `.env`. Both files live at the
repository root and are optional. Every problem is reported by its variable name so that start-up
can fail with one readable line instead of a traceback.
"""

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.core.currencies import SUPPORTED_CURRENCIES

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_ENV_FILES: tuple[Path, ...] = (REPO_ROOT / ".env", REPO_ROOT / ".env.local")

MIN_JWT_SECRET_LENGTH = 32
PLACEHOLDER_MARKERS = ("change-me", "changeme", "change_me", "replace-me", "placeholder", "xxxx")
_ORIGIN = re.compile(r"^https?://[^/\s]+$")
_DB_NAME = re.compile(r"^[A-Za-z0-9_-]{1,63}$")
_URL = re.compile(r"^https?://\S+$")
_ORIGIN_WITH_PATH = re.compile(r"^https?://[^/\s?#]+(/[^\s?#]*)?$")
_SMTP_URL = re.compile(r"^smtps?://([^@\s/]+@)?[^@\s/:]+(:[0-9]{1,5})?/?$")
_EMAIL = re.compile(r"^[^@\s<>]{1,64}@[^@\s<>]{1,255}$")


class ConfigurationError(Exception):
    """Raised when settings are missing or malformed; its text is one line naming the variables."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("configuration error: " + "; ".join(self.problems))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    mongodb_url: str | None = None
    mongodb_db: str = "erp_sales"
    redis_url: str | None = None

    jwt_secret: SecretStr | None = None
    jwt_algorithm: str = "HS256"
    jwt_public_key: str | None = None
    jwt_jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None

    stripe_secret_key: SecretStr | None = None
    stripe_publishable_key: str | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str | None = None
    # Where browsers load the emulator's Stripe.js when STRIPE_API_BASE is not reachable from
    # them (inside docker-compose); defaults to STRIPE_API_BASE + /v3.
    stripe_js_url: str | None = None
    stripe_currency: str = "usd"
    # Webhooks: STRIPE_WEBHOOK_SECRET may list several secrets, comma-separated, during rotation.
    stripe_webhook_tolerance_seconds: int = 300
    webhook_sweep_interval_seconds: float = 5.0  # 0 turns the background sweep off
    webhook_lease_seconds: float = 60.0
    webhook_retry_base_seconds: float = 5.0
    webhook_retry_max_seconds: float = 900.0
    webhook_workers: int = 4  # tasks per process applying stored events after the answer
    webhook_queue_size: int = 1000  # events waiting per process; beyond it the sweep takes them
    webhook_queue_hold_seconds: float = 15.0  # a queued event is kept from the sweep this long
    # Events sync: Stripe's event list is read every interval (0 turns it off) from a stored
    # cursor minus the overlap, so an event created while the last round ran is not missed.
    events_sync_interval_seconds: float = 60.0
    events_sync_overlap_seconds: float = 300.0
    events_sync_lease_seconds: float = 120.0
    # The payment repair job (0 turns it off): how often it runs, how long after a payment's
    # last change it asks Stripe, and how long a payment without an intent is left to its
    # create-intent request before it is settled at Stripe.
    payment_repair_interval_seconds: float = 15.0
    payment_check_delay_seconds: float = 120.0
    intentless_grace_seconds: float = 900.0
    # An intent waiting for the customer with no activity this long is canceled at Stripe.
    abandoned_intent_after_hours: float = 24.0
    # The refund reconciler: how often it runs and how long after a refund was sent it asks.
    refund_reconcile_interval_seconds: float = 60.0
    refund_stale_after_seconds: float = 600.0
    # Where Stripe should deliver events; the endpoint check looks for an enabled endpoint here.
    stripe_webhook_url: str | None = None
    # Payment links: the address customers open (the gateway's public URL; links are
    # `<base>/pay/<token>`), and the mail server that sends them (none: staff copy the link).
    public_base_url: str | None = None
    smtp_url: SecretStr | None = None
    smtp_from: str = "payments@localhost"

    cors_origins: Annotated[list[str], NoDecode] = []
    auth_dev_login: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        """`NAME=` (empty) means "not set", so defaults and "is missing" apply to it."""
        if not isinstance(data, dict):
            return data
        cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return {k: v for k, v in cleaned.items() if v != ""}

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        problems = [
            *self._storage_problems(),
            *self._jwt_problems(),
            *self._stripe_problems(),
            *self._webhook_problems(),
            *self._cors_problems(),
            *self._payment_link_problems(),
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _storage_problems(self) -> list[str]:
        problems = []
        if self.mongodb_url is None:
            problems.append("MONGODB_URL is missing")
        elif not self.mongodb_url.startswith(("mongodb://", "mongodb+srv://")):
            problems.append("MONGODB_URL must start with mongodb:// or mongodb+srv://")
        if not _DB_NAME.match(self.mongodb_db):
            problems.append("MONGODB_DB must be 1-63 letters, digits, '_' or '-'")
        if self.redis_url is None:
            problems.append("REDIS_URL is missing")
        elif not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            problems.append("REDIS_URL must start with redis://, rediss:// or unix://")
        return problems

    def _jwt_problems(self) -> list[str]:
        if self.jwt_algorithm not in ("HS256", "RS256"):
            return [f"JWT_ALGORITHM must be HS256 or RS256 (got {self.jwt_algorithm!r})"]
        if self.jwt_algorithm == "HS256":
            problems = self._hs256_secret_problems()
        else:
            problems = self._rs256_key_problems()
            if self.auth_dev_login:
                problems.append(
                    "AUTH_DEV_LOGIN=true needs JWT_ALGORITHM=HS256 (demo tokens are signed "
                    "with JWT_SECRET)"
                )
        return problems

    def _hs256_secret_problems(self) -> list[str]:
        if self.jwt_secret is None:
            return ["JWT_SECRET is missing"]
        secret = self.jwt_secret.get_secret_value()
        if len(secret) < MIN_JWT_SECRET_LENGTH:
            return [f"JWT_SECRET is too short (at least {MIN_JWT_SECRET_LENGTH} characters)"]
        if not self.auth_dev_login and any(m in secret.lower() for m in PLACEHOLDER_MARKERS):
            return ["JWT_SECRET is a placeholder (allowed only with AUTH_DEV_LOGIN=true)"]
        return []

    def _rs256_key_problems(self) -> list[str]:
        if self.jwt_public_key is None and self.jwt_jwks_url is None:
            return ["JWT_PUBLIC_KEY or JWT_JWKS_URL is missing (needed for RS256)"]
        if self.jwt_public_key is not None and self.jwt_jwks_url is not None:
            return ["set only one of JWT_PUBLIC_KEY and JWT_JWKS_URL"]
        if self.jwt_jwks_url is not None and not _URL.match(self.jwt_jwks_url):
            return ["JWT_JWKS_URL must be an http(s) URL"]
        if self.jwt_public_key is not None and not _is_rsa_public_key(self.jwt_public_key_pem):
            return ["JWT_PUBLIC_KEY must be an RSA public key in PEM format"]
        return []

    def _stripe_problems(self) -> list[str]:
        problems = []
        secret = self.stripe_secret_key.get_secret_value() if self.stripe_secret_key else None
        if secret is not None and not secret.startswith(("sk_test_", "sk_live_", "rk_")):
            problems.append("STRIPE_SECRET_KEY must start with sk_test_, sk_live_ or rk_")
        live = secret is not None and secret.startswith(("sk_live_", "rk_live_"))
        if self.auth_dev_login and live:
            problems.append("AUTH_DEV_LOGIN=true is refused with a live Stripe key")
        publishable = self.stripe_publishable_key
        if publishable is not None and not publishable.startswith(("pk_test_", "pk_live_")):
            problems.append("STRIPE_PUBLISHABLE_KEY must start with pk_test_ or pk_live_")
        if not all(secret.startswith("whsec_") for secret in self.stripe_webhook_secrets):
            problems.append("STRIPE_WEBHOOK_SECRET must start with whsec_ (each, if several)")
        if self.stripe_api_base is not None and not _URL.match(self.stripe_api_base):
            problems.append("STRIPE_API_BASE must be an http(s) URL (or empty for real Stripe)")
        if self.stripe_js_url is not None and not _URL.match(self.stripe_js_url):
            problems.append("STRIPE_JS_URL must be an http(s) URL")
        if self.stripe_currency.lower() not in SUPPORTED_CURRENCIES:
            problems.append("STRIPE_CURRENCY must be a supported ISO 4217 code, e.g. usd")
        return problems

    def _webhook_problems(self) -> list[str]:
        problems = []
        if not 1 <= self.stripe_webhook_tolerance_seconds <= 3600:
            problems.append("STRIPE_WEBHOOK_TOLERANCE_SECONDS must be between 1 and 3600")
        if self.webhook_sweep_interval_seconds < 0:
            problems.append("WEBHOOK_SWEEP_INTERVAL_SECONDS must be >= 0 (0 turns the sweep off)")
        if self.webhook_workers < 1 or self.webhook_queue_size < 1:
            problems.append("WEBHOOK_WORKERS and WEBHOOK_QUEUE_SIZE must be >= 1")
        for name in (
            "webhook_lease_seconds",
            "webhook_retry_base_seconds",
            "webhook_queue_hold_seconds",
        ):
            if getattr(self, name) <= 0:
                problems.append(f"{name.upper()} must be > 0")
        if self.webhook_retry_max_seconds < self.webhook_retry_base_seconds:
            problems.append("WEBHOOK_RETRY_MAX_SECONDS must be >= WEBHOOK_RETRY_BASE_SECONDS")
        if self.events_sync_interval_seconds < 0:
            problems.append("EVENTS_SYNC_INTERVAL_SECONDS must be >= 0 (0 turns the sync off)")
        if self.events_sync_overlap_seconds < 0:
            problems.append("EVENTS_SYNC_OVERLAP_SECONDS must be >= 0")
        if self.events_sync_lease_seconds <= 0:
            problems.append("EVENTS_SYNC_LEASE_SECONDS must be > 0")
        if self.stripe_webhook_url is not None and not _URL.match(self.stripe_webhook_url):
            problems.append("STRIPE_WEBHOOK_URL must be an http(s) URL")
        return problems

    def _payment_link_problems(self) -> list[str]:
        problems = []
        if self.public_base_url is not None and not _ORIGIN_WITH_PATH.match(self.public_base_url):
            problems.append("PUBLIC_BASE_URL must be an http(s) URL without query or fragment")
        smtp = self.smtp_url.get_secret_value() if self.smtp_url else None
        if smtp is not None and not _SMTP_URL.match(smtp):
            problems.append(
                "SMTP_URL must look like smtp://host:port or smtps://user:pass@host:port"
            )
        if not _EMAIL.match(self.smtp_from):
            problems.append("SMTP_FROM must be an email address")
        return problems

    def _cors_problems(self) -> list[str]:
        bad = [o for o in self.cors_origins if o != "*" and not _ORIGIN.match(o)]
        if bad:
            return [f"CORS_ORIGINS has malformed origins: {', '.join(bad)}"]
        return []

    @property
    def stripe_webhook_secrets(self) -> list[str]:
        """Every accepted webhook signing secret (several while one is being rotated)."""
        raw = self.stripe_webhook_secret.get_secret_value() if self.stripe_webhook_secret else ""
        return [secret.strip() for secret in raw.split(",") if secret.strip()]

    @property
    def jwt_public_key_pem(self) -> str:
        """The PEM text; one-line environment values may carry the newlines as `\\n`."""
        return (self.jwt_public_key or "").replace("\\n", "\n")


def _is_rsa_public_key(pem: str) -> bool:
    try:
        return isinstance(load_pem_public_key(pem.encode()), RSAPublicKey)
    except ValueError:
        return False


def load_settings(env_files: Sequence[Path] = DEFAULT_ENV_FILES) -> Settings:
    """Build settings or raise ConfigurationError; `env_files=()` reads the environment only."""
    try:
        sources: dict[str, Any] = {"_env_file": tuple(env_files) or None}
        return Settings(**sources)
    except ValidationError as exc:
        raise ConfigurationError(_describe(exc)) from None


def _describe(exc: ValidationError) -> list[str]:
    problems: list[str] = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]).upper()
        if not name:
            problems.extend(str(error.get("ctx", {}).get("error", error["msg"])).split("; "))
        elif error["type"] == "missing":
            problems.append(f"{name} is missing")
        elif error["type"] == "bool_parsing":
            problems.append(f"{name} must be true or false")
        elif error["type"] == "literal_error":
            problems.append(f"{name} must be one of {error.get('ctx', {}).get('expected')}")
        else:
            problems.append(f"{name} is malformed ({error['msg']})")
    return problems
