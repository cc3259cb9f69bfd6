from tests.integration.stripe_support import api, emulator, faults, faulty, stripe_app

__all__ = ["api", "emulator", "faults", "faulty", "stripe_app"]
