"""The only place that talks to Stripe: the official SDK's async methods, plain dicts out.

Every POST carries an idempotency key derived from our own record id, so a retry (the SDK's,
ours after a 429, or a caller's) can never charge or refund twice. The SDK retries connection
failures and 5xx with that same key; it does not retry 429, so we do, after Stripe's
`Retry-After` (capped). Whatever still fails becomes one of `app.infra.stripe_errors`.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import stripe

from app.core.metrics import STRIPE_CALL_SECONDS
from app.infra.stripe_errors import (
    StripeAuthenticationFailed,
    StripeCardDeclined,
    StripeFailure,
    StripeIdempotencyConflict,
    StripeNotConfigured,
    StripeRateLimited,
    StripeRejected,
    StripeServerError,
    StripeUnreachable,
)
from app.infra.stripe_http import StripeHTTPClient

logger = logging.getLogger(__name__)
T = TypeVar("T")

NETWORK_RETRIES = 2
RATE_LIMIT_RETRIES = 2
MAX_RATE_LIMIT_WAIT_SECONDS = 2.0
TIMEOUT_SECONDS = 20.0
LIST_PAGE_LIMIT = 100


class StripeGateway:
    def __init__(
        self,
        secret_key: str | None,
        api_base: str | None = None,
        *,
        timeout_seconds: float = TIMEOUT_SECONDS,
        network_retries: int = NETWORK_RETRIES,
        rate_limit_retries: int = RATE_LIMIT_RETRIES,
        wait: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = StripeHTTPClient(timeout_seconds)
        self._client: stripe.StripeClient | None = None
        if secret_key:
            self._client = stripe.StripeClient(
                secret_key,
                base_addresses={"api": api_base} if api_base else None,
                http_client=self._http,
                max_network_retries=network_retries,
            )
        self._rate_limit_retries = rate_limit_retries
        self._wait = wait
        self._livemode = bool(secret_key) and str(secret_key).startswith(("sk_live_", "rk_live_"))
        self._account_id: str | None = None

    @property
    def configured(self) -> bool:
        return self._client is not None

    @property
    def livemode(self) -> bool:
        """The mode of our key: objects and events of the other mode are not ours."""
        return self._livemode

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]

    # -- PaymentIntents ------------------------------------------------------------------------

    async def create_payment_intent(
        self, params: Mapping[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        client = self._require_client()
        return await self._call(
            "payment_intents.create",
            lambda: client.v1.payment_intents.create_async(
                dict(params),  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            ),
        )

    async def retrieve_payment_intent(
        self, intent_id: str, *, expand: Sequence[str] = ()
    ) -> dict[str, Any]:
        client = self._require_client()
        params: dict[str, Any] = {"expand": list(expand)} if expand else {}
        return await self._call(
            "payment_intents.retrieve",
            lambda: client.v1.payment_intents.retrieve_async(intent_id, params),  # type: ignore[arg-type]
        )

    async def cancel_payment_intent(
        self, intent_id: str, *, idempotency_key: str, reason: str | None = None
    ) -> dict[str, Any]:
        client = self._require_client()
        params: dict[str, Any] = {"cancellation_reason": reason} if reason else {}
        return await self._call(
            "payment_intents.cancel",
            lambda: client.v1.payment_intents.cancel_async(
                intent_id,
                params,  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            ),
        )

    async def capture_payment_intent(
        self,
        intent_id: str,
        *,
        amount_to_capture: int,
        idempotency_key: str,
        expand: Sequence[str] = (),
    ) -> dict[str, Any]:
        client = self._require_client()
        params: dict[str, Any] = {"amount_to_capture": amount_to_capture}
        if expand:
            params["expand"] = list(expand)
        return await self._call(
            "payment_intents.capture",
            lambda: client.v1.payment_intents.capture_async(
                intent_id,
                params,  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            ),
        )

    async def retrieve_payment_method(self, payment_method_id: str) -> dict[str, Any]:
        client = self._require_client()
        return await self._call(
            "payment_methods.retrieve",
            lambda: client.v1.payment_methods.retrieve_async(payment_method_id),
        )

    # -- Refunds -------------------------------------------------------------------------------

    async def create_refund(
        self, params: Mapping[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        client = self._require_client()
        return await self._call(
            "refunds.create",
            lambda: client.v1.refunds.create_async(
                dict(params),  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            ),
        )

    async def retrieve_refund(self, refund_id: str) -> dict[str, Any]:
        client = self._require_client()
        return await self._call(
            "refunds.retrieve", lambda: client.v1.refunds.retrieve_async(refund_id)
        )

    async def list_refunds(
        self, *, charge: str | None = None, payment_intent: str | None = None
    ) -> list[dict[str, Any]]:
        """Every refund of a charge or an intent, following Stripe's pages."""
        client = self._require_client()
        params: dict[str, Any] = {"limit": LIST_PAGE_LIMIT}
        if charge is not None:
            params["charge"] = charge
        if payment_intent is not None:
            params["payment_intent"] = payment_intent
        refunds: list[dict[str, Any]] = []
        while True:
            page = await self._call_raw(
                "refunds.list",
                lambda: client.v1.refunds.list_async(dict(params)),  # type: ignore[arg-type]
            )
            refunds.extend(item.to_dict() for item in page.data)
            if not page.has_more or not page.data:
                return refunds
            params["starting_after"] = page.data[-1].id

    # -- Disputes, events, webhook endpoints ---------------------------------------------------

    async def retrieve_dispute(self, dispute_id: str) -> dict[str, Any]:
        client = self._require_client()
        return await self._call(
            "disputes.retrieve", lambda: client.v1.disputes.retrieve_async(dispute_id)
        )

    async def list_events_page(
        self,
        *,
        types: Sequence[str],
        created_gte: int,
        starting_after: str | None = None,
        limit: int = LIST_PAGE_LIMIT,
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of events, newest first (Stripe's order), and whether more follow."""
        client = self._require_client()
        params: dict[str, Any] = {
            "types": list(types),
            "created": {"gte": created_gte},
            "limit": limit,
        }
        if starting_after is not None:
            params["starting_after"] = starting_after
        page = await self._call_raw(
            "events.list",
            lambda: client.v1.events.list_async(params),  # type: ignore[arg-type]
        )
        return [item.to_dict() for item in page.data], bool(page.has_more)

    async def list_webhook_endpoints(self) -> list[dict[str, Any]]:
        client = self._require_client()
        endpoints: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": LIST_PAGE_LIMIT}
        while True:
            page = await self._call_raw(
                "webhook_endpoints.list",
                lambda: client.v1.webhook_endpoints.list_async(dict(params)),  # type: ignore[arg-type]
            )
            endpoints.extend(item.to_dict() for item in page.data)
            if not page.has_more or not page.data:
                return endpoints
            params["starting_after"] = page.data[-1].id

    # -- Account -------------------------------------------------------------------------------

    async def account_id(self) -> str:
        """Our account's id, asked once per process (it never changes for a key)."""
        if self._account_id is None:
            account = await self.retrieve_account()
            self._account_id = str(account.get("id") or "")
        return self._account_id

    async def retrieve_account(self) -> dict[str, Any]:
        client = self._require_client()
        return await self._call(
            "account.retrieve", lambda: client.v1.accounts.retrieve_current_async()
        )

    # -- plumbing ------------------------------------------------------------------------------

    def _require_client(self) -> stripe.StripeClient:
        if self._client is None:
            raise StripeNotConfigured()
        return self._client

    async def _call(
        self, operation: str, send: Callable[[], Awaitable[stripe.StripeObject]]
    ) -> dict[str, Any]:
        result = await self._call_raw(operation, send)
        return result.to_dict()

    async def _call_raw(self, operation: str, send: Callable[[], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                return await send()
            except stripe.RateLimitError as exc:
                if attempt >= self._rate_limit_retries:
                    raise _translate(exc, operation) from None
                attempt += 1
                wait = min(_retry_after(exc), MAX_RATE_LIMIT_WAIT_SECONDS)
                logger.info(
                    "stripe rate limited; retrying",
                    extra={"operation": operation, "attempt": attempt, "wait_seconds": wait},
                )
                await self._wait(wait)
            except stripe.StripeError as exc:
                raise _translate(exc, operation) from None
            finally:
                STRIPE_CALL_SECONDS.labels(operation).observe(time.perf_counter() - started)


def _retry_after(error: stripe.StripeError) -> float:
    headers = error.headers or {}
    value = headers.get("retry-after") or headers.get("Retry-After")
    try:
        return max(float(value), 0.0) if value is not None else 1.0
    except ValueError:
        return 1.0


def _translate(error: stripe.StripeError, operation: str) -> StripeFailure:
    """The SDK's exception -> ours, logged once with Stripe's request id."""
    logger.warning(
        "stripe call failed",
        extra={
            "operation": operation,
            "stripe_error": type(error).__name__,
            "http_status": error.http_status,
            "stripe_code": error.code,
            "stripe_request_id": error.request_id,
        },
    )
    message = error.user_message or str(error)
    if isinstance(error, stripe.CardError):
        body = error.json_body if isinstance(error.json_body, dict) else {}
        details = body.get("error") or {}
        intent = details.get("payment_intent")
        return StripeCardDeclined(
            message,
            stripe_code=error.code,
            decline_code=details.get("decline_code"),
            payment_intent=intent if isinstance(intent, dict) else None,
            operation=operation,
        )
    if isinstance(error, stripe.RateLimitError):
        return StripeRateLimited(max(int(_retry_after(error)), 1), operation=operation)
    if isinstance(error, stripe.APIConnectionError):
        return StripeUnreachable(operation=operation)
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        return StripeAuthenticationFailed(operation=operation)
    if isinstance(error, stripe.IdempotencyError):
        return StripeIdempotencyConflict(operation=operation)
    if isinstance(error, stripe.InvalidRequestError):
        return StripeRejected(
            message,
            stripe_code=error.code,
            param=getattr(error, "param", None),
            http_status=error.http_status,
            operation=operation,
        )
    return StripeServerError(operation=operation)
