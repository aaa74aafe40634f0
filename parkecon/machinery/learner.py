"""The workshop kit: the chapters as notebooks that stock JupyterLab renders like the book.

`build(root, out, cache_dir)` writes `_build/learner/kit/` and a zip of it (deterministic:
same inputs, same bytes) that the workshop page links for download:

- `notebooks/<chapter>.ipynb`: the learner notebooks, exercises without their solutions;
- `full/<chapter>.ipynb`: the whole chapter with its solutions (also offered on each
  chapter page by the download button, see `kithook.py`);
- `data/`, `parkecon/`, `requirements.txt` (the kit's own, lighter pins), `pyproject.toml`,
  `check_setup.py`, `README.txt`, `MANIFEST.sha256`.

The notebooks are plain Markdown and code. MyST markup that JupyterLab cannot render is
replaced by what the book's page shows: each `{glue:text}` by the value the build computed
(read from the executed chapter in the execution cache, formatted as myst-nb formats it),
`{numref}` and `{doc}` by their text with a link to the published page, exercise and
solution fences by headed sections. The kit therefore needs the executed chapters: `build`
returns None, writing nothing, while the cache lacks one of them.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import html
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

from .toc import is_notebook
from .toc import pages as toc_pages

PACKAGE = Path(__file__).resolve().parent.parent  # the helper package the kit ships (parkecon/)

SOLUTION_RE = re.compile(r"^```\{solution-start\}.*?^```\{solution-end\}[^\n]*\n```[ \t]*\n?", re.S | re.M)
EXERCISE_RE = re.compile(r"^```\{exercise-start\}\s*(?P<title>.*?)\s*\((?P<minutes>\d+)\s*min(?P<ext>,\s*extension)?\)\s*\n:label:\s*(?P<label>\S+)", re.M)
EXERCISE_FENCE = re.compile(r"^```\{exercise-start\}[ \t]*(?P<title>[^\n]*)\n:label:[ \t]*(?P<label>\S+)[ \t]*\n(?::[^\n]*\n)*```[ \t]*$", re.M)
EXERCISE_END = re.compile(r"^```\{exercise-end\}[ \t]*\n```[ \t]*$", re.M)
SOLUTION_FENCE = re.compile(r"^```\{solution-start\}[ \t]*(?P<label>\S+)[ \t]*\n(?::[^\n]*\n)*```[ \t]*$", re.M)
SOLUTION_END = re.compile(r"^```\{solution-end\}[ \t]*\n```[ \t]*$", re.M)
GLUE_TEXT = re.compile(r"\{glue:text\}`([^`]+)`")
NUMREF = re.compile(r"\{numref\}`([^`]+)`")
DOC = re.compile(r"\{doc\}`([^`]+)`")
ANY_ROLE = re.compile(r"\{[a-z][a-z0-9:_-]*\}`")
ANY_FENCE = re.compile(r"^(```|:::)+\{[a-z]", re.M)
ZIP_NAME = "parkecon-workshop.zip"
KIT_FILES = ["pyproject.toml", "check_setup.py"]
KIT_PINS = "requirements-kit.txt"  # becomes the kit's requirements.txt
DEFAULT_BASEURL = "https://parkecon.github.io/northern-guangdong-parks/"
LANGUAGE_INFO = {"name": "python", "version": "3.11", "mimetype": "text/x-python", "file_extension": ".py",
                 "codemirror_mode": {"name": "ipython", "version": 3}, "pygments_lexer": "ipython3",
                 "nbconvert_exporter": "python"}


# ------------------------------------------------------------------ the book's structure

def strip_solutions(text: str) -> str:
    """The MyST text without any solution block (from solution-start to solution-end)."""
    return SOLUTION_RE.sub("", text)


def exercises(text: str) -> list[dict]:
    """Every exercise in a MyST text: label, title, stated minutes, and whether it is an extension
    (marked "(N min, extension)": offered to fast finishers, not scheduled in the workshop day)."""
    return [{"label": m["label"], "title": m["title"], "minutes": int(m["minutes"]), "extension": bool(m["ext"])}
            for m in EXERCISE_RE.finditer(text)]


def chapters(root: Path) -> list[Path]:
    """The analysis chapters: the notebooks of the toc's numbered parts, in order."""
    from .toc import chapters as toc_chapters

    return toc_chapters(root)


