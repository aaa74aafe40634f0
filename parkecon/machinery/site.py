"""The reading surface of the site (a Sphinx extension listed in _config.yml).

- Chinese search: writes a jieba user dictionary of the Chinese names of entities and
  indicators into the build folder (never into data/) and points the zh search language at it.
- Search finds words in tables that cells write as HTML (cells no longer run together).
- The repository address, configured once in _config.yml, as a MyST substitution
  ({{ repository_url }}) for pages that tell readers where the book lives.
- Version and build date for every page's footer.
- Figures open full size: a click or tap on a figure opens its image file.
- Reference list labelled by author and year (pybtex style "plain_author_year").
- Accessible HTML: Chinese runs of text marked lang="zh-Hans" (screen readers switch
  voice), no aria-label on toggles that hides their visible text, list items for the
  bibliography instead of a deprecated role, no empty table header cells.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
from pathlib import Path

SEARCH_DICT = "search-zh-userdict.txt"

# CJK ideographs, CJK punctuation and full-width forms. A run may hold digits and a few
# signs between Chinese characters (韶工信函〔2022〕125号) but never Latin letters or spaces.
_ZH = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]"
ZH_RUN = re.compile(rf"{_ZH}(?:[0-9.%·+\-]*{_ZH})*")
_TAG = re.compile(r"(<[^>]+>)")
_FIGURE_IMG = re.compile(r'(<figure[^>]*>\s*)(<img [^>]*src="([^"]+)"[^>]*>)')
_RAW = ("script", "style", "textarea", "title")


def search_words(data: Path) -> list[str]:
    """Chinese names of entities and indicators, longest first, one per dictionary line.

    A name with a bracketed or listed part (韶钢（宝武集团广东韶关钢铁有限公司）) also gives
    each part, so that the short name a page uses (韶钢) is a word of its own."""
    words: set[str] = set()
    for table in ("entities.csv", "indicators.csv"):
        with (data / table).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                name = (row.get("name_zh") or "").strip()
                for part in [name, *re.split(r"[（）()、/，,；;：:“”\s]+", name)]:
                    if len(part) >= 2 and ZH_RUN.fullmatch(part):
                        words.add(part)
    return sorted(words, key=lambda w: (-len(w), w))


def write_search_dict(data: Path, out: Path) -> bool:
    """Write a jieba user dictionary (word and frequency a line) if it changed; say whether it did."""
    text = "".join(f"{w} {1000 + 100 * len(w)}\n" for w in search_words(data))
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and out.read_text(encoding="utf-8") == text:
        return False
    out.write_text(text, encoding="utf-8")
    return True


def mark_chinese(html: str) -> str:
    """Wrap each run of Chinese text outside tags, scripts and styles in <span lang="zh-Hans">."""
    parts = _TAG.split(html)
    raw = None
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            m = re.match(r"<(/?)([a-zA-Z0-9]+)", part)
            if m and m.group(2).lower() in _RAW:
                raw = None if m.group(1) else m.group(2).lower()
            continue
        if raw is None and part:
            parts[i] = ZH_RUN.sub(lambda m: f'<span lang="zh-Hans">{m.group(0)}</span>', part)
    return "".join(parts)


def accessible_body(html: str) -> str:
    html = html.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    html = html.replace('role="doc-biblioentry"', 'role="listitem"')
    # pandas writes empty <th> cells over the index column; a data cell announces nothing
    html = re.sub(r'<th( class="(?:blank|index_name)[^"]*")?\s*>(?:&nbsp;|\s)*</th>', r"<td\1></td>", html)
    html = _FIGURE_IMG.sub(r'\1<a class="figure-full" href="\3" title="Open the figure full size">\2</a>', html)
    return mark_chinese(html)


def build_date() -> str:
    """The build date (UTC), or the one given by SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


def book_version(src: Path) -> str:
    text = (src / "CITATION.cff").read_text(encoding="utf-8") if (src / "CITATION.cff").exists() else ""
    m = re.search(r"^version:\s*\"?([^\"\n]+)", text, re.M)
    return m.group(1).strip() if m else "unreleased"


