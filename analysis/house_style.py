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
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

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


def dutch_formatter(decimals: int = 0, percent: bool = False) -> FuncFormatter:
    """Tick labels like ``1.250`` or ``37,5`` (with ``percent``: values are shares 0–1)."""
    def fmt(x: float, _pos: int | None = None) -> str:
        value = float(x) * 100 if percent else float(x)
        text = format_number(round(value, decimals) + 0.0, decimals)
        return f"{text}\u00a0%" if percent else text
    return FuncFormatter(fmt)


def percent_axis(ax: Axes, axis: str = "y", decimals: int = 0, shares: bool = False) -> None:
    """Label an axis as Dutch percentages (``37,5 %``).

    ``shares=True``: the plotted values are shares 0–1; otherwise they are already
    percentages 0–100.
    """
    target = ax.xaxis if axis == "x" else ax.yaxis
    if shares:
        target.set_major_formatter(dutch_formatter(decimals, percent=True))
    else:
        def fmt(x: float, _pos: int | None = None) -> str:
            return f"{format_number(round(float(x), decimals) + 0.0, decimals)}\u00a0%"
        target.set_major_formatter(FuncFormatter(fmt))


def number_axis(ax: Axes, axis: str = "y", decimals: int = 0) -> None:
    """Label an axis with Dutch numbers (decimal comma, thousands dot)."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(dutch_formatter(decimals))


def palette(n: int) -> list[str]:
    """``n`` colours from the colour-blind-safe palette (repeating beyond eight)."""
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def new_figure(height_in: float = 3.0, width_in: float = WIDTH_IN,
               grid: str = "y") -> tuple[Figure, Axes]:
    """A figure in the house style with light grid lines along ``grid`` ("x" or "y")."""
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
