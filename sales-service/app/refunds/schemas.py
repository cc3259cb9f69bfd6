"""A refund request at the API edge; the refund as answered is in `app.refund_records.schemas`."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from app.core.money import PositiveAmountIn
from app.core.text import Prose
from app.refund_records.models import RefundReason, reason_code_of

REASON_CODES = ", ".join(f"`{code.value}`" for code in RefundReason)


# The one rule across fields, as JSON Schema states it: a reason, a code, or both, not null.
_A_REASON_IS_GIVEN: JsonDict = {
    "anyOf": [
        {"required": ["reason"], "properties": {"reason": {"type": "string"}}},
        {"required": ["reason_code"], "properties": {"reason_code": {"type": "string"}}},
    ]
}


class RefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_A_REASON_IS_GIVEN)

    amount: Annotated[
        PositiveAmountIn | None,
        Field(description="Defaults to everything still refundable on the payment"),
    ] = None
    reason: Annotated[
        Prose | None,
        Field(
            min_length=1,
            max_length=500,
            description=(
                "Why, in the requester's words; stored, shown and sent to Stripe in the "
                "metadata. One of the codes alone counts as that code."
            ),
            examples=["Customer requested refund"],
        ),
    ] = None
    reason_code: Annotated[
        RefundReason | None,
        Field(
            validate_default=True,
            description=(
                f"One of {REASON_CODES}; mapped to Stripe's reason where one fits. Defaults "
                "to `reason` when that is a code, else `other`."
            ),
        ),
    ] = None
    notes: Annotated[Prose | None, Field(min_length=1, max_length=500)] = None

    @field_validator("reason_code")
    @classmethod
    def _a_reason_is_given(cls, code: RefundReason | None, info: ValidationInfo) -> RefundReason:
        if code is not None:
            return code
        if "reason" not in info.data:  # `reason` itself was refused
            return RefundReason.OTHER
        reason = info.data["reason"]
        if reason is None:
            raise PydanticCustomError("missing", "Give a reason, a reason_code or both.")
        return reason_code_of(reason)

    @property
    def code(self) -> RefundReason:
        """The structured reason, resolved by the validator."""
        assert self.reason_code is not None  # noqa: S101 - resolved by _a_reason_is_given
        return self.reason_code
