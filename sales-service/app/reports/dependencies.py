"""The reports service for a request, from the composition root."""

from typing import Annotated

from fastapi import Depends, Request

from app.composition import services
from app.reports.service import ReportsService


async def get_reports_service(request: Request) -> ReportsService:
    return services(request.app.state).reports


ReportsServiceDep = Annotated[ReportsService, Depends(get_reports_service)]
