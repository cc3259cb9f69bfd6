"""Unix timestamps, as Stripe's `created` fields use."""

import time


def now() -> int:
    return int(time.time())