def _config_inited(app, config) -> None:
    src = Path(app.srcdir)
    # the dictionary lives in the build folder; its path is the same on every build here,
    # so the saved environment never sees a changed setting
    path = Path(app.doctreedir).parent / SEARCH_DICT
    app._parkecon_dict_changed = write_search_dict(src / "data", path)
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}
    repo = (config.html_theme_options or {}).get("repository_url", "")
    config.myst_substitutions = {**(config.myst_substitutions or {}), "repository_url": repo,
                                 "book_version": book_version(src)}


def _reindex_all(app, env, added, changed, removed) -> list[str]:
    """A changed dictionary splits every page differently: index (so read and write) them all."""
    return sorted(env.found_docs - added) if getattr(app, "_parkecon_dict_changed", False) else []


_CELL_END = re.compile(r"(</t[dh]>|</li>|</p>|</h[1-6]>|</caption>|</summary>|<br\s*/?>)", re.I)


SEPARATOR = "\u2063"  # invisible separator: splits words for the index, removed from the pages


def _separate_cells(app, doctree, docname) -> None:
    """Sphinx indexes raw HTML (tables written by cells) with its tags stripped, which ran
    neighbouring cells into one word ("milestoneHydrogen"): end each cell with a separator
    that the index splits on and the page never shows (see _page_context)."""
    from docutils import nodes

    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and "<pre" not in raw.astext():
            text = _CELL_END.sub("\\1" + SEPARATOR, raw.astext())
            if text != raw.astext():
                raw.replace(raw.children[0], nodes.Text(text))


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    with path.open("rb") as fh:
        head = fh.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


FIGURE_BUDGET = 240 * 1024  # bytes; the site promises at most 250 KB a figure


def shrink_png(path: Path, budget: int = FIGURE_BUDGET) -> None:
    """A figure over budget (maps, dense charts) is stored with a palette of 256 colours,
    without dithering: the same input always gives the same bytes."""
    if path.stat().st_size <= budget:
        return
    from PIL import Image

    with Image.open(path) as im:
        if im.mode == "P":
            return
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def _figures_at_half_size(app, doctree) -> None:
    """Show each cell's PNG at half its pixel width: figures are drawn at twice the pixels
    they occupy (parkecon.style.DPI), sharp on high-density screens and when zoomed. On a
    narrower screen the theme scales them down further (max-width: 100%).

    Runs while the page is read (doctree-read, after Sphinx has resolved image paths): a
    figure shrunk later, while pages are written, would be newer than the page's time of
    reading, and Sphinx would read the page again on the next build with nothing changed.
    The gettext build, which reads the pages only for their messages, shows no figure."""
    from docutils import nodes

    if app.builder.name == "gettext":
        return

    for img in doctree.findall(nodes.image):
        uri = img.get("candidates", {}).get("*", img.get("uri", ""))
        path = Path(uri) if Path(uri).is_absolute() else Path(app.srcdir) / uri
        if "width" in img or path.suffix.lower() != ".png" or "jupyter_execute" not in path.parts or not path.is_file():
            continue
        shrink_png(path)
        width, _ = png_size(path)
        img["width"] = f"{width // 2}px"


def _page_context(app, pagename, templatename, context, doctree) -> None:
    context["book_version"] = app._parkecon_version
    # on a page of the Chinese edition (<html lang="zh-CN">) Chinese needs no mark of its own
    chinese_page = str(app.config.language or "").lower().startswith("zh")
    date = app._parkecon_date  # ISO; the Chinese footer writes it as Chinese dates are written
    if chinese_page:
        y, m, d = (int(x) for x in date.split("-"))
        date = f"{y}年{m}月{d}日"
    context["build_date"] = date
    context["full_stop"] = "。" if chinese_page else "."
    if context.get("body"):
        body = accessible_body(context["body"].replace(SEPARATOR, ""))
        context["body"] = body if not chinese_page else re.sub(r'<span lang="zh-Hans">([^<]*)</span>', r"\1", body)
    if context.get("toc") and not chinese_page:
        context["toc"] = mark_chinese(context["toc"])


