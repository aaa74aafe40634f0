"""Facts with their names attached, and the provenance table shown under figures."""
from __future__ import annotations

import html

import pandas as pd

from functools import lru_cache
from pathlib import Path

from .data import fingerprint, load
from .i18n import N_, is_zh, tr
from .explorer import explorer_href
from .paths import data_dir
from .trace import Num


def facts(folder=None) -> pd.DataFrame:
    """facts.csv joined with entity, indicator and source names (English and Chinese: the source's
    short English name and its Chinese title)."""
    folder = Path(folder) if folder else data_dir()
    return _facts(str(folder), fingerprint(folder, ["facts", "entities", "indicators", "sources"])).copy()


@lru_cache(maxsize=4)
def _facts(folder: str, stamp: str) -> pd.DataFrame:
    f = load("facts", folder)
    e = load("entities", folder)[["entity_id", "name_en", "name_zh", "kind"]].rename(
        columns={"name_en": "entity_en", "name_zh": "entity_zh", "kind": "entity_kind"})
    i = load("indicators", folder)[["indicator_id", "name_en", "name_zh", "measure", "family", "scope"]].rename(
        columns={"name_en": "indicator_en", "name_zh": "indicator_zh"})
    # the source's short English name, and its Chinese name: the document's own title
    s = load("sources", folder)[["source_id", "short_en", "title_zh"]].rename(
        columns={"short_en": "source_en", "title_zh": "source_zh"})
    return f.merge(e, on="entity_id", how="left").merge(i, on="indicator_id", how="left").merge(s, on="source_id", how="left")


def fact(fact_id: str, facts: pd.DataFrame | None = None, folder=None, *, entity: str | None = None,
         indicator: str | None = None, unit: str | None = None) -> pd.Series:
    """One fact by id: the one way to read a fact, in the package and in the notebooks.

    From `facts` when given (a frame from `pe.facts()`, indexed by fact_id or not, possibly
    sorted or edited in place by a learner), else from the data. `entity`, `indicator` and
    `unit` check that the id names the fact the caller means; a clear error otherwise.
    """
    if facts is None:
        row = _by_id(folder).get(fact_id)
        if row is None:
            raise KeyError(f"no fact {fact_id!r} in facts.csv")
        row = row.copy()
    else:
        if "fact_id" in facts.columns:
            hit = facts[facts["fact_id"] == fact_id]
        else:
            hit = facts.loc[facts.index == fact_id]
        if hit.empty:
            raise KeyError(f"no fact {fact_id!r} in facts.csv")
        row = hit.iloc[0].copy()
        row["fact_id"] = fact_id
    for column, expected in (("entity_id", entity), ("indicator_id", indicator), ("unit", unit)):
        if expected is not None and row[column] != expected:
            raise ValueError(f"fact {fact_id}: expected {column} {expected!r}, found {row[column]!r}")
    if pd.notna(row["value"]):
        row["value"] = Num.of_fact(fact_id, float(row["value"]))   # carries its id into computations
    return row


def value(fact_id: str, facts: pd.DataFrame | None = None, folder=None, **checks) -> float:
    """The value of one fact in base units (yuan, %, m², ...), as a `Num` that remembers the
    fact's id (see parkecon/trace.py); see `fact`."""
    v = fact(fact_id, facts, folder, **checks)["value"]
    return v if isinstance(v, Num) else Num(float(v))


def _by_id(folder=None) -> dict:
    """{fact_id: row} of `facts()`, built once per state of the data (a notebook reads dozens)."""
    folder = Path(folder) if folder else data_dir()
    return _rows_by_id(str(folder), fingerprint(folder, ["facts", "entities", "indicators", "sources"]))


@lru_cache(maxsize=4)
def _rows_by_id(folder: str, stamp: str) -> dict:
    f = _facts(folder, stamp)
    return {fid: row for fid, row in zip(f["fact_id"], (r for _, r in f.iterrows()))}


def _when(r) -> str:
    """The year a fact refers to, or that the document gives none (period_basis 'unknown')."""
    if r.get("period_basis") == "unknown":
        return tr("no year given")
    year = r["period_end"].year
    return f"{year}年" if is_zh() else str(year)


#: Status and qualifier words of the provenance tables (English: the data's own words).
STATUS_WORDS = {"target": "目标", "plan": "规划", "estimate": "估计"}


def qualifier_note(q: str, zh: bool | None = None) -> str:
    """The qualifier after a printed figure: ' (more than)' / '（超过）', nothing for 'exactly'.
    `zh` chooses the edition (default: this kernel's); the book's Sphinx extensions pass theirs."""
    zh = is_zh() if zh is None else zh
    if q == "exactly":
        return ""
    if zh:
        from .calc import QUALIFIER_WORD_ZH

        return f"（{QUALIFIER_WORD_ZH.get(q, q)}）"
    return f" ({q.replace('_', ' ')})"


def status_note(status: str, zh: bool | None = None) -> str:
    """The status after what a fact is, unless achieved: ' (target)' / '（目标）'."""
    zh = is_zh() if zh is None else zh
    if status == "actual":
        return ""
    return f"（{STATUS_WORDS.get(status, status)}）" if zh else f" ({status})"




