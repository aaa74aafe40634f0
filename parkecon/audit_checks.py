"""The audit's checks, declared one by one: where documents disagree or do not add up.

Each check is a small function registered with `@check(...)`, which declares its id, its
kind, what it compares, the ids it reads (facts, events, measures), how its tolerance is
set, the rule that turns the comparison into a verdict and the checks it overlaps (two
checks that show the same problem). The function only computes: it returns a `Result`
(the values compared, as printed and as numbers, a tolerance and a sentence for the
reader); the declared rule gives the verdict.

`CHECKS` is the one list that the chapter's table (`run`), the tally (`problems`) and the
tests read. A new check is one function with its declaration.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from .audit import NAME_VARIANTS, SMALL_GAP_PCT, VERDICTS, _attested, wujiang
from .calc import LOWER_BOUNDS, YI
from .data import load
from .provenance import facts as _facts
from .provenance import value

#: Verdicts that flag a problem: figures that should fit and do not.
PROBLEM_VERDICTS = ("small gap", "does not add up", "sources disagree", "internal tension")

#: Units for which a relative gap (gap / b, %) is shown.
_PCT_UNITS = {"亿元", "centres", "projects", "10k m²"}

KINDS = ("sum", "rates", "scope", "cross-source", "internal", "naming", "plan")


@dataclass(frozen=True)
class Result:
    """What a check computed: the values compared (in words and as numbers a and b), the
    rounding allowance (NaN where none applies), whether the condition the check tests
    holds (for rules that need it), one sentence for the reader, and any rows found by
    searching a table (cluster rows, quotes) rather than read by id."""
    compared: str
    a: float
    b: float
    unit: str
    text: str
    tol: float = math.nan
    holds: bool | None = None
    evidence: tuple[str, ...] = ()

    @property
    def gap(self) -> float:
        return self.a - self.b


@dataclass(frozen=True)
class Rule:
    """How a result becomes a verdict, stated in words and as a function."""
    text: str
    decide: Callable[[Result], str]


def _within_rounding(r: Result) -> bool:
    return abs(r.gap) <= r.tol + 1e-9


SUM = Rule(f"consistent if the gap is within rounding; a small gap if beyond it but under {SMALL_GAP_PCT:g}% of b; "
           "otherwise does not add up",
           lambda r: "consistent" if _within_rounding(r)
           else "small gap" if abs(r.gap) / abs(r.b) * 100 < SMALL_GAP_PCT else "does not add up")
ROUNDING = Rule("consistent if the gap is within rounding, otherwise a small gap",
                lambda r: "consistent" if _within_rounding(r) else "small gap")
BEYOND_TOLERANCE = Rule("does not add up if a exceeds b by more than the tolerance, otherwise consistent",
                        lambda r: "does not add up" if r.gap > r.tol else "consistent")
HOLDS = Rule("consistent if the condition holds, otherwise does not add up",
             lambda r: "consistent" if r.holds else "does not add up")
AGREE = Rule("consistent if the two documents agree, otherwise sources disagree",
             lambda r: "consistent" if r.holds else "sources disagree")
PART_OF_WHOLE = Rule("different scopes if the part is no larger than the whole, otherwise does not add up",
                     lambda r: "different scopes" if r.a <= r.b else "does not add up")
NAMES = Rule("names differ if the documents use more than one name or list, otherwise consistent",
             lambda r: "names differ" if r.holds else "consistent")


def fixed(verdict: str, why: str) -> Rule:
    """A verdict that no arithmetic decides: stated, with the reason."""
    assert verdict in VERDICTS, verdict
    return Rule(f"{verdict}: {why}", lambda r: verdict)


@dataclass(frozen=True)
class Check:
    id: str
    kind: str
    topic: str
    compares: str
    reads: tuple[str, ...]
    tolerance: str
    rule: Rule
    overlaps: tuple[str, ...]
    compute: Callable[["Reader"], Result] = field(repr=False)


#: Every check, in the order the chapter shows them.
CHECKS: dict[str, Check] = {}


def check(id: str, kind: str, topic: str, *, compares: str, reads: tuple[str, ...] | list[str], rule: Rule,
          tolerance: str = "none", overlaps: tuple[str, ...] = ()):
    """Register a check function under its declaration."""
    assert kind in KINDS, kind

    def register(fn: Callable[["Reader"], Result]):
        if id in CHECKS:
            raise ValueError(f"check {id} is declared twice")
        CHECKS[id] = Check(id, kind, topic, compares, tuple(reads), tolerance, rule, tuple(overlaps), fn)
        return fn
    return register


class Reader:
    """The curated tables, for checks; records which ids a check reads (tests compare that
    with what the check declares)."""

    def __init__(self, folder=None):
        self.folder = folder
        self.facts = _facts(folder)
        self.by_id = self.facts.set_index("fact_id")
        self.cluster_system = load("cluster_system", folder)
        self.events = load("events", folder).set_index("event_id")
        self.measures = load("measures", folder).set_index("measure_id")
        self.names = dict(zip(*load("entities", folder)[["entity_id", "name_en"]].to_numpy().T))
        self.used: set[str] = set()

    def v(self, fid: str, entity: str | None = None, indicator: str | None = None) -> float:
        """A fact's value in base units (checked against the entity and indicator expected)."""
        self.used.add(fid)
        return value(fid, self.by_id, entity=entity, indicator=indicator)

    def yi(self, fid: str, **kw) -> float:
        """A money fact in 亿元, the unit the documents print."""
        return self.v(fid, **kw) / YI

    def fact(self, fid: str) -> pd.Series:
        self.used.add(fid)
        return self.by_id.loc[fid]

    def event(self, eid: str) -> pd.Series:
        self.used.add(eid)
        return self.events.loc[eid]

    def measure(self, mid: str) -> pd.Series:
        self.used.add(mid)
        return self.measures.loc[mid]


