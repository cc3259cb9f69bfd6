"""The message that carries a link to the customer: plain text, short, nothing but the facts."""

from datetime import datetime

from app.core.money import from_minor
from app.payment_links.models import PaymentLink


def subject(link: PaymentLink, merchant_name: str | None) -> str:
    sender = f"{merchant_name}: " if merchant_name else ""
    return f"{sender}payment for order {link.order_number}"


def body(link: PaymentLink, url: str, merchant_name: str | None) -> str:
    amount = f"{from_minor(link.amount_minor, link.currency)} {link.currency.upper()}"
    return (
        "Hello,\n\n"
        f"{merchant_name or 'We'} {'asks' if merchant_name else 'ask'} you to pay {amount} "
        f"for order {link.order_number}.\n\n"
        f"Pay by card here, until {_day(link.expires_at)}:\n{url}\n\n"
        "The link is for you alone; do not forward it. If you did not expect this message, "
        "ignore it.\n"
    )


def _day(moment: datetime) -> str:
    return moment.strftime("%d %B %Y, %H:%M UTC")
