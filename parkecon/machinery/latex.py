"""Sphinx hooks of the PDF edition (the LaTeX builder), listed in _config.yml.

The chapters show their tables as HTML (pandas, the provenance tables, the data
dictionary); LaTeX cannot use HTML, so for the LaTeX builder only:

1. every HTML output of a notebook becomes docutils nodes (tables, lists, paragraphs,
   headings as rubrics, code, emphasis, links), so it is typeset like any other table;
2. every table gets column widths estimated from its content, so long tables wrap their
   cells within the text width and break across pages with their header repeated;
3. solutions are printed under a heading rather than in a box (a box cannot break a
   table across pages); sphinx-jupyterbook-latex already leaves out the code folded
   away on the site (`hide-input`, `hide-output`);
4. only the analysis chapters are numbered, as on the site;
5. the title page gets the version, the root page its heading (jupyter-book #1932) and
   the preamble loses ucharclasses, which clashes with xeCJK;
6. the Chinese edition (Sphinx's language zh_CN) loads latex/parkeconbook-zh.sty: Chinese
   text in Noto CJK with Chinese punctuation, a Chinese title page, 目录, 第1章, Chinese dates.

On the site, once an edition's PDF has been built (`make pdf`, tools/pdf.py), every page
of that edition's site links it from its download menu and from the introduction's section
"The print edition", and the HTML build copies it into the site (_build/html/pdf/,
_build/html/zh/pdf/).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

PDF_DIR = "pdf"  # the PDFs' folder in the site

# The site's words about the PDF, per edition (the Sphinx language: en, zh_CN)
TEXT = {
    "en": {"download": "Download: ", "none": "This copy of the site was built without it.",
           "button": "book .pdf", "tooltip": "Download the whole book as a PDF ({size})",
           "size": "{pages} pages, {mb:.1f} MB", "list": "; "},
    "zh": {"download": "下载：", "none": "本网站的这一副本构建时未生成PDF。",
           "button": "全书 .pdf", "tooltip": "下载全书PDF（{size}）",
           "size": "{pages}页，{mb:.1f} MB", "list": "；"},
}


def _lang(config) -> str:
    return "zh" if str(config.language or "en").lower().startswith("zh") else "en"

# ---------------------------------------------------------------------------------------
# A small HTML tree


class _El:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict | None = None):
        self.tag, self.attrs, self.children = tag, attrs or {}, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


VOID = {"br", "img", "hr", "meta", "col", "wbr", "input", "link"}
DROP = {"style", "script", "colgroup", "img", "hr"}
BLOCK = {"p", "div", "table", "ul", "ol", "li", "details", "summary", "section", "blockquote", "pre",
         "h1", "h2", "h3", "h4", "h5", "h6", "dl", "figure", "figcaption"}


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _El("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = _El(tag, dict(attrs))
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_El(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(html: str) -> _El:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# ---------------------------------------------------------------------------------------
# HTML tree -> docutils


def _inlines(item) -> list[nodes.Node]:
    if isinstance(item, str):
        text = re.sub(r"\s+", " ", item)
        return [nodes.Text(text)] if text else []
    tag = item.tag
    if tag in DROP:
        return []
    if tag == "br":
        return [nodes.Text(" ")]
    if tag in ("code", "tt", "kbd", "samp"):
        return [nodes.literal(text=re.sub(r"\s+", " ", item.text()))]
    kids = [n for c in item.children for n in _inlines(c)]
    if tag in ("b", "strong", "th"):
        return [nodes.strong("", "", *kids)] if kids else []
    if tag in ("i", "em", "cite"):
        return [nodes.emphasis("", "", *kids)] if kids else []
    href = item.attrs.get("href") or ""
    if tag == "a" and href.startswith(("http://", "https://")):
        return [nodes.reference("", "", *kids, refuri=href)]
    return kids


def _tidy(par: nodes.paragraph) -> bool:
    """Strip the paragraph's outer spaces; False when nothing is left."""
    if par.children and isinstance(par[0], nodes.Text):
        par[0] = nodes.Text(par[0].astext().lstrip())
    if par.children and isinstance(par[-1], nodes.Text):
        par[-1] = nodes.Text(par[-1].astext().rstrip())
    return bool(par.astext().strip())


