"""Every pasted number answers "where does this come from?" (a Sphinx extension, in _config.yml).

- Parsing: the `{glue:text}` role is myst-nb's, plus two attributes on the node it makes: the
  key and the derivation that `pe.glue` stored in the pasted output's metadata ("parkecon").
- doctree-read: per page, which facts its numbers use (the facts explorer's "used on" column)
  and how many pasted numbers carry a derivation (the coverage report).
- HTML (doctree-resolved): a number with a derivation becomes a link to its entry in a
  closing section, "Where the numbers come from", that gives the computation in words, the
  pasted values it builds on and, for each fact, its source, locator, qualifier, status and
  verbatim quote, with a link to the fact in the explorer. cards.js opens the same entry as a
  card beside the number (mouse, keyboard, touch); without JavaScript the link leads to it.
- build-finished: coverage per page in the log and in _build/.parkecon/coverage-<lang>.json.
- html-page-context of the explorer (book/facts): its "used on" cells get links to the pages.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
EXPLORER = "book/facts"
CHAPTER_MIN = 0.95

TEXT = {
    "en": {"title": "Where the numbers come from",
           "intro": "Each number in this page's text that was computed when the book was built links here: "
                    "what it is computed from, and the quote of each fact in its source. Fact ids open the "
                    "facts explorer.",
           "computed": "Computed as", "builds": "Builds on", "counts": "Counts", "facts": "Facts read",
           "fact": "fact", "what": "what", "printed": "as printed", "source": "source, section",
           "quote": "quote", "close": "Close", "card": "Where this number comes from",
           "value": "Value", "gloss": "in English", "facts_title": "Facts these numbers read",
           "key": "the name under which the build pasted this number"},
    "zh": {"title": "本页数字的来源",
           "intro": "本页正文中在构建时计算得出的每个数字都链接到这里：它由哪些数据算出、如何计算，以及每条数据在原文中的引文。"
                    "点击数据编号可在数据浏览页中查看。",
           "computed": "计算方式", "builds": "依据的数值", "counts": "计数对象", "facts": "所用数据",
           "fact": "编号", "what": "内容", "printed": "原文数值", "source": "来源、位置",
           "quote": "引文", "close": "关闭", "card": "这个数字从何而来",
           "value": "数值", "gloss": "英文释义", "facts_title": "上述数字所用的数据",
           "key": "构建时粘贴这个数字所用的名称"},
}


def _lang(app) -> str:
    return "zh" if str(app.config.language or "en").startswith("zh") else "en"


# ---- parsing: the glue role keeps its key and derivation ------------------------------------
def _text_role():
    from myst_nb.ext.glue.utils import retrieve_glue_data

    # langsite's role: it also resolves the keys of a translated paragraph (the Chinese edition),
    # which this role replaces in the glue domain
    from .langsite import TranslatedPasteText

    class PasteTextWithDerivation(TranslatedPasteText):
        def run(self):
            result, messages = super().run()
            key = self.text.rsplit(":", 1)[0] if ":" in self.text else self.text
            if "::" in key or not result or not isinstance(result[0], nodes.inline):
                return result, messages
            try:
                meta = retrieve_glue_data(self.document, key).metadata or {}
            except Exception:  # pragma: no cover - the role itself has warned already
                return result, messages
            result[0]["glue_key"] = key
            if meta.get("parkecon"):
                result[0]["derivation"] = json.dumps(meta["parkecon"], sort_keys=True, ensure_ascii=False)
            return result, messages

    return PasteTextWithDerivation()


def _pasted(doctree):
    for node in doctree.findall(nodes.inline):
        if node.get("glue_key"):
            yield node


def _is_number(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _own_pending(app, doctree, docname):
    """Pastes in translated text (the Chinese edition): pending references to the page's own
    glue data, with (key, text/plain, derivation) read from the data myst-nb stored."""
    from myst_nb.ext.glue.crossref import read_glue_cache
    from myst_nb.ext.glue.utils import PendingGlueReference

    data = None
    for node in doctree.findall(PendingGlueReference):
        if node.refdoc != docname:
            continue
        if data is None:
            data = read_glue_cache(app.env.mystnb_config.output_folder, docname)
        out = data.get(node.key, {})
        yield node, node.key, str(out.get("data", {}).get("text/plain", "")), (out.get("metadata") or {}).get("parkecon")


def _collect(app, doctree) -> None:
    env = app.env
    docname = env.docname
    uses: set[str] = set()
    with_d, without = 0, []
    for node in _pasted(doctree):
        d = json.loads(node["derivation"]) if node.get("derivation") else None
        if d:
            uses.update(d.get("facts", []))
        if _is_number(node.astext()):
            if d:
                with_d += 1
            else:
                without.append(node["glue_key"])
    for _node, key, text, d in _own_pending(app, doctree, docname):
        if d:
            uses.update(d.get("facts", []))
        if _is_number(text):
            if d:
                with_d += 1
            else:
                without.append(key)
    if not hasattr(env, "parkecon_cards"):
        env.parkecon_cards = {}
    env.parkecon_cards[docname] = {"uses": sorted(uses), "with": with_d, "without": without}


def _purge(app, env, docname) -> None:
    getattr(env, "parkecon_cards", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    if not hasattr(env, "parkecon_cards"):
        env.parkecon_cards = {}
    for d in docnames:
        if d in getattr(other, "parkecon_cards", {}):
            env.parkecon_cards[d] = other.parkecon_cards[d]


# ---- HTML: links on numbers and the closing section ------------------------------------------
def _glue_values(app, docname) -> dict:
    """{key: text/plain} of a page's pasted values (myst-nb writes them beside the notebook)."""
    # the edition's own notebook outputs (the Chinese edition's are not beside its output folder)
    path = Path(app.env.mystnb_config.output_folder) / (docname + ".glue.json")
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: (v.get("data", {}).get("text/plain", "")).strip("'\"") for k, v in data.items()}


