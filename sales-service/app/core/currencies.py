"""ISO 4217 currencies the service accepts, with the minor-unit exponent Stripe uses for each.

Stripe's zero-decimal and three-decimal lists decide the exponent; everything else has two
decimals. Codes are lower case, as in Stripe's API.
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


def minor_unit_exponent(currency: str) -> int:
    """Decimal places of the currency's minor unit; KeyError for an unsupported code."""
    if currency in ZERO_DECIMAL:
        return 0
    if currency in THREE_DECIMAL:
        return 3
    if currency in TWO_DECIMAL:
        return 2
    raise KeyError(currency)
