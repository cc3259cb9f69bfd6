"""The randomized workload: sales staff, customers' browsers and finance, racing each other.

Each worker loops over scenarios drawn from its own seeded RNG until the deadline: full and
deposit payments in several currencies (one zero-decimal), success, decline and 3D Secure cards
confirmed at Stripe, our `/confirm` (sometimes twice at once), cancels racing a payment, a
second create-intent racing the first payment's completion, cancels of payments whose
create-intent was not answered (under way, given up, or refused before Stripe), concurrent
partial refunds with
double clicks sharing one Idempotency-Key, disputes won or lost, and authorizations captured
later: concurrent captures of different amounts (twins sharing a key), a release racing a
capture, and authorizations left to expire.
"""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from chaos import fields
from chaos.callers import MAX_ATTEMPTS, Answer, Http, Stats, mint_token, new_key
from chaos.dice import dice
from chaos.stack import JWT_SECRET, SECRET_KEY, ChaosStack

CURRENCIES = (("usd", 2), ("eur", 2), ("gbp", 2), ("jpy", 0))
SUCCESS_CARDS = ("pm_card_visa", "pm_card_mastercard", "pm_card_amex")
DECLINE_CARDS = ("pm_card_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds")
THREE_DS_CARDS = ("pm_card_authenticationRequired", "pm_card_threeDSecure2Required")
PAYMENTS = "/api/v1/payments/stripe"
# Confirming an intent with automatic payment methods needs one, as Stripe.js sends.
RETURN_URL = "http://127.0.0.1/chaos/return"


def major(minor: int, exponent: int) -> str:
    if exponent == 0:
        return str(minor)
    scale = 10**exponent
    return f"{minor // scale}.{minor % scale:0{exponent}d}"


@dataclass(frozen=True)
class Order:
    id: str
    total_minor: int
    exponent: int


@dataclass(frozen=True)
class Intent:
    payment_id: str
    intent_id: str
    amount_minor: int


