"""Facts with their names attached, and the provenance table shown under figures."""
from __future__ import annotations

import html

import pandas as pd

from functools import lru_cache
from pathlib import Path

from .data import fingerprint, load
from .paths import data_dir
from .trace import Num


def facts(folder=None) -> pd.DataFrame:
    """facts.csv joined with entity, indicator and source names (English and Chinese)."""
    folder = Path(folder) if folder else data_dir()
    return _facts(str(folder), fingerprint(folder, ["facts", "entities", "indicators", "sources"])).copy()


@lru_cache(maxsize=4)
def _facts(folder: str, stamp: str) -> pd.DataFrame:
    f = load("facts", folder)
    e = load("entities", folder)[["entity_id", "name_en", "name_zh", "kind"]].rename(
        columns={"name_en": "entity_en", "name_zh": "entity_zh", "kind": "entity_kind"})
    i = load("indicators", folder)[["indicator_id", "name_en", "name_zh", "measure", "family", "scope"]].rename(
        columns={"name_en": "indicator_en", "name_zh": "indicator_zh"})
    s = load("sources", folder)[["source_id", "short_en"]].rename(columns={"short_en": "source_en"})
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
    return "no year given" if r.get("period_basis") == "unknown" else str(r["period_end"].year)


def provenance(fact_ids, title: str = "Sources of this figure", folder=None):
    """A collapsed HTML table listing the facts used, with source, locator and quote."""
    from IPython.display import HTML

    f = facts(folder)
    ids = list(dict.fromkeys(fact_ids))
    missing = [i for i in ids if i not in set(f["fact_id"])]
    if missing:
        raise KeyError(f"provenance: unknown fact ids {missing}")
    rows = f.set_index("fact_id").loc[ids]
    cells = []
    for fid, r in rows.iterrows():
        qual = "" if r["qualifier"] == "exactly" else f" ({str(r['qualifier']).replace('_', ' ')})"
        cells.append(
            "<tr>"
            f"<td><code>{fid}</code></td>"
            f"<td>{html.escape(str(r['entity_en']))}: {html.escape(str(r['indicator_en']))}, {_when(r)}"
            f"{' (' + str(r['status']) + ')' if r['status'] != 'actual' else ''}</td>"
            f"<td>{html.escape(str(r['value_reported']).removesuffix('.0'))} {html.escape(str(r['unit_reported']))}{qual}</td>"
            f"<td>{html.escape(str(r['source_id']))}, {html.escape(str(r['locator']))}</td>"
            f"<td lang=\"zh\">{html.escape(str(r['quote']))}</td>"
            "</tr>"
        )
    body = "".join(cells)
    return HTML(
        f'<details class="provenance"><summary>{html.escape(title)} ({len(ids)} facts)</summary>'
        '<table class="provenance-table"><thead><tr><th>fact</th><th>what</th><th>as printed</th>'
        f"<th>source, section</th><th>quote</th></tr></thead><tbody>{body}</tbody></table></details>"
    )


def date_label(date, precision: str) -> str:
    """A document's date written only as precisely as it is known.

    day: '21 July 2022'; month: 'June 2021'; year: '2024'; not_before (an undated document
    whose text dates it no earlier than `date`): 'October 2022 or later'.
    """
    d = pd.Timestamp(date)
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
        items.append(f"<li><code>{sid}</code> {html.escape(r['issuer_en'])}, <i>{html.escape(r['title_en'])}</i> "
                     f"(<span lang='zh'>{html.escape(r['title_zh'])}</span>), {when}; {n} facts in the data.</li>")
    return HTML("<ul class='sources-used'>" + "".join(items) + "</ul>")


def rows_provenance(rows: pd.DataFrame, title: str = "Sources of this figure"):
    """A collapsed table like `provenance`, for rows of tables other than facts
    (partnerships, park_sectors, cluster_system, measures, events).

    `rows` needs the columns id, what, source_id, locator, quote (one row per table row used).
    """
    from IPython.display import HTML

    rows = rows.drop_duplicates("id")
    cells = "".join(
        "<tr>"
        f"<td><code>{html.escape(str(r['id']))}</code></td>"
        f"<td>{html.escape(str(r['what']))}</td>"
        f"<td>{html.escape(str(r['source_id']))}, {html.escape(str(r['locator']))}</td>"
        f"<td lang=\"zh\">{html.escape(str(r['quote']))}</td>"
        "</tr>"
        for _, r in rows.iterrows())
    return HTML(
        f'<details class="provenance"><summary>{html.escape(title)} ({len(rows)} rows)</summary>'
        '<table class="provenance-table"><thead><tr><th>row</th><th>what</th><th>source, section</th>'
        f"<th>quote</th></tr></thead><tbody>{cells}</tbody></table></details>")