def site_url(root: Path) -> str:
    """The published book's address: `html.baseurl` in _config.yml, ending in '/'."""
    import yaml

    cfg = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    url = ((cfg.get("html") or {}).get("baseurl") or DEFAULT_BASEURL).strip()
    return url if url.endswith("/") else url + "/"


def page_title(path: Path) -> str:
    """The first level-one heading of a page (what `{doc}` shows)."""
    m = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.M)
    return m.group(1).strip() if m else path.stem


# ------------------------------------------------------------------ values from the build

@functools.lru_cache(maxsize=64)
def parse_myst(text: str):
    """A MyST text as jupytext reads it (`jupytext.reads(text, fmt="md:myst")`), parsed once per
    text in a process (the kit reads each chapter for its labels and for its notebook); do
    not change the notebook it returns. jupytext validates each cell it makes, which took
    longer than the parsing: the cells are made without it, and the notebook is validated
    once, whole."""
    import jupytext
    import nbformat
    from nbformat.v4 import nbbase

    check = nbbase.validate
    nbbase.validate = lambda *args, **kwargs: None
    try:
        nb = jupytext.reads(text, fmt="md:myst")
    finally:
        nbbase.validate = check
    nbformat.validate(nb)
    return nb


def _read_myst(path: Path):
    """A MyST notebook read exactly as myst-nb reads it (so that the cache matches it)."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), config=MdParserConfig(),
                                       add_source_map=True, path=str(path))


def executed(path: Path, cache_dir: Path):
    """The executed chapter from the execution cache, or None if the cache lacks this version."""
    from jupyter_cache import get_cache

    if not (cache_dir / "global.db").is_file():
        return None
    try:
        _, nb = get_cache(str(cache_dir)).merge_match_into_notebook(_read_myst(path))
    except KeyError:
        return None
    return nb


def glue_values(nb) -> dict[str, dict]:
    """{key: mime bundle} of every value a notebook glued (read with myst-nb's own function)."""
    from myst_nb.ext.glue import extract_glue_data_cell

    out = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            for key, output in extract_glue_data_cell(copy.deepcopy(cell)):
                out[key] = dict(output["data"])
    return out


def glue_text(values: dict[str, dict], spec: str, lang: str = "en") -> str:
    """`{glue:text}` as myst-nb renders it: `key:format`, format 's' when none is given."""
    from myst_nb.core.variables import format_plain_text

    key, fmt = spec.rsplit(":", 1) if ":" in spec else (spec, "s")
    if "::" in key:
        raise ValueError(f"glue from another document is not supported in the kit: {spec}")
    if key not in values or "text/plain" not in values[key]:
        raise KeyError(f"no glued text/plain value {key!r}")
    from docutils.utils.smartquotes import smartyPants

    # the page runs Sphinx's smart quotes over pasted text (smartquotes_action 'qDe'): do the same
    return smartyPants(format_plain_text(values[key]["text/plain"], fmt), "qDe", "zh-cn" if lang == "zh" else "en")


# ------------------------------------------------------------------ MyST -> plain notebook

def _role_target(text: str) -> tuple[str | None, str]:
    """`title <target>` -> (title, target); `target` -> (None, target)."""
    m = re.match(r"^(.*?)\s*<([^<>]+)>$", text.strip())
    return (m.group(1), m.group(2)) if m else (None, text.strip())


class Chapter:
    """One chapter turned into a notebook; `labels` maps figure and exercise labels of the
    whole book to (displayed text, page docname) so that references across chapters work."""

    def __init__(self, root: Path, docname: str, number: int, values: dict, labels: dict, base: str,
                 lang: str = "en", locale: Path | None = None):
        self.root, self.docname, self.number = root, docname, number
        self.values, self.labels, self.base = values, labels, base
        self.lang, self.locale = lang, locale  # Chinese: the page catalogues in `locale`

    def url(self, docname: str, anchor: str = "") -> str:
        edition = "zh/" if self.lang == "zh" else ""
        return f"{self.base}{edition}{docname}.html" + (f"#{anchor}" if anchor else "")

    def messages(self, docname: str | None = None) -> dict[str, str]:
        """{English: Chinese} of a page's catalogue (empty for the English kit)."""
        if self.lang == "en":
            return {}
        from .kitlang import messages

        return messages(self.locale, docname or self.docname)

    def translate(self, source: str) -> str:
        """A Markdown cell in the kit's language (the page's catalogue for Chinese)."""
        if self.lang == "en":
            return source
        from .kitlang import translate_markdown

        return translate_markdown(source, self.messages(), self.docname)

    def title_of(self, docname: str) -> str:
        title = page_title(self.root / (docname + ".md"))
        if self.lang == "en":
            return title
        from .kitlang import lookup

        return lookup(self.messages(docname), docname, title)

    def markdown(self, text: str) -> str:
        """Markdown of a cell with every role the kit supports replaced; fails on any other."""
        text = GLUE_TEXT.sub(lambda m: f"<strong>{html.escape(glue_text(self.values, m.group(1), self.lang), quote=False)}</strong>", text)

        def numref(m):
            title, label = _role_target(m.group(1))
            if label not in self.labels:
                raise KeyError(f"{self.docname}: unknown numref target {label!r}")
            shown, doc = self.labels[label]
            if title:
                shown = title.replace("%s", shown.split(" ", 1)[1]).replace("{number}", shown.split(" ", 1)[1])
            return f"[{shown}]({self.url(doc, label)})"

        def doc(m):
            title, target = _role_target(m.group(1))
            path = (self.root / self.docname).parent / target
            docname = path.resolve().relative_to(self.root.resolve()).as_posix()
            return f"[{title or self.title_of(docname)}]({self.url(docname)})"

        text = NUMREF.sub(numref, text)
        text = DOC.sub(doc, text)
        # JupyterLab's Markdown starts an ordered list at "2025. " even inside a paragraph
        # (CommonMark, and so the book, does not): escape the full stop after a year there
        text = re.sub(r"(?<=[^\n]\n)([ \t]*\d{4})\.(?=[ \t])", r"\1\\.", text)
        left = ANY_ROLE.findall(text) + ANY_FENCE.findall(text)
        if left:
            raise ValueError(f"{self.docname}: MyST markup the kit cannot render: {left[:3]}")
        return text


def label_index(root: Path, lang: str = "en") -> dict[str, tuple[str, str]]:
    """{label: (text the book shows, docname)} for every named figure and exercise.

    Sphinx numbers both per chapter: 'Fig. 1.2' is the second figure of chapter 1,
    'Exercise 1.2' its second exercise (a test compares them with the built pages)."""
    from .kitlang import text as kit_text

    out = {}
    for docname, number in toc_pages(root):
        path = root / (docname + ".md")
        if number is None or not is_notebook(path):
            continue
        text = path.read_text(encoding="utf-8")
        nb = parse_myst(text)
        figs = [c.metadata["mystnb"]["figure"] for c in nb.cells
                if c.cell_type == "code" and "caption" in c.metadata.get("mystnb", {}).get("figure", {})]
        for i, fig in enumerate(figs, 1):
            if fig.get("name"):
                out[fig["name"]] = (kit_text(lang, "fig", n=f"{number}.{i}"), docname)
        for i, ex in enumerate(exercises(text), 1):
            out[ex["label"]] = (kit_text(lang, "exercise", n=f"{number}.{i}"), docname)
    return out


def note_cell(chapter: Chapter, with_solutions: bool) -> str:
    from .kitlang import text

    where = text(chapter.lang, "with_solutions" if with_solutions else "without_solutions")
    return text(chapter.lang, "note", number=chapter.number, page=chapter.url(chapter.docname), where=where)


def to_notebook(chapter: Chapter, text: str, with_solutions: bool):
    """The chapter's MyST text as a plain notebook (see the module's docstring)."""
    import nbformat

    from .kitlang import exercise_heading
    from .kitlang import text as kit_text

    lang = chapter.lang
    if not with_solutions:
        text = strip_solutions(text)
    numbers = {label: shown for label, (shown, _) in chapter.labels.items()}
    nb = parse_myst(text)
    cells = []
    in_exercise, last_label = False, None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = chapter.translate(cell.source)
            starts = [m["label"] for m in EXERCISE_FENCE.finditer(source)]
            src = EXERCISE_FENCE.sub(lambda m: "\n\n---\n\n" + exercise_heading(
                chapter.messages(), chapter.docname, numbers[m["label"]], m["title"], lang), source)
            src = SOLUTION_FENCE.sub(lambda m: "#### " + kit_text(lang, "solution_to", ref=numbers[m["label"]]), src)
            src = SOLUTION_END.sub("", src)
            # an exercise ends: give it a code cell to work in if it has none, point to its solution
            parts = EXERCISE_END.split(src)
            for i, part in enumerate(parts):
                if i > 0:
                    if in_exercise == "open":
                        cells.append(_cell("code", kit_text(lang, "your_code")))
                    in_exercise = False
                    if not with_solutions:
                        label = last_label
                        part = kit_text(lang, "solution_in_book", ref=numbers[label],
                                        url=chapter.url(chapter.docname, label)) + "\n\n" + part
                if "\n### " + kit_text(lang, "exercise", n="") in part:
                    in_exercise = "open"
                    last_label = starts.pop(0)
                part = re.sub(r"\n{3,}", "\n\n", chapter.markdown(part)).strip()
                if part:
                    cells.append(_cell("markdown", part))
            continue
        meta = cell.metadata
        tags = meta.get("tags", [])
        new = _cell("code", cell.source)
        if tags:
            new.metadata["tags"] = list(tags)
        if {"remove-cell", "remove-input", "hide-input"} & set(tags):
            new.metadata["jupyter"] = {"source_hidden": True}
        if "hide-output" in tags:
            new.metadata.setdefault("jupyter", {})["outputs_hidden"] = True
        cells.append(new)
        if in_exercise == "open":
            in_exercise = "has code"
        fig = meta.get("mystnb", {}).get("figure", {})
        if fig.get("caption"):
            shown = numbers.get(fig.get("name"), kit_text(lang, "figure"))
            caption = fig["caption"].strip()
            if lang != "en":
                from .kitlang import lookup

                caption = lookup(chapter.messages(), chapter.docname, caption)
            cells.append(_cell("markdown", f"**{shown}{'.' if lang == 'en' else '　'}** "
                                                       + chapter.markdown(caption)))
    title = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("# "))
    cells.insert(title + 1, _cell("markdown", note_cell(chapter, with_solutions)))
    for i, c in enumerate(cells):
        c["id"] = f"cell-{i:03d}"  # fixed ids: the kit is byte-identical from build to build
    out = nbformat.v4.new_notebook(cells=cells)
    out.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    out.metadata["language_info"] = dict(LANGUAGE_INFO)
    nbformat.validate(out)  # once, whole (validating each cell as it is made took seconds a kit)
    return out


