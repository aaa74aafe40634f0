"""One figure style for the whole book.

Colour-blind-safe palette (Okabe & Ito 2008), sizes fit for the book's text column
(about 740 px wide), PNG at a resolution that stays sharp and small.
"""
from __future__ import annotations

import warnings

import matplotlib as mpl

# Okabe-Ito: distinguishable under the common forms of colour-vision deficiency.
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
GREY = "#999999"
# Fixed meanings used across chapters.
STATUS_COLOURS = {"actual": PALETTE[0], "target": PALETTE[5], "plan": PALETTE[1], "estimate": PALETTE[3]}
SOURCE_COLOURS = {"s000": PALETTE[0], "s001": PALETTE[1], "s002": PALETTE[2], "s003": PALETTE[3], "s004": PALETTE[5], "x001": GREY}

WIDTH = 7.0      # inches; at DPI this fills the text column
HEIGHT = 4.2
DPI = 110


#: The CJK font for Chinese text in figures (titles, labels): Noto Sans CJK, simplified
#: Chinese forms, from the pinned PyPI package noto-cjk-sans-otc (SIL Open Font License 1.1),
#: so that it comes with the book's and the kit's pinned packages on every laptop.
CJK_FONT = "Noto Sans CJK SC"


def cjk_font_path() -> str | None:
    """The bundled Noto Sans CJK collection, registered with matplotlib once; None if not installed."""
    global _CJK_PATH
    if _CJK_PATH is None:
        try:
            import noto_cjk_sans_otc
        except ImportError:
            return None
        from matplotlib import font_manager

        path = str(noto_cjk_sans_otc.FONT_PATH)
        font_manager.fontManager.addfont(path)
        _CJK_PATH = path
    return _CJK_PATH


_CJK_PATH: str | None = None


def apply() -> None:
    """Set the seaborn theme and matplotlib parameters; idempotent.

    Latin text is set in DejaVu Sans; a character it lacks (Chinese) falls back to the
    bundled CJK font, so a learner can title a plot 韶关产业园区.
    """
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette=PALETTE)
    mpl.rcParams.update(
        {
            "figure.figsize": (WIDTH, HEIGHT),
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "savefig.bbox": "tight",
            "font.family": ["DejaVu Sans", CJK_FONT] if cjk_font_path() else ["DejaVu Sans"],
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 10.5,
            "xtick.labelsize": 9.5,
            "ytick.labelsize": 9.5,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "parkecon",  # reproducible SVG ids
            "path.simplify": True,
        }
    )
    # A character the font cannot draw would print as an empty box: fail instead.
    warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from")


def mark_bounds(ax, xs, ys, qualifiers, horizontal: bool = False, colour: str = "#333333") -> None:
    """Draw an arrow beyond each value that is a bound ("more than" → arrow outwards).

    Use on bar or dot charts so that lower bounds never look like exact values.
    """
    from .calc import LOWER_BOUNDS, UPPER_BOUNDS

    span = (ax.get_xlim() if horizontal else ax.get_ylim())
    step = 0.06 * (span[1] - span[0])
    for x, y, q in zip(xs, ys, qualifiers):
        if q in LOWER_BOUNDS or q in UPPER_BOUNDS:
            d = step if q in LOWER_BOUNDS else -step
            if horizontal:
                ax.annotate("", xy=(y + d, x), xytext=(y, x),
                            arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.4))
            else:
                ax.annotate("", xy=(x, y + d), xytext=(x, y),
                            arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.4))
