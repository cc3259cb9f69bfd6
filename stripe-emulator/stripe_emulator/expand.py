"""`expand[]=latest_charge`, `expand[]=data.payment_method`, `expand[]=refunds`: the fields Stripe
lets a request expand, and only those.

Each object type has its expandable fields (the `x-expandableFields` of Stripe's OpenAPI
document): an id there becomes its object, a nested object can be walked into, and anything
else (`expand[]=amount`) is refused with Stripe's "This property cannot be expanded". A path
walks on through ids it expands on the way (`latest_charge.payment_intent`). Ids of objects
the emulator does not keep (a `cus_…` given as `customer`) stay ids.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from stripe_emulator.errors import StripeError, invalid_request
from stripe_emulator.pagination import paginate
from stripe_emulator.store import JsonObject, Store

_EXPANDABLE: dict[str, frozenset[str]] = {
    name: frozenset(fields.split())
    for name, fields in {
        "payment_intent": "amount_details application automatic_payment_methods customer "
        "last_payment_error latest_charge next_action on_behalf_of payment_method "
        "payment_method_configuration_details payment_method_options presentment_details "
        "processing review shipping transfer_data",
        "charge": "application application_fee balance_transaction billing_details customer "
        "failure_balance_transaction fraud_details on_behalf_of outcome payment_intent "
        "payment_method_details presentment_details radar_options refunds review shipping "
        "source_transfer transfer transfer_data",
        "refund": "balance_transaction charge destination_details failure_balance_transaction "
        "next_action payment_intent presentment_details source_transfer_reversal "
        "transfer_reversal",
        "dispute": "balance_transactions charge evidence evidence_details payment_intent "
        "payment_method_details",
        "payment_method": "billing_details card customer radar_options",
        "balance_transaction": "fee_details source",
        "payout": "application_fee balance_transaction destination failure_balance_transaction "
        "original_payout reversed_by trace_id",
        "balance": "available connect_reserved instant_available issuing pending "
        "refund_and_dispute_prefunding",
        "event": "data request",
        "account": "business_profile capabilities company controller external_accounts "
        "future_requirements groups individual requirements settings tos_acceptance",
        "webhook_endpoint": "",
        "list": "data",
        # `total_count` is added by the search itself when asked for.
        "search_result": "data total_count",
    }.items()
}
# Nested objects (no `object` of their own) with expandable fields, by the field holding them.
_EXPANDABLE_WITHIN = {"last_payment_error": frozenset({"payment_intent", "payment_method"})}
_ENVELOPES = ("list", "search_result")


def _refunds_of(store: Store, charge: JsonObject) -> JsonObject:
    """A charge's `refunds`: no longer in the charge itself, but expandable (first page)."""
    refunds = [refund for refund in store.refunds.values() if refund["charge"] == charge["id"]]
    return paginate(refunds, {}, url=f"/v1/charges/{charge['id']}/refunds", object_name="refund")


# Expandable fields the object does not hold, made when asked for.
_COMPUTED: dict[tuple[str, str], Callable[[Store, JsonObject], JsonObject]] = {
    ("charge", "refunds"): _refunds_of,
}


def expand(obj: JsonObject, paths: list[str], store: Store) -> JsonObject:
    for path in paths:
        _walk(obj, path.split("."), 0, store, None)
    return obj


def _walk(node: JsonObject, parts: list[str], depth: int, store: Store, holder: str | None) -> None:
    """Expands `parts[depth:]` in `node`, a Stripe object or a nested object held in `holder`."""
    kind = node.get("object")
    head = parts[depth]
    allowed = (
        _EXPANDABLE.get(kind, frozenset())
        if kind
        else _EXPANDABLE_WITHIN.get(holder or "", frozenset())
    )
    if head not in allowed:
        raise _cannot_expand(parts, depth, node)
    if kind in _ENVELOPES and head == "data":
        if depth + 1 < len(parts):
            for item in node["data"]:
                _walk(item, parts, depth + 1, store, None)
        return
    value = node.get(head)
    computed = _COMPUTED.get((str(kind), head))
    if computed is not None and head not in node:
        value = node[head] = computed(store, node)
    elif isinstance(value, str):
        found = store.lookup(value)
        if found is not None:
            value = node[head] = copy.deepcopy(found)
    if depth + 1 < len(parts) and isinstance(value, dict):
        _walk(value, parts, depth + 1, store, head)


def _cannot_expand(parts: list[str], depth: int, node: JsonObject) -> StripeError:
    """Stripe's refusal: no `code`, no `param`; on a list, a hint when the items have it."""
    message = f"This property cannot be expanded ({'.'.join(parts[: depth + 1])})."
    if node.get("object") in _ENVELOPES and parts[depth] in _EXPANDABLE.get(
        _item_kind(node["url"]), ()
    ):
        message += f" You may want to try expanding 'data.{'.'.join(parts[depth:])}' instead."
    return invalid_request(message)


def _item_kind(url: str) -> str:
    """`/v1/payment_intents/search` → `payment_intent`, `/v1/charges/ch_…/refunds` → `refund`."""
    collection = [part for part in url.split("/") if part and part != "search"][-1]
    return collection.removesuffix("s")
