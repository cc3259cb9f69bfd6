"""The only place that talks to a mail server: plain-text messages over SMTP, asynchronously.

`SMTP_URL` names the server: `smtp://host:port` (STARTTLS when the server offers it) or
`smtps://user:password@host:port` (TLS from the start). A send that fails or takes longer than
the timeout raises `MailFailed`; the caller decides what that means.
"""

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


class MailFailed(Exception):
    """The message was not accepted by the server (refused, unreachable or too slow)."""


@dataclass(frozen=True)
class SmtpServer:
    hostname: str
    port: int
    use_tls: bool
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> "SmtpServer":
        parts = urlsplit(url)
        return cls(
            hostname=parts.hostname or "localhost",
            port=parts.port or DEFAULT_PORTS.get(parts.scheme, 25),
            use_tls=parts.scheme == "smtps",
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


class Mailer:
    def __init__(self, url: str, sender: str, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        self._server = SmtpServer.from_url(url)
        self._sender = sender
        self._timeout = timeout_seconds

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        server = self._server
        try:
            await aiosmtplib.send(
                message,
                hostname=server.hostname,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.use_tls,
                timeout=self._timeout,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # The message body holds a secret (a payment link): only the failure is logged.
            logger.warning("email not sent", extra={"error": type(exc).__name__})
            raise MailFailed(type(exc).__name__) from None
