"""The workload's clients: ERP callers through the gateway, and the customer's browser at Stripe.

A caller retries a request that got no answer (timeout, cut connection), a 5xx or a 429 with
the same Idempotency-Key, as the issue's careful callers do. Each caller has a loopback address
of its own, so the gateway's per-client rate limit treats it as one client among several.
"""

import asyncio
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

NO_ANSWER = 0
RETRIED_STATUSES = frozenset({NO_ANSWER, 429, 500, 502, 503, 504})
CALLER_TIMEOUT_SECONDS = 8.0
MAX_ATTEMPTS = 6


@dataclass
class Answer:
    status: int
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class Stats:
    ops: int = 0
    attempts: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    # The first error answered for each request name and status, to show what went wrong.
    samples: dict[str, str] = field(default_factory=dict)

    def count(self, name: str, status: int, body: dict[str, Any] | None = None) -> None:
        label = f"{name} {status or 'no answer'}"
        self.statuses[label] += 1
        error = (body or {}).get("error")
        if status >= 400 and isinstance(error, dict) and label not in self.samples:
            details = error.get("details") or [{}]
            reason = details[0].get("message") if isinstance(details[0], dict) else None
            self.samples[label] = str(reason or error.get("code") or error.get("message"))[:80]


def mint_token(secret: str, subject: str, roles: list[str]) -> str:
    now = datetime.now(UTC)
    claims = {"sub": subject, "roles": roles, "iat": now, "exp": now + timedelta(hours=2)}
    return jwt.encode(claims, secret, algorithm="HS256")


def new_key() -> str:
    return uuid.uuid4().hex


class Http:
    """One client with retries; `name` labels its requests in the status counts."""

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        stats: Stats,
        rng: random.Random,
        local_address: str = "127.0.0.1",
    ) -> None:
        transport = httpx.AsyncHTTPTransport(local_address=local_address)
        self._client = httpx.AsyncClient(
            base_url=base_url, headers=headers, timeout=CALLER_TIMEOUT_SECONDS, transport=transport
        )
        self._stats = stats
        self._rng = rng

    async def close(self) -> None:
        await self._client.aclose()

    async def once(
        self,
        name: str,
        path: str,
        *,
        json: Any = None,
        form: Any = None,
        key: str | None = None,
        method: str = "POST",
    ) -> Answer:
        headers = {"Idempotency-Key": key} if key else {}
        self._stats.attempts += 1
        try:
            response = await self._client.request(
                method, path, json=json, data=form, headers=headers
            )
        except httpx.HTTPError:
            self._stats.count(name, NO_ANSWER)
            return Answer(NO_ANSWER, {})
        try:
            body = response.json()
        except ValueError:
            body = {}
        answer = Answer(response.status_code, body if isinstance(body, dict) else {"data": body})
        self._stats.count(name, response.status_code, answer.body)
        return answer

    async def post(
        self,
        name: str,
        path: str,
        *,
        json: Any = None,
        form: Any = None,
        key: str | None = None,
        attempts: int = MAX_ATTEMPTS,
        method: str = "POST",
    ) -> Answer:
        """One logical operation: retried with the same key until it gets a definite answer."""
        self._stats.ops += 1
        answer = Answer(NO_ANSWER, {})
        for attempt in range(attempts):
            answer = await self.once(name, path, json=json, form=form, key=key, method=method)
            if answer.status not in RETRIED_STATUSES:
                return answer
            await asyncio.sleep(min(0.2 * 2**attempt, 2.0) * self._rng.uniform(0.5, 1.5))
        return answer

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Answer:
        try:
            response = await self._client.get(path, params=params)
        except httpx.HTTPError:
            return Answer(NO_ANSWER, {})
        body = response.json()
        return Answer(response.status_code, body if isinstance(body, dict) else {"data": body})
