"""The Stripe.js stand-in and its pages, served as static files."""
