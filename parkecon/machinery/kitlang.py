"""The workshop kit in Chinese: the chapters' MyST text translated with the page catalogues.

The Chinese edition's pages are translated by Sphinx, message by message, from
book/locale/zh_CN/LC_MESSAGES/<page>.po; a message is the MyST source of one paragraph,
heading, list item's paragraph or table cell, its lines joined by spaces (myst-parser keeps
that source as the node's rawsource, and Sphinx extracts it). `translate_markdown` does
the same on a notebook's Markdown cell: it parses the cell with myst-parser's own Markdown
parser, looks each block's text up in the page's catalogue and puts the Chinese in its
place, keeping the block's marker (`## `, `1. `, `- `, `> `) and the roles, which the kit
then fills in as for English (values from the Chinese execution). A block without a current
translation is an error that names page and text: no English paragraph in a Chinese kit.

Text the kit itself writes (the note on top of each notebook, the README, exercise and
solution headings) is in `TEXT`, with the English it replaces.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

#: Text the kit writes, per language (learner.py formats it).
TEXT = {
    "en": {
        "fig": "Fig. {n}", "exercise": "Exercise {n}", "figure": "Figure",
        "solution_to": "Solution to {ref}",
        "solution_in_book": "*The solution is in the book, under [{ref}]({url}).*",
        "your_code": "# Your code here\n",
        "exercise_head": "### {ref}: {title}",
        "with_solutions": "Each exercise is followed by its solution.",
        "without_solutions": ("Exercises are marked **Exercise** with the minutes they take; work in the code cell "
                              "under each one (add cells as you need). The solutions are in the book, under each exercise."),
        "note": ("> **About this notebook.** It is chapter {number} of the book, made into a notebook "
                 "([the chapter online]({page})). The numbers in **bold** in the text were computed when the "
                 "book was built, from the data as published: they are printed here as text and do **not** "
                 "change when you edit the data or the code and rerun. Tables, figures and printed results "
                 "of the code cells do. {where}"),
    },
    "zh": {
        "fig": "图 {n}", "exercise": "练习 {n}", "figure": "图",
        "solution_to": "{ref} 的解答",
        "solution_in_book": "*解答在书中 [{ref}]({url}) 的下方。*",
        "your_code": "# 在这里写代码\n",
        "exercise_head": "### {ref}：{title}",
        "with_solutions": "每道练习后面紧跟着它的解答。",
        "without_solutions": ("练习以 **练习** 标出，并注明所需的分钟数；请在每道练习下面的代码单元格里作答"
                              "（需要时可以添加单元格）。解答在书中，位于每道练习的下方。"),
        "note": ("> **关于本笔记本。** 它是本书第 {number} 章，做成了笔记本（[网上的本章]({page})）。"
                 "正文中的**粗体**数字是构建本书时根据公开的数据计算出来的：它们在这里是印好的文字，"
                 "修改数据或代码并重新运行后**不会**改变。表格、图和代码单元格打印出的结果则会随之改变。{where}"),
    },
}

EXERCISE_TITLE = re.compile(r"^(?P<title>.*?)\s*\((?P<minutes>\d+)\s*min(?P<ext>,\s*extension)?\)\s*$")


def text(lang: str, key: str, **fields) -> str:
    return TEXT[lang][key].format(**fields) if fields else TEXT[lang][key]


def normal(msg: str) -> str:
    """A block's text as Sphinx makes it a message: lines joined by spaces, ends stripped."""
    return msg.replace("\n", " ").strip()


@lru_cache(maxsize=64)
def _messages(po: str, stamp) -> dict[str, str]:
    from .catalogues import _read

    out = {}
    for m in _read(Path(po)):
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy:
            out[m.id] = m.string
    return out


def messages(locale_dirs: Path, docname: str) -> dict[str, str]:
    """{English: Chinese} of a page's catalogue, current translations only."""
    from .catalogues import catalogue_dir

    po = catalogue_dir(locale_dirs) / (docname + ".po")
    if not po.is_file():
        raise FileNotFoundError(f"no catalogue for {docname}: {po}")
    st = po.stat()
    return _messages(str(po), (st.st_mtime_ns, st.st_size))


class Untranslated(KeyError):
    pass


def lookup(msgs: dict[str, str], docname: str, english: str) -> str:
    key = normal(english)
    if key in msgs:
        return msgs[key]
    squeezed = " ".join(key.split())
    for k, v in msgs.items():
        if " ".join(k.split()) == squeezed:
            return v
    raise Untranslated(f"{docname}: no current Chinese for {key[:100]!r} "
                       "(translate it in the page's catalogue; `python -m parkecon i18n-status` lists them)")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "substitution", "deflist"}),
                            RendererHTML)


def translate_markdown(source: str, msgs: dict[str, str], docname: str) -> str:
    """A Markdown cell of `docname` in Chinese (see the module's docstring); fences are kept as they are."""
    lines = source.split("\n")
    tokens = _parser().parse(source)
    edits: dict[int, tuple[int, str]] = {}  # first line -> (end line, new text)
    row_start = None
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            row_start = tok.map[0] if tok.map else None
            continue
        if tok.type != "inline" or not tok.content.strip():
            continue
        opener = tokens[i - 1]
        if opener.type in ("th_open", "td_open"):
            if row_start is None:
                raise ValueError(f"{docname}: a table cell without its row's position")
            line = edits.get(row_start, (row_start + 1, lines[row_start]))[1]
            zh = lookup(msgs, docname, tok.content)
            cells = line.split("|")
            for j, c in enumerate(cells):
                if c.strip() == tok.content.strip():
                    cells[j] = c.replace(tok.content.strip(), zh.replace("|", "\\|"), 1)
                    break
            else:
                raise ValueError(f"{docname}: table cell {tok.content!r} not found in its row")
            edits[row_start] = (row_start + 1, "|".join(cells))
            continue
        if opener.type not in ("paragraph_open", "heading_open") or not opener.map:
            continue
        start, end = opener.map
        first = tok.content.split("\n", 1)[0]
        at = lines[start].find(first)
        if at < 0:
            raise ValueError(f"{docname}: cannot place the translation of {tok.content[:60]!r}")
        zh = lookup(msgs, docname, tok.content)
        edits[start] = (end, lines[start][:at] + zh)  # keeps the block's marker
    out, n = [], 0
    while n < len(lines):
        if n in edits:
            end, new = edits[n]
            out.append(new)
            n = max(end, n + 1)
        else:
            out.append(lines[n])
            n += 1
    return "\n".join(out)


def exercise_heading(msgs: dict[str, str], docname: str, ref: str, title: str, lang: str) -> str:
    """An exercise's heading, "### Exercise 1.2: Look at the data (10 min, extension)", in `lang`.

    sphinx-exercise does not make the title a message, so the Chinese title is taken from the
    page's catalogue where it has one, and is otherwise the minutes alone (no English in a
    Chinese kit): "### 练习 1.2（10 分钟，拓展）"."""
    if lang == "en":
        return text(lang, "exercise_head", ref=ref, title=title)
    m = EXERCISE_TITLE.match(title)
    if not m:
        return text(lang, "exercise_head", ref=ref, title=lookup(msgs, docname, title))
    minutes = f"（{m['minutes']} 分钟" + ("，拓展" if m["ext"] else "") + "）"
    for english in (title, m["title"]):
        try:
            return text(lang, "exercise_head", ref=ref, title=lookup(msgs, docname, english)
                        + ("" if english == title else minutes))
        except Untranslated:
            pass
    return f"### {ref}{minutes}"
