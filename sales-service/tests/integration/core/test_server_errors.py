from collections.abc import Callable

from fastapi import Request

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import started


async def test_a_database_failure_is_a_plain_500(settings_for: Callable[..., Settings]) -> None:
    """A real server-side failure (an unknown command) reaches the client as the 500 shape."""
    app = create_app(settings_for())

    @app.get("/broken")
    async def broken(request: Request) -> None:
        await request.app.state.database.command("noSuchCommandHere")

    async for client in started(app):
        response = await client.get("/broken", headers={"X-Request-ID": "broken-1"})
        assert response.status_code == 500
        assert response.json() == {
            "error": {
                "code": "internal_error",
                "message": "Internal server error.",
                "request_id": "broken-1",
            }
        }
        assert "noSuchCommand" not in response.text