def source_of(row_id: str) -> str:
    """The source of a fact, event, measure or cluster row: f001-042 -> s001."""
    return "s" + row_id[1:4]


def overlap_groups(ids=None) -> list[set[str]]:
    """Checks joined by declared overlaps (in either direction), as groups of ids."""
    ids = set(CHECKS) if ids is None else set(ids)
    groups: list[set[str]] = []
    for cid in CHECKS:
        if cid not in ids:
            continue
        linked = {cid} | {o for o in CHECKS[cid].overlaps if o in ids} | \
                 {c for c in ids if cid in CHECKS[c].overlaps}
        merged = [g for g in groups if g & linked]
        for g in merged:
            groups.remove(g)
            linked |= g
        groups.append(linked)
    order = list(CHECKS)
    return sorted(groups, key=lambda g: min(order.index(c) for c in g))


def run(folder=None) -> pd.DataFrame:
    """Every check's result as one table (see `audit.discrepancies`)."""
    reader = Reader(folder)
    rows = []
    for c in CHECKS.values():
        reader.used = set()
        r = c.compute(reader)
        verdict = c.rule.decide(r)
        gap_pct = (r.gap / r.b * 100 if r.unit in _PCT_UNITS and verdict != "not comparable" and c.kind != "plan"
                   else math.nan)
        ids = list(dict.fromkeys(list(c.reads) + list(r.evidence)))
        rows.append(dict(check_id=c.id, kind=c.kind, topic=c.topic.format_map(reader.names), description=c.compares,
                         sources=", ".join(sorted({source_of(i) for i in ids})), facts=tuple(ids),
                         compared=r.compared, value_a=r.a, value_b=r.b, unit=r.unit, gap=r.gap, gap_pct=gap_pct,
                         tolerance=r.tol, tolerance_basis=c.tolerance, verdict=verdict, verdict_rule=c.rule.text,
                         verdict_text=r.text, overlaps=c.overlaps, read=tuple(sorted(reader.used))))
    out = pd.DataFrame(rows)
    problem = out["verdict"].isin(PROBLEM_VERDICTS)
    group_of = {}
    for g in overlap_groups(out.loc[problem, "check_id"]):
        first = min(g, key=list(CHECKS).index)
        for cid in g:
            group_of[cid] = first
    out["problem"] = out["check_id"].map(group_of)  # NaN where the check flags no problem
    out["same_problem_as"] = [tuple(sorted((c for c, p in group_of.items() if p == group_of.get(cid) and c != cid),
                                           key=list(CHECKS).index)) for cid in out["check_id"]]
    out["verdict"] = pd.Categorical(out["verdict"], categories=VERDICTS)
    return out


def problems(table: pd.DataFrame) -> pd.DataFrame:
    """The tally: one row per problem (checks that overlap count once), with the checks that show it."""
    p = table[table["problem"].notna()]
    return (p.groupby("problem", sort=False)
            .agg(checks=("check_id", tuple), verdicts=("verdict", lambda v: tuple(dict.fromkeys(map(str, v)))),
                 topic=("topic", "first"))
            .reset_index())


