"""Currencies, minimum amounts and amounts in messages, as Stripe words them."""

from __future__ import annotations

from stripe_emulator.errors import invalid_request

# Currency codes, space-separated to keep the lists short.
_ZERO_DECIMAL_CODES = "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf"
_THREE_DECIMAL_CODES = "bhd jod kwd omr tnd"
_SUPPORTED_CODES = (
    "usd aed aud bgn bhd brl cad chf clp cny czk dkk eur gbp hkd huf idr ils inr isk jod jpy "
    "krw kwd mxn myr nok nzd omr php pln ron sek sgd thb tnd try twd zar"
)
ZERO_DECIMAL = frozenset(_ZERO_DECIMAL_CODES.split())
THREE_DECIMAL = frozenset(_THREE_DECIMAL_CODES.split())
SUPPORTED = frozenset(_SUPPORTED_CODES.split())
_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥"}
_MINIMUM_MINOR = {"gbp": 30, "jpy": 50, "krw": 500, "huf": 17500, "inr": 50}
MAXIMUM_MINOR = 99_999_999


def exponent(currency: str) -> int:
    if currency in ZERO_DECIMAL:
        return 0
    if currency in THREE_DECIMAL:
        return 3
    return 2


def format_amount(amount: int, currency: str) -> str:
    digits = exponent(currency)
    major = f"{amount / 10**digits:,.{digits}f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{major}" if symbol else f"{major} {currency.upper()}"


def check_currency(currency: str, param: str = "currency") -> str:
    lowered = currency.lower()
    if lowered not in SUPPORTED:
        raise invalid_request(
            f"Invalid currency: {currency}. Stripe currently supports these currencies: "
            + ", ".join(sorted(SUPPORTED)),
            param=param,
        )
    return lowered


def check_charge_amount(amount: int, currency: str) -> None:
    minimum = _MINIMUM_MINOR.get(currency, 50)
    if amount < minimum:
        raise invalid_request(
            f"Amount must be at least {format_amount(minimum, currency)} {currency}",
            code="amount_too_small",
            param="amount",
        )
    if amount > MAXIMUM_MINOR:
        raise invalid_request(
            f"Amount must be no more than {format_amount(MAXIMUM_MINOR, currency)}",
            code="amount_too_large",
            param="amount",
        )
