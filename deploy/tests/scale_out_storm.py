"""The scale-out scenario: orders paid by card, then refunds raced across desks, under a storm
of webhook deliveries; and what it leaves behind, gathered for the tests to check.
"""

import asyncio
import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from local_stack import LocalStack
from pymongo import AsyncMongoClient
from scale_out_client import Desk, Emulator, bearer_token

REPLICAS = 3
PAYMENTS = 24
WEBHOOK_ENDPOINTS = 2
MIN_DELIVERIES = 500
DESKS = 6
# Each payment gets three concurrent refunds of 40% (only two fit), then one for the rest.
RACING_REFUNDS = 3
SETTLE_TIMEOUT_SECONDS = 90.0


@dataclass
class PaidOrder:
    order_id: str
    amount_minor: int
    payment_id: str = ""
    payment_intent_id: str = ""


@dataclass
class StormOutcome:
    orders: list[PaidOrder]
    racing_statuses: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    remainder_statuses: dict[str, int] = field(default_factory=dict)
    order_reads: dict[str, dict[str, Any]] = field(default_factory=dict)
    payment_reads: dict[str, dict[str, Any]] = field(default_factory=dict)
    stripe_refunds: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stripe_intent_ids: list[str] = field(default_factory=list)
    event_ids: set[str] = field(default_factory=set)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    inbox: list[dict[str, Any]] = field(default_factory=list)
    webhook_counts: list[Counter[str]] = field(default_factory=list)