# ------------------------------------------------------------------ sums of parts against totals, within one document

ROUND_2DP = "rounding of figures printed to 0.01 亿元: ±0.005 for each figure"


@check("S1", "sum", "Park fixed-asset investment, 2021",
       compares="industrial + infrastructure investment against the total (s000 一(二)2)",
       reads=("f000-038", "f000-040", "f000-036"), tolerance=ROUND_2DP, rule=SUM)
def _s1(r: Reader) -> Result:
    ind, inf = r.yi("f000-038", indicator="fai_industrial"), r.yi("f000-040", indicator="fai_infrastructure")
    tot = r.yi("f000-036", indicator="fai")
    return Result(f"{ind:.2f} + {inf:.2f} = {ind + inf:.2f} vs {tot:.2f} 亿元", ind + inf, tot, "亿元",
                  f"The parts exceed the total by {ind + inf - tot:.2f} 亿元, more than rounding of the printed digits "
                  "allows; small.", tol=3 * 0.005)


@check("S2", "rates", "Park fixed-asset investment growth, 2021",
       compares="growth of the total implied by the parts' levels and growth rates, against the stated growth",
       reads=("f000-038", "f000-039", "f000-040", "f000-041", "f000-037"),
       tolerance="rounding of two rates printed to one decimal: ±0.05 points each", rule=ROUNDING)
def _s2(r: Reader) -> Result:
    ind, inf = r.yi("f000-038"), r.yi("f000-040")
    prev = ind / (1 + r.v("f000-039") / 100) + inf / (1 + r.v("f000-041") / 100)
    g_parts, g_tot = ((ind + inf) / prev - 1) * 100, r.v("f000-037")
    return Result(f"{g_parts:.2f} % implied vs {g_tot:.1f} % stated", g_parts, g_tot, "%",
                  "The growth rates agree with each other; only the levels are off (S1).", tol=0.05 + 0.05)


@check("S3", "sum", "Wujiang secondary industry, 2020",
       compares="industrial + construction value added against secondary-industry value added (s004 第一章)",
       reads=("f004-003", "f004-010", "f004-001"), tolerance=ROUND_2DP, rule=SUM)
def _s3(r: Reader) -> Result:
    i20, c20 = r.yi("f004-003", entity="wujiang"), r.yi("f004-010", entity="wujiang")
    s20 = r.yi("f004-001", entity="wujiang")
    return Result(f"{i20:.2f} + {c20:.2f} = {i20 + c20:.2f} vs {s20:.2f} 亿元", i20 + c20, s20, "亿元",
                  f"The parts exceed the total by {i20 + c20 - s20:.2f} 亿元, just beyond rounding; negligible.",
                  tol=3 * 0.005)


@check("S4", "rates", "Wujiang secondary-industry growth, 2016-2020",
       compares="average growth of the secondary industry implied by its two parts' rates, against the stated rate",
       reads=("f004-003", "f004-004", "f004-010", "f004-011", "f004-001", "f004-002"),
       tolerance="rounding of two rates printed to one decimal: ±0.05 points each", rule=ROUNDING)
def _s4(r: Reader) -> Result:
    i20, c20 = r.yi("f004-003"), r.yi("f004-010")
    prev = i20 / (1 + r.v("f004-004") / 100) ** 5 + c20 / (1 + r.v("f004-011") / 100) ** 5
    g_impl, gs = (((i20 + c20) / prev) ** (1 / 5) - 1) * 100, r.v("f004-002")
    return Result(f"{g_impl:.2f} % a year implied vs {gs:.1f} % stated", g_impl, gs, "%/yr",
                  "Slightly beyond what rounding of one-decimal rates allows; the rates are probably at comparable "
                  "prices and the levels nominal, so this is no strict test.", tol=0.05 + 0.05)


@check("S5", "rates", "Wujiang construction output, 2015-2020",
       compares="five-year growth against the average annual growth compounded over five years",
       reads=("f004-008", "f004-009"),
       tolerance="a one-decimal annual rate (±0.05) compounded over five years", rule=ROUNDING)
def _s5(r: Reader) -> Result:
    g5, g1 = r.v("f004-008"), r.v("f004-009")
    impl = ((1 + g1 / 100) ** 5 - 1) * 100
    return Result(f"{g5:.1f} % over five years vs {impl:.2f} % from {g1:.1f} % a year", g5, impl, "%",
                  "Consistent within rounding.", tol=5 * (1 + g1 / 100) ** 4 * 0.05)


