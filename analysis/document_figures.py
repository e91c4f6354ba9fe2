"""Figures of the document analyses, drawn in the project's house style.

Only the drawing lives here; the numbers come in as finished tables, so a figure can
never show something the tables and the registry do not. Colours, fonts, the decimal
comma and the deterministic SVG output are the house style's business
(``analysis.house_style``), not this module's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import house_style


def timeline(table: pd.DataFrame, regions: Sequence[str], path: str | Path) -> None:
    """Stacked bars: partnerships started per decade, split by partner region."""
    fig, ax = house_style.new_figure(height_in=3.4)
    ax.grid(False)
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    bottom = [0] * len(table)
    x = list(range(len(table)))
    for colour, region in zip(house_style.PALETTE, regions, strict=False):
        values = [int(v) for v in table[region]]
        ax.bar(x, values, bottom=bottom, color=colour, label=region, width=0.75,
               edgecolor="white", linewidth=0.5)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(x, [str(d).replace("–", "–\n") for d in table["decennium"]],
                  fontsize="small")
    ax.yaxis.set_major_formatter(house_style.dutch_formatter())
    ax.set_xlabel("Beginjaar (decennium)")
    ax.set_ylabel("Partnerschappen aangegaan")
    ax.legend(title="Partnerregio", fontsize="small", title_fontsize="small",
              loc="upper left")
    house_style.save_svg(fig, path)


def motive_lines(shares: pd.DataFrame, motives: Sequence[tuple[str, str]],
                 path: str | Path) -> None:
    """One line per motive: share of notes in which it occurs, per period."""
    fig, ax = house_style.new_figure(height_in=3.0)
    ax.grid(False)
    ax.grid(axis="y")
    x = list(range(len(shares)))
    for colour, (code, label) in zip(house_style.PALETTE, motives, strict=False):
        ax.plot(x, [float(v) for v in shares[f"{code}_aandeel"]], marker="o",
                color=colour, label=label)
    ax.set_xticks(x, list(shares["periode"]))
    ax.set_ylim(0, 1)
    ax.set_xlabel("Jaar van de nota")
    ax.set_ylabel("Nota's waarin het motief voorkomt")
    house_style.percent_axis(ax, axis="y", shares=True)
    ax.legend(title="Motief", fontsize="small", title_fontsize="small", ncols=4,
              loc="upper center", bbox_to_anchor=(0.5, -0.22))
    house_style.save_svg(fig, path)