def provenance(fact_ids, title: str | None = None, folder=None):
    """A collapsed HTML table listing the facts used, with source, locator and quote.
    `title` defaults to 'Sources of this figure' in the edition's language. Each fact's id
    links to its entry in the facts explorer (book/facts.md)."""
    from IPython.display import HTML

    title = tr("Sources of this figure") if title is None else title
    zh = is_zh()

    f = facts(folder)
    ids = list(dict.fromkeys(fact_ids))
    missing = [i for i in ids if i not in set(f["fact_id"])]
    if missing:
        raise KeyError(f"provenance: unknown fact ids {missing}")
    rows = f.set_index("fact_id").loc[ids]
    cells = []
    for fid, r in rows.iterrows():
        qual = qualifier_note(str(r["qualifier"]), zh)
        status = status_note(str(r["status"]), zh)
        if zh:
            what = f"{html.escape(str(r['entity_zh']))}：{html.escape(str(r['indicator_zh']))}，{_when(r)}{status}"
        else:
            what = f"{html.escape(str(r['entity_en']))}: {html.escape(str(r['indicator_en']))}, {_when(r)}{status}"
        cells.append(
            "<tr>"
            f'<td><a class="fact-link" href="{html.escape(explorer_href(fid))}" title="{html.escape(tr("This fact in the facts explorer"))}">'
            f"<code>{fid}</code></a></td>"
            f"<td>{what}</td>"
            # as the documents print it: no space before the unit in Chinese (6.4%, 8平方公里)
            f"<td>{html.escape(str(r['value_reported']).removesuffix('.0'))}{'' if zh else ' '}"
            f"{html.escape(str(r['unit_reported']))}{qual}</td>"
            f"<td>{html.escape(str(r['source_id']))}, {html.escape(str(r['locator']))}</td>"
            f"<td lang=\"zh\">{html.escape(str(r['quote']))}</td>"
            "</tr>"
        )
    body = "".join(cells)
    heads = "".join(f"<th>{tr(h)}</th>" for h in (N_("fact"), N_("what"), N_("as printed"), N_("source, section"), N_("quote")))
    return HTML(
        f'<details class="provenance"><summary>{html.escape(title)}{tr(" ({n} facts)", n=len(ids))}</summary>'
        f'<table class="provenance-table"><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></details>'
    )


def date_label(date, precision: str) -> str:
    """A document's date written only as precisely as it is known.

    day: '21 July 2022'; month: 'June 2021'; year: '2024'; not_before (an undated document
    whose text dates it no earlier than `date`): 'October 2022 or later'. Chinese edition:
    '2022年7月21日', '2021年6月', '2024年', '2022年10月或之后'.
    """
    d = pd.Timestamp(date)
    if is_zh():
        forms = {"day": f"{d.year}年{d.month}月{d.day}日", "month": f"{d.year}年{d.month}月", "year": f"{d.year}年",
                 "not_before": f"{d.year}年{d.month}月或之后"}
        if precision not in forms:
            raise ValueError(f"unknown date precision {precision!r}")
        return forms[precision]
    if precision == "day":
        return f"{d.day} {d:%B %Y}"
    if precision == "month":
        return f"{d:%B %Y}"
    if precision == "year":
        return f"{d:%Y}"
    if precision == "not_before":
        return f"{d:%B %Y} or later"
    raise ValueError(f"unknown date precision {precision!r}")


def sources_table(source_ids, folder=None):
    """An HTML list of the sources a chapter drew on, for its closing 'Sources' section."""
    from IPython.display import HTML

    s = load("sources", folder).set_index("source_id")
    f = load("facts", folder)
    items = []
    for sid in sorted(dict.fromkeys(source_ids)):
        r = s.loc[sid]
        n = int((f["source_id"] == sid).sum())
        when = date_label(r["date"], r["date_precision"])
        if is_zh():
            items.append(f"<li><code>{sid}</code> {html.escape(r['issuer_zh'])}，《{html.escape(r['title_zh'])}》，"
                         f"{when}；数据中有{n}条。</li>")
            continue
        items.append(f"<li><code>{sid}</code> {html.escape(r['issuer_en'])}, <i>{html.escape(r['title_en'])}</i> "
                     f"(<span lang='zh'>{html.escape(r['title_zh'])}</span>), {when}; {n} facts in the data.</li>")
    return HTML("<ul class='sources-used'>" + "".join(items) + "</ul>")


def rows_provenance(rows: pd.DataFrame, title: str | None = None):
    """A collapsed table like `provenance`, for rows of tables other than facts
    (partnerships, park_sectors, cluster_system, measures, events).

    `rows` needs the columns id, what, source_id, locator, quote (one row per table row used).
    """
    from IPython.display import HTML

    title = tr("Sources of this figure") if title is None else title
    rows = rows.drop_duplicates("id")
    cells = "".join(
        "<tr>"
        f"<td><code>{html.escape(str(r['id']))}</code></td>"
        f"<td>{html.escape(str(r['what']))}</td>"
        f"<td>{html.escape(str(r['source_id']))}, {html.escape(str(r['locator']))}</td>"
        f"<td lang=\"zh\">{html.escape(str(r['quote']))}</td>"
        "</tr>"
        for _, r in rows.iterrows())
    heads = "".join(f"<th>{tr(h)}</th>" for h in (N_("row"), N_("what"), N_("source, section"), N_("quote")))
    return HTML(
        f'<details class="provenance"><summary>{html.escape(title)}{tr(" ({n} rows)", n=len(rows))}</summary>'
        f'<table class="provenance-table"><thead><tr>{heads}</tr></thead><tbody>{cells}</tbody></table></details>')