@check("S6", "sum", "Wujiang engineering R&D centres, 2020", compares="provincial + municipal centres against the total",
       reads=("f004-021", "f004-022", "f004-020"), tolerance="none: whole counts", rule=SUM)
def _s6(r: Reader) -> Result:
    p, m, t = r.v("f004-021"), r.v("f004-022"), r.v("f004-020")
    return Result(f"{p:.0f} + {m:.0f} vs {t:.0f}", p + m, t, "centres", "Adds up.", tol=0.0)


CLUSTER_VA = {"f000-008": "sg_adv_materials", "f000-010": "sg_adv_equipment", "f000-012": "sg_light_industry",
              "f000-017": "sg_electronics", "f000-021": "sg_biomed"}


@check("S7", "sum", "\"3+3\" clusters' value added, 2021",
       compares="value added of the clusters that report it against the \"3+3\" total (the big-data cluster has no figure)",
       reads=tuple(CLUSTER_VA) + ("f000-003",), tolerance=ROUND_2DP, rule=SUM)
def _s7(r: Reader) -> Result:
    parts = [r.yi(fid, entity=e, indicator="industrial_va") for fid, e in CLUSTER_VA.items()]
    tot = r.yi("f000-003", entity="sg_3plus3", indicator="industrial_va_above")
    return Result(" + ".join(f"{x:.2f}" for x in parts) + f" = {sum(parts):.2f} vs {tot:.2f} 亿元", sum(parts), tot,
                  "亿元", f"{len(parts)} clusters alone exceed the six-cluster total by {sum(parts) - tot:.2f} 亿元: the "
                  "clusters overlap or the scopes differ (the cluster rows do not say 规上).",
                  tol=(len(parts) + 1) * 0.005)


CLUSTER_OUTPUT = {"f000-005": "sg_adv_materials", "f000-006": "sg_adv_equipment", "f000-007": "sg_light_industry",
                  "f000-015": "sg_electronics", "f000-020": "sg_biomed"}


@check("S8", "sum", "\"3+3\" clusters' output, 2021",
       compares="output of the clusters that report it (some printed as lower bounds) against the \"3+3\" total",
       reads=tuple(CLUSTER_OUTPUT) + ("f000-001",), tolerance="none: the parts are lower bounds", rule=HOLDS)
def _s8(r: Reader) -> Result:
    parts = [r.yi(fid, entity=e, indicator="industrial_output") for fid, e in CLUSTER_OUTPUT.items()]
    n_bounds = sum(r.fact(fid)["qualifier"] in LOWER_BOUNDS for fid in CLUSTER_OUTPUT)
    tot = r.yi("f000-001", entity="sg_3plus3", indicator="industrial_output_above")
    return Result(f"at least {sum(parts):.2f} ({n_bounds} of {len(parts)} parts are lower bounds) vs {tot:.2f} 亿元",
                  sum(parts), tot, "亿元",
                  f"The parts are lower bounds and stay below the total, leaving {tot - sum(parts):.2f} 亿元 at most for "
                  "big data and any excess over the bounds.", holds=sum(parts) <= tot)


PILLAR_VA = {"f000-008": "f000-009", "f000-010": "f000-011", "f000-012": "f000-013"}  # value added: its growth


@check("S9", "sum", "Cluster contributions to city industrial growth, 2021",
       compares="percentage points of city industrial growth credited to the three pillar clusters and electronics, "
                "against the contribution the \"3+3\" total's growth implies on the same base: the city base the stated "
                "contributions themselves imply (as the chapter on clusters computes it)",
       reads=tuple(PILLAR_VA) + tuple(PILLAR_VA.values()) + ("f000-014", "f000-017", "f000-018", "f000-019",
                                                             "f000-003", "f000-004"),
       tolerance="0.5 points: rounding of the printed rates and contributions, and the two implied bases differing "
                 "by under 1%",
       rule=BEYOND_TOLERANCE, overlaps=("S7",))
