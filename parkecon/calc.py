"""Small calculations the chapters share: unit conversion, growth arithmetic, qualifier labels."""
from __future__ import annotations

import math
import re

from .trace import Num, Text, as_num

YI = 1e8            # 亿 = 10^8
MU_PER_HA = 15.0     # 1 hectare = 15 mu


def bn(yuan: float) -> float:
    """Yuan to billion yuan (1 billion = 10 亿)."""
    return as_num(yuan) / 1e9


def implied_previous(level: float, growth_pct: float) -> float:
    """The level one period earlier implied by a level and its growth rate: level / (1 + g)."""
    return as_num(level) / (1 + as_num(growth_pct) / 100)


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in per cent from start to end over `years` years."""
    if start <= 0 or years <= 0:
        raise ValueError("cagr needs a positive start value and a positive number of years")
    return ((as_num(end) / as_num(start)) ** (1 / as_num(years)) - 1) * 100


def compound(start: float, growth_pct: float, years: float) -> float:
    """start grown at growth_pct per year for `years` years."""
    return as_num(start) * (1 + as_num(growth_pct) / 100) ** as_num(years)


QUALIFIER_SIGN = {"exactly": "", "about": "≈", "nearly": "≈", "more_than": ">", "at_least": "≥",
                  "less_than": "<", "at_most": "≤"}
QUALIFIER_WORD = {"exactly": "", "about": "about", "nearly": "nearly", "more_than": "more than",
                  "at_least": "at least", "less_than": "less than", "at_most": "at most"}
LOWER_BOUNDS = {"more_than", "at_least"}
UPPER_BOUNDS = {"less_than", "at_most"}


def decimals_of(fmt: str) -> int | None:
    """Decimal places a format such as '{:,.1f}' prints (None if it is not a fixed-point format)."""
    m = re.search(r"\.(\d+)f", fmt)
    return int(m.group(1)) if m else None


def bound_round(value: float, qualifier: str, decimals: int) -> float:
    """`value` rounded to `decimals` places so that the qualifier stays true.

    A lower bound ("more than 41.9") is rounded down (41), an upper bound up ("less than
    112.7" → 113): rounding a lower bound up would claim more than the source supports.
    Exact and approximate values are rounded to the nearest."""
    src = as_num(value)
    f = 10 ** decimals
    v = float(value)
    if qualifier in LOWER_BOUNDS:
        out = math.floor(v * f + 1e-9) / f
    elif qualifier in UPPER_BOUNDS:
        out = math.ceil(v * f - 1e-9) / f
    else:
        out = round(v, decimals)
    return Num(out, src.expr, src.facts) if isinstance(src, Num) else out


def _fmt(value: float, qualifier: str, fmt: str) -> str:
    d = decimals_of(fmt)
    out = fmt.format(value if d is None else bound_round(value, qualifier, d))
    return "0" + out[2:] if out.startswith("-0") and float(out.replace(",", "")) == 0 else out


def label(value: float, qualifier: str = "exactly", fmt: str = "{:,.1f}") -> str:
    """A number with its qualifier as a sign: '>80.0', '≈14.7', '2.3'. Bounds are rounded
    so that they stay true (`bound_round`)."""
    return Text(QUALIFIER_SIGN.get(qualifier, "") + _fmt(value, qualifier, fmt), of=as_num(value))


def words(value: float, qualifier: str = "exactly", fmt: str = "{:,.1f}") -> str:
    """A number with its qualifier in words: 'more than 80.0'. Bounds are rounded so that
    they stay true: 'more than 41' for a lower bound of 41.9, 'less than 113' for 112.7."""
    w = QUALIFIER_WORD.get(qualifier, "")
    return Text((w + " " if w else "") + _fmt(value, qualifier, fmt), of=as_num(value))
