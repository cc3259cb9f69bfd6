"""The invariants of issue 12, judged on a settled world: a pure function, world -> violations.

Stripe's objects are the truth; our orders, payments and refunds must agree with them and with
each other. Each violation is one line naming the record, so a run can be followed up.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from chaos.world import OurOrder, OurPayment, OurRefund, StripeIntent, World

INVARIANTS: dict[str, str] = {
    "I1": "never charged above the total",
    "I2": "one request, one effect at Stripe",
    "I3": "derived figures equal their sources",
    "I4": "nothing pending, reserved or left open at Stripe after settling",
    "I5": "money Stripe took is recorded",
    "I6": "lost disputes reduce paid and refundable",
}
# Intent statuses from which Stripe may still take the money.
CAN_STILL_SUCCEED = frozenset(
    {
        "requires_payment_method",
        "requires_confirmation",
        "requires_action",
        "processing",
        "requires_capture",
    }
)
CLOSED_DISPUTE = frozenset({"won", "lost", "warning_closed", "prevented"})
# Our payment statuses that agree with each Stripe intent status (succeeded is I5's).
AGREEING_STATUS: dict[str, frozenset[str]] = {
    "requires_payment_method": frozenset({"pending", "failed"}),
    "requires_confirmation": frozenset({"pending", "failed"}),
    "requires_action": frozenset({"requires_action"}),
    "processing": frozenset({"processing"}),
    "requires_capture": frozenset({"authorized"}),
    "canceled": frozenset({"canceled"}),
}
# Our refund statuses for each ledger state, and for each Stripe refund status.
REFUND_FOR_LEDGER = {
    "reserved": {"pending"},
    "refunded": {"succeeded"},
    "released": {"failed", "canceled"},
}
MONEY_MOVING_REFUND = frozenset({"succeeded", "pending", "requires_action"})


@dataclass
class Report:
    violations: dict[str, list[str]] = field(
        default_factory=lambda: {name: [] for name in INVARIANTS}
    )

    @property
    def total(self) -> int:
        return sum(len(found) for found in self.violations.values())

    def add(self, invariant: str, message: str) -> None:
        self.violations[invariant].append(message)


def check(world: World) -> Report:
    report = Report()
    view = _View(world)
    _check_i1(view, report)
    _check_i2(view, report)
    _check_i3(view, report)
    _check_i4(view, report)
    _check_i5(view, report)
    _check_i6(view, report)
    return report


class _View:
    """The world indexed the ways the checks look things up."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.orders = {o.id: o for o in world.orders}
        self.payments = {p.id: p for p in world.payments}
        self.payment_by_intent = {p.payment_intent_id: p for p in world.payments}
        self.payments_of_order: dict[str, list[OurPayment]] = defaultdict(list)
        for p in world.payments:
            self.payments_of_order[p.order_id].append(p)
        self.refunds_of_payment: dict[str, list[OurRefund]] = defaultdict(list)
        for r in world.refunds:
            self.refunds_of_payment[r.payment_id].append(r)
        self.intents_of_order: dict[str, list[StripeIntent]] = defaultdict(list)
        self.intents_of_payment: dict[str, list[StripeIntent]] = defaultdict(list)
        for i in world.intents:
            if i.order_id is not None:
                self.intents_of_order[i.order_id].append(i)
            if i.payment_id is not None:
                self.intents_of_payment[i.payment_id].append(i)
        self.intent_by_charge = {i.latest_charge: i for i in world.intents if i.latest_charge}
        self.lost_of_payment: dict[str, int] = defaultdict(int)
        for d in world.disputes:
            intent = self.intent_by_charge.get(d.charge)
            found = self.payment_by_intent.get(intent.id) if intent else None
            if found is not None and d.status == "lost":
                self.lost_of_payment[found.id] += d.amount

    def lost_of_order(self, order_id: str) -> int:
        return sum(self.lost_of_payment[p.id] for p in self.payments_of_order[order_id])


def _check_i1(view: _View, report: Report) -> None:
    for order in view.world.orders:
        intents = view.intents_of_order[order.id]
        paid = sum(i.taken for i in intents if i.status == "succeeded")
        open_ = sum(i.amount for i in intents if i.status in CAN_STILL_SUCCEED)
        if paid + open_ > order.total_minor:
            report.add(
                "I1",
                f"order {order.id}: total {order.total_minor}, Stripe took {paid} and "
                f"{open_} can still succeed ({len(intents)} intents)",
            )


