"""Plans against numbers, a timeline, and how far the sources can be trusted.

The computations behind the chapter "plans-audit" and the appendix "timeline". Nothing
here is stored: every number is derived from the curated tables when it is asked for.

Main entry points

- `targets()`        every target and plan in facts.csv, with its baseline (if the documents
                     give one), the required annual growth (or annual gain, for shares), the
                     latest actual value and the mapping used to find the baseline.
- `wujiang()`        Wujiang District's secondary industry 2015-2020 and its 2025 targets:
                     past and required growth, and the 2020 output the 2025 target implies.
- `discrepancies()`  every place where the documents disagree with each other or where a
                     document's own figures do not add up, as one table with the values
                     compared, the gap, a rounding allowance and a verdict; the checks
                     themselves are declared one by one in `audit_checks`.
- `problems()`       the tally: checks that flag a problem, overlapping checks counted once.
- `source_profile()` facts per source by status and qualifier, official or not, years covered.
- `events()`         events.csv with each date read as an interval (a year-precision date
                     covers the whole year), for the timeline figure and table.

Money is compared in 亿元 (10^8 yuan), the unit the documents print, so that rounding
allowances refer to the printed digits; `calc.bn` converts to billion yuan for prose.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from .i18n import N_, is_zh, name, tr
from .calc import LOWER_BOUNDS, QUALIFIER_SIGN, UPPER_BOUNDS, YI, cagr, label, words
from .data import load
from .provenance import facts as _facts
from .provenance import fact, value
from .trace import Num, Text, as_num


QUALIFIER_GROUP = {
    "exactly": "exact", "about": "approximate", "nearly": "approximate",
    "more_than": "lower bound", "at_least": "lower bound",
    "less_than": "upper bound", "at_most": "upper bound",
}
QUALIFIER_GROUPS = ["exact", "approximate", "lower bound", "upper bound"]
STATUSES = ["actual", "estimate", "plan", "target"]

# ------------------------------------------------------------------ targets: mappings

class Baseline(NamedTuple):
    """A target's baseline taken from another indicator or entity: the fact, whether it
    measures all of what the target measures, and why it was chosen."""
    fact: str
    covers_target: bool
    why: str


#: Targets whose baseline is a fact of another indicator (or entity). Each entry says why.
BASELINE_MAP = {
    "f001-046": Baseline("f000-020", False,
                         N_("355N 'biomedicine and big health' (生物医药和大健康) total output (s001) matched to the "
                         "biomedicine cluster's (生物医药产业集群) 2021 industrial output (s000); the 355N industry "
                         "adds big health (大健康) to its name, and s000 does not say whether the cluster's output "
                         "counts the health services it names as a focus (健康养生服务业), so the baseline may cover "
                         "only part of the target")),
    "f001-047": Baseline("f000-015", False,
                         N_("355N 'electronic information and big data' total output (s001) matched to the "
                         "electronics manufacturing cluster's 2021 output (s000); big data and software "
                         "have no output figure, so the baseline covers electronics only")),
    "f001-051": Baseline("f000-006", True,
                         N_("355N 'equipment manufacturing' (装备制造) total output (s001) matched to the equipment "
                         "manufacturing cluster (装备制造产业集群) of s000, the same name, whose 2021 output is itself "
                         "printed as a lower bound (over 100 亿)")),
}

#: The "355N" tiers (s001) carry no year; the year the book reads for them, and why.
TIER_IDS = [f"f001-{n:03d}" for n in range(44, 61)]
#: (2025 is the end of the 14th Five-Year Plan, the horizon of the other targets of s001.)
READ_YEAR = {fid: (2025, N_("s001 gives no year; the book reads 2025")) for fid in TIER_IDS}

#: Growth-rate targets compared with a past rate of another indicator.
PAST_RATE_MAP = {
    "f004-034": ("f004-004",
                 N_("target is for above-size industrial value added; the past rate (2016-2020) is "
                    "for all industry, the only industrial rate the plan gives")),
}

#: Level targets whose required growth the same document states as a rate.
STATED_RATE = {"f004-032": "f004-033"}

#: Growth targets the curators read as cumulative over the plan period, not per year.
CUMULATIVE_RATE = {
    "f004-039": N_("read as growth over 2021-2025 as a whole (the plan does not say), annualised here"),
}

#: Measures for which a required growth rate makes sense.
_GROWABLE = {"level", "count", "share", "capacity", "area", "intensity"}
#: Indicators that count something but are not quantities that grow (an ordinal number).
NO_RATE = {"pilot_batch_ordinal"}


DIRECTIONS = {"lower bound": "more_than", "lower bound (inclusive)": "at_least",
              "upper bound": "less_than", "upper bound (inclusive)": "at_most",
              "approximate": "about", "either way": "about", "exact": "exactly"}


def rate_direction(target_q: str | None, base_q: str | None = None, base_covers_target: bool = True) -> str:
    """How the bounds in a target and its baseline bound the rate needed to get from one to the other.

    The required rate rises with the target and falls with the baseline. A target printed as a
    lower bound ("over 1000") makes the rate a lower bound; a baseline printed as a lower bound,
    or one that covers only part of what the target measures (the true baseline is larger),
    makes it an upper bound; both together leave no direction ("either way").
    Returns a key of DIRECTIONS."""
    up = target_q in LOWER_BOUNDS or base_q in UPPER_BOUNDS
    down = target_q in UPPER_BOUNDS or base_q in LOWER_BOUNDS or not base_covers_target
    if up and down:
        return "either way"
    if up:
        return "lower bound" if "more_than" in (target_q,) or base_q == "less_than" else "lower bound (inclusive)"
    if down:
        strict = base_q == "more_than" or target_q == "less_than"
        return "upper bound" if strict else "upper bound (inclusive)"
    if target_q in ("about", "nearly") or base_q in ("about", "nearly"):
        return "approximate"
    return "exact"


def _sign(target_q: str | None, base_q: str | None = None, base_covers_target: bool = True) -> str:
    """The sign of a required rate: '>', '≥', '<', '≤', '?' (either way), '≈' or ''."""
    d = rate_direction(target_q, base_q, base_covers_target)
    return "?" if d == "either way" else QUALIFIER_SIGN[DIRECTIONS[d]]


@dataclass(frozen=True)
class RequiredRate:
    """The growth a year a target needs from its baseline, with the direction in which the
    printed qualifiers (and a baseline narrower than the target) bound it."""
    rate: float
    unit: str
    direction: str
    multiple: float
    from_year: int
    to_year: int
    year_read: str = ""

    @property
    def qualifier(self) -> str:
        return DIRECTIONS[self.direction]

    @property
    def sign(self) -> str:
        return "?" if self.direction == "either way" else QUALIFIER_SIGN[self.qualifier]

    def label(self, decimals: int = 1) -> str:
        """Short form for tables and figure labels: '>85.6%', '≤189.4%', '≈49.5% (either way)'
        (Chinese edition: '>85.6%', '≈49.5%（方向不定）', '>3.2个百分点')."""
        u = "%" if self.unit == "%/yr" else tr(" pp")
        if self.direction == "either way":
            return tr("≈{rate}{unit} (either way)", rate=f"{self.rate:.{decimals}f}", unit=u)
        return label(self.rate, self.qualifier, f"{{:.{decimals}f}}") + u

    def words(self, decimals: int = 0) -> str:
        """'more than 85% a year', 'at most 189% a year', 'about 49% a year' (Chinese edition:
        '每年超过85%', '每年约3个百分点')."""
        number = words(self.rate, self.qualifier, f"{{:.{decimals}f}}")
        if self.unit == "%/yr":
            return tr("{number}% a year", number=number)
        return tr("{number} points a year", number=number)

    def statement(self, decimals: int = 0) -> str:
        """The rate in words with its period and direction, and where the book reads the target
        year, that it does: 'about 189% a year from 2021 to 2025, either way (s001 gives no
        year; the book reads 2025)'."""
        s = tr("{rate} from {start} to {end}", rate=self.words(decimals), start=self.from_year, end=self.to_year)
        s += tr(", either way") if self.direction == "either way" else ""
        return Text(s + (tr(" ({why})", why=tr(self.year_read)) if self.year_read else ""), of=as_num(self.rate))


