"""The Chinese edition's text from code: one catalogue (parkecon/zh.csv) that matches the code
exactly, Chinese qualifiers and dates, and a chapter executed in both editions whose figures
speak Chinese and whose pasted numbers are the same values."""
from __future__ import annotations

import ast
import base64
import csv
import math
import os
import re
from functools import lru_cache

import pytest

from conftest import ROOT

CATALOGUE = ROOT / "parkecon" / "zh.csv"
#: Functions whose first argument is a catalogue text: tr translates it, N_ marks it for later.
MARKERS = {"tr", "N_"}
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.M | re.S)


def code_sources() -> dict[str, str]:
    """{where: Python source} of the package and of every code cell of the chapters."""
    out = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
           for p in sorted((ROOT / "parkecon").rglob("*.py"))}
    for md in sorted((ROOT / "notebooks").glob("*.md")) + sorted((ROOT / "book").glob("*.md")):
        text = md.read_text(encoding="utf-8")
        for k, m in enumerate(CELL.finditer(text)):
            body = m.group(1)
            if body.startswith("---\n"):
                body = body.split("\n---\n", 1)[1]
            lines = [ln for ln in body.splitlines() if not ln.startswith(":")]
            lines = ["pass  # magic" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines]
            out[f"{md.relative_to(ROOT)} cell {k + 1} (line {text[:m.start()].count(chr(10)) + 1})"] = "\n".join(lines)
    return out


def catalogue_texts() -> tuple[dict[str, list[str]], list[str]]:
    """({literal: [where used]}, [problems]) for every call tr(...) / N_(...) in the code."""
    used: dict[str, list[str]] = {}
    problems = []
    for where, src in code_sources().items():
        tree = ast.parse(src)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            fn = node.func
            fname = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", None)
            if fname not in MARKERS:
                continue
            arg = node.args[0]
            # a literal, or a choice between two literals: tr("a" if x else "b")
            branches = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            if all(isinstance(b, ast.Constant) and isinstance(b.value, str) for b in branches):
                for b in branches:
                    used.setdefault(b.value, []).append(f"{where}, line {node.lineno}")
            elif fname == "N_":
                problems.append(f"{where}, line {node.lineno}: N_ needs a string literal")
            elif isinstance(arg, ast.JoinedStr):
                problems.append(f"{where}, line {node.lineno}: tr of an f-string; put the fields in placeholders")
    return used, problems


def catalogue_rows() -> dict[str, str]:
    with open(CATALOGUE, encoding="utf-8", newline="") as fh:
        return {r["en"]: r["zh"] for r in csv.DictReader(fh)}


def test_every_text_passed_to_tr_has_a_catalogue_row_and_every_row_is_used():
    used, problems = catalogue_texts()
    rows = catalogue_rows()
    assert used, "the scan found no call of pe.tr: is the scanner broken?"
    missing = {t: w for t, w in used.items() if t not in rows}
    unused = [t for t in rows if t not in used]
    msg = [*problems]
    msg += [f"no Chinese for {t!r} (used at {w[0]}): add a row to parkecon/zh.csv" for t, w in missing.items()]
    msg += [f"parkecon/zh.csv: {t!r} is used nowhere (changed or removed English?)" for t in unused]
    assert not msg, "\n".join(msg)


def test_catalogue_rows_keep_their_placeholders():
    """A Chinese text must fill the same fields as its English, or formatting fails at run time."""
    field = re.compile(r"\{(\w*)[^{}]*\}")
    bad = [en for en, zh in catalogue_rows().items()
           if sorted(field.findall(en)) != sorted(field.findall(zh))]
    assert not bad, f"placeholders differ between English and Chinese in: {bad}"


def test_a_missing_catalogue_row_fails_in_the_chinese_edition_and_names_the_text(monkeypatch):
    import parkecon as pe

    monkeypatch.setenv("PARKECON_LANG", "zh")
    with pytest.raises(KeyError, match="no Chinese for 'An English label nobody translated'"):
        pe.tr("An English label nobody translated")
    monkeypatch.setenv("PARKECON_LANG", "en")
    assert pe.tr("An English label nobody translated") == "An English label nobody translated"


