"""The chaos checker can fail: each world below breaks exactly one invariant, and it says so."""

from dataclasses import replace

import pytest

from chaos.checker import INVARIANTS, check
from chaos.world import (
    DisputeItem,
    LedgerItem,
    OurOrder,
    OurPayment,
    OurRefund,
    StripeDispute,
    StripeIntent,
    StripeRefund,
    World,
)


def clean_world() -> World:
    """A: paid, partly refunded. B: a deposit paid, the rest open. C: paid, a dispute lost."""
    return World(
        orders=[
            OurOrder("ord_a", 10_000, 10_000, 3_000, "partially_refunded", 0, 10_000),
            OurOrder("ord_b", 10_000, 4_000, 0, "partially_paid", 6_000, 4_000),
            OurOrder("ord_c", 5_000, 3_000, 0, "disputed", None, 3_000),
        ],
        payments=[
            OurPayment(
                "pay_a",
                "ord_a",
                10_000,
                "completed",
                "pi_a",
                3_000,
                0,
                ledger={"ref_a": LedgerItem(3_000, "refunded")},
                request_tag="tag-pay-a",
            ),
            OurPayment("pay_b1", "ord_b", 4_000, "completed", "pi_b1", 0, 0),
            OurPayment("pay_b2", "ord_b", 6_000, "pending", "pi_b2", 0, 0),
            OurPayment(
                "pay_c",
                "ord_c",
                5_000,
                "completed",
                "pi_c",
                0,
                0,
                disputes={"dp_c": DisputeItem("lost", 2_000)},
                served_refundable_minor=3_000,
            ),
        ],
        refunds=[OurRefund("ref_a", "pay_a", 3_000, "succeeded", "re_a", "tag-refund-a")],
        intents=[
            StripeIntent("pi_a", 10_000, "succeeded", "pay_a", "ord_a", "ch_a"),
            StripeIntent("pi_b1", 4_000, "succeeded", "pay_b1", "ord_b", "ch_b1"),
            StripeIntent("pi_b2", 6_000, "requires_payment_method", "pay_b2", "ord_b", None),
            StripeIntent("pi_c", 5_000, "succeeded", "pay_c", "ord_c", "ch_c"),
        ],
        stripe_refunds=[StripeRefund("re_a", "pi_a", 3_000, "succeeded", "ref_a", "tag-refund-a")],
        disputes=[StripeDispute("dp_c", "ch_c", 2_000, "lost")],
    )


def broken_i1(world: World) -> None:
    """A second intent for order A, unpaid but still payable: A could be charged twice."""
    world.payments.append(OurPayment("pay_a2", "ord_a", 5_000, "pending", "pi_a2", 0, 0))
    world.intents.append(
        StripeIntent("pi_a2", 5_000, "requires_payment_method", "pay_a2", "ord_a", None)
    )


def broken_i2(world: World) -> None:
    """Stripe made a second refund for refund A's request (it then failed)."""
    world.stripe_refunds.append(
        StripeRefund("re_a2", "pi_a", 3_000, "failed", "ref_a", "tag-refund-a")
    )


def broken_i3(world: World) -> None:
    """Order A still shows an older refunded figure than its payment."""
    world.orders[0] = replace(world.orders[0], amount_refunded_minor=2_000)


def broken_i4(world: World) -> None:
    """A refund still pending, its amount still reserved on payment A."""
    world.refunds.append(OurRefund("ref_a2", "pay_a", 1_000, "pending", None))
    payment = world.payments[0]
    ledger = {**payment.ledger, "ref_a2": LedgerItem(1_000, "reserved")}
    world.payments[0] = replace(payment, refund_reserved_minor=1_000, ledger=ledger)


def broken_i5(world: World) -> None:
    """Stripe took order B's balance, but our payment stayed pending."""
    world.intents[2] = replace(world.intents[2], status="succeeded", latest_charge="ch_b2")


def broken_i6(world: World) -> None:
    """Order C still counts the money its lost dispute took back."""
    world.orders[2] = replace(
        world.orders[2], amount_paid_minor=5_000, served_amount_paid_minor=5_000
    )


def test_a_clean_world_has_no_violations() -> None:
    report = check(clean_world())

    assert report.violations == {name: [] for name in INVARIANTS}
    assert report.total == 0


@pytest.mark.parametrize(
    ("invariant", "breaks"),
    [
        ("I1", broken_i1),
        ("I2", broken_i2),
        ("I3", broken_i3),
        ("I4", broken_i4),
        ("I5", broken_i5),
        ("I6", broken_i6),
    ],
)
def test_each_broken_invariant_is_reported_alone(invariant: str, breaks: object) -> None:
    world = clean_world()
    assert callable(breaks)
    breaks(world)

    report = check(world)

    failing = {name for name, found in report.violations.items() if found}
    assert failing == {invariant}, report.violations


def test_a_refund_failed_here_but_made_at_stripe_breaks_i2() -> None:
    world = clean_world()
    world.refunds[0] = replace(world.refunds[0], status="failed")
    world.payments[0] = replace(
        world.payments[0], amount_refunded_minor=0, ledger={"ref_a": LedgerItem(3_000, "released")}
    )

    found = check(world).violations["I2"]

    assert found == ["refund ref_a: failed here, succeeded at Stripe (re_a)"]


def captured_world() -> World:
    """Order D: 8,000 authorized, 5,000 captured (Stripe released the rest)."""
    world = clean_world()
    world.orders.append(OurOrder("ord_d", 8_000, 5_000, 0, "partially_paid", 3_000, 5_000))
    world.payments.append(
        OurPayment("pay_d", "ord_d", 8_000, "completed", "pi_d", 0, 0, amount_received_minor=5_000)
    )
    world.intents.append(
        StripeIntent("pi_d", 8_000, "succeeded", "pay_d", "ord_d", "ch_d", amount_received=5_000)
    )
    return world


def test_a_partial_capture_agreeing_with_stripe_is_clean() -> None:
    assert check(captured_world()).total == 0


def test_a_payment_counting_more_than_stripe_captured_breaks_i5() -> None:
    world = captured_world()
    world.payments[-1] = replace(world.payments[-1], amount_received_minor=None)
    world.orders[-1] = replace(world.orders[-1], amount_paid_minor=8_000)

    report = check(world)

    assert any("records 8000" in found for found in report.violations["I5"]), report.violations


def test_an_intent_open_at_stripe_that_no_payment_holds_breaks_i4() -> None:
    """Issue 22: a payment refused before Stripe, then an intent made for it by its cancel."""
    world = clean_world()
    world.orders.append(OurOrder("ord_e", 5_000, 0, 0, "unpaid", 5_000, 0))
    world.payments.append(OurPayment("pay_e", "ord_e", 5_000, "canceled", None, 0, 0))
    world.intents.append(
        StripeIntent("pi_e", 5_000, "requires_payment_method", "pay_e", "ord_e", None)
    )

    report = check(world)

    assert report.violations["I4"] == [
        "intent pi_e: requires_payment_method at Stripe, not on the record of payment pay_e"
    ]
    assert report.total == 1
    world.intents[-1] = replace(world.intents[-1], status="canceled")
    assert check(world).total == 0


def test_a_capture_left_unanswered_breaks_i4() -> None:
    world = captured_world()
    world.payments[-1] = replace(world.payments[-1], capture_requested_minor=5_000)

    report = check(world)

    assert [name for name, found in report.violations.items() if found] == ["I4"]
