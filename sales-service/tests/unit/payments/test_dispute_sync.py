"""A dispute's write races other writes to its payment: it plans again on the payment as it now
is, records once what it wrote, and gives up as busy rather than answer a stale payment."""

from datetime import UTC, datetime
from typing import Any

import pytest

from app.audit.schemas import STRIPE_ACTOR
from app.payments.disputes import DisputeSync
from app.payments.errors import PaymentBusy
from app.payments.models import Dispute, Payment, PaymentStatus

NOW = datetime(2026, 3, 14, tzinfo=UTC)


def stored_payment(**fields: Any) -> dict[str, Any]:
    return {
        "_id": "pay_1",
        "order_id": "ord_1",
        "order_number": "ORD-2026-000001",
        "customer_id": "cus_1",
        "amount_minor": 1000,
        "currency": "usd",
        "status": PaymentStatus.COMPLETED.value,
        "version": 0,
        "created_by": "u",
        "created_at": NOW,
        "updated_at": NOW,
        **fields,
    }


class Payments:
    """One payment whose next `misses` writes lose to `rival`, a write of someone else's."""

    def __init__(self, misses: int, rival: dict[str, Any] | None = None) -> None:
        self.document, self.misses, self.rival, self.writes = stored_payment(), misses, rival, 0

    async def get(self, payment_id: str) -> dict[str, Any]:
        return dict(self.document)

    async def compare_and_set(
        self, payment_id: str, version: int, update: dict[str, Any]
    ) -> dict[str, Any] | None:
        if self.misses:
            self.misses -= 1
            self.document = {**self.document, **(self.rival or {}), "version": version + 1}
            return None
        assert version == self.document["version"]
        self.writes += 1
        disputes = dict(self.document.get("disputes", {}))
        for key, value in update["$set"].items():
            if key.startswith("disputes."):
                disputes[key.removeprefix("disputes.")] = value
        self.document = {**self.document, "disputes": disputes, "version": version + 1}
        return dict(self.document)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Any] = []

    async def record(self, **entry: Any) -> None:
        self.calls.append(entry)

    async def recompute(self, order_id: str, actor: Any) -> None:
        self.calls.append(order_id)


def sync(payments: Payments, recorder: Recorder) -> DisputeSync:
    return DisputeSync(payments, recorder, recorder)  # type: ignore[arg-type]


async def test_a_missed_write_is_planned_again_and_recorded_once() -> None:
    payments, recorder = Payments(misses=2), Recorder()
    first = Payment.from_document(payments.document)

    updated = await sync(payments, recorder).apply(first, {"id": "dp_1"}, STRIPE_ACTOR)

    assert updated.disputes["dp_1"].status == "needs_response"
    assert (payments.writes, updated.version) == (1, 3)
    assert [call if isinstance(call, str) else call["action"] for call in recorder.calls] == [
        "payment.dispute_updated",
        "ord_1",
    ]


async def test_a_dispute_closed_meanwhile_is_kept_as_it_is() -> None:
    closed = Dispute(id="dp_1", status="won", amount_minor=1000, updated_at=NOW)
    payments = Payments(misses=1, rival={"disputes": {"dp_1": closed.model_dump()}})
    recorder = Recorder()
    first = Payment.from_document(payments.document)

    kept = await sync(payments, recorder).apply(first, {"id": "dp_1"}, STRIPE_ACTOR)

    assert (kept.disputes["dp_1"].status, payments.writes, recorder.calls) == ("won", 0, [])


async def test_a_payment_that_keeps_changing_is_busy() -> None:
    payments, recorder = Payments(misses=10_000), Recorder()
    first = Payment.from_document(payments.document)

    with pytest.raises(PaymentBusy):
        await sync(payments, recorder).apply(first, {"id": "dp_1"}, STRIPE_ACTOR)
    assert recorder.calls == []
