"""Every query a request or a background job sends uses an index.

Each case calls a real repository method, with the filters and sorts a request or a job passes,
on a database of this module's own; every query the call sends is then measured beside
FILLERS documents it does not match, and fails if it reads them (a collection scan, or a walk of
a whole index): what it reads is counted, not timed (see query_plans.py). A repository method
with no case here fails the last test, so a new query cannot go unchecked. Run with `-s` to see
what each query read and which index it used.
"""

import importlib
import inspect
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from app.attention.repository import AttentionRepository
from app.audit.repository import AuditRepository
from app.core.idempotency import COLLECTION as IDEMPOTENCY_KEYS
from app.core.idempotency import IdempotencyStore
from app.orders.repository import ORDERS, OrderRepository
from app.orders.schemas import OrderFilters
from app.payment_links.repository import PAYMENT_LINKS, PaymentLinkRepository
from app.payments.repository import PAYMENTS, PaymentRepository
from app.payments.schemas import PaymentFilters
from app.refund_records.repository import REFUNDS, RefundRepository
from app.reports.repository import ReportsRepository
from app.webhooks.repository import INBOX, WebhookInboxRepository
from app.webhooks.schemas import Outcome
from app.webhooks.sync_lease import SyncLeaseRepository
from tests.integration.conftest import MONGODB_URL
from tests.integration.query_plans import (
    FILLERS,
    INSERTS,
    Fillers,
    Query,
    Server,
    explain,
    index_names,
    measuring_server,
    reads_the_fillers,
    record,
)

Document = dict[str, Any]
Database = AsyncDatabase[Document]
NOW = datetime.now(UTC).replace(microsecond=0)
SEEDED = 200
ORDER = "ord_seed_0007"
PAYMENT = "pay_seed_0007"
INTENT = "pi_seed_0007"


def _reservations() -> type | None:
    """The reservations repository, where the code base has one."""
    try:
        module = importlib.import_module("app.refunds.reservations")
    except ModuleNotFoundError:
        return None
    found: type = module.ReservationRepository
    return found


REPOSITORIES: list[type] = [
    OrderRepository,
    PaymentRepository,
    RefundRepository,
    WebhookInboxRepository,
    AuditRepository,
    IdempotencyStore,
    ReportsRepository,
    AttentionRepository,
    PaymentLinkRepository,
    SyncLeaseRepository,
    *[r for r in [_reservations()] if r is not None],
]


@dataclass
class Case:
    name: str
    repository: type
    method: str
    call: Callable[[Any], Awaitable[object]]
    scans: "Scan | None" = None  # a known full scan: the case is expected to fail


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def order_document() -> Document:
    return {
        "_id": new_id("ord"),
        "number": f"ORD-2026-{uuid.uuid4().int % 10**9:09d}",
        "customer_id": "cus_seed_3",
        "payment_status": "unpaid",
        "version": 0,
        "created_at": NOW,
    }


def payment_document() -> Document:
    payment_id = new_id("pay")
    return {
        "_id": payment_id,
        "order_id": ORDER,
        "open_order_key": payment_id,
        "status": "pending",
        "version": 0,
        "client_secret": None,
        "created_at": NOW,
    }


async def _claim_expired(store: IdempotencyStore) -> object:
    return await store.claim(
        scope="svc POST /orders", key="expired-key", request_hash="h2", resource_id=new_id("ord")
    )


UNIQUE_STATUS_FILTER = OrderFilters.model_validate({"payment_status": "paid"})
CUSTOMER_FILTER = OrderFilters(customer_id="cus_seed_3")
NUMBER_FILTER = OrderFilters(number_contains="2026-0000")


@dataclass(frozen=True)
class Scan:
    """Why a query reads its whole collection, and whether only SecantusDB does."""

    reason: str
    everywhere: bool = False


