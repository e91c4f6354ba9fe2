"""The one figure style of the study: Dutch labels, decimal commas, SVG, same bytes twice.

Every analysis that draws a figure calls :func:`apply` first and saves with
:func:`save_svg`. The palette is Okabe & Ito's (2008) colour-blind-safe set; axis numbers
use the Dutch decimal comma and thousands dot (via :mod:`proefdruk.dutch`); SVG output
carries no date, no tool version and a fixed hash salt, so a rebuild gives identical files.
Text stays text in the SVG (searchable, and it takes the book's font in HTML and Typst).
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.axis import Axis  # noqa: E402
from matplotlib.category import StrCategoryFormatter, StrCategoryLocator, UnitData  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import Formatter, MaxNLocator  # noqa: E402

from proefdruk.api import atomic_write_bytes, format_number  # noqa: E402

# Okabe-Ito: black omitted (reserved for text and reference lines).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#999999")
PRIMARY = PALETTE[0]
# Text widths of the editions: 170x240 mm page with 25 mm margins -> about 12 cm.
WIDTH_IN = 4.7
RC = {
    "svg.hashsalt": "proefdruk",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "path.simplify": False,
}


def apply() -> None:
    """Set the house style for every figure drawn afterwards in this process."""
    matplotlib.rcdefaults()
    plt.rcParams.update(RC)


def _categories(axis: object) -> dict[str, int] | None:
    """The categories of an axis that shows strings (``ax.barh(table["provincie"], ..)``
    makes one), or None for a numeric axis."""
    units = getattr(axis, "units", None)
    return units._mapping if isinstance(units, UnitData) else None  # noqa: SLF001


class DutchFormatter(Formatter):
    """Tick labels like ``1.250`` or ``37,5`` (``percent``: values are shares 0–1 shown as
    ``37,5 %``; ``suffix``: appended, for values that are percentages already).

    On an axis of categories it writes the category names: the house style sets this
    formatter on both axes of a new figure, and matplotlib keeps a formatter the code has
    set, so without this a bar chart of provinces would be labelled 0–11, silently."""

    def __init__(self, decimals: int = 0, percent: bool = False, suffix: str = "") -> None:
        self.decimals, self.percent = decimals, percent
        self.suffix = "\u00a0%" if percent else suffix

    def __call__(self, x: float, pos: int | None = None) -> str:
        categories = _categories(self.axis)
        if categories is not None:
            return StrCategoryFormatter(categories)(x, pos)
        value = float(x) * 100 if self.percent else float(x)
        return format_number(round(value, self.decimals) + 0.0, self.decimals) + self.suffix


class DutchLocator(MaxNLocator):
    """Ticks only where the labels differ: at multiples of the smallest step the labels
    show (1 for whole numbers, 0,1 with one decimal, 1 % of a share). Matplotlib's own
    locator puts ticks at 0,5 on a small count, which whole-number labels then write as
    "0 0 1 2 2 2 3". On an axis of categories: one tick per category."""

    def __init__(self, decimals: int = 0, percent: bool = False) -> None:
        super().__init__(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True)
        self.scale = 10.0 ** decimals * (100 if percent else 1)

    def __call__(self) -> list[float]:
        categories = _categories(self.axis)
        if categories is not None:
            return list(StrCategoryLocator(categories)())
        return super().__call__()

    def tick_values(self, vmin: float, vmax: float) -> list[float]:
        ticks = super().tick_values(vmin * self.scale, vmax * self.scale)
        return [t / self.scale for t in ticks]


def dutch_formatter(decimals: int = 0, percent: bool = False) -> DutchFormatter:
    """Tick labels like ``1.250`` or ``37,5`` (with ``percent``: values are shares 0–1).
    Set it with :func:`number_axis` or :func:`percent_axis`, which also place the ticks
    where the labels differ."""
    return DutchFormatter(decimals, percent=percent)


def _numeric_axis(ax: Axes, axis: str, what: str) -> Axis:
    """The x or y axis of ``ax``, which must show numbers: labelling an axis of
    categories as numbers or percentages is refused with what to do instead."""
    if axis not in ("x", "y"):
        raise ValueError(f"{what}: axis must be 'x' or 'y', not {axis!r}")
    target = ax.xaxis if axis == "x" else ax.yaxis
    categories = _categories(target)
    if categories is not None:
        names = ", ".join(list(categories)[:3])
        raise ValueError(
            f"{what}(ax, {axis!r}): the {axis} axis shows categories ({names}, ...), not "
            f"numbers; label the other axis, or leave this one as it is (new_figure "
            f"already shows the category names)")
    return target


def percent_axis(ax: Axes, axis: str = "y", decimals: int = 0, shares: bool = False) -> None:
    """Label an axis as Dutch percentages (``37,5 %``), ticks where the labels differ.

    ``shares=True``: the plotted values are shares 0–1; otherwise they are already
    percentages 0–100. An axis of categories is refused (ValueError).
    """
    target = _numeric_axis(ax, axis, "percent_axis")
    target.set_major_locator(DutchLocator(decimals, percent=shares))
    target.set_major_formatter(DutchFormatter(decimals, percent=shares,
                                              suffix="" if shares else "\u00a0%"))


def number_axis(ax: Axes, axis: str = "y", decimals: int = 0) -> None:
    """Label an axis with Dutch numbers (decimal comma, thousands dot), ticks where the
    labels differ: a count gets whole-number ticks. An axis of categories is refused
    (ValueError)."""
    target = _numeric_axis(ax, axis, "number_axis")
    target.set_major_locator(DutchLocator(decimals))
    target.set_major_formatter(DutchFormatter(decimals))


def palette(n: int) -> list[str]:
    """``n`` colours from the colour-blind-safe palette (repeating beyond eight)."""
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def new_figure(height_in: float = 3.0, width_in: float = WIDTH_IN,
               grid: str = "y") -> tuple[Figure, Axes]:
    """A figure in the house style with light grid lines along ``grid`` ("x" or "y").

    Both axes get Dutch number labels, ticks where the labels differ (a count gets whole
    numbers); an axis that later receives categories (``ax.barh(table["provincie"],
    ..)``) shows the category names."""
    apply()
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    ax.grid(False)
    ax.grid(True, axis=grid)
    ax.set_axisbelow(True)
    number_axis(ax, "x" if grid == "y" else "y")
    number_axis(ax, grid)
    return fig, ax


def save_svg(fig: Figure, path: str | Path) -> None:
    """Write ``fig`` as SVG without date or software stamp, atomically, then close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    atomic_write_bytes(path, buf.getvalue())


def wrap_label(text: str, width: int = 38) -> str:
    """Break a long category label over lines at word boundaries."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)
