"""Making, listing and revoking links from the order's side, and what the public side answers
for tokens that do not pay."""

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.integration.conftest import Headers
from tests.integration.payment_links.links import (
    LinkStack,
    create_link,
    list_links,
    made_link,
    revoke,
    start,
    token_of,
    view,
)
from tests.integration.stripe_support import create_order

NOT_FOUND = {
    "code": "payment_link_not_found",
    "message": "This payment link is not valid. Ask the merchant for a new one.",
}


@pytest.fixture
def sales(as_role: Callable[..., Headers]) -> Headers:
    return as_role("sales")


async def test_a_link_defaults_to_the_outstanding_balance_and_seven_days(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="80.00")
    before = datetime.now(UTC)
    link = await made_link(links.api, sales, order["id"])

    assert link["status"] == "active"
    assert (link["amount"], link["amount_minor"], link["currency"]) == (80, 8000, "usd")
    assert link["id"].startswith("plink_")
    assert link["payment_id"] is None
    assert link["email_status"] is None
    expires = datetime.fromisoformat(link["expires_at"])
    assert (
        timedelta(days=7) - timedelta(seconds=5) <= expires - before <= timedelta(days=7, seconds=5)
    )
    token = token_of(link)
    assert len(token) >= 43, "at least 256 bits of urlsafe base64"


async def test_only_the_tokens_hash_is_stored(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="10.00")
    link = await made_link(links.api, sales, order["id"])
    token = token_of(link)
    stored = await links.database.payment_links.find_one({"_id": link["id"]})
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored)
    audit = await links.database.audit.find({"entity_id": link["id"]}).sort("at", 1).to_list()
    assert [entry["action"] for entry in audit] == ["payment_link.created"]
    assert token not in repr(audit)


async def test_an_amount_and_an_expiry_may_be_chosen(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="200.00")
    link = await made_link(links.api, sales, order["id"], amount="50.25", expires_in_hours=1)
    assert link["amount_minor"] == 5025
    expires = datetime.fromisoformat(link["expires_at"])
    assert expires - datetime.now(UTC) <= timedelta(hours=1)


@pytest.mark.parametrize(
    ("fields", "field", "error_type"),
    [
        ({"amount": "200.01"}, "amount", "amount_exceeds_outstanding"),
        ({"amount": "1.001"}, "amount", "decimal_places"),
        ({"amount": 0}, "amount", "greater_than"),
        ({"expires_in_hours": 0}, "expires_in_hours", "greater_than_equal"),
        ({"expires_in_hours": 721}, "expires_in_hours", "less_than_equal"),
        ({"email": "not-an-address"}, "email", "string_pattern_mismatch"),
        ({"email": "buyer@example.com\n"}, "email", "string_pattern_mismatch"),
        ({"amount": "0"}, "amount", "greater_than"),  # once a schema-valid string
        ({"expires_in_hours": "24"}, "expires_in_hours", "int_type"),
        ({"expires_in_hours": 24.5}, "expires_in_hours", "int_from_float"),
    ],
)
async def test_amounts_and_expiries_outside_the_rules_are_refused(
    links: LinkStack,
    sales: Headers,
    customer_id: str,
    fields: dict[str, Any],
    field: str,
    error_type: str,
) -> None:
    order = await create_order(links.api, sales, customer_id, total="200.00")
    response = await create_link(links.api, sales, order["id"], **fields)
    assert response.status_code == 422, response.text
    (detail,) = response.json()["error"]["details"]
    assert (detail["field"], detail["type"]) == (field, error_type)


async def test_an_expiry_written_as_a_whole_number_with_a_fraction_is_taken(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    # JSON Schema's `integer` counts 336.0 as 336, and so does the service (it was a 422).
    order = await create_order(links.api, sales, customer_id, total="20.00")
    link = await made_link(links.api, sales, order["id"], expires_in_hours=336.0)
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(hours=335) < expires - datetime.now(UTC) <= timedelta(hours=336)


async def test_a_zero_decimal_currency_takes_whole_amounts_only(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="5000", currency="jpy")
    assert (await create_link(links.api, sales, order["id"], amount="10.5")).status_code == 422
    link = await made_link(links.api, sales, order["id"], amount="1200")
    assert (link["amount_minor"], link["currency"]) == (1200, "jpy")


async def test_a_replay_answers_the_same_link_without_its_url(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="30.00")
    key = {**sales, "Idempotency-Key": uuid.uuid4().hex}
    first = await create_link(links.api, key, order["id"], amount="10.00")
    again = await create_link(links.api, key, order["id"], amount="10.00")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["url"] is not None
    assert again.json()["url"] is None
    other = await create_link(links.api, key, order["id"], amount="11.00")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(await list_links(links.api, sales, order["id"])) == 1


async def test_the_list_shows_each_links_state_newest_first(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="90.00")
    old = await made_link(links.api, sales, order["id"], amount="10.00")
    revoked = await made_link(links.api, sales, order["id"], amount="20.00")
    active = await made_link(links.api, sales, order["id"], amount="30.00")
    await links.database.payment_links.update_one(
        {"_id": old["id"]}, {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}}
    )
    assert (await revoke(links.api, sales, order["id"], revoked["id"])).status_code == 200

    listed = await list_links(links.api, sales, order["id"])
    assert [(link["id"], link["status"]) for link in listed] == [
        (active["id"], "active"),
        (revoked["id"], "revoked"),
        (old["id"], "expired"),
    ]
    assert all(link["url"] is None for link in listed)


