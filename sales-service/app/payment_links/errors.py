"""Errors of payment links; the shared handler renders them.

The public side has one not-found for every token that does not pay (unknown, malformed,
expired, revoked): which of them it is would tell a guesser that a token once existed.
"""

from app.core.errors import Conflict, NotFound, ServiceUnavailable


class PaymentLinkNotFound(NotFound):
    message = "Payment link not found."


class LinkNotPayable(NotFound):
    """The public answer for any token that cannot be used; deliberately says nothing more."""

    code = "payment_link_not_found"
    message = "This payment link is not valid. Ask the merchant for a new one."


class LinkAlreadyPaid(Conflict):
    code = "payment_link_paid"
    message = "This link has been paid; there is nothing more to pay through it."


class LinkExceedsOutstanding(Conflict):
    code = "payment_link_exceeds_outstanding"
    message = (
        "The order's outstanding balance is now less than this link's amount, so it cannot be "
        "paid. Ask the merchant for a new link."
    )


class OrderPaymentInProgress(Conflict):
    code = "order_payment_in_progress"
    message = (
        "Another payment on this order is under way; this link can be paid once it has "
        "finished or been canceled."
    )


class LinkPaymentProcessing(Conflict):
    code = "payment_link_payment_processing"
    message = (
        "The link's payment is being processed by the bank and cannot be changed or canceled "
        "now; it completes or fails on its own (a completed one can be refunded)."
    )


class PaymentLinksNotConfigured(ServiceUnavailable):
    code = "payment_links_not_configured"
    message = "Payment links need PUBLIC_BASE_URL: the address customers open."


class PaymentLinkBusy(Conflict):
    code = "payment_link_busy"
    message = "The payment link is being changed by another request; try again."
