"""ISO 4217 currencies the service accepts, with the minor-unit exponent Stripe uses for each.

Stripe's zero-decimal and three-decimal lists decide the exponent; everything else has two
decimals. Codes are lower case, as in Stripe's API.

Stripe also limits which amounts can be charged (docs.stripe.com/currencies): a three-decimal
amount's last digit must be 0 (10.005 KWD cannot be charged), and ISK, though sent with two
decimals, is charged in whole krónur only (1.50 ISK cannot be). HUF and TWD, two-decimal when
charged, are paid out in whole units only; that limits payouts, not what we charge. UGX is sent
as a zero-decimal currency, so its amounts are whole already.
"""

ZERO_DECIMAL = frozenset(
    {
        "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
        "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
    }
)  # fmt: skip

THREE_DECIMAL = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})

TWO_DECIMAL = frozenset(
    {
        "aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn", "bam", "bbd",
        "bdt", "bgn", "bmd", "bnd", "bob", "brl", "bsd", "bwp", "byn", "bzd", "cad", "cdf",
        "chf", "cny", "cop", "crc", "cve", "czk", "dkk", "dop", "dzd", "egp", "etb", "eur",
        "fjd", "fkp", "gbp", "gel", "gip", "gmd", "gtq", "gyd", "hkd", "hnl", "htg", "huf",
        "idr", "ils", "inr", "isk", "jmd", "kes", "kgs", "khr", "kyd", "kzt", "lak", "lbp",
        "lkr", "lrd", "lsl", "mad", "mdl", "mkd", "mmk", "mnt", "mop", "mur", "mvr", "mwk",
        "mxn", "myr", "mzn", "nad", "ngn", "nio", "nok", "npr", "nzd", "pab", "pen", "pgk",
        "php", "pkr", "pln", "qar", "ron", "rsd", "sar", "sbd", "scr", "sek", "sgd", "shp",
        "sle", "sos", "srd", "szl", "thb", "tjs", "top", "try", "ttd", "twd", "tzs", "uah",
        "usd", "uyu", "uzs", "wst", "xcd", "yer", "zar", "zmw",
    }
)  # fmt: skip

SUPPORTED_CURRENCIES = ZERO_DECIMAL | THREE_DECIMAL | TWO_DECIMAL

# Currencies whose charged amounts, in minor units, must be a multiple of this step.
CHARGE_STEP_MINOR = {
    **dict.fromkeys(THREE_DECIMAL, 10),
    "isk": 100,
}


def minor_unit_exponent(currency: str) -> int:
    """Decimal places of the currency's minor unit; KeyError for an unsupported code."""
    if currency in ZERO_DECIMAL:
        return 0
    if currency in THREE_DECIMAL:
        return 3
    if currency in TWO_DECIMAL:
        return 2
    raise KeyError(currency)


def charge_step_minor(currency: str) -> int:
    """The multiple of the minor unit Stripe can charge in this currency (1 for most)."""
    return CHARGE_STEP_MINOR.get(currency, 1)
