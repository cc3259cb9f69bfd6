"""GET config: public (the publishable key is public), for the browser to start Stripe.js."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.core.errors import error_responses
from app.infra.cache import CacheDep
from app.stripe_config.schemas import StripeConfig
from app.stripe_config.service import StripeConfigService

router = APIRouter(prefix="/api/v1/payments/stripe", tags=["payments"])


def get_config_service(request: Request, cache: CacheDep) -> StripeConfigService:
    state = request.app.state
    return StripeConfigService(state.settings, cache, state.stripe)


@router.get(
    "/config",
    summary="Stripe's public configuration (no authentication)",
    response_model_exclude_none=True,
    responses=error_responses(500, 502, 503),
)
async def get_config(
    service: Annotated[StripeConfigService, Depends(get_config_service)],
) -> StripeConfig:
    return await service.get()
