"""Stripe's search query language, parsed: `status:'succeeded' AND metadata['payment_id']:'pay_1'`.

A query is up to 10 clauses joined by `AND` or `OR` (not both; a space means `AND`), each
`[-]field operator value`: the field a name (`amount`, `payment_method_details.card.last4`) or
`metadata['key']`; the operator `:` (exact, case-insensitive), `~` (substring, 3 characters
at least), or `>`, `>=`, `<`, `<=`, `=` (numbers); the value a quoted string (single or double
quotes, `\\` escapes), a number, `true`/`false`, or `null`. What the parser cannot read is
refused with Stripe's message for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stripe_emulator.errors import StripeError, invalid_request

MAX_CLAUSES = 10

_UNPARSABLE = (
    "We were unable to parse your search query. Try using the format "
    '`metadata["key"]:"value"` to query for metadata or key:"value" to query for other fields.'
)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<connective>(?i:AND|OR))(?=\s)
      | (?P<negation>-)?
        (?:metadata\[(?P<key>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\]|(?P<field>[a-z_][a-z0-9_.]*))
        (?P<operator>>=|<=|:|~|>|<|=)
        (?P<value>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s'"]+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Clause:
    field: str  # "status", "payment_method_details.card.last4", or "metadata"
    operator: str
    value: str | None  # None for `null`
    quoted: bool
    negated: bool = False
    metadata_key: str | None = None


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...]
    any_of: bool  # joined by OR (else AND)


def parse(text: str) -> Query:
    clauses: list[Clause] = []
    connectives: set[str] = set()
    position, expect_clause = 0, True
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise unparsable()
        position = match.end()
        if match["connective"]:
            if expect_clause:
                raise unparsable()
            connectives.add(match["connective"].upper())
            expect_clause = True
            continue
        if not expect_clause and not text[match.start()].isspace():
            raise unparsable()  # two clauses with nothing between them
        clauses.append(_clause(match))
        expect_clause = False
    if not clauses or (expect_clause and connectives) or len(connectives) > 1:
        raise unparsable()
    if len(clauses) > MAX_CLAUSES:
        raise unparsable()
    return Query(tuple(clauses), connectives == {"OR"})


def _clause(match: re.Match[str]) -> Clause:
    raw = match["value"]
    quoted = raw[0] in "'\""
    value: str | None = _unquote(raw) if quoted else raw
    if not quoted and raw.lower() == "null":
        value = None
    key = _unquote(match["key"]) if match["key"] else None
    return Clause(
        field="metadata" if key is not None else match["field"],
        operator=match["operator"],
        value=value,
        quoted=quoted,
        negated=bool(match["negation"]),
        metadata_key=key,
    )


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


def unparsable() -> StripeError:
    return invalid_request(_UNPARSABLE, param="query")
