"""The facts explorer (book/facts.md): every fact of facts.csv in one table, each with a
permanent anchor (``facts.html#f000-030``), and the links to it from the provenance tables.

The table is plain HTML: without JavaScript all of it shows. `book/_static/facts-explorer.js`
adds a search box and filters by source and status. The last column holds, for each fact,
an empty ``<span class="fact-uses" data-fact="...">`` that the build fills with the pages
using the fact.

Everything the table and the script show is in the edition's language (PARKECON_LANG): the
headers, caption, periods, statuses and qualifiers through `tr`, the source's Chinese title
from sources.csv, and the script's texts as the container's ``data-texts`` (JSON). Ids, codes,
values and quotes are the data's own; the English gloss of a quote is left out of the Chinese
edition, and a fact's note (English in the data) is shown in Chinese from parkecon/zh-data.csv
(`tr_data`; a note without its Chinese stops the Chinese build).
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pandas as pd

from .i18n import N_, is_zh, tr, tr_data
from .paths import repo_root

PAGE = "book/facts"  # the explorer's page (docname); its HTML is book/facts.html in the site
PUBLISHED = "https://parkecon.github.io/northern-guangdong-parks/"  # = html.baseurl in _config.yml
COLUMNS = [N_("Fact"), N_("What (entity, indicator)"), N_("As printed"), N_("Status and period"), N_("Source"),
           N_("Quote"), N_("Used on")]
QUALIFIERS = {"exactly": "", "about": "about", "nearly": "nearly", "more_than": "more than",
              "at_least": "at least", "less_than": "less than", "at_most": "at most"}
#: Status words of the Chinese edition (English shows the data's own codes).
STATUS_ZH = {"actual": "实际值", "target": "目标", "plan": "规划", "estimate": "估计"}


def status_word(status: str) -> str:
    """A fact's status in the edition's language: the data's code in English, '目标' etc. in Chinese."""
    return STATUS_ZH.get(status, status) if is_zh() else status


def qualifier_word(qualifier: str) -> str:
    """'more than' / '超过' ('' for exactly)."""
    if is_zh():
        from .calc import QUALIFIER_WORD_ZH

        return QUALIFIER_WORD_ZH.get(qualifier, qualifier)
    return QUALIFIERS.get(qualifier, str(qualifier).replace("_", " "))


def _day(d: pd.Timestamp) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if is_zh() else f"{d:%Y-%m-%d}"


