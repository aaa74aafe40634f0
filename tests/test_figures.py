"""Every figure of the chapters: caption, name, alt text built from the figure's data, provenance
underneath; the alt text on the built page follows the data."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import parkecon as pe
from conftest import ROOT
from parkecon.machinery.learner import chapters

NUM = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?![\dN])")


def read(md: Path):
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    return read_myst_markdown_notebook(md.read_text(encoding="utf-8"), config=MdParserConfig(), add_source_map=True, path=str(md))


def figure_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and "figure" in c.metadata.get("mystnb", {})]


def _last_marker(cells) -> str | None:
    """'start' if the last solution fence before these cells opens a solution, 'end' if it closes one."""
    import re

    for n in reversed(cells):
        if n.cell_type == "markdown":
            found = re.findall(r"\{solution-(start|end)\}", n.source)
            if found:
                return found[-1]
    return None


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
        assert f'pe.alt_text("{name}"' in c.source, f"{md.name} {name}: alt text not built in the cell"
        # in a solution the plotting code is the answer and stays visible; elsewhere it is folded
        in_solution = _last_marker(nb.cells[:i]) == "start"
        assert in_solution or "hide-input" in c.metadata.get("tags", []), f"{md.name} {name}: plotting code should be hide-input"
        nxt = next(n for n in nb.cells[i + 1:] if n.cell_type == "code")
        # the facts a figure draws, or (for a count of a whole table's rows) the documents it counts
        assert "provenance(" in nxt.source or "sources_table(" in nxt.source, f"{md.name} {name}: no sources under the figure"
        assert f"{{numref}}`{name}`" in md.read_text(encoding="utf-8"), f"{md.name}: {name} is never referred to"


# ---------------------------------------------------------------- alt text computed with the figure

def page_alts(html_file: Path) -> dict[str, str]:
    """Figure name -> alt text of its image, from a built page."""
    import html as h

    text = html_file.read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r'<figure[^>]*id="(fig-[\w-]+)"(.*?)</figure>', text, re.S):
        img = re.search(r'<img[^>]*alt="([^"]*)"', m.group(2))
        if img:
            out[m.group(1)] = h.unescape(img.group(1))
    return out


@pytest.mark.build
def test_alt_text_follows_the_data(second_build, data_edited_build):
    """Change one fact in a copy of the data (an actual s004 fact made an estimate; the copy's
    events.csv also lost a row, for test_site.py): the alt text of the figure drawn from it changes."""
    before = page_alts(second_build / "_build" / "html" / "notebooks" / "plans-audit.html")["fig-audit-sources"]
    assert "s004, 52 facts" in before or "s004," in before
    proc = data_edited_build["proc"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    book = data_edited_build["book"]
    after = page_alts(book / "_build" / "html" / "notebooks" / "plans-audit.html")["fig-audit-sources"]
    n_actual = int(re.search(r"s004, \d+ facts \((\d+) actual", before).group(1))
    assert after != before
    assert re.search(rf"s004, \d+ facts \({n_actual - 1} actual, 1 estimate", after), after


@pytest.mark.parametrize("md", chapters(ROOT), ids=lambda p: p.stem)
def test_built_figures_carry_alt_text(built_book, md):
    alts = page_alts(built_book / "notebooks" / f"{md.stem}.html")
    names = [c.metadata["mystnb"]["figure"]["name"] for _, c in figure_cells(read(md))]
    assert sorted(alts) == sorted(names)
    assert all(len(a) > 40 for a in alts.values()), alts
