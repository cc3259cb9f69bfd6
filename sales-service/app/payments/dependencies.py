"""The payment service and the CSV export for a request, from the composition root."""

from typing import Annotated

from fastapi import Depends, Request

from app.composition import services
from app.payments.export import PaymentExport
from app.payments.service import PaymentService


async def get_payment_service(request: Request) -> PaymentService:
    return services(request.app.state).payments


PaymentServiceDep = Annotated[PaymentService, Depends(get_payment_service)]


async def get_payment_export(request: Request) -> PaymentExport:
    return services(request.app.state).payment_export


PaymentExportDep = Annotated[PaymentExport, Depends(get_payment_export)]