async def test_revoking_is_idempotent_audited_and_ends_the_public_page(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="15.00")
    link = await made_link(links.api, sales, order["id"])
    token = token_of(link)
    assert (await view(links.api, token)).status_code == 200

    first = await revoke(links.api, sales, order["id"], link["id"])
    second = await revoke(links.api, sales, order["id"], link["id"])
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["status"] == second.json()["status"] == "revoked"
    assert first.json()["revoked_at"] == second.json()["revoked_at"]
    gone = await view(links.api, token)
    assert (gone.status_code, gone.json()["error"]["code"]) == (404, "payment_link_not_found")
    assert (await start(links.api, token)).status_code == 404
    audit = await links.database.audit.find({"entity_id": link["id"]}).sort("at", 1).to_list()
    assert [entry["action"] for entry in audit] == ["payment_link.created", "payment_link.revoked"]
    assert audit[1]["actor"] == {"type": "user", "id": "user-sales"}


async def test_a_link_of_another_order_is_not_found(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="15.00")
    other = await create_order(links.api, sales, customer_id, total="15.00")
    link = await made_link(links.api, sales, order["id"])
    assert (await revoke(links.api, sales, other["id"], link["id"])).status_code == 404
    assert (await revoke(links.api, sales, order["id"], "plink_nope")).status_code == 404
    assert (await create_link(links.api, sales, "ord_missing")).status_code == 404


async def test_a_paid_order_takes_no_link(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="0")
    response = await create_link(links.api, sales, order["id"])
    assert (response.status_code, response.json()["error"]["code"]) == (409, "order_already_paid")


async def test_wrong_expired_and_revoked_tokens_all_get_the_same_404(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="25.00")
    expired = await made_link(links.api, sales, order["id"], amount="5.00")
    revoked = await made_link(links.api, sales, order["id"], amount="5.00")
    await links.database.payment_links.update_one(
        {"_id": expired["id"]}, {"$set": {"expires_at": datetime.now(UTC) - timedelta(minutes=1)}}
    )
    await revoke(links.api, sales, order["id"], revoked["id"])
    live = token_of(await made_link(links.api, sales, order["id"], amount="5.00"))
    tokens = [
        token_of(expired),
        token_of(revoked),
        live[:-1] + ("A" if live[-1] != "A" else "B"),  # one character off
        live[:20],  # too short
        "x" * 300,  # too long
        "not a token!",
        "%00",
    ]
    bodies = []
    for token in tokens:
        for call in (view, start):
            response = await call(links.api, token)
            assert response.status_code == 404, (token, response.text)
            error = response.json()["error"]
            bodies.append({"code": error["code"], "message": error["message"]})
    assert all(body == NOT_FOUND for body in bodies)


async def test_who_may_make_list_and_revoke_links(
    links: LinkStack, as_role: Callable[..., Headers], customer_id: str
) -> None:
    order = await create_order(links.api, as_role("sales"), customer_id, total="40.00")
    for headers in (
        as_role("finance"),
        as_role("admin"),
        as_role("service", scope="payments:write payments:read"),
    ):
        link = await made_link(links.api, headers, order["id"], amount="1.00")
        assert (await revoke(links.api, headers, order["id"], link["id"])).status_code == 200
        await list_links(links.api, headers, order["id"])
    reader = as_role("service", scope="payments:read")
    assert (await create_link(links.api, reader, order["id"])).status_code == 403
    assert (await revoke(links.api, reader, order["id"], "plink_x")).status_code == 403
    await list_links(links.api, reader, order["id"])
    assert (await create_link(links.api, {}, order["id"])).status_code == 401
    assert (await links.api.get(f"/api/v1/orders/{order['id']}/payment-links")).status_code == 401
