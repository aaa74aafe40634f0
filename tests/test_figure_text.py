"""The figure check that runs in every build (parkecon.style): text that collides with other
text or another panel, or that is too small to read in the book, fails the notebook cell."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from parkecon import style  # noqa: E402


@pytest.fixture(autouse=True)
def styled():
    style.apply()
    yield
    plt.close("all")


def test_a_clean_figure_passes():
    fig, ax = plt.subplots(figsize=(style.WIDTH, 3))
    ax.bar(["a", "b"], [1, 2])
    ax.text(0, 1.05, "one", ha="center")
    ax.text(1, 2.05, "two", ha="center")
    assert style.text_problems(fig) == []


def test_overlapping_texts_fail_the_show():
    fig, ax = plt.subplots(figsize=(style.WIDTH, 3))
    ax.text(0.5, 0.5, "50,000 cabinets", fontsize=10)
    ax.text(0.52, 0.5, "Huashao Data Valley", fontsize=10)
    problems = style.text_problems(fig)
    assert any("overlaps" in p for p in problems)
    with pytest.raises(style.FigureTextError):
        plt.show()


def test_text_running_into_another_panel_is_found():
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(style.WIDTH, 3))
    a1.set_xlim(0, 1)
    a1.text(0.9, 0.5, "176.6  (count n/a) runs on", fontsize=10)
    assert any("another panel" in p for p in style.text_problems(fig))


def test_small_text_is_found_and_raised_to_the_floor():
    fig, ax = plt.subplots(figsize=(style.WIDTH, 3))
    t = ax.text(0.1, 0.5, "tiny note", fontsize=5)
    assert any("CSS px" in p for p in style.text_problems(fig))
    style.raise_small_text(fig)
    assert style.text_problems(fig) == []
    assert t.get_fontsize() * style.css_px_per_point(fig) >= style.MIN_TEXT_PX


def test_a_wide_figure_needs_larger_points():
    """A figure wider than the text column is shown smaller, so the same points read smaller."""
    narrow, _ = plt.subplots(figsize=(style.WIDTH, 3))
    wide, _ = plt.subplots(figsize=(2 * style.WIDTH, 3))
    narrow.canvas.draw()
    wide.canvas.draw()
    assert style.css_px_per_point(wide) < style.css_px_per_point(narrow)


def _extent(fig, text):
    from matplotlib.text import Text

    fig.canvas.draw()
    return Text.get_window_extent(text, fig.canvas.get_renderer())


def test_a_value_label_a_word_space_from_the_next_panels_tick_label_fails():
    """Fig. 3.4's collision: a value label at the end of a bar in the left panel ending one word
    space before the right panel's tick label. The boxes do not overlap, and a tick label
    belongs to no panel in matplotlib, so neither the overlap nor the panel test saw it."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(style.WIDTH, 3), gridspec_kw={"wspace": 0.75})
    a1.barh([0, 1], [50, 7.5])
    a1.set_xlim(0, 68)
    a2.barh([0, 1], [130, 196])
    a2.set_yticks([0, 1], ["Huashao Data Valley", "Shenzhen Yingshuo"])
    tick = a2.get_yticklabels()[0]
    value = a1.text(0, 0, "50,000", va="center", fontsize=9.5)
    # put the value label's right edge 0.3 em (less than a word space) left of the tick label
    em_px = 9.5 * fig.dpi / 72
    right = _extent(fig, tick).x0 - 0.3 * em_px
    width = _extent(fig, value).width
    value.set_x(a1.transData.inverted().transform((right - width, 0))[0])
    assert not _extent(fig, value).overlaps(_extent(fig, tick))  # the old test passed it
    problems = style.text_problems(fig)
    assert any("'50,000' runs into 'Huashao Data Valley'" in p for p in problems), problems
    with pytest.raises(style.FigureTextError):
        plt.show()
    # a full em apart it reads as two things, and passes
    value.set_x(a1.transData.inverted().transform((right - 0.7 * em_px - width, 0))[0])
    assert style.text_problems(fig) == []


def test_close_tick_labels_of_one_axis_are_a_row_of_column_labels():
    fig, ax = plt.subplots(figsize=(3, 3))
    ax.bar(range(4), [51, 64, 90, 80])
    ax.set_xticks(range(4), ["2015", "2020", "2025\ntarget", "2025\npast\npace"], fontsize=9)
    assert not any("runs into" in p for p in style.text_problems(fig))


def test_a_tick_label_running_into_another_panel_is_found():
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(style.WIDTH, 3), gridspec_kw={"wspace": 0.05})
    a1.barh([0], [1])
    a2.barh([0], [1])
    a2.set_yticks([0], ["a long label for the right-hand panel"])
    assert any("runs into another panel" in p for p in style.text_problems(fig))


def test_a_note_on_the_axis_line_fails_and_one_clear_of_it_passes():
    """Fig. 3.1's 'not reported' note sat on the bottom axis line of its row."""
    fig, ax = plt.subplots(figsize=(style.WIDTH, 3))
    ax.barh([1, 2], [5, 8])
    note = ax.text(0.3, 0, "not reported", va="center", fontsize=9)
    ax.set_ylim(-0.03, 2.5)  # the axis line through the note
    assert any("'not reported' is printed over the bottom axis line" in p for p in style.text_problems(fig))
    ax.set_ylim(-0.6, 2.5)
    assert style.text_problems(fig) == []
    # a note that starts on the left axis line touches its first letter
    note.set_x(0)
    assert any("over the left axis line" in p for p in style.text_problems(fig))


def test_text_under_a_legend_fails():
    fig, ax = plt.subplots(figsize=(style.WIDTH, 3))
    ax.barh([0, 1], [5, 8], label="pillar cluster")
    ax.set_xlim(0, 10)
    ax.text(8.5, 0.5, "not reported", va="center")
    ax.legend(loc="center right")
    assert any("'not reported' lies under a legend" in p for p in style.text_problems(fig))
