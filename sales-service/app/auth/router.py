"""`POST /api/v1/auth/dev-token`: demo logins, answered only when AUTH_DEV_LOGIN=true."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.auth.schemas import DevTokenRequest, DevTokenResponse
from app.auth.service import issue_demo_token
from app.core.errors import NotFound, error_responses
from app.core.json_route import DecimalJSONRoute
from app.core.settings import Settings

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=DecimalJSONRoute)


async def dev_login_settings(request: Request) -> Settings:
    """The settings, if dev login is on; otherwise the route does not exist (404)."""
    settings: Settings = request.app.state.settings
    if not settings.auth_dev_login:
        raise NotFound()
    return settings


@router.post(
    "/dev-token",
    summary="Issue a demo token (development only)",
    description="Answers 404 unless AUTH_DEV_LOGIN=true. Tokens last 8 hours.",
    responses=error_responses(404, 422, 500),
)
async def dev_token(
    settings: Annotated[Settings, Depends(dev_login_settings)], body: DevTokenRequest
) -> DevTokenResponse:
    return issue_demo_token(settings, body)