def _major(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


class Storm:
    def __init__(self, stack: LocalStack, emulator: Emulator, desks: list[Desk]) -> None:
        self.stack = stack
        self.emulator = emulator
        self.desks = desks
        secret = stack.secrets.jwt_secret
        self.sales = bearer_token(secret, "scale-out-sales", "sales")
        self.finance = bearer_token(secret, "scale-out-finance", "finance")

    def desk(self, index: int) -> Desk:
        return self.desks[index % len(self.desks)]

    async def run(self) -> StormOutcome:
        await self.emulator.control(
            "POST",
            "faults",
            {"webhook_duplicate_rate": 0.3, "webhook_shuffle": True,
             "webhook_shuffle_window_ms": 150, "seed": 20260314},
        )  # fmt: skip
        await self.emulator.control("POST", "webhook_settings", {"backoff_base_seconds": 0.2})
        orders = await asyncio.gather(*(self.create_order(i) for i in range(PAYMENTS)))
        outcome = StormOutcome(orders=list(orders))
        await asyncio.gather(*(self.create_intent(i, order) for i, order in enumerate(orders)))
        await asyncio.gather(*(self.pay(i, order) for i, order in enumerate(orders)))
        await self.wait_for_orders("paid")
        racing = [self.race_refunds(i, order, outcome) for i, order in enumerate(orders)]
        await asyncio.gather(*racing, self.resend_until_enough_deliveries())
        await asyncio.gather(*(self.refund_rest(i, o, outcome) for i, o in enumerate(orders)))
        await self.wait_for_orders("refunded")
        await self.wait_until_quiet()
        await self.collect(outcome)
        return outcome

    async def create_order(self, index: int) -> PaidOrder:
        amount_minor = (100 + index) * 100
        body = {
            "customer_id": f"cus_scale_{index}",
            "currency": "usd",
            "lines": [{"sku": "DESK-01", "description": "Standing desk", "quantity": 1,
                       "unit_price": _major(amount_minor)}],
        }  # fmt: skip
        response = await self.desk(index).call("POST", "/api/v1/orders", self.sales, body)
        assert response.status_code == 201, response.text
        return PaidOrder(response.json()["id"], amount_minor)

    async def create_intent(self, index: int, order: PaidOrder) -> None:
        """Two desks send the same request with the same Idempotency-Key at once, as a caller
        retrying on another connection would: both must get the one payment and intent."""
        responses = await asyncio.gather(
            *(
                self.desk(index + offset).call(
                    "POST",
                    "/api/v1/payments/stripe/create-intent",
                    self.sales,
                    {"order_id": order.order_id},
                    idempotency_key=f"intent-{order.order_id}",
                )
                for offset in range(2)
            )
        )
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        created = [r.json() for r in responses]
        assert created[0]["payment_id"] == created[1]["payment_id"]
        assert created[0]["payment_intent_id"] == created[1]["payment_intent_id"]
        assert created[0]["amount_minor"] == order.amount_minor
        order.payment_id = created[0]["payment_id"]
        order.payment_intent_id = created[0]["payment_intent_id"]

    async def pay(self, index: int, order: PaidOrder) -> None:
        """The card is confirmed at Stripe, as Stripe.js does; every other order's desk also
        calls /confirm at once, racing the webhooks."""
        intent = await self.emulator.confirm_with_card(order.payment_intent_id)
        assert intent["status"] == "succeeded"
        if index % 2 == 0:
            response = await self.desk(index).call(
                "POST",
                "/api/v1/payments/stripe/confirm",
                self.sales,
                {"payment_intent_id": order.payment_intent_id, "order_id": order.order_id},
            )
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "completed"

    async def race_refunds(self, index: int, order: PaidOrder, outcome: StormOutcome) -> None:
        share = order.amount_minor * 40 // 100
        body = {"amount": _major(share), "reason": "requested_by_customer"}
        path = f"/api/v1/payments/stripe/refund/{order.payment_id}"
        responses = await asyncio.gather(
            *(
                self.desk(index + offset).call(
                    "POST", path, self.finance, body, idempotency_key=uuid.uuid4().hex
                )
                for offset in range(RACING_REFUNDS)
            )
        )
        outcome.racing_statuses[order.payment_id] = sorted(
            (r.status_code, r.json().get("error", {}).get("code", "")) for r in responses
        )

    async def refund_rest(self, index: int, order: PaidOrder, outcome: StormOutcome) -> None:
        response = await self.desk(index).call(
            "POST",
            f"/api/v1/payments/stripe/refund/{order.payment_id}",
            self.finance,
            {"reason": "requested_by_customer"},
            idempotency_key=uuid.uuid4().hex,
        )
        outcome.remainder_statuses[order.payment_id] = response.status_code

    async def resend_until_enough_deliveries(self) -> None:
        """Stripe resends events too: top the storm up with resends of random earlier events."""
        shuffler = random.Random(7)
        while len(await self.emulator.deliveries()) < MIN_DELIVERIES:
            events = await self.emulator.list_all("/v1/events")
            for event in shuffler.sample(events, min(len(events), 20)):
                await self.emulator.control("POST", f"events/{event['id']}/resend", {})

    async def wait_for_orders(self, status: str) -> None:
        async def all_have_status() -> bool:
            response = await self.desks[0].call(
                "GET", f"/api/v1/orders?payment_status={status}&page_size=1", self.sales
            )
            assert response.status_code == 200, response.text
            return bool(response.json()["total"] == PAYMENTS)

        await _eventually(all_have_status, f"every order {status}")

    async def wait_until_quiet(self) -> None:
        """No delivery left to make, and nothing pending in the inbox."""
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(self.stack.mongodb_url)
        inbox = client[self.stack.database]["webhook_events"]

        async def quiet() -> bool:
            pending = [d for d in await self.emulator.deliveries() if d["status"] == "pending"]
            return not pending and await inbox.count_documents({"state": "pending"}) == 0

        try:
            await _eventually(quiet, "deliveries done and the inbox empty")
        finally:
            await client.close()

    async def collect(self, outcome: StormOutcome) -> None:
        for index, order in enumerate(outcome.orders):
            desk = self.desk(index)
            read = await desk.call("GET", f"/api/v1/orders/{order.order_id}", self.sales)
            outcome.order_reads[order.order_id] = read.json()
            path = f"/api/v1/payments/stripe/payments/{order.payment_id}"
            outcome.payment_reads[order.payment_id] = (
                await desk.call("GET", path, self.finance)
            ).json()
            outcome.stripe_refunds[order.payment_id] = await self.emulator.list_all(
                "/v1/refunds", {"payment_intent": order.payment_intent_id}
            )
        outcome.stripe_intent_ids = [
            i["id"] for i in await self.emulator.list_all("/v1/payment_intents")
        ]
        outcome.event_ids = {e["id"] for e in await self.emulator.list_all("/v1/events")}
        outcome.deliveries = await self.emulator.deliveries()
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(self.stack.mongodb_url)
        try:
            cursor = client[self.stack.database]["webhook_events"].find(
                {}, {"_id": 1, "state": 1, "outcome": 1}
            )
            outcome.inbox = [document async for document in cursor]
        finally:
            await client.close()
        async with httpx.AsyncClient(timeout=10) as plain:
            for url in self.stack.replica_urls:
                metrics = (await plain.get(f"{url}/metrics")).text
                outcome.webhook_counts.append(_webhook_outcomes(metrics))


async def _eventually(check: Any, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + SETTLE_TIMEOUT_SECONDS
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.5)


_WEBHOOK_LINE = re.compile(r"^erp_webhook_events_total\{([^}]*)\} ([0-9.e+]+)$", re.MULTILINE)


def _webhook_outcomes(metrics: str) -> Counter[str]:
    """erp_webhook_events_total summed by outcome, for one process."""
    counts: Counter[str] = Counter()
    for labels, value in _WEBHOOK_LINE.findall(metrics):
        outcome = re.search(r'outcome="([^"]*)"', labels)
        assert outcome is not None
        counts[outcome.group(1)] += int(float(value))
    return counts
