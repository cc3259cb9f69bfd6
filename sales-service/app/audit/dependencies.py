"""Builds the audit log from the shared database handle."""

from typing import Annotated

from fastapi import Depends

from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.infra.mongo import Database


def get_audit_log(database: Database) -> AuditLog:
    return AuditLog(AuditRepository(database))


AuditLogDep = Annotated[AuditLog, Depends(get_audit_log)]
