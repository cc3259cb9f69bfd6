"""Judging Stripe's webhook endpoints: ours, enabled, sending every event we handle."""

from typing import Any

from app.health.webhook_endpoint import judge
from app.webhooks.processor import HANDLED_EVENTS

URL = "https://erp.example/api/v1/payments/stripe/webhook"


def endpoint(**fields: Any) -> dict[str, Any]:
    return {"id": "we_1", "url": URL, "status": "enabled", "enabled_events": ["*"], **fields}


def test_an_enabled_endpoint_with_every_event_is_ok() -> None:
    assert judge([endpoint()], URL).status == "ok"
    assert judge([endpoint(enabled_events=sorted(HANDLED_EVENTS))], URL).status == "ok"
    wildcards = ["payment_intent.*", "refund.*", "charge.*"]
    assert judge([endpoint(enabled_events=wildcards)], None).status == "ok"


def test_missing_disabled_or_incomplete_endpoints_are_reported() -> None:
    assert judge([], URL).status == "missing"
    assert judge([endpoint(url="https://elsewhere/hook")], URL).status == "missing"
    assert judge([endpoint(status="disabled")], URL).status == "disabled"
    incomplete = judge([endpoint(enabled_events=["payment_intent.succeeded"])], URL)
    assert incomplete.status == "incomplete"
    assert "refund.created" in incomplete.missing_events


def test_the_best_of_several_endpoints_counts() -> None:
    found = judge([endpoint(status="disabled"), endpoint(id="we_2")], URL)
    assert (found.status, found.endpoint_id) == ("ok", "we_2")
