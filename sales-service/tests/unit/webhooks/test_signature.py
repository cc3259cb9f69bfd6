"""The `Stripe-Signature` check, including secret rotation; Stripe's own SDK agrees with it."""

import time

import pytest
import stripe

from app.webhooks.signature import (
    SignatureExpired,
    SignatureMalformed,
    SignatureMismatch,
    SignatureMissing,
    compute_signature,
    parse_header,
    sign,
    verify,
)

SECRET = "whsec_unit_test_current"
OLD_SECRET = "whsec_unit_test_previous"
BODY = b'{"id": "evt_1", "object": "event"}'
NOW = 1_760_000_000


def check(header: str | None, secrets: list[str] | None = None, now: float = NOW) -> int:
    return verify(BODY, header, secrets or [SECRET], tolerance_seconds=300, now=now)


class TestAccepted:
    def test_a_signature_made_with_the_secret(self) -> None:
        assert check(sign(BODY, SECRET, NOW)) == NOW

    def test_one_of_several_v1_entries_is_enough(self) -> None:
        header = f"t={NOW},v1={'0' * 64},v1={compute_signature(BODY, SECRET, NOW)},v0=abc"
        assert check(header) == NOW

    def test_any_configured_secret_during_rotation(self) -> None:
        assert check(sign(BODY, OLD_SECRET, NOW), [SECRET, OLD_SECRET]) == NOW
        assert check(sign(BODY, SECRET, NOW), [SECRET, OLD_SECRET]) == NOW

    def test_clock_difference_within_the_tolerance(self) -> None:
        assert check(sign(BODY, SECRET, NOW), now=NOW + 300) == NOW
        assert check(sign(BODY, SECRET, NOW), now=NOW - 300) == NOW

    def test_what_stripe_signs_we_accept_and_the_other_way_round(self) -> None:
        now = int(time.time())
        ours = sign(BODY, SECRET, now)
        stripe.WebhookSignature.verify_header(BODY.decode(), ours, SECRET, tolerance=300)
        digest = stripe.WebhookSignature._compute_signature(f"{now}.{BODY.decode()}", SECRET)
        assert verify(BODY, f"t={now},v1={digest}", [SECRET], tolerance_seconds=300, now=now)


class TestRefused:
    @pytest.mark.parametrize("header", [None, "", "   "])
    def test_missing(self, header: str | None) -> None:
        with pytest.raises(SignatureMissing):
            check(header)

    @pytest.mark.parametrize(
        "header",
        [
            "v1=abc",  # no timestamp
            f"t={NOW}",  # no v1
            f"t={NOW},v0=abc",  # only another scheme
            "t=yesterday,v1=abc",
            "t=-5,v1=abc",
            "t=\uff11\uff12,v1=abc",  # full-width digits, which str.isdigit() accepts
            "garbage",
            f"t={NOW},v1=" + "a" * 5000,
        ],
    )
    def test_malformed(self, header: str) -> None:
        with pytest.raises(SignatureMalformed):
            check(header)

    def test_signed_with_another_secret(self) -> None:
        with pytest.raises(SignatureMismatch):
            check(sign(BODY, "whsec_someone_else", NOW))

    def test_secret_no_longer_configured_after_rotation(self) -> None:
        with pytest.raises(SignatureMismatch):
            check(sign(BODY, OLD_SECRET, NOW), [SECRET])

    def test_body_changed_after_signing(self) -> None:
        header = sign(BODY, SECRET, NOW)
        with pytest.raises(SignatureMismatch):
            verify(BODY + b" ", header, [SECRET], tolerance_seconds=300, now=NOW)

    def test_timestamp_changed_after_signing(self) -> None:
        digest = compute_signature(BODY, SECRET, NOW)
        with pytest.raises(SignatureMismatch):
            check(f"t={NOW + 1},v1={digest}")

    @pytest.mark.parametrize("now", [NOW + 301, NOW - 301, NOW + 86_400])
    def test_stale_or_far_future(self, now: int) -> None:
        with pytest.raises(SignatureExpired):
            check(sign(BODY, SECRET, NOW), now=now)

    def test_a_wrong_signature_is_a_mismatch_even_when_stale(self) -> None:
        with pytest.raises(SignatureMismatch):
            check(sign(BODY, "whsec_someone_else", NOW), now=NOW + 10_000)


def test_parse_header_keeps_every_v1_in_order() -> None:
    parsed = parse_header(" t=12 , v1=aa,v1=bb ,x=1")
    assert (parsed.timestamp, parsed.signatures) == (12, ("aa", "bb"))