def required_rate(target_value: float, target_q: str, base_value: float, base_q: str, from_year: int, to_year: int,
                  *, share: bool = False, base_covers_target: bool = True, year_read: str = "") -> RequiredRate:
    """The one computation of a target's required rate and its direction, used by every chapter.

    Compound % a year (or percentage points a year for shares) from `base_value` in
    `from_year` to `target_value` in `to_year`; the direction comes from `rate_direction`."""
    years = to_year - from_year
    rate = (target_value - base_value) / years if share else cagr(base_value, target_value, years)
    return RequiredRate(rate=rate, unit="pp/yr" if share else "%/yr",
                        direction=rate_direction(target_q, base_q, base_covers_target),
                        multiple=target_value / base_value, from_year=from_year, to_year=to_year, year_read=year_read)


def target_year(fact_id: str, period_end, period_basis: str) -> tuple[int | None, str]:
    """The year a target is for, and why where the book reads it: the document's year unless the
    document gives none (period_basis 'unknown'); then READ_YEAR, or None."""
    if period_basis == "unknown":
        return READ_YEAR.get(fact_id, (None, ""))
    return int(pd.Timestamp(period_end).year), ""


def tier_rate(target_id: str, folder=None) -> RequiredRate:
    """Required rate of a "355N" tier from its mapped 2021 baseline (BASELINE_MAP)."""
    f = _facts(folder).set_index("fact_id")
    t, m = f.loc[target_id], BASELINE_MAP[target_id]
    b = f.loc[m.fact]
    year, why = target_year(target_id, t.period_end, t.period_basis)
    return required_rate(Num.of_fact(target_id, float(t.value)), t.qualifier, Num.of_fact(m.fact, float(b.value)),
                         b.qualifier, _year(b.period_end), year,
                         base_covers_target=m.covers_target, year_read=why)