def _check_i2(view: _View, report: Report) -> None:
    for payment_id, intents in view.intents_of_payment.items():
        if len(intents) > 1:
            report.add("I2", f"payment {payment_id}: {len(intents)} intents at Stripe")
    for request, payments in _group((p.request_tag, p.id) for p in view.world.payments):
        if len(payments) > 1:
            report.add("I2", f"create-intent {request}: {len(payments)} payments")
    stripe_refunds = view.world.stripe_refunds
    for refund_id, made in _group((r.refund_id, r.id) for r in stripe_refunds):
        if len(made) > 1:
            report.add("I2", f"refund {refund_id}: {len(made)} refunds at Stripe")
    for request, made in _group((r.request_tag, r.id) for r in stripe_refunds):
        if len(made) > 1:
            report.add("I2", f"refund request {request}: {len(made)} refunds at Stripe")
    at_stripe = {r.refund_id: r for r in stripe_refunds if r.refund_id}
    by_stripe_id = {r.id: r for r in stripe_refunds}
    for refund in view.world.refunds:
        theirs = at_stripe.get(refund.id) or by_stripe_id.get(refund.stripe_refund_id or "")
        released = refund.status in ("failed", "canceled")
        if released and theirs is not None and theirs.status in MONEY_MOVING_REFUND:
            report.add(
                "I2",
                f"refund {refund.id}: {refund.status} here, {theirs.status} at Stripe "
                f"({theirs.id})",
            )
        if refund.status == "succeeded" and theirs is None:
            report.add("I2", f"refund {refund.id}: succeeded here, unknown at Stripe")