def _facts_table():
    from parkecon.provenance import facts

    return facts().set_index("fact_id")


def _fact_table(app, fact_ids, docname, t, lang) -> str:
    """The facts the page's numbers read, one row each (id="pe-fact-<id>"); entries link to rows."""
    from parkecon.provenance import qualifier_note, status_note

    f = _facts_table()
    explorer = EXPLORER in app.env.all_docs
    rows = []
    for fid in fact_ids:
        if fid not in f.index:
            continue
        r = f.loc[fid]
        year = "" if r.get("period_basis") == "unknown" else str(r["period_end"].year)
        if lang == "zh":
            what = f"{r['entity_zh']}：{r['indicator_zh']}" + (f"，{year}年" if year else "")
        else:
            what = f"{r['entity_en']}: {r['indicator_en']}" + (f", {year}" if year else "")
        what += status_note(str(r["status"]), lang == "zh")
        # Chinese sets a unit right after its number (57.1%, 217.89亿元), English with a space
        printed = (str(r['value_reported']).removesuffix('.0') + ("" if lang == "zh" else " ") + str(r['unit_reported'])
                   + qualifier_note(str(r["qualifier"]), lang == "zh"))
        if explorer:
            href = app.builder.get_relative_uri(docname, EXPLORER) + "#" + fid
            ident = f'<a href="{html.escape(href)}"><code>{fid}</code></a>'
        else:
            ident = f"<code>{fid}</code>"
        gloss = ""
        if lang == "en" and isinstance(r.get("quote_en"), str) and r["quote_en"].strip():
            gloss = f'<br><span class="pe-gloss">{t["gloss"]}: {html.escape(r["quote_en"])}</span>'
        rows.append(
            f'<tr id="pe-fact-{fid}"><td>{ident}</td><td>{html.escape(what)}</td><td>{html.escape(printed)}</td>'
            f"<td>{html.escape(str(r['source_id']))}, {html.escape(str(r['locator']))}</td>"
            f'<td><span lang="zh-Hans">{html.escape(str(r["quote"]))}</span>{gloss}</td></tr>')
    if not rows:
        return ""
    return (f'<h3 id="pe-facts-title">{t["facts_title"]}</h3>'
            f'<div class="pe-table-wrap"><table class="pe-facts" aria-labelledby="pe-facts-title"><thead><tr>'
            f'<th>{t["fact"]}</th><th>{t["what"]}</th><th>{t["printed"]}</th><th>{t["source"]}</th>'
            f'<th>{t["quote"]}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _entry(app, docname, key, shown, d, values, on_page, t, lang) -> str:
    facts = " ".join(d.get("facts", []))
    parts = [f'<div class="pe-drv" id="pe-drv-{key}" data-facts="{facts}" role="group" aria-labelledby="pe-drv-{key}-h">',
             # the number is the entry's heading; the glue key stays as small secondary text
             f'<p class="pe-drv-head" id="pe-drv-{key}-h"><strong class="pe-drv-value">{html.escape(shown)}</strong> '
             f'<code class="pe-drv-key" title="{t["key"]}">{key}</code></p>']
    if d.get("counts"):
        parts.append(f'<p><span class="pe-label">{t["counts"]}:</span> {html.escape(d["counts"])}</p>')
    how = d.get("how") or d.get("expr")
    if how:
        parts.append(f'<p><span class="pe-label">{t["computed"]}:</span> {html.escape(how)}</p>')
        if d.get("how") and d.get("expr") and d["expr"] != d["how"]:
            parts.append(f'<p class="pe-expr">{html.escape(d["expr"])}</p>')
    if d.get("keys"):
        items = []
        for k in d["keys"]:
            label = f"<code>{k}</code> = {html.escape(values.get(k, ''))}"
            # the Chinese text pastes a value in billions or millions as 亿 or 万 (<key>__yi, <key>__wan)
            target = next((x for x in (k, k + "__yi", k + "__wan") if x in on_page), None)
            items.append(f'<a href="#pe-drv-{target}">{label}</a>' if target else label)
        parts.append(f'<p><span class="pe-label">{t["builds"]}:</span> ' + "; ".join(items) + "</p>")
    if d.get("facts"):
        links = ", ".join(f'<a href="#pe-fact-{fid}"><code>{fid}</code></a>' for fid in d["facts"])
        parts.append(f'<p><span class="pe-label">{t["facts"]}:</span> {links}</p>')
    parts.append("</div>")
    return "".join(parts)


def _cards(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    pasted = [n for n in _pasted(doctree) if n.get("derivation")]
    if not pasted:
        return
    lang = _lang(app)
    t = TEXT[lang]
    values = _glue_values(app, docname)
    entries: dict[str, tuple[str, dict]] = {}
    for node in pasted:
        key = node["glue_key"]
        d = json.loads(node["derivation"])
        entries.setdefault(key, (node.astext(), d))
        ref = nodes.reference("", "", internal=True, refuri=f"#pe-drv-{key}", classes=["pe-num"])
        ref += nodes.Text(node.astext())
        node.clear()
        node += ref
    on_page = set(entries)
    body = "".join(_entry(app, docname, k, shown, d, values, on_page, t, lang) for k, (shown, d) in entries.items())
    used = list(dict.fromkeys(fid for _, d in entries.values() for fid in d.get("facts", [])))
    body += _fact_table(app, used, docname, t, lang)
    section = (f'<section class="pe-derivations" aria-labelledby="pe-derivations-title">'
               f'<h2 id="pe-derivations-title">{t["title"]}</h2><p>{t["intro"]}</p>{body}'
               f'<template id="pe-card-text" data-close="{t["close"]}" data-title="{t["card"]}"></template></section>')
    doctree += nodes.raw("", section, format="html")


# ---- the explorer's "used on" column, and coverage -------------------------------------------
_USES = re.compile(r'<span class="fact-uses" data-fact="([^"]+)"></span>')


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename != EXPLORER or "body" not in context:
        return
    by_fact: dict[str, list[str]] = {}
    for doc, info in sorted(getattr(app.env, "parkecon_cards", {}).items()):
        for fid in info["uses"]:
            by_fact.setdefault(fid, []).append(doc)
    titles = app.env.titles
    sep = "、" if _lang(app) == "zh" else ", "  # a list of page titles in the edition's punctuation

    def links(m):
        docs = by_fact.get(m.group(1), [])
        out = []
        for doc in docs:
            href = app.builder.get_relative_uri(pagename, doc)
            title = titles[doc].astext() if doc in titles else doc
            out.append(f'<a href="{html.escape(href)}">{html.escape(title)}</a>')
        return f'<span class="fact-uses" data-fact="{m.group(1)}">' + sep.join(out) + "</span>"

    context["body"] = _USES.sub(links, context["body"])


def coverage(env) -> dict:
    out = {}
    for doc, info in sorted(getattr(env, "parkecon_cards", {}).items()):
        total = info["with"] + len(info["without"])
        if total:
            out[doc] = {"numbers": total, "with_derivation": info["with"],
                        "share": round(info["with"] / total, 4), "without": info["without"]}
    return out


def _report(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    report = coverage(app.env)
    state = Path(app.doctreedir).parent / ".parkecon"   # _build/.parkecon, or _build/zh/.parkecon
    state.mkdir(parents=True, exist_ok=True)
    (state / f"coverage-{_lang(app)}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False),
                                                      encoding="utf-8")
    total = sum(v["numbers"] for v in report.values())
    done = sum(v["with_derivation"] for v in report.values())
    if total:
        logger.info(f"[parkecon] derivations: {done} of {total} pasted numbers ({100 * done / total:.1f}%)")
    for doc, v in report.items():
        if v["without"]:
            logger.info(f"[parkecon]   {doc}: {v['with_derivation']}/{v['numbers']}; without: "
                        + ", ".join(dict.fromkeys(v["without"])))


def _wrap_pending_transform():
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class WrapOwnPendingPastes(SphinxPostTransform):
        """Before myst-nb fills pending glue references (priority 5), wrap each reference to the
        page's own data in an inline that carries its key and derivation, like a pasted number."""
        default_priority = 4

        def run(self, **kwargs):
            docname = self.env.docname
            for node, key, _text, d in list(_own_pending(self.app, self.document, docname)):
                wrapper = nodes.inline(classes=["pasted-text"], glue_key=key)
                if d:
                    wrapper["derivation"] = json.dumps(d, sort_keys=True, ensure_ascii=False)
                node.replace_self(wrapper)
                wrapper += node

    return WrapOwnPendingPastes


def setup(app):
    app.add_post_transform(_wrap_pending_transform())
    app.add_role_to_domain("glue", "text", _text_role(), override=True)
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-resolved", _cards)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _report)
    app.add_js_file("cards.js", loading_method="defer")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
