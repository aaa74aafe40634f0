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
