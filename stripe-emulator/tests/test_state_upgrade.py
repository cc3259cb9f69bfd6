"""A state file written before an object grew a field is read back in today's shape."""

from __future__ import annotations

import json
import time
from typing import Any

from stripe_emulator import state_file
from stripe_emulator.objects.dispute import build_dispute
from stripe_emulator.objects.refund import build_refund
from stripe_emulator.state_file import SavedState

_CHARGE = {
    "id": "ch_old",
    "currency": "usd",
    "customer": None,
    "payment_intent": "pi_old",
    "payment_method": "pm_old",
    "payment_method_details": {"card": {"brand": "visa", "network": "visa"}},
}


def _as_an_older_emulator_wrote_them() -> SavedState:
    state = SavedState()
    dispute = build_dispute(_CHARGE, amount=500, reason="fraudulent")
    del dispute["evidence_details"]["submission_method"]
    del dispute["payment_method_details"]["card"]["network"]
    refund = build_refund(_CHARGE, amount=500, reason=None, metadata={}, status="pending")
    refund.update(description=None, failure_reason=None, failure_balance_transaction=None,
                  pending_reason=None)  # fmt: skip
    event: dict[str, Any] = {
        "id": "evt_old",
        "object": "event",
        "data": {"object": json.loads(json.dumps(dispute))},
    }
    state.store.disputes[dispute["id"]] = dispute
    state.store.refunds[refund["id"]] = refund
    state.store.events[event["id"]] = event
    return state


def test_disputes_refunds_and_their_events_are_upgraded_on_load() -> None:
    raw = state_file.encode(_as_an_older_emulator_wrote_them(), time.time())

    store = state_file.decode(raw).store

    (dispute,) = store.disputes.values()
    (refund,) = store.refunds.values()
    (event,) = store.events.values()
    for seen in (dispute, event["data"]["object"]):
        assert seen["evidence_details"]["submission_method"] == "not_submitted"
        assert seen["payment_method_details"]["card"]["network"] == "visa"
    assert refund["pending_reason"] == "processing"
    assert not {"description", "failure_reason", "failure_balance_transaction"} & set(refund)


def test_objects_of_todays_shape_are_left_as_they_are() -> None:
    state = SavedState()
    dispute = build_dispute(_CHARGE, amount=500, reason="general")
    state.store.disputes[dispute["id"]] = json.loads(json.dumps(dispute))

    restored = state_file.decode(state_file.encode(state, time.time())).store

    assert restored.disputes == {dispute["id"]: dispute}


def test_a_file_saved_before_the_balance_existed_loads_with_an_empty_one() -> None:
    document = json.loads(state_file.encode(_as_an_older_emulator_wrote_them(), time.time()))
    for name in ("balance_transactions", "payouts"):
        del document["objects"][name]
    del document["transaction_payouts"]

    store = state_file.decode(json.dumps(document).encode()).store

    assert (store.balance_transactions, store.payouts, store.transaction_payouts) == ({}, {}, {})
    assert len(store.disputes) == 1
