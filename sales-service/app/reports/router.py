"""HTTP endpoint for the finance dashboard's payment statistics."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.auth import ReportsRead
from app.core.errors import error_responses
from app.core.json_route import DecimalJSONRoute
from app.core.timestamps import Day
from app.reports.dependencies import ReportsServiceDep
from app.reports.schemas import PaymentStats
from app.reports.service import resolve_period

router = APIRouter(prefix="/api/v1/payments/stripe", tags=["reports"], route_class=DecimalJSONRoute)


@router.get(
    "/stats",
    summary="Payment statistics for a period of UTC days",
    description=(
        "Success rate, 3D Secure rate, refund rate, completed volume by day and the most "
        "frequent decline reasons, for payments created between `from` and `to` (both "
        "included; at most 366 days; default the last 30 days)."
    ),
    responses=error_responses(401, 403, 422, 500, 503, beyond_schema=("period_invalid",)),
)
async def payment_stats(
    principal: ReportsRead,
    service: ReportsServiceDep,
    first_day: Annotated[
        Day | None, Query(alias="from", description="First UTC day, e.g. 2026-03-01")
    ] = None,
    last_day: Annotated[
        Day | None, Query(alias="to", description="Last UTC day, included, e.g. 2026-03-31")
    ] = None,
) -> PaymentStats:
    return await service.payment_stats(resolve_period(first_day, last_day))
