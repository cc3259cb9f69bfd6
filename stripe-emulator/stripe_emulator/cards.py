"""Stripe's documented test cards and `pm_card_*` tokens, and how each one behaves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ChargeOutcome(Enum):
    SUCCEED = "succeed"
    DECLINE = "decline"
    AUTHENTICATE = "authenticate"
    # 3D Secure completes, then the issuer declines.
    AUTHENTICATE_THEN_DECLINE = "authenticate_then_decline"


class RefundOutcome(Enum):
    SUCCEED = "succeed"
    # Starts `pending`, settles to `succeeded` later.
    PENDING = "pending"
    # Starts `succeeded`, turns `failed` later.
    FAIL = "fail"


@dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str
    message: str
    param: str | None = None


GENERIC_DECLINE = Decline("card_declined", "generic_decline", "Your card was declined.")
LIVE_CARD_IN_TEST_MODE = Decline(
    "card_declined",
    "test_mode_live_card",
    "Your card was declined. Your request was in test mode, but used a non test (live) card. "
    "For a list of valid test cards, visit: https://docs.stripe.com/testing.",
)


@dataclass(frozen=True)
class TestCard:
    number: str
    brand: str
    funding: str = "credit"
    country: str = "US"
    outcome: ChargeOutcome = ChargeOutcome.SUCCEED
    decline: Decline | None = None
    refund: RefundOutcome = RefundOutcome.SUCCEED
    disputed: bool = False
    # Its charges' funds are available at once instead of after the account's delay.
    bypass_pending: bool = False

    @property
    def last4(self) -> str:
        return self.number[-4:]


def _declined(number: str, decline: Decline) -> TestCard:
    return TestCard(number, "visa", outcome=ChargeOutcome.DECLINE, decline=decline)


TEST_CARDS: dict[str, TestCard] = {
    card.number: card
    for card in (
        TestCard("4242424242424242", "visa"),
        TestCard("4000056655665556", "visa", funding="debit"),
        TestCard("5555555555554444", "mastercard"),
        TestCard("2223003122003222", "mastercard"),
        TestCard("5200828282828210", "mastercard", funding="debit"),
        TestCard("378282246310005", "amex"),
        TestCard("6011111111111117", "discover"),
        TestCard("3056930009020004", "diners"),
        TestCard("3566002020360505", "jcb"),
        TestCard("6200000000000005", "unionpay"),
        _declined("4000000000000002", GENERIC_DECLINE),
        _declined(
            "4000000000009995",
            Decline("card_declined", "insufficient_funds", "Your card has insufficient funds."),
        ),
        _declined(
            "4000000000009987", Decline("card_declined", "lost_card", "Your card was declined.")
        ),
        _declined(
            "4000000000009979", Decline("card_declined", "stolen_card", "Your card was declined.")
        ),
        _declined(
            "4000000000000069",
            Decline("expired_card", "expired_card", "Your card has expired.", param="exp_month"),
        ),
        _declined(
            "4000000000000127",
            Decline(
                "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.", "cvc"
            ),
        ),
        _declined(
            "4000000000000119",
            Decline(
                "processing_error",
                "processing_error",
                "An error occurred while processing your card. Try again in a little bit.",
            ),
        ),
        TestCard("4000002500003155", "visa", outcome=ChargeOutcome.AUTHENTICATE),
        TestCard("4000002760003184", "visa", outcome=ChargeOutcome.AUTHENTICATE),
        TestCard("4000000000003220", "visa", outcome=ChargeOutcome.AUTHENTICATE),
        TestCard(
            "4000008400001629",
            "visa",
            outcome=ChargeOutcome.AUTHENTICATE_THEN_DECLINE,
            decline=GENERIC_DECLINE,
        ),
        TestCard("4000000000005126", "visa", refund=RefundOutcome.FAIL),
        TestCard("4000000000007726", "visa", refund=RefundOutcome.PENDING),
        TestCard("4000000000000259", "visa", disputed=True),
        TestCard("4000000000000077", "visa", bypass_pending=True),
        TestCard("4000003720000278", "visa", country="IE", bypass_pending=True),
        # Cards issued outside the account's country (the international card fee applies).
        TestCard("4000000760000002", "visa", country="BR"),
        TestCard("4000001240000000", "visa", country="CA"),
        TestCard("4000004840008001", "visa", country="MX"),
        TestCard("4000002500000003", "visa", country="FR"),
        TestCard("4000002760000016", "visa", country="DE"),
        TestCard("4000008260000000", "visa", country="GB"),
        TestCard("4000003920000003", "visa", country="JP"),
        TestCard("4000000360000006", "visa", country="AU"),
    )
}

PAYMENT_METHOD_TOKENS: dict[str, str] = {
    "pm_card_visa": "4242424242424242",
    "pm_card_visa_debit": "4000056655665556",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_amex": "378282246310005",
    "pm_card_discover": "6011111111111117",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_chargeDeclinedIncorrectCvc": "4000000000000127",
    "pm_card_chargeDeclinedProcessingError": "4000000000000119",
    "pm_card_authenticationRequired": "4000002760003184",
    "pm_card_authenticationRequiredOnSetup": "4000002500003155",
    "pm_card_threeDSecure2Required": "4000000000003220",
    "pm_card_refundFail": "4000000000005126",
    "pm_card_createDispute": "4000000000000259",
    "pm_card_bypassPending": "4000000000000077",
    "pm_card_bypassPendingInternational": "4000003720000278",
    "pm_card_br": "4000000760000002",
    "pm_card_ca": "4000001240000000",
    "pm_card_mx": "4000004840008001",
    "pm_card_fr": "4000002500000003",
    "pm_card_de": "4000002760000016",
    "pm_card_gb": "4000008260000000",
    "pm_card_jp": "4000003920000003",
    "pm_card_au": "4000000360000006",
}


def passes_luhn(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def brand_of(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in ("34", "37"):
        return "amex"
    if 51 <= int(number[:2] or 0) <= 55 or 2221 <= int(number[:4] or 0) <= 2720:
        return "mastercard"
    if number.startswith(("6011", "65")) or 644 <= int(number[:3] or 0) <= 649:
        return "discover"
    if number[:2] in ("30", "36", "38"):
        return "diners"
    if number.startswith("35"):
        return "jcb"
    if number.startswith("62"):
        return "unionpay"
    return "unknown"


def card_for_number(number: str) -> TestCard:
    """A documented test card, or a card that Stripe's test mode declines as live."""
    known = TEST_CARDS.get(number)
    if known is not None:
        return known
    return TestCard(
        number, brand_of(number), outcome=ChargeOutcome.DECLINE, decline=LIVE_CARD_IN_TEST_MODE
    )
