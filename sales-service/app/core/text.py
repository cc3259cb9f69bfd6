"""Text fields at the API edge: taken exactly as sent, or refused; never trimmed or cleaned.

What the service cannot keep whole is refused with a 422 naming the field, so nothing a caller
sent is silently changed: no spaces are stripped, and control characters (which Stripe's
metadata, the CSV export and the logs cannot carry faithfully) are refused rather than dropped.
The patterns are in the OpenAPI document too, so a client knows before sending.
"""

from typing import Annotated

from pydantic import Field

# One line: no C0 or C1 control character, no DEL.
ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
# Prose (reasons, notes, descriptions): also tab, line feed and carriage return.
PROSE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"

OneLine = Annotated[str, Field(pattern=ONE_LINE)]
"""An identifier or a short label: printable characters only, spaces kept as sent."""

Prose = Annotated[str, Field(pattern=PROSE)]
"""Free text, several lines allowed; spaces and line breaks kept as sent."""
