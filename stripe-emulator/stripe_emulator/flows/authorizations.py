"""Uncaptured card authorizations: their deadline, their expiry, and aging them for tests.

Stripe cancels a PaymentIntent still in `requires_capture` once its charge's
`payment_method_details.card.capture_before` (authorization + 7 days) has passed. Since API
version 2025-03-31.basil that cancellation says `cancellation_reason: "expired"` (it was
`automatic`) and the released hold is no refund: the charge keeps `captured: false`,
`amount_refunded: 0`, `refunded: false`, and only `charge.expired` and
`payment_intent.canceled` go out. The deadline is a scheduled action, so it is saved with the
state and still fires after a restart.
"""

from __future__ import annotations

from stripe_emulator.clock import now
from stripe_emulator.errors import invalid_request
from stripe_emulator.events import EventLog
from stripe_emulator.objects.charge import AUTHORIZATION_VALIDITY_SECONDS
from stripe_emulator.scheduler import Scheduler
from stripe_emulator.store import JsonObject, Store

# Scheduled action kind (saved with the state, so keep the name stable).
EXPIRE_AUTHORIZATION = "payment_intent.expire_authorization"


class AuthorizationFlow:
    def __init__(self, store: Store, events: EventLog, scheduler: Scheduler) -> None:
        self._store = store
        self._events = events
        self._scheduler = scheduler
        scheduler.register(EXPIRE_AUTHORIZATION, self._expire_by_id)

    def hold(self, intent: JsonObject) -> None:
        """The intent has just reached `requires_capture`: arm its deadline."""
        capture_before = self._capture_before(self._charge(intent))
        self._scheduler.call_at(capture_before, EXPIRE_AUTHORIZATION, intent["id"])

    def release(self, intent: JsonObject) -> None:
        """Captured or canceled: the deadline no longer applies."""
        self._scheduler.cancel(EXPIRE_AUTHORIZATION, intent["id"])

    def age(self, intent: JsonObject, seconds: int) -> JsonObject:
        """As if the authorization had been made `seconds` earlier; expires it if now overdue."""
        if intent["status"] != "requires_capture":
            raise invalid_request(
                f"PaymentIntent {intent['id']} holds no authorization to age: its status is "
                f"{intent['status']}."
            )
        charge = self._charge(intent)
        capture_before = self._capture_before(charge) - seconds
        charge["payment_method_details"]["card"]["capture_before"] = capture_before
        charge["created"] -= seconds
        intent["created"] -= seconds
        self.release(intent)
        if capture_before <= now():
            self._expire(intent)
        else:
            self.hold(intent)
        return intent

    def age_all(self, seconds: int) -> list[JsonObject]:
        held = [
            intent
            for intent in self._store.payment_intents.values()
            if intent["status"] == "requires_capture"
        ]
        return [self.age(intent, seconds) for intent in held]

    def _expire_by_id(self, intent_id: str) -> None:
        self._expire(self._store.payment_intents[intent_id])

    def _expire(self, intent: JsonObject) -> None:
        if intent["status"] != "requires_capture":
            return
        self._events.emit("charge.expired", self._charge(intent))
        intent.update(
            status="canceled",
            canceled_at=now(),
            cancellation_reason="expired",
            amount_capturable=0,
        )
        self._events.emit("payment_intent.canceled", intent)

    def _charge(self, intent: JsonObject) -> JsonObject:
        return self._store.charges[intent["latest_charge"]]

    @staticmethod
    def _capture_before(charge: JsonObject) -> int:
        card = charge["payment_method_details"]["card"]
        # A state file saved before this field existed: the deadline Stripe would have set.
        deadline: int = card.setdefault(
            "capture_before", charge["created"] + AUTHORIZATION_VALIDITY_SECONDS
        )
        return deadline
