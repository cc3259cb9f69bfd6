"""`python -m stripe_emulator --host 127.0.0.1 --port 8420 --secret-key … --publishable-key …`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import uvicorn

from stripe_emulator.app import create_app
from stripe_emulator.config import PAYOUT_SCHEDULES, EmulatorConfig, WebhookEndpointConfig
from stripe_emulator.exchange_rates import DEFAULT_EXCHANGE_RATES
from stripe_emulator.money import SUPPORTED
from stripe_emulator.state_file import StateFileError


def _webhook(value: str) -> WebhookEndpointConfig:
    url, separator, secret = value.rpartition("=")
    if not separator or not url or not secret.startswith("whsec_"):
        raise argparse.ArgumentTypeError("expected URL=whsec_SECRET")
    return WebhookEndpointConfig(url=url, secret=secret)


def _exchange_rate(value: str) -> tuple[str, Decimal]:
    currency, separator, rate = value.partition("=")
    currency = currency.strip().lower()
    if not separator or currency not in SUPPORTED:
        raise argparse.ArgumentTypeError("expected CURRENCY=RATE with a supported currency")
    try:
        parsed = Decimal(rate)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{rate!r} is not a number") from None
    if not parsed.is_finite() or parsed <= 0:
        raise argparse.ArgumentTypeError("an exchange rate is a positive number")
    return currency, parsed


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="stripe_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--secret-key", default=os.environ.get("STRIPE_SECRET_KEY"))
    parser.add_argument("--publishable-key", default=os.environ.get("STRIPE_PUBLISHABLE_KEY"))
    parser.add_argument(
        "--webhook",
        action="append",
        type=_webhook,
        default=[],
        metavar="URL=whsec_SECRET",
        help="register a webhook endpoint (repeatable)",
    )
    parser.add_argument("--refund-settle-seconds", type=float, default=1.0)
    parser.add_argument(
        "--state-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="keep the state in this JSON file across restarts (default: in memory only)",
    )
    parser.add_argument(
        "--state-save-seconds",
        type=float,
        default=0.2,
        help="least time between two saves of the state file (what a SIGKILL can lose)",
    )
    parser.add_argument(
        "--exchange-rate",
        action="append",
        type=_exchange_rate,
        default=[],
        metavar="CURRENCY=RATE",
        help="settlement currency (usd) per unit of CURRENCY, e.g. eur=1.08 (repeatable)",
    )
    parser.add_argument(
        "--available-days",
        type=int,
        default=2,
        help="days before a charge's funds become available (at 00:00 UTC)",
    )
    parser.add_argument(
        "--payout-schedule",
        choices=PAYOUT_SCHEDULES,
        default="daily",
        help="daily: pay out the available balance every day at 00:00 UTC; manual: only when "
        "POST /_emulator/payouts/run asks",
    )
    parser.add_argument("--payout-settle-seconds", type=float, default=1.0)
    parser.add_argument(
        "--payout-bank-account",
        default="000123456789",
        metavar="NUMBER",
        help="account number payouts go to; Stripe's failing test numbers make them fail",
    )
    parser.add_argument("--log-level", default="info")
    return parser.parse_args(argv)


def _env_webhook() -> list[WebhookEndpointConfig]:
    url = os.environ.get("STRIPE_EMULATOR_WEBHOOK_URL")
    secret = os.environ.get("STRIPE_WEBHOOK_SECRET")
    return [WebhookEndpointConfig(url, secret)] if url and secret else []


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not args.secret_key or not args.publishable_key:
        sys.exit("stripe_emulator: give --secret-key/--publishable-key or set "
                 "STRIPE_SECRET_KEY/STRIPE_PUBLISHABLE_KEY")  # fmt: skip
    webhooks = args.webhook or _env_webhook()
    try:
        config = EmulatorConfig(
            secret_key=args.secret_key,
            publishable_key=args.publishable_key,
            webhooks=tuple(webhooks),
            refund_settle_seconds=args.refund_settle_seconds,
            state_file=args.state_file,
            state_save_seconds=args.state_save_seconds,
            exchange_rates={**DEFAULT_EXCHANGE_RATES, **dict(args.exchange_rate)},
            available_days=args.available_days,
            payout_schedule=args.payout_schedule,
            payout_settle_seconds=args.payout_settle_seconds,
            payout_bank_account=args.payout_bank_account,
        )
    except ValueError as error:
        sys.exit(f"stripe_emulator: {error}")
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(config)
    except StateFileError as error:
        # Starting empty would tell the service that its payments never existed at Stripe.
        sys.exit(f"stripe_emulator: the state file {args.state_file} is unusable ({error}); "
                 "it is left untouched: repair it, or delete it to start empty")  # fmt: skip
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
