"""Payment links from the order's side: make one, list them, revoke one.

A link fixes an amount of the order (at most its outstanding balance) and an expiry; its URL
carries a random token of which only the hash is kept, so the URL exists in the answer that
made the link and in the email sent to the customer, nowhere else. A replay of the create
request (same Idempotency-Key) therefore answers the same link without its URL.
"""

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from app.audit.schemas import Actor
from app.core.auth import Principal
from app.core.compare_and_set import Keep, Write, compare_and_set
from app.core.idempotency import IdempotencyStore, fingerprint
from app.core.money import MoneyError, to_minor
from app.infra.mailer import Mailer, MailFailed
from app.orders.errors import OrderNotFound
from app.orders.repository import OrderRepository
from app.orders.schemas import Order
from app.orders.service import ORDER_ID, utc_now
from app.payment_links import link_email
from app.payment_links.errors import (
    LinkAlreadyPaid,
    LinkPaymentProcessing,
    PaymentLinkBusy,
    PaymentLinkNotFound,
    PaymentLinksNotConfigured,
)
from app.payment_links.link_audit import LinkAudit
from app.payment_links.link_payment import current_payment
from app.payment_links.models import LINK_ID, EmailStatus, PaymentLink
from app.payment_links.repository import PaymentLinkRepository
from app.payment_links.schemas import CreatePaymentLinkRequest
from app.payment_links.tokens import new_token, token_hash
from app.payments.errors import (
    AmountExceedsOutstanding,
    InvalidPaymentRequest,
    OrderAlreadyPaid,
    PaymentNotCancelable,
)
from app.payments.models import Payment, PaymentStatus
from app.payments.repository import PaymentRepository
from app.payments.service import PaymentService

logger = logging.getLogger(__name__)
IDEMPOTENCY_SCOPE = "POST /api/v1/orders/{order_id}/payment-links"
LIST_LIMIT = 100
Update = dict[str, Any]

MerchantName = Callable[[], Awaitable[str | None]]


def new_link_id() -> str:
    return f"plink_{uuid.uuid4().hex}"


@dataclass(frozen=True)
class LinkWithPayment:
    link: PaymentLink
    payment: Payment | None
    url: str | None = None
    replayed: bool = False


