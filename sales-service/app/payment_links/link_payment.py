"""The payment a link currently points at, read from the payments collection."""

from app.payment_links.models import PaymentLink
from app.payments.models import Payment
from app.payments.repository import PaymentRepository


async def current_payment(payments: PaymentRepository, link: PaymentLink) -> Payment | None:
    if link.payment_id is None:
        return None
    document = await payments.get(link.payment_id)
    return Payment.from_document(document) if document is not None else None
