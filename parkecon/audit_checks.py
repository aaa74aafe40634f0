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
from .i18n import N_, join, name, tr
from .provenance import date_label
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
    """How a result becomes a verdict, stated in words and as a function. `template` is the
    English (a catalogue text, its {placeholders} filled from `fields`); a fixed verdict keeps
    its verdict and reason apart, so that each edition words them."""
    template: str
    decide: Callable[[Result], str]
    fields: tuple[tuple[str, object], ...] = ()
    verdict: str | None = None

    @property
    def text(self) -> str:
        """The rule in English."""
        if self.verdict is not None:
            return f"{self.verdict}: {self.template}"
        return self.template.format(**dict(self.fields))

    def words(self) -> str:
        """The rule in the edition's language."""
        if self.verdict is not None:
            return tr("{verdict}: {why}", verdict=tr(self.verdict), why=tr(self.template))
        return tr(self.template, **dict(self.fields))


def _within_rounding(r: Result) -> bool:
    return abs(r.gap) <= r.tol + 1e-9


SUM = Rule(N_("consistent if the gap is within rounding; a small gap if beyond it but under {pct:g}% of b; "
              "otherwise does not add up"),
           lambda r: "consistent" if _within_rounding(r)
           else "small gap" if abs(r.gap) / abs(r.b) * 100 < SMALL_GAP_PCT else "does not add up",
           fields=(("pct", SMALL_GAP_PCT),))
ROUNDING = Rule(N_("consistent if the gap is within rounding, otherwise a small gap"),
                lambda r: "consistent" if _within_rounding(r) else "small gap")
BEYOND_TOLERANCE = Rule(N_("does not add up if a exceeds b by more than the tolerance, otherwise consistent"),
                        lambda r: "does not add up" if r.gap > r.tol else "consistent")
HOLDS = Rule(N_("consistent if the condition holds, otherwise does not add up"),
             lambda r: "consistent" if r.holds else "does not add up")
AGREE = Rule(N_("consistent if the two documents agree, otherwise sources disagree"),
             lambda r: "consistent" if r.holds else "sources disagree")
PART_OF_WHOLE = Rule(N_("different scopes if the part is no larger than the whole, otherwise does not add up"),
                     lambda r: "different scopes" if r.a <= r.b else "does not add up")
NAMES = Rule(N_("names differ if the documents use more than one name or list, otherwise consistent"),
             lambda r: "names differ" if r.holds else "consistent")


def fixed(verdict: str, why: str) -> Rule:
    """A verdict that no arithmetic decides: stated, with the reason (a catalogue text)."""
    assert verdict in VERDICTS, verdict
    return Rule(why, lambda r: verdict, verdict=verdict)


@dataclass(frozen=True)
class Check:
    """A declared check. `topic`, `compares` and `tolerance` are English catalogue texts (marked
    with N_ where declared); `topic_words` and `words` give them in the edition's language."""
    id: str
    kind: str
    topic: str
    compares: str
    reads: tuple[str, ...]
    tolerance: str
    rule: Rule
    overlaps: tuple[str, ...]
    compute: Callable[["Reader"], Result] = field(repr=False)
    subject: str | None = None

    def topic_words(self) -> str:
        """The topic in the edition's language; a {cluster} in it is the name of `subject`."""
        return tr(self.topic, cluster=name(self.subject)) if self.subject else tr(self.topic)

    def words(self, attr: str) -> str:
        """'compares' or 'tolerance' in the edition's language."""
        return tr(getattr(self, attr))


#: Every check, in the order the chapter shows them.
CHECKS: dict[str, Check] = {}


