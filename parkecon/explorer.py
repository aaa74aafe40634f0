"""The facts explorer (book/facts.md): every fact of facts.csv in one table, each with a
permanent anchor (``facts.html#f000-030``), and the links to it from the provenance tables.

The table is plain HTML: without JavaScript all of it shows. `book/_static/facts-explorer.js`
adds a search box and filters by source and status. The last column holds, for each fact,
an empty ``<span class="fact-uses" data-fact="...">`` that the build fills with the pages
using the fact.
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pandas as pd

from .paths import repo_root

PAGE = "book/facts"  # the explorer's page (docname); its HTML is book/facts.html in the site
PUBLISHED = "https://parkecon.github.io/northern-guangdong-parks/"  # = html.baseurl in _config.yml
COLUMNS = ["Fact", "What (entity, indicator)", "As printed", "Status and period", "Source", "Quote", "Used on"]
QUALIFIERS = {"exactly": "", "about": "about", "nearly": "nearly", "more_than": "more than",
              "at_least": "at least", "less_than": "less than", "at_most": "at most"}


def explorer_href(fact_id: str, start: str | os.PathLike | None = None) -> str:
    """The link from a page to a fact's entry in the explorer.

    A page's HTML sits where its source does (notebooks/x.md -> notebooks/x.html), and a
    notebook is executed in its own folder, so the link is relative to the working
    directory. Outside the book (the workshop kit has no book/ folder) it is the published page.
    """
    root = repo_root()
    if not (root / f"{PAGE}.md").is_file():
        return f"{PUBLISHED}{PAGE}.html#{fact_id}"
    rel = os.path.relpath(root / f"{PAGE}.html", start or os.getcwd())
    return f"{Path(rel).as_posix()}#{fact_id}"


def period_label(r) -> str:
    """The period a fact refers to, as precisely as the data give it."""
    if r["period_basis"] == "unknown":
        return f"no date given (document of {r['period_end'].year})"
    start, end = pd.Timestamp(r["period_start"]), pd.Timestamp(r["period_end"])
    if start == end:
        text = f"at {end:%Y-%m-%d}"
    elif (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        text = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    else:
        text = f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
    if r["period_basis"] == "derived":
        text += " (derived from the text)"
    if pd.notna(r.get("base_period")):
        text += f", compared with {int(r['base_period'])}"
    return text


def _e(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def row_html(r) -> str:
    fid = _e(r["fact_id"])
    qual = QUALIFIERS.get(r["qualifier"], str(r["qualifier"]).replace("_", " "))
    gloss = f'<span class="fx-gloss">{_e(r["quote_en"])}</span>' if pd.notna(r.get("quote_en")) else ""
    note = f'<span class="fx-note">Note: {_e(r["note"])}</span>' if pd.notna(r.get("note")) else ""
    return (
        f'<tr id="{fid}" data-source="{_e(r["source_id"])}" data-status="{_e(r["status"])}">'
        f'<th scope="row"><a class="fx-self" href="#{fid}"><code>{fid}</code></a></th>'
        f'<td><span class="fx-entity"><span class="fx-en">{_e(r["entity_en"])}</span>'
        f' <span class="fx-zh" lang="zh-Hans">{_e(r["entity_zh"])}</span> <code class="fx-key">{_e(r["entity_id"])}</code></span>'
        f'<span class="fx-indicator"><span class="fx-en">{_e(r["indicator_en"])}</span>'
        f' <span class="fx-zh" lang="zh-Hans">{_e(r["indicator_zh"])}</span> <code class="fx-key">{_e(r["indicator_id"])}</code></span></td>'
        f'<td><span class="fx-value">{_e(r["value_text"])}\u00a0<span lang="zh-Hans">{_e(r["unit_reported"])}</span></span>'
        + (f' <span class="fx-qual">{qual}</span>' if qual else "") + "</td>"
        f'<td><span class="fx-status fx-{_e(r["status"])}">{_e(r["status"])}</span> {_e(period_label(r))}</td>'
        f'<td><a href="sources.html#{_e(r["source_id"])}"><code>{_e(r["source_id"])}</code></a> {_e(r["source_en"])},'
        f' section <span lang="zh-Hans">{_e(r["locator"])}</span></td>'
        f'<td><span class="fx-quote" lang="zh-Hans">{_e(r["quote"])}</span>{gloss}{note}</td>'
        f'<td><span class="fact-uses" data-fact="{fid}"></span></td>'
        "</tr>"
    )


def table_html(facts: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The explorer's table: one row per fact, in the order of facts.csv."""
    labels = {s.source_id: f"{s.source_id}: {s.short_en}" for s in sources.itertuples()
              if s.source_id in set(facts["source_id"])}
    head = "".join(f'<th scope="col">{c}</th>' for c in COLUMNS)
    body = "".join(row_html(r) for _, r in facts.iterrows())
    return (f'<div class="fx-explorer" data-sources="{html.escape(json.dumps(labels, ensure_ascii=False))}">'
            f'<table class="facts-explorer"><caption>The {len(facts)} facts of <code>facts.csv</code></caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
