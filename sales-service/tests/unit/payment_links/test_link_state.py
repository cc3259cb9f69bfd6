from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.payment_links.models import LinkState, PaymentLink, payment_is_over
from app.payments.models import Payment, PaymentStatus

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def link(**overrides: Any) -> PaymentLink:
    fields: dict[str, Any] = {
        "_id": "plink_" + "0" * 32,
        "token_hash": "h",
        "order_id": "ord_1",
        "order_number": "ORD-2026-000001",
        "currency": "usd",
        "amount_minor": 1000,
        "expires_at": NOW + timedelta(days=7),
        "version": 0,
        "created_by": "user-sales",
        "created_at": NOW,
        **overrides,
    }
    return PaymentLink.from_document(fields)


def payment(status: PaymentStatus, intent: str | None = "pi_1") -> Payment:
    return Payment.model_validate(
        {
            "id": "pay_1",
            "order_id": "ord_1",
            "order_number": "ORD-2026-000001",
            "customer_id": "cus_1",
            "amount_minor": 1000,
            "currency": "usd",
            "status": status,
            "payment_intent_id": intent,
            "version": 1,
            "created_by": "link:plink",
            "created_at": NOW,
            "updated_at": NOW,
        }
    )


def test_a_fresh_link_is_active_until_it_expires() -> None:
    assert link().state(None, NOW) is LinkState.ACTIVE
    assert link().state(None, NOW + timedelta(days=7)) is LinkState.EXPIRED


def test_revoked_wins_over_expired() -> None:
    revoked = link(revoked_at=NOW, revoked_by="user-sales")
    assert revoked.state(None, NOW + timedelta(days=30)) is LinkState.REVOKED


def test_paid_wins_over_everything() -> None:
    revoked = link(revoked_at=NOW, revoked_by="user-sales")
    done = payment(PaymentStatus.COMPLETED)
    assert revoked.state(done, NOW + timedelta(days=30)) is LinkState.PAID


@pytest.mark.parametrize(
    ("status", "intent", "over"),
    [
        (PaymentStatus.CANCELED, "pi_1", True),
        (PaymentStatus.FAILED, None, True),  # Stripe never made its intent
        (PaymentStatus.FAILED, "pi_1", False),  # declined: another card on the same intent
        (PaymentStatus.PENDING, None, False),
        (PaymentStatus.REQUIRES_ACTION, "pi_1", False),
        (PaymentStatus.COMPLETED, "pi_1", False),
    ],
)
def test_when_a_link_may_make_a_new_payment(
    status: PaymentStatus, intent: str | None, over: bool
) -> None:
    assert payment_is_over(payment(status, intent)) is over
