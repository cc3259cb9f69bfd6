"""Every error, from any layer, has the same JSON shape and carries the request id."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel, Field

from app.core.errors import Conflict, ErrorDetail, Forbidden, NotFound, ValidationFailed
from app.main import create_app
from tests.support import make_settings


class Thing(BaseModel):
    name: str = Field(min_length=1)
    count: int = Field(gt=0)


@pytest.fixture
def app() -> FastAPI:
    app = create_app(make_settings())

    @app.get("/raise/{kind}")
    async def raise_error(kind: str) -> None:
        errors = {
            "conflict": Conflict("Order changed meanwhile."),
            "forbidden": Forbidden(),
            "missing": NotFound("No such thing."),
            "invalid": ValidationFailed(
                details=[ErrorDetail(field="x", location="body", message="bad", type="custom")]
            ),
        }
        if kind in errors:
            raise errors[kind]
        raise RuntimeError("secret internals: password=hunter2")

    @app.post("/things")
    async def create_thing(thing: Thing) -> Thing:
        return thing

    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app), base_url="http://test") as client:
        yield client


@pytest.mark.parametrize(
    ("kind", "status", "code", "message"),
    [
        ("conflict", 409, "conflict", "Order changed meanwhile."),
        ("forbidden", 403, "forbidden", "You do not have permission to do this."),
        ("missing", 404, "not_found", "No such thing."),
    ],
)
async def test_domain_errors(
    client: AsyncClient, kind: str, status: int, code: str, message: str
) -> None:
    response = await client.get(f"/raise/{kind}", headers={"X-Request-ID": "req-123"})
    assert response.status_code == status
    assert response.json() == {"error": {"code": code, "message": message, "request_id": "req-123"}}
    assert response.headers["X-Request-ID"] == "req-123"


async def test_validation_error_lists_every_field(client: AsyncClient) -> None:
    response = await client.post("/things", json={"name": "", "count": 0, "colour": "red"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [(d["field"], d["location"], d["type"]) for d in error["details"]] == [
        ("name", "body", "string_too_short"),
        ("count", "body", "greater_than"),
    ]


async def test_explicit_validation_failure_keeps_its_details(client: AsyncClient) -> None:
    response = await client.get("/raise/invalid")
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {"field": "x", "location": "body", "message": "bad", "type": "custom"}
    ]


async def test_malformed_json_body(client: AsyncClient) -> None:
    response = await client.post(
        "/things", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["type"] == "json_invalid"


async def test_unknown_route(client: AsyncClient) -> None:
    response = await client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_wrong_method_keeps_allow_header(client: AsyncClient) -> None:
    response = await client.delete("/things")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "POST"


async def test_unhandled_exception_is_a_bare_500(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get("/raise/boom", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "Internal server error.",
            "request_id": "req-500",
        }
    }
    assert "hunter2" not in response.text
    assert response.headers["X-Request-ID"] == "req-500"
    logged = [r for r in caplog.records if r.name == "app.errors"]
    assert len(logged) == 1  # the traceback goes to the log only
    assert logged[0].exc_info is not None
    assert "hunter2" in str(logged[0].exc_info[1])


async def test_request_id_is_generated_when_absent_or_unsafe(client: AsyncClient) -> None:
    generated = await client.get("/raise/missing")
    unsafe = await client.get("/raise/missing", headers={"X-Request-ID": "bad id\tinjected"})
    for response in (generated, unsafe):
        request_id = response.headers["X-Request-ID"]
        assert len(request_id) == 32
        assert response.json()["error"]["request_id"] == request_id


async def test_cors_headers_reach_error_responses(client: AsyncClient) -> None:
    response = await client.get("/raise/boom", headers={"Origin": "http://localhost:5173"})
    assert response.status_code == 500
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]


async def test_cors_rejects_unknown_origins(client: AsyncClient) -> None:
    response = await client.options(
        "/things",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 400
    assert "Access-Control-Allow-Origin" not in response.headers


def test_openapi_names_error_responses() -> None:
    spec = create_app(make_settings()).openapi()
    create = spec["paths"]["/api/v1/orders"]["post"]["responses"]
    assert set(create) == {"201", "400", "401", "403", "404", "405", "409", "422", "500", "503"}
    for operations in spec["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and operation["tags"] != ["health"]:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]