def _blocks(parent: _El) -> list[nodes.Node]:
    """The children of an element as block nodes (loose inline content becomes paragraphs)."""
    out: list[nodes.Node] = []
    par = None
    for child in parent.children:
        if isinstance(child, _El) and child.tag == "br":
            par = None
            continue
        if isinstance(child, str) or child.tag not in BLOCK:
            inl = _inlines(child)
            if not inl:
                continue
            if par is None:
                par = nodes.paragraph()
                out.append(par)
            par.extend(inl)
            continue
        par = None
        out.extend(_block(child))
    return [n for n in out if not isinstance(n, nodes.paragraph) or _tidy(n)]


def _block(el: _El) -> list[nodes.Node]:
    tag = el.tag
    if tag in DROP:
        return []
    if tag == "table":
        return [_table(el)]
    if tag in ("ul", "ol"):
        lst = nodes.bullet_list() if tag == "ul" else nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for li in (c for c in el.children if isinstance(c, _El) and c.tag == "li"):
            lst += nodes.list_item("", *(_blocks(li) or [nodes.paragraph()]))
        return [lst] if lst.children else []
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "summary", "figcaption"):
        kids = [n for c in el.children for n in _inlines(c)]
        rub = nodes.rubric("", "", *kids)
        return [rub] if rub.astext().strip() else []
    if tag == "pre":
        return [nodes.literal_block(text=el.text())]
    return _blocks(el)


def _rows(el: _El, in_head: bool = False):
    """(is_header, tr) for every row of a table, in order."""
    for c in el.children:
        if not isinstance(c, _El):
            continue
        if c.tag == "tr":
            yield in_head, c
        elif c.tag in ("thead", "tbody", "tfoot"):
            yield from _rows(c, c.tag == "thead")


def _cells(tr: _El) -> list[_El]:
    return [c for c in tr.children if isinstance(c, _El) and c.tag in ("td", "th")]


def _span(cell: _El, key: str) -> int:
    try:
        return max(1, int(cell.attrs.get(key) or 1))
    except ValueError:
        return 1


def _table(el: _El) -> nodes.table:
    rows = list(_rows(el))
    if rows and not any(h for h, _ in rows):  # no <thead>: leading rows of <th> are the header
        lead = 0
        while lead < len(rows) - 1 and all(c.tag == "th" for c in _cells(rows[lead][1])):
            lead += 1
        rows = [(i < lead, tr) for i, (_, tr) in enumerate(rows)]
    ncols = max((sum(_span(c, "colspan") for c in _cells(tr)) for _, tr in rows), default=1)
    table = nodes.table(classes=["html-output"])
    caption = next((c for c in el.children if isinstance(c, _El) and c.tag == "caption"), None)
    if caption is not None:
        table += nodes.title("", "", *[n for c in caption.children for n in _inlines(c)])
    group = nodes.tgroup(cols=ncols)
    table += group
    for _ in range(ncols):
        group += nodes.colspec(colwidth=1)
    head, body = nodes.thead(), nodes.tbody()
    pending = [0] * ncols  # rows still covered by a rowspan, per column
    for is_head, tr in rows:
        row = nodes.row()
        col = 0
        for cell in _cells(tr):
            while col < ncols and pending[col]:
                pending[col] -= 1
                col += 1
            cs, rs = _span(cell, "colspan"), _span(cell, "rowspan")
            entry = nodes.entry()
            if cs > 1:
                entry["morecols"] = cs - 1
            if rs > 1:
                entry["morerows"] = rs - 1
                for k in range(col, min(col + cs, ncols)):
                    pending[k] = rs - 1
            content = _blocks(cell) or [nodes.paragraph()]
            if cell.tag == "th" and not is_head:
                content = [nodes.paragraph("", "", nodes.strong("", "", *p.children))
                           if isinstance(p, nodes.paragraph) else p for p in content]
            entry.extend(content)
            row += entry
            col += cs
        while col < ncols and pending[col]:
            pending[col] -= 1
            col += 1
        (head if is_head else body).append(row)
    if head.children:
        group += head
    group += body
    return table


