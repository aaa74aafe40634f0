"""The workshop kit in Chinese: written by the Chinese build beside the English kit, linked from
the Chinese workshop page, Chinese text around the same code, the same numbers, a set-up check
that speaks Chinese. Reads the kits the suite's built book wrote (no extra build)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from parkecon.machinery import kitlang, learner

ZH_ZIP = ROOT / "_build" / "learner" / "zh" / "parkecon-workshop-zh.zip"
EN_ZIP = ROOT / "_build" / "learner" / "parkecon-workshop.zip"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
MIN_RATIO = 2.0    # Chinese characters per Latin letter over a notebook's Markdown (as tests/test_editions.py)
MIN_CELL = 0.5     # and in every Markdown cell: an English paragraph scores about 0
BOLD = re.compile(r"<strong>([^<]*)</strong>")
NUMBER = re.compile(r"^[+−-]?\d[\d,]*(?:\.(\d+))?$")


def unzip(zpath: Path, dest: Path) -> Path:
    assert zpath.is_file(), f"{zpath} was not written by the build"
    with zipfile.ZipFile(zpath) as z:
        z.extractall(dest)
        top = {n.split("/", 1)[0] for n in z.namelist()}
    assert len(top) == 1
    return dest / top.pop()


@pytest.fixture(scope="module")
def kits(built_book, tmp_path_factory) -> tuple[Path, Path]:
    """(Chinese kit, English kit) as an attendee unzips them, from the built book."""
    return (unzip(ZH_ZIP, tmp_path_factory.mktemp("zhkit")), unzip(EN_ZIP, tmp_path_factory.mktemp("enkit")))


def prose(markdown: str) -> str:
    """A Markdown cell without code, link targets, HTML tags, addresses and source/fact ids."""
    t = re.sub(r"`[^`]*`", " ", markdown)
    t = re.sub(r"\]\([^)]*\)", "]", t)
    t = re.sub(r"<[^>]+>", " ", t)
    return re.sub(r"https?://\S+|\bs\d{3}\b|\bf\d{3}-\d{3}\b", " ", t)


def ratios(kit: Path) -> tuple[dict[str, float], list[str]]:
    """Chinese characters per Latin letter, per notebook, and the cells below MIN_CELL."""
    per_nb, low = {}, []
    for nb_path in sorted(kit.glob("*/*.ipynb")):
        cjk = latin = 0
        for i, cell in enumerate(nbformat.read(nb_path, as_version=4).cells):
            if cell.cell_type != "markdown":
                continue
            text = prose(cell.source)
            c, l = len(CJK.findall(text)), len(LATIN.findall(text))
            cjk, latin = cjk + c, latin + l
            if c < MIN_CELL * l:
                low.append(f"{nb_path.parent.name}/{nb_path.name} cell {i}: {c} Chinese, {l} Latin: {text[:80]!r}")
        per_nb[f"{nb_path.parent.name}/{nb_path.name}"] = cjk / max(latin, 1)
    return per_nb, low


def test_chinese_kit_is_published_beside_the_english_one_and_linked_from_the_chinese_workshop_page(built_book):
    page = (built_book / "zh" / "book" / "workshop.html").read_text(encoding="utf-8")
    href = re.search(r'href="([^"]*\.zip)"', page)
    assert href and href.group(1).endswith("parkecon-workshop-zh.zip"), "the Chinese workshop page links no Chinese kit"
    target = (built_book / "zh" / "book" / href.group(1)).resolve()
    assert target.is_relative_to((built_book / "zh").resolve()), "the link leaves the Chinese site"
    assert target.is_file() and target.read_bytes() == ZH_ZIP.read_bytes()
    english = (built_book / "book" / "workshop.html").read_text(encoding="utf-8")
    assert "parkecon-workshop-zh.zip" not in english and "parkecon-workshop.zip" in english


def test_markdown_of_the_chinese_kit_is_chinese_and_the_test_sees_english(kits):
    zh, en = kits
    per_nb, low = ratios(zh)
    assert len(per_nb) == 2 * len(learner.chapters(ROOT))
    assert not low, "Markdown cells of the Chinese kit that are not Chinese:\n" + "\n".join(low)
    assert all(r >= MIN_RATIO for r in per_nb.values()), per_nb
    en_nb, en_low = ratios(en)  # the same measure on the English kit fails every notebook
    assert all(r < MIN_RATIO / 10 for r in en_nb.values()) and len(en_low) > 50
    readme = (zh / "README.txt").read_text(encoding="utf-8")
    assert len(CJK.findall(readme)) > 100 and "https://" in readme and "/zh/" in readme
    assert (zh / learner.LANGUAGE_FILE).read_text(encoding="utf-8").strip() == "zh"
    assert not (en / learner.LANGUAGE_FILE).exists()


def test_chinese_kit_has_the_english_kits_code_cells(kits):
    """Code unchanged: the same code cells in the same order (the empty cell under an
    exercise carries its comment in the kit's language)."""
    zh, en = kits
    placeholders = {kitlang.text("zh", "your_code"), kitlang.text("en", "your_code")}
    for rel in sorted(p.relative_to(en) for p in en.glob("*/*.ipynb")):
        a = [c.source for c in nbformat.read(en / rel, as_version=4).cells if c.cell_type == "code"]
        b = [c.source for c in nbformat.read(zh / rel, as_version=4).cells if c.cell_type == "code"]
        assert len(a) == len(b), rel
        for x, y in zip(a, b):
            assert x == y or {x, y} <= placeholders, f"{rel}: code differs:\n{x[:200]}\n---\n{y[:200]}"


def _numbers(values: dict) -> list[float]:
    out = []
    for bundle in values.values():
        try:
            out.append(float(bundle.get("text/plain", "")))
        except ValueError:
            pass
    return out


def test_every_number_in_the_chinese_kit_is_an_english_computed_value(kits):
    """Each bold number of a Chinese notebook is, as printed, a value the English execution
    computed (or its 亿/万 twin, x10/x100); and the two executions pasted the same values."""
    zh, _ = kits
    checked = 0
    for md in learner.chapters(ROOT):
        en_nb = learner.executed(md, ROOT / "_build" / ".jupyter_cache")
        zh_nb = learner.executed(md, ROOT / "_build" / "zh" / ".jupyter_cache")
        assert en_nb is not None and zh_nb is not None, f"{md.stem} is not executed in both editions"
        en_vals, zh_vals = learner.glue_values(en_nb), learner.glue_values(zh_nb)
        for key, bundle in en_vals.items():
            try:
                a = float(bundle["text/plain"])
            except (KeyError, ValueError):
                continue
            assert float(zh_vals[key]["text/plain"]) == a, f"{md.stem}: {key}"
        english = _numbers(en_vals)
        candidates = [v * f for v in english for f in (1, 10, 100)]
        for folder in ("notebooks", "full"):
            nb = nbformat.read(zh / folder / (md.stem + ".ipynb"), as_version=4)
            for cell in nb.cells:
                for shown in BOLD.findall(cell.source if cell.cell_type == "markdown" else ""):
                    m = NUMBER.match(shown.strip())
                    if not m:
                        continue  # a pasted text or a number with words
                    n = float(shown.strip().replace(",", "").replace("−", "-"))
                    half = 0.5 * 10 ** -len(m.group(1) or "") + 1e-9
                    assert any(abs(abs(v) - abs(n)) <= half for v in candidates), \
                        f"{folder}/{md.stem}: {shown} is no value the English execution computed"
                    checked += 1
    assert checked > 200


def test_setup_check_speaks_the_kits_language(kits):
    zh, en = kits
    env = {k: v for k, v in os.environ.items() if k != "PARKECON_LANG"}
    for kit, ok, summary in ((zh, ("通过", "未通过"), "小结："), (en, ("PASS", "FAIL"), "Summary:")):
        proc = subprocess.run([sys.executable, "check_setup.py"], cwd=kit, capture_output=True, text=True, env=env)
        lines = proc.stdout.strip().splitlines()
        assert lines[-1].startswith(summary), proc.stdout
        assert all(line.startswith(ok) for line in lines[:-2]), proc.stdout
    zh_out = subprocess.run([sys.executable, "check_setup.py"], cwd=zh, capture_output=True, text=True, env=env).stdout
    assert len(CJK.findall(zh_out)) > 50
    forced = subprocess.run([sys.executable, "check_setup.py", "--lang", "en"], cwd=zh, capture_output=True,
                            text=True, env=env).stdout
    assert forced.strip().splitlines()[-1].startswith("Summary:")


def test_the_chinese_kits_package_draws_in_chinese(kits):
    """Its figure labels: parkecon in the Chinese kit reads kit-language.txt (PARKECON_LANG unset)."""
    zh, en = kits
    env = {k: v for k, v in os.environ.items() if k not in ("PARKECON_LANG", "PYTHONPATH")}
    code = "import parkecon, parkecon.i18n as i; print(parkecon.__file__); print(i.lang())"
    for kit, lang in ((zh, "zh"), (en, "en")):
        out = subprocess.run([sys.executable, "-c", code], cwd=kit, capture_output=True, text=True,
                             env={**env, "PYTHONPATH": str(kit)}).stdout.split()
        assert Path(out[0]).resolve().is_relative_to(kit.resolve()) and out[1] == lang


def test_an_untranslated_paragraph_stops_the_chinese_kit():
    msgs = {"A heading": "一个标题"}
    assert kitlang.translate_markdown("## A heading\n", msgs, "page") == "## 一个标题\n"
    with pytest.raises(kitlang.Untranslated, match="An English paragraph"):
        kitlang.translate_markdown("## A heading\n\nAn English paragraph\nover two lines.\n", msgs, "page")
    table = "| a | b |\n|---|---|\n| x | y |\n"
    done = kitlang.translate_markdown(table, {"a": "甲", "b": "乙", "x": "子", "y": "丑"}, "page")
    assert done.splitlines()[0] == "| 甲 | 乙 |" and done.splitlines()[2] == "| 子 | 丑 |"
    assert kitlang.translate_markdown("1. first item\n   wrapped\n", {"first item wrapped": "第一项"}, "p") == "1. 第一项\n"
