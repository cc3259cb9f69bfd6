"""A payment read by id, as every service reads one: `PaymentNotFound` when there is none."""

import re

from app.payments.errors import PaymentNotFound
from app.payments.models import Payment
from app.payments.repository import PaymentRepository

PAYMENT_ID = re.compile(r"^pay_[0-9a-f]{32}$")


async def load_payment(payments: PaymentRepository, payment_id: str) -> Payment:
    document = await payments.get(payment_id)
    if document is None:
        raise PaymentNotFound()
    return Payment.from_document(document)


async def payment_named(payments: PaymentRepository, payment_id: str) -> Payment:
    """The payment a caller names; a malformed id is not looked up."""
    if not PAYMENT_ID.match(payment_id):
        raise PaymentNotFound()
    return await load_payment(payments, payment_id)