class PaymentLinkService:
    def __init__(
        self,
        links: PaymentLinkRepository,
        orders: OrderRepository,
        payments: PaymentRepository,
        payment_service: PaymentService,
        idempotency: IdempotencyStore,
        audit: LinkAudit,
        *,
        public_base_url: str | None,
        mailer: Mailer | None,
        merchant_name: MerchantName,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._links = links
        self._orders = orders
        self._payments = payments
        self._payment_service = payment_service
        self._idempotency = idempotency
        self._audit = audit
        self._base_url = public_base_url.rstrip("/") if public_base_url else None
        self._mailer = mailer
        self._merchant_name = merchant_name
        self._clock = clock

    @property
    def now(self) -> datetime:
        return self._clock()

    async def create(
        self,
        order_id: str,
        data: CreatePaymentLinkRequest,
        principal: Principal,
        idempotency_key: str | None,
    ) -> LinkWithPayment:
        if self._base_url is None:
            raise PaymentLinksNotConfigured()
        order = await self._order(order_id)
        requested_minor = _requested_amount(data, order)
        link_id = new_link_id()
        if idempotency_key is not None:
            request = {
                "order_id": order.id,
                "amount_minor": requested_minor,
                "expires_in_hours": data.expires_in_hours,
                "email": data.email,
            }
            link_id = await self._idempotency.claim(
                scope=f"{principal.subject} {IDEMPOTENCY_SCOPE}",
                key=idempotency_key,
                request_hash=fingerprint(request),
                resource_id=link_id,
            )
            replayed = await self._replay(link_id, principal)
            if replayed is not None:
                return replayed
        amount_minor = requested_minor if requested_minor is not None else order.outstanding_minor
        if amount_minor == 0:
            raise OrderAlreadyPaid()
        token = new_token()
        now = self.now
        document: dict[str, Any] = {
            "_id": link_id,
            "token_hash": token_hash(token),
            "order_id": order.id,
            "order_number": order.number,
            "currency": order.currency,
            "amount_minor": amount_minor,
            "email": data.email,
            "email_status": EmailStatus.PENDING.value if data.email and self._mailer else None,
            "expires_at": now + timedelta(hours=data.expires_in_hours),
            "payment_id": None,
            "payment_ids": [],
            "revoked_at": None,
            "revoked_by": None,
            "version": 0,
            "created_by": principal.subject,
            "created_at": now,
        }
        try:
            await self._links.insert(document)
        except DuplicateKeyError:
            replayed = await self._replay(link_id, principal)
            if replayed is None:  # pragma: no cover - a token collision: 2^-256
                raise
            return replayed
        link = PaymentLink.from_document(document)
        await self._audit.created(link, Actor.from_principal(principal))
        url = f"{self._base_url}/pay/{token}"
        if link.email_status is EmailStatus.PENDING:
            link = await self._send(link, url)
        return LinkWithPayment(link, None, url)

    async def list_for_order(self, order_id: str) -> list[LinkWithPayment]:
        order = await self._order(order_id)
        links = [
            PaymentLink.from_document(document)
            for document in await self._links.find_for_order(order.id, LIST_LIMIT)
        ]
        payments = {
            document["_id"]: Payment.from_document(document)
            for document in await self._payments.find_for_order(order.id)
        }
        return [LinkWithPayment(link, payments.get(link.payment_id or "")) for link in links]

    async def revoke(self, order_id: str, link_id: str, principal: Principal) -> LinkWithPayment:
        """Idempotent. The link stops paying first; then its payment, if one is under way, is
        canceled through the payment's own cancel path (so a Stripe error leaves the link
        revoked, and asking again finishes the cancel). A paid link, or one whose payment the
        bank is processing, is refused and left as it is."""
        link = await self._link_of_order(order_id, link_id)
        payment = await self._payment_of(link)
        self._refuse_revoking(payment)
        link = await self._mark_revoked(link, principal)
        if payment is None:
            payment = await self._payment_of(link)  # a tab may have made it meanwhile
        if payment is not None and payment.is_open:
            payment = await self._cancel(payment, principal)
        return LinkWithPayment(link, payment)

    async def _mark_revoked(self, link: PaymentLink, principal: Principal) -> PaymentLink:
        def plan(current: PaymentLink) -> Keep[PaymentLink] | Write[Update]:
            if current.revoked_at is not None:
                return Keep(current)
            return Write({"$set": {"revoked_at": self.now, "revoked_by": principal.subject}})

        async def write(current: PaymentLink, update: Update) -> PaymentLink | None:
            stored = await self._links.compare_and_set(current.id, current.version, update)
            return PaymentLink.from_document(stored) if stored is not None else None

        revoked = await compare_and_set(
            load=lambda: self._reload(link.id),
            plan=plan,
            write=write,
            busy=PaymentLinkBusy,
            first=link,
        )
        await self._audit.revoked(revoked, Actor.from_principal(principal))
        return revoked

    async def _cancel(self, payment: Payment, principal: Principal) -> Payment:
        try:
            return await self._payment_service.cancel(payment.id, principal)
        except PaymentNotCancelable:
            fresh = await self._payment_service.get(payment.id)
            if fresh.status is PaymentStatus.COMPLETED:
                raise LinkAlreadyPaid() from None
            raise LinkPaymentProcessing() from None

    @staticmethod
    def _refuse_revoking(payment: Payment | None) -> None:
        if payment is not None and payment.status is PaymentStatus.COMPLETED:
            raise LinkAlreadyPaid()
        if payment is not None and payment.status is PaymentStatus.PROCESSING:
            raise LinkPaymentProcessing()

    async def _send(self, link: PaymentLink, url: str) -> PaymentLink:
        """One attempt, after the link is stored: a failure loses no link, and with no token
        kept there is nothing to retry from later (the order page copies it, or makes another)."""
        mailer, email = self._mailer, link.email
        if mailer is None or email is None:
            return link
        merchant = await self._merchant_name()
        try:
            await mailer.send(
                email, link_email.subject(link, merchant), link_email.body(link, url, merchant)
            )
        except MailFailed:
            status = EmailStatus.FAILED
            logger.warning("payment link email failed", extra={"payment_link_id": link.id})
        else:
            status = EmailStatus.SENT
        await self._links.set_email_status(link.id, status.value)
        return link.model_copy(update={"email_status": status})

    async def _replay(self, link_id: str, principal: Principal) -> LinkWithPayment | None:
        document = await self._links.get(link_id)
        if document is None:
            return None
        link = PaymentLink.from_document(document)
        await self._audit.created(link, Actor.from_principal(principal))
        return LinkWithPayment(link, await self._payment_of(link), replayed=True)

    async def _order(self, order_id: str) -> Order:
        document = await self._orders.get(order_id) if ORDER_ID.match(order_id) else None
        if document is None:
            raise OrderNotFound()
        return Order.from_document(document)

    async def _link_of_order(self, order_id: str, link_id: str) -> PaymentLink:
        order = await self._order(order_id)
        document = await self._links.get(link_id) if LINK_ID.match(link_id) else None
        if document is None or document["order_id"] != order.id:
            raise PaymentLinkNotFound()
        return PaymentLink.from_document(document)

    async def _payment_of(self, link: PaymentLink) -> Payment | None:
        return await current_payment(self._payments, link)

    async def _reload(self, link_id: str) -> PaymentLink:
        document = await self._links.get(link_id)
        assert document is not None  # noqa: S101 - links are never deleted
        return PaymentLink.from_document(document)


def _requested_amount(data: CreatePaymentLinkRequest, order: Order) -> int | None:
    """The amount asked for, in minor units, checked against the order; None for the default."""
    if data.amount is None:
        return None
    try:
        amount_minor = to_minor(data.amount, order.currency)
    except MoneyError as exc:
        raise InvalidPaymentRequest("amount", str(exc), exc.type) from None
    if amount_minor > order.outstanding_minor:
        raise AmountExceedsOutstanding(order.outstanding_minor, order.currency)
    return amount_minor
