"""The contract fuzz run's hooks: webhooks signed as Stripe signs them, and 422s forgiven only
for the rules an operation lists as beyond its schema."""

import json
from typing import Any

from app.webhooks import signature
from contract.hooks import refused_beyond_schema, stripe_signature

SECRET = "whsec_test_contract_hooks"


def test_the_signature_is_one_the_service_accepts() -> None:
    payload = json.dumps({"id": "evt_1", "object": "event"}).encode()
    header = stripe_signature(payload, SECRET, 1_767_225_600)
    signature.verify(payload, header, [SECRET], tolerance_seconds=300, now=1_767_225_600)


class Answer:
    def __init__(self, status_code: int, body: Any) -> None:
        self.status_code = status_code
        self._body = body

    def json(self) -> Any:
        if isinstance(self._body, Exception):
            raise self._body
        return self._body


OPERATION = {"responses": {"422": {"x-beyond-schema": ["amount_exceeds_outstanding"]}}}


def error(*types: str) -> dict[str, Any]:
    details = [{"field": "amount", "location": "body", "message": "m", "type": t} for t in types]
    return {"error": {"code": "validation_error", "details": details}}


def test_a_listed_rule_is_forgiven() -> None:
    answer = Answer(422, error("amount_exceeds_outstanding"))
    assert refused_beyond_schema(OPERATION, answer)  # type: ignore[arg-type]


def test_anything_else_stays_a_failure() -> None:
    for answer in [
        Answer(422, error("amount_exceeds_outstanding", "string_too_long")),
        Answer(422, error("missing")),
        Answer(422, error()),
        Answer(422, ValueError("not JSON")),
        Answer(400, error("amount_exceeds_outstanding")),
    ]:
        assert not refused_beyond_schema(OPERATION, answer)  # type: ignore[arg-type]
    assert not refused_beyond_schema(
        {"responses": {}},
        Answer(422, error("amount_exceeds_outstanding")),  # type: ignore[arg-type]
    )
