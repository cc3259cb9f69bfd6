"""Builders of Stripe's JSON objects, field for field as the API returns them."""