_SHORT_UNITS = {
    "%": "%", "个百分点": "pp", "家": "firms", "户": "firms", "个": "", "万个": "× 10k",
    "年": "years", "日": "day", "亩": "mu", "万亩": "× 10k mu", "平方公里": "km²",
    "万平方米": "× 10k m²", "MW": "MW", "万千瓦": "× 10k kW", "万吨": "× 10k t",
    "机柜": "cabinets", "万机柜": "× 10k cabinets", "批": "batches", "步": "steps",
    "条": "items", "番": "doubling(s)", "万元": "× 10k yuan", "件": "items",
}


_SINGULAR = {"firms": "firm", "years": "year", "batches": "batch", "steps": "step", "items": "item",
             "cabinets": "cabinet", "doubling(s)": "doubling"}


def display_value(value_reported: float, unit_reported: str, qualifier: str = "exactly", what: str = "") -> str:
    """A fact as a reader should see it: money in billion yuan, other units in short English.

    `what` is the indicator's English name: the counter 家 counts firms, but also parks,
    institutions and bases, so it reads "firms" only where the indicator is about firms.
    Examples: '>100 bn yuan', '90 firms', '≥0.45%', '≥2' (new-type R&D institutions)."""
    from .calc import QUALIFIER_SIGN

    from .calc import bound_round

    sign = QUALIFIER_SIGN.get(qualifier, "")
    if is_zh():  # as the document prints it: 100亿元, 90家, 0.45%
        num = f"{bound_round(value_reported, qualifier, 2):,.2f}".rstrip("0").rstrip(".")
        return f"{sign}{num}{unit_reported}"
    if unit_reported in ("亿元", "亿"):
        return f"{sign}{bound_round(value_reported / 10, qualifier, 2):,.2f} bn yuan".replace(".00 bn", " bn")
    unit = _SHORT_UNITS.get(unit_reported, unit_reported)
    if unit == "firms" and not re.search(r"firm|enterprise|compan", what, re.I):
        unit = ""
    if value_reported == 1 and unit in _SINGULAR:
        unit = _SINGULAR[unit]
    num = f"{bound_round(value_reported, qualifier, 2):,.2f}".rstrip("0").rstrip(".")
    return f"{sign}{num}{'' if unit == '%' else ' '}{unit}".strip()


def _year(ts) -> int:
    return int(pd.Timestamp(ts).year)