def _cell(kind: str, source: str):
    """A notebook cell as nbformat.v4.new_*_cell makes it, without validating it alone
    (to_notebook validates the whole notebook)."""
    from nbformat import NotebookNode

    cell = NotebookNode(cell_type=kind, metadata=NotebookNode(), source=source)
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


# ------------------------------------------------------------------ the kit

README = """Workshop kit: Parks, clusters and transfer in northern Guangdong
================================================================

notebooks/   the book's chapters as notebooks; exercises without their solutions
full/        the same chapters with every solution (for after the workshop)
data/        the curated data (CSV + datapackage.json)
parkecon/    the book's helper package

Set up once, in this folder (Python 3.11; about a minute):

  Windows (Command Prompt or PowerShell):
    py -3.11 -m venv .venv
    .venv\\Scripts\\python -m pip install --no-deps -r requirements.txt
    .venv\\Scripts\\python check_setup.py
    .venv\\Scripts\\jupyter lab notebooks

  macOS and Linux (Terminal):
    python3.11 -m venv .venv
    .venv/bin/python -m pip install --no-deps -r requirements.txt
    .venv/bin/python check_setup.py
    .venv/bin/jupyter lab notebooks

check_setup.py prints PASS or FAIL for each check; a FAIL line says what to run to fix it.
JupyterLab opens in your browser. Open a chapter and choose Run > Run All Cells.

The numbers in bold in the text were computed when the book was built. They stay as they
are when you change the data; the code cells, tables and figures follow your changes.
The book: {base}
"""

