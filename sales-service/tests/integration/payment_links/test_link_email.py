"""With SMTP_URL set, a link is mailed to the customer once stored; a failed send loses no link."""

import email
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import Headers, closed_port, started
from tests.integration.payment_links.links import PUBLIC_BASE_URL, create_link, list_links
from tests.integration.stripe_support import NO_EVENTS_SYNC, Emulator, create_order, stripe_settings


@dataclass
class Sink:
    """An SMTP server that keeps what it is sent."""

    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(content)))
        return "250 OK"


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    handler = Sink()
    port = closed_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


async def _app(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    emulator: Emulator,
    smtp_url: str,
) -> AsyncIterator[AsyncClient]:
    settings = settings_for(
        public_base_url=PUBLIC_BASE_URL,
        smtp_url=smtp_url,
        smtp_from="shop@example.test",
        mongodb_db=f"erp_sales_mail_{uuid.uuid4().hex[:8]}",
        **stripe_settings(emulator),
        **NO_EVENTS_SYNC,
    )
    app = create_app(settings)
    async for client in started(app):
        yield client
    await mongo.client.drop_database(settings.mongodb_db)


@pytest.fixture
async def mailing(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    emulator: Emulator,
    sink: tuple[Sink, int],
) -> AsyncIterator[AsyncClient]:
    async for client in _app(mongo, settings_for, emulator, f"smtp://127.0.0.1:{sink[1]}"):
        yield client


@pytest.fixture
async def mail_down(
    mongo: AsyncDatabase[dict[str, Any]], settings_for: Callable[..., Settings], emulator: Emulator
) -> AsyncIterator[AsyncClient]:
    async for client in _app(mongo, settings_for, emulator, f"smtp://127.0.0.1:{closed_port()}"):
        yield client


async def test_the_link_is_mailed_to_the_customer(
    mailing: AsyncClient,
    sink: tuple[Sink, int],
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    sales = as_role("sales")
    order = await create_order(mailing, sales, customer_id, total="19.99")
    response = await create_link(mailing, sales, order["id"], email="customer@example.test")
    assert response.status_code == 201, response.text
    link = response.json()
    assert link["email_status"] == "sent"
    ((recipients, message),) = sink[0].messages
    assert recipients == ["customer@example.test"]
    assert message["From"] == "shop@example.test"
    assert order["number"] in message["Subject"]
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    text = body.decode()
    assert link["url"] in text
    assert "19.99 USD" in text
    assert message.get_content_type() == "text/plain"
    (listed,) = await list_links(mailing, sales, order["id"])
    assert listed["email_status"] == "sent"


async def test_a_send_that_fails_keeps_the_link_and_says_so(
    mail_down: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(mail_down, sales, customer_id, total="5.00")
    response = await create_link(mail_down, sales, order["id"], email="customer@example.test")
    assert response.status_code == 201, response.text
    assert response.json()["email_status"] == "failed"
    assert response.json()["url"].startswith(PUBLIC_BASE_URL)
    (listed,) = await list_links(mail_down, sales, order["id"])
    assert (listed["status"], listed["email_status"]) == ("active", "failed")
