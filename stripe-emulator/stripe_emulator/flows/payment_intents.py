"""PaymentIntent life cycle: confirm, 3D Secure, decline, capture, cancel, update.

`requires_payment_method -> requires_confirmation -> requires_action -> processing ->
succeeded | requires_capture | canceled`; a failed attempt goes back to
`requires_payment_method` with `last_payment_error`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from stripe_emulator.cards import ChargeOutcome, Decline, TestCard
from stripe_emulator.clock import now
from stripe_emulator.errors import card_error, invalid_request, unexpected_state
from stripe_emulator.events import EventLog, changed_fields
from stripe_emulator.faults import FaultInjector
from stripe_emulator.flows.authorizations import AuthorizationFlow
from stripe_emulator.flows.balance import BalanceFlow
from stripe_emulator.flows.payment_methods import resolve_payment_method
from stripe_emulator.money import check_charge_amount, check_currency
from stripe_emulator.objects.charge import build_charge
from stripe_emulator.objects.payment_intent import build_payment_intent, requested_three_d_secure
from stripe_emulator.scheduler import Scheduler
from stripe_emulator.store import JsonObject, Store

CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
AUTHENTICATION_FAILURE = (
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data "
    "or a new PaymentMethod to attempt to fulfill this PaymentIntent again."
)
RETURN_URL_REQUIRED = (
    "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. "
    "Because some of these payment methods might redirect your customer off of your page, you "
    "must provide a `return_url`. If you don't want to accept redirect-based payment methods, "
    "set `automatic_payment_methods[enabled]` to `true` and "
    "`automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and "
    "Payment Intents."
)
# Stripe's words for a capture above the authorization (accounts without over-capture).
OVER_CAPTURE = (
    "The payment could not be captured because the requested capture amount is greater than the "
    "authorized amount. If you are trying to collect a tip or over-capture, your account might "
    "not be configured for those features. Contact us via https://support.stripe.com/contact/"
)
_DISPUTE_DELAY_SECONDS = 0.5
# Scheduled action kinds (saved with the state, so keep the names stable).
SETTLE_CHARGE = "charge.settle"
OPEN_DISPUTE = "charge.open_dispute"


def _statuses(statuses: tuple[str, ...]) -> str:
    return ", ".join(statuses)


class PaymentIntentFlow:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        scheduler: Scheduler,
        faults: FaultInjector,
        authorizations: AuthorizationFlow,
        balance: BalanceFlow,
        open_dispute: Callable[[JsonObject], None],
    ) -> None:
        self._store = store
        self._events = events
        self._scheduler = scheduler
        self._faults = faults
        self._authorizations = authorizations
        self._balance = balance
        self._open_dispute = open_dispute
        scheduler.register(SETTLE_CHARGE, self._settle_charge)
        scheduler.register(OPEN_DISPUTE, self._open_dispute_on)

    # -- create / update ---------------------------------------------------------------------

    def create(self, params: dict[str, Any], *, base_url: str) -> JsonObject:
        params = {**params, "currency": check_currency(params["currency"])}
        check_charge_amount(params["amount"], params["currency"])
        if "automatic_payment_methods" in params and "payment_method_types" in params:
            raise invalid_request(
                "You may only specify one of these parameters: automatic_payment_methods, "
                "payment_method_types."
            )
        _check_payment_method_types(params.get("payment_method_types"))
        intent = build_payment_intent(params)
        if "payment_method" in params:
            payment_method = resolve_payment_method(self._store, params["payment_method"])
            intent["payment_method"] = payment_method["id"]
            intent["status"] = "requires_confirmation"
        self._store.payment_intents[intent["id"]] = intent
        self._events.emit("payment_intent.created", intent)
        if params.get("confirm"):
            confirm_params: dict[str, Any] = {
                key: params[key] for key in ("return_url", "use_stripe_sdk") if key in params
            }
            return self.confirm(intent, confirm_params, secret_key=True, base_url=base_url)
        return intent

    def update(self, intent: JsonObject, params: dict[str, Any]) -> JsonObject:
        payment_fields = {"amount", "currency", "payment_method", "payment_method_types",
                          "capture_method"} & params.keys()  # fmt: skip
        if intent["status"] == "canceled" or (
            payment_fields and intent["status"] not in CONFIRMABLE
        ):
            raise unexpected_state(
                f"You cannot update this PaymentIntent because it has a status of "
                f"{intent['status']}. Updates to {', '.join(sorted(payment_fields)) or 'it'} are "
                f"only allowed while its status is one of: {_statuses(CONFIRMABLE)}.",
                extra={"payment_intent": copy.deepcopy(intent)},
            )
        if "currency" in params:
            intent["currency"] = check_currency(params["currency"])
        if "amount" in params:
            check_charge_amount(params["amount"], intent["currency"])
            intent["amount"] = params["amount"]
        if "payment_method_types" in params:
            _check_payment_method_types(params["payment_method_types"])
            intent["payment_method_types"] = params["payment_method_types"]
            intent["automatic_payment_methods"] = None
        for key in ("customer", "description", "receipt_email", "statement_descriptor_suffix",
                    "capture_method"):  # fmt: skip
            if key in params:
                intent[key] = params[key]
        if "metadata" in params:
            intent["metadata"] = _merged_metadata(intent["metadata"], params["metadata"])
        requested = requested_three_d_secure(params)
        if requested is not None:
            intent["payment_method_options"]["card"]["request_three_d_secure"] = requested
        if "payment_method" in params:
            payment_method = resolve_payment_method(self._store, params["payment_method"])
            intent["payment_method"] = payment_method["id"]
        if payment_fields and intent["status"] in CONFIRMABLE:
            intent["next_action"] = None
            intent["status"] = (
                "requires_confirmation" if intent["payment_method"] else "requires_payment_method"
            )
        return intent

    # -- confirm / 3D Secure -----------------------------------------------------------------

    def confirm(
        self, intent: JsonObject, params: dict[str, Any], *, secret_key: bool, base_url: str
    ) -> JsonObject:
        if intent["status"] not in CONFIRMABLE:
            raise unexpected_state(
                f"You cannot confirm this PaymentIntent because it has a status of "
                f"{intent['status']}. Only a PaymentIntent with one of the following statuses "
                f"may be confirmed: {_statuses(CONFIRMABLE)}.",
                extra={"payment_intent": copy.deepcopy(intent)},
            )
        if "payment_method" in params:
            payment_method = resolve_payment_method(self._store, params["payment_method"])
            intent["payment_method"] = payment_method["id"]
        if intent["payment_method"] is None:
            raise unexpected_state(
                "You cannot confirm this PaymentIntent because it's missing a payment method. "
                "You can either update the PaymentIntent with a payment method and then confirm "
                "it again, or confirm it again directly with a payment method.",
                extra={"payment_intent": copy.deepcopy(intent)},
            )
        automatic = intent["automatic_payment_methods"]
        redirects_allowed = automatic is not None and automatic.get("allow_redirects") == "always"
        if secret_key and redirects_allowed and not params.get("return_url") \
                and not params.get("use_stripe_sdk"):  # fmt: skip
            raise invalid_request(RETURN_URL_REQUIRED)
        for key in ("receipt_email", "capture_method"):
            if key in params:
                intent[key] = params[key]
        requested = requested_three_d_secure(params)
        if requested is not None:
            intent["payment_method_options"]["card"]["request_three_d_secure"] = requested
        payment_method = self._store.payment_methods[intent["payment_method"]]
        card = self._store.cards[payment_method["id"]]
        if _needs_authentication(card, intent):
            return self._require_action(intent, payment_method, params, base_url)
        return self._attempt_charge(intent, payment_method, card, authenticated=False)

    def _require_action(
        self, intent: JsonObject, payment_method: JsonObject, params: dict[str, Any], base_url: str
    ) -> JsonObject:
        challenge_url = f"{base_url}/_emulator/3ds/{intent['id']}"
        return_url = params.get("return_url")
        if return_url and not params.get("use_stripe_sdk"):
            query = urlencode({"client_secret": intent["client_secret"], "return_url": return_url})
            intent["next_action"] = {
                "type": "redirect_to_url",
                "redirect_to_url": {"return_url": return_url, "url": f"{challenge_url}?{query}"},
            }
        else:
            intent["next_action"] = {
                "type": "use_stripe_sdk",
                "use_stripe_sdk": {
                    "type": "three_d_secure_redirect",
                    "source": payment_method["id"],
                    "stripe_js": challenge_url,
                },
            }
        intent["last_payment_error"] = None
        intent["status"] = "requires_action"
        self._events.emit("payment_intent.requires_action", intent)
        return intent

    def finish_challenge(self, intent: JsonObject, *, authenticated: bool) -> JsonObject:
        """The customer completed (or failed) the 3D Secure challenge."""
        if intent["status"] != "requires_action":
            raise unexpected_state(
                f"This PaymentIntent has no pending 3D Secure challenge: its status is "
                f"{intent['status']}.",
                extra={"payment_intent": copy.deepcopy(intent)},
            )
        payment_method = self._store.payment_methods[intent["payment_method"]]
        intent["next_action"] = None
        if authenticated:
            card = self._store.cards[payment_method["id"]]
            return self._attempt_charge(intent, payment_method, card, authenticated=True)
        intent["last_payment_error"] = {
            "code": "payment_intent_authentication_failure",
            "doc_url": "https://docs.stripe.com/error-codes/payment-intent-authentication-failure",
            "message": AUTHENTICATION_FAILURE,
            "payment_method": copy.deepcopy(payment_method),
            "type": "invalid_request_error",
        }
        intent["payment_method"] = None
        intent["status"] = "requires_payment_method"
        self._events.emit("payment_intent.payment_failed", intent)
        return intent

    # -- charging ------------------------------------------------------------------------------

    def _attempt_charge(
        self, intent: JsonObject, payment_method: JsonObject, card: TestCard, *, authenticated: bool
    ) -> JsonObject:
        decline = card.decline if card.outcome is not ChargeOutcome.SUCCEED and (
            card.outcome is ChargeOutcome.DECLINE or authenticated
        ) else None  # fmt: skip
        manual = intent["capture_method"] == "manual"
        charge = build_charge(
            intent,
            payment_method,
            decline=decline,
            captured=not manual,
            authenticated=authenticated,
        )
        self._store.charges[charge["id"]] = charge
        intent["latest_charge"] = charge["id"]
        if decline is not None:
            self._fail(intent, payment_method, charge, decline)
        processing_ms = self._faults.settings.processing_ms
        if processing_ms > 0:
            charge.update(status="pending", paid=False)
            intent["status"] = "processing"
            intent["processing"] = {"type": "card", "card": {}}
            self._events.emit("payment_intent.processing", intent)
            self._scheduler.call_later(processing_ms / 1000, SETTLE_CHARGE, charge["id"])
            return intent
        self._settle(intent, charge, card)
        return intent

    def _fail(
        self, intent: JsonObject, payment_method: JsonObject, charge: JsonObject, decline: Decline
    ) -> None:
        error: JsonObject = {
            "charge": charge["id"],
            "code": decline.code,
            "decline_code": decline.decline_code,
            "doc_url": f"https://docs.stripe.com/error-codes/{decline.code.replace('_', '-')}",
            "message": decline.message,
            "payment_method": copy.deepcopy(payment_method),
            "type": "card_error",
        }
        if decline.param:
            error["param"] = decline.param
        intent["last_payment_error"] = error
        intent["payment_method"] = None
        intent["status"] = "requires_payment_method"
        self._events.emit("charge.failed", charge)
        self._events.emit("payment_intent.payment_failed", intent)
        raise card_error(
            decline.message,
            code=decline.code,
            param=decline.param,
            decline_code=decline.decline_code,
            extra={
                "charge": charge["id"],
                "payment_intent": copy.deepcopy(intent),
                "payment_method": copy.deepcopy(payment_method),
            },
        )

    def _settle(self, intent: JsonObject, charge: JsonObject, card: TestCard) -> None:
        if intent["status"] == "canceled":
            return
        charge.update(status="succeeded", paid=True)
        intent["processing"] = None
        intent["last_payment_error"] = None
        # Money moves only once it is captured: an authorization has no balance transaction.
        moved = [self._balance.record_charge(charge)] if charge["captured"] else []
        self._events.emit("charge.succeeded", charge)
        if intent["capture_method"] == "manual":
            intent["amount_capturable"] = intent["amount"]
            intent["status"] = "requires_capture"
            self._authorizations.hold(intent)
            self._events.emit("payment_intent.amount_capturable_updated", intent)
        else:
            intent["amount_received"] = intent["amount"]
            intent["status"] = "succeeded"
            self._events.emit("payment_intent.succeeded", intent)
            self._dispute_later(charge, card)
        self._balance.announce(moved)

    def _dispute_later(self, charge: JsonObject, card: TestCard | None) -> None:
        if card is not None and card.disputed:
            self._scheduler.call_later(_DISPUTE_DELAY_SECONDS, OPEN_DISPUTE, charge["id"])

    def _settle_charge(self, charge_id: str) -> None:
        charge = self._store.charges[charge_id]
        intent = self._store.payment_intents[charge["payment_intent"]]
        self._settle(intent, charge, self._store.cards[charge["payment_method"]])

    def _open_dispute_on(self, charge_id: str) -> None:
        self._open_dispute(self._store.charges[charge_id])

    # -- capture / cancel ----------------------------------------------------------------------

    def capture(self, intent: JsonObject, amount_to_capture: int | None) -> JsonObject:
        """Takes `amount_to_capture` (default: all) and releases the rest of the hold.

        As at Stripe since API version 2025-03-31.basil, the released rest is no refund: the
        charge's `amount_refunded` stays 0 and only `amount_captured` says what was taken.
        """
        _check_capturable(intent)
        capturable = intent["amount_capturable"]
        amount = capturable if amount_to_capture is None else amount_to_capture
        if amount > capturable:
            raise invalid_request(
                OVER_CAPTURE,
                code="amount_too_large",
                param="amount_to_capture",
                extra={"payment_intent": copy.deepcopy(intent)},
            )
        charge = self._store.charges[intent["latest_charge"]]
        before = copy.deepcopy(charge)
        charge.update(captured=True, amount_captured=amount)
        # One balance transaction, of the captured amount (since 2025-03-31.basil).
        moved = self._balance.record_charge(charge)
        self._authorizations.release(intent)
        self._events.emit("charge.captured", charge, changed_fields(before, charge))
        intent.update(amount_capturable=0, amount_received=amount, status="succeeded")
        self._events.emit("payment_intent.succeeded", intent)
        self._dispute_later(charge, self._store.cards.get(charge["payment_method"]))
        self._balance.announce([moved])
        return intent

    def cancel(self, intent: JsonObject, reason: str | None) -> JsonObject:
        if intent["status"] not in CANCELABLE:
            raise unexpected_state(
                f"You cannot cancel this PaymentIntent because it has a status of "
                f"{intent['status']}. Only a PaymentIntent with one of the following statuses "
                f"may be canceled: {_statuses(CANCELABLE)}.",
                extra={"payment_intent": copy.deepcopy(intent)},
            )
        if intent["status"] == "requires_capture":
            # Releasing the hold leaves the charge as it was: uncaptured, nothing refunded.
            self._authorizations.release(intent)
        intent.update(
            status="canceled",
            canceled_at=now(),
            cancellation_reason=reason,
            amount_capturable=0,
            next_action=None,
            processing=None,
        )
        self._events.emit("payment_intent.canceled", intent)
        return intent


def _check_capturable(intent: JsonObject) -> None:
    status = intent["status"]
    if status == "requires_capture":
        return
    if status == "succeeded":
        message = "This PaymentIntent could not be captured because it has already been captured."
    else:
        message = (
            f"This PaymentIntent could not be captured because it has a status of {status}. "
            "Only a PaymentIntent with one of the following statuses may be captured: "
            "requires_capture."
        )
    raise unexpected_state(message, extra={"payment_intent": copy.deepcopy(intent)})


def _needs_authentication(card: TestCard, intent: JsonObject) -> bool:
    """3D Secure cards always ask; with `request_three_d_secure` any/challenge, every card does."""
    if card.outcome in (ChargeOutcome.AUTHENTICATE, ChargeOutcome.AUTHENTICATE_THEN_DECLINE):
        return True
    requested = intent["payment_method_options"]["card"]["request_three_d_secure"]
    return bool(requested in ("any", "challenge") and card.outcome is ChargeOutcome.SUCCEED)


def _merged_metadata(current: dict[str, str], update: dict[str, str]) -> dict[str, str]:
    if not update:
        return {}
    merged = {**current, **update}
    return {key: value for key, value in merged.items() if value != ""}


def _check_payment_method_types(types: list[str] | None) -> None:
    for index, method_type in enumerate(types or []):
        if method_type != "card":
            raise invalid_request(
                f"The payment method type provided: {method_type} is invalid. This emulator "
                "supports only card.",
                param=f"payment_method_types[{index}]",
            )