def targets(folder=None) -> pd.DataFrame:
    """Every fact with status 'target' or 'plan', set against what the documents report.

    Columns: fact_id, source_id, status, entity_en, indicator_en, measure, target (display),
    target_value (base units), qualifier, target_year, basis, base_fact, base (display),
    base_year, base_source, years, rate, rate_unit, rate_sign, rate_label, latest_fact,
    latest (display), latest_year, mapping.

    `basis` says how the rate was found:
    'baseline' (an actual of the same entity and indicator, the target's own document first),
    'mapped baseline' (BASELINE_MAP), 'stated rate' (the target is itself a growth rate, or
    STATED_RATE gives one), 'cumulative rate' (CUMULATIVE_RATE, annualised), 'doubling'
    (a number of doublings over the period), 'between targets' (the step from an earlier
    target of the same thing), or 'none' ("no baseline in the documents").
    Shares get an annual gain in percentage points, everything else a compound rate in % a year.
    """
    cols = ["fact_id", "source_id", "entity_id", "indicator_id", "entity_en", "indicator_en", "measure", "value",
            "value_reported", "unit_reported", "qualifier", "status", "period_end", "period_basis", "base_period"]
    f = _facts(folder)[cols]
    years_read = [target_year(i, e, b) for i, e, b in zip(f["fact_id"], f["period_end"], f["period_basis"])]
    f = f.assign(year=[math.nan if y is None else y for y, _ in years_read], year_read=[w for _, w in years_read])
    by_id = f.set_index("fact_id")
    actual = f[f["status"] == "actual"]
    groups = {k: g for k, g in actual.groupby(["entity_id", "indicator_id"])}
    none = actual.iloc[:0]
    tg = f[f["status"].isin(["target", "plan"])].sort_values("fact_id")
    rows = []
    for t in tg.itertuples(index=False):
        tv = Num.of_fact(t.fact_id, float(t.value))   # rates computed from it say which facts they read
        r = {
            "fact_id": t.fact_id, "source_id": t.source_id, "status": t.status,
            "entity_en": t.entity_en, "indicator_en": t.indicator_en, "measure": t.measure,
            "target": display_value(t.value_reported, t.unit_reported, t.qualifier, t.indicator_en),
            "target_value": float(t.value), "qualifier": t.qualifier,
            "target_year": None if math.isnan(t.year) else int(t.year), "year_read": t.year_read,
            "basis": "none", "base_fact": None, "base": None, "base_year": None, "base_source": None,
            "years": None, "rate": math.nan, "rate_unit": None, "rate_sign": "", "rate_label": "",
            "latest_fact": None, "latest": None, "latest_year": None, "rate_latest": math.nan,
            "rate_latest_label": "", "mapping": "", "direction": "", "required": None,
            "required_latest": None,
        }
        same = groups.get((t.entity_id, t.indicator_id), none)
        covers = True
        if math.isnan(t.year):
            base, basis = None, "none"
            r["mapping"] = tr("the document gives no year for this target")
        elif t.fact_id in BASELINE_MAP:
            bid, covers, why = BASELINE_MAP[t.fact_id]
            b = by_id.loc[bid]
            same = groups.get((b.entity_id, b.indicator_id), none)
            base, basis = b.rename(bid), "mapped baseline"
            r["mapping"] = tr(why)
        elif t.measure in _GROWABLE and t.indicator_id not in NO_RATE and len(same[same["year"] < t.year]):
            before = same[same["year"] < t.year]
            own = before[before["source_id"] == t.source_id]
            pick = (own if len(own) else before).sort_values("period_end").iloc[-1]
            base, basis = by_id.loc[pick.fact_id].rename(pick.fact_id), "baseline"
        else:
            base, basis = None, "none"
        if len(same):
            last = same.sort_values("period_end").iloc[-1]
            r.update(latest_fact=last.fact_id, latest=display_value(last.value_reported, last.unit_reported, last.qualifier, last.indicator_en),
                     latest_year=int(last.year))
        if base is not None:
            years = int(t.year) - _year(base.period_end)
            r.update(basis=basis, base_fact=base.name, base=display_value(base.value_reported, base.unit_reported, base.qualifier, base.indicator_en),
                     base_year=_year(base.period_end), base_source=base.source_id, years=years)
            rr = required_rate(tv, t.qualifier, Num.of_fact(base.name, float(base.value)), base.qualifier,
                               _year(base.period_end),
                               int(t.year), share=t.measure == "share", base_covers_target=covers, year_read=t.year_read)
            r.update(rate=rr.rate, rate_unit=rr.unit, rate_sign=rr.sign, direction=rr.direction, required=rr)
            if r["latest_fact"] not in (None, base.name):
                last = by_id.loc[r["latest_fact"]]
                ly = int(t.year) - _year(last.period_end)
                if ly > 0:
                    rl = required_rate(tv, t.qualifier, Num.of_fact(last.name, float(last.value)), last.qualifier,
                                       _year(last.period_end), int(t.year), share=t.measure == "share")
                    r["rate_latest"] = rl.rate
                    r["required_latest"] = rl
                    r["rate_latest_label"] = rl.label(1) + tr("/yr")
        elif math.isnan(t.year):
            pass
        elif t.measure == "growth_rate":
            years = int(t.year) - int(t.base_period)
            r.update(years=years, base_year=int(t.base_period), rate_unit="%/yr")
            if t.fact_id in CUMULATIVE_RATE:
                r.update(basis="cumulative rate", rate=((1 + tv / 100) ** (1 / years) - 1) * 100,
                         mapping=tr(CUMULATIVE_RATE[t.fact_id]))
            else:
                r.update(basis="stated rate", rate=tv)
            r["rate_sign"] = _sign(t.qualifier)
            past = same
            if t.fact_id in PAST_RATE_MAP:
                pid, why = PAST_RATE_MAP[t.fact_id]
                past = f[f["fact_id"] == pid]
                r["mapping"] = tr(why)
            if len(past):
                p = past.sort_values("period_end").iloc[-1]
                r.update(latest_fact=p.fact_id, latest=display_value(p.value_reported, p.unit_reported, p.qualifier, p.indicator_en) + tr("/yr"),
                         latest_year=int(p.year))
        elif t.unit_reported == "番":
            years = int(t.year) - int(t.base_period)
            r.update(basis="doubling", years=years, base_year=int(t.base_period), rate_unit="%/yr",
                     rate=(2 ** (tv / years) - 1) * 100, rate_sign=_sign(t.qualifier))
        elif t.fact_id in STATED_RATE:
            g = by_id.loc[STATED_RATE[t.fact_id]]
            years = int(t.year) - int(g.base_period)
            implied = t.value / (1 + g.value / 100) ** years
            r.update(basis="stated rate", years=years, base_year=int(g.base_period), rate=Num.of_fact(g.name, float(g.value)),
                     rate_unit="%/yr", rate_sign=_sign(g.qualifier),
                     base=tr("none given ({value} implied)", value=display_value(implied / YI, "亿元", "about")),
                     mapping=tr("rate stated by {fact}; the {year} level is not given", fact=STATED_RATE[t.fact_id],
                                year=int(g.base_period)))
        elif t.measure in _GROWABLE:
            earlier = tg[(tg["entity_id"] == t.entity_id) & (tg["indicator_id"] == t.indicator_id) & (tg["year"] < t.year)]
            if len(earlier):
                e = earlier.sort_values("period_end").iloc[-1]
                years = int(t.year) - int(e.year)
                r.update(basis="between targets", base_fact=e.fact_id,
                         base=display_value(e.value_reported, e.unit_reported, e.qualifier, e.indicator_en) + tr(" (target)"),
                         base_year=int(e.year), base_source=e.source_id, years=years,
                         rate=cagr(Num.of_fact(e.fact_id, float(e.value)), tv, years), rate_unit="%/yr",
                         rate_sign=_sign(t.qualifier, e.qualifier))
        if not math.isnan(r["rate"]):
            if r.get("required") is None:
                d = {"?": "either way"}.get(r["rate_sign"]) or next(
                    k for k, q in DIRECTIONS.items() if QUALIFIER_SIGN[q] == r["rate_sign"])
                r["direction"] = d
                r["required"] = RequiredRate(rate=r["rate"], unit=r["rate_unit"], direction=d, multiple=math.nan,
                                             from_year=int(r["base_year"]), to_year=int(t.year), year_read=t.year_read)
            r["rate_label"] = r["required"].label(1) + tr("/yr")
        rows.append(r)
    out = pd.DataFrame(rows)
    for c in ["target_year", "base_year", "years", "latest_year"]:
        out[c] = out[c].astype("Int64")
    return out