def _year(y: int) -> str:
    return f"{y}年" if is_zh() else str(y)


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
        return tr("no date given (document of {year})", year=r["period_end"].year)
    start, end = pd.Timestamp(r["period_start"]), pd.Timestamp(r["period_end"])
    if start == end:
        text = tr("at {date}", date=_day(end))
    elif (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        if start.year == end.year:
            text = _year(start.year)
        else:
            text = f"{start.year}—{end.year}年" if is_zh() else f"{start.year}–{end.year}"
    else:
        text = tr("{start} to {end}", start=_day(start), end=_day(end))
    if r["period_basis"] == "derived":
        text += tr(" (derived from the text)")
    if pd.notna(r.get("base_period")):
        text += tr(", compared with {year}", year=_year(int(r["base_period"])))
    return text


def _e(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def _names(en: str, zh: str, key: str, cls: str) -> str:
    """An entity's or indicator's names and id; the edition's language first."""
    mark = ' lang="en"' if is_zh() else ""
    en = f'<span class="fx-en"{mark}>{_e(en)}</span>'
    zh = f'<span class="fx-zh" lang="zh-Hans">{_e(zh)}</span>'
    first, second = (zh, en) if is_zh() else (en, zh)
    return f'<span class="{cls}">{first} {second} <code class="fx-key">{_e(key)}</code></span>'


def row_html(r, source_name: str | None = None) -> str:
    """One fact's row. `source_name` is the source's name in the edition's language
    (default: the English short name of `pe.facts()`)."""
    zh = is_zh()
    fid = _e(r["fact_id"])
    qual = qualifier_word(r["qualifier"])
    # the English gloss renders the quote for readers of English: the Chinese edition shows the quote alone
    gloss = f'<span class="fx-gloss">{_e(r["quote_en"])}</span>' if pd.notna(r.get("quote_en")) and not zh else ""
    note = (f'<span class="fx-note">{_e(tr("Note:"))}'
            + (_e(tr_data(r["note"])) if zh else f' {_e(r["note"])}')
            + "</span>") if pd.notna(r.get("note")) else ""
    src = r["source_en"] if source_name is None else source_name
    sep = "，" if zh else ", "
    return (
        f'<tr id="{fid}" data-source="{_e(r["source_id"])}" data-status="{_e(r["status"])}">'
        f'<th scope="row"><a class="fx-self" href="#{fid}"><code>{fid}</code></a></th>'
        # a space between entity and indicator: in print (the PDF's table) the two must not
        # run together into one unbreakable word
        f'<td>{_names(r["entity_en"], r["entity_zh"], r["entity_id"], "fx-entity")} '
        f'{_names(r["indicator_en"], r["indicator_zh"], r["indicator_id"], "fx-indicator")}</td>'
        f'<td><span class="fx-value">{_e(r["value_text"])}\u00a0<span lang="zh-Hans">{_e(r["unit_reported"])}</span></span>'
        + (f' <span class="fx-qual">{_e(qual)}</span>' if qual else "") + "</td>"
        f'<td><span class="fx-status fx-{_e(r["status"])}">{_e(status_word(r["status"]))}</span> {_e(period_label(r))}</td>'
        f'<td><a href="sources.html#{_e(r["source_id"])}"><code>{_e(r["source_id"])}</code></a> {_e(src)}{sep}'
        f'{_e(tr("section"))}{"：" if zh else " "}<span lang="zh-Hans">{_e(r["locator"])}</span></td>'
        f'<td><span class="fx-quote" lang="zh-Hans">{_e(r["quote"])}</span>{gloss}{note}</td>'
        f'<td><span class="fact-uses" data-fact="{fid}"></span></td>'
        "</tr>"
    )


def source_names(sources: pd.DataFrame) -> dict[str, str]:
    """{source id: its name in the edition's language}: the short English name, or the Chinese title."""
    col = "title_zh" if is_zh() else "short_en"
    return {s["source_id"]: (f"《{s[col]}》" if is_zh() else s[col]) for _, s in sources.iterrows()}


def interface_texts(statuses) -> dict:
    """The texts of the script's search box and filters (book/_static/facts-explorer.js), in the
    edition's language; {n} and {shown} are filled by the script. `statuses`: the data's codes."""
    return {
        "filter": tr("Filter the facts"),
        "search": tr("Search"),
        "placeholder": tr("English or Chinese words, or an id"),
        "source": tr("Source"),
        "status": tr("Status"),
        "allSources": tr("All sources"),
        "allStatuses": tr("All statuses"),
        "showAll": tr("Show all"),
        "none": tr("No fact matches. Try fewer words or choose all sources and statuses."),
        "countAll": tr("Showing all {n} facts."),
        "countSome": tr("Showing {shown} of {n} facts."),
        "statuses": {s: status_word(s) for s in statuses},
    }


def table_html(facts: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The explorer's table: one row per fact, in the order of facts.csv."""
    names = source_names(sources)
    used = set(facts["source_id"])
    labels = {sid: f"{sid}{'：' if is_zh() else ': '}{names[sid]}" for sid in sources["source_id"] if sid in used}
    head = "".join(f'<th scope="col">{tr(c)}</th>' for c in COLUMNS)
    body = "".join(row_html(r, names[r["source_id"]] if is_zh() else None) for _, r in facts.iterrows())
    texts = interface_texts(dict.fromkeys(facts["status"]))
    caption = tr("The {n} facts of {file}", n=len(facts), file="<code>facts.csv</code>")
    return (f'<div class="fx-explorer" data-sources="{html.escape(json.dumps(labels, ensure_ascii=False))}"'
            f' data-texts="{html.escape(json.dumps(texts, ensure_ascii=False))}">'
            f'<table class="facts-explorer"><caption>{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
