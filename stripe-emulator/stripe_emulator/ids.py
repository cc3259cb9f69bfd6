"""Object ids shaped like Stripe's: a prefix and random base62 characters."""

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def random_token(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_id(prefix: str) -> str:
    return f"{prefix}_1{random_token(23)}"


def new_client_secret(object_id: str) -> str:
    return f"{object_id}_secret_{random_token(25)}"
