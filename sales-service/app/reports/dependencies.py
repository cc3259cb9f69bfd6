"""Builds the reports service per request from the shared database handle."""

from typing import Annotated

from fastapi import Depends

from app.infra.mongo import Database
from app.reports.repository import ReportsRepository
from app.reports.service import ReportsService


def get_reports_service(database: Database) -> ReportsService:
    return ReportsService(ReportsRepository(database))


ReportsServiceDep = Annotated[ReportsService, Depends(get_reports_service)]
