"""The audit trail: every money-moving action and status change writes one entry."""

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.audit.repository import AuditRepository
from app.audit.schemas import Actor, AuditEntry
from app.core.request_id import current_request_id


class AuditLog:
    def __init__(self, repository: AuditRepository) -> None:
        self._repository = repository

    async def record(
        self,
        *,
        actor: Actor,
        action: str,
        entity_type: str,
        entity_id: str,
        order_id: str | None = None,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """`action` is dotted, e.g. `payment.intent_created`, `refund.settled`, `webhook.applied`.

        `before`/`after` hold only the fields that changed, in stored form (minor units).
        """
        await self._repository.insert(
            {
                "_id": f"aud_{uuid.uuid4().hex}",
                "actor": actor.model_dump(mode="json"),
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "order_id": order_id,
                "before": dict(before) if before is not None else None,
                "after": dict(after) if after is not None else None,
                "request_id": current_request_id(),
                "at": datetime.now(UTC),
            }
        )

    async def entries_for(self, entity_id: str, limit: int = 500) -> list[AuditEntry]:
        documents = await self._repository.find_for(entity_id, limit)
        return [AuditEntry(id=document.pop("_id"), **document) for document in documents]
