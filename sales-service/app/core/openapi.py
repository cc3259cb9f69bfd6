"""The OpenAPI document as other services read it: FastAPI's, finished in this one place.

FastAPI writes the document from the routes and models; two things it cannot say are added
here, so `app.openapi()` (and `docs/openapi.json`, exported from it) holds them:

- **links** between operations: the order an answer names can be fetched, paid or linked; the
  payment create-intent answers can be read, confirmed, captured, canceled or refunded. Clients
  and the contract fuzzer follow them to chain calls.
- **parameters are never null**: a query or header parameter is absent or a string, so the
  `null` branch pydantic writes for an optional one is dropped.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

Document = dict[str, Any]
ORDERS = "/api/v1/orders"
ORDER = "/api/v1/orders/{order_id}"
LINKS_OF_ORDER = "/api/v1/orders/{order_id}/payment-links"
LINK_OF_ORDER = "/api/v1/orders/{order_id}/payment-links/{link_id}"
STRIPE = "/api/v1/payments/stripe"
PAYMENT = f"{STRIPE}/payments/{{payment_id}}"
CREATE_INTENT = f"{STRIPE}/create-intent"
AUDIT = "/api/v1/audit"

Target = tuple[str, str]  # (method, path)
Link = tuple[str, Target, dict[str, Any]]  # (name, target, parameters and/or requestBody)


def _params(**values: str) -> dict[str, Any]:
    """`path_order_id="$response.body#/id"` -> `{"parameters": {"path.order_id": ...}}`."""
    return {"parameters": {name.replace("_", ".", 1): value for name, value in values.items()}}


def _order_links(order_id: str) -> list[Link]:
    """What can be done with an order whose id the answer holds at `order_id` (and, beside it,
    its customer, currency and outstanding balance: what a payment of it must match)."""
    order = order_id.removesuffix("/id")
    payment = {
        "order_id": order_id,
        "customer_id": f"{order}/customer_id",
        "currency": f"{order}/currency",
        "amount": f"{order}/outstanding",
    }
    return [
        ("GetOrder", ("get", ORDER), _params(path_order_id=order_id)),
        ("CreateIntent", ("post", CREATE_INTENT), {"requestBody": payment}),
        (
            "CreatePaymentLink",
            ("post", LINKS_OF_ORDER),
            {**_params(path_order_id=order_id), "requestBody": {"amount": f"{order}/outstanding"}},
        ),
        ("ListPaymentLinks", ("get", LINKS_OF_ORDER), _params(path_order_id=order_id)),
        ("ListPayments", ("get", f"{STRIPE}/payments"), _params(query_order_id=order_id)),
        ("Audit", ("get", AUDIT), _params(query_entity_id=order_id)),
    ]


def _payment_links(payment_id: str) -> list[Link]:
    """What can be done with a payment whose id the answer holds at `payment_id`."""
    by_id = _params(path_payment_id=payment_id)
    return [
        ("GetPayment", ("get", PAYMENT), by_id),
        ("CapturePayment", ("post", f"{STRIPE}/capture/{{payment_id}}"), by_id),
        ("CancelPayment", ("post", f"{STRIPE}/cancel/{{payment_id}}"), by_id),
        ("RefundPayment", ("post", f"{STRIPE}/refund/{{payment_id}}"), by_id),
        ("Audit", ("get", AUDIT), _params(query_entity_id=payment_id)),
    ]


def _confirm_link(intent_id: str, order_id: str) -> Link:
    body = {"payment_intent_id": intent_id, "order_id": order_id}
    return ("ConfirmPayment", ("post", f"{STRIPE}/confirm"), {"requestBody": body})


# (method, path, status) of an answer -> the links from it.
LINKS: dict[tuple[str, str, str], list[Link]] = {
    ("post", ORDERS, "201"): _order_links("$response.body#/id"),
    ("get", ORDER, "200"): _order_links("$response.body#/id")[1:],
    ("post", CREATE_INTENT, "200"): [
        *_payment_links("$response.body#/payment_id"),
        _confirm_link("$response.body#/payment_intent_id", "$request.body#/order_id"),
    ],
    ("post", f"{STRIPE}/confirm", "200"): _payment_links("$response.body#/id"),
    ("post", f"{STRIPE}/capture/{{payment_id}}", "200"): _payment_links("$response.body#/id"),
    ("post", f"{STRIPE}/cancel/{{payment_id}}", "200"): _payment_links("$response.body#/id")[:1],
    ("get", PAYMENT, "200"): _payment_links("$response.body#/id")[1:],
    ("post", f"{STRIPE}/refund/{{payment_id}}", "201"): [
        ("GetPayment", ("get", PAYMENT), _params(path_payment_id="$response.body#/payment_id")),
        ("Audit", ("get", AUDIT), _params(query_entity_id="$response.body#/id")),
    ],
    ("post", LINKS_OF_ORDER, "201"): [
        (
            "RevokePaymentLink",
            ("delete", LINK_OF_ORDER),
            _params(path_order_id="$response.body#/order_id", path_link_id="$response.body#/id"),
        ),
        (
            "ListPaymentLinks",
            ("get", LINKS_OF_ORDER),
            _params(path_order_id="$response.body#/order_id"),
        ),
        ("GetOrder", ("get", ORDER), _params(path_order_id="$response.body#/order_id")),
    ],
}


def finish(document: Document) -> Document:
    """Adds the links and drops null from parameters, in place; answers the document."""
    paths: dict[str, dict[str, Any]] = document["paths"]
    for operations in paths.values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                parameter["schema"] = _not_null(parameter["schema"])
    for (method, path, status), links in LINKS.items():
        response = paths[path][method]["responses"][status]
        response["links"] = {
            name: {"operationId": paths[target[1]][target[0]]["operationId"], **spec}
            for name, target, spec in links
        }
    return document


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    branches = schema.get("anyOf")
    if not branches or {"type": "null"} not in branches:
        return schema
    rest = [branch for branch in branches if branch != {"type": "null"}]
    outer = {key: value for key, value in schema.items() if key != "anyOf"}
    if len(rest) == 1:
        return {**rest[0], **outer}
    return {**outer, "anyOf": rest}


def install(app: FastAPI) -> None:
    """Makes `app.openapi()` answer the finished document (built once, then kept)."""
    build: Callable[[], Document] = app.openapi

    def openapi() -> Document:
        if app.openapi_schema is None:
            app.openapi_schema = finish(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