# ------------------------------------------------------------------ Wujiang

WUJIANG = {
    "secondary_va": "f004-001", "secondary_va_growth": "f004-002",
    "industrial_va": "f004-003", "industrial_va_growth": "f004-004",
    "firms_2015": "f004-005", "firms_2020": "f004-006",
    "construction_output": "f004-007", "construction_output_growth_5y": "f004-008",
    "construction_output_growth": "f004-009", "construction_va": "f004-010",
    "construction_va_growth": "f004-011",
    "output_target": "f004-032", "output_growth_target": "f004-033",
    "va_above_growth_target": "f004-034", "firms_target": "f004-035",
    "construction_va_growth_target": "f004-036", "rd_intensity_target": "f004-037",
    "rd_share_target": "f004-038", "rd_growth_target": "f004-039",
    "new_rd_target": "f004-040", "incubator_target": "f004-041", "patents_target": "f004-042",
    "parks_transferred": "f004-031",
}


def wujiang(folder=None) -> dict:
    """Wujiang's 2015-2020 record and 2025 targets, with what they imply (values in 亿元,
    counts, % a year).

    Keys: levels (2020, 亿元), rates_past (% a year, 2016-2020), rates_target (% a year,
    2021-2025), firms (2015, 2020, 2025 target, 2025 at the past pace), implied_output_2020
    (the 2020 above-size output the 2025 target and its stated rate imply, with the range
    for a rate of 4.5-5.5 %), va_output_ratio (2020 industrial value added over that implied
    output) and the facts used."""
    by_id = _facts(folder).set_index("fact_id")
    w = {k: value(fid, by_id, entity="wujiang") for k, fid in WUJIANG.items()}
    yi = {k: w[k] / YI for k in ["secondary_va", "industrial_va", "construction_output", "construction_va", "output_target"]}
    firms_past = cagr(w["firms_2015"], w["firms_2020"], 5)
    firms_req = cagr(w["firms_2020"], w["firms_target"], 5)
    g = w["output_growth_target"]
    implied = yi["output_target"] / (1 + g / 100) ** 5
    lo, hi = yi["output_target"] / (1 + (g + 0.5) / 100) ** 5, yi["output_target"] / (1 + (g - 0.5) / 100) ** 5
    return {
        "levels": yi,
        "rates_past": {"secondary_va": w["secondary_va_growth"], "industrial_va": w["industrial_va_growth"],
                       "construction_va": w["construction_va_growth"], "construction_output": w["construction_output_growth"],
                       "firms": firms_past},
        "rates_target": {"industrial_output_above": g, "industrial_va_above": w["va_above_growth_target"],
                         "construction_va": w["construction_va_growth_target"], "firms": firms_req},
        "firms": {"2015": w["firms_2015"], "2020": w["firms_2020"], "2025_target": w["firms_target"],
                  "2025_at_past_pace": w["firms_2020"] * (1 + firms_past / 100) ** 5},
        "implied_output_2020": implied, "implied_output_2020_range": (lo, hi),
        "va_output_ratio": yi["industrial_va"] / implied * 100,
        "construction_va_2025_at_target": yi["construction_va"] * (1 + w["construction_va_growth_target"] / 100) ** 5,
        "parks_transferred": w["parks_transferred"],
        "facts": list(WUJIANG.values()),
    }


