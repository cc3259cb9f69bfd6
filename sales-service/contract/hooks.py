"""Schemathesis hooks for the contract fuzz run (`dev/contract_fuzz.sh`).

Two things the fuzzer cannot know from the document alone:

- **Webhooks are signed.** A Stripe event is accepted only with a valid `Stripe-Signature` over
  the exact bytes sent; with `STRIPE_WEBHOOK_SECRET` set, every webhook request is signed as
  Stripe signs it, so the fuzzer reaches what the service does with an event, not only the 400
  of an unsigned one.
- **Some rules are beyond JSON Schema.** A request that matches the schema may still be refused
  with a 422 for a rule against stored records (an amount above what the order still owes) or
  across fields the schema cannot state (decimals per currency). Each operation's 422 response
  lists those detail types in `x-beyond-schema`; a schema-valid request refused with 422 is
  still a failure unless every detail of the answer has one of the listed types.
"""

import hashlib
import hmac
import json
import os
import time
from typing import Any

import schemathesis
from schemathesis import Case, HookContext, Response
from schemathesis.core.failures import Failure
from schemathesis.core.parameters import ParameterLocation

WEBHOOK_PATH = "/api/v1/payments/stripe/webhook"
SIGNATURE_HEADER = "Stripe-Signature"
BEYOND_SCHEMA = "x-beyond-schema"
SCHEMA_VALID_REJECTED = "ST202"


def stripe_signature(payload: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def sent_bytes(case: Case[Any]) -> bytes | None:
    """The body exactly as the transport sends it: requests writes `json=` with `json.dumps`."""
    kwargs = case.as_transport_kwargs()
    if isinstance(kwargs.get("data"), bytes):
        return bytes(kwargs["data"])
    if "json" in kwargs:
        try:
            return json.dumps(kwargs["json"], allow_nan=False).encode("utf-8")
        except (TypeError, ValueError):
            return None
    return None


@schemathesis.hook
def before_call(context: HookContext, case: Case[Any], kwargs: dict[str, Any]) -> None:
    secret = os.environ.get("STRIPE_WEBHOOK_SECRET", "").split(",")[0].strip()
    if not secret or case.operation.path != WEBHOOK_PATH:
        return
    payload = sent_bytes(case)
    if payload is None:
        return
    headers = case.headers  # case-insensitive
    if headers is None or SIGNATURE_HEADER not in headers:
        return  # a case about the missing header: leave it missing
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        return  # a case about the header's value: leave it as generated
    headers[SIGNATURE_HEADER] = stripe_signature(payload, secret, int(time.time()))


def refused_beyond_schema(definition: dict[str, Any], response: Response) -> bool:
    """A 422 whose every detail is a rule the operation lists as beyond its schema."""
    if response.status_code != 422:
        return False
    listed = set(definition.get("responses", {}).get("422", {}).get(BEYOND_SCHEMA, []))
    try:
        details = response.json()["error"]["details"]
    except (ValueError, KeyError, TypeError):
        return False
    types = {detail.get("type") for detail in details if isinstance(detail, dict)}
    return bool(details) and types <= listed


@schemathesis.hook
def filter_failure(
    context: HookContext, failure: Failure, case: Case[Any], response: Response
) -> bool:
    if failure.code != SCHEMA_VALID_REJECTED:
        return True
    return not refused_beyond_schema(case.operation.definition.raw, response)


# An order names the ERP customer it is for; nothing in this API makes customers, so the
# fuzzer's dependency analysis takes `customer_id` for a reference it can never fill and keeps
# POST /orders from starting the stateful chains (order -> payment -> refund) the links describe.
ERP_REFERENCES = {"POST /api/v1/orders": {"customer_id"}}


@schemathesis.hook
def after_load_schema(context: HookContext, schema: Any) -> None:
    graph = schema.analysis.dependency_graph
    for label, names in ERP_REFERENCES.items():
        node = graph.operations.get(label)
        if node is not None:
            node.inputs = [slot for slot in node.inputs if slot.parameter_name not in names]
