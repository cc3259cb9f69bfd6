"""GET config: public (the publishable key is public), for the browser to start Stripe.js.

The hottest route of a page load, so it skips what it does not need: no dependencies, and the
answer goes out as the bytes the service keeps in memory (the model still documents it).
"""

from fastapi import APIRouter, Request, Response

from app.composition import services
from app.core.errors import error_responses
from app.stripe_config.schemas import StripeConfig
from app.stripe_config.service import StripeConfigService

router = APIRouter(prefix="/api/v1/payments/stripe", tags=["payments"])


def config_service(request: Request) -> StripeConfigService:
    """One per app run (its memory cache must outlive the request)."""
    return services(request.app.state).stripe_config


@router.get(
    "/config",
    summary="Stripe's public configuration (no authentication)",
    response_model=StripeConfig,
    response_model_exclude_none=True,
    responses=error_responses(500, 502, 503),
)
async def get_config(request: Request) -> Response:
    body = await config_service(request).get_json()
    return Response(body, media_type="application/json")
