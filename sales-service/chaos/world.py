"""The "world" the checker judges: our records and Stripe's objects, as plain values.

Built by `chaos.fields` from MongoDB documents, the service's API and the emulator's Stripe
API; the checker reads only these, so it stays a pure function that unit tests can feed.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LedgerItem:
    amount_minor: int
    state: str  # reserved | refunded | released


@dataclass(frozen=True)
class DisputeItem:
    status: str
    amount_minor: int


@dataclass(frozen=True)
class OurOrder:
    id: str
    total_minor: int
    amount_paid_minor: int
    amount_refunded_minor: int
    payment_status: str
    # As the API serves it (None when not read): catches a stale cache or a wrong derivation.
    served_outstanding_minor: int | None = None
    served_amount_paid_minor: int | None = None
    amount_authorized_minor: int = 0


@dataclass(frozen=True)
class OurPayment:
    id: str
    order_id: str
    amount_minor: int
    status: str
    payment_intent_id: str | None
    amount_refunded_minor: int
    refund_reserved_minor: int
    ledger: dict[str, LedgerItem] = field(default_factory=dict)
    disputes: dict[str, DisputeItem] = field(default_factory=dict)
    request_tag: str | None = None  # the caller's logical create-intent request
    served_refundable_minor: int | None = None
    # What Stripe took once completed; None means all of `amount_minor`.
    amount_received_minor: int | None = None
    amount_capturable_minor: int = 0
    capture_requested_minor: int | None = None

    @property
    def captured_minor(self) -> int:
        if self.status != "completed":
            return 0
        return (
            self.amount_minor if self.amount_received_minor is None else self.amount_received_minor
        )

    @property
    def authorized_minor(self) -> int:
        return self.amount_capturable_minor if self.status == "authorized" else 0


@dataclass(frozen=True)
class OurRefund:
    id: str
    payment_id: str
    amount_minor: int
    status: str  # pending | succeeded | failed | canceled
    stripe_refund_id: str | None
    request_tag: str | None = None  # the caller's logical refund request


@dataclass(frozen=True)
class StripeIntent:
    id: str
    amount: int
    status: str
    payment_id: str | None  # metadata.payment_id
    order_id: str | None  # metadata.order_id
    latest_charge: str | None
    amount_received: int = 0
    amount_capturable: int = 0

    @property
    def taken(self) -> int:
        """What Stripe took: all of it, or what a manual capture captured."""
        return self.amount_received if self.amount_received else self.amount


@dataclass(frozen=True)
class StripeRefund:
    id: str
    payment_intent: str | None
    amount: int
    status: str
    refund_id: str | None  # metadata.refund_id
    request_tag: str | None  # from metadata.notes


@dataclass(frozen=True)
class StripeDispute:
    id: str
    charge: str
    amount: int
    status: str


@dataclass
class World:
    orders: list[OurOrder] = field(default_factory=list)
    payments: list[OurPayment] = field(default_factory=list)
    refunds: list[OurRefund] = field(default_factory=list)
    intents: list[StripeIntent] = field(default_factory=list)
    stripe_refunds: list[StripeRefund] = field(default_factory=list)
    disputes: list[StripeDispute] = field(default_factory=list)
    # Webhook events stored in our inbox but never processed, after settling.
    unprocessed_events: list[str] = field(default_factory=list)
