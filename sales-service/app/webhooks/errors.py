"""Errors the webhook endpoint answers; Stripe retries 5xx, never 4xx-refused deliveries."""

from app.core.errors import BadRequest, ErrorDetail, ServiceUnavailable
from app.webhooks.signature import SIGNATURE_HEADER, SignatureError


class InvalidSignature(BadRequest):
    message = "The webhook signature is missing, malformed, wrong or too old."

    def __init__(self, error: SignatureError) -> None:
        detail = ErrorDetail(
            field=SIGNATURE_HEADER, location="header", message=str(error), type=error.kind
        )
        super().__init__(details=[detail])


class InvalidEvent(BadRequest):
    message = "The body is not a Stripe event."

    def __init__(self, reason: str) -> None:
        detail = ErrorDetail(field="body", location="body", message=reason, type="event_invalid")
        super().__init__(details=[detail])


class WebhooksNotConfigured(ServiceUnavailable):
    message = "Webhooks are not configured on this service (no signing secret); retry later."


class EventNotStored(ServiceUnavailable):
    message = "The event could not be stored; retry later."