def _group(pairs: Iterable[tuple[str | None, str]]) -> list[tuple[str, set[str]]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for key, value in pairs:
        if key is not None:
            groups[key].add(value)
    return sorted(groups.items())


def expected_order_status(total_minor: int, payments: list[OurPayment]) -> str:
    paid = sum(p.captured_minor for p in payments)
    refunded = sum(p.amount_refunded_minor for p in payments)
    if any(
        d.status not in CLOSED_DISPUTE or d.status == "lost"
        for p in payments
        for d in p.disputes.values()
    ):
        return "disputed"
    if refunded > 0:
        return "refunded" if refunded >= paid else "partially_refunded"
    if paid > 0:
        return "paid" if paid >= total_minor else "partially_paid"
    if any(p.authorized_minor > 0 for p in payments):
        return "authorized"
    if any(p.status in ("requires_action", "processing") for p in payments):
        return "processing"
    return "unpaid"


def _check_i3(view: _View, report: Report) -> None:
    for order in view.world.orders:
        _check_order_figures(view, order, report)
    for payment in view.world.payments:
        _check_payment_figures(view, payment, report)


def _check_order_figures(view: _View, order: OurOrder, report: Report) -> None:
    payments = view.payments_of_order[order.id]
    paid = sum(p.captured_minor for p in payments)
    refunded = sum(p.amount_refunded_minor for p in payments)
    authorized = sum(p.authorized_minor for p in payments)
    status = expected_order_status(order.total_minor, payments)
    lost = view.lost_of_order(order.id)  # what a lost dispute does to paid is I6's to judge
    problems = []
    if lost == 0 and order.amount_paid_minor != paid:
        problems.append(f"amount_paid {order.amount_paid_minor} != {paid} from its payments")
    if order.amount_refunded_minor != refunded:
        problems.append(f"amount_refunded {order.amount_refunded_minor} != {refunded}")
    if order.amount_authorized_minor != authorized:
        problems.append(f"amount_authorized {order.amount_authorized_minor} != {authorized}")
    if order.payment_status != status:
        problems.append(f"payment_status {order.payment_status} != {status}")
    if lost == 0 and order.served_outstanding_minor is not None:
        outstanding = max(order.total_minor - paid, 0)
        if order.served_outstanding_minor != outstanding:
            problems.append(f"served outstanding {order.served_outstanding_minor} != {outstanding}")
    if (
        order.served_amount_paid_minor is not None
        and order.served_amount_paid_minor != order.amount_paid_minor
    ):
        problems.append(f"served amount_paid {order.served_amount_paid_minor} != stored")
    for problem in problems:
        report.add("I3", f"order {order.id}: {problem}")


def _check_payment_figures(view: _View, payment: OurPayment, report: Report) -> None:
    problems = []
    ledger = payment.ledger.values()
    refunded = sum(e.amount_minor for e in ledger if e.state == "refunded")
    reserved = sum(e.amount_minor for e in ledger if e.state == "reserved")
    if payment.amount_refunded_minor != refunded:
        problems.append(f"amount_refunded {payment.amount_refunded_minor} != ledger {refunded}")
    if payment.refund_reserved_minor != reserved:
        problems.append(f"refund_reserved {payment.refund_reserved_minor} != ledger {reserved}")
    for refund in view.refunds_of_payment[payment.id]:
        entry = payment.ledger.get(refund.id)
        if entry is None:
            problems.append(f"refund {refund.id} ({refund.status}) has no ledger entry")
        elif refund.status not in REFUND_FOR_LEDGER.get(entry.state, set()):
            problems.append(f"refund {refund.id} is {refund.status}, its ledger {entry.state}")
    intents = view.intents_of_payment.get(payment.id, [])
    theirs = [i for i in intents if i.id == payment.payment_intent_id]
    if theirs:
        intent = theirs[0]
        succeeded = [
            r
            for r in view.world.stripe_refunds
            if r.payment_intent == intent.id and r.status == "succeeded"
        ]
        at_stripe = sum(r.amount for r in succeeded)
        if payment.amount_refunded_minor != at_stripe:
            problems.append(
                f"amount_refunded {payment.amount_refunded_minor} != {at_stripe} refunded at Stripe"
            )
        agreeing = AGREEING_STATUS.get(intent.status)
        if agreeing is not None and payment.status not in agreeing:
            problems.append(f"status {payment.status}, its intent {intent.status}")
        if intent.status == "requires_capture" and payment.authorized_minor != (
            intent.amount_capturable
        ):
            problems.append(
                f"authorized {payment.authorized_minor}, Stripe holds {intent.amount_capturable}"
            )
    elif payment.payment_intent_id is not None:
        problems.append(f"its intent {payment.payment_intent_id} is not at Stripe")
    for problem in problems:
        report.add("I3", f"payment {payment.id}: {problem}")


def _check_i4(view: _View, report: Report) -> None:
    for refund in view.world.refunds:
        if refund.status == "pending":
            report.add("I4", f"refund {refund.id}: still pending")
    for payment in view.world.payments:
        reserved = [rid for rid, e in payment.ledger.items() if e.state == "reserved"]
        if payment.refund_reserved_minor or reserved:
            report.add(
                "I4",
                f"payment {payment.id}: {payment.refund_reserved_minor} reserved "
                f"({len(reserved)} ledger entries)",
            )
        if payment.status == "pending" and payment.payment_intent_id is None:
            report.add("I4", f"payment {payment.id}: pending with no intent")
        if payment.capture_requested_minor is not None:
            report.add(
                "I4",
                f"payment {payment.id}: capture of {payment.capture_requested_minor} "
                f"still unanswered ({payment.status})",
            )
    for event_id in view.world.unprocessed_events:
        report.add("I4", f"webhook event {event_id}: never processed")
    _check_intents_settled(view, report)


def _check_intents_settled(view: _View, report: Report) -> None:
    """Each intent naming a payment of ours is on its record, or canceled at Stripe: otherwise
    no record settles it (issue 22). One that took money is I5's."""
    for intent in view.world.intents:
        if intent.payment_id is None or intent.status in ("canceled", "succeeded"):
            continue
        holder = view.payments.get(intent.payment_id)
        if holder is None or holder.payment_intent_id != intent.id:
            report.add(
                "I4",
                f"intent {intent.id}: {intent.status} at Stripe, not on the record of payment "
                f"{intent.payment_id}",
            )


def _check_i5(view: _View, report: Report) -> None:
    taken: dict[str, int] = defaultdict(int)
    for intent in view.world.intents:
        if intent.status != "succeeded":
            continue
        taken[intent.order_id or "?"] += intent.taken
        payment = view.payments.get(intent.payment_id or "")
        if payment is None:
            report.add("I5", f"intent {intent.id}: succeeded, no payment {intent.payment_id}")
        elif payment.status != "completed" or payment.payment_intent_id != intent.id:
            report.add(
                "I5", f"intent {intent.id}: succeeded, payment {payment.id} is {payment.status}"
            )
        elif payment.captured_minor != intent.taken:
            report.add(
                "I5",
                f"intent {intent.id}: Stripe took {intent.taken}, payment {payment.id} "
                f"records {payment.captured_minor}",
            )
    for order_id, amount in taken.items():
        order = view.orders.get(order_id)
        if order is None:
            report.add("I5", f"order {order_id}: Stripe took {amount}, no such order")
            continue
        counted = order.amount_paid_minor + view.lost_of_order(order_id)
        if counted < amount:
            report.add(
                "I5",
                f"order {order_id}: Stripe took {amount}, order counts {order.amount_paid_minor}",
            )


def _check_i6(view: _View, report: Report) -> None:
    for dispute in view.world.disputes:
        intent = view.intent_by_charge.get(dispute.charge)
        payment = view.payment_by_intent.get(intent.id) if intent else None
        if payment is None:
            report.add("I6", f"dispute {dispute.id}: no payment for charge {dispute.charge}")
            continue
        ours = payment.disputes.get(dispute.id)
        if ours is None or ours.status != dispute.status:
            seen = ours.status if ours else "unknown"
            report.add("I6", f"dispute {dispute.id}: {dispute.status} at Stripe, {seen} here")
        if dispute.status not in ("lost", "won") or payment.status != "completed":
            continue
        left = payment.captured_minor - payment.amount_refunded_minor
        left -= payment.refund_reserved_minor
        lost = view.lost_of_payment[payment.id]
        refundable = max(left - lost, 0)
        served = payment.served_refundable_minor
        if served is not None and served != refundable:
            report.add(
                "I6",
                f"payment {payment.id}: refundable {served} != {refundable} "
                f"after a {dispute.status} dispute",
            )
    for order in view.world.orders:
        lost = view.lost_of_order(order.id)
        if lost == 0:
            continue
        payments = view.payments_of_order[order.id]
        paid = sum(p.captured_minor for p in payments) - lost
        if order.amount_paid_minor != paid:
            report.add(
                "I6",
                f"order {order.id}: amount_paid {order.amount_paid_minor} != "
                f"{paid} after {lost} lost in disputes",
            )
