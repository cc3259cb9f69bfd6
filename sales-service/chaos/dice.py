"""Seeded dice: the run is repeatable from its seed (nothing here is for secrets)."""

import random


def dice(seed: float) -> random.Random:
    return random.Random(seed)  # noqa: S311 - repeatable workload, not cryptography
