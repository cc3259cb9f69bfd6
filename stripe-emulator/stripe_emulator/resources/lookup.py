"""Loading an object named in the path, or Stripe's `resource_missing` 404."""

from __future__ import annotations

from stripe_emulator.errors import resource_missing
from stripe_emulator.store import JsonObject


def find_or_404(objects: dict[str, JsonObject], object_id: str, object_name: str) -> JsonObject:
    found = objects.get(object_id)
    if found is None:
        raise resource_missing(object_name, object_id)
    return found