def html_to_nodes(html: str) -> list[nodes.Node]:
    """An HTML fragment (a notebook's text/html output) as docutils block nodes."""
    return _blocks(parse_html(html))


# ---------------------------------------------------------------------------------------
# Column widths


def _weight(text: str, mono: bool = False) -> float:
    """Display width of text in Latin characters: a CJK character counts two, code 1.25."""
    w = sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)
    return w * 1.25 if mono else w


LINE = 86  # characters of body text in a line of the text block, about (A4, 10 pt)
PAD = 3    # the cell's padding, in characters
SIZES = [(1.0, ""), (0.9, r"\small"), (0.8, r"\footnotesize"), (0.7, r"\scriptsize")]
BREAK_AFTER = re.compile(r"(?<=[_/}])(?=.)")  # after _ or / in names, after } in patterns such as [0-9]{4}
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


def _entry_measure(entry: nodes.Element) -> tuple[float, float, float]:
    """(whole text, longest unbreakable piece, room wished for) of a table cell, in Latin
    characters: Chinese breaks between any two characters, but reads badly two to a line."""
    whole, word = 0.0, 0.0
    for text in entry.findall(nodes.Text):
        mono = isinstance(text.parent, nodes.literal)
        whole += _weight(text.astext(), mono)
        if mono:  # code breaks only where _breakable allows it
            pieces = [p for w in text.astext().split() for p in (BREAK_AFTER.split(w) if len(w) > 12 else [w])]
        else:
            pieces = [p for w in re.split(r"[\s\u2e80-\u9fff\uff00-\uffef]+|(?<=-)", text.astext())
                      for p in (BREAK_AFTER.split(w) if len(w) > 12 else [w])]
        word = max([word] + [_weight(p, mono) for p in pieces])
    if CJK.search(entry.astext()):
        word = max(word, 2.0)  # one Chinese character, which cannot break (a header such as 引用页面)
        wish = max(word, min(whole, 16))
    else:
        wish = word
    return whole, word, wish


def estimate_widths(table: nodes.table, small: bool = False) -> tuple[list[int], str] | None:
    """Relative column widths from the content: every column at least as wide as its longest
    word, the rest of the line shared in proportion to how much longer its cells run."""
    group = next(iter(table.findall(nodes.tgroup)), None)
    if group is None:
        return None
    ncols = int(group["cols"])
    lo, wish, hi = [1.0] * ncols, [1.0] * ncols, [1.0] * ncols
    for row in group.findall(nodes.row):
        col = 0
        for entry in row.children:
            span = 1 + int(entry.get("morecols", 0))
            if span == 1 and col < ncols:
                whole, word, wished = _entry_measure(entry)
                bold = 1.15 if isinstance(row.parent, nodes.thead) else 1.0
                lo[col] = max(lo[col], min(word * bold, 30) + PAD)
                wish[col] = max(wish[col], min(wished * bold, 30) + PAD)
                hi[col] = max(hi[col], min(whole * bold, 60) + PAD)
            col += span
    # the largest type size at which every column holds its longest word
    sizes = SIZES[1:] if small else SIZES  # tables of data (notebook outputs) are set small
    scale, size = next(((f, cmd) for f, cmd in sizes if sum(lo) * f <= LINE), sizes[-1])
    line = LINE / scale
    if sum(wish) <= line:  # room for the Chinese columns too
        lo = wish
    hi = [max(h, l) for h, l in zip(hi, lo)]
    if sum(hi) <= line:
        widths = hi
    elif sum(lo) >= line:
        widths = lo
    else:
        spare, extra = line - sum(lo), sum(h - l for h, l in zip(hi, lo))
        widths = [l + spare * (h - l) / extra for h, l in zip(hi, lo)]
    return [max(1, round(w * 10)) for w in widths], size


