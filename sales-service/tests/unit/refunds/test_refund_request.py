"""A refund request is taken as written or refused; the document states the same rules."""

import pytest
from pydantic import ValidationError

from app.refunds.schemas import RefundCreate


def refused(body: dict[str, object]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        RefundCreate.model_validate(body)
    return [(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()]


def test_a_reason_is_kept_exactly_as_written() -> None:
    reason = "  Chair returned\n\twith a scratch  "
    assert RefundCreate.model_validate({"reason": reason}).reason == reason


def test_a_reason_of_control_or_space_characters_is_not_trimmed_away() -> None:
    # Once stripped to "" and stored as such; now it is either too long or refused outright.
    assert ("reason", "string_too_long") in refused({"reason": "\t" * 1000})
    assert ("reason", "string_pattern_mismatch") in refused({"reason": "\x1f" * 10})
    assert ("notes", "string_pattern_mismatch") in refused({"reason": "x", "notes": "a\x00b"})


def test_no_reason_at_all_is_refused_on_reason_code() -> None:
    assert refused({"reason": None, "reason_code": None}) == [("reason_code", "missing")]
    assert refused({}) == [("reason_code", "missing")]


def test_the_document_states_that_one_of_them_is_needed() -> None:
    schema = RefundCreate.model_json_schema()
    assert schema["anyOf"] == [
        {"required": ["reason"], "properties": {"reason": {"type": "string"}}},
        {"required": ["reason_code"], "properties": {"reason_code": {"type": "string"}}},
    ]


@pytest.mark.parametrize("amount", ["0", "0.00", 0, "-1", " 5", "5 ", True])
def test_an_amount_not_above_zero_or_not_a_plain_number_is_refused(amount: object) -> None:
    assert refused({"reason": "x", "amount": amount})[0][0] == "amount"
