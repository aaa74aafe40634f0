"""Small calculations the chapters share: unit conversion, growth arithmetic, qualifier labels."""
from __future__ import annotations

YI = 1e8            # 亿 = 10^8
MU_M2 = 10_000 / 15  # 1 亩 (mu) = 666.67 m² (exact: 10 000/15)
MU_PER_HA = 15.0     # 1 hectare = 15 mu


def bn(yuan: float) -> float:
    """Yuan to billion yuan (1 billion = 10 亿)."""
    return yuan / 1e9


def implied_previous(level: float, growth_pct: float) -> float:
    """The level one period earlier implied by a level and its growth rate: level / (1 + g)."""
    return level / (1 + growth_pct / 100)


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in per cent from start to end over `years` years."""
    if start <= 0 or years <= 0:
        raise ValueError("cagr needs a positive start value and a positive number of years")
    return ((end / start) ** (1 / years) - 1) * 100


def compound(start: float, growth_pct: float, years: float) -> float:
    """start grown at growth_pct per year for `years` years."""
    return start * (1 + growth_pct / 100) ** years


QUALIFIER_SIGN = {"exactly": "", "about": "≈", "nearly": "≈", "more_than": ">", "at_least": "≥",
                  "less_than": "<", "at_most": "≤"}
QUALIFIER_WORD = {"exactly": "", "about": "about", "nearly": "nearly", "more_than": "more than",
                  "at_least": "at least", "less_than": "less than", "at_most": "at most"}
LOWER_BOUNDS = {"more_than", "at_least"}
UPPER_BOUNDS = {"less_than", "at_most"}


def label(value: float, qualifier: str = "exactly", fmt: str = "{:,.1f}") -> str:
    """A number with its qualifier as a sign: '>80.0', '≈14.7', '2.3'."""
    return QUALIFIER_SIGN.get(qualifier, "") + fmt.format(value)


def words(value: float, qualifier: str = "exactly", fmt: str = "{:,.1f}") -> str:
    """A number with its qualifier in words: 'more than 80.0'."""
    w = QUALIFIER_WORD.get(qualifier, "")
    return (w + " " if w else "") + fmt.format(value)
