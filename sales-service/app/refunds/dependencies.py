"""The refund service for a request, from the composition root."""

from typing import Annotated

from fastapi import Depends, Request

from app.composition import services
from app.refunds.service import RefundService


async def get_refund_service(request: Request) -> RefundService:
    return services(request.app.state).refunds


RefundServiceDep = Annotated[RefundService, Depends(get_refund_service)]
