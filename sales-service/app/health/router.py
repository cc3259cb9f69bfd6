"""Liveness and readiness probes. MongoDB is required; Redis is reported but optional."""

import asyncio
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from app.health.webhook_endpoint import EndpointCheck, WebhookEndpointCheck
from app.infra.cache import CacheDep
from app.infra.mongo import Database, ping

router = APIRouter(prefix="/health", tags=["health"])

CheckState = Literal["ok", "down"]


class Liveness(BaseModel):
    status: Literal["alive"] = "alive"


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, CheckState]
    detail: dict[str, EndpointCheck] = {}


@router.get("/live", summary="The process is up")
async def live() -> Liveness:
    return Liveness()


@router.get(
    "/ready",
    summary="Ready to serve: MongoDB reachable (Redis and Stripe's webhook endpoint reported, "
    "not required)",
    responses={503: {"model": Readiness, "description": "MongoDB is unreachable"}},
    response_model_exclude_defaults=True,
)
async def ready(
    request: Request, database: Database, cache: CacheDep, response: Response
) -> Readiness:
    mongodb_ok, redis_ok = await asyncio.gather(ping(database), cache.ping())
    if not mongodb_ok:
        response.status_code = 503
    detail: dict[str, EndpointCheck] = {}
    endpoint_check: WebhookEndpointCheck | None = getattr(
        request.app.state, "webhook_endpoint_check", None
    )
    if endpoint_check is not None:
        detail["stripe_webhook_endpoint"] = await endpoint_check.check()
    return Readiness(
        status="ready" if mongodb_ok else "not_ready",
        checks={"mongodb": _state(mongodb_ok), "redis": _state(redis_ok)},
        detail=detail,
    )


def _state(ok: bool) -> CheckState:
    return "ok" if ok else "down"
