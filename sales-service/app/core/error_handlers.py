"""Exception handlers that turn every failure into the one error shape of `app.core.errors`."""

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException
from starlette.routing import Match

from app.core.errors import (
    AppError,
    ErrorDetail,
    ServiceUnavailable,
    ValidationFailed,
    error_class_for_status,
    error_payload,
)
from app.core.request_id import current_request_id

_LOCATIONS = {"body", "query", "path", "header", "cookie"}


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or current_request_id() or "-"


def _render(request: Request, error: AppError) -> JSONResponse:
    payload = error_payload(error.code, error.message, _request_id(request), error.details)
    return JSONResponse(payload, status_code=error.status_code, headers=error.headers or None)


async def handle_app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)  # noqa: S101 - registered for AppError only
    return _render(request, exc)


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    details = [validation_detail(error) for error in exc.errors()]
    return _render(request, ValidationFailed(details=details))


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own errors: unknown routes (404), wrong methods (405), unreadable bodies."""
    assert isinstance(exc, HTTPException)  # noqa: S101
    cls = error_class_for_status(exc.status_code)
    if cls is None:
        payload = error_payload("http_error", str(exc.detail), _request_id(request))
        return JSONResponse(payload, status_code=exc.status_code, headers=exc.headers)
    error = cls()
    error.headers = {**error.headers, **(exc.headers or {})}
    if exc.status_code == 405:
        error.headers["Allow"] = ", ".join(_allowed_methods(request))
    return _render(request, error)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette names only the first route's."""
    methods: set[str] = set()
    for route in _leaf_routes(request.app.router.routes):
        match, _ = route.matches({**request.scope, "method": "GET"})
        route_methods = getattr(route, "methods", None)
        if match is not Match.NONE and route_methods:
            methods |= route_methods
    return sorted(methods)


async def handle_database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    return _render(request, ServiceUnavailable())


def _leaf_routes(routes: Iterable[Any]) -> Iterator[Any]:
    """The routes themselves: FastAPI keeps an included router as one entry holding its own."""
    for route in routes:
        candidates = getattr(route, "effective_candidates", None)
        if callable(candidates):
            yield from _leaf_routes(candidates())
        else:
            yield route


def validation_detail(error: Any) -> ErrorDetail:
    """Pydantic's error dict -> `{field, location, message, type}` with a dotted field path."""
    loc = [str(part) for part in error.get("loc", ())]
    location = loc[0] if loc and loc[0] in _LOCATIONS else "body"
    path = loc[1:] if loc and loc[0] in _LOCATIONS else loc
    if error.get("type") == "json_invalid":
        reason = error.get("ctx", {}).get("error", "invalid JSON")
        return ErrorDetail(
            field=location,
            location=location,
            message=f"Malformed JSON: {reason}",
            type="json_invalid",
        )
    return ErrorDetail(
        field=".".join(path) or location,
        location=location,
        message=str(error.get("msg", "Invalid value")),
        type=str(error.get("type", "value_error")),
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, handle_app_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(HTTPException, handle_http_exception)
    app.add_exception_handler(ConnectionFailure, handle_database_unavailable)