def _s9(r: Reader) -> Result:
    from .clusters import implied_base

    def increase(va_id, g_id):
        va = r.yi(va_id)
        return va - va / (1 + r.v(g_id) / 100)

    c_pil, c_ele = r.v("f000-014", entity="sg_pillar3"), r.v("f000-019", entity="sg_electronics")
    base_pil = sum(increase(va, g) for va, g in PILLAR_VA.items()) / (c_pil / 100)
    base_ele = implied_base(r.yi("f000-017"), r.v("f000-018"), c_ele)
    base = (base_pil + base_ele) / 2
    implied = increase("f000-003", "f000-004") / base * 100
    return Result(f"{c_pil + c_ele:.2f} pp stated for the pillar clusters and electronics vs {implied:.2f} pp implied "
                  f"for all six (on the {base:.1f} 亿元 base the stated contributions imply)",
                  c_pil + c_ele, implied, "pp",
                  "Part of the clusters is credited with more growth than all six together imply: the same overlap "
                  "as S7.", tol=0.5)


@check("S10", "sum", "Parks' signed projects by size, 2021",
       compares="the projects under 1 亿元 (all signed minus those of 1 亿元 or more) must average under 1 亿元, "
                "and the projects of 100 亿元 or more must fit in the large projects' total",
       reads=("f000-042", "f000-043", "f000-044", "f000-045", "f000-046"),
       tolerance="none: two inequalities", rule=HOLDS)
def _s10(r: Reader) -> Result:
    n_all, n_big, n_mega = r.v("f000-042"), r.v("f000-044"), r.v("f000-045")
    v_all, v_big = r.yi("f000-043"), r.yi("f000-046")
    avg_small = (v_all - v_big) / (n_all - n_big)
    return Result(f"{n_all - n_big:.0f} small projects average {avg_small:.2f} 亿元 (limit 1); "
                  f"{n_mega:.0f} × ≥100 = ≥{100 * n_mega:.0f} of {v_big:.2f} 亿元", avg_small, 1.0, "亿元",
                  "Adds up.", holds=avg_small < 1 and 100 * n_mega <= v_big)


# ------------------------------------------------------------------ scopes: a part reported against a whole

@check("C1", "scope", "Contract investment signed, 2021",
       compares="parks' signed contract investment against the city-wide figure",
       reads=("f000-043", "f000-074"), rule=PART_OF_WHOLE)
def _c1(r: Reader) -> Result:
    pk, city = r.yi("f000-043", entity="sg_parks"), r.yi("f000-074", entity="shaoguan")
    return Result(f"{pk:.2f} vs {city:.2f} 亿元 (parks {pk / city:.1%} of city)", pk, city, "亿元",
                  "Consistent if the parks are part of the city; the city figure gives no project count, so the rest "
                  "cannot be described.")


@check("C2", "scope", "Signed projects of 100 million yuan or more, 2021",
       compares="parks' large signed projects against the city's (thresholds worded 亿元以上 and 超亿元)",
       reads=("f000-044", "f000-075"), rule=PART_OF_WHOLE)
def _c2(r: Reader) -> Result:
    pb, cb = r.v("f000-044", entity="sg_parks"), r.v("f000-075", entity="shaoguan")
    return Result(f"{pb:.0f} vs {cb:.0f} projects", pb, cb, "projects",
                  "Consistent as part and whole; the two thresholds are worded differently (at least / above).")


@check("C3", "scope", "Parks' output and the clusters' output, 2021",
       compares="above-size output of all parks against that of the \"3+3\" clusters",
       reads=("f000-033", "f000-001"),
       rule=fixed("different scopes", "the clusters are not a part of the parks, nor the parks of the clusters"))
def _c3(r: Reader) -> Result:
    po, co = r.yi("f000-033", entity="sg_parks"), r.yi("f000-001", entity="sg_3plus3")
    return Result(f"{po:.2f} vs {co:.2f} 亿元", po, co, "亿元",
                  "The clusters produce more than all the parks, so the clusters reach beyond the parks; the two "
                  "figures cannot be subtracted.")


# ------------------------------------------------------------------ across documents

#: What the documents record of the parks' boundary changing around 2021.
BOUNDARY_EVENTS = ("m001-009", "e001-004")


def _boundary_events(r: Reader) -> str:
    expansion, pilot = r.measure("m001-009"), r.event("e001-004")
    return (f"s001 itself records a park expansion ({expansion['quote']}), and the works-to-parks reform "
            f"(厂区变园区) took the Shaogang and Shaoye works as its first pilots in {str(pilot['date'])[:4]}, to turn "
            "large works into parks")


