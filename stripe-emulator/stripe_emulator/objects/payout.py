"""The `payout` object (automatic payouts to the account's bank account), and Stripe's payout
failure codes with the test bank account numbers that cause them."""

from __future__ import annotations

from stripe_emulator.clock import now
from stripe_emulator.objects.common import JsonObject

# The account's one external bank account (not an object the emulator serves).
BANK_ACCOUNT_ID = "ba_1EmulatorBankAccount000"

FAILURE_MESSAGES = {
    "account_closed": "The bank account has been closed.",
    "account_frozen": "The bank account has been frozen.",
    "bank_account_restricted": "The bank account has restrictions on either the type, or the "
    "number, of payouts allowed. This normally indicates that the bank account is a savings "
    "or other non-checking account.",
    "could_not_process": "The bank could not process this payout.",
    "debit_not_authorized": "Debit transactions are not approved on the bank account. (Stripe "
    "requires bank accounts to be set up for both credit and debit payouts.)",
    "insufficient_funds": "Your Stripe account has insufficient funds to cover the payout.",
    "invalid_account_number": "The routing number seems correct, but the account number is "
    "invalid.",
    "invalid_currency": "The bank was unable to process this payout because of its currency. "
    "This is probably because the bank account cannot accept payments in that currency.",
    "no_account": "The bank account details on file are probably incorrect. No bank account "
    "could be located with those details.",
}

# Stripe's US test bank account numbers (routing 110000000); any other number is paid.
FAILING_TEST_ACCOUNTS = {
    "000111111116": "no_account",
    "000111111113": "account_closed",
    "000222222227": "insufficient_funds",
    "000333333335": "debit_not_authorized",
    "000444444440": "invalid_currency",
}


def build_payout(
    payout_id: str, *, amount: int, currency: str, arrival_date: int, balance_transaction: str
) -> JsonObject:
    """An automatic payout, submitted to the bank at once (`in_transit`)."""
    return {
        "id": payout_id,
        "object": "payout",
        "amount": amount,
        "application_fee": None,
        "application_fee_amount": None,
        "arrival_date": arrival_date,
        "automatic": True,
        "balance_transaction": balance_transaction,
        "created": now(),
        "currency": currency,
        "description": "STRIPE PAYOUT",
        "destination": BANK_ACCOUNT_ID,
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": {},
        "method": "standard",
        "original_payout": None,
        "payout_method": None,
        "reconciliation_status": "in_progress",
        "reversed_by": None,
        "source_type": "card",
        "statement_descriptor": None,
        "status": "in_transit",
        "trace_id": {"status": "pending", "value": None},
        "type": "bank_account",
    }
