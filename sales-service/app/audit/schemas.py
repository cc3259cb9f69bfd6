"""Who did what to which record, and the audit entry as the API returns it."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from app.core.auth import Principal


class ActorType(StrEnum):
    USER = "user"
    SERVICE = "service"
    STRIPE = "stripe"
    SYSTEM = "system"
    # A payment link acting for the customer who holds it (id: the link's id).
    LINK = "link"


class Actor(BaseModel):
    type: ActorType
    id: str

    @classmethod
    def from_principal(cls, principal: Principal) -> "Actor":
        kind = ActorType.SERVICE if "service" in principal.roles else ActorType.USER
        return cls(type=kind, id=principal.subject)


STRIPE_ACTOR = Actor(type=ActorType.STRIPE, id="stripe")
SYSTEM_ACTOR = Actor(type=ActorType.SYSTEM, id="sales-service")


class AuditEntry(BaseModel):
    id: str
    actor: Actor
    action: str
    entity_type: str
    entity_id: str
    order_id: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    request_id: str | None = None
    at: datetime
