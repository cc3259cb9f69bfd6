"""Stripe's standard US pricing and the fixed conversions, worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stripe_emulator.config import FeeSchedule
from stripe_emulator.exchange_rates import DEFAULT_EXCHANGE_RATES
from stripe_emulator.fees import card_fee, to_settlement

FEES = FeeSchedule()


@pytest.mark.parametrize(
    ("settled", "international", "converted", "fee"),
    [
        (5000, False, False, 175),  # 2.9 % of 50.00 = 1.45, + 0.30
        (1999, False, False, 88),  # 57.971 rounds to 58
        (10_000, True, False, 470),  # 2.9 + 1.5 = 4.4 %
        (10_800, False, True, 451),  # 2.9 + 1 = 3.9 % of 108.00 = 4.212
        (10_800, True, True, 613),  # 5.4 % of 108.00 = 5.832
    ],
)
def test_the_card_fee_is_the_percentages_of_the_amount_plus_the_fixed_fee(
    settled: int, international: bool, converted: bool, fee: int
) -> None:
    assert card_fee(settled, FEES, international=international, converted=converted) == fee


def test_a_fee_half_a_cent_away_rounds_up() -> None:
    one_percent = FeeSchedule(card_percent=Decimal("1"), card_fixed=0)

    assert card_fee(150, one_percent, international=False, converted=False) == 2
    assert card_fee(149, one_percent, international=False, converted=False) == 1


def test_the_rates_are_settings() -> None:
    cheaper = FeeSchedule(card_percent=Decimal("1.4"), card_fixed=25)

    assert card_fee(10_000, cheaper, international=False, converted=False) == 165


@pytest.mark.parametrize(
    ("amount", "currency", "settled", "rate"),
    [
        (1000, "usd", 1000, None),
        (1000, "eur", 1080, Decimal("1.08")),  # 10.00 EUR x 1.08 = 10.80 USD
        (5000, "jpy", 3350, Decimal("0.0067")),  # zero-decimal: 5000 JPY = 33.50 USD
        (1005, "kwd", 327, Decimal("3.25")),  # three decimals: 1.005 KWD = 3.26625 USD
        (-1000, "eur", -1080, Decimal("1.08")),
    ],
)
def test_other_currencies_settle_in_usd_at_the_fixed_rate(
    amount: int, currency: str, settled: int, rate: Decimal | None
) -> None:
    assert to_settlement(amount, currency, "usd", DEFAULT_EXCHANGE_RATES) == (settled, rate)
