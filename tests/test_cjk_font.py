"""A learner can title a plot in Chinese: the pinned CJK font is registered by the style, and a
missing glyph is still an error."""
from __future__ import annotations

import io
import re
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from conftest import ROOT
from parkecon import style


def draw(title: str) -> bytes:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2])
    ax.set_title(title)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def test_a_chinese_title_renders_with_the_bundled_font():
    style.apply()
    path = style.cjk_font_path()
    assert path and "noto_cjk_sans_otc" in path, "the CJK font must come from the pinned package, not the system"
    from matplotlib import font_manager

    assert style.CJK_FONT in {f.name for f in font_manager.fontManager.ttflist if f.fname == path}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = draw("韶关产业园区")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert draw("韶关产业园区") != draw("ABCDEF"), "the Chinese title draws glyphs of its own"


def test_a_glyph_no_font_has_is_still_an_error():
    style.apply()
    with pytest.raises(UserWarning, match="[Gg]lyph"):
        draw("\U0001D11E\U000E0100")  # a musical symbol and a variation selector no bundled font draws


def test_the_font_is_pinned():
    req = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^noto-cjk-sans-otc==\d", req, re.M)
