"""The figure house style's axes (issue 31).

A small count drew repeated tick labels ("0 0 1 2 2 2 3": ticks at 0,5 written as whole
numbers), and ``hs.new_figure()`` put a number formatter on both axes, so a bar chart of
provinces (``ax.barh(table["provincie"], ..)``) was labelled 0–11 without a word. Ticks
now sit where the labels differ, an axis of categories shows its categories, and asking
for numbers or percentages on such an axis is refused with what to do.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import house_style as hs


def visible_labels(ax, axis: str) -> list[str]:
    """The tick labels a reader sees (inside the view), after drawing."""
    ax.figure.canvas.draw()
    target = ax.xaxis if axis == "x" else ax.yaxis
    low, high = sorted(target.get_view_interval())
    return [t.label1.get_text() for t in target.get_major_ticks()
            if low - 1e-9 <= t.get_loc() <= high + 1e-9 and t.label1.get_visible()]


@pytest.mark.parametrize("counts", [[1, 3, 2], [0, 1], [2, 2, 3, 1, 0, 1, 2]])
def test_small_counts_get_whole_distinct_ticks(counts: list[int]) -> None:
    fig, ax = hs.new_figure()
    ax.bar(range(len(counts)), counts)
    labels = visible_labels(ax, "y")
    assert len(labels) == len(set(labels)) >= 2, labels
    assert all(label.isdigit() for label in labels), labels


def test_a_formatter_set_later_keeps_the_whole_ticks() -> None:
    """document_figures.timeline sets dutch_formatter() itself after new_figure()."""
    fig, ax = hs.new_figure()
    ax.bar([0, 1, 2], [1, 3, 2])
    ax.yaxis.set_major_formatter(hs.dutch_formatter())
    labels = visible_labels(ax, "y")
    assert labels == sorted(set(labels), key=int), labels


def test_small_shares_get_distinct_percentages() -> None:
    fig, ax = hs.new_figure(grid="x")
    ax.barh([0, 1], [0.01, 0.03])
    ax.set_xlim(0, 0.04)
    hs.percent_axis(ax, "x", shares=True)
    labels = visible_labels(ax, "x")
    assert len(labels) == len(set(labels)) >= 3, labels
    assert all(label.endswith("\u00a0%") for label in labels)


def test_an_axis_of_categories_shows_the_categories() -> None:
    table = pd.DataFrame({"provincie": ["Groningen", "Friesland", "Drenthe", "Zeeland"],
                          "aandeel": [0.4, 0.25, 0.5, 0.1]})
    fig, ax = hs.new_figure(grid="x")
    ax.barh(table["provincie"], table["aandeel"])
    assert visible_labels(ax, "y") == list(table["provincie"])
    hs.percent_axis(ax, "x", shares=True)  # the numeric axis is still the house's
    assert visible_labels(ax, "x")[-1].endswith("\u00a0%")


def test_numbers_on_an_axis_of_categories_are_refused() -> None:
    fig, ax = hs.new_figure(grid="x")
    ax.barh(["Utrecht", "Limburg"], [3, 5])
    with pytest.raises(ValueError, match="categories \\(Utrecht, Limburg"):
        hs.percent_axis(ax, "y", shares=True)
    with pytest.raises(ValueError, match="number_axis"):
        hs.number_axis(ax, "y")


def test_dutch_labels_are_unchanged() -> None:
    assert hs.dutch_formatter(1)(1250.3) == "1.250,3"
    assert hs.dutch_formatter(0, percent=True)(0.375) == "38\u00a0%"
