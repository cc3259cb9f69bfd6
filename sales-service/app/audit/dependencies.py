"""The audit log for a request, from the composition root."""

from typing import Annotated

from fastapi import Depends, Request

from app.audit.service import AuditLog
from app.composition import services


async def get_audit_log(request: Request) -> AuditLog:
    return services(request.app.state).audit


AuditLogDep = Annotated[AuditLog, Depends(get_audit_log)]
