"""Errors the payments domain raises; the shared handler renders them."""

from app.core.errors import Conflict, ErrorDetail, NotFound, ValidationFailed
from app.core.money import from_minor


class PaymentNotFound(NotFound):
    message = "Payment not found."


class PaymentIntentNotFound(NotFound):
    message = "No payment of ours has this PaymentIntent."


def _body_detail(field: str, message: str, error_type: str) -> ErrorDetail:
    return ErrorDetail(field=field, location="body", message=message, type=error_type)


class InvalidPaymentRequest(ValidationFailed):
    """A body field that is well-formed but does not fit the order (amount, currency, ...)."""

    def __init__(self, field: str, message: str, error_type: str) -> None:
        super().__init__(details=[_body_detail(field, message, error_type)])


class AmountExceedsOutstanding(InvalidPaymentRequest):
    def __init__(self, outstanding_minor: int, currency: str) -> None:
        outstanding = from_minor(outstanding_minor, currency)
        super().__init__(
            "amount",
            f"The amount is more than the order's outstanding balance "
            f"({outstanding} {currency.upper()}).",
            "amount_exceeds_outstanding",
        )


class IntentDoesNotMatchOrder(InvalidPaymentRequest):
    def __init__(self, reason: str) -> None:
        super().__init__("payment_intent_id", reason, "payment_intent_mismatch")


class OrderAlreadyPaid(Conflict):
    code = "order_already_paid"
    message = "The order has no outstanding balance; there is nothing to pay."


class OpenPaymentExists(Conflict):
    code = "open_payment_exists"

    def __init__(self, payment_id: str, amount_minor: int, currency: str) -> None:
        amount = from_minor(amount_minor, currency)
        super().__init__(
            f"The order already has an open payment {payment_id} of {amount} "
            f"{currency.upper()}. Pay that one (ask again with the same amount to get it), or "
            f"cancel it first (POST cancel/{payment_id})."
        )


class PaymentNotCancelable(Conflict):
    code = "payment_not_cancelable"

    def __init__(self, status: str) -> None:
        super().__init__(
            f"This payment is {status} and cannot be canceled; a completed payment can be "
            "refunded instead."
        )


class PaymentCanceled(Conflict):
    code = "payment_canceled"
    message = "This payment was canceled while its intent was being created; start a new one."


class PaymentBusy(Conflict):
    code = "payment_busy"
    message = "The payment is being changed by another request; try again."


class PaymentNotCapturable(Conflict):
    code = "payment_not_capturable"

    def __init__(self, status: str) -> None:
        super().__init__(
            f"This payment is {status}; only an authorized payment (taken with "
            '"capture": "manual") can be captured.'
        )


class CaptureInProgress(Conflict):
    code = "capture_in_progress"

    def __init__(self, amount_minor: int, currency: str) -> None:
        amount = from_minor(amount_minor, currency)
        super().__init__(
            f"A capture of {amount} {currency.upper()} is under way on this payment; ask again "
            "with that amount, or wait for it to finish."
        )


class AmountExceedsCapturable(InvalidPaymentRequest):
    def __init__(self, capturable_minor: int, currency: str) -> None:
        capturable = from_minor(capturable_minor, currency)
        super().__init__(
            "amount",
            f"The amount is more than the authorization holds ({capturable} {currency.upper()}).",
            "amount_exceeds_capturable",
        )