def check(id: str, kind: str, topic: str, *, compares: str, reads: tuple[str, ...] | list[str], rule: Rule,
          tolerance: str = N_("none"), overlaps: tuple[str, ...] = (), subject: str | None = None):
    """Register a check function under its declaration."""
    assert kind in KINDS, kind

    def register(fn: Callable[["Reader"], Result]):
        if id in CHECKS:
            raise ValueError(f"check {id} is declared twice")
        CHECKS[id] = Check(id, kind, topic, compares, tuple(reads), tolerance, rule, tuple(overlaps), fn, subject)
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
        self.names = {k: name(k) for k in load("entities", folder)["entity_id"]}  # in the edition's language
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
        rows.append(dict(check_id=c.id, kind=c.kind, topic=c.topic_words(), description=c.words("compares"),
                         sources=", ".join(sorted({source_of(i) for i in ids})), facts=tuple(ids),
                         compared=r.compared, value_a=r.a, value_b=r.b, unit=r.unit, gap=r.gap, gap_pct=gap_pct,
                         tolerance=r.tol, tolerance_basis=c.words("tolerance"), verdict=verdict, verdict_rule=c.rule.words(),
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
# Texts a reader sees are catalogue texts: declarations marked with N_, computed sentences written with tr
# and placeholders (parkecon/zh.csv holds the Chinese).

ROUND_2DP = N_("rounding of figures printed to 0.01 亿元: ±0.005 for each figure")
ROUND_RATES = N_("rounding of two rates printed to one decimal: ±0.05 points each")


@check("S1", "sum", N_("Park fixed-asset investment, 2021"),
       compares=N_("industrial + infrastructure investment against the total (s000 一(二)2)"),
       reads=("f000-038", "f000-040", "f000-036"), tolerance=ROUND_2DP, rule=SUM)
def _s1(r: Reader) -> Result:
    ind, inf = r.yi("f000-038", indicator="fai_industrial"), r.yi("f000-040", indicator="fai_infrastructure")
    tot = r.yi("f000-036", indicator="fai")
    return Result(tr("{a:.2f} + {b:.2f} = {total:.2f} vs {stated:.2f} 亿元", a=ind, b=inf, total=ind + inf, stated=tot),
                  ind + inf, tot, "亿元",
                  tr("The parts exceed the total by {gap:.2f} 亿元, more than rounding of the printed digits allows; "
                     "small.", gap=ind + inf - tot), tol=3 * 0.005)


@check("S2", "rates", N_("Park fixed-asset investment growth, 2021"),
       compares=N_("growth of the total implied by the parts' levels and growth rates, against the stated growth"),
       reads=("f000-038", "f000-039", "f000-040", "f000-041", "f000-037"),
       tolerance=ROUND_RATES, rule=ROUNDING)
def _s2(r: Reader) -> Result:
    ind, inf = r.yi("f000-038"), r.yi("f000-040")
    prev = ind / (1 + r.v("f000-039") / 100) + inf / (1 + r.v("f000-041") / 100)
    g_parts, g_tot = ((ind + inf) / prev - 1) * 100, r.v("f000-037")
    return Result(tr("{implied:.2f} % implied vs {stated:.1f} % stated", implied=g_parts, stated=g_tot), g_parts, g_tot, "%",
                  tr("The growth rates agree with each other; only the levels are off (S1)."), tol=0.05 + 0.05)


@check("S3", "sum", N_("Wujiang secondary industry, 2020"),
       compares=N_("industrial + construction value added against secondary-industry value added (s004 第一章)"),
       reads=("f004-003", "f004-010", "f004-001"), tolerance=ROUND_2DP, rule=SUM)
def _s3(r: Reader) -> Result:
    i20, c20 = r.yi("f004-003", entity="wujiang"), r.yi("f004-010", entity="wujiang")
    s20 = r.yi("f004-001", entity="wujiang")
    return Result(tr("{a:.2f} + {b:.2f} = {total:.2f} vs {stated:.2f} 亿元", a=i20, b=c20, total=i20 + c20, stated=s20),
                  i20 + c20, s20, "亿元",
                  tr("The parts exceed the total by {gap:.2f} 亿元, just beyond rounding; negligible.", gap=i20 + c20 - s20),
                  tol=3 * 0.005)


@check("S4", "rates", N_("Wujiang secondary-industry growth, 2016-2020"),
       compares=N_("average growth of the secondary industry implied by its two parts' rates, against the stated rate"),
       reads=("f004-003", "f004-004", "f004-010", "f004-011", "f004-001", "f004-002"),
       tolerance=ROUND_RATES, rule=ROUNDING)
def _s4(r: Reader) -> Result:
    i20, c20 = r.yi("f004-003"), r.yi("f004-010")
    prev = i20 / (1 + r.v("f004-004") / 100) ** 5 + c20 / (1 + r.v("f004-011") / 100) ** 5
    g_impl, gs = (((i20 + c20) / prev) ** (1 / 5) - 1) * 100, r.v("f004-002")
    return Result(tr("{implied:.2f} % a year implied vs {stated:.1f} % stated", implied=g_impl, stated=gs), g_impl, gs, "%/yr",
                  tr("Slightly beyond what rounding of one-decimal rates allows; the rates are probably at comparable "
                     "prices and the levels nominal, so this is no strict test."), tol=0.05 + 0.05)


@check("S5", "rates", N_("Wujiang construction output, 2015-2020"),
       compares=N_("five-year growth against the average annual growth compounded over five years"),
       reads=("f004-008", "f004-009"),
       tolerance=N_("a one-decimal annual rate (±0.05) compounded over five years"), rule=ROUNDING)
def _s5(r: Reader) -> Result:
    g5, g1 = r.v("f004-008"), r.v("f004-009")
    impl = ((1 + g1 / 100) ** 5 - 1) * 100
    return Result(tr("{g5:.1f} % over five years vs {implied:.2f} % from {g1:.1f} % a year", g5=g5, implied=impl, g1=g1),
                  g5, impl, "%", tr("Consistent within rounding."), tol=5 * (1 + g1 / 100) ** 4 * 0.05)


@check("S6", "sum", N_("Wujiang engineering R&D centres, 2020"),
       compares=N_("provincial + municipal centres against the total"),
       reads=("f004-021", "f004-022", "f004-020"), tolerance=N_("none: whole counts"), rule=SUM)
def _s6(r: Reader) -> Result:
    p, m, t = r.v("f004-021"), r.v("f004-022"), r.v("f004-020")
    return Result(tr("{a:.0f} + {b:.0f} vs {total:.0f}", a=p, b=m, total=t), p + m, t, "centres", tr("Adds up."), tol=0.0)


CLUSTER_VA = {"f000-008": "sg_adv_materials", "f000-010": "sg_adv_equipment", "f000-012": "sg_light_industry",
              "f000-017": "sg_electronics", "f000-021": "sg_biomed"}


@check("S7", "sum", N_("\"3+3\" clusters' value added, 2021"),
       compares=N_("value added of the clusters that report it against the \"3+3\" total (the big-data cluster has no "
                   "figure)"),
       reads=tuple(CLUSTER_VA) + ("f000-003",), tolerance=ROUND_2DP, rule=SUM)
def _s7(r: Reader) -> Result:
    parts = [r.yi(fid, entity=e, indicator="industrial_va") for fid, e in CLUSTER_VA.items()]
    tot = r.yi("f000-003", entity="sg_3plus3", indicator="industrial_va_above")
    return Result(tr("{parts} = {total:.2f} vs {stated:.2f} 亿元", parts=" + ".join(f"{x:.2f}" for x in parts),
                     total=sum(parts), stated=tot), sum(parts), tot,
                  "亿元", tr("{n} clusters alone exceed the six-cluster total by {gap:.2f} 亿元: the clusters overlap or "
                             "the scopes differ (the cluster rows do not say 规上).", n=len(parts), gap=sum(parts) - tot),
                  tol=(len(parts) + 1) * 0.005)


CLUSTER_OUTPUT = {"f000-005": "sg_adv_materials", "f000-006": "sg_adv_equipment", "f000-007": "sg_light_industry",
                  "f000-015": "sg_electronics", "f000-020": "sg_biomed"}


@check("S8", "sum", N_("\"3+3\" clusters' output, 2021"),
       compares=N_("output of the clusters that report it (some printed as lower bounds) against the \"3+3\" total"),
       reads=tuple(CLUSTER_OUTPUT) + ("f000-001",), tolerance=N_("none: the parts are lower bounds"), rule=HOLDS)
def _s8(r: Reader) -> Result:
    parts = [r.yi(fid, entity=e, indicator="industrial_output") for fid, e in CLUSTER_OUTPUT.items()]
    n_bounds = sum(r.fact(fid)["qualifier"] in LOWER_BOUNDS for fid in CLUSTER_OUTPUT)
    tot = r.yi("f000-001", entity="sg_3plus3", indicator="industrial_output_above")
    return Result(tr("at least {total:.2f} ({bounds} of {n} parts are lower bounds) vs {stated:.2f} 亿元",
                     total=sum(parts), bounds=n_bounds, n=len(parts), stated=tot),
                  sum(parts), tot, "亿元",
                  tr("The parts are lower bounds and stay below the total, leaving {rest:.2f} 亿元 at most for big data "
                     "and any excess over the bounds.", rest=tot - sum(parts)), holds=sum(parts) <= tot)


PILLAR_VA = {"f000-008": "f000-009", "f000-010": "f000-011", "f000-012": "f000-013"}  # value added: its growth


@check("S9", "sum", N_("Cluster contributions to city industrial growth, 2021"),
       compares=N_("percentage points of city industrial growth credited to the three pillar clusters and electronics, "
                   "against the contribution the \"3+3\" total's growth implies on the same base: the city base the "
                   "stated contributions themselves imply (as the chapter on clusters computes it)"),
       reads=tuple(PILLAR_VA) + tuple(PILLAR_VA.values()) + ("f000-014", "f000-017", "f000-018", "f000-019",
                                                             "f000-003", "f000-004"),
       tolerance=N_("0.5 points: rounding of the printed rates and contributions, and the two implied bases differing "
                    "by under 1%"),
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
    return Result(tr("{stated:.2f} pp stated for the pillar clusters and electronics vs {implied:.2f} pp implied "
                     "for all six (on the {base:.1f} 亿元 base the stated contributions imply)",
                     stated=c_pil + c_ele, implied=implied, base=base),
                  c_pil + c_ele, implied, "pp",
                  tr("Part of the clusters is credited with more growth than all six together imply: the same overlap "
                     "as S7."), tol=0.5)


@check("S10", "sum", N_("Parks' signed projects by size, 2021"),
       compares=N_("the projects under 1 亿元 (all signed minus those of 1 亿元 or more) must average under 1 亿元, "
                   "and the projects of 100 亿元 or more must fit in the large projects' total"),
       reads=("f000-042", "f000-043", "f000-044", "f000-045", "f000-046"),
       tolerance=N_("none: two inequalities"), rule=HOLDS)
def _s10(r: Reader) -> Result:
    n_all, n_big, n_mega = r.v("f000-042"), r.v("f000-044"), r.v("f000-045")
    v_all, v_big = r.yi("f000-043"), r.yi("f000-046")
    avg_small = (v_all - v_big) / (n_all - n_big)
    return Result(tr("{small:.0f} small projects average {avg:.2f} 亿元 (limit 1); "
                     "{mega:.0f} × ≥100 = ≥{mega_total:.0f} of {big:.2f} 亿元",
                     small=n_all - n_big, avg=avg_small, mega=n_mega, mega_total=100 * n_mega, big=v_big),
                  avg_small, 1.0, "亿元", tr("Adds up."), holds=avg_small < 1 and 100 * n_mega <= v_big)


# ------------------------------------------------------------------ scopes: a part reported against a whole

@check("C1", "scope", N_("Contract investment signed, 2021"),
       compares=N_("parks' signed contract investment against the city-wide figure"),
       reads=("f000-043", "f000-074"), rule=PART_OF_WHOLE)
def _c1(r: Reader) -> Result:
    pk, city = r.yi("f000-043", entity="sg_parks"), r.yi("f000-074", entity="shaoguan")
    return Result(tr("{parks:.2f} vs {city:.2f} 亿元 (parks {share:.1%} of city)", parks=pk, city=city, share=pk / city),
                  pk, city, "亿元",
                  tr("Consistent if the parks are part of the city; the city figure gives no project count, so the rest "
                     "cannot be described."))


@check("C2", "scope", N_("Signed projects of 100 million yuan or more, 2021"),
       compares=N_("parks' large signed projects against the city's (thresholds worded 亿元以上 and 超亿元)"),
       reads=("f000-044", "f000-075"), rule=PART_OF_WHOLE)
def _c2(r: Reader) -> Result:
    pb, cb = r.v("f000-044", entity="sg_parks"), r.v("f000-075", entity="shaoguan")
    return Result(tr("{parks:.0f} vs {city:.0f} projects", parks=pb, city=cb), pb, cb, "projects",
                  tr("Consistent as part and whole; the two thresholds are worded differently (at least / above)."))


@check("C3", "scope", N_("Parks' output and the clusters' output, 2021"),
       compares=N_("above-size output of all parks against that of the \"3+3\" clusters"),
       reads=("f000-033", "f000-001"),
       rule=fixed("different scopes", N_("the clusters are not a part of the parks, nor the parks of the clusters")))
def _c3(r: Reader) -> Result:
    po, co = r.yi("f000-033", entity="sg_parks"), r.yi("f000-001", entity="sg_3plus3")
    return Result(tr("{a:.2f} vs {b:.2f} 亿元", a=po, b=co), po, co, "亿元",
                  tr("The clusters produce more than all the parks, so the clusters reach beyond the parks; the two "
                     "figures cannot be subtracted."))


# ------------------------------------------------------------------ across documents

#: What the documents record of the parks' boundary changing around 2021.
BOUNDARY_EVENTS = ("m001-009", "e001-004")


def _boundary_events(r: Reader) -> str:
    expansion, pilot = r.measure("m001-009"), r.event("e001-004")
    return tr("s001 itself records a park expansion ({quote}), and the works-to-parks reform (厂区变园区) took the "
              "Shaogang and Shaoye works as its first pilots in {year}, to turn large works into parks",
              quote=expansion["quote"], year=str(pilot["date"])[:4])


@check("X1", "cross-source", N_("Parks' share of city value added"),
       compares=N_("s001's \"currently under\" share (mid-2021) against s000's share for 2021"),
       reads=("f001-042", "f000-032") + BOUNDARY_EVENTS,
       rule=fixed("sources disagree", N_("not reconcilable from the documents; consistent with a change of the parks' "
                                         "boundary, which they record")))
def _x1(r: Reader) -> Result:
    sh01 = r.v("f001-042", entity="sg_parks", indicator="industrial_va_share")
    sh00 = r.v("f000-032", entity="sg_parks")
    return Result(tr("<{a:.0f} % vs {b:.1f} %", a=sh01, b=sh00), sh01, sh00, "%",
                  tr("At least {gap:.1f} points apart, and nothing in the documents reconciles the two. A change "
                     "of the parks' boundary between the figures would: {events}.", gap=sh00 - sh01,
                     events=_boundary_events(r)))


@check("X2", "cross-source", N_("Parks' share of city value added in 2020 (derived)"),
       compares=N_("the 2020 share implied by s000's 2021 level and growth and s002's 2020 city value added, against "
                   "s001's \"under\" share"),
       reads=("f000-030", "f000-031", "f002-011", "f001-042"),
       rule=fixed("sources disagree", N_("the same disagreement as X1; back-casting cannot settle it")),
       overlaps=("X1",))
def _x2(r: Reader) -> Result:
    pva, pg = r.yi("f000-030", entity="sg_parks"), r.v("f000-031")
    city20 = r.yi("f002-011", entity="shaoguan", indicator="industrial_va_above")
    sh01 = r.v("f001-042")
    sh20 = pva / (1 + pg / 100) / city20 * 100
    return Result(tr("{implied:.1f} % implied vs <{stated:.0f} %", implied=sh20, stated=sh01), sh20, sh01, "%",
                  tr("The same disagreement as X1, read for 2020. Growth rates such as this {g:.0f}% are computed "
                     "like-for-like (同口径): back-casting with it gives the 2020 value added of the parks as bounded in "
                     "2021, not of the parks as they were in 2020, so it cannot exclude a change of boundary such as "
                     "those X1 names. It also applies a comparable-price rate to nominal levels.", g=pg))


@check("X3", "cross-source", N_("City value added implied by the parks' share"),
       compares=N_("city above-size value added 2021 implied by s000 (parks' value added / share) against s002's 2020 "
                   "level"),
       reads=("f000-030", "f000-032", "f002-011"),
       tolerance=N_("none: a nominal rise between 0 and 30% in a year is read as plausible"), rule=AGREE)
def _x3(r: Reader) -> Result:
    cva = r.yi("f000-030") / (r.v("f000-032") / 100)
    city20 = r.yi("f002-011", entity="shaoguan", indicator="industrial_va_above")
    g = (cva / city20 - 1) * 100
    return Result(tr("{implied:.1f} (2021, implied) vs {city:.1f} 亿元 (2020)", implied=cva, city=city20), cva, city20, "亿元",
                  tr("A nominal rise of {g:.1f}% in a year: plausible for 2021, so {share:.1f}% fits s002's level.",
                     g=g, share=r.v("f000-032")), holds=0 < g < 30)


@check("X4", "cross-source", N_("Standard factory space"),
       compares=N_("s002's stock of April 2021 plus s000's completions in 2021, against s000's cumulative \"nearly\" "
                   "figure"),
       reads=("f002-038", "f000-054", "f000-053", "f000-062"),
       rule=fixed("cannot be checked", N_("the later total is cumulative and undated, and more space was being built")))
def _x4(r: Reader) -> Result:
    sf02 = r.v("f002-038", indicator="standard_factory_area_built") / 1e4
    sf21, building = r.v("f000-054") / 1e4, r.v("f000-053")
    sf_total = r.v("f000-062") / 1e4
    return Result(tr("{a:.0f} + {b:.2f} = {total:.2f} vs ≈{stated:.0f} × 10k m²", a=sf02, b=sf21, total=sf02 + sf21,
                     stated=sf_total), sf02 + sf21, sf_total, "10k m²",
                  tr("s000's \"nearly {stated:.0f}\" is a cumulative total with no date (the book reads it as of the "
                     "reply, July 2022) and {n:.0f} standard-factory projects were under construction in 2021, so "
                     "completions after 2021, or a count of different buildings, could each explain the gap; the "
                     "documents do not say which.", stated=sf_total, n=building))


@check("X5", "naming", N_("The city's industrial layout: \"35N\" or \"355N\""),
       compares=N_("s000 calls the layout \"35N\" without listing it; s001 lists \"355N\" (tiers of 3, 5 and 5 "
                   "industries plus N)"),
       reads=(), rule=NAMES)
def _x5(r: Reader) -> Result:
    cs = r.cluster_system
    row35 = cs[cs["system"] == "35N"]
    tiers = cs[(cs["system"] == "355N") & cs["group"].str.startswith("tier_")]
    n_tiers, n_named = tiers["group"].nunique(), len(tiers)
    return Result(tr("\"35N\" (2 numbered tiers) vs \"355N\" ({tiers} tiers, {named} named industries)",
                     tiers=n_tiers, named=n_named), 2, n_tiers,
                  "tiers", tr("{n} numbered tier(s) apart; s000 gives no parts, so it cannot be told whether the layout "
                              "changed or one text dropped a digit.", n=n_tiers - 2),
                  holds=n_tiers != 2, evidence=tuple(row35["row_id"]) + tuple(tiers["row_id"]))


@check("X6", "naming", N_("Membership of the six priority clusters"),
       compares=N_("s000's \"3+3\" clusters against the high-tech clusters s002 lists"), reads=(), rule=NAMES)
def _x6(r: Reader) -> Result:
    cs = r.cluster_system
    s000_rows = cs[(cs["system"] == "3+3") & (cs["source_id"] == "s000")]
    s000 = set(s000_rows["sector_id"])
    # s002's list of six high-tech clusters (system 'hightech_6'; earlier data filed it under '3+3')
    s002_rows = cs[(cs["source_id"] == "s002") & cs["system"].isin(["hightech_6", "3+3"])]
    s002 = set(s002_rows["sector_id"])
    names = r.names
    return Result(tr("{shared} shared; s002 adds {added}; omits {omitted}", shared=len(s000 & s002),
                     added=join([names[x] for x in sorted(s002 - s000)], ","),
                     omitted=join([names[x] for x in sorted(s000 - s002)], ",")), len(s000 & s002), len(s000), "clusters",
                  tr("Two lists of {a} and {b} that share {shared}.", a=len(s000), b=len(s002), shared=len(s000 & s002)),
                  holds=s000 != s002, evidence=tuple(s000_rows["row_id"]) + tuple(s002_rows["row_id"]))


def _name_check(number: int, sector: str, variants: list[str]) -> None:
    """One check per cluster that the documents print under several names (NAME_VARIANTS)."""
    @check(f"N{number}", "naming", N_("Names of one cluster: {cluster}"), subject=sector,
           compares=N_("the same cluster printed under different names, mapped to one entity"), reads=(), rule=NAMES)
    def _names(r: Reader) -> Result:
        cs, f = r.cluster_system, r.facts
        quotes = pd.concat([cs[["row_id", "sector_id", "quote"]].set_axis(["id", "owner", "quote"], axis=1),
                            f[["fact_id", "entity_id", "quote"]].set_axis(["id", "owner", "quote"], axis=1)])
        att = _attested(variants, quotes, owner=sector)
        found = [n for n in variants if att[n]]
        evidence = tuple(sorted({rid for n in found for rid in att[n][:2]}))
        return Result(" / ".join(found), len(found), 1, "names",
                      tr("{n} names for one cluster; the data map them to one entity, which a reader should "
                         "know when comparing figures across documents.", n=len(found)),
                      holds=len(found) > 1, evidence=evidence)


for _i, (_sector, _variants) in enumerate(NAME_VARIANTS.items(), start=1):
    _name_check(_i, _sector, _variants)


@check("X7", "internal", N_("New R&D institutions in one article"),
       compares=N_("s002 counts research institutions setting up new R&D institutes and, later, new-type R&D "
                   "institutions"),
       reads=("f002-019", "f002-031"),
       rule=fixed("cannot be checked", N_("the article does not say whether the two counts are of the same thing")))
def _x7(r: Reader) -> Result:
    i4 = r.v("f002-019", indicator="research_institutions_partnering")
    i3 = r.v("f002-031", indicator="new_rd_institutions")
    return Result(tr("{a:.0f} vs {b:.0f}", a=i4, b=i3), i4, i3, "institutions",
                  tr("Probably two different counts (partners vs institutes already located); the article does not "
                     "say."))


@check("X8", "cross-source", N_("Second batch of national demonstration zones"),
       compares=N_("year and batch size of Shaoguan's listing in the two news texts"), reads=("f001-001", "f002-001"),
       rule=AGREE)
def _x8(r: Reader) -> Result:
    d1, d2 = r.fact("f001-001"), r.fact("f002-001")
    return Result(tr("{n1:.0f} cities, {year} vs {n2:.0f} cities, {month}", n1=d1.value, year=d1.period_end.year,
                     n2=d2.value, month=date_label(d2.period_end, "month")),
                  float(d1.value), float(d2.value), "cities", tr("The two texts agree; s002 adds the month."), tol=0.0,
                  holds=d1.value == d2.value and d1.period_end.year == d2.period_end.year)


@check("X9", "cross-source", N_("Batches of works-to-parks pilots"),
       compares=N_("s001 (mid-2021): a further batch being prepared; s000 (July 2022): the batches launched"),
       reads=("f001-005", "f000-056"), rule=AGREE)
def _x9(r: Reader) -> Result:
    planned, done = r.fact("f001-005"), r.fact("f000-056")
    status = {"plan": N_("plan"), "target": N_("target")}[planned.status]
    return Result(tr("batch {n:.0f} planned ({status}) vs {done:.0f} batches launched", n=planned.value,
                     status=tr(status), done=done.value),
                  float(planned.value), float(done.value), "batches",
                  tr("Consistent: the third batch was launched between mid-2021 and July 2022 (no document dates it)."),
                  tol=0.0, holds=planned.value == done.value)


@check("X10", "cross-source", N_("State Council incentive for the old industrial base"),
       compares=N_("s002 dates a commendation to May 2020; s001 reports one in 2021 as the second in a row"),
       reads=("f001-003", "e002-002", "e001-010"), rule=AGREE)
def _x10(r: Reader) -> Result:
    y_first, y_second = int(str(r.event("e002-002")["date"])[:4]), int(str(r.event("e001-010")["date"])[:4])
    nth = r.v("f001-003", indicator="state_council_incentive_consecutive_years")
    run_ = y_second - y_first + 1
    return Result(tr("{first} and {second}: {run} years in a row vs {nth:.0f} stated", first=y_first, second=y_second,
                     run=run_, nth=nth), float(run_), nth, "years",
                  tr("Consistent."), tol=0.0, holds=run_ == nth)


@check("X11", "internal", N_("Data-centre capacity"),
       compares=N_("planned standard racks of the city's data-centre cluster against the cabinets of the projects it "
                   "names"),
       reads=("f000-024", "f000-081", "f000-083", "f000-085"),
       rule=fixed("not comparable", N_("standard racks and cabinets are different units")))
def _x11(r: Reader) -> Result:
    racks = r.v("f000-024", indicator="data_centre_standard_racks") / 1e4
    cab = sum(r.v(x, indicator="data_centre_cabinets") for x in ["f000-081", "f000-083", "f000-085"]) / 1e4
    return Result(tr("{a:.1f} vs {b:.2f} × 10k", a=racks, b=cab), racks, cab, "× 10k",
                  tr("Standard racks and cabinets are different units; the named projects are not the whole plan."))


# ------------------------------------------------------------------ plans against their own baselines

@check("P1", "plan", N_("Wujiang above-size firms, 2025 target"),
       compares=N_("required growth of the firm count to reach the 2025 target, against the 2015-2020 pace, in a plan "
                   "that lists among its difficulties both some of its parks passing to the management of Shaoguan New "
                   "Area and a sharp fall in the district's firm count"),
       reads=("f004-005", "f004-006", "f004-035", "f004-031"),
       rule=fixed("internal tension", N_("the plan lists a sharp fall in its firm count among its difficulties, yet "
                                         "targets a rise")))
def _p1(r: Reader) -> Result:
    wj = wujiang(r.folder)
    need, past = wj["rates_target"]["firms"], wj["rates_past"]["firms"]
    return Result(tr("{need:.2f} % a year needed vs {past:.2f} % a year achieved", need=need, past=past),
                  need, past, "%/yr",
                  tr("The target needs a faster rise than 2016-2020 while the plan itself lists, beside the transfer of "
                     "{parks:.0f} parks to the management of Shaoguan New Area, a sharp fall in the count (the plan does not say that one "
                     "causes the other); it does not say whether the {target:.0f} firms include the transferred parks' "
                     "firms.", parks=r.v("f004-031"), target=r.v("f004-035")))


@check("P2", "plan", N_("Wujiang above-size output, 2020 baseline"),
       compares=N_("the 2020 output implied by the 2025 target and its stated rate, set against the 2020 industrial "
                   "value added the plan does report"),
       reads=("f004-032", "f004-033", "f004-003", "f000-030", "f000-033"),
       rule=fixed("cannot be checked", N_("the plan gives no 2020 output, and the two figures differ in scope and in "
                                          "industry mix")))
def _p2(r: Reader) -> Result:
    wj = wujiang(r.folder)
    i20 = r.yi("f004-003", entity="wujiang")
    ratio_parks = r.v("f000-030") / r.v("f000-033") * 100
    implied, ratio = wj["implied_output_2020"], wj["va_output_ratio"]
    return Result(tr("implied {implied:.1f} 亿元 output vs {va:.2f} 亿元 value added (ratio {ratio:.0f} %, city parks "
                     "{parks:.0f} %)", implied=implied, va=i20, ratio=ratio, parks=ratio_parks), implied, i20, "亿元",
                  tr("The plan gives no 2020 output; the implied figure would make value added {ratio:.0f}% of output, "
                     "against {parks:.0f}% in the city's parks. The ratio divides value added of all industry by "
                     "above-size output implied by a target. s004 names tobacco, power and toys (烟草、电力和玩具) among "
                     "the district's traditional industries but gives no output or value added by industry, so the "
                     "documents cannot show how far the district's industry mix explains the ratio; it says little "
                     "about whether the target is realistic.", ratio=ratio, parks=ratio_parks))
