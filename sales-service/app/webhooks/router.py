"""The Stripe webhook endpoint: no bearer token, the signature on the raw body is the proof.

Stripe's bursts make it a hot route, so it skips what it does not need: no dependencies, and the
receipt goes out as bytes without re-validation (the model still documents it).
"""

from fastapi import APIRouter, Request, Response

from app.composition import services
from app.core.errors import error_responses
from app.core.json_route import DecimalJSONRoute
from app.webhooks.schemas import MAX_CREATED, WebhookReceipt
from app.webhooks.signature import SIGNATURE_HEADER

router = APIRouter(
    prefix="/api/v1/payments/stripe", tags=["webhooks"], route_class=DecimalJSONRoute
)

_SIGNED_EVENT = {
    "parameters": [
        {
            "name": SIGNATURE_HEADER,
            "in": "header",
            "required": True,
            "description": '`t=<unix time>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">`; '
            "missing or wrong is a 400",
            "schema": {"type": "string"},
        }
    ],
    "requestBody": {
        "required": True,
        "description": "A Stripe event, exactly as Stripe sent and signed it",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["id", "object", "type", "created", "data"],
                    "properties": {
                        "id": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 255,
                            "examples": ["evt_1PqR2sT3uV4wX5yZ"],
                        },
                        "object": {"const": "event"},
                        "type": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 255,
                            "examples": ["payment_intent.succeeded"],
                        },
                        "created": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": MAX_CREATED,
                            "description": "Unix time",
                        },
                        "livemode": {"type": "boolean"},
                        "account": {
                            "type": ["string", "null"],
                            "description": "Set on a connected account's events",
                        },
                        "data": {
                            "type": "object",
                            "required": ["object"],
                            "properties": {"object": {"type": "object"}},
                        },
                    },
                }
            }
        },
    },
}


_ANSWERS = error_responses(400, 500, 503)
_ANSWERS[200] = {
    "description": "Stored, to be applied right after this answer (`queued`), or received before "
    "(`duplicate`): Stripe stops retrying either way"
}
_ANSWERS[400]["description"] = (
    "Refused, nothing stored: `Stripe-Signature` missing, malformed, wrong or too old "
    "(detail `signature_missing`, `signature_malformed`, `signature_mismatch`, "
    "`signature_expired`), or a correctly signed body that is not a Stripe event "
    "(`event_invalid`); or the request could not be parsed at all"
)
_ANSWERS[503]["description"] = (
    "The event could not be stored (MongoDB unreachable), or no webhook secret is configured: "
    "Stripe retries later"
)


@router.post(
    "/webhook",
    summary="Receive a signed Stripe event",
    description="Verifies `Stripe-Signature` on the raw body, stores the event in the inbox "
    "(a repeated event id changes nothing) and answers 200 at once. The event is applied "
    "after the answer, by this process's workers or, if they cannot, by the background sweep.",
    openapi_extra=_SIGNED_EVENT,
    response_model=WebhookReceipt,
    responses=_ANSWERS,
)
async def receive_webhook(request: Request) -> Response:
    # Read by hand, not as a declared parameter: a missing header is our 400, not a 422.
    signature = request.headers.get(SIGNATURE_HEADER)
    receipt = await services(request.app.state).webhook_intake.receive(
        await request.body(), signature
    )
    return Response(receipt.model_dump_json(), media_type="application/json")