def chinese_search_language():
    """Sphinx's zh search language, with latin words stemmed as the browser stems them.

    Sphinx 7.4's zh language stems latin words with the Snowball English stemmer when it
    builds the index, but its page script stems queries with the Porter stemmer, so words
    such as "money" (indexed as money, searched as monei) were never found. Stem with Porter
    on both sides, as the English language does.
    """
    import functools

    import jieba
    import snowballstemmer
    from sphinx.search.zh import SearchChinese

    class ChineseWithPorterStems(SearchChinese):
        def init(self, options: dict[str, str]) -> None:
            super().init(options)  # loads the dictionary into jieba
            self.stemmer = snowballstemmer.stemmer("porter")
            # the same words recur on every page: segment and stem each once per build
            self._cut = functools.lru_cache(maxsize=None)(lambda block: tuple(jieba.cut_for_search(block)))
            self._stem = functools.lru_cache(maxsize=None)(self.stemmer.stemWord)

        def split(self, input: str) -> list[str]:
            """What Sphinx's Chinese split returns, from memoised pieces. jieba cuts a text
            block by block (runs of Han, latin letters, digits and +#&._%-, and what lies
            between them), and each block's words depend on that block alone, so the
            concatenation of the blocks' cuts is the cut of the whole text (tested)."""
            chinese = [w for block in JIEBA_BLOCKS.split(input) if block for w in self._cut(block)]
            return chinese + [term.strip() for term in self.latin1_letters.findall(input)]

        def stem(self, word: str) -> str:  # as the browser does, also for short words ("use")
            return self._stem(word.lower())

    return ChineseWithPorterStems


#: jieba's own block pattern (jieba.re_han_default): it splits a text at these before cutting
JIEBA_BLOCKS = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)


def fast_myst_documents() -> None:
    """myst-parser makes a new docutils document, with docutils' default settings built from
    scratch (an option parser of every component: about 1 ms), each time it renders Markdown,
    even when it is handed the document to render into (`options.get("document",
    make_document())` evaluates its default). The Chinese edition renders every translated
    message so: about 2,200 documents a build, seconds of it. Make the default settings once
    per parser class and give each document its own copy of them: the same document."""
    import copy
    import functools

    from docutils.frontend import get_default_settings
    from docutils.utils import new_document
    from myst_parser.mdit_to_docutils import base

    if getattr(base.make_document, "_parkecon", False):
        return
    defaults = functools.lru_cache(maxsize=None)(get_default_settings)
    original = base.make_document

    def make_document(source_path="notset", parser_cls=original.__defaults__[1]):
        return new_document(source_path, settings=copy.deepcopy(defaults(parser_cls)))

    make_document._parkecon = True
    make_document.__wrapped__ = original
    base.make_document = make_document


def fast_myst_parsers(keep: int = 8) -> None:
    """myst-parser builds a new Markdown parser (markdown-it with every MyST plugin: about
    1 ms) for each text it parses, and the Chinese edition parses each translated message
    as a text of its own: about 2,200 parsers a build. Keep the parser of each of the last
    `keep` configurations and use it again; a parser renders the text it is given from a
    state it sets up anew each time (setup_render). A parse that starts while that parser is
    still rendering (a text nested in a text) gets a parser of its own. Only the parser of
    myst-parser's Sphinx parser (plain Markdown pages and translated messages) is kept;
    myst-nb's notebook parser is left as it is."""
    from myst_parser.parsers import sphinx_ as myst_sphinx

    if getattr(myst_sphinx.create_md_parser, "_parkecon", False):
        return
    original = myst_sphinx.create_md_parser
    kept: dict = {}  # (id(config), renderer) -> (config, parser, busy); the config is held, so its id stays its own

    def create_md_parser(config, renderer):
        key = (id(config), renderer)
        entry = kept.get(key)
        if entry is None:
            parser, busy = original(config, renderer), [False]
            render = parser.render

            def guarded(src, env=None):
                busy[0] = True
                try:
                    return render(src, env)
                finally:
                    busy[0] = False

            parser.render = guarded
            entry = kept[key] = (config, parser, busy)
            while len(kept) > keep:
                kept.pop(next(iter(kept)))
        config, parser, busy = entry
        return original(config, renderer) if busy[0] else parser

    create_md_parser._parkecon = True
    create_md_parser.__wrapped__ = original
    create_md_parser.kept = kept
    myst_sphinx.create_md_parser = create_md_parser


