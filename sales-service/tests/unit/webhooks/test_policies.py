"""Retry backoff of the inbox and the webhook settings."""

from datetime import timedelta

import pytest

from app.composition import inbox_policy, signing_policy
from app.webhooks.service import InboxPolicy
from tests.support import make_settings


def test_backoff_doubles_from_the_base_up_to_the_cap() -> None:
    policy = InboxPolicy(retry_base=timedelta(seconds=5), retry_max=timedelta(seconds=60))
    delays = [policy.retry_delay(attempts).total_seconds() for attempts in range(1, 7)]
    assert delays == [5, 10, 20, 40, 60, 60]
    assert policy.retry_delay(10_000) == timedelta(seconds=60)


def test_processing_must_end_well_inside_the_lease() -> None:
    assert InboxPolicy(lease=timedelta(seconds=60)).processing_timeout == 30


def test_settings_defaults() -> None:
    settings = make_settings(stripe_webhook_secret="whsec_one")
    assert signing_policy(settings).secrets == ["whsec_one"]
    assert signing_policy(settings).tolerance_seconds == 300
    assert inbox_policy(settings) == InboxPolicy(
        lease=timedelta(seconds=60),
        retry_base=timedelta(seconds=5),
        retry_max=timedelta(seconds=900),
    )
    assert settings.webhook_sweep_interval_seconds == 5


def test_several_secrets_are_comma_separated() -> None:
    settings = make_settings(stripe_webhook_secret=" whsec_new , whsec_old,")
    assert settings.stripe_webhook_secrets == ["whsec_new", "whsec_old"]


def test_no_secret_means_none_accepted() -> None:
    assert make_settings(stripe_webhook_secret=None).stripe_webhook_secrets == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"stripe_webhook_secret": "whsec_new,oops"}, "STRIPE_WEBHOOK_SECRET must start with"),
        ({"stripe_webhook_tolerance_seconds": 0}, "STRIPE_WEBHOOK_TOLERANCE_SECONDS must be"),
        ({"webhook_sweep_interval_seconds": -1}, "WEBHOOK_SWEEP_INTERVAL_SECONDS must be >= 0"),
        ({"webhook_lease_seconds": 0}, "WEBHOOK_LEASE_SECONDS must be > 0"),
        ({"webhook_retry_max_seconds": 1}, "WEBHOOK_RETRY_MAX_SECONDS must be >="),
    ],
)
def test_bad_webhook_settings_are_named(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_settings(**overrides)
