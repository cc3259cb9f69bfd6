import asyncio
import time

from app.infra.cache import Cache
from tests.integration.conftest import REDIS_URL, closed_port


async def test_json_round_trip_with_ttl() -> None:
    cache = Cache(REDIS_URL, prefix=f"test:{time.time_ns()}:")
    try:
        assert await cache.get_json("order") is None
        assert await cache.set_json("order", {"id": "ord_1", "total_minor": 999}, ttl_seconds=60)
        assert await cache.get_json("order") == {"id": "ord_1", "total_minor": 999}
        assert await cache.set_json("short", [1, 2], ttl_seconds=1)
        assert await cache.delete("order")
        assert await cache.get_json("order") is None
        assert await cache.ping()
    finally:
        await cache.close()


async def test_expired_entries_are_misses() -> None:
    cache = Cache(REDIS_URL, prefix=f"test:{time.time_ns()}:")
    try:
        await cache.set_json("brief", "x", ttl_seconds=1)
        await asyncio.sleep(1.2)
        assert await cache.get_json("brief") is None
    finally:
        await cache.close()


async def test_redis_down_means_misses_not_errors() -> None:
    cache = Cache(f"redis://127.0.0.1:{closed_port()}/0")
    try:
        # A retry loop would stall each call for ever; the bound only ends that wait.
        async with asyncio.timeout(30):
            assert await cache.get_json("anything") is None
            assert await cache.set_json("anything", 1, ttl_seconds=5) is False
            assert await cache.delete("anything") is False
            assert await cache.ping() is False
    finally:
        await cache.close()