def _breakable(text: nodes.Text) -> list[nodes.Node]:
    """Long identifiers (park_zhongjin_functional_materials) may break after _ or /, patterns after }."""
    parts = [""]
    for word in re.split(r"(\s+)", text.astext()):
        pieces = BREAK_AFTER.split(word) if len(word) > 12 else [word]
        parts[-1] += pieces[0]
        parts.extend(pieces[1:])
    out: list[nodes.Node] = []
    for i, part in enumerate(parts):
        if i:
            out.append(nodes.raw("", r"\allowbreak{}", format="latex"))
        out.append(nodes.Text(part))
    return out


# ---------------------------------------------------------------------------------------
# Sphinx hooks


class LatexEdition(SphinxPostTransform):
    """HTML outputs to docutils, solutions unboxed, table widths, chapter numbers: LaTeX only."""

    default_priority = 30  # after sphinx-exercise has titled the solutions (21, 22)
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        self.config.numfig_secnum_depth = 2  # see _builder_inited; the environment is saved by now
        for raw in list(self.document.findall(nodes.raw)):
            if "html" in raw.get("format", "").split():
                new = html_to_nodes(raw.astext())
                if new:
                    raw.replace_self(new)
                else:
                    raw.parent.remove(raw)
        self.unbox_exercises()
        for table in list(self.document.findall(nodes.table)):
            self.fit_table(table)
        self.number_only_analyses()

    def unbox_exercises(self) -> None:
        """Exercises and solutions are printed under a heading, not in a box: a box cannot
        break a table across pages, and some hold tables longer than a page."""
        try:
            from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node
        except ImportError:  # pragma: no cover - the book always has sphinx-exercise
            return
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        kinds = (exercise_node, exercise_enumerable_node, solution_node)
        for box in [n for n in self.document.findall(nodes.Element) if isinstance(n, kinds)]:
            title = box.children[0] if box.children and isinstance(box.children[0], nodes.title) else None
            body = [c for c in box.children if c is not title]
            if isinstance(box, solution_node):  # the labels sphinx-exercise's LaTeX writer would set
                target = registry.get(box.get("target_label"), {})
                label = "%s:%s" % (target.get("docname", ""), box.get("label", ""))
                kind = "solution"
            else:
                label, kind = "exercise:%s" % box.get("label", ""), "exercise"
            out: list[nodes.Node] = [nodes.raw("", "\\phantomsection\\label{%s}\n" % label, format="latex")]
            if title is not None:
                text = title.astext()
                if kind == "exercise" and _lang(self.config) == "zh":
                    # 练习 1.1　查看实体表（10 分钟）, not 练习 1.1 (查看实体表（10 分钟）)
                    text = re.sub(r"^(\S+ [\d.]+) \((.*)\)$", "\\1\u3000\\2", text)
                out.append(nodes.rubric("", text, classes=[f"{kind}-title"]))
            out.append(nodes.container("", *body, classes=[kind]))
            box.replace_self(out)

    def fit_table(self, table: nodes.table) -> None:
        for literal in list(table.findall(nodes.literal)):
            for text in list(literal.findall(nodes.Text)):
                pieces = _breakable(text)
                if len(pieces) > 1:  # a literal holds text only: split it into literals
                    literal.replace_self([p if isinstance(p, nodes.raw) else nodes.literal(text=p.astext())
                                          for p in pieces])
        for text in list(table.findall(nodes.Text)):
            if not isinstance(text.parent, (nodes.literal, nodes.raw)):
                pieces = _breakable(text)
                if len(pieces) > 1:
                    text.parent.replace(text, pieces)
        boxed = any(isinstance(a, (nodes.Admonition, nodes.sidebar, nodes.topic)) or
                    type(a).__name__.startswith("exercise") for a in _ancestors(table))
        if not boxed:  # every table may break across pages, its header repeated
            table["classes"].append("longtable")
        if "colwidths-given" in table["classes"]:
            return
        measured = estimate_widths(table, small="html-output" in table["classes"])
        if not measured:
            return
        widths, size = measured
        for spec, width in zip(table.findall(nodes.colspec), widths):
            spec["colwidth"] = width
        table["classes"].append("colwidths-given")
        if size:  # a smaller type size for this table only
            parent = table.parent
            parent.insert(parent.index(table), nodes.raw("", "{" + size + "\n", format="latex"))
            parent.insert(parent.index(table) + 1, nodes.raw("", "\n}", format="latex"))

    def number_only_analyses(self) -> None:
        """Chapters outside the numbered part (introduction, workshop, appendix) carry no
        number, so that the analyses are chapters 1-5 and their figures Fig. 1.1 ... as on the site."""
        numbered = {d for d, nums in self.env.toc_secnumbers.items() if nums}
        for start in self.document.findall(addnodes.start_of_file):
            doc = start.get("docname")
            if doc and doc != self.config.root_doc:
                start.insert(0, nodes.raw("", "\\parkeconnumbered\n" if doc in numbered else "\\parkeconunnumbered\n",
                                          format="latex"))


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def book_version(root: Path) -> str:
    """The package version, with the commit when the book is built from a git checkout."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8") if (root / "pyproject.toml").is_file() else ""
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    version = m.group(1) if m else "unversioned"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version} ({commit})" if commit else version


def _tex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _builder_inited(app) -> None:
    if app.builder.name != "latex":
        return
    # sphinx-jupyterbook-latex sets numfig_secnum_depth to 2: with parts on top, figures are
    # then numbered per chapter (Fig. 1.3) as on the site, where the value is 1. The reading
    # environment keeps the site's value, or Sphinx would read every page again each time the
    # LaTeX and HTML builds alternate; the LaTeX writer gets 2 (LatexEdition, after reading).
    app.config.numfig_secnum_depth = 1
    src = Path(app.srcdir)
    ctx = app.builder.context
    ctx["release"] = _tex_escape(book_version(src))
    # ucharclasses (added by sphinx-jupyterbook-latex) rewires font switching at every
    # character class change and fights xeCJK over the same hooks
    ctx["preamble"] = re.sub(r"\\usepackage\[[^]]*\]\{ucharclasses\}", "", ctx.get("preamble", ""))
    if _lang(app.config) == "zh":
        # after the book's package: Chinese punctuation, names and title page (latex/parkeconbook-zh.sty)
        ctx["preamble"] += "\n\\usepackage{parkeconbook-zh}\n"
        if "date" not in app.config.latex_elements:  # 2026年12月2日, not Sphinx's "2026 年 12 月 02 日"
            from sphinx.util.i18n import format_date

            ctx["date"] = format_date("%Y年%-m月%-d日", language=app.config.language)
    year = re.search(r"\d{4}", str(app.config.copyright or ""))
    ctx["preamble"] += "\n\\newcommand{\\parkeconyear}{%s}\n" % (year.group(0) if year else "n.d.")
    short = _tex_escape(re.split("[:：]", str(app.config.html_title or app.config.project or ""))[0].strip())
    ctx["preamble"] += "\\newcommand{\\parkeconshorttitle}{%s}\n" % short


def _root_heading(app, env) -> None:
    """jupyter-book #1932: the root page's own heading is dropped; give it back as an
    unnumbered chapter so that the introduction does not run on from the contents. Its title
    as read (translated in the Chinese edition), once every page has been read."""
    builder = app.builder
    if builder.name != "latex":
        return
    node = env.titles.get(app.config.root_doc)
    title = _tex_escape(node.astext().strip()) if node is not None else ""
    if title:
        ctx = builder.context
        ctx["tableofcontents"] = (ctx.get("tableofcontents", r"\sphinxtableofcontents") +
                                  "\n\\chapter*{%s}\\addcontentsline{toc}{chapter}{%s}\\markboth{%s}{%s}\n"
                                  % (title, title, title, title))


# ---------------------------------------------------------------------------------------
# The site links the PDF


def built_editions(pdf_dir: Path, lang: str | None = None) -> list[dict]:
    """The PDF editions built by tools/pdf.py, from the summary it writes next to each PDF
    (only the edition `lang`, if given)."""
    out = []
    for summary in sorted(pdf_dir.glob("*.json")):
        info = json.loads(summary.read_text(encoding="utf-8"))
        pdf = summary.with_suffix(".pdf")
        if pdf.is_file() and info.get("edition") and lang in (None, info["edition"]):
            out.append({"lang": info["edition"], "file": pdf.name, "pages": info.get("pages"), "bytes": info.get("bytes")})
    return out


def _config_inited(app, config) -> None:
    # a value of the html kind: when the edition's PDF appears, changes or goes, every page
    # is written again (not re-read) with or without its link. Each site links its own
    # edition's PDF; tools/pdf.py writes them all into the book's _build/pdf/.
    config.parkecon_pdf_editions = built_editions(Path(app.srcdir) / "_build" / "pdf", _lang(config))


def _pdf_href(docname: str, name: str) -> str:
    return "../" * docname.count("/") + f"{PDF_DIR}/{name}"


def _describe(ed: dict, lang: str = "en") -> str:
    if ed.get("pages") and ed.get("bytes"):
        return TEXT[lang]["size"].format(pages=ed["pages"], mb=ed["bytes"] / 2**20)
    return "PDF"


def _intro_link(app, doctree, docname) -> None:
    """On the site, the introduction's section on the print edition links the PDF."""
    if app.builder.format != "html" or docname != app.config.root_doc:
        return
    editions = app.config.parkecon_pdf_editions
    lang = _lang(app.config)
    t = TEXT[lang]
    for section in doctree.findall(nodes.section):
        if "print-edition" not in section["ids"] and "print-edition" not in section.get("names", []):
            continue
        if editions:
            par = nodes.paragraph("", t["download"])
            for i, ed in enumerate(editions):
                if i:
                    par += nodes.Text(t["list"])
                par += nodes.reference("", ed["file"], refuri=_pdf_href(docname, ed["file"]),
                                       classes=["pdf-edition-link"])
                par += nodes.Text(f" ({_describe(ed, lang)})" if lang == "en" else f"（{_describe(ed, lang)}）")
            par += nodes.Text("." if lang == "en" else "。")
        else:
            par = nodes.paragraph("", t["none"])
        section += par


