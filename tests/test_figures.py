"""Every figure of the chapters: caption, name, alt text, provenance underneath, and alt-text
numbers that still match the data (alt text cannot be glued, so this test keeps it honest)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import parkecon as pe
from conftest import ROOT
from parkecon.learner import chapters

NUM = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?![\dN])")


def read(md: Path):
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    return read_myst_markdown_notebook(md.read_text(encoding="utf-8"), config=MdParserConfig(), add_source_map=True, path=str(md))


def figure_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and "figure" in c.metadata.get("mystnb", {})]


@pytest.mark.parametrize("md", chapters(ROOT), ids=lambda p: p.stem)
def test_every_figure_has_caption_name_alt_and_provenance(md):
    nb = read(md)
    figs = figure_cells(nb)
    assert len(figs) >= 3, f"{md.name}: a chapter with fewer than three figures"
    names = set()
    for i, c in figs:
        meta = c.metadata["mystnb"]
        assert meta["figure"].get("caption", "").strip(), f"{md.name} cell {i}: no caption"
        name = meta["figure"].get("name", "")
        assert name.startswith("fig-") and name not in names, f"{md.name} cell {i}: figure name {name!r}"
        names.add(name)
        assert len(meta.get("image", {}).get("alt", "")) > 40, f"{md.name} {name}: alt text missing or too short"
        assert "hide-input" in c.metadata.get("tags", []), f"{md.name} {name}: plotting code should be hide-input"
        nxt = next(n for n in nb.cells[i + 1:] if n.cell_type == "code")
        assert "provenance(" in nxt.source, f"{md.name} {name}: no provenance table under the figure"
        assert f"{{numref}}`{name}`" in md.read_text(encoding="utf-8"), f"{md.name}: {name} is never referred to"


def candidates(glued: list[str]) -> set[float]:
    f = pe.load("facts")
    vals = set()
    for v, u in zip(f["value"], f["unit"]):
        vals.update({v, v / 1e9, v / 1e8, v / 1e4, v / 1e6, v / 1e3})
        if u == "亩":
            vals.update({v / 1500, v / 15})
    for v in f["value_reported"]:
        vals.add(v)
    for text in glued:
        for tok in NUM.findall(text):
            vals.add(float(tok.replace(",", "")))
    return vals


def glued_texts(md: Path) -> list[str]:
    from jupyter_cache import get_cache

    cache = get_cache(str(ROOT / "_build" / ".jupyter_cache"))
    nb = read(md)
    _, executed = cache.merge_match_into_notebook(nb)
    return [str(v) for c in executed.cells for o in c.get("outputs", [])
            for k, v in o.get("data", {}).items() if k.startswith("application/papermill.record/text/plain")]


@pytest.mark.parametrize("md", chapters(ROOT), ids=lambda p: p.stem)
def test_alt_text_numbers_match_the_data(built_book, md):
    """Numbers in alt text (typed, since metadata cannot be glued) must equal a fact or a glued value."""
    cands = candidates(glued_texts(md))
    stale = []
    for i, c in figure_cells(read(md)):
        alt = c.metadata["mystnb"].get("image", {}).get("alt", "")
        for tok in NUM.findall(alt):
            x = float(tok.replace(",", ""))
            if "." not in tok and (1990 <= x <= 2040 or abs(x) <= 12):
                continue  # years and small counts of things drawn (panels, columns)
            dec = len(tok.split(".")[1]) if "." in tok else 0
            if not any(abs(round(v, dec) - x) < 1e-9 or abs(round(v * 100, dec) - x) < 1e-9 for v in cands):
                stale.append(f"{c.metadata['mystnb']['figure']['name']}: {tok}")
    assert stale == [], f"{md.name}: numbers in alt text that match no fact or glued value: {stale}"
