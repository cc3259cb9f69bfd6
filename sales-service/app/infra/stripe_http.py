"""The HTTP client under the Stripe SDK: aiohttp, which costs a Stripe call about half the client
CPU of the SDK's httpx client (see docs/benchmarks.md), with every failure on the way reported
as the SDK's `APIConnectionError`, the answer's body included: the SDK's own aiohttp client reads
the body outside its error handling, so a connection dropped or timed out mid-answer would
escape as a bare aiohttp error, neither retried by the SDK nor read as an unknown outcome."""

from collections.abc import Mapping
from typing import Any

import aiohttp
import stripe


class StripeHTTPClient(stripe.AIOHTTPClient):
    def __init__(self, timeout_seconds: float) -> None:
        super().__init__(timeout=aiohttp.ClientTimeout(total=timeout_seconds))

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        content, status, response_headers = await self.request_stream_async(
            method, url, headers, post_data=post_data
        )
        try:
            body = await content.read()
        except Exception as exc:  # dropped or timed out after the status line
            self._handle_request_error(exc)
        return body, status, response_headers
