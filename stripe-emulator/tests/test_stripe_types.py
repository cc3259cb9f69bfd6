"""The check every test's answers go through (`stripe_types`) does catch drift from Stripe."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from stripe_emulator.config import EmulatorConfig
from stripe_emulator.objects.account import build_account
from stripe_emulator.objects.dispute import build_dispute
from tests.answer_recorder import RECORDER
from tests.conftest import PUBLISHABLE_KEY, SECRET_KEY
from tests.stripe_types import problems

_CHARGE = {
    "id": "ch_1",
    "currency": "usd",
    "payment_intent": "pi_1",
    "payment_method_details": {"card": {"brand": "visa", "network": "visa"}},
}


def _dispute() -> dict[str, Any]:
    return build_dispute(_CHARGE, amount=500, reason="fraudulent")


def test_objects_as_the_emulator_builds_them_pass() -> None:
    account = build_account(EmulatorConfig(secret_key="sk_test_1", publishable_key="pk_test_1"))

    assert problems(account) == []
    assert problems(_dispute()) == []


def test_a_field_the_sdk_reads_as_always_set_must_be_there_and_not_null() -> None:
    missing, null = _dispute(), _dispute()
    del missing["evidence_details"]["submission_method"]
    null["amount"] = None

    assert problems(missing) == [
        "$.evidence_details.submission_method: missing (the SDK reads "
        "Dispute.EvidenceDetails.submission_method as always set)"
    ]
    assert problems(null) == ["$.amount: expected int, got null"]


def test_unknown_fields_wrong_types_and_enum_values_are_reported() -> None:
    dispute = _dispute()
    dispute["colour"] = "blue"
    dispute["livemode"] = "false"
    dispute["evidence_details"]["submission_method"] = "by_fax"

    assert problems(dispute) == [
        "$.colour: unknown field (not in Dispute)",
        "$.evidence_details.submission_method: 'by_fax' is not one of "
        "['manual', 'not_submitted', 'smart_disputes']",
        "$.livemode: expected bool, got str 'false'",
    ]


def test_lists_events_and_errors_are_checked_down_to_their_objects() -> None:
    broken = _dispute()
    del broken["payment_method_details"]["card"]["network"]
    listed = {"object": "list", "data": [broken], "has_more": False, "url": "/v1/disputes"}
    event = {
        "id": "evt_1", "object": "event", "api_version": "2026-10-28.endive", "created": 1,
        "data": {"object": copy.deepcopy(broken)}, "livemode": False, "pending_webhooks": 0,
        "request": {"id": None, "idempotency_key": None}, "type": "charge.dispute.created",
    }  # fmt: skip
    error = {"error": {"type": "invalid_request_error", "message": "x", "colour": "blue"}}

    assert problems(listed) == [
        "$.data[0].payment_method_details.card.network: missing (the SDK reads "
        "Dispute.PaymentMethodDetails.Card.network as always set)"
    ]
    assert problems(event) == [
        "$.data.object.payment_method_details.card.network: missing (the SDK reads "
        "Dispute.PaymentMethodDetails.Card.network as always set)"
    ]
    assert problems(error) == ["$.error.colour: unknown field (not in ErrorObject)"]


def test_an_expanded_field_is_checked_as_its_object_and_an_id_as_a_string() -> None:
    expanded = _dispute()
    expanded["charge"] = {"id": "ch_1", "object": "charge"}
    not_an_id = _dispute()
    not_an_id["charge"] = 12

    assert "$.charge.amount: missing (the SDK reads Charge.amount as always set)" in problems(
        expanded
    )
    assert problems(not_an_id) == ["$.charge: int 12 matches none of [<class 'str'>, <class "
                                   "'stripe._charge.Charge'>]"]  # fmt: skip


def test_lenient_fields_may_be_absent_and_unknown_objects_are_reported() -> None:
    dispute = _dispute()
    del dispute["amount"]

    assert problems(dispute, lenient=[("dispute", "amount")]) == []
    assert problems({"object": "gizmo"}) == ["$: `object` 'gizmo' is no type Stripe's SDK knows"]


def test_the_emulators_answers_are_recorded_for_the_check(api: httpx.Client) -> None:
    api.get("/v1/account", headers={"Authorization": f"Bearer {SECRET_KEY}"})
    api.get("/v1/payment_intents/pi_missing", params={"key": PUBLISHABLE_KEY})

    recorded = {answer.where: answer.publishable for answer in RECORDER.peek()}

    assert {
        "GET /v1/account → 200": False,
        "GET /v1/payment_intents/pi_missing → 404": True,
    }.items() <= recorded.items()
