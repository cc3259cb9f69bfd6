from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from app.payments.repository import PAYMENTS
from app.refund_records.repository import REFUNDS
from tests.integration.conftest import Headers
from tests.integration.reports.documents import at, far_past_day, payment, refund, step

STATS = "/api/v1/payments/stripe/stats"


async def stats(client: AsyncClient, headers: Headers, first: date, last: date) -> dict[str, Any]:
    response = await client.get(
        STATS, params={"from": first.isoformat(), "to": last.isoformat()}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestPaymentStats:
    async def test_rates_volume_refunds_and_declines_of_the_period(
        self,
        client: AsyncClient,
        mongo: AsyncDatabase[dict[str, Any]],
        as_role: Callable[..., Headers],
    ) -> None:
        day = far_past_day()
        next_day = day + timedelta(days=1)
        card = payment(
            created=at(day, 9),
            status="completed",
            amount_minor=10000,
            history=[step("completed", at(day, 9, 1))],
        )
        with_3ds = payment(
            created=at(next_day, 10),
            status="completed",
            amount_minor=5000,
            amount_refunded_minor=2000,
            history=[
                step("requires_action", at(next_day, 10)),
                step("completed", at(next_day, 10, 2)),
            ],
        )
        declined_twice = payment(
            created=at(day, 11),
            status="failed",
            amount_minor=700,
            history=[
                step("failed", at(day, 11), "generic_decline"),
                step("failed", at(day, 11, 5), "insufficient_funds"),
            ],
        )
        declined_then_paid = payment(
            created=at(day, 23, 59),
            status="completed",
            amount_minor=1000,
            currency="eur",
            history=[
                step("failed", at(day, 23, 59), "insufficient_funds"),
                step("completed", at(next_day, 0, 1)),
            ],
        )
        never_tried = payment(created=at(day, 8), status="pending", amount_minor=999)
        canceled_untried = payment(
            created=at(day, 8),
            status="canceled",
            amount_minor=999,
            history=[step("canceled", at(day, 8, 30))],
        )
        before_period = payment(
            created=at(day - timedelta(days=1), 23, 59),
            status="completed",
            amount_minor=123,
            history=[step("failed", at(day, 0), "lost_card"), step("completed", at(day, 0, 1))],
        )
        await mongo[PAYMENTS].insert_many(
            [
                card,
                with_3ds,
                declined_twice,
                declined_then_paid,
                never_tried,
                canceled_untried,
                before_period,
            ]
        )
        await mongo[REFUNDS].insert_many(
            [
                refund(
                    of=with_3ds, created=at(next_day, 15), amount_minor=2000, status="succeeded"
                ),
                refund(of=with_3ds, created=at(next_day, 16), amount_minor=500, status="failed"),
                refund(
                    of=declined_then_paid,
                    created=at(next_day, 17),
                    amount_minor=150,
                    status="pending",
                ),
                refund(
                    of=card,
                    created=at(next_day + timedelta(days=1)),
                    amount_minor=1,
                    status="succeeded",
                ),
            ]
        )

        body = await stats(client, as_role("finance"), day, next_day)
        body.pop("authorizations")  # now, not of the period: see the manual-capture tests

        assert body == {
            "from": day.isoformat(),
            "to": next_day.isoformat(),
            "payments": {"attempted": 4, "completed": 3, "failed": 1, "success_rate": 0.75},
            "three_d_secure": {"required": 1, "rate": 0.25},
            "refunds": {
                "count": 2,
                "refunded_payments": 1,
                "refund_rate": 0.3333,
                "by_currency": [
                    {"currency": "eur", "amount": 1.5, "amount_minor": 150, "count": 1},
                    {"currency": "usd", "amount": 20, "amount_minor": 2000, "count": 1},
                ],
                "by_reason": [{"reason_code": "requested_by_customer", "count": 2}],
            },
            "volume_by_day": [
                {
                    "date": day.isoformat(),
                    "currency": "usd",
                    "amount": 100,
                    "amount_minor": 10000,
                    "payments": 1,
                },
                {
                    "date": next_day.isoformat(),
                    "currency": "eur",
                    "amount": 10,
                    "amount_minor": 1000,
                    "payments": 1,
                },
                {
                    "date": next_day.isoformat(),
                    "currency": "usd",
                    "amount": 50,
                    "amount_minor": 5000,
                    "payments": 1,
                },
            ],
            "top_decline_reasons": [
                {"reason": "insufficient_funds", "count": 2},
                {"reason": "generic_decline", "count": 1},
            ],
        }

    async def test_a_period_without_payments_has_no_rates(
        self, client: AsyncClient, as_role: Callable[..., Headers]
    ) -> None:
        day = far_past_day()
        body = await stats(client, as_role("admin"), day, day)
        body.pop("authorizations")  # now, not of the period: see the manual-capture tests
        assert body == {
            "from": day.isoformat(),
            "to": day.isoformat(),
            "payments": {"attempted": 0, "completed": 0, "failed": 0, "success_rate": None},
            "three_d_secure": {"required": 0, "rate": None},
            "refunds": {
                "count": 0,
                "refunded_payments": 0,
                "refund_rate": None,
                "by_currency": [],
                "by_reason": [],
            },
            "volume_by_day": [],
            "top_decline_reasons": [],
        }

    async def test_refunds_are_counted_and_summed_per_currency_in_one_pass(
        self,
        client: AsyncClient,
        mongo: AsyncDatabase[dict[str, Any]],
        as_role: Callable[..., Headers],
    ) -> None:
        """Several refunds per currency: the count and the amount come from one `$group`."""
        day = far_past_day()
        usd = payment(created=at(day, 9), status="completed", amount_minor=9000)
        jpy = payment(created=at(day, 10), status="completed", amount_minor=9000, currency="jpy")
        await mongo[PAYMENTS].insert_many([usd, jpy])
        await mongo[REFUNDS].insert_many(
            [
                refund(of=usd, created=at(day, 11), amount_minor=100, status="succeeded"),
                refund(
                    of=usd,
                    created=at(day, 12),
                    amount_minor=250,
                    status="pending",
                    reason="Arrived broken",
                    reason_code="product_unacceptable",
                ),
                refund(
                    of=usd,
                    created=at(day, 13),
                    amount_minor=4000,
                    status="failed",
                    reason_code="duplicate",
                ),
                refund(
                    of=usd,
                    created=at(day, 14),
                    amount_minor=7,
                    status="succeeded",
                    reason="Late delivery",
                    reason_code="other",
                ),
                refund(of=jpy, created=at(day, 15), amount_minor=300, status="succeeded"),
                refund(of=jpy, created=at(day, 16), amount_minor=200, status="canceled"),
                refund(of=jpy, created=at(day, 17), amount_minor=45, status="succeeded"),
            ]
        )

        body = await stats(client, as_role("finance"), day, day)

        assert body["refunds"]["count"] == 5
        assert body["refunds"]["by_currency"] == [
            {"currency": "jpy", "amount": 345, "amount_minor": 345, "count": 2},
            {"currency": "usd", "amount": 3.57, "amount_minor": 357, "count": 3},
        ]
        # By code, failed ones left out; older records' `reason` is their code.
        assert body["refunds"]["by_reason"] == [
            {"reason_code": "requested_by_customer", "count": 3},
            {"reason_code": "other", "count": 1},
            {"reason_code": "product_unacceptable", "count": 1},
        ]
