"""One figure style for the whole book.

Colour-blind-safe palette (Okabe & Ito 2008), sizes fit for the book's text column,
PNG at twice the pixels it is shown at (sharp on high-density screens and when zoomed).
Every figure is checked when a notebook shows it (`plt.show()`): text that overlaps other
text, sits so close to it on one line that the two read as one, is printed over an axis
line, lies under a legend, runs into another panel, or would be smaller than 11 CSS px in
the book's 1280-px layout, fails the cell and so the build.
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

WIDTH = 7.0      # inches; at DPI / 2 CSS px per inch this fills the text column
HEIGHT = 4.2
COLUMN_PX = 688  # width of the text column in CSS px at a 1280-px window (sphinx-book-theme)
DPI = 196        # = 2 x 98 CSS px per inch: a 7-inch figure is 1372 px, shown at 686 CSS px
MIN_TEXT_PX = 11  # smallest text in CSS px at the book's 1280-px layout


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
            "legend.title_fontsize": 9.5,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "parkecon",  # reproducible SVG ids
            "path.simplify": True,
        }
    )
    # A character the font cannot draw would print as an empty box: fail instead.
    warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from")
    # The CJK font has one weight; bold titles use it at regular weight, which matplotlib's
    # font manager reports on stderr for every figure. Nothing is missing: drop that note.
    import logging

    fm_log = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _OneWeightNote) for f in fm_log.filters):
        fm_log.addFilter(_OneWeightNote())
    _check_on_show()


class _OneWeightNote:
    """Drops matplotlib's "Failed to find font weight bold for <the CJK font>" notes."""

    def filter(self, record) -> bool:
        return not (record.getMessage().startswith("findfont: Failed to find font weight")
                    and CJK_FONT in record.getMessage())


class FigureTextError(ValueError):
    """Text in a figure collides with other text or a panel, or is too small to read."""


def _drawn_texts(fig):
    """Draw the figure; return its renderer and the non-empty texts actually drawn."""
    from matplotlib.text import Text

    drawn = []
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)

    Text.draw = draw
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original
    return fig.canvas.get_renderer(), list(dict.fromkeys(drawn))


#: Two texts side by side on one line need at least this gap (in ems of the smaller text): more
#: than a word space (0.32 em in DejaVu Sans), so that a value label and the neighbouring
#: panel's tick label ("50,000 Huashao Data Valley") never read as one phrase.
MIN_GAP_EM = 0.5


def _centre_shrunk(box, fx: float, fy: float):
    """`box` scaled about its centre (Bbox.shrunk keeps the lower-left corner, which would
    let a text poke up to 1 - fx of its width into its right-hand neighbour unseen)."""
    from matplotlib.transforms import Bbox

    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    hw, hh = box.width * fx / 2, box.height * fy / 2
    return Bbox([[cx - hw, cy - hh], [cx + hw, cy + hh]])


def _too_close(a, ba, b, bb, dpi: float, ticks: dict) -> bool:
    """Two upright texts on the same line with less than MIN_GAP_EM between them. Tick labels
    of one axis are exempt (matplotlib spaces them; a close pair there reads as a row of
    column labels), but not a tick label next to any other text."""
    if a.get_rotation() % 360 or b.get_rotation() % 360:
        return False
    if id(a) in ticks and ticks.get(id(a)) is ticks.get(id(b)):
        return False
    em = min(a.get_fontsize(), b.get_fontsize()) * dpi / 72
    same_line = min(ba.y1, bb.y1) - max(ba.y0, bb.y0) > 0.5 * em
    gap = max(bb.x0 - ba.x1, ba.x0 - bb.x1)
    return same_line and gap < MIN_GAP_EM * em


def _tick_labels(fig) -> dict:
    """id(tick label) -> (its Axes, its Axis). A tick label's own `.axes` is None in matplotlib,
    so without this a tick label would belong to no panel."""
    owner = {}
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tk in axis.get_major_ticks() + axis.get_minor_ticks():
                for t in (tk.label1, tk.label2):
                    owner[id(t)] = (ax, axis)
    return owner


def _axis_lines(fig, renderer):
    """The visible axis lines (spines) of every panel: paths in display pixels, half stroke width."""
    lines = []
    for ax in fig.axes:
        if not (ax.get_visible() and ax.axison):
            continue
        for name, spine in ax.spines.items():
            if spine.get_visible() and spine.get_linewidth() > 0:
                lines.append((ax, name, spine.get_transform().transform_path(spine.get_path()),
                              spine.get_linewidth() * fig.dpi / 72 / 2))
    return lines


