import json

import pytest
from httpx import ASGITransport, AsyncClient

from app.core.redaction import loggable_path
from app.main import create_app
from tests.support import make_settings

TOKEN = "3q2-7wEXAMPLEtokenEXAMPLEtokenEXAMPLEtok12"


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/api/v1/pay/{TOKEN}", "/api/v1/pay/[redacted]"),
        (f"/api/v1/pay/{TOKEN}/intent", "/api/v1/pay/[redacted]/intent"),
        (f"/pay/{TOKEN}", "/pay/[redacted]"),
        ("/api/v1/payments/stripe/payments/pay_1", "/api/v1/payments/stripe/payments/pay_1"),
        ("/api/v1/orders/ord_1/payment-links", "/api/v1/orders/ord_1/payment-links"),
        ("/payments", "/payments"),
    ],
)
def test_the_token_segment_is_replaced(path: str, logged: str) -> None:
    assert loggable_path(path) == logged


async def test_the_access_log_never_holds_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(make_settings())
    async with AsyncClient(transport=ASGITransport(app), base_url="http://test") as client:
        await client.get(f"/pay/{TOKEN}")
    # The test's own HTTP client (httpx) logs what it asked for; the service is what must not.
    served = [
        line
        for line in capsys.readouterr().out.splitlines()
        if json.loads(line)["logger"] != "httpx"
    ]
    (access,) = [entry for line in served if (entry := json.loads(line))["logger"] == "app.access"]
    assert access["path"] == "/pay/[redacted]"
    assert not [line for line in served if TOKEN in line]