def register_author_year_style() -> str:
    """A pybtex style like "plain" whose labels are author and year, as the citations in the
    text are ("[Zhang et al., 2021]"), instead of numbers [1]-[6]. Returns its name."""
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.plain import Style as Plain
    from pybtex.style.labels import BaseLabelStyle

    def author(entry) -> str:
        people = entry.persons.get("author", [])
        names = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in people]
        if not names:
            return entry.key
        return names[0] if len(names) == 1 else f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} et al."

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            for entry in sorted_entries:
                yield f"{author(entry)}, {entry.fields.get('year', 'n.d.')}"

    class AuthorYearStyle(Plain):
        default_label_style = AuthorYearLabels

    register_plugin("pybtex.style.labels", "author_year_labels", AuthorYearLabels, force=True)
    register_plugin("pybtex.style.formatting", "plain_author_year", AuthorYearStyle, force=True)
    register_chinese_reference_styles()
    return "plain_author_year"


# ------------------------------------------------------------------ references in the Chinese edition

_CJK = re.compile(r"[\u3400-\u9fff]")
MONTHS = {m: k for k, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                      "September", "October", "November", "December"], start=1)}


def chinese_only(text: str) -> str:
    """A Chinese name or title of references.bib without the English given beside it:
    '韶关市武江区 (Wujiang District, Shaoguan)' -> '韶关市武江区', '标题 [Title], 文号' -> '标题，文号'."""
    if not _CJK.search(text):
        return text
    out = re.sub(r"\s*\((?=[^()]*[A-Za-z])[^()]*\)", "", text)
    out = re.sub(r"\s*\[[^\]]*[A-Za-z][^\]]*\]", "", out)
    return re.sub(r"(?<=[\u3400-\u9fff〕）”]),\s*", "，", out)


def chinese_reference(entry):
    """The entry as the Chinese edition lists it: names and titles without their English, the date
    as 2022年7月, and for the English note only the source it is (来源 s000): the sources page gives
    each source's dates and caveats in Chinese just above its reference list."""
    from pybtex.database import Entry, Person

    fields = dict(entry.fields)
    for key in ("title", "howpublished"):
        if key in fields:
            fields[key] = chinese_only(fields[key])
    month = fields.pop("month", None)
    if month:
        fields["year"] = f"{fields['year']}年{MONTHS[month] if month in MONTHS else int(month)}月"
    elif "year" in fields:
        fields["year"] = f"{fields['year']}年"
    note = fields.pop("note", "")
    if note:
        m = re.search(r"Source (\w+)\.\s*$", note)
        if not m:  # no silent English in the Chinese edition
            raise ValueError(f"references.bib, {entry.key}: the note should end with 'Source <id>.' "
                             f"(the Chinese edition shows only that): {note!r}")
        fields["note"] = f"来源{m.group(1)}"
    persons = {role: [Person(chinese_only(str(p))) for p in people] for role, people in entry.persons.items()}
    return Entry(entry.type, fields=fields, persons=persons)


