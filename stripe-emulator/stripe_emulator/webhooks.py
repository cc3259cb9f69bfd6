"""Webhook endpoints and delivery: one worker per endpoint, in order, retried with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from stripe_emulator.config import WebhookEndpointConfig, WebhookRetryPolicy
from stripe_emulator.faults import FaultInjector
from stripe_emulator.ids import new_id
from stripe_emulator.signing import signature_header
from stripe_emulator.store import JsonObject, Store

logger = logging.getLogger(__name__)

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
# Stripe retries an undelivered event for up to three days; a restart resends no older ones.
REDELIVERY_WINDOW_SECONDS = 3 * 24 * 3600


@dataclass(frozen=True)
class WebhookEndpoint:
    id: str
    url: str
    secret: str
    enabled_events: tuple[str, ...] = ("*",)
    created: int = field(default_factory=lambda: int(time.time()))
    status: str = "enabled"  # enabled | disabled: a disabled endpoint is sent nothing

    def wants(self, event_type: str) -> bool:
        return any(
            pattern in ("*", event_type)
            or (pattern.endswith(".*") and event_type.startswith(pattern[:-1]))
            for pattern in self.enabled_events
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "secret": self.secret,
            "enabled_events": list(self.enabled_events),
            "created": self.created,
            "status": self.status,
        }


@dataclass
class Attempt:
    number: int
    at: float
    status_code: int | None
    error: str | None
    duration_ms: int


@dataclass
class Delivery:
    id: str
    event_id: str
    event_type: str
    endpoint_id: str
    created: float
    duplicate: bool = False
    status: str = "pending"  # pending | succeeded | failed
    attempts: list[Attempt] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "endpoint_id": self.endpoint_id,
            "created": self.created,
            "duplicate": self.duplicate,
            "status": self.status,
            "attempts": [vars(attempt) for attempt in self.attempts],
        }


class WebhookDispatcher:
    def __init__(
        self,
        store: Store,
        faults: FaultInjector,
        startup_endpoints: tuple[WebhookEndpointConfig, ...],
        retry: WebhookRetryPolicy,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._on_change = on_change
        self._faults = faults
        self._startup_endpoints = startup_endpoints
        self._startup_retry = retry
        self.retry = retry
        self.endpoints: dict[str, WebhookEndpoint] = {}
        self.deliveries: dict[str, Delivery] = {}
        self._queues: dict[str, asyncio.Queue[str]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._client: httpx.AsyncClient | None = None
        self._add_startup_endpoints()

    def _add_startup_endpoints(self) -> None:
        for endpoint in self._startup_endpoints:
            self.add_endpoint(endpoint.url, endpoint.secret)

    async def start(self) -> None:
        self._client = httpx.AsyncClient(headers={"User-Agent": USER_AGENT})
        for endpoint_id in self.endpoints:
            self._start_worker(endpoint_id)

    async def stop(self) -> None:
        await self._stop_workers()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def reset(self) -> None:
        await self._stop_workers()
        self.endpoints.clear()
        self.deliveries.clear()
        self._queues.clear()
        self.retry = self._startup_retry
        self._add_startup_endpoints()
        if self._client is not None:
            for endpoint_id in self.endpoints:
                self._start_worker(endpoint_id)

    def set_retry(self, max_attempts: int | None, backoff_base_seconds: float | None) -> None:
        if max_attempts is not None:
            self.retry = replace(self.retry, max_attempts=max_attempts)
        if backoff_base_seconds is not None:
            self.retry = replace(self.retry, backoff_base_seconds=backoff_base_seconds)

    def add_endpoint(
        self, url: str, secret: str, enabled_events: tuple[str, ...] = ("*",)
    ) -> WebhookEndpoint:
        endpoint = WebhookEndpoint(new_id("we"), url, secret, enabled_events)
        self.endpoints[endpoint.id] = endpoint
        self._queues[endpoint.id] = asyncio.Queue()
        if self._client is not None:
            self._start_worker(endpoint.id)
        return endpoint

    async def remove_endpoint(self, endpoint_id: str) -> bool:
        if self.endpoints.pop(endpoint_id, None) is None:
            return False
        worker = self._workers.pop(endpoint_id, None)
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        self._queues.pop(endpoint_id, None)
        return True

    def set_disabled(self, endpoint_id: str, disabled: bool) -> WebhookEndpoint | None:
        """Stripe's `disabled` update: events created meanwhile are never sent to it, only
        listed in `/v1/events`."""
        endpoint = self.endpoints.get(endpoint_id)
        if endpoint is None:
            return None
        endpoint = replace(endpoint, status="disabled" if disabled else "enabled")
        self.endpoints[endpoint_id] = endpoint
        return endpoint

    def publish(self, event: JsonObject) -> int:
        """Queue the event for every enabled endpoint that wants it; returns how many."""
        targets = [e for e in self.endpoints.values()
                   if e.status == "enabled" and e.wants(event["type"])]  # fmt: skip
        for endpoint in targets:
            self._enqueue(event, endpoint.id, duplicate=False)
            if self._faults.take_webhook_duplicate():
                self._enqueue(event, endpoint.id, duplicate=True)
        return len(targets)

    def redeliver_pending(self) -> int:
        """After a restart: events some endpoint had not yet taken go out again, in order.

        They go to the endpoints registered now (the old ones' ids did not survive), so an
        endpoint may see an event twice, as Stripe allows; `pending_webhooks` starts over.
        """
        oldest = time.time() - REDELIVERY_WINDOW_SECONDS
        pending = [event for event in self._store.events.values()
                   if event["pending_webhooks"] > 0 and event["created"] >= oldest]  # fmt: skip
        for event in pending:
            targets = [e for e in self.endpoints.values()
                       if e.status == "enabled" and e.wants(event["type"])]  # fmt: skip
            for endpoint in targets:
                self._enqueue(event, endpoint.id, duplicate=False)
            event["pending_webhooks"] = len(targets)
        return len(pending)

    def resend(self, event: JsonObject, endpoint_id: str | None) -> list[Delivery]:
        targets = [endpoint_id] if endpoint_id else list(self.endpoints)
        return [self._enqueue(event, target, duplicate=False) for target in targets]

    def _enqueue(self, event: JsonObject, endpoint_id: str, *, duplicate: bool) -> Delivery:
        delivery = Delivery(
            new_id("whdel"), event["id"], event["type"], endpoint_id, time.time(), duplicate
        )
        self.deliveries[delivery.id] = delivery
        self._queues[endpoint_id].put_nowait(delivery.id)
        return delivery

    def _start_worker(self, endpoint_id: str) -> None:
        task = asyncio.get_running_loop().create_task(self._work(endpoint_id))
        self._workers[endpoint_id] = task

    async def _stop_workers(self) -> None:
        workers = list(self._workers.values())
        self._workers.clear()
        for worker in workers:
            worker.cancel()
        for worker in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    async def _work(self, endpoint_id: str) -> None:
        queue = self._queues[endpoint_id]
        while True:
            batch = [await queue.get()]
            faults = self._faults.settings
            if faults.webhook_shuffle:
                # Gather what arrives within the window, then send it in a random order.
                await asyncio.sleep(faults.webhook_shuffle_window_ms / 1000)
                while not queue.empty():
                    batch.append(queue.get_nowait())
                self._faults.shuffle(batch)
            for delivery_id in batch:
                if self._faults.settings.webhook_delay_ms:
                    await asyncio.sleep(self._faults.settings.webhook_delay_ms / 1000)
                await self._deliver(self.deliveries[delivery_id])

    async def _deliver(self, delivery: Delivery) -> None:
        endpoint = self.endpoints.get(delivery.endpoint_id)
        event = self._store.events.get(delivery.event_id)
        if endpoint is None or event is None or self._client is None:
            delivery.status = "failed"
            return
        payload = json.dumps(event, indent=2)
        for number in range(1, self.retry.max_attempts + 1):
            if number > 1:
                await asyncio.sleep(self.retry.delay_before(number))
            attempt = await self._attempt(endpoint, payload, number)
            delivery.attempts.append(attempt)
            if attempt.status_code is not None and 200 <= attempt.status_code < 300:
                delivery.status = "succeeded"
                if not delivery.duplicate:
                    event["pending_webhooks"] = max(0, event["pending_webhooks"] - 1)
                    self._on_change()
                return
        delivery.status = "failed"

    async def _attempt(self, endpoint: WebhookEndpoint, payload: str, number: int) -> Attempt:
        assert self._client is not None
        started = time.time()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": signature_header(payload, endpoint.secret, int(started)),
        }
        try:
            response = await self._client.post(
                endpoint.url, content=payload.encode(), headers=headers,
                timeout=self.retry.timeout_seconds,
            )  # fmt: skip
        except httpx.HTTPError as exc:
            logger.info("webhook to %s failed: %s", endpoint.url, exc)
            return Attempt(number, started, None, f"{type(exc).__name__}: {exc}", _ms(started))
        error = None if response.is_success else response.text[:200]
        return Attempt(number, started, response.status_code, error, _ms(started))


def _ms(started: float) -> int:
    return int((time.time() - started) * 1000)