@check("X1", "cross-source", "Parks' share of city value added",
       compares="s001's \"currently under\" share (mid-2021) against s000's share for 2021",
       reads=("f001-042", "f000-032") + BOUNDARY_EVENTS,
       rule=fixed("sources disagree", "not reconcilable from the documents; consistent with a change of the parks' "
                                      "boundary, which they record"))
def _x1(r: Reader) -> Result:
    sh01 = r.v("f001-042", entity="sg_parks", indicator="industrial_va_share")
    sh00 = r.v("f000-032", entity="sg_parks")
    return Result(f"<{sh01:.0f} % vs {sh00:.1f} %", sh01, sh00, "%",
                  f"At least {sh00 - sh01:.1f} points apart, and nothing in the documents reconciles the two. A change "
                  f"of the parks' boundary between the figures would: {_boundary_events(r)}.")


@check("X2", "cross-source", "Parks' share of city value added in 2020 (derived)",
       compares="the 2020 share implied by s000's 2021 level and growth and s002's 2020 city value added, against "
                "s001's \"under\" share",
       reads=("f000-030", "f000-031", "f002-011", "f001-042"),
       rule=fixed("sources disagree", "the same disagreement as X1; back-casting cannot settle it"),
       overlaps=("X1",))
def _x2(r: Reader) -> Result:
    pva, pg = r.yi("f000-030", entity="sg_parks"), r.v("f000-031")
    city20 = r.yi("f002-011", entity="shaoguan", indicator="industrial_va_above")
    sh01 = r.v("f001-042")
    sh20 = pva / (1 + pg / 100) / city20 * 100
    return Result(f"{sh20:.1f} % implied vs <{sh01:.0f} %", sh20, sh01, "%",
                  f"The same disagreement as X1, read for 2020. Growth rates such as this {pg:.0f}% are computed "
                  "like-for-like (同口径): back-casting with it gives the 2020 value added of the parks as bounded in "
                  "2021, not of the parks as they were in 2020, so it cannot exclude a change of boundary such as "
                  "those X1 names. It also applies a comparable-price rate to nominal levels.")


@check("X3", "cross-source", "City value added implied by the parks' share",
       compares="city above-size value added 2021 implied by s000 (parks' value added / share) against s002's 2020 level",
       reads=("f000-030", "f000-032", "f002-011"),
       tolerance="none: a nominal rise between 0 and 30% in a year is read as plausible", rule=AGREE)
def _x3(r: Reader) -> Result:
    cva = r.yi("f000-030") / (r.v("f000-032") / 100)
    city20 = r.yi("f002-011", entity="shaoguan", indicator="industrial_va_above")
    g = (cva / city20 - 1) * 100
    return Result(f"{cva:.1f} (2021, implied) vs {city20:.1f} 亿元 (2020)", cva, city20, "亿元",
                  f"A nominal rise of {g:.1f}% in a year: plausible for 2021, so {r.v('f000-032'):.1f}% fits s002's "
                  "level.", holds=0 < g < 30)


@check("X4", "cross-source", "Standard factory space",
       compares="s002's stock of April 2021 plus s000's completions in 2021, against s000's cumulative \"nearly\" figure",
       reads=("f002-038", "f000-054", "f000-053", "f000-062"),
       rule=fixed("cannot be checked", "the later total is cumulative and undated, and more space was being built"))
def _x4(r: Reader) -> Result:
    sf02 = r.v("f002-038", indicator="standard_factory_area_built") / 1e4
    sf21, building = r.v("f000-054") / 1e4, r.v("f000-053")
    sf_total = r.v("f000-062") / 1e4
    return Result(f"{sf02:.0f} + {sf21:.2f} = {sf02 + sf21:.2f} vs ≈{sf_total:.0f} × 10k m²", sf02 + sf21, sf_total,
                  "10k m²",
                  f"s000's \"nearly {sf_total:.0f}\" is a cumulative total with no date (the book reads it as of the "
                  f"reply, July 2022) and {building:.0f} standard-factory projects were under construction in 2021, so "
                  "completions after 2021, or a count of different buildings, could each explain the gap; the "
                  "documents do not say which.")


@check("X5", "naming", "The city's industrial layout: \"35N\" or \"355N\"",
       compares="s000 calls the layout \"35N\" without listing it; s001 lists \"355N\" (tiers of 3, 5 and 5 industries "
                "plus N)",
       reads=(), rule=NAMES)
