"""State changes of Stripe objects: what happens, in which order, with which events."""
