"""Which seam method each event type reaches, and what the outcome says."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.audit.schemas import STRIPE_ACTOR, Actor
from app.payments.intent_checks import ObjectRejected, Reason, Rejection
from app.webhooks.processor import HANDLED_EVENTS, EventProcessor
from app.webhooks.schemas import Outcome


@dataclass
class Record:
    id: str
    order_id: str


@dataclass
class RecordingSync:
    """Stands in for the payments and refunds services; answers `found` for every object."""

    found: Record | None = None
    calls: list[tuple[str, str, Actor]] = field(default_factory=list)

    async def sync_intent(self, intent: Mapping[str, Any], actor: Actor) -> Record | None:
        self.calls.append(("sync_intent", intent["id"], actor))
        return self.found

    async def sync_dispute(self, dispute: Mapping[str, Any], actor: Actor) -> Record | None:
        self.calls.append(("sync_dispute", dispute["id"], actor))
        return self.found

    async def claimed_by(self, intent_id: str) -> Record | None:
        return None

    async def sync_stripe_refund(self, refund: Mapping[str, Any], actor: Actor) -> Record | None:
        self.calls.append(("sync_stripe_refund", refund["id"], actor))
        return self.found

    async def sync_charge_refunds(self, charge: Mapping[str, Any], actor: Actor) -> None:
        self.calls.append(("sync_charge_refunds", charge["id"], actor))


EXPECTED_METHOD = {
    "payment_intent.created": "sync_intent",
    "payment_intent.succeeded": "sync_intent",
    "payment_intent.payment_failed": "sync_intent",
    "payment_intent.canceled": "sync_intent",
    "payment_intent.processing": "sync_intent",
    "payment_intent.requires_action": "sync_intent",
    "payment_intent.amount_capturable_updated": "sync_intent",
    "charge.refunded": "sync_charge_refunds",
    "refund.created": "sync_stripe_refund",
    "refund.updated": "sync_stripe_refund",
    "refund.failed": "sync_stripe_refund",
    "charge.dispute.created": "sync_dispute",
    "charge.dispute.closed": "sync_dispute",
}


def test_every_handled_type_is_listed() -> None:
    assert set(EXPECTED_METHOD) == HANDLED_EVENTS


@pytest.mark.parametrize(("event_type", "method"), sorted(EXPECTED_METHOD.items()))
async def test_each_type_goes_to_its_sync(event_type: str, method: str) -> None:
    sync = RecordingSync(found=Record("pay_1", "ord_1"))
    result = await EventProcessor(sync, sync).process(event_type, {"id": "obj_1"})
    assert sync.calls == [(method, "obj_1", STRIPE_ACTOR)]
    assert result.outcome is Outcome.APPLIED
    expected_record = None if method == "sync_charge_refunds" else sync.found
    assert result.record == expected_record


@pytest.mark.parametrize("event_type", ["payment_intent.succeeded", "refund.updated"])
async def test_an_object_that_is_not_ours_is_unmatched(event_type: str) -> None:
    sync = RecordingSync(found=None)
    result = await EventProcessor(sync, sync).process(event_type, {"id": "obj_1"})
    assert (result.outcome, result.record) == (Outcome.UNMATCHED, None)


@pytest.mark.parametrize(
    "event_type", ["charge.succeeded", "payment_method.attached", "customer.created", "x"]
)
async def test_other_types_are_ignored_without_calling_anything(event_type: str) -> None:
    sync = RecordingSync(found=Record("pay_1", "ord_1"))
    result = await EventProcessor(sync, sync).process(event_type, {"id": "obj_1"})
    assert (result.outcome, sync.calls) == (Outcome.IGNORED, [])


async def test_storage_errors_reach_the_caller() -> None:
    class Failing(RecordingSync):
        async def sync_intent(self, intent: Mapping[str, Any], actor: Actor) -> Record | None:
            raise ConnectionError("database down")

    sync = Failing()
    with pytest.raises(ConnectionError):
        await EventProcessor(sync, sync).process("payment_intent.succeeded", {"id": "pi_1"})


async def test_an_event_of_the_other_mode_is_rejected_before_anything_is_asked() -> None:
    sync = RecordingSync(found=Record("pay_1", "ord_1"))
    result = await EventProcessor(sync, sync).process(
        "payment_intent.succeeded", {"id": "pi_1"}, livemode=True
    )
    assert (result.outcome, sync.calls) == (Outcome.REJECTED, [])
    assert result.rejection is not None
    assert result.rejection.reason is Reason.LIVEMODE_MISMATCH


async def test_an_event_of_another_account_is_rejected() -> None:
    class Identity:
        livemode = False

        async def account_id(self) -> str:
            return "acct_ours"

    sync = RecordingSync(found=Record("pay_1", "ord_1"))
    processor = EventProcessor(sync, sync, identity=Identity())
    foreign = await processor.process("charge.refunded", {"id": "ch_1"}, account="acct_other")
    ours = await processor.process("charge.refunded", {"id": "ch_1"}, account="acct_ours")
    assert foreign.outcome is Outcome.REJECTED
    assert foreign.rejection is not None
    assert foreign.rejection.reason is Reason.FOREIGN_ACCOUNT
    assert ours.outcome is Outcome.APPLIED


async def test_a_sync_that_rejects_the_object_gives_a_rejected_outcome() -> None:
    class Rejecting(RecordingSync):
        async def sync_intent(self, intent: Mapping[str, Any], actor: Actor) -> Record | None:
            raise ObjectRejected(Rejection(Reason.AMOUNT_MISMATCH, "1 != 1000", "pay_1", "ord_1"))

    sync = Rejecting()
    result = await EventProcessor(sync, sync).process("payment_intent.succeeded", {"id": "pi_1"})
    assert result.outcome is Outcome.REJECTED
    assert result.rejection is not None
    assert (result.rejection.reason, result.rejection.payment_id) == (
        Reason.AMOUNT_MISMATCH,
        "pay_1",
    )


async def test_a_refund_stripe_lacks_on_a_payment_of_ours_is_rejected() -> None:
    class Claiming(RecordingSync):
        async def claimed_by(self, intent_id: str) -> Record | None:
            return Record("pay_1", "ord_1") if intent_id == "pi_ours" else None

    sync = Claiming(found=None)
    processor = EventProcessor(sync, sync)
    ours = await processor.process("refund.created", {"id": "re_x", "payment_intent": "pi_ours"})
    other = await processor.process("refund.created", {"id": "re_y", "payment_intent": "pi_else"})
    assert ours.outcome is Outcome.REJECTED
    assert other.outcome is Outcome.UNMATCHED