def _x5(r: Reader) -> Result:
    cs = r.cluster_system
    row35 = cs[cs["system"] == "35N"]
    tiers = cs[(cs["system"] == "355N") & cs["group"].str.startswith("tier_")]
    n_tiers, n_named = tiers["group"].nunique(), len(tiers)
    return Result(f"\"35N\" (2 numbered tiers) vs \"355N\" ({n_tiers} tiers, {n_named} named industries)", 2, n_tiers,
                  "tiers", f"{n_tiers - 2} numbered tier(s) apart; s000 gives no parts, so it cannot be told whether "
                  "the layout changed or one text dropped a digit.",
                  holds=n_tiers != 2, evidence=tuple(row35["row_id"]) + tuple(tiers["row_id"]))


@check("X6", "naming", "Membership of the six priority clusters",
       compares="s000's \"3+3\" clusters against the high-tech clusters s002 lists", reads=(), rule=NAMES)
def _x6(r: Reader) -> Result:
    cs = r.cluster_system
    s000_rows = cs[(cs["system"] == "3+3") & (cs["source_id"] == "s000")]
    s000 = set(s000_rows["sector_id"])
    # s002's list of six high-tech clusters (system 'hightech_6'; earlier data filed it under '3+3')
    s002_rows = cs[(cs["source_id"] == "s002") & cs["system"].isin(["hightech_6", "3+3"])]
    s002 = set(s002_rows["sector_id"])
    names = r.names
    return Result(f"{len(s000 & s002)} shared; s002 adds {', '.join(names[x] for x in sorted(s002 - s000))}; "
                  f"omits {', '.join(names[x] for x in sorted(s000 - s002))}", len(s000 & s002), len(s000), "clusters",
                  f"Two lists of {len(s000)} and {len(s002)} that share {len(s000 & s002)}.",
                  holds=s000 != s002, evidence=tuple(s000_rows["row_id"]) + tuple(s002_rows["row_id"]))


def _name_check(number: int, sector: str, variants: list[str]) -> None:
    """One check per cluster that the documents print under several names (NAME_VARIANTS)."""
    @check(f"N{number}", "naming", f"Names of one cluster: {{{sector}}}",
           compares="the same cluster printed under different names, mapped to one entity", reads=(), rule=NAMES)
    def _names(r: Reader) -> Result:
        cs, f = r.cluster_system, r.facts
        quotes = pd.concat([cs[["row_id", "sector_id", "quote"]].set_axis(["id", "owner", "quote"], axis=1),
                            f[["fact_id", "entity_id", "quote"]].set_axis(["id", "owner", "quote"], axis=1)])
        att = _attested(variants, quotes, owner=sector)
        found = [n for n in variants if att[n]]
        evidence = tuple(sorted({rid for n in found for rid in att[n][:2]}))
        return Result(" / ".join(found), len(found), 1, "names",
                      f"{len(found)} names for one cluster; the data map them to one entity, which a reader should "
                      "know when comparing figures across documents.", holds=len(found) > 1, evidence=evidence)


for _i, (_sector, _variants) in enumerate(NAME_VARIANTS.items(), start=1):
    _name_check(_i, _sector, _variants)


@check("X7", "internal", "New R&D institutions in one article",
       compares="s002 counts research institutions setting up new R&D institutes and, later, new-type R&D institutions",
       reads=("f002-019", "f002-031"),
       rule=fixed("cannot be checked", "the article does not say whether the two counts are of the same thing"))
def _x7(r: Reader) -> Result:
    i4 = r.v("f002-019", indicator="research_institutions_partnering")
    i3 = r.v("f002-031", indicator="new_rd_institutions")
    return Result(f"{i4:.0f} vs {i3:.0f}", i4, i3, "institutions",
                  "Probably two different counts (partners vs institutes already located); the article does not say.")


@check("X8", "cross-source", "Second batch of national demonstration zones",
       compares="year and batch size of Shaoguan's listing in the two news texts", reads=("f001-001", "f002-001"),
       rule=AGREE)
def _x8(r: Reader) -> Result:
    d1, d2 = r.fact("f001-001"), r.fact("f002-001")
    return Result(f"{d1.value:.0f} cities, {d1.period_end.year} vs {d2.value:.0f} cities, {d2.period_end:%B %Y}",
                  float(d1.value), float(d2.value), "cities", "The two texts agree; s002 adds the month.", tol=0.0,
                  holds=d1.value == d2.value and d1.period_end.year == d2.period_end.year)


