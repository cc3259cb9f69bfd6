"""The audit entries of a link's making and revocation, written once each.

Each is written after the change it records; a crash between the two leaves the change without
its entry, so a retry of the request (a replayed create, a repeated revoke) writes the entry if
it is still missing, rather than never or twice.
"""

from collections.abc import Mapping
from typing import Any

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.payment_links.models import PaymentLink

CREATED = "payment_link.created"
REVOKED = "payment_link.revoked"


class LinkAudit:
    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    async def created(self, link: PaymentLink, actor: Actor) -> None:
        after = {
            "amount_minor": link.amount_minor,
            "currency": link.currency,
            "expires_at": link.expires_at.isoformat(),
            "email": link.email,
        }
        await self._once(CREATED, link, actor, None, after)

    async def revoked(self, link: PaymentLink, actor: Actor) -> None:
        revoked_at = link.revoked_at.isoformat() if link.revoked_at else None
        after = {"revoked_at": revoked_at, "payment_id": link.payment_id}
        await self._once(REVOKED, link, actor, {"revoked_at": None}, after)

    async def _once(
        self,
        action: str,
        link: PaymentLink,
        actor: Actor,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any],
    ) -> None:
        if any(entry.action == action for entry in await self._audit.entries_for(link.id)):
            return
        await self._audit.record(
            actor=actor,
            action=action,
            entity_type="payment_link",
            entity_id=link.id,
            order_id=link.order_id,
            before=before,
            after=after,
        )