def register_chinese_reference_styles() -> None:
    """The Chinese edition's references (its configuration selects them, editions.zh_config):
    "plain_author_year_zh" lists them without English, with Chinese dates and separators, and
    labels them '张文文等，2021'; "author_year_zh" cites them the same way in the text."""
    from dataclasses import dataclass, field

    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.plain import Style as Plain
    from pybtex.style.labels import BaseLabelStyle
    from pybtex.style.names import BaseNameStyle, name_part
    from pybtex.style.template import join, names, sentence
    from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
    from sphinxcontrib.bibtex.style.referencing import PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def author(entry) -> str:
        people = [chinese_only(" ".join(p.last_names + p.first_names)).replace("{", "").replace("}", "")
                  for p in entry.persons.get("author", [])]
        if not people:
            return entry.key
        return people[0] if len(people) == 1 else f"{people[0]}、{people[1]}" if len(people) == 2 else f"{people[0]}等"

    class ChineseLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            for entry in sorted_entries:
                year = re.match(r"\d*", entry.fields.get("year", "")).group()  # 2022 of 2022年7月
                yield f"{author(entry)}，{year or '无日期'}"

    class ChineseStyle(Plain):
        default_label_style = ChineseLabels

        def format_entry(self, label, entry, bib_data=None):
            return super().format_entry(label, _keyed(chinese_reference(entry), entry.key), bib_data)

        def format_names(self, role, as_sentence=True):
            formatted = names(role, sep="、", sep2="、", last_sep="、")
            return sentence[formatted] if as_sentence else formatted

    class ChineseLastNames(BaseNameStyle):
        def format(self, person, abbr=True):
            return join[name_part[chinese_only(" ".join(person.last_names + person.first_names))
                                  .replace("{", "").replace("}", "")]]

    register_plugin("pybtex.style.labels", "author_year_labels_zh", ChineseLabels, force=True)
    register_plugin("pybtex.style.formatting", "plain_author_year_zh", ChineseStyle, force=True)
    register_plugin("pybtex.style.names", "last_zh", ChineseLastNames, force=True)

    @dataclass
    class ChineseAuthorYear(AuthorYearReferenceStyle):
        person: PersonStyle = field(default_factory=lambda: PersonStyle(
            style="last_zh", sep="、", sep2="、", last_sep="、", other="等"))
        author_year_sep: str = "，"

    register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_zh", ChineseAuthorYear, force=True)


def _keyed(entry, key):
    entry.key = key
    return entry


def _exercise_titles_transform():
    """Exercise titles as messages of the page catalogues (sphinx-exercise builds them without
    source information, so gettext would neither extract nor translate them): a title's text
    becomes its message, before Sphinx's own translation transform (priority 20) runs."""
    from docutils import nodes
    from sphinx.transforms import SphinxTransform

    class ExerciseTitlesAreMessages(SphinxTransform):
        default_priority = 10

        def apply(self, **kwargs):
            try:
                from sphinx_exercise.nodes import exercise_subtitle
            except ImportError:  # pragma: no cover
                return
            for node in self.document.findall(exercise_subtitle):
                holder = node.parent
                while holder is not None and not holder.line:
                    holder = holder.parent
                node.source = node.source or self.document["source"]
                node.line = node.line or (holder.line if holder is not None else 1)
                node.rawsource = node.astext()
                node["translatable"] = True
                for child in node.findall(nodes.Element):
                    child.source = child.source or node.source

    return ExerciseTitlesAreMessages


def _extract_exercise_titles(app, doctree, docname) -> None:
    """Give the message catalogues the exercise titles. sphinx-exercise rewrites a title after
    reading (its number and link), so the gettext builder, which extracts from the written
    doctree, never sees them: take them from the doctree as read."""
    if app.builder.name != "gettext":
        return
    from sphinx.builders.gettext import docname_to_domain
    from sphinx_exercise.nodes import exercise_subtitle

    catalog = app.builder.catalogs[docname_to_domain(docname, app.config.gettext_compact)]
    for node in app.env.get_doctree(docname).findall(exercise_subtitle):
        if node.get("translatable") and node.rawsource:
            node.uid = ""
            catalog.add(node.rawsource, node)


def setup(app):
    app.add_transform(_exercise_titles_transform())
    app.connect("doctree-resolved", _extract_exercise_titles)
    register_author_year_style()
    app.add_search_language(chinese_search_language())
    fast_myst_documents()
    fast_myst_parsers()
    app.connect("config-inited", _config_inited)
    app.add_js_file("search-snippets.js", priority=900)  # after searchtools.js
    app.connect("env-get-outdated", _reindex_all)
    app.connect("doctree-resolved", _separate_cells)
    app.connect("doctree-read", _figures_at_half_size, priority=600)  # after Sphinx's image collector (500)
    app.connect("html-page-context", _page_context, priority=950)
    app._parkecon_version = book_version(Path(app.srcdir))
    app._parkecon_date = build_date()
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