def test_words_and_dates_in_chinese(monkeypatch):
    from parkecon import calc
    from parkecon.provenance import date_label

    monkeypatch.setenv("PARKECON_LANG", "zh")
    assert calc.words(12.7, "more_than", "{:.0f}") == "超过12"  # a lower bound is rounded down
    assert calc.words(14.7, "about", "{:.1f}") == "约14.7"
    assert calc.words(112.7, "at_most", "{:.0f}") == "不超过113"
    assert calc.words(9.6, "nearly", "{:.1f}") == "接近9.6"
    assert date_label("2022-07-21", "day") == "2022年7月21日"
    assert date_label("2022-07-01", "month") == "2022年7月"
    assert date_label("2022-10-01", "not_before") == "2022年10月或之后"
    monkeypatch.setenv("PARKECON_LANG", "en")
    assert calc.words(12.7, "more_than", "{:.0f}") == "more than 12"
    assert date_label("2022-07-21", "day") == "21 July 2022"


def test_money_names_and_lists_follow_the_edition(monkeypatch):
    import parkecon as pe

    monkeypatch.setenv("PARKECON_LANG", "zh")
    assert pe.money(21.789e9, 2) == "217.9亿元"  # the same precision: one decimal fewer in 亿
    assert pe.money_scale(21.789e9) == pytest.approx(217.89)
    assert pe.name("industrial_va_above") == "规模以上工业增加值"
    assert pe.join(["韶关", "清远", "东莞"]) == "韶关、清远、东莞"
    monkeypatch.setenv("PARKECON_LANG", "en")
    assert pe.money(21.789e9, 2) == "21.79 billion yuan"
    assert pe.name("industrial_va_above") == "Above-designated-size industrial value added"
    assert pe.join(["a", "b", "c"]) == "a, b and c"


def test_name_columns_and_provenance_words_follow_the_edition(monkeypatch):
    """Tables that show names show the Chinese ones (and the English beside them only in the
    English edition); qualifiers and statuses after a figure are Chinese words in Chinese."""
    import parkecon as pe
    from parkecon.provenance import qualifier_note, status_note

    monkeypatch.setenv("PARKECON_LANG", "zh")
    assert pe.name_columns() == ["name_zh"] and pe.name_columns("entity") == ["entity_zh"]
    assert qualifier_note("about") == "（约）" and qualifier_note("more_than") == "（超过）"
    assert qualifier_note("exactly") == "" and status_note("target") == "（目标）" and status_note("actual") == ""
    assert set(pe.facts()["source_zh"]) >= {"清城区承接产业有序转移促进区域协调发展实施方案"}
    monkeypatch.setenv("PARKECON_LANG", "en")
    assert pe.name_columns() == ["name_zh", "name_en"]
    assert qualifier_note("about") == " (about)" and status_note("target") == " (target)"
    # the Sphinx extensions pass their edition explicitly
    assert qualifier_note("at_least", zh=True) == "（至少）"


