"""No hand-typed figures in the chapters' prose: every number there is pasted with glue.

Allowed: years, section numbers of the sources, names such as "3+3", "35N", "355N",
ordinals, exercise minutes, fact and row ids, figure names, headings' numbering, unit
names (10,000 m², 10⁸) and the constants of formulas written out (1 + growth, /100).
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from parkecon.learner import chapters

ALLOWED = re.compile(
    r"3\+3|35N|355N|2\+2|1\+N\+1|\b(19|20)\d\d\b|\b\d{4}[–-]\d{2,4}\b|\b\d+(st|nd|rd|th)\b"
    r"|\b[spxlcme]00\d(-\d{3})?\b|\bf00\d-\d{3}\b|\(\d+ min(, extension)?\)|walk-through \(\d+ min\)"
    r"|ex-[\w-]+-\d+|fig-[\w-]+|\b[A-Z]{1,2}\d+\b|^#+ \d+\.|10,000 (m²|people)|10[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
    r"|\(1 \+ [^)]*\)|/100\b|Global 500|top-500|lines? 18 and 36|phase \d|再造\d个"
    r"|[一二三四五六七八九十]+\([一二三四五六七八九十\d]+\)\d*(\.[一二三四五六七八九十\d]+)?"
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


def test_the_check_catches_a_typed_number():
    assert offenders("The parks added 217.89 亿元 in 2021.\n") == ["'217.89' in: The parks added 217.89 亿元 in 2021."]
    assert offenders("Value added was {glue:text}`va:.1f` billion yuan in 2021 (s000, 一(二)1).\n") == []
