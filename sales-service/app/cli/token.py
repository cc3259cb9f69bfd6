"""Print a token for a demo user: `python -m app.cli.token --role finance`.

Signs with the configured HS256 secret, so it works without the server running.
"""

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta

from app.core.permissions import Permission, Role
from app.core.settings import ConfigurationError, load_settings
from app.core.tokens import TokenIssuingUnavailable, issue_token


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app.cli.token", description=__doc__)
    parser.add_argument("--role", required=True, choices=[role.value for role in Role])
    parser.add_argument("--sub", help="subject claim (default: demo-<role>)")
    parser.add_argument(
        "--scope",
        action="append",
        default=[],
        choices=[permission.value for permission in Permission],
        help="extra permission; repeat for several (a service role has only these)",
    )
    parser.add_argument("--ttl-hours", type=float, default=8.0, help="lifetime (default 8)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = load_settings()
        token = issue_token(
            settings,
            subject=args.sub or f"demo-{args.role}",
            roles=[Role(args.role)],
            scopes=args.scope,
            ttl=timedelta(hours=args.ttl_hours),
        )
    except (ConfigurationError, TokenIssuingUnavailable) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