REGEX_SCAN = Scan("no index bounds an unanchored `$regex`: every order number is read", True)
COUNT_SCAN = Scan("counting an unfiltered collection reads all of it on any server", True)
ID_RANGE_SCAN = Scan(
    "SecantusDB reads the whole collection for a range on `_id`, whatever its limit "
    "(MongoDB 7 walks the `_id` index from the cursor)"
)
LIMIT_SCAN = Scan(
    "SecantusDB's index walk for a sort does not stop at the limit: a page reads every "
    "document the index walk covers (MongoDB 7 stops at the limit)"
)
FIND_AND_MODIFY_SCAN = Scan(
    "SecantusDB runs a matching find_one_and_update as a collection scan, even by `_id` "
    "(`counters` holds one document per sequence, so it stays small)"
)
WEEK = (NOW - timedelta(days=7), NOW + timedelta(days=1))

CASES: list[Case] = [
    # orders
    Case(
        "orders.next_sequence",
        OrderRepository,
        "next_sequence",
        lambda r: r.next_sequence("o"),
        scans=FIND_AND_MODIFY_SCAN,
    ),
    Case("orders.insert", OrderRepository, "insert", lambda r: r.insert(order_document())),
    Case("orders.get", OrderRepository, "get", lambda r: r.get(ORDER)),
    Case(
        "orders.write_payment_totals",
        OrderRepository,
        "write_payment_totals",
        lambda r: r.write_payment_totals(ORDER, 99, {"amount_paid_minor": 0}),
    ),
    Case(
        "orders.take_commitment",
        OrderRepository,
        "take_commitment",
        lambda r: r.take_commitment(ORDER, new_id("pay"), 100, 10_000, force=False),
    ),
    Case(
        "orders.take_commitment forced",
        OrderRepository,
        "take_commitment",
        lambda r: r.take_commitment(ORDER, new_id("pay"), 100, 10_000, force=True),
    ),
    Case(
        "orders.release_commitment",
        OrderRepository,
        "release_commitment",
        lambda r: r.release_commitment(ORDER, "pay_none", 100),
    ),
    Case(
        "orders.shrink_commitment",
        OrderRepository,
        "shrink_commitment",
        lambda r: r.shrink_commitment(ORDER, "pay_none", 100, 60),
    ),
    Case(
        "orders.ids_after start",
        OrderRepository,
        "ids_after",
        lambda r: r.ids_after(None, 100),
        scans=ID_RANGE_SCAN,
    ),
    Case(
        "orders.ids_after",
        OrderRepository,
        "ids_after",
        lambda r: r.ids_after(ORDER, 100),
        scans=ID_RANGE_SCAN,
    ),
    Case(
        "orders.find_page",
        OrderRepository,
        "find_page",
        lambda r: r.find_page(OrderFilters(), 0, 20),
        scans=LIMIT_SCAN,
    ),
    Case(
        "orders.find_page by status",
        OrderRepository,
        "find_page",
        lambda r: r.find_page(UNIQUE_STATUS_FILTER, 20, 20),
    ),
    Case(
        "orders.find_page by customer",
        OrderRepository,
        "find_page",
        lambda r: r.find_page(CUSTOMER_FILTER, 0, 20),
    ),
    Case(
        "orders.find_page by number",
        OrderRepository,
        "find_page",
        lambda r: r.find_page(NUMBER_FILTER, 0, 20),
        scans=REGEX_SCAN,
    ),
    Case(
        "orders.count",
        OrderRepository,
        "count",
        lambda r: r.count(OrderFilters()),
        scans=COUNT_SCAN,
    ),
    Case(
        "orders.count by status",
        OrderRepository,
        "count",
        lambda r: r.count(UNIQUE_STATUS_FILTER),
    ),
    Case("orders.count by customer", OrderRepository, "count", lambda r: r.count(CUSTOMER_FILTER)),
    Case(
        "orders.count by number",
        OrderRepository,
        "count",
        lambda r: r.count(NUMBER_FILTER),
        scans=REGEX_SCAN,
    ),
    # payments
    Case("payments.insert", PaymentRepository, "insert", lambda r: r.insert(payment_document())),
    Case("payments.get", PaymentRepository, "get", lambda r: r.get(PAYMENT)),
    Case(
        "payments.get_by_intent",
        PaymentRepository,
        "get_by_intent",
        lambda r: r.get_by_intent(INTENT),
    ),
    Case(
        "payments.get_open_for_order",
        PaymentRepository,
        "get_open_for_order",
        lambda r: r.get_open_for_order(ORDER),
    ),
    Case(
        "payments.find_for_order",
        PaymentRepository,
        "find_for_order",
        lambda r: r.find_for_order(ORDER),
    ),
    Case(
        "payments.find_page",
        PaymentRepository,
        "find_page",
        lambda r: r.find_page(PaymentFilters(), 0, 20),
        scans=LIMIT_SCAN,
    ),
    Case(
        "payments.find_page by order",
        PaymentRepository,
        "find_page",
        lambda r: r.find_page(PaymentFilters(order_id=ORDER), 0, 20),
    ),
    Case(
        "payments.find_page by status and period",
        PaymentRepository,
        "find_page",
        lambda r: r.find_page(
            PaymentFilters.model_validate(
                {"status": "failed", "created_from": WEEK[0], "created_to": WEEK[1]}
            ),
            0,
            20,
        ),
    ),
    Case(
        "payments.find_page by period",
        PaymentRepository,
        "find_page",
        lambda r: r.find_page(PaymentFilters(created_from=WEEK[0], created_to=WEEK[1]), 0, 20),
    ),
    Case(
        "payments.count",
        PaymentRepository,
        "count",
        lambda r: r.count(PaymentFilters()),
        scans=COUNT_SCAN,
    ),
    Case(
        "payments.count by status",
        PaymentRepository,
        "count",
        lambda r: r.count(PaymentFilters.model_validate({"status": "completed"})),
    ),
    Case(
        "payments.compare_and_set",
        PaymentRepository,
        "compare_and_set",
        lambda r: r.compare_and_set(PAYMENT, 99, {"$set": {"status": "processing"}}),
    ),
    Case(
        "payments.update_where",
        PaymentRepository,
        "update_where",
        lambda r: r.update_where({"_id": PAYMENT, "status": "none"}, {"$set": {"x": 1}}),
    ),
    Case(
        "payments.set_intent",
        PaymentRepository,
        "set_intent",
        lambda r: r.set_intent(new_id("pay"), new_id("pi"), "secret", NOW),
    ),
    Case("payments.mark_sent", PaymentRepository, "mark_sent", lambda r: r.mark_sent(PAYMENT)),
    Case("payments.find_due", PaymentRepository, "find_due", lambda r: r.find_due(NOW, 50)),
    Case(
        "payments.postpone_check",
        PaymentRepository,
        "postpone_check",
        lambda r: r.postpone_check(PAYMENT, 99, NOW),
    ),
    Case(
        "payments.record_stripe_problem",
        PaymentRepository,
        "record_stripe_problem",
        lambda r: r.record_stripe_problem(new_id("pay"), {"code": "x"}),
    ),
    # refunds
    Case(
        "refunds.insert",
        RefundRepository,
        "insert",
        lambda r: r.insert({"_id": new_id("ref"), "payment_id": PAYMENT, "created_at": NOW}),
    ),
    Case("refunds.get", RefundRepository, "get", lambda r: r.get("ref_seed_0007")),
    Case(
        "refunds.get_by_stripe_id",
        RefundRepository,
        "get_by_stripe_id",
        lambda r: r.get_by_stripe_id("re_seed_0007"),
    ),
    Case(
        "refunds.find_for_payments",
        RefundRepository,
        "find_for_payments",
        lambda r: r.find_for_payments([PAYMENT, "pay_seed_0008"]),
    ),
    Case(
        "refunds.find_pending_before",
        RefundRepository,
        "find_pending_before",
        lambda r: r.find_pending_before(NOW - timedelta(minutes=10), 50),
    ),
    Case(
        "refunds.pending_page start",
        RefundRepository,
        "pending_page",
        lambda r: r.pending_page(None, 50),
    ),
    Case(
        "refunds.pending_page",
        RefundRepository,
        "pending_page",
        lambda r: r.pending_page("ref_seed_0007", 50),
    ),
    Case(
        "refunds.compare_and_set",
        RefundRepository,
        "compare_and_set",
        lambda r: r.compare_and_set("ref_seed_0007", 99, {"$set": {"status": "succeeded"}}),
    ),
    Case(
        "refunds.record_stripe_problem",
        RefundRepository,
        "record_stripe_problem",
        lambda r: r.record_stripe_problem(new_id("ref"), {"code": "x"}),
    ),
    # the webhook inbox
    Case(
        "webhooks.insert",
        WebhookInboxRepository,
        "insert",
        lambda r: r.insert({"_id": new_id("evt"), "state": "pending"}),
    ),
    Case(
        "webhooks.insert_new",
        WebhookInboxRepository,
        "insert_new",
        lambda r: r.insert_new([{"_id": new_id("evt"), "state": "pending"}]),
    ),
    Case("webhooks.get", WebhookInboxRepository, "get", lambda r: r.get("evt_seed_0007")),
    Case(
        "webhooks.known_ids",
        WebhookInboxRepository,
        "known_ids",
        lambda r: r.known_ids(["evt_seed_0007", "evt_seed_0008"]),
    ),
    Case(
        "webhooks.claim_due",
        WebhookInboxRepository,
        "claim_due",
        lambda r: r.claim_due(now=NOW, owner=new_id("lease"), lease_until=NOW),
    ),
    Case(
        "webhooks.due",
        WebhookInboxRepository,
        "due",
        lambda r: r.due(now=NOW, limit=20),
    ),
    Case(
        "webhooks.claim",
        WebhookInboxRepository,
        "claim",
        lambda r: r.claim("evt_seed_0025", now=NOW, owner=new_id("lease"), lease_until=NOW),
    ),
    Case(
        "webhooks.renew",
        WebhookInboxRepository,
        "renew",
        lambda r: r.renew("evt_seed_0050", owner="x", lease_until=NOW),
    ),
    Case(
        "webhooks.mark_processed",
        WebhookInboxRepository,
        "mark_processed",
        lambda r: r.mark_processed("evt_seed_0007", owner="x", now=NOW, outcome=Outcome.APPLIED),
    ),
    Case(
        "webhooks.mark_failed",
        WebhookInboxRepository,
        "mark_failed",
        lambda r: r.mark_failed("evt_seed_0007", owner="x", now=NOW, error="e", retry_at=NOW),
    ),
    Case(
        "webhooks.count_pending",
        WebhookInboxRepository,
        "count_pending",
        lambda r: r.count_pending(),
    ),
    # audit
    Case(
        "audit.insert",
        AuditRepository,
        "insert",
        lambda r: r.insert({"_id": new_id("aud"), "entity_id": ORDER, "at": NOW}),
    ),
    Case("audit.find_for", AuditRepository, "find_for", lambda r: r.find_for(ORDER, 200)),
    # idempotency keys
    Case(
        "idempotency.claim",
        IdempotencyStore,
        "claim",
        lambda r: r.claim(scope="svc POST /o", key=new_id("k"), request_hash="h", resource_id="o"),
    ),
    Case("idempotency.claim expired", IdempotencyStore, "claim", _claim_expired),
    Case(
        "idempotency.rebind",
        IdempotencyStore,
        "rebind",
        lambda r: r.rebind(scope="s", key="k", resource_id="a", to_resource_id="b"),
    ),
    Case(
        "idempotency.release",
        IdempotencyStore,
        "release",
        lambda r: r.release(scope="s", key="k", resource_id="a"),
    ),
    # reports
    Case(
        "reports.payment_outlines",
        ReportsRepository,
        "payment_outlines",
        lambda r: r.payment_outlines(*WEEK),
    ),
    Case(
        "reports.refund_totals",
        ReportsRepository,
        "refund_totals",
        lambda r: r.refund_totals(*WEEK),
    ),
    Case(
        "reports.authorizations",
        ReportsRepository,
        "authorizations",
        lambda r: r.authorizations(NOW + timedelta(hours=24)),
    ),
    # attention
    Case(
        "attention.record_rejected_event",
        AttentionRepository,
        "record_rejected_event",
        lambda r: r.record_rejected_event({"_id": "event:evt_plan", "open": True, "at": NOW}),
    ),
    Case(
        "attention.record_dispute",
        AttentionRepository,
        "record_dispute",
        lambda r: r.record_dispute({"_id": "dispute:dp_plan", "open": True, "at": NOW}),
    ),
    Case("attention.open_items", AttentionRepository, "open_items", lambda r: r.open_items(0, 20)),
    Case(
        "attention.count_open_items",
        AttentionRepository,
        "count_open_items",
        lambda r: r.count_open_items(),
    ),
    Case(
        "attention.flagged_payments",
        AttentionRepository,
        "flagged_payments",
        lambda r: r.flagged_payments(0, 20),
    ),
    Case(
        "attention.count_flagged_payments",
        AttentionRepository,
        "count_flagged_payments",
        lambda r: r.count_flagged_payments(),
    ),
    Case(
        "attention.refunds_pending_since",
        AttentionRepository,
        "refunds_pending_since",
        lambda r: r.refunds_pending_since(NOW - timedelta(days=1), 0, 20),
    ),
    Case(
        "attention.count_refunds_pending_since",
        AttentionRepository,
        "count_refunds_pending_since",
        lambda r: r.count_refunds_pending_since(NOW - timedelta(days=1)),
    ),
    Case(
        "attention.authorizations_expiring_before",
        AttentionRepository,
        "authorizations_expiring_before",
        lambda r: r.authorizations_expiring_before(NOW + timedelta(hours=24), 0, 20),
    ),
    Case(
        "attention.count_authorizations_expiring_before",
        AttentionRepository,
        "count_authorizations_expiring_before",
        lambda r: r.count_authorizations_expiring_before(NOW + timedelta(hours=24)),
    ),
    Case(
        "reports.refund_reasons",
        ReportsRepository,
        "refund_reasons",
        lambda r: r.refund_reasons(*WEEK),
    ),
    Case(
        "payments.find_before start",
        PaymentRepository,
        "find_before",
        lambda r: r.find_before(PaymentFilters(created_to=WEEK[1]), None, 500),
        scans=LIMIT_SCAN,
    ),
    Case(
        "payments.find_before by status",
        PaymentRepository,
        "find_before",
        lambda r: r.find_before(
            PaymentFilters.model_validate({"status": "failed", "created_to": WEEK[1]}),
            (WEEK[0], PAYMENT),
            500,
        ),
    ),
]
CASES += [
    # payment links
    Case(
        "payment_links.insert",
        PaymentLinkRepository,
        "insert",
        lambda r: r.insert({"_id": new_id("plink"), "token_hash": new_id("h"), "order_id": ORDER}),
    ),
    Case("payment_links.get", PaymentLinkRepository, "get", lambda r: r.get("plink_seed_0007")),
    Case(
        "payment_links.get_by_token_hash",
        PaymentLinkRepository,
        "get_by_token_hash",
        lambda r: r.get_by_token_hash("hash_seed_0007"),
    ),
    Case(
        "payment_links.find_for_order",
        PaymentLinkRepository,
        "find_for_order",
        lambda r: r.find_for_order(ORDER, 100),
    ),
    Case(
        "payment_links.compare_and_set",
        PaymentLinkRepository,
        "compare_and_set",
        lambda r: r.compare_and_set("plink_seed_0007", 99, {"$set": {"payment_id": "pay_x"}}),
    ),
    Case(
        "payment_links.set_email_status",
        PaymentLinkRepository,
        "set_email_status",
        lambda r: r.set_email_status("plink_seed_0007", "sent"),
    ),
]
LEASE_OWNER = "replica-a"
CASES += [
    # the events sync's lease: one document per job
    Case(
        "sync_lease.take",
        SyncLeaseRepository,
        "take",
        lambda r: r.take(owner=LEASE_OWNER, now=NOW, until=NOW + timedelta(minutes=1)),
    ),
    Case(
        "sync_lease.extend",
        SyncLeaseRepository,
        "extend",
        lambda r: r.extend(owner=LEASE_OWNER, until=NOW + timedelta(minutes=2)),
    ),
    Case(
        "sync_lease.advance",
        SyncLeaseRepository,
        "advance",
        lambda r: r.advance(owner=LEASE_OWNER, cursor=1_700_000_000, now=NOW),
    ),
    Case(
        "sync_lease.release",
        SyncLeaseRepository,
        "release",
        lambda r: r.release(owner=LEASE_OWNER, now=NOW),
    ),
    Case("sync_lease.get", SyncLeaseRepository, "get", lambda r: r.get()),
]
if (reservations := _reservations()) is not None:
    CASES += [
        Case("reservations.page start", reservations, "page", lambda r: r.page(None, 50)),
        Case("reservations.page", reservations, "page", lambda r: r.page(PAYMENT, 50)),
    ]


