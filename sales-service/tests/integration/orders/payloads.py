from typing import Any


def order_payload(customer_id: str, /, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "customer_id": customer_id,
        "currency": "usd",
        "lines": [
            {"sku": "CHAIR-01", "description": "Office chair", "quantity": 2, "unit_price": 149.99},
            {
                "sku": "DESK-07",
                "description": "Standing desk",
                "quantity": 1,
                "unit_price": "499.00",
            },
        ],
        "notes": "Deliver to loading bay 2",
    }
    payload.update(overrides)
    return payload