class Worker:
    def __init__(self, index: int, stack: ChaosStack, seed: int, stats: Stats) -> None:
        self.rng = dice(seed * 1000 + index)
        address = f"127.0.{index // 200 + 1}.{index % 200 + 10}"
        sales = {"Authorization": f"Bearer {mint_token(JWT_SECRET, f'sales-{index}', ['sales'])}"}
        finance = {
            "Authorization": f"Bearer {mint_token(JWT_SECRET, f'finance-{index}', ['finance'])}"
        }
        self.sales = Http(stack.gateway_url, sales, stats, self.rng, address)
        self.finance = Http(stack.gateway_url, finance, stats, self.rng, address)
        stripe_auth = {"Authorization": f"Bearer {SECRET_KEY}"}
        self.stripe = Http(stack.emulator_url, stripe_auth, stats, self.rng)
        # The customer on a payment link's page: no token, an address of its own.
        customer_address = f"127.1.{index // 200 + 1}.{index % 200 + 10}"
        self.customer = Http(stack.gateway_url, {}, stats, self.rng, customer_address)
        self.paid: list[tuple[Order, Intent]] = []

    async def close(self) -> None:
        for client in (self.sales, self.finance, self.stripe, self.customer):
            await client.close()

    async def run(self, deadline: float) -> None:
        scenarios: list[tuple[Callable[[], Awaitable[None]], float]] = [
            (self.pay_order, 5.0),
            (self.cancel_race, 1.5),
            (self.second_intent_race, 1.5),
            (self.cancel_unanswered, 1.5),
            (self.refunds, 3.0),
            (self.dispute, 0.4),
            (self.capture_later, 2.0),
            (self.pay_by_link, 1.5),
            (self.dashboard_refund, 0.8),
        ]
        actions = [action for action, _ in scenarios]
        weights = [weight for _, weight in scenarios]
        while time.monotonic() < deadline:
            await self.rng.choices(actions, weights)[0]()

    # -- scenarios -------------------------------------------------------------------------

    async def pay_order(self) -> None:
        order = await self.create_order()
        if order is None:
            return
        if self.rng.random() < 0.35:
            deposit = self.rng.randint(order.total_minor // 5, order.total_minor // 2)
            await self.pay(order, deposit)
        await self.pay(order, None)

    async def cancel_race(self) -> None:
        """A cancel racing the customer's payment at Stripe, or our `/confirm` after it."""
        order = await self.create_order()
        intent = await self.create_intent(order, None) if order else None
        if order is None or intent is None:
            return
        cancel = self.sales.post("cancel", f"{PAYMENTS}/cancel/{intent.payment_id}")
        roll = self.rng.random()
        if roll < 0.4 and await self.pay_at_stripe(intent, card="ok"):
            await asyncio.gather(cancel, self.confirm(order, intent))
        elif roll < 0.7:
            results = await asyncio.gather(cancel, self.pay_at_stripe(intent))
            if results[1]:
                await self.confirm(order, intent)
        else:
            await cancel

    async def second_intent_race(self) -> None:
        """Payment A completes while more create-intents for the full amount are under way."""
        order = await self.create_order()
        first = await self.create_intent(order, None) if order else None
        if order is None or first is None or not await self.pay_at_stripe(first, card="ok"):
            return
        racers = [self.create_intent(order, None) for _ in range(self.rng.randint(1, 3))]
        _, *others = await asyncio.gather(self.confirm(order, first), *racers)
        self.paid.append((order, first))
        for other in {o for o in others if o is not None and o.intent_id != first.intent_id}:
            await self.pay_at_stripe(other, card="ok")
            await self.confirm(order, other)

    async def cancel_unanswered(self) -> None:
        """Sales cancels payments whose create-intent it never saw answered (issue 22): one
        still under way, before or after it reached Stripe, or given up after one lost answer;
        or ones refused before Stripe, because the order's first payment took its total while
        they were under way. Neither may leave an intent open at Stripe."""
        order = await self.create_order()
        if order is None:
            return
        if self.rng.random() < 0.5:
            attempts = 1 if self.rng.random() < 0.5 else MAX_ATTEMPTS  # a caller that gives up
            creating = asyncio.create_task(self.create_intent(order, None, attempts=attempts))
            await asyncio.sleep(self.rng.uniform(0.0, 0.3))
            await self.cancel_unpaid(order)
            await creating
            await self.cancel_unpaid(order)
            return
        first = await self.create_intent(order, None)
        if first is None or not await self.pay_at_stripe(first, card="ok"):
            return
        racers = [self.create_intent(order, None) for _ in range(self.rng.randint(1, 2))]
        await asyncio.gather(self.confirm(order, first), *racers)
        self.paid.append((order, first))
        await asyncio.sleep(self.rng.uniform(0.0, 1.0))
        await self.cancel_unpaid(order, keep=first.payment_id)

    async def cancel_unpaid(self, order: Order, keep: str | None = None) -> None:
        """Cancels each of the order's payments not paid or canceled, found as sales finds them
        (the payments list), whatever their create-intent answered."""
        listed = await self.sales.get(f"{PAYMENTS}/payments", params={"order_id": order.id})
        items = listed.body.get("items", []) if listed.ok else []
        for item in items:
            if item.get("id") != keep and item.get("status") not in ("completed", "canceled"):
                await self.sales.post("cancel", f"{PAYMENTS}/cancel/{item['id']}")

    async def refunds(self) -> None:
        if not self.paid:
            await self.pay_order()
            return
        order, intent = self.rng.choice(self.paid)
        count = self.rng.randint(1, 3)
        await asyncio.gather(*(self.refund(order, intent) for _ in range(count)))

    async def dispute(self) -> None:
        if not self.paid:
            return
        _, intent = self.rng.choice(self.paid)
        found = await self.stripe.get(f"/v1/payment_intents/{intent.intent_id}")
        charge = found.body.get("latest_charge")
        if not found.ok or found.body.get("status") != "succeeded" or not charge:
            return
        opened = await self.stripe.post("dispute", f"/_emulator/charges/{charge}/dispute", json={})
        if not opened.ok:
            return
        await asyncio.sleep(self.rng.uniform(0.2, 1.5))
        outcome = self.rng.choice(("won", "lost"))
        await self.stripe.post(
            "dispute close",
            f"/_emulator/disputes/{opened.body['id']}/close",
            json={"outcome": outcome},
        )

    async def capture_later(self) -> None:
        """Authorize now, capture at shipment: captures race each other, a release or expiry."""
        order = await self.create_order()
        deposit = None
        if order is not None and self.rng.random() < 0.3:
            deposit = self.rng.randint(order.total_minor // 4, order.total_minor // 2)
        intent = await self.create_intent(order, deposit, capture="manual") if order else None
        if order is None or intent is None:
            return
        status = await self.confirm_at_stripe(intent, card="ok")
        if self.rng.random() < 0.7:
            await self.confirm(order, intent)
        if status != "requires_capture":
            return
        roll = self.rng.random()
        racers: list[Awaitable[object]] = [
            self.capture(order, intent) for _ in range(self.rng.randint(1, 3))
        ]
        if roll < 0.2:
            racers.append(self.sales.post("release", f"{PAYMENTS}/cancel/{intent.payment_id}"))
        elif roll < 0.3:
            racers.append(
                self.stripe.post(
                    "age authorization",
                    f"/_emulator/payment_intents/{intent.intent_id}/age",
                    json={"seconds": 8 * 86400},
                )
            )
        await asyncio.gather(*racers)
        self.paid.append((order, intent))

    async def dashboard_refund(self) -> None:
        """A refund made in the Stripe Dashboard right after the customer paid: its events may
        reach us before the payment's own news (or instead of it, when webhooks are lost)."""
        order = await self.create_order()
        intent = await self.create_intent(order, None) if order else None
        if order is None or intent is None or not await self.pay_at_stripe(intent, card="ok"):
            return
        share = self.rng.randint(1, max(intent.amount_minor // 2, 1))
        await self.stripe.post(
            "dashboard refund",
            "/v1/refunds",
            form={"payment_intent": intent.intent_id, "amount": str(share)},
            key=new_key(),
        )
        if self.rng.random() < 0.5:
            await self.confirm(order, intent)
        self.paid.append((order, intent))

    async def pay_by_link(self) -> None:
        """The customer pays by link, in one tab or two at once, while sales may revoke it."""
        order = await self.create_order()
        if order is None:
            return
        body: dict[str, Any] = {}
        if self.rng.random() < 0.3:
            share = self.rng.randint(order.total_minor // 4, order.total_minor // 2)
            body["amount"] = major(share, order.exponent)
        links = f"/api/v1/orders/{order.id}/payment-links"
        made = await self.sales.post("create link", links, json=body, key=new_key())
        url = made.body.get("url")
        if not made.ok or not isinstance(url, str):
            return
        token = url.rsplit("/", 1)[-1]
        racers: list[Awaitable[Intent | None]] = [
            self.link_tab(token, int(made.body["amount_minor"]))
            for _ in range(self.rng.randint(1, 2))
        ]
        if self.rng.random() < 0.15:
            racers.append(self.revoke(f"{links}/{made.body['id']}"))
        started = [intent for intent in await asyncio.gather(*racers) if intent is not None]
        listed = await self.sales.get(links)
        paid = [
            link
            for link in (listed.body.get("data", []) if listed.ok else [])
            if link.get("id") == made.body["id"] and link.get("payment_status") == "completed"
        ]
        if started and paid:  # one payment per link: every tab had the same intent
            self.paid.append((order, replace(started[0], payment_id=paid[0]["payment_id"])))

    async def link_tab(self, token: str, amount_minor: int) -> Intent | None:
        """One tab of the link's page: its intent, the card at Stripe, then its confirm."""
        started = await self.customer.post("link intent", f"/api/v1/pay/{token}/intent", json={})
        secret = started.body.get("client_secret")
        if not started.ok or not isinstance(secret, str):
            return None
        intent = Intent("", secret.split("_secret_")[0], amount_minor)
        await self.confirm_at_stripe(intent)
        await self.customer.post("link confirm", f"/api/v1/pay/{token}/confirm", json={})
        return intent

    async def revoke(self, path: str) -> None:
        await self.sales.post("revoke link", path, method="DELETE")

    async def capture(self, order: Order, intent: Intent) -> None:
        body: dict[str, Any] = {}
        if self.rng.random() < 0.6:
            share = self.rng.randint(max(intent.amount_minor // 3, 1), intent.amount_minor)
            body["amount"] = major(share, order.exponent)
        key = new_key()
        path = f"{PAYMENTS}/capture/{intent.payment_id}"
        clicks = 2 if self.rng.random() < 0.25 else 1
        await asyncio.gather(
            *(self.sales.post("capture", path, json=body, key=key) for _ in range(clicks))
        )

    # -- steps -----------------------------------------------------------------------------

    async def create_order(self) -> Order | None:
        currency, exponent = self.rng.choice(CURRENCIES)
        lines = []
        for number in range(self.rng.randint(1, 3)):
            unit = self.rng.randint(100, 40_000) * (10 if exponent == 0 else 1)
            lines.append(
                {
                    "sku": f"SKU-{number}",
                    "description": "chaos item",
                    "quantity": self.rng.randint(1, 3),
                    "unit_price": major(unit, exponent),
                }
            )
        body = {
            "customer_id": f"cus-{self.rng.randint(1, 50)}",
            "currency": currency,
            "lines": lines,
        }
        answer = await self.sales.post("create order", "/api/v1/orders", json=body, key=new_key())
        if not answer.ok:
            return None
        return Order(str(answer.body["id"]), int(answer.body["total_minor"]), exponent)

    async def create_intent(
        self,
        order: Order | None,
        amount_minor: int | None,
        capture: str = "automatic",
        attempts: int = MAX_ATTEMPTS,
    ) -> Intent | None:
        if order is None:
            return None
        body: dict[str, Any] = {
            "order_id": order.id,
            "description": fields.tag(uuid.uuid4().hex[:16]),
            "capture": capture,
        }
        if amount_minor is not None:
            body["amount"] = major(amount_minor, order.exponent)
        key = new_key()
        path = f"{PAYMENTS}/create-intent"
        clicks = 2 if self.rng.random() < 0.25 else 1  # a double click: two requests, one key
        answers = await asyncio.gather(
            *(
                self.sales.post("create-intent", path, json=body, key=key, attempts=attempts)
                for _ in range(clicks)
            )
        )
        for answer in answers:
            if answer.ok:
                return Intent(
                    str(answer.body["payment_id"]),
                    str(answer.body["payment_intent_id"]),
                    int(answer.body["amount_minor"]),
                )
        return None

    async def pay(self, order: Order, amount_minor: int | None) -> None:
        intent = await self.create_intent(order, amount_minor)
        if intent is None:
            return
        paid = await self.pay_at_stripe(intent)
        if not paid and self.rng.random() < 0.5:  # the customer tries another card
            paid = await self.pay_at_stripe(intent, card="ok")
        if self.rng.random() < 0.7:
            await self.confirm(order, intent)
        if paid:
            self.paid.append((order, intent))

    async def pay_at_stripe(self, intent: Intent, card: str | None = None) -> bool:
        """Confirms at Stripe as the browser does; True if the intent succeeded."""
        return await self.confirm_at_stripe(intent, card) == "succeeded"

    async def confirm_at_stripe(self, intent: Intent, card: str | None = None) -> str | None:
        """Confirms at Stripe as the browser does; the intent's status after, if answered."""
        roll = self.rng.random()
        if card == "ok" or roll < 0.6:
            method = self.rng.choice(SUCCESS_CARDS)
        elif roll < 0.78:
            method = self.rng.choice(DECLINE_CARDS)
        else:
            method = self.rng.choice(THREE_DS_CARDS)
        answer = await self.stripe.post(
            "stripe confirm",
            f"/v1/payment_intents/{intent.intent_id}/confirm",
            form={"payment_method": method, "return_url": RETURN_URL},
            key=new_key(),
        )
        if answer.body.get("status") == "requires_action":
            outcome = "complete" if self.rng.random() < 0.75 else "fail"
            answer = await self.stripe.post(
                "stripe 3ds",
                f"/_emulator/payment_intents/{intent.intent_id}/three_d_secure",
                json={"outcome": outcome},
            )
        status = answer.body.get("status") if answer.ok else None
        return str(status) if status is not None else None

    async def confirm(self, order: Order, intent: Intent) -> None:
        body = {"payment_intent_id": intent.intent_id, "order_id": order.id}
        path = f"{PAYMENTS}/confirm"
        if self.rng.random() < 0.2:
            await asyncio.gather(*(self.sales.post("confirm", path, json=body) for _ in range(2)))
        else:
            await self.sales.post("confirm", path, json=body)

    async def refund(self, order: Order, intent: Intent) -> Answer:
        body: dict[str, Any] = {
            "reason": "requested_by_customer",
            "notes": fields.tag(uuid.uuid4().hex[:16]),
        }
        if self.rng.random() < 0.85:
            share = self.rng.randint(1, max(intent.amount_minor // 3, 1))
            body["amount"] = major(share, order.exponent)
        key = new_key()
        path = f"{PAYMENTS}/refund/{intent.payment_id}"
        if self.rng.random() < 0.25:
            answers = await asyncio.gather(
                *(self.finance.post("refund", path, json=body, key=key) for _ in range(2))
            )
            return answers[0]
        return await self.finance.post("refund", path, json=body, key=key)


async def run_workers(
    stack: ChaosStack, seed: int, workers: int, deadline: float, stats: Stats
) -> None:
    """Runs until the deadline, then lets each worker finish the scenario it is in."""
    crew = [Worker(index, stack, seed, stats) for index in range(workers)]
    try:
        await asyncio.gather(*(worker.run(deadline) for worker in crew))
    finally:
        for worker in crew:
            await worker.close()
