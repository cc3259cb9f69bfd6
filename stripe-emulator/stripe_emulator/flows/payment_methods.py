"""Card PaymentMethods: from raw card details (Stripe.js) or from `pm_card_*` test tokens."""

from __future__ import annotations

import datetime
from typing import Any

from stripe_emulator.cards import PAYMENT_METHOD_TOKENS, TestCard, card_for_number, passes_luhn
from stripe_emulator.errors import card_error, resource_missing
from stripe_emulator.objects.payment_method import build_card_payment_method
from stripe_emulator.store import JsonObject, Store

_TOKEN_EXPIRY_YEARS = 3


def create_card_payment_method(store: Store, params: dict[str, Any]) -> JsonObject:
    card_params: dict[str, Any] = params["card"]
    number = _checked_number(str(card_params["number"]))
    card = card_for_number(number)
    exp_month, exp_year = _checked_expiry(card_params["exp_month"], card_params["exp_year"])
    if "cvc" in card_params:
        _check_cvc(card_params["cvc"], card)
    return _save(
        store,
        card,
        build_card_payment_method(
            card,
            exp_month=exp_month,
            exp_year=exp_year,
            billing=params.get("billing_details"),
            metadata=params.get("metadata"),
        ),
    )


def resolve_payment_method(
    store: Store, reference: str, param: str = "payment_method"
) -> JsonObject:
    """An existing PaymentMethod, or a new one made from a `pm_card_*` token, as Stripe does."""
    token_number = PAYMENT_METHOD_TOKENS.get(reference)
    if token_number is not None:
        card = card_for_number(token_number)
        expiry_year = datetime.date.today().year + _TOKEN_EXPIRY_YEARS
        return _save(
            store, card, build_card_payment_method(card, exp_month=12, exp_year=expiry_year)
        )
    found = store.payment_methods.get(reference)
    if found is None:
        raise resource_missing("PaymentMethod", reference, param=param)
    return found


def _save(store: Store, card: TestCard, payment_method: JsonObject) -> JsonObject:
    store.payment_methods[payment_method["id"]] = payment_method
    store.cards[payment_method["id"]] = card
    return payment_method


def _checked_number(raw: str) -> str:
    number = raw.replace(" ", "").replace("-", "")
    if not number.isdigit() or not 12 <= len(number) <= 19:
        raise card_error("Your card number is invalid.", code="invalid_number", param="number")
    if not passes_luhn(number):
        raise card_error("Your card number is incorrect.", code="incorrect_number", param="number")
    return number


def _checked_expiry(exp_month: int, exp_year: int) -> tuple[int, int]:
    if not 1 <= exp_month <= 12:
        raise card_error(
            "Your card's expiration month is invalid.",
            code="invalid_expiry_month",
            param="exp_month",
        )
    year = exp_year + 2000 if exp_year < 100 else exp_year
    today = datetime.date.today()
    if year < today.year:
        raise card_error(
            "Your card's expiration year is in the past.",
            code="invalid_expiry_year",
            param="exp_year",
        )
    if year > today.year + 50:
        raise card_error(
            "Your card's expiration year is invalid.", code="invalid_expiry_year", param="exp_year"
        )
    if year == today.year and exp_month < today.month:
        raise card_error(
            "Your card's expiration date is in the past.",
            code="invalid_expiry_month",
            param="exp_month",
        )
    return exp_month, year


def _check_cvc(cvc: str, card: TestCard) -> None:
    expected_length = 4 if card.brand == "amex" else 3
    if not cvc.isdigit() or len(cvc) != expected_length:
        raise card_error("Your card's security code is invalid.", code="invalid_cvc", param="cvc")