# ------------------------------------------------------------------ discrepancies

#: Names under which the same cluster appears in the documents (checked against the quotes).
NAME_VARIANTS = {
    "sg_adv_equipment": ["先进装备制造业", "先进装备制造", "装备制造"],
    "sg_light_industry": ["现代轻工产业", "现代轻工消费品"],
    "sg_biomed": ["生物医药与大健康", "生物医药和大健康", "生物医药"],
}

VERDICTS = [N_("consistent"), N_("small gap"), N_("does not add up"), N_("sources disagree"), N_("different scopes"),
            N_("internal tension"), N_("names differ"), N_("not comparable"), N_("cannot be checked")]


def _attested(variants: list[str], quotes: pd.DataFrame, owner: str | None = None) -> dict[str, list[str]]:
    """For each name variant, the rows whose quote prints it (a shorter name counts only where
    it is not part of a longer variant). `quotes` has columns id, owner, quote; with `owner`,
    only rows about that entity count."""
    if owner is not None:
        quotes = quotes[quotes["owner"] == owner]
    out = {}
    for v in variants:
        longer = [x for x in variants if v in x and x != v]
        hits = []
        for rid, q in zip(quotes["id"], quotes["quote"]):
            q = str(q)
            for x in longer:
                q = q.replace(x, "")
            if v in q:
                hits.append(rid)
        out[v] = hits
    return out


