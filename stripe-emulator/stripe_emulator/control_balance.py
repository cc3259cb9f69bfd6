"""The control API for the balance and payouts: funds available now, payouts now, and failures."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from stripe_emulator.api import emulator_of
from stripe_emulator.control import control_route
from stripe_emulator.errors import invalid_request
from stripe_emulator.objects.common import list_object
from stripe_emulator.objects.payout import FAILURE_MESSAGES


async def make_available(request: Request, body: dict[str, Any]) -> Any:
    """Every pending balance transaction becomes available now; answers the balance."""
    balance = emulator_of(request).balance
    balance.make_available_now()
    return balance.balance()


async def run_payouts(request: Request, body: dict[str, Any]) -> Any:
    """The automatic payouts of what is available now (none for a currency whose available
    balance is not positive), with their events; answers them as a list."""
    payouts = emulator_of(request).payouts.run()
    return list_object("/v1/payouts", payouts, has_more=False)


async def settle_payouts(request: Request, body: dict[str, Any]) -> Any:
    """Every payout in transit is paid (or fails) now; answers them as a list."""
    payouts = emulator_of(request).payouts.settle_now()
    return list_object("/v1/payouts", payouts, has_more=False)


async def fail_next_payout(request: Request, body: dict[str, Any]) -> Any:
    """`{failure_code?, count?}`: the next `count` (1) payouts made fail with `failure_code`
    (`no_account`)."""
    code = body.get("failure_code", "no_account")
    if code not in FAILURE_MESSAGES:
        raise invalid_request(
            f"failure_code must be one of {', '.join(FAILURE_MESSAGES)}", param="failure_code"
        )
    count = body.get("count", 1)
    if isinstance(count, str) and count.isdigit():  # a form-encoded body
        count = int(count)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise invalid_request("`count` must be a whole number, 1 or more.", param="count")
    payouts = emulator_of(request).payouts
    payouts.fail_next(code, count)
    return {"failing_next": list(payouts.failing_next)}


ROUTES = [
    control_route("/_emulator/balance/make_available", make_available, ["POST"]),
    control_route("/_emulator/payouts/run", run_payouts, ["POST"]),
    control_route("/_emulator/payouts/settle", settle_payouts, ["POST"]),
    control_route("/_emulator/payouts/fail_next", fail_next_payout, ["POST"]),
]