README_ZH = """工作坊资料包：粤北的园区、产业集群与产业转移
==============================================

notebooks/   本书各章做成的笔记本；练习不含解答
full/        同样的各章，含全部解答（工作坊结束后使用）
data/        整理后的数据（CSV 文件和 datapackage.json）
parkecon/    本书的辅助包

在本文件夹中安装一次（需要 Python 3.11，约一分钟）：

  Windows（命令提示符或 PowerShell）：
    py -3.11 -m venv .venv
    .venv\\Scripts\\python -m pip install --no-deps -r requirements.txt
    .venv\\Scripts\\python check_setup.py
    .venv\\Scripts\\jupyter lab notebooks

  macOS 和 Linux（终端）：
    python3.11 -m venv .venv
    .venv/bin/python -m pip install --no-deps -r requirements.txt
    .venv/bin/python check_setup.py
    .venv/bin/jupyter lab notebooks

check_setup.py 对每项检查打印“通过”或“未通过”；未通过的一行会写明修复要运行的命令。
JupyterLab 会在浏览器中打开。打开一章，选择 Run > Run All Cells（运行全部单元格）。

正文中的粗体数字是构建本书时计算出来的，修改数据后它们保持不变；
代码单元格、表格和图会随你的修改而变化。图中的文字为中文（本资料包的 kit-language.txt 写的是 zh）。
本书中文版：{base}zh/
"""