#: A gap beyond rounding but under this share of the total (in %) is a "small gap".
SMALL_GAP_PCT = 1.0


def discrepancies(folder=None) -> pd.DataFrame:
    """Every disagreement between documents and every sum or rate that does not add up.

    One row per check declared in `audit_checks.CHECKS`: check_id, kind ('sum', 'rates',
    'scope', 'cross-source', 'internal' (two figures of one document that should match),
    'naming', 'plan'), topic, description (what is compared), sources, facts (ids read,
    and rows found by search), compared (the values as printed, in words), value_a,
    value_b, unit, gap (value_a - value_b), gap_pct (gap / value_b, %), tolerance (what
    rounding of the printed digits allows; NaN where it does not apply), tolerance_basis,
    verdict (one of VERDICTS), verdict_rule, verdict_text (plain sentences), overlaps
    (checks declared to show the same problem), problem (the first check of its problem,
    NaN where the verdict flags none), same_problem_as and read (the ids the check used).

    Where a figure is a bound, the gap is a bound too and the text says so."""
    from .audit_checks import run

    return run(folder)


def problems(folder=None) -> pd.DataFrame:
    """The tally of problems: checks whose verdict flags one, with overlapping checks counted once."""
    from .audit_checks import problems as _problems

    return _problems(discrepancies(folder))


# ------------------------------------------------------------------ sources

#: The `covers` texts of data/sources.csv, marked for the catalogue: the chapter shows them with
#: `tr`, so a source record changed without its Chinese fails the Chinese edition and names the text.
COVERS_TEXTS = [N_("2005-2025; mostly 2021"), N_("2019-2030; events of June 2021"), N_("2016-2035; mostly 2020"),
                N_("2024 (the year of the notice; no plan horizon stated)"), N_("2015-2025; 2020 baselines")]

def source_profile(folder=None) -> pd.DataFrame:
    """Facts per source: kind, official or not, counts by status and qualifier group, the
    years the facts cover (first period start to last period end) and the years the source
    record says it covers, and how many events it dates."""
    f = load("facts", folder)
    s = load("sources", folder)
    ev = load("events", folder)
    f = f.assign(qgroup=f["qualifier"].map(QUALIFIER_GROUP))
    status = pd.crosstab(f["source_id"], f["status"]).reindex(columns=STATUSES, fill_value=0)
    qual = pd.crosstab(f["source_id"], f["qgroup"]).reindex(columns=QUALIFIER_GROUPS, fill_value=0)
    years = f.groupby("source_id").agg(first=("period_start", "min"), last=("period_end", "max"))
    out = s.set_index("source_id")[["short_en", "kind", "official", "date", "date_precision", "covers"]].join(
        f.groupby("source_id").size().rename("facts"), how="inner")
    out = out.join(status).join(qual)
    out["first_year"] = years["first"].dt.year
    out["last_year"] = years["last"].dt.year
    out["events"] = ev.groupby("source_id").size().reindex(out.index, fill_value=0)
    return out.reset_index()


# ------------------------------------------------------------------ events

