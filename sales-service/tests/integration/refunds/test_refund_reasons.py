"""Refund reasons as the integration guide writes them: free text, an optional code, both kept,
the code mapped to Stripe's reason; and refund notes shown only with `refunds:read`."""

from collections.abc import Callable
from typing import Any

import pytest
from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.stripe_support import Emulator, paid_order, refund


@pytest.mark.parametrize(
    ("fields", "reason", "code", "stripe_reason"),
    [
        # The guide's own example: free text, counted as `other`, no Stripe reason.
        ({"reason": "Customer requested refund"}, "Customer requested refund", "other", None),
        # A code sent as `reason`, as clients did before free text: still that code.
        ({"reason": "duplicate"}, "duplicate", "duplicate", "duplicate"),
        ({"reason_code": "product_returned"}, None, "product_returned", "requested_by_customer"),
        (
            {"reason": "Card used twice by mistake", "reason_code": "fraudulent"},
            "Card used twice by mistake",
            "fraudulent",
            "fraudulent",
        ),
        ({"reason": "Kind gesture", "reason_code": "goodwill"}, "Kind gesture", "goodwill", None),
    ],
)
async def test_reason_text_and_code_are_kept_and_sent(
    api: AsyncClient,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    fields: dict[str, Any],
    reason: str | None,
    code: str,
    stripe_reason: str | None,
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="20.00")
    finance = as_role("finance")

    response = await api.post(
        f"/api/v1/payments/stripe/refund/{paid.payment['id']}",
        json={"amount": "5.00", "notes": "Boxed and returned", **fields},
        headers=finance,
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["reason"], body["reason_code"]) == (reason, code)
    [at_stripe] = emulator.refunds_for_intent(paid.intent["payment_intent_id"])
    assert at_stripe.get("reason") == stripe_reason
    assert at_stripe["metadata"]["reason_code"] == code
    assert at_stripe["metadata"].get("reason") == reason
    shown = (
        await api.get(f"/api/v1/payments/stripe/payments/{paid.payment['id']}", headers=finance)
    ).json()["refunds"]
    assert [(r["reason"], r["reason_code"]) for r in shown] == [(reason, code)]


async def test_a_different_reason_under_the_same_key_is_refused(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="20.00")
    headers = {**as_role("finance"), "Idempotency-Key": f"reason-{customer_id}"}
    url = f"/api/v1/payments/stripe/refund/{paid.payment['id']}"

    first = await api.post(url, json={"amount": 5, "reason": "Late delivery"}, headers=headers)
    again = await api.post(url, json={"amount": 5, "reason": "Late delivery"}, headers=headers)
    other = await api.post(url, json={"amount": 5, "reason": "Wrong size"}, headers=headers)
    coded = await api.post(
        url,
        json={"amount": 5, "reason": "Late delivery", "reason_code": "goodwill"},
        headers=headers,
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (other.status_code, coded.status_code) == (409, 409)
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(emulator.refunds_for_intent(paid.intent["payment_intent_id"])) == 1


@pytest.mark.parametrize(
    ("roles", "scope", "sees_notes"),
    [
        (("sales",), None, False),
        (("finance",), None, True),
        (("admin",), None, True),
        (("service",), "payments:read", False),
        (("service",), "payments:read refunds:read", True),
    ],
)
async def test_refund_notes_need_refunds_read(
    api: AsyncClient,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    roles: tuple[str, ...],
    scope: str | None,
    sees_notes: bool,
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="20.00")
    made = await refund(api, as_role("finance"), paid.payment["id"], amount=2, notes="Private")
    assert made.status_code == 201
    reader = as_role(*roles, scope=scope)
    payment_id = paid.payment["id"]

    one = await api.get(f"/api/v1/payments/stripe/payments/{payment_id}", headers=reader)
    listed = await api.get(
        "/api/v1/payments/stripe/payments", params={"order_id": paid.order["id"]}, headers=reader
    )

    assert (one.status_code, listed.status_code) == (200, 200)
    expected = "Private" if sees_notes else None
    assert [r["notes"] for r in one.json()["refunds"]] == [expected]
    assert [r["notes"] for r in listed.json()["items"][0]["refunds"]] == [expected]


async def test_a_reason_is_stored_and_sent_exactly_as_written(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="20.00")
    reason = "  Chair returned\n\twith a scratch  "

    response = await refund(
        api, as_role("finance"), paid.payment["id"], amount="5.00", reason=reason
    )

    assert response.status_code == 201, response.text
    assert response.json()["reason"] == reason
    [at_stripe] = emulator.refunds_for_intent(paid.intent["payment_intent_id"])
    assert at_stripe["metadata"]["reason"] == reason


@pytest.mark.parametrize(
    ("reason", "error_type"),
    [
        ("\t" * 1000, "string_too_long"),  # once stripped to "" and refunded with no reason
        (" " * 501, "string_too_long"),
        ("\x1f" * 10, "string_pattern_mismatch"),
        ("Returned\x00", "string_pattern_mismatch"),
    ],
)
async def test_a_reason_that_cannot_be_kept_whole_is_refused_and_nothing_is_refunded(
    api: AsyncClient,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    reason: str,
    error_type: str,
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="20.00")

    response = await refund(api, as_role("finance"), paid.payment["id"], reason=reason)

    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["type"]) == ("reason", error_type)
    assert emulator.refunds_for_intent(paid.intent["payment_intent_id"]) == []


async def test_a_null_reason_and_code_are_refused_on_reason_code(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="20.00")

    response = await api.post(
        f"/api/v1/payments/stripe/refund/{paid.payment['id']}",
        json={"amount": None, "reason": None, "reason_code": None, "notes": "0"},
        headers=as_role("finance"),
    )

    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["type"]) == ("reason_code", "missing")
