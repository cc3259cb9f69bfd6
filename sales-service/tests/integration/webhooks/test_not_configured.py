"""Without a signing secret nothing is accepted, and Stripe is told to come back (503)."""

from collections.abc import Callable

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import started
from tests.integration.webhooks.events import deliver, payment_intent, stripe_event


async def test_no_secret_configured_is_a_503(settings_for: Callable[..., Settings]) -> None:
    app = create_app(settings_for(stripe_webhook_secret=None, webhook_sweep_interval_seconds=0))
    async for client in started(app):
        response = await deliver(client, stripe_event("payment_intent.succeeded", payment_intent()))
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "service_unavailable"
        assert response.json()["error"]["message"] == (
            "Webhooks are not configured on this service (no signing secret); retry later."
        )
