"""The OpenAPI document is the contract other services build clients from: what it states here
must hold for every operation, not only the ones someone remembered."""

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from app.cli.export_openapi import openapi_document
from app.core.currencies import SUPPORTED_CURRENCIES
from app.core.errors import BEYOND_SCHEMA
from app.core.money import (
    AMOUNT_STRING,
    CURRENCY_PATTERN,
    POSITIVE_AMOUNT_STRING,
    AmountIn,
    MoneyError,
    parse_decimal,
    to_minor,
)
from app.core.settings import REPO_ROOT

DOCUMENT = openapi_document()
Operation = tuple[str, str, dict[str, Any]]


def operations() -> Iterator[Operation]:
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def by_operation_id(operation_id: str) -> dict[str, Any]:
    return next(op for _, _, op in operations() if op["operationId"] == operation_id)


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_operation_can_answer_an_unparseable_request() -> None:
    for method, path, operation in operations():
        assert "400" in operation["responses"], f"{method.upper()} {path}"


def test_every_operation_with_an_idempotency_key_can_answer_its_reuse() -> None:
    taking_keys = [
        (method, path, operation)
        for method, path, operation in operations()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    ]
    assert len(taking_keys) == 5  # orders, create-intent, capture, refunds, payment links
    for method, path, operation in taking_keys:
        assert "409" in operation["responses"], f"{method.upper()} {path}"


def test_no_parameter_may_be_null() -> None:
    for _, _, operation in operations():
        for parameter in operation.get("parameters", []):
            assert {"type": "null"} not in parameter["schema"].get("anyOf", []), parameter


def test_links_name_real_operations_parameters_and_fields() -> None:
    links = 0
    for method, path, operation in operations():
        for status, response in operation["responses"].items():
            for name, link in response.get("links", {}).items():
                links += 1
                where = f"{method.upper()} {path} {status} {name}"
                target = by_operation_id(link["operationId"])
                names = {f"{p['in']}.{p['name']}" for p in target.get("parameters", [])}
                assert set(link.get("parameters", {})) <= names, where
                if "requestBody" in link:
                    schema = resolve(target["requestBody"]["content"]["application/json"]["schema"])
                    assert set(link["requestBody"]) <= set(schema["properties"]), where
                for expression in [
                    *link.get("parameters", {}).values(),
                    *link.get("requestBody", {}).values(),
                ]:
                    assert re.fullmatch(r"\$(response|request)\.body#/[a-z_]+", expression), where
    assert links >= 30


def test_the_chain_order_payment_refund_is_linked() -> None:
    create_order = DOCUMENT["paths"]["/api/v1/orders"]["post"]["responses"]["201"]["links"]
    create_intent = DOCUMENT["paths"]["/api/v1/payments/stripe/create-intent"]["post"]
    assert create_order["CreateIntent"]["operationId"] == create_intent["operationId"]
    assert {"RefundPayment", "CapturePayment", "CancelPayment", "ConfirmPayment"} <= set(
        create_intent["responses"]["200"]["links"]
    )


def test_rules_beyond_the_schema_are_listed_on_422s_and_documented() -> None:
    api_md = (REPO_ROOT / "docs" / "api.md").read_text()
    listed = 0
    for method, path, operation in operations():
        for status, response in operation["responses"].items():
            if BEYOND_SCHEMA in response:
                assert status == "422", f"{method.upper()} {path}"
                for name in response[BEYOND_SCHEMA]:
                    listed += 1
                    assert f"`{name}`" in api_md, name
    assert listed > 0


@pytest.mark.parametrize("code", sorted(SUPPORTED_CURRENCIES))
def test_the_currency_pattern_is_the_supported_list_in_any_case(code: str) -> None:
    for variant in (code, code.upper(), code.capitalize()):
        assert re.fullmatch(CURRENCY_PATTERN, variant)


def test_the_currency_pattern_takes_nothing_else() -> None:
    for raw in ["xld", "AAA", "us", "usdd", " usd", "usd\n", ""]:
        assert not re.fullmatch(CURRENCY_PATTERN, raw), raw


AMOUNT_SAMPLES = [
    "0", "00", "5", "007", "5.5", "5.50", "5.500000000000", "5.05", "5.005", "5.0001",
    "0.01", "0.00", "0.001", "999999999999999", "9999999999999999", "1.1234567890123",
    "-1", " 1", "1 ", "1.", ".5", "1e3", "1,5", "\u0661\u0660",
]  # fmt: skip


class Priced(BaseModel):
    amount: AmountIn


def minor_units(raw: str, currency: str) -> int | None:
    """What the service makes of an amount string in a currency; None when it refuses it."""
    try:
        return to_minor(Priced(amount=raw).amount, currency)  # type: ignore[arg-type]
    except (ValidationError, MoneyError):
        return None


@pytest.mark.parametrize("raw", AMOUNT_SAMPLES)
def test_an_amount_string_the_document_refuses_is_refused_in_every_currency(raw: str) -> None:
    if re.fullmatch(AMOUNT_STRING, raw):
        return
    for currency in SUPPORTED_CURRENCIES:
        assert minor_units(raw, currency) is None, currency


@pytest.mark.parametrize("raw", AMOUNT_SAMPLES)
def test_an_amount_string_the_document_takes_is_taken_in_dollars(raw: str) -> None:
    if not re.fullmatch(AMOUNT_STRING, raw) or len(raw.split(".")[0]) > 10:
        return  # above 10 integer digits, a dollar amount is too large (a rule listed as beyond)
    assert minor_units(raw, "usd") is not None
    positive = parse_decimal(raw) > 0
    assert bool(re.fullmatch(POSITIVE_AMOUNT_STRING, raw)) is positive


def test_amount_numbers_are_stated_in_steps_of_a_hundredth() -> None:
    body = DOCUMENT["components"]["schemas"]["CreateIntentRequest"]["properties"]["amount"]
    number = next(b for b in body["anyOf"][0]["anyOf"] if b["type"] == "number")
    assert number["multipleOf"] == 0.01
    assert number["exclusiveMinimum"] == 0
    assert Decimal(number["maximum"]) == Decimal(999_999_999_999)
