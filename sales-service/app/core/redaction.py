"""Paths that carry a secret (a payment link's token), as logs may show them.

The token is the only credential of a payment link, so it must not reach a log line where
anyone who reads logs could pay, or see, someone's order: the segment after the prefix is
replaced. The gateway's access log does the same (gateway/templates).
"""

import re

SECRET_PREFIXES = ("/api/v1/pay/", "/pay/")
REDACTED = "[redacted]"
_SECRET_SEGMENT = re.compile(r"^(/api/v1/pay/|/pay/)[^/]*")


def loggable_path(path: str) -> str:
    if not path.startswith(SECRET_PREFIXES):
        return path
    return _SECRET_SEGMENT.sub(lambda match: match.group(1) + REDACTED, path, count=1)