def text_problems(fig, column_px: float = COLUMN_PX, min_px: float = MIN_TEXT_PX) -> list[str]:
    """Problems a reader would see: texts overlapping each other or set so close on one line
    that they read as one, text printed over an axis line or under a legend, text running into
    another panel, and text smaller than `min_px` CSS px once the figure is shown in the book
    (at half its pixel width, or narrower if that exceeds the text column)."""
    renderer, texts = _drawn_texts(fig)
    natural = fig.get_tightbbox(renderer).padded(0.1).width * fig.dpi
    scale = fig.dpi / 72 * min(0.5, column_px / natural)  # CSS px per point
    from matplotlib.text import Text

    # the text's own box (an annotation's box would include its arrow)
    full = [(t, Text.get_window_extent(t, renderer)) for t in texts]
    boxes = [(t, _centre_shrunk(b, 0.96, 0.9)) for t, b in full]
    label = lambda t: repr(t.get_text().replace("\n", " ")[:40])
    owner = _tick_labels(fig)
    ticks = {k: axis for k, (_, axis) in owner.items()}
    problems = []
    for t, _ in boxes:
        px = t.get_fontsize() * scale
        if px < min_px - 0.05:
            problems.append(f"{label(t)} is {px:.1f} CSS px (< {min_px}); use at least {min_px / scale:.1f} pt")
    for i, ((a, ba), (_, fa)) in enumerate(zip(boxes, full)):
        for (b, bb), (_, fb) in zip(boxes[i + 1:], full[i + 1:]):
            # rotated tick labels: their upright boxes overlap although the labels do not
            same_slant = a.get_rotation() == b.get_rotation() and a.get_rotation() % 90 != 0
            if ba.overlaps(bb) and not same_slant:
                problems.append(f"{label(a)} overlaps {label(b)}")
            elif _too_close(a, fa, b, fb, fig.dpi, ticks):
                problems.append(f"{label(a)} runs into {label(b)} (less than {MIN_GAP_EM} em apart on one line)")
    lines = _axis_lines(fig, renderer)
    for t, bt in full:
        # the text's box without its descender room (a line through the room under the baseline
        # alone is not a collision), widened by half the line's stroke: a line touching the
        # first letter is one
        core = _centre_shrunk(bt, 1.0, 0.6)
        for ax, name, path, half in lines:
            if path.intersects_bbox(core.padded(half), filled=False):
                problems.append(f"{label(t)} is printed over the {name} axis line")
                break
    legends = [lg for lg in [ax.get_legend() for ax in fig.axes] + list(fig.legends) if lg and lg.get_visible()]
    for lg in legends:
        own = {id(x) for x in lg.get_texts()} | {id(lg.get_title())}
        frame = lg.get_window_extent(renderer)
        for t, bt in boxes:
            if id(t) not in own and bt.overlaps(frame):
                problems.append(f"{label(t)} lies under a legend")
    panels = [(ax, ax.get_window_extent(renderer)) for ax in fig.axes if ax.get_visible() and ax.axison]
    for t, bt in boxes:
        home = owner[id(t)][0] if id(t) in owner else t.axes
        for ax, box in panels:
            if home is None or ax is home or ax.bbox.bounds == home.bbox.bounds:
                continue
            if bt.overlaps(box):
                problems.append(f"{label(t)} runs into another panel")
                break
    return problems


def css_px_per_point(fig, column_px: float = COLUMN_PX) -> float:
    renderer = fig.canvas.get_renderer()
    natural = fig.get_tightbbox(renderer).padded(0.1).width * fig.dpi
    return fig.dpi / 72 * min(0.5, column_px / natural)


def raise_small_text(fig, min_px: float = MIN_TEXT_PX) -> None:
    """Enlarge any text that would show smaller than min_px CSS px (a floor, like a browser's
    minimum font size); a figure wider than the column shrinks when shown, so its floor in
    points is higher. Collisions this causes are caught by check_figure."""
    for _ in range(6):
        _, texts = _drawn_texts(fig)
        floor = min_px / css_px_per_point(fig) + 0.05
        small = [t for t in texts if t.get_fontsize() < floor]
        if not small:
            return
        for t in small:
            t.set_fontsize(round(floor + 0.25, 1))


def check_figure(fig) -> None:
    raise_small_text(fig)
    problems = text_problems(fig)
    if problems:
        raise FigureTextError("figure text problems:\n  " + "\n  ".join(dict.fromkeys(problems)))


def _check_on_show() -> None:
    """Check every open figure when a notebook calls plt.show(), before it is displayed."""
    import matplotlib.pyplot as plt

    if getattr(plt.show, "_parkecon_checked", False):
        return
    original = plt.show

    def show(*args, **kwargs):
        for num in plt.get_fignums():
            check_figure(plt.figure(num))
        return original(*args, **kwargs)

    show._parkecon_checked = True
    plt.show = show


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
