"""The needs-attention list for admin and finance."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.attention.schemas import AttentionItem
from app.attention.service import AttentionService
from app.composition import services
from app.core.auth import Principal, require
from app.core.errors import error_responses
from app.core.json_route import DecimalJSONRoute
from app.core.pagination import Page, PageParams
from app.core.permissions import Permission

router = APIRouter(
    prefix="/api/v1/payments/stripe", tags=["attention"], route_class=DecimalJSONRoute
)

# Admin and finance: the ones who can read the audit trail behind each entry.
AttentionRead = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]


async def get_attention_service(request: Request) -> AttentionService:
    return services(request.app.state).attention


AttentionServiceDep = Annotated[AttentionService, Depends(get_attention_service)]


@router.get(
    "/attention",
    summary="What a person must look at: rejected Stripe events, payments Stripe took after a "
    "cancel or for another amount, refunds pending at Stripe over a day, open disputes, "
    "authorizations expiring within a day",
    responses=error_responses(401, 403, 422, 500, 503),
)
async def list_attention(
    principal: AttentionRead, service: AttentionServiceDep, page: PageParams
) -> Page[AttentionItem]:
    items, total = await service.page(page)
    return Page[AttentionItem](items=items, total=total, page=page.page, page_size=page.page_size)
