"""What a movement of money is worth in the settlement currency, and what Stripe keeps of it.

Amounts are integers in minor units. A charge in another currency is converted at the
configured fixed rate (`exchange_rates.py`); Stripe does not publish how it rounds, so the
emulator rounds every converted amount and every percentage fee to the nearest minor unit,
halves away from zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from stripe_emulator.config import FeeSchedule
from stripe_emulator.money import exponent

_UNIT = Decimal(1)


def _rounded(value: Decimal) -> int:
    return int(value.quantize(_UNIT, rounding=ROUND_HALF_UP))


def to_settlement(
    amount: int, currency: str, settlement: str, rates: Mapping[str, Decimal]
) -> tuple[int, Decimal | None]:
    """`amount` (minor units of `currency`) in minor units of `settlement`, and the rate used
    (None when no conversion was needed), as a balance transaction's `exchange_rate` shows it."""
    if currency == settlement:
        return amount, None
    rate = rates.get(currency)
    if rate is None:
        raise ValueError(f"no exchange rate from {currency} to {settlement}")
    major = Decimal(amount).scaleb(-exponent(currency))
    return _rounded((major * rate).scaleb(exponent(settlement))), rate


def card_fee(settled: int, fees: FeeSchedule, *, international: bool, converted: bool) -> int:
    """Stripe's fee on a successful card charge of `settled` (settlement minor units): the card
    percentage, plus the international card and currency conversion ones when they apply, of
    the amount, plus the fixed fee."""
    percent = fees.card_percent
    if international:
        percent += fees.international_card_percent
    if converted:
        percent += fees.currency_conversion_percent
    return _rounded(Decimal(settled) * percent / 100) + fees.card_fixed
