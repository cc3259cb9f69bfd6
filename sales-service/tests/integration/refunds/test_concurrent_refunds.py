"""Twenty finance requests refunding one payment at once, through a real HTTP server."""

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
import uvicorn

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import Headers, closed_port
from tests.integration.stripe_support import Emulator, paid_order, stripe_settings

AMOUNTS = ["7.00", "13.00", "5.50", "20.00", "9.99"] * 4  # 20 requests, 222.45 in all


@pytest.fixture
def live_server(settings_for: Callable[..., Settings], emulator: Emulator) -> Iterator[str]:
    """The sales-service under uvicorn on a free port, in a thread, with its own event loop."""
    port = closed_port()
    config = uvicorn.Config(
        create_app(settings_for(**stripe_settings(emulator))),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


async def test_twenty_concurrent_refunds_never_exceed_the_payment(
    live_server: str, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:
        paid = await paid_order(client, emulator, as_role("sales"), customer_id, "100.00")
        payment_id = paid.payment["id"]
        finance = as_role("finance")

        responses = await asyncio.gather(
            *(
                client.post(
                    f"/api/v1/payments/stripe/refund/{payment_id}",
                    json={"amount": amount, "reason": "goodwill"},
                    headers=finance,
                )
                for amount in AMOUNTS
            )
        )
        payment = (
            await client.get(f"/api/v1/payments/stripe/payments/{payment_id}", headers=finance)
        ).json()
        order = (await client.get(f"/api/v1/orders/{paid.order['id']}", headers=finance)).json()

    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {201, 409}
    refused: list[dict[str, Any]] = [r.json() for r in responses if r.status_code == 409]
    assert {body["error"]["code"] for body in refused} == {"refund_exceeds_refundable"}
    granted = [r.json()["amount_minor"] for r in responses if r.status_code == 201]
    print(f"\n{len(granted)} of 20 refunds granted, {sum(granted)} of 10000 cents refunded")
    assert 0 < sum(granted) <= 10000
    stripe_refunds = emulator.refunds_for_intent(paid.intent["payment_intent_id"])
    assert sorted(r["amount"] for r in stripe_refunds) == sorted(granted)
    assert payment["amount_refunded_minor"] == sum(granted)
    assert payment["refundable_minor"] == 10000 - sum(granted)
    assert sorted(r["amount_minor"] for r in payment["refunds"]) == sorted(granted)
    assert order["amount_refunded_minor"] == sum(granted)
    # What is left only shrinks, so each refused refund is larger than what is left now.
    left = 10000 - sum(granted)
    refused_amounts = [
        int(Decimal(amount) * 100)
        for amount, response in zip(AMOUNTS, responses, strict=True)
        if response.status_code == 409
    ]
    assert all(amount > left for amount in refused_amounts)
