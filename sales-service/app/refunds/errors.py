"""Errors the refunds domain raises; the shared handler renders them."""

from app.core.errors import AppError, Conflict, ErrorDetail
from app.core.money import from_minor
from app.infra.stripe_errors import StripeFailure


class PaymentNotRefundable(Conflict):
    code = "payment_not_refundable"

    def __init__(self, status: str) -> None:
        super().__init__(
            f"Only a completed payment can be refunded; this one is {status}. "
            "A payment that is not completed can be canceled instead."
        )


class RefundExceedsRefundable(Conflict):
    code = "refund_exceeds_refundable"

    def __init__(self, refundable_minor: int, currency: str) -> None:
        refundable = from_minor(refundable_minor, currency)
        message = (
            "Nothing is left to refund on this payment (refunds already made or under way "
            "cover all of it)."
            if refundable_minor == 0
            else f"At most {refundable} {currency.upper()} can still be refunded on this payment "
            "(refunds already made or under way are counted)."
        )
        detail = ErrorDetail(
            field="amount", location="body", message=message, type="refund_exceeds_refundable"
        )
        super().__init__(message, details=[detail])


class RefundRejectedByStripe(Conflict):
    code = "refund_rejected"

    def __init__(self, stripe_message: str, refund_id: str) -> None:
        super().__init__(
            f"Stripe refused the refund: {stripe_message} Nothing was refunded; the attempt is "
            f"recorded as failed refund {refund_id}."
        )


class RefundOutcomeUnknown(AppError):
    """Stripe's answer never came: the refund stays pending, its amount reserved."""

    def __init__(self, cause: StripeFailure, refund_id: str) -> None:
        self.status_code = cause.status_code
        self.code = cause.code
        super().__init__(
            f"Stripe did not confirm refund {refund_id}, even after retrying, so it stays pending "
            "(its amount reserved) until Stripe reports it. Send the same request again with "
            "the same Idempotency-Key to finish it; it is never refunded twice.",
            headers=cause.headers,
        )