#: per language: the zip's name, its top folder, the README. The Chinese kit also carries
#: LANGUAGE_FILE, which parkecon (figure labels) and check_setup.py (messages) read.
KITS = {"en": (ZIP_NAME, "parkecon-workshop", README),
        "zh": ("parkecon-workshop-zh.zip", "parkecon-workshop-zh", README_ZH)}
LANGUAGE_FILE = "kit-language.txt"


def _inputs_digest(root: Path, cache_dir: Path, lang: str = "en", locale: Path | None = None) -> str:
    """A digest of everything the kit is made from: chapters, pages they link to, data, package,
    set-up files, and the execution cache's records (the executed chapters give the numbers)."""
    paths = [root / "_toc.yml", root / "_config.yml"] + chapters(root) + sorted((root / "data").rglob("*"))
    paths += sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.csv")) + [root / n for n in KIT_FILES + [KIT_PINS]]
    paths += sorted((root / "book").glob("*.md"))
    if lang != "en":  # the Chinese text: the page catalogues
        paths += sorted(Path(locale).rglob("*.po"))
    h = hashlib.sha256()
    h.update(lang.encode())
    for p in paths:
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    if (cache_dir / "global.db").is_file():
        from jupyter_cache import get_cache

        for rec in sorted(get_cache(str(cache_dir)).list_cache_records(), key=lambda r: r.pk):
            h.update(f"{rec.pk} {rec.hashkey} {rec.uri} {rec.created}".encode())
    return h.hexdigest()


def notebooks(root: Path, cache_dir: Path, lang: str = "en", locale: Path | None = None) -> dict[str, tuple] | None:
    """{chapter stem: (learner notebook, full notebook)}, or None if a chapter is not executed yet.

    For Chinese (`lang` "zh") the cache is the Chinese edition's (values pasted for Chinese
    text, such as the 亿 twins) and the text comes from the page catalogues in `locale`."""
    base = site_url(root)
    labels = label_index(root, lang)
    numbers = dict(toc_pages(root))
    out = {}
    for md in chapters(root):
        nb = executed(md, cache_dir)
        if nb is None:
            return None
        docname = md.relative_to(root).with_suffix("").as_posix()
        ch = Chapter(root, docname, numbers[docname], glue_values(nb), labels, base, lang, locale)
        text = md.read_text(encoding="utf-8")
        out[md.stem] = (to_notebook(ch, text, with_solutions=False), to_notebook(ch, text, with_solutions=True))
    return out


