"""Stripe signs the raw body: the webhook path must reach the service byte for byte."""

import httpx
from conftest import RecordingUpstream

WEBHOOK = "/api/v1/payments/stripe/webhook"


def test_webhook_body_and_signature_header_arrive_unchanged(
    recording_gateway: str,
    recording_upstream: RecordingUpstream,
) -> None:
    # Odd spacing, key order, unicode escapes and a trailing newline: any re-encoding shows.
    body = (
        b'{"id":"evt_1",  "type":"payment_intent.succeeded",'
        b'"data":{"object":{"x":"\\u00e9\xc3\xa9"}}}\n'
    )
    signature = "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"
    response = httpx.post(
        f"{recording_gateway}{WEBHOOK}",
        content=body,
        headers={"Stripe-Signature": signature, "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200
    seen = [r for r in recording_upstream.requests if r.path == WEBHOOK][-1]
    assert seen.method == "POST"
    assert seen.body == body
    assert seen.headers["stripe-signature"] == signature
    assert seen.headers["content-type"] == "application/json; charset=utf-8"


def test_webhook_bursts_are_not_throttled_like_payment_calls(recording_gateway: str) -> None:
    with httpx.Client() as client:
        statuses = [
            client.post(f"{recording_gateway}{WEBHOOK}", content=b"{}").status_code
            for _ in range(60)
        ]
    assert statuses == [200] * 60