async def seed(database: Database) -> None:
    """A few hundred records of each kind, shaped as stored, so plans are chosen over data."""
    statuses = ["unpaid", "processing", "paid", "partially_refunded"]
    await database[ORDERS].insert_many(
        {
            "_id": f"ord_seed_{i:04d}",
            "number": f"ORD-2026-{i:06d}",
            "customer_id": f"cus_seed_{i % 20}",
            "payment_status": statuses[i % 4],
            "total_minor": 10_000,
            "version": 1,
            "created_at": NOW - timedelta(minutes=i),
        }
        for i in range(SEEDED)
    )
    await database[PAYMENTS].insert_many(
        {
            "_id": f"pay_seed_{i:04d}",
            "order_id": f"ord_seed_{i:04d}",
            "open_order_key": f"pay_seed_{i:04d}",
            "payment_intent_id": f"pi_seed_{i:04d}",
            "status": ["completed", "failed", "canceled"][i % 3],
            "refund_reserved_minor": 100 if i % 50 == 0 else 0,
            "version": 3,
            "created_at": NOW - timedelta(minutes=i),
            **({"check_after": NOW - timedelta(minutes=i)} if i % 40 == 0 else {}),
        }
        for i in range(SEEDED)
    )
    await database[REFUNDS].insert_many(
        {
            "_id": f"ref_seed_{i:04d}",
            "payment_id": f"pay_seed_{i:04d}",
            "stripe_refund_id": f"re_seed_{i:04d}",
            "status": ["succeeded", "pending", "failed"][i % 3],
            "currency": "usd",
            "amount_minor": 100,
            "version": 1,
            "created_at": NOW - timedelta(minutes=i),
        }
        for i in range(SEEDED)
    )
    await database[INBOX].insert_many(
        {
            "_id": f"evt_seed_{i:04d}",
            "state": "pending" if i % 25 == 0 else "processed",
            "next_attempt_at": NOW - timedelta(minutes=i),
            "lease_until": NOW - timedelta(minutes=i),
            "processed_at": None if i % 25 == 0 else NOW - timedelta(minutes=i),
        }
        for i in range(SEEDED)
    )
    await database["audit"].insert_many(
        {
            "_id": f"aud_seed_{i:04d}",
            "entity_id": f"pay_seed_{i:04d}",
            "order_id": f"ord_seed_{i % 40:04d}",
            "at": NOW - timedelta(minutes=i),
        }
        for i in range(SEEDED)
    )
    await database[PAYMENT_LINKS].insert_many(
        {
            "_id": f"plink_seed_{i:04d}",
            "token_hash": f"hash_seed_{i:04d}",
            "order_id": f"ord_seed_{i % 40:04d}",
            "version": 1,
            "created_at": NOW - timedelta(minutes=i),
        }
        for i in range(SEEDED)
    )
    store = IdempotencyStore(database)
    await store.claim(
        scope="svc POST /orders", key="expired-key", request_hash="h", resource_id="x"
    )
    await database[IDEMPOTENCY_KEYS].update_many(
        {}, {"$set": {"created_at": NOW - timedelta(hours=30)}}
    )