def build(root: Path, out: Path | None = None, cache_dir: Path | None = None, lang: str = "en",
          locale: Path | None = None) -> Path | None:
    """Write the learner kit and its zip from the executed chapters; return the zip's path.

    `cache_dir` is the execution cache (default `_build/.jupyter_cache`). Returns None and
    writes nothing while the cache lacks the current version of a chapter: call it after
    the notebooks are executed. Skipped when nothing the kit is made from has changed.

    `lang` "zh" writes the Chinese kit (default out `_build/learner/zh/`, zip
    `parkecon-workshop-zh.zip`) from the Chinese edition's execution cache (default
    `_build/zh/.jupyter_cache`) and the page catalogues in `locale` (default book/locale/)."""
    import nbformat

    zip_name, top, readme = KITS[lang]
    if lang == "en":
        out = out or root / "_build" / "learner"
        cache_dir = cache_dir or root / "_build" / ".jupyter_cache"
    else:
        out = out or root / "_build" / "learner" / lang
        cache_dir = cache_dir or root / "_build" / lang / ".jupyter_cache"
        if locale is None:
            from .editions import locale_dirs

            locale = locale_dirs(root)
    kit = out / "kit"
    digest = _inputs_digest(root, cache_dir, lang, locale)
    stamp = out / "inputs.sha256"
    if (out / zip_name).is_file() and kit.is_dir() and stamp.is_file() and stamp.read_text() == digest:
        return out / zip_name
    nbs = notebooks(root, cache_dir, lang, locale)
    if nbs is None:
        return None
    if kit.exists():
        shutil.rmtree(kit)
    (kit / "notebooks").mkdir(parents=True)
    (kit / "full").mkdir()
    for stem, (learner_nb, full_nb) in nbs.items():
        nbformat.write(learner_nb, kit / "notebooks" / (stem + ".ipynb"))
        nbformat.write(full_nb, kit / "full" / (stem + ".ipynb"))
    shutil.copytree(root / "data", kit / "data", ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(PACKAGE, kit / "parkecon", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    from .kitdocs import docs  # the glossary, cheat sheet, organiser's page and data model, to read offline

    for rel, text in docs(root, lang, locale).items():
        (kit / rel).parent.mkdir(parents=True, exist_ok=True)
        (kit / rel).write_text(text, encoding="utf-8")
    for name in KIT_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, kit / name)
    # the kit's own pins; a bare copy of the book without them (as some tests make) ships the book's
    shutil.copy2(root / KIT_PINS if (root / KIT_PINS).is_file() else root / "requirements.txt", kit / "requirements.txt")
    (kit / "README.txt").write_text(readme.format(base=site_url(root)), encoding="utf-8")
    if lang != "en":
        (kit / LANGUAGE_FILE).write_text(lang + "\n", encoding="utf-8")
    files = sorted(p for p in kit.rglob("*") if p.is_file())
    manifest = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(kit).as_posix()}\n"
                       for p in files if p.parts[len(kit.parts)] == "data")
    (kit / "MANIFEST.sha256").write_text(manifest, encoding="utf-8")
    files = sorted(p for p in kit.rglob("*") if p.is_file())
    zpath = out / zip_name
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for p in files:
            info = zipfile.ZipInfo(f"{top}/" + p.relative_to(kit).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, p.read_bytes())
    # Rewrite only when the content changed: the workshop page links the zip, and a new
    # file time would make Sphinx rebuild that page on every build.
    if not zpath.is_file() or zpath.read_bytes() != buf.getvalue():
        zpath.write_bytes(buf.getvalue())
    stamp.write_text(digest)
    return zpath
