"""Fixed exchange rates for settling charges made in other currencies.

Each rate is how many units of the settlement currency (the account's `default_currency`,
`usd`) one unit of the presentment currency buys, as Stripe's `exchange_rate` shows it: 10.00
EUR at 1.08 settles as 10.80 USD. They are round figures of the right size, not market rates,
and they never move, so tests can work out every amount; `--exchange-rate eur=1.1` changes one.
"""

from __future__ import annotations

from decimal import Decimal

_RATES = """
aed 0.2723  aud 0.66    bgn 0.55    bhd 2.6596  brl 0.18    cad 0.73    chf 1.13
clp 0.00106 cny 0.138   czk 0.043   dkk 0.145   eur 1.08    gbp 1.27    hkd 0.128
huf 0.0027  idr 0.000062 ils 0.27   inr 0.012   isk 0.0072  jod 1.41    jpy 0.0067
krw 0.00073 kwd 3.25    mxn 0.055   myr 0.22    nok 0.093   nzd 0.6     omr 2.597
php 0.0175  pln 0.25    ron 0.217   sek 0.095   sgd 0.74    thb 0.028   tnd 0.32
try 0.03    twd 0.031   zar 0.054
"""

_WORDS = _RATES.split()
DEFAULT_EXCHANGE_RATES: dict[str, Decimal] = {
    code: Decimal(rate) for code, rate in zip(_WORDS[::2], _WORDS[1::2], strict=True)
}
