from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from app.core.currencies import SUPPORTED_CURRENCIES, THREE_DECIMAL, ZERO_DECIMAL
from app.core.money import (
    AmountIn,
    AmountOut,
    AmountTooLarge,
    CurrencyCode,
    MoneyError,
    TooManyDecimals,
    UnknownCurrency,
    from_minor,
    normalize_currency,
    parse_decimal,
    to_json_number,
    to_minor,
)


class TestParseDecimal:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (Decimal("99.99"), Decimal("99.99")),
            (1000, Decimal(1000)),
            ("99.99", Decimal("99.99")),
            ("0.1", Decimal("0.1")),
            ("007", Decimal(7)),
            ("-3", Decimal(-3)),  # read, so that the field's bound can refuse it by name
        ],
    )
    def test_accepts_exact_values(self, raw: object, expected: Decimal) -> None:
        assert parse_decimal(raw) == expected

    @pytest.mark.parametrize(
        "raw",
        # Strings are taken whole: no spaces around, no newline after.
        [0.1, 99.99, True, None, "abc", "1e3", "1,5", "", "NaN", [1], " 12.5 ", "+3", "5\n"],
    )
    def test_rejects_floats_and_non_decimals(self, raw: object) -> None:
        with pytest.raises(MoneyError):
            parse_decimal(raw)

    def test_rejects_non_finite_decimals(self) -> None:
        with pytest.raises(MoneyError, match="finite"):
            parse_decimal(Decimal("Infinity"))

    def test_rejects_huge_amounts(self) -> None:
        with pytest.raises(AmountTooLarge):
            parse_decimal(Decimal("1E+20"))


class TestMinorUnits:
    @pytest.mark.parametrize(
        ("amount", "currency", "minor"),
        [
            ("99.99", "usd", 9999),
            ("99.9", "usd", 9990),
            ("0", "eur", 0),
            ("10.50", "gbp", 1050),
            ("1000", "jpy", 1000),
            ("1000.00", "jpy", 1000),
            ("12.340", "kwd", 12340),
            ("1.5", "bhd", 1500),
        ],
    )
    def test_to_minor(self, amount: str, currency: str, minor: int) -> None:
        assert to_minor(Decimal(amount), currency) == minor

    @pytest.mark.parametrize(
        ("amount", "currency"),
        [("99.999", "usd"), ("10.5", "jpy"), ("1.2345", "kwd"), ("0.001", "eur")],
    )
    def test_to_minor_rejects_more_decimals_than_the_currency_has(
        self, amount: str, currency: str
    ) -> None:
        with pytest.raises(TooManyDecimals, match=f"{currency.upper()} amounts allow at most"):
            to_minor(Decimal(amount), currency)

    @pytest.mark.parametrize(
        ("minor", "currency", "text"),
        [
            (9999, "usd", "99.99"),
            (9990, "usd", "99.90"),
            (1000, "jpy", "1000"),
            (12345, "kwd", "12.345"),
        ],
    )
    def test_from_minor(self, minor: int, currency: str, text: str) -> None:
        assert str(from_minor(minor, currency)) == text

    def test_round_trip_for_every_supported_currency(self) -> None:
        for currency in SUPPORTED_CURRENCIES:  # a multiple of every charge step
            assert to_minor(from_minor(123400, currency), currency) == 123400

    def test_stripe_exponent_lists(self) -> None:
        assert {"jpy", "krw", "vnd", "clp"} <= ZERO_DECIMAL
        assert {"kwd", "bhd", "jod", "omr", "tnd"} == THREE_DECIMAL
        assert not ZERO_DECIMAL & THREE_DECIMAL


class TestCurrency:
    @pytest.mark.parametrize(("raw", "code"), [("USD", "usd"), ("eur", "eur"), ("Jpy", "jpy")])
    def test_normalizes_to_lower_case(self, raw: str, code: str) -> None:
        assert normalize_currency(raw) == code

    @pytest.mark.parametrize("raw", ["xyz", "us", "dollars", "", 840, None, " usd", "usd\n"])
    def test_rejects_unknown_currencies(self, raw: object) -> None:
        with pytest.raises(UnknownCurrency):
            normalize_currency(raw)


class TestJsonNumbers:
    def test_whole_amounts_are_integers_and_others_exact_numbers(self) -> None:
        assert to_json_number(Decimal(1000)) == 1000
        assert isinstance(to_json_number(Decimal(1000)), int)
        assert repr(to_json_number(Decimal("99.99"))) == "99.99"
        assert repr(to_json_number(Decimal("999999999.999"))) == "999999999.999"


class Priced(BaseModel):
    amount: AmountIn
    currency: CurrencyCode


class Shown(BaseModel):
    amount: AmountOut


class TestPydanticTypes:
    def test_amount_in_accepts_strings_and_decimals(self) -> None:
        assert Priced(amount="99.99", currency="USD").amount == Decimal("99.99")  # type: ignore[arg-type]
        assert Priced(amount=Decimal("5"), currency="jpy").currency == "jpy"

    def test_amount_in_refuses_floats_with_a_typed_error(self) -> None:
        with pytest.raises(ValidationError) as caught:
            Priced(amount=0.1, currency="usd")  # type: ignore[arg-type]
        assert caught.value.errors()[0]["type"] == "amount_invalid"
        assert caught.value.errors()[0]["loc"] == ("amount",)

    def test_currency_error_names_the_field(self) -> None:
        with pytest.raises(ValidationError) as caught:
            Priced(amount=Decimal(1), currency="abc")
        assert caught.value.errors()[0]["type"] == "currency_unknown"
        assert caught.value.errors()[0]["loc"] == ("currency",)

    def test_amount_out_is_a_json_number(self) -> None:
        assert Shown(amount=Decimal("99.99")).model_dump_json() == '{"amount":99.99}'
        assert Shown(amount=Decimal("1000")).model_dump_json() == '{"amount":1000}'
        assert Shown(amount=Decimal("12.345")).model_dump_json() == '{"amount":12.345}'