def _download_menu(app, pagename, templatename, context, doctree) -> None:
    """Every page's download menu offers the whole book as a PDF, next to the page's own files."""
    editions = app.config.parkecon_pdf_editions
    if not editions:
        return
    t = TEXT[_lang(app.config)]
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            for ed in editions:
                group["buttons"].append({
                    "type": "link", "url": context["pathto"](f"{PDF_DIR}/{ed['file']}", 1),
                    "text": t["button"], "tooltip": t["tooltip"].format(size=_describe(ed, _lang(app.config))),
                    "icon": "fas fa-book", "label": "download-book-pdf-button"})


def _copy_pdfs(app, exception) -> None:
    """The site carries the PDFs it links."""
    if exception is not None or app.builder.format != "html":
        return
    for ed in app.config.parkecon_pdf_editions:
        src = Path(app.srcdir) / "_build" / "pdf" / ed["file"]
        dst = Path(app.outdir) / PDF_DIR / ed["file"]
        dst.parent.mkdir(exist_ok=True)
        shutil.copy2(src, dst)


def setup(app):
    app.add_post_transform(LatexEdition)
    app.add_config_value("parkecon_pdf_editions", [], "html")
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited, priority=600)  # after sphinx-jupyterbook-latex
    app.connect("env-updated", _root_heading)
    app.connect("doctree-resolved", _intro_link)
    app.connect("html-page-context", _download_menu, priority=600)  # after the theme fills the menu
    app.connect("build-finished", _copy_pdfs)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
