"""A stateful, offline stand-in for the Stripe API, its webhooks and Stripe.js."""

from stripe_emulator.app import create_app
from stripe_emulator.config import API_VERSION, EmulatorConfig, WebhookEndpointConfig

__all__ = ["API_VERSION", "EmulatorConfig", "WebhookEndpointConfig", "create_app"]
