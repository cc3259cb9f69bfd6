"""HTTP endpoint for reading the audit trail (finance and admin)."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.audit.dependencies import AuditLogDep
from app.audit.schemas import AuditEntry
from app.core.auth import AuditRead
from app.core.errors import error_responses

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get(
    "",
    summary="The audit trail of one record (an order includes its payments and refunds)",
    responses=error_responses(401, 403, 422, 500, 503),
)
async def list_audit(
    principal: AuditRead,
    audit: AuditLogDep,
    entity_id: Annotated[str, Query(min_length=1, max_length=64)],
) -> list[AuditEntry]:
    return await audit.entries_for(entity_id)