@pytest.fixture(scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    async with measuring_server(MONGODB_URL, tmp_path_factory.mktemp("counting-mongo")) as found:
        yield found


@pytest.fixture(scope="module")
async def database(server: Server) -> AsyncIterator[Database]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(server.url, tz_aware=True)
    database = client[f"erp_sales_plans_{uuid.uuid4().hex[:10]}"]
    for repository in REPOSITORIES:
        ensure = getattr(repository, "ensure_indexes", None)
        if ensure is not None:
            await ensure(database)
    await seed(database)
    yield database
    await client.drop_database(database.name)
    await client.close()


@pytest.fixture(scope="module")
def fillers() -> Fillers:
    return Fillers()


def case_params() -> list[Any]:
    params = []
    for case in CASES:
        marks = []
        if case.scans is not None and case.scans.everywhere:
            marks.append(pytest.mark.xfail(strict=True, reason=case.scans.reason))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


async def scans(query: Query, server: Server, fillers: Fillers) -> str | None:
    """Why the query reads the whole collection or a whole index, or None when it reads only
    what an index bounds."""
    if query.kind in INSERTS:
        return None
    await fillers.fill(query.collection)
    reads = await server.meter.reads(query)
    used = sorted(set(index_names(await explain(query))))
    print(f"  {query.describe()}: read {reads:,} beside {FILLERS:,} unmatched, index {used}")
    if reads_the_fillers(reads):
        return f"{query.describe()} read {reads:,} rows beside {FILLERS:,} it does not match"
    return None


@pytest.mark.parametrize("case", case_params())
async def test_query_uses_an_index(
    case: Case, database: Database, server: Server, fillers: Fillers
) -> None:
    if not hasattr(case.repository, case.method):
        pytest.skip(f"{case.repository.__name__} has no {case.method} in this version")
    repository = case.repository(database)
    log: list[Query] = []
    record(repository, log)
    await case.call(repository)
    assert log, f"{case.name} sent no query: the recording missed it"
    print(f"\n{case.name}")
    problems = [problem for query in log if (problem := await scans(query, server, fillers))]
    if case.scans is not None and not case.scans.everywhere and server.secantus:
        # A strict expected failure on SecantusDB only: MongoDB 7 must still pass.
        assert problems, f"{case.name} no longer scans on SecantusDB: drop its `scans`"
        pytest.xfail(case.scans.reason)
    assert not problems, problems


def test_every_repository_method_has_a_case() -> None:
    covered = {(case.repository, case.method) for case in CASES}
    missing = [
        f"{repository.__name__}.{name}"
        for repository in REPOSITORIES
        for name, member in inspect.getmembers(repository, inspect.iscoroutinefunction)
        if not name.startswith("_") and name != "ensure_indexes"
        if (repository, name) not in covered
    ]
    assert not missing, f"add a case to CASES for: {missing}"
