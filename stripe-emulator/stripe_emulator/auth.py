"""API keys: `Authorization: Bearer sk_…`, basic auth with the key as user, or Stripe.js's `key`."""

from __future__ import annotations

import base64
import binascii
from enum import Enum

from stripe_emulator.config import EmulatorConfig
from stripe_emulator.errors import StripeError, authentication_error

_NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://docs.stripe.com/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)
_PUBLISHABLE_NOT_ALLOWED = (
    "This API call cannot be made with a publishable API key. Please use a secret API key. You "
    "can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
)


class KeyKind(Enum):
    SECRET = "secret"
    PUBLISHABLE = "publishable"


def key_from_authorization(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[0] or None
    return None


def _masked(key: str) -> str:
    return f"{key[:8]}{'*' * max(len(key) - 12, 4)}{key[-4:]}"


def authenticate(
    config: EmulatorConfig, authorization: str | None, form_key: str | None
) -> tuple[KeyKind, str]:
    key = key_from_authorization(authorization) or form_key
    if key is None:
        raise authentication_error(_NO_KEY)
    if key == config.secret_key:
        return KeyKind.SECRET, key
    if key == config.publishable_key:
        return KeyKind.PUBLISHABLE, key
    raise authentication_error(f"Invalid API Key provided: {_masked(key)}")


def require_secret(kind: KeyKind) -> None:
    if kind is not KeyKind.SECRET:
        raise publishable_key_refused()


def publishable_key_refused() -> StripeError:
    return authentication_error(_PUBLISHABLE_NOT_ALLOWED)