@check("X9", "cross-source", "Batches of works-to-parks pilots",
       compares="s001 (mid-2021): a further batch being prepared; s000 (July 2022): the batches launched",
       reads=("f001-005", "f000-056"), rule=AGREE)
def _x9(r: Reader) -> Result:
    planned, done = r.fact("f001-005"), r.fact("f000-056")
    return Result(f"batch {planned.value:.0f} planned ({planned.status}) vs {done.value:.0f} batches launched",
                  float(planned.value), float(done.value), "batches",
                  "Consistent: the third batch was launched between mid-2021 and July 2022 (no document dates it).",
                  tol=0.0, holds=planned.value == done.value)


@check("X10", "cross-source", "State Council incentive for the old industrial base",
       compares="s002 dates a commendation to May 2020; s001 reports one in 2021 as the second in a row",
       reads=("f001-003", "e002-002", "e001-010"), rule=AGREE)
def _x10(r: Reader) -> Result:
    y_first, y_second = int(str(r.event("e002-002")["date"])[:4]), int(str(r.event("e001-010")["date"])[:4])
    nth = r.v("f001-003", indicator="state_council_incentive_consecutive_years")
    run_ = y_second - y_first + 1
    return Result(f"{y_first} and {y_second}: {run_} years in a row vs {nth:.0f} stated", float(run_), nth, "years",
                  "Consistent.", tol=0.0, holds=run_ == nth)


@check("X11", "internal", "Data-centre capacity",
       compares="planned standard racks of the city's data-centre cluster against the cabinets of the projects it names",
       reads=("f000-024", "f000-081", "f000-083", "f000-085"),
       rule=fixed("not comparable", "standard racks and cabinets are different units"))
def _x11(r: Reader) -> Result:
    racks = r.v("f000-024", indicator="data_centre_standard_racks") / 1e4
    cab = sum(r.v(x, indicator="data_centre_cabinets") for x in ["f000-081", "f000-083", "f000-085"]) / 1e4
    return Result(f"{racks:.1f} vs {cab:.2f} × 10k", racks, cab, "× 10k",
                  "Standard racks and cabinets are different units; the named projects are not the whole plan.")


# ------------------------------------------------------------------ plans against their own baselines

@check("P1", "plan", "Wujiang above-size firms, 2025 target",
       compares="required growth of the firm count to reach the 2025 target, against the 2015-2020 pace, in a plan "
                "that expects some of its parks (and their firms) to move to Shaoguan New Area",
       reads=("f004-005", "f004-006", "f004-035", "f004-031"),
       rule=fixed("internal tension", "the plan expects its firm count to fall when parks move, yet targets a rise"))
def _p1(r: Reader) -> Result:
    wj = wujiang(r.folder)
    need, past = wj["rates_target"]["firms"], wj["rates_past"]["firms"]
    return Result(f"{need:.2f} % a year needed vs {past:.2f} % a year achieved", need, past, "%/yr",
                  f"The target needs a faster rise than 2016-2020 while the plan itself expects the count to drop when "
                  f"{r.v('f004-031'):.0f} parks move; it does not say whether the {r.v('f004-035'):.0f} firms include "
                  "them.")


@check("P2", "plan", "Wujiang above-size output, 2020 baseline",
       compares="the 2020 output implied by the 2025 target and its stated rate, set against the 2020 industrial value "
                "added the plan does report",
       reads=("f004-032", "f004-033", "f004-003", "f000-030", "f000-033"),
       rule=fixed("cannot be checked", "the plan gives no 2020 output, and the two figures differ in scope and in "
                                       "industry mix"))
def _p2(r: Reader) -> Result:
    wj = wujiang(r.folder)
    i20 = r.yi("f004-003", entity="wujiang")
    ratio_parks = r.v("f000-030") / r.v("f000-033") * 100
    implied, ratio = wj["implied_output_2020"], wj["va_output_ratio"]
    return Result(f"implied {implied:.1f} 亿元 output vs {i20:.2f} 亿元 value added "
                  f"(ratio {ratio:.0f} %, city parks {ratio_parks:.0f} %)", implied, i20, "亿元",
                  f"The plan gives no 2020 output; the implied figure would make value added {ratio:.0f}% of output, "
                  f"against {ratio_parks:.0f}% in the city's parks. The ratio divides value added of all industry by "
                  "above-size output implied by a target, and s004 names tobacco and power (烟草、电力) among the "
                  "district's traditional industries, whose value added is a high share of output (tobacco's "
                  "especially); so it says little about whether the target is realistic.")
