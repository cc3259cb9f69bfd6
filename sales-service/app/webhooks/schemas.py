"""The Stripe event envelope we accept, the inbox entry and the answer Stripe gets."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.core.numbers import whole_number

MAX_CREATED = 32_503_680_000  # an event's `created`, up to the year 3000


class EventData(BaseModel):
    model_config = ConfigDict(extra="ignore")

    object: dict[str, Any]


class StripeEvent(BaseModel):
    """The fields of Stripe's event envelope we rely on; the rest is kept in the raw payload."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, Field(min_length=1, max_length=255)]
    object: Literal["event"]
    type: Annotated[str, Field(min_length=1, max_length=255)]
    # As the document states them: `"123"` is not a time, `"true"` not a boolean.
    created: Annotated[int, Field(ge=0, le=MAX_CREATED), BeforeValidator(whole_number)]
    livemode: Annotated[bool, Field(strict=True)] = False
    account: str | None = None  # set on events of a connected account
    data: EventData

    @property
    def object_id(self) -> str | None:
        value = self.data.object.get("id")
        return value if isinstance(value, str) else None


class InboxState(StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"


class Outcome(StrEnum):
    """What processing an event did: changed (or confirmed) one of our records, or nothing."""

    APPLIED = "applied"
    UNMATCHED = "unmatched"  # a handled type about an object that is not ours
    REJECTED = "rejected"  # claims to be about ours but does not match Stripe or our records
    IGNORED = "ignored"  # a type we do not act on


class InboxEntry(BaseModel):
    """One stored event (`_id` = Stripe's event id), as the inbox repository holds it."""

    id: str
    type: str
    object_id: str | None
    livemode: bool
    created: datetime
    payload: str = Field(description="The raw JSON body exactly as Stripe signed it")
    received_at: datetime
    state: InboxState
    outcome: Outcome | None = None
    processed_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime
    lease_owner: str | None = None
    lease_until: datetime

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> "InboxEntry":
        return cls.model_validate({**document, "id": document["_id"]})


class ReceiptStatus(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    QUEUED = "queued"


class WebhookReceipt(BaseModel):
    received: Literal[True] = True
    event_id: str = Field(examples=["evt_1PqR2sT3uV4wX5yZ"])
    type: str = Field(examples=["payment_intent.succeeded"])
    status: ReceiptStatus = Field(
        description="queued: stored, applied right after this answer (by this process's "
        "workers, or by the background sweep); duplicate: seen before, nothing done. "
        "processed is never answered to a webhook: it is what the events sync reports of an "
        "event it stored and applied at once"
    )
    outcome: Outcome | None = Field(
        default=None,
        description="For processed events: applied, unmatched, ignored, or rejected (it named "
        "one of our records but did not match it or Stripe; nothing moved, a person is told)",
    )
