"""HTTP endpoints for card payments through Stripe PaymentIntents."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from app.core.auth import PaymentsCapture, PaymentsRead, PaymentsWrite, Principal
from app.core.errors import error_responses
from app.core.idempotency import IdempotencyKey
from app.core.json_route import DecimalJSONRoute
from app.core.money import from_minor
from app.core.pagination import Page, PageParams
from app.core.permissions import Permission
from app.core.timestamps import Instant
from app.payments.dependencies import PaymentExportDep, PaymentServiceDep
from app.payments.models import Payment, PaymentStatus
from app.payments.schemas import (
    CaptureRequest,
    ConfirmRequest,
    CreateIntentRequest,
    IntentCreated,
    PaymentDetail,
    PaymentFilters,
    PaymentRead,
)
from app.refund_records.models import Refund
from app.refund_records.schemas import RefundRead

router = APIRouter(
    prefix="/api/v1/payments/stripe", tags=["payments"], route_class=DecimalJSONRoute
)
STRIPE_ERRORS = (502, 503)
# Detail types of an amount that does not fit its currency (decimals, chargeable steps, size).
AMOUNT_RULES = ("decimal_places", "amount_not_chargeable", "amount_too_large")
# What Stripe itself may refuse: an amount below its minimum charge (or above its maximum,
# `amount_too_large`), or a parameter the account cannot take, such as a currency it does not
# charge in (`stripe_rejected`, Stripe's message says which).
STRIPE_AMOUNT_RULES = ("amount_too_small", "stripe_rejected")
NOTES_NEED = "Refund notes are shown only to callers with `refunds:read`; others get `notes: null`."
OrderIdFilter = Annotated[str | None, Query(min_length=1, max_length=64)]
CreatedFrom = Annotated[
    Instant | None,
    Query(alias="from", description="Created at or after (RFC 3339, e.g. 2026-03-01T00:00:00Z)"),
]
CreatedTo = Annotated[
    Instant | None,
    Query(alias="to", description="Created before (RFC 3339, e.g. 2026-04-01T00:00:00Z)"),
]


@router.post(
    "/create-intent",
    summary="Start a card payment on an order (or get its open one back)",
    responses=error_responses(
        401,
        403,
        404,
        409,
        422,
        500,
        *STRIPE_ERRORS,
        beyond_schema=(
            "amount_exceeds_outstanding",
            "currency_mismatch",
            "customer_mismatch",
            *AMOUNT_RULES,
            *STRIPE_AMOUNT_RULES,
        ),
    ),
)
async def create_intent(
    body: CreateIntentRequest,
    principal: PaymentsWrite,
    service: PaymentServiceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> IntentCreated:
    created = await service.create_intent(body, principal, idempotency_key)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    payment = created.payment
    assert payment.payment_intent_id is not None  # noqa: S101 - ensured by the service
    assert payment.client_secret is not None  # noqa: S101
    return IntentCreated(
        payment_id=payment.id,
        client_secret=payment.client_secret,
        payment_intent_id=payment.payment_intent_id,
        publishable_key=service.publishable_key,
        amount=from_minor(payment.amount_minor, payment.currency),
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        status=payment.status,
        capture=payment.capture_method,
    )


@router.post(
    "/confirm",
    summary="Record what Stripe says about a payment the browser confirmed",
    responses=error_responses(
        401, 403, 404, 422, 500, *STRIPE_ERRORS, beyond_schema=("payment_intent_mismatch",)
    ),
)
async def confirm(
    body: ConfirmRequest, principal: PaymentsWrite, service: PaymentServiceDep
) -> PaymentRead:
    payment = await service.confirm(body, principal)
    return await _read(service, payment, principal)


@router.post(
    "/capture/{payment_id}",
    summary="Capture all or part of an authorized payment (Stripe releases the rest)",
    description=(
        'Only a payment taken with `"capture": "manual"` and now `authorized` can be '
        "captured, once, for at most what is authorized. A retry with the same Idempotency-Key "
        "(or the same amount) sends the same request to Stripe."
    ),
    responses=error_responses(
        401,
        403,
        404,
        409,
        422,
        500,
        *STRIPE_ERRORS,
        beyond_schema=("amount_exceeds_capturable", *AMOUNT_RULES),
    ),
)
async def capture(
    payment_id: str,
    body: CaptureRequest,
    principal: PaymentsCapture,
    service: PaymentServiceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> PaymentRead:
    captured = await service.capture(payment_id, body, principal, idempotency_key)
    if captured.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return await _read(service, captured.payment, principal)


@router.post(
    "/cancel/{payment_id}",
    summary="Cancel a payment that has not succeeded, or release an authorization",
    responses=error_responses(401, 403, 404, 409, 422, 500, *STRIPE_ERRORS),
)
async def cancel(
    payment_id: str, principal: PaymentsWrite, service: PaymentServiceDep
) -> PaymentRead:
    payment = await service.cancel(payment_id, principal)
    return await _read(service, payment, principal)


@router.get(
    "/payments",
    summary="List payments, newest first",
    description=NOTES_NEED,
    responses=error_responses(401, 403, 422, 500, 503),
)
async def list_payments(
    principal: PaymentsRead,
    service: PaymentServiceDep,
    page: PageParams,
    order_id: OrderIdFilter = None,
    status: PaymentStatus | None = None,
    created_from: CreatedFrom = None,
    created_to: CreatedTo = None,
) -> Page[PaymentRead]:
    filters = PaymentFilters(
        order_id=order_id, status=status, created_from=created_from, created_to=created_to
    )
    payments, total = await service.list_page(filters, page)
    refunds = await service.refunds_for([payment.id for payment in payments])
    return Page[PaymentRead](
        items=[
            PaymentRead.from_payment(p, _refund_reads(refunds[p.id], principal)) for p in payments
        ],
        total=total,
        page=page.page,
        page_size=page.page_size,
    )


@router.get(
    "/payments/export.csv",
    summary="Export the payments list as CSV, streamed",
    description=(
        "Every payment matching the list's filters, newest first, each exactly once: payments "
        "created after the export began are left out. Amounts in major units."
    ),
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **error_responses(401, 403, 422, 500, 503),
    },
)
async def export_payments(
    principal: PaymentsRead,
    export: PaymentExportDep,
    order_id: OrderIdFilter = None,
    status: PaymentStatus | None = None,
    created_from: CreatedFrom = None,
    created_to: CreatedTo = None,
) -> StreamingResponse:
    filters = export.bounded(
        PaymentFilters(
            order_id=order_id, status=status, created_from=created_from, created_to=created_to
        )
    )
    day = filters.created_to.date().isoformat() if filters.created_to else "all"
    return StreamingResponse(
        export.csv_chunks(filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="payments-{day}.csv"'},
    )


@router.get(
    "/payments/{payment_id}",
    summary="One payment with its refunds and its history of transitions",
    description=NOTES_NEED,
    responses=error_responses(401, 403, 404, 422, 500, 503),
)
async def get_payment(
    payment_id: str, principal: PaymentsRead, service: PaymentServiceDep
) -> PaymentDetail:
    payment = await service.get(payment_id)
    refunds = await service.refunds_for([payment.id])
    return PaymentDetail.from_payment_with_history(
        payment, _refund_reads(refunds[payment.id], principal)
    )


async def _read(service: PaymentServiceDep, payment: Payment, principal: Principal) -> PaymentRead:
    refunds = await service.refunds_for([payment.id])
    return PaymentRead.from_payment(payment, _refund_reads(refunds[payment.id], principal))


def _refund_reads(refunds: list[Refund], principal: Principal) -> list[RefundRead]:
    reads = [RefundRead.from_refund(refund) for refund in refunds]
    if Permission.REFUNDS_READ in principal.permissions:
        return reads
    return [read.model_copy(update={"notes": None}) for read in reads]
