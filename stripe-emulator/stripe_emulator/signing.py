"""`Stripe-Signature: t=…,v1=…`: HMAC-SHA256 of "{t}.{body}" with the endpoint's secret."""

import hashlib
import hmac


def signature_header(payload: str, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
