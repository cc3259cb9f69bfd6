"""Payment links from the customer's side: see what the link asks, pay it, confirm it.

The payment a link makes is an ordinary payment of the order, made by `IntentCreation`: its
commitment on the order (I1), its intent keyed by the payment id (I2), webhooks, the repair job
and refunds all treat it like any other. What the link adds is one payment at a time: the link
keeps the id of its payment, chosen with a compare-and-set on the link before that payment
exists, so two tabs, a reload or a retry after a crash all arrive at the same payment and the
same intent. Only once that payment is over without money (canceled, or never made at Stripe)
may the link choose a new one.

Order of writes against a revocation: a revocation marks the link, then cancels the payment it
finds; paying records the payment, then reads the link again, and cancels what it made if the
link was revoked meanwhile. Whichever runs second sees the other's write.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.audit.schemas import Actor, ActorType
from app.core.compare_and_set import Write, compare_and_set
from app.orders.errors import OrderNotFound
from app.orders.repository import OrderRepository
from app.orders.schemas import Order
from app.orders.service import utc_now
from app.payment_links.errors import (
    LinkAlreadyPaid,
    LinkExceedsOutstanding,
    LinkNotPayable,
    LinkPaymentProcessing,
    OrderPaymentInProgress,
    PaymentLinkBusy,
)
from app.payment_links.link_payment import current_payment
from app.payment_links.models import LinkState, PaymentLink, PayRefusal, payment_is_over
from app.payment_links.repository import PaymentLinkRepository
from app.payment_links.tokens import token_hash, well_formed
from app.payments.errors import (
    AmountExceedsOutstanding,
    OpenPaymentExists,
    PaymentCanceled,
    PaymentNotCancelable,
)
from app.payments.intent_creation import IntentCreation, new_payment_id
from app.payments.models import Payment, PaymentStatus
from app.payments.repository import PaymentRepository
from app.payments.schemas import ConfirmRequest
from app.payments.service import PaymentService

# Each attempt may open a payment and call Stripe; a link is raced only by its own tabs and a
# revocation.
MAX_ATTEMPTS = 5
LinkAndPayment = tuple[PaymentLink, Payment | None]


def link_actor(link: PaymentLink) -> Actor:
    return Actor(type=ActorType.LINK, id=link.id)


@dataclass(frozen=True)
class LinkView:
    """What the page is shown: the link, its order and payment, and why it cannot pay now."""

    link: PaymentLink
    order: Order
    payment: Payment | None
    state: LinkState
    refusal: PayRefusal | None

    @property
    def payable(self) -> bool:
        if self.state is not LinkState.ACTIVE or self.refusal is not None:
            return False
        return self.payment is None or self.payment.status is not PaymentStatus.PROCESSING


class PaymentLinkCheckout:
    def __init__(
        self,
        links: PaymentLinkRepository,
        orders: OrderRepository,
        payments: PaymentRepository,
        creation: IntentCreation,
        payment_service: PaymentService,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._links = links
        self._orders = orders
        self._payments = payments
        self._creation = creation
        self._payment_service = payment_service
        self._clock = clock

    async def view(self, token: str) -> LinkView:
        link = await self._link(token)
        return await self._view(link, await self._payment_of(link))

    async def start(self, token: str) -> Payment:
        """The link's payment with its intent: the open one if there is one, else a new one."""
        link = await self._link(token)

        async def load() -> LinkAndPayment:
            fresh = await self._reload(link)
            return fresh, await self._payment_of(fresh)

        def plan(state: LinkAndPayment) -> Write[Payment | None]:
            current, payment = state
            self._check_payable(current, payment)
            # The open payment to finish, or None to open a new one.
            return Write(payment if payment is not None and not payment_is_over(payment) else None)

        async def write(state: LinkAndPayment, open_payment: Payment | None) -> Payment | None:
            current, previous = state
            try:
                if open_payment is not None:
                    return await self._creation.ensure_intent(open_payment, link_actor(current))
                return await self._new_payment(current, previous)  # None: another tab chose first
            except PaymentCanceled:
                return None  # canceled meanwhile: decide afresh

        ready = await compare_and_set(
            load=load,
            plan=plan,
            write=write,
            busy=PaymentLinkBusy,
            attempts=MAX_ATTEMPTS,
            first=(link, await self._payment_of(link)),
        )
        return await self._unless_revoked(link, ready)

    async def confirm(self, token: str) -> LinkView:
        """After the browser confirmed: what Stripe says of the link's intent, applied through
        the payment's own confirm, then the link as it now is."""
        link = await self._link(token)
        payment = await self._payment_of(link)
        if payment is not None and payment.payment_intent_id is not None:
            request = ConfirmRequest(
                payment_intent_id=payment.payment_intent_id, order_id=payment.order_id
            )
            payment = await self._payment_service.confirm(request, link_actor(link))
        return await self._view(link, payment)

    async def _new_payment(self, link: PaymentLink, previous: Payment | None) -> Payment | None:
        """Opens the link's payment under the id the link keeps; None when another request
        changed the link first (the caller reads it again)."""
        order = await self._order(link.order_id)
        if link.amount_minor > order.outstanding_minor:
            raise LinkExceedsOutstanding()
        if link.payment_id is None or previous is not None:
            chosen = await self._choose_payment(link)
            if chosen is None:
                return None
            link = chosen
        assert link.payment_id is not None  # noqa: S101 - just chosen
        try:
            opened = await self._creation.open_for(
                link.payment_id,
                link.order_id,
                link.amount_minor,
                created_by=f"link:{link.id}",
                receipt_email=link.email,
            )
        except OpenPaymentExists:
            raise OrderPaymentInProgress() from None
        if opened.id != link.payment_id:
            raise OrderPaymentInProgress()  # the order's open payment is not this link's
        try:
            return await self._creation.ensure_intent(opened, link_actor(link))
        except AmountExceedsOutstanding:
            raise LinkExceedsOutstanding() from None

    async def _choose_payment(self, link: PaymentLink) -> PaymentLink | None:
        payment_id = new_payment_id()
        update = {"$set": {"payment_id": payment_id}, "$push": {"payment_ids": payment_id}}
        stored = await self._links.compare_and_set(link.id, link.version, update)
        return PaymentLink.from_document(stored) if stored is not None else None

    async def _unless_revoked(self, link: PaymentLink, payment: Payment) -> Payment:
        fresh = await self._reload(link)
        if fresh.revoked_at is None:
            return payment
        try:
            await self._payment_service.cancel(payment.id, link_actor(link))
        except PaymentNotCancelable:
            if (await self._payment_service.get(payment.id)).status is PaymentStatus.COMPLETED:
                raise LinkAlreadyPaid() from None
        raise LinkNotPayable()

    def _check_payable(self, link: PaymentLink, payment: Payment | None) -> None:
        state = link.state(payment, self._clock())
        if state is LinkState.PAID:
            raise LinkAlreadyPaid()
        if state is not LinkState.ACTIVE:
            raise LinkNotPayable()
        if payment is not None and payment.status is PaymentStatus.PROCESSING:
            raise LinkPaymentProcessing()

    async def _view(self, link: PaymentLink, payment: Payment | None) -> LinkView:
        state = link.state(payment, self._clock())
        if state in (LinkState.EXPIRED, LinkState.REVOKED):
            raise LinkNotPayable()
        order = await self._order(link.order_id)
        refusal = None
        if state is LinkState.ACTIVE and (payment is None or payment_is_over(payment)):
            refusal = await self._refusal(link, order)
        return LinkView(link, order, payment, state, refusal)

    async def _refusal(self, link: PaymentLink, order: Order) -> PayRefusal | None:
        if link.amount_minor > order.outstanding_minor:
            return "amount_exceeds_outstanding"
        open_payment = await self._payments.get_open_for_order(order.id)
        if open_payment is not None and open_payment["_id"] != link.payment_id:
            return "order_payment_in_progress"
        return None

    async def _link(self, token: str) -> PaymentLink:
        if not well_formed(token):
            raise LinkNotPayable()
        document = await self._links.get_by_token_hash(token_hash(token))
        if document is None:
            raise LinkNotPayable()
        return PaymentLink.from_document(document)

    async def _reload(self, link: PaymentLink) -> PaymentLink:
        document = await self._links.get(link.id)
        assert document is not None  # noqa: S101 - links are never deleted
        return PaymentLink.from_document(document)

    async def _payment_of(self, link: PaymentLink) -> Payment | None:
        return await current_payment(self._payments, link)

    async def _order(self, order_id: str) -> Order:
        document = await self._orders.get(order_id)
        if document is None:  # pragma: no cover - orders are never deleted
            raise OrderNotFound()
        return Order.from_document(document)