def events(folder=None) -> pd.DataFrame:
    """events.csv sorted by date, each date read as the interval its precision allows.

    Added columns: start, end (Timestamps: a year-precision date spans the year, a month
    the month, a day the day), year, prospective (True where the event's status is expected or
    target: not reported as done when the document was written)."""
    ev = load("events", folder).copy()
    start = pd.to_datetime(ev["date"].astype(str).where(ev["date_precision"] != "year", ev["date"].astype(str) + "-01"),
                           format="mixed")
    end = start.copy()
    for prec, off in [("year", pd.offsets.YearEnd(0)), ("month", pd.offsets.MonthEnd(0))]:
        m = ev["date_precision"] == prec
        end[m] = start[m] + off
    ev["start"], ev["end"] = start, end
    ev["year"] = start.dt.year
    ev["prospective"] = ev["status"] != "actual"
    order = {"day": 0, "month": 1, "year": 2}
    ev["_p"] = ev["date_precision"].map(order)
    return ev.sort_values(["start", "_p", "event_id"]).drop(columns="_p").reset_index(drop=True)


def event_counts(folder=None) -> pd.DataFrame:
    """Number of events by kind (rows) and source (columns), with totals."""
    ev = load("events", folder)
    t = pd.crosstab(ev["kind"], ev["source_id"], margins=True, margins_name="all")
    kinds = t.drop(index="all").sort_values("all", ascending=False).index.tolist()
    return t.loc[kinds + ["all"]]


def event_provenance(event_ids, title: str | None = None, folder=None):
    """A collapsed HTML table of the events a figure uses, with source, section and quote.

    The events counterpart of `pe.provenance` (which takes fact ids only); same markup and
    CSS classes, so it looks the same on the page."""
    import html

    from IPython.display import HTML

    title = tr("Sources of this figure") if title is None else title
    ev = load("events", folder).set_index("event_id")
    ids = list(dict.fromkeys(event_ids))
    missing = [i for i in ids if i not in ev.index]
    if missing:
        raise KeyError(f"event_provenance: unknown event ids {missing}")
    cells = []
    for eid in ids:
        r = ev.loc[eid]
        kind = tr(EVENT_KINDS[r["kind"]])
        # the events table has no Chinese title: the Chinese edition names the entity and the kind (the quote follows)
        what = f"{name(r['entity_id'])}：{kind}" if is_zh() else f"{r['title_en']} ({kind})"
        cells.append(
            "<tr>"
            f"<td><code>{eid}</code></td>"
            f"<td>{html.escape(str(what))}</td>"
            f"<td>{html.escape(str(r['date']))}{tr(' ({precision})', precision=tr(PRECISIONS[r['date_precision']]))}</td>"
            f"<td>{html.escape(str(r['source_id']))}, {html.escape(str(r['locator']))}</td>"
            f"<td lang=\"zh\">{html.escape(str(r['quote']))}</td>"
            "</tr>"
        )
    heads = "".join(f"<th>{tr(h)}</th>" for h in (N_("event"), N_("what"), N_("date"), N_("source, section"), N_("quote")))
    return HTML(
        f'<details class="provenance"><summary>{html.escape(title)}{tr(" ({n} events)", n=len(ids))}</summary>'
        f'<table class="provenance-table"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{''.join(cells)}</tbody></table></details>"
    )


#: Event kinds (events.kind) and date precisions in words; the Chinese edition translates them.
EVENT_KINDS = {"reform": N_("reform"), "document_issued": N_("document issued"), "meeting": N_("meeting"),
               "pilot_batch": N_("pilot batch"), "signing": N_("signing"), "designation": N_("designation"),
               "construction": N_("construction"), "milestone": N_("milestone")}
PRECISIONS = {"day": N_("day"), "month": N_("month"), "year": N_("year"), "not_before": N_("not before")}


def lanes(ev: pd.DataFrame, pad_days: int = 25) -> pd.Series:
    """A lane number for each event so that events of one kind whose intervals (padded by
    `pad_days` on each side, so that single days do not touch) overlap get different lanes;
    for drawing the timeline. Returns lane numbers (0, 1, 2, …) indexed like `ev`."""
    pad = pd.Timedelta(days=pad_days)
    out = pd.Series(0, index=ev.index)
    for _, grp in ev.groupby("kind"):
        ends: list[pd.Timestamp] = []
        for i, r in grp.sort_values(["start", "end"]).iterrows():
            for k, e in enumerate(ends):
                if r["start"] - pad > e:
                    ends[k] = r["end"] + pad
                    out[i] = k
                    break
            else:
                ends.append(r["end"] + pad)
                out[i] = len(ends) - 1
    return out
