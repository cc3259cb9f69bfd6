"""A JSON cache on Redis that never fails its caller: when Redis is down every call is a miss.

Redis only ever holds copies; losing it must not lose data or stop requests.
"""

import json
import logging
from typing import Annotated, Any

from fastapi import Depends, Request
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_FAILURES = (RedisError, OSError, TimeoutError)


class Cache:
    def __init__(self, url: str, *, timeout_seconds: float = 0.5, prefix: str = "sales:") -> None:
        # No retries: a miss now is better than a request stalled behind a dead Redis.
        self._redis: Redis = Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            retry=Retry(NoBackoff(), 0),
        )
        self._prefix = prefix
        self._available = True

    async def get_json(self, key: str) -> Any | None:
        try:
            raw = await self._redis.get(self._prefix + key)
        except _FAILURES as exc:
            self._report_down("get", exc)
            return None
        self._report_up()
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            logger.warning("cache entry is not JSON; treating it as a miss", extra={"key": key})
            return None

    async def set_json(self, key: str, value: Any, ttl_seconds: int) -> bool:
        try:
            await self._redis.set(self._prefix + key, json.dumps(value), ex=ttl_seconds)
        except _FAILURES as exc:
            self._report_down("set", exc)
            return False
        self._report_up()
        return True

    async def delete(self, key: str) -> bool:
        try:
            await self._redis.delete(self._prefix + key)
        except _FAILURES as exc:
            self._report_down("delete", exc)
            return False
        self._report_up()
        return True

    async def ping(self) -> bool:
        try:
            await self._redis.ping()
        except _FAILURES as exc:
            self._report_down("ping", exc)
            return False
        self._report_up()
        return True

    async def close(self) -> None:
        try:
            await self._redis.aclose()
        except _FAILURES as exc:
            logger.warning("closing the cache failed", extra={"error": repr(exc)})

    def _report_down(self, operation: str, exc: BaseException) -> None:
        # One warning per outage, not one per call.
        level = logging.WARNING if self._available else logging.DEBUG
        logger.log(level, "cache unavailable", extra={"operation": operation, "error": repr(exc)})
        self._available = False

    def _report_up(self) -> None:
        if not self._available:
            logger.info("cache available again")
            self._available = True


async def get_cache(request: Request) -> Cache:
    cache: Cache = request.app.state.cache
    return cache


CacheDep = Annotated[Cache, Depends(get_cache)]