def test_every_chinese_text_of_the_catalogue_renders_with_the_bundled_font(monkeypatch):
    """Each Chinese catalogue text drawn in a figure: no glyph falls back to an empty box (style.apply
    turns matplotlib's missing-glyph warning into an error, in both editions)."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from parkecon import style

    monkeypatch.setenv("PARKECON_LANG", "zh")
    style.apply()
    texts = sorted(set(catalogue_rows().values()))
    fig = plt.figure(figsize=(4, 4))
    for k, text in enumerate(texts):
        fig.text(0.01, (k % 50) / 50, text.replace("{", "(").replace("}", ")"), fontsize=6)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from")
        fig.canvas.draw()
    plt.close(fig)


def test_a_missing_glyph_fails_the_figure_check(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from parkecon import style

    monkeypatch.setenv("PARKECON_LANG", "zh")
    style.apply()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_title("韶关" + "\U0001D11E")  # a musical symbol neither DejaVu Sans nor Noto Sans CJK draws
    with pytest.raises(UserWarning, match="[Gg]lyph"):
        style.check_figure(fig)
    plt.close(fig)


# ------------------------------------------------------------------ the data's English

DATA_CATALOGUE = ROOT / "parkecon" / "zh-data.csv"


def test_every_row_of_the_data_catalogue_is_a_current_data_text_and_every_data_text_has_one():
    from parkecon.i18n import DATA_TEXTS, data_texts, missing_data_texts

    with open(DATA_CATALOGUE, encoding="utf-8", newline="") as fh:
        rows = {r["en"]: r["zh"] for r in csv.DictReader(fh)}
    texts = {t.text for t in data_texts(ROOT / "data")}
    assert len(texts) > 100 and set(DATA_TEXTS) >= {"events.csv", "sources.csv", "datapackage.json"}
    unused = [t for t in rows if t not in texts]
    assert not unused, "parkecon/zh-data.csv rows that no data text of DATA_TEXTS has (English changed or removed?):\n" \
        + "\n".join(map(repr, unused))
    missing = missing_data_texts(ROOT / "data")
    assert not missing, "\n".join(map(str, missing))
    assert all(re.search("[\u4e00-\u9fff]", zh) for zh in rows.values()), "a row whose Chinese has no Chinese"


def test_data_texts_follow_the_edition(monkeypatch):
    import parkecon as pe

    title = "Shaoguan starts building its first industrial transfer park"  # data/events.csv, e000-001
    monkeypatch.setenv("PARKECON_LANG", "en")
    assert pe.tr_data(title) == title
    monkeypatch.setenv("PARKECON_LANG", "zh")
    assert pe.tr_data(title) == "韶关市开始建设第一个产业转移园"
    with pytest.raises(KeyError, match="no Chinese for the data text 'A title nobody translated'.*parkecon/zh-data.csv"):
        pe.tr_data("A title nobody translated")


def test_the_chinese_build_gate_fails_on_an_edited_event_title_and_names_file_line_and_column(tmp_path):
    """On a copy of the data (data/ itself is never written): one event title changed in English
    without its Chinese is the one problem the gate reports, with its place in the file."""
    import shutil

    from parkecon.machinery import editions

    shutil.copytree(ROOT / "data", tmp_path / "data")
    assert editions.data_gate(tmp_path) == []  # the copy as it is: complete
    path = tmp_path / "data" / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    k = next(i for i, line in enumerate(lines) if line.startswith("e000-014,"))
    old = "Huanan Equipment Park over-fulfils its annual investment-attraction task"
    assert old in lines[k]
    lines[k] = lines[k].replace(old, "Huanan Equipment Park exceeds its annual investment-attraction target")
    path.write_text("".join(lines), encoding="utf-8")
    found = editions.data_gate(tmp_path)
    assert [(t.file, t.line, t.column) for t in found] == [("events.csv", k + 1, "title_en")]
    report = editions.data_report(found)
    assert f"data/events.csv, line {k + 1}, column title_en: 'Huanan Equipment Park exceeds" in report
    assert "parkecon/zh-data.csv" in report
    assert editions.data_gate(ROOT) == []  # the book's own data untouched and complete


def test_the_gate_reads_descriptions_of_the_data_package_with_their_line(tmp_path):
    import json
    import shutil

    from parkecon.machinery import editions

    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data" / "datapackage.json"
    pkg = json.loads(path.read_text(encoding="utf-8"))
    pkg["resources"][0]["schema"]["fields"][1]["description"] = "name of the file"
    path.write_text(json.dumps(pkg, ensure_ascii=False, indent=1), encoding="utf-8")
    found = editions.data_gate(tmp_path)
    assert [(t.text, t.column) for t in found] == [("name of the file", "resources/schema/fields/description")]
    assert path.read_text(encoding="utf-8").splitlines()[found[0].line - 1].strip().startswith('"description": "name of the file"')


# ------------------------------------------------------------------ one chapter in both editions

CHAPTER = "park-economy"
#: Latin words a Chinese figure may show: source and fact ids, units, names and abbreviations.
LATIN_ALLOWED = re.compile(r"^(s00\d|x00\d|f\d{3}-\d{3}|m²|km|kWh|GDP|CPPCC|yuan|pp|\d+|[A-Z]{1,3})$")
RECORD = '''
import json as _json, matplotlib.pyplot as _plt
from matplotlib.text import Text as _Text
_shown = _plt.show
def _record(*a, **k):
    with open({path!r}, "a", encoding="utf-8") as _fh:
        for _n in _plt.get_fignums():
            _f = _plt.figure(_n)
            _fh.write(_json.dumps([t.get_text() for t in _f.findobj(_Text) if t.get_visible() and t.get_text().strip()]) + "\\n")
    return _shown(*a, **k)
_plt.show = _record
'''


@lru_cache(maxsize=None)
def execute(stem: str, lang: str, tmp: str) -> dict:
    """Execute a chapter in a fresh kernel for edition `lang`: its figure texts, PNGs and pasted values."""
    import json

    import jupytext
    import nbformat
    from nbclient import NotebookClient

    nb = jupytext.read(ROOT / "notebooks" / f"{stem}.md")
    log = os.path.join(tmp, f"{stem}-{lang}.jsonl")
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "pe.setup()" in c.source)
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(RECORD.format(path=log)))
    # the kernel's own environment (not this process's): chapters of both editions run side by side
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute(
        env={**os.environ, "PARKECON_LANG": lang})
    pngs, pasted = [], {}
    for c in nb.cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if "image/png" in data:
                pngs.append(base64.b64decode(data["image/png"]))
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                raw = next(v for k, v in data.items() if k.endswith("text/plain"))
                pasted[name] = ast.literal_eval(raw) if not raw.startswith(("<", "Timestamp")) else raw
    with open(log, encoding="utf-8") as fh:
        texts = [json.loads(line) for line in fh]
    return {"texts": texts, "pngs": pngs, "pasted": pasted}


CHAPTERS = ["park-economy", "transfer", "green", "data-with-pandas", "clusters", "plans-audit"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, request):
    """Execute a chapter once per edition for the whole module: runs(stem, lang). The executions
    the selected tests need start at once, as many side by side as the machine has cores (each
    in its own kernel process; the tests wait for theirs)."""
    from concurrent.futures import ThreadPoolExecutor

    tmp = str(tmp_path_factory.mktemp("editions"))
    wanted = []
    for item in request.session.items:
        if item.module is not request.module:
            continue
        if "both" in item.fixturenames:
            wanted += [(CHAPTER, "en"), (CHAPTER, "zh")]
        elif "runs" in item.fixturenames and "stem" in getattr(getattr(item, "callspec", None), "params", {}):
            wanted.append((item.callspec.params["stem"], "zh"))
    wanted = list(dict.fromkeys(wanted))
    pool = ThreadPoolExecutor(max_workers=max(1, min(len(wanted), os.cpu_count() or 1)))
    futures = {job: pool.submit(execute, *job, tmp) for job in wanted}

    def run(stem: str, lang: str) -> dict:
        if (stem, lang) not in futures:
            futures[(stem, lang)] = pool.submit(execute, stem, lang, tmp)
        return futures[(stem, lang)].result()

    yield run
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module")
def both(runs):
    return runs(CHAPTER, "en"), runs(CHAPTER, "zh")


def latin_words(text: str) -> list[str]:
    """Latin words of a text that are not ids, units, abbreviations or file names learners type."""
    text = re.sub(r"[A-Za-z0-9_-]+\.(csv|json|py)(?![A-Za-z0-9])", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9²\-]*", text) if not LATIN_ALLOWED.match(w)]


@pytest.mark.kernel
@pytest.mark.parametrize("stem", CHAPTERS)
def test_the_chinese_figures_have_no_english_words(runs, stem):
    """Every text artist of every figure a chapter shows in the Chinese edition: titles, axis
    labels, tick labels, legends, annotations and notes."""
    zh = runs(stem, "zh")
    assert zh["texts"], f"{stem} showed no figure"
    found = {w: t for fig in zh["texts"] for t in fig for w in latin_words(t)}
    assert not found, f"English in the Chinese figures of {stem}:\n" + "\n".join(
        f"  {w!r} in {t!r}" for w, t in found.items())


@pytest.mark.kernel
def test_every_chinese_figure_differs_from_its_english_twin(both):
    en, zh = both
    assert len(en["pngs"]) == len(zh["pngs"]) > 0
    same = [k + 1 for k, (a, b) in enumerate(zip(en["pngs"], zh["pngs"])) if a == b]
    assert not same, f"figures {same} of {CHAPTER} are the same PNG in both editions"


@pytest.mark.kernel
def test_every_pasted_number_is_the_same_value_in_both_editions(both):
    en, zh = both
    assert set(en["pasted"]) == set(zh["pasted"]), "the editions paste different keys"
    numbers = {k: v for k, v in en["pasted"].items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    assert len(numbers) > 50
    differ = {k: (v, zh["pasted"][k]) for k, v in numbers.items()
              if not (v == zh["pasted"][k] or (math.isnan(v) and math.isnan(zh["pasted"][k])))}
    assert not differ, f"pasted numbers that differ between the editions: {differ}"


@pytest.mark.kernel
def test_pasted_texts_and_alt_texts_of_the_chinese_edition_are_chinese(both):
    _, zh = both
    texts = {k: v for k, v in zh["pasted"].items() if isinstance(v, str) and latin_words(v)}
    assert not texts, "pasted texts of the Chinese edition with English words: " + "; ".join(
        f"{k}: {v[:80]!r}" for k, v in sorted(texts.items()))
    alts = [k for k in zh["pasted"] if k.endswith("-alt")]
    assert alts and all(re.search("[\u4e00-\u9fff]", zh["pasted"][k]) for k in alts)
