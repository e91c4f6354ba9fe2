"""Per section of the questionnaire: the tables, figures and registry numbers.

Each codebook section is one namespace of the numbers registry
(``results/numbers/<section>.json``). Output names are derived from the codebook by
:func:`section_outputs`, which the workflow also calls to declare the outputs, so a
question added to the codebook gets its table and figure without touching the rules.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import house_style as hs
from analysis.codebook import Codebook, Question
from analysis.mrq import answered_mask, by_group, categorical_table, likert_summary, mrq_table
from analysis.register import UNKNOWN_SIZE, size_class_order
from analysis.survey_layout import (  # noqa: F401  (re-exported for the scripts and tests)
    DESCRIBED_TYPES,
    analysed_sections,
    file_stem,
    section_outputs,
    slug,
)
from analysis.tables import fmt_ci, fmt_num, fmt_pct, pipe_table, write_table
from proefdruk.api import NumberSet, escape_markdown

# --------------------------------------------------------------------------- figures

def _bar_figure(labels: list[str], shares: list[float], lows: list[float],
                highs: list[float], path: str | Path, xlabel: str) -> None:
    height = 0.6 + 0.4 * len(labels)
    fig, ax = hs.new_figure(height, grid="x")
    y = np.arange(len(labels))[::-1]
    err = np.array([np.array(shares) - np.array(lows), np.array(highs) - np.array(shares)])
    ax.barh(y, shares, color=hs.PRIMARY, height=0.62)
    ax.errorbar(shares, y, xerr=np.nan_to_num(err), fmt="none", ecolor="#333333",
                elinewidth=0.8, capsize=2)
    ax.set_yticks(y, [hs.wrap_label(lb) for lb in labels])
    ax.set_xlim(0, 1)
    hs.percent_axis(ax, "x", shares=True)
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    hs.save_svg(fig, path)


def _likert_figure(items: list[tuple[str, pd.DataFrame]], path: str | Path) -> None:
    """100 % stacked bars, one per statement, categories in scale order."""
    height = 0.9 + 0.42 * len(items)
    fig, ax = hs.new_figure(height, grid="x")
    colours = ["#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2", "#EEEEEE"]
    y = np.arange(len(items))[::-1]
    labels_done = False
    for row, (_label, table) in zip(y, items, strict=True):
        left = 0.0
        for colour, rec in zip(colours, table.to_dict("records"), strict=False):
            share = rec["pct"] if not math.isnan(rec["pct"]) else 0.0
            ax.barh(row, share, left=left, color=colour, height=0.6,
                    label=None if labels_done else rec["label"])
            left += share
        labels_done = True
    ax.set_yticks(y, [hs.wrap_label(lb, 44) for lb, _ in items])
    ax.set_xlim(0, 1)
    hs.percent_axis(ax, "x", shares=True)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.35, -0.18), ncol=3, fontsize=7)
    hs.save_svg(fig, path)


# ---------------------------------------------------------------------------- tables

def _mrq_markdown(table: pd.DataFrame, weighted: bool) -> str:
    header = ["Antwoord", "Aantal", "% van gemeenten", "95%-BI", "% van antwoorden"]
    align = ["l", "r", "r", "r", "r"]
    if weighted:
        header.append("% gewogen")
        align.append("r")
    rows = []
    for r in table.to_dict("records"):
        cells = [escape_markdown(r["label"]), fmt_num(r["aantal"]), fmt_pct(r["pct_cases"]),
                 fmt_ci(r["ci_laag"], r["ci_hoog"]), fmt_pct(r["pct_responses"])]
        if weighted:
            cells.append(fmt_pct(r["pct_cases_gewogen"]))
        rows.append(cells)
    n = int(table["basis"].iloc[0]) if len(table) else 0
    rows.append(["*Basis (gemeenten die de vraag beantwoordden)*", fmt_num(n), "", "", ""]
                + ([""] if weighted else []))
    return pipe_table(header, rows, align)


def _categorical_markdown(table: pd.DataFrame, weighted: bool) -> str:
    header = ["Antwoord", "Aantal", "%", "95%-BI"] + (["% gewogen"] if weighted else [])
    rows = [[escape_markdown(r["label"]), fmt_num(r["aantal"]), fmt_pct(r["pct"]),
             fmt_ci(r["ci_laag"], r["ci_hoog"])] + ([fmt_pct(r["pct_gewogen"])] if weighted
                                                    else []) for r in table.to_dict("records")]
    n = int(table["basis"].iloc[0]) if len(table) else 0
    rows.append(["*Basis*", fmt_num(n), "", ""] + ([""] if weighted else []))
    return pipe_table(header, rows, ["l", "r", "r", "r"] + (["r"] if weighted else []))


def _with_base(cls: str, comparisons) -> str:
    """A size class's column header with the number of municipalities it rests on.

    A percentage over two municipalities must not look like one over two hundred; the
    base is the largest among the answers (they share it unless an item was skipped).
    """
    bases = [int(c.counts.loc[c.counts["groep"] == cls, "basis"].iloc[0])
             for c in comparisons if (c.counts["groep"] == cls).any()]
    return f"{cls} (n\u00a0=\u00a0{fmt_num(max(bases), 0)})" if bases else cls


def _by_size_frames(comparisons, classes: list[str]) -> tuple[pd.DataFrame, str]:
    data_rows, md_rows = [], []
    for c in comparisons:
        rec = {"optie": c.option, "label": c.label}
        cells = [escape_markdown(c.label)]
        for cls in classes:
            hit = c.counts[c.counts["groep"] == cls]
            if len(hit):
                k, n = int(hit["aantal"].iloc[0]), int(hit["basis"].iloc[0])
                rec[f"{cls} aantal"], rec[f"{cls} basis"] = k, n
                cells.append(fmt_pct(k / n, 0) if n else "–")
            else:
                cells.append("–")
        t = c.test
        if t is not None:
            rec.update({"toets": t.test, "statistiek": t.statistic, "df": t.df, "p": t.p,
                        "cramers_v": t.cramers_v})
            mark = "" if t.test == "chi2" else "ᶠ"
            cells += [f"{fmt_num(t.p, 3)}{mark}", fmt_num(t.cramers_v, 2)]
        else:
            cells += ["–", "–"]
        data_rows.append(rec)
        md_rows.append(cells)
    header = ["Antwoord", *[_with_base(cls, comparisons) for cls in classes], "p", "V"]
    md = pipe_table(header, md_rows, ["l"] + ["r"] * (len(classes) + 2))
    return pd.DataFrame(data_rows), md


# --------------------------------------------------------------------------- numbers

def _record_multiple(ns: NumberSet, q: Question, table: pd.DataFrame, comparisons,
                     weighted: bool) -> None:
    n = int(table["basis"].iloc[0])
    ns.count(f"{q.id}.basis", n, f"Aantal gemeenten dat vraag {q.id} beantwoordde")
    for r in table.to_dict("records"):
        base = f"{q.id}.{r['optie']}"
        ns.percent(base, r["aantal"], n, f"Aandeel gemeenten dat ‘{r['label']}’ aankruiste "
                                          f"(vraag {q.id})")
        ns.share(f"{base}_ci_laag", r["ci_laag"], f"Ondergrens 95%-Wilson-interval, {base}")
        ns.share(f"{base}_ci_hoog", r["ci_hoog"], f"Bovengrens 95%-Wilson-interval, {base}")
        if weighted:
            ns.share(f"{base}_gewogen", r["pct_cases_gewogen"],
                     f"Aandeel ‘{r['label']}’ na weging naar grootteklasse (vraag {q.id})")
    top = table.sort_values(["aantal", "optie"], ascending=[False, True]).iloc[0]
    ns.text(f"{q.id}.meest_genoemd", top["label"], f"Meest gekozen antwoord op vraag {q.id}")
    groups = sorted({g for g in table["groep"] if g})
    if groups:
        for g in groups:
            cols = [f"{q.id}_{o}" for o in table.loc[table["groep"] == g, "optie"]]
            ns_key = f"{q.id}.groep_{slug(g)}"
            ns.percent(ns_key, int(table.attrs["groep_aantal"][g]), n,
                       f"Aandeel gemeenten met minstens één {g} motief (vraag {q.id}; "
                       f"opties: {', '.join(c.split('_', 1)[1] for c in cols)})")
    for c in comparisons:
        if c.test is None:
            continue
        base = f"{q.id}.{c.option}_grootte"
        t = c.test
        desc = (f"Verband tussen grootteklasse en ‘{c.label}’ (vraag {q.id}; "
                f"{'chi-kwadraattoets' if t.test == 'chi2' else 'exacte toets van Fisher'})")
        key = ns.statistic(f"{base}_toets", t.statistic, t.p, desc, test=t.test if t.test ==
                           "chi2" else "fisher", df=t.df, n=t.n)
        if t.test == "fisher":
            entry = ns.numbers[key]
            entry["display"] = (f"χ²({t.df})\u00a0=\u00a0{fmt_num(t.statistic, 2)}; exacte "
                                f"p\u00a0{'<' if t.p < 0.001 else '='}\u00a0"
                                f"{'0,001' if t.p < 0.001 else fmt_num(t.p, 3)}")
            entry["exact"] = "Fisher (Monte Carlo, 9999 trekkingen)" if t.df > 1 else "Fisher"
        ns.value(f"{base}_v", t.cramers_v, f"Cramér's V, {desc}", decimals=2,
                 kind="effect_size")


def _record_categorical(ns: NumberSet, q: Question, table: pd.DataFrame,
                        weighted: bool) -> None:
    n = int(table["basis"].iloc[0])
    ns.count(f"{q.id}.basis", n, f"Aantal gemeenten dat vraag {q.id} beantwoordde")
    for r in table.to_dict("records"):
        name = f"{q.id}.{slug(r['label'])}"
        ns.percent(name, r["aantal"], n, f"Aandeel ‘{r['label']}’ (vraag {q.id})")
        if weighted:
            ns.share(f"{name}_gewogen", r["pct_gewogen"],
                     f"Aandeel ‘{r['label']}’ na weging naar grootteklasse (vraag {q.id})")
    top = table.sort_values(["aantal", "code"], ascending=[False, True]).iloc[0]
    ns.text(f"{q.id}.meest_gekozen", top["label"], f"Meest gekozen antwoord op vraag {q.id}")


def _record_number(ns: NumberSet, q: Question, values: pd.Series) -> None:
    v = values.dropna().astype(float)
    ns.count(f"{q.id}.basis", len(v), f"Aantal gemeenten dat vraag {q.id} beantwoordde")
    if not len(v):
        return
    if q.minimum is not None and q.minimum >= 1000:
        _record_year(ns, q, v)
        return
    d = max(q.decimals, 1)
    ns.value(f"{q.id}.mediaan", float(v.median()), f"Mediaan, vraag {q.id}", decimals=d)
    ns.value(f"{q.id}.gemiddelde", float(v.mean()), f"Gemiddelde, vraag {q.id}", decimals=d)
    ns.value(f"{q.id}.maximum", float(v.max()), f"Hoogste waarde, vraag {q.id}",
             decimals=q.decimals)


YEAR_THRESHOLDS = (2000, 2015, 2020)


def _record_year(ns: NumberSet, q: Question, years: pd.Series) -> None:
    """A year question: shares from given years on, and the median year as a label.

    A year is printed without a thousands dot (2016, not 2.016), which the registry's
    number form would add; shares and a text label avoid that and say more anyway.
    """
    median = int(years.quantile(0.5, interpolation="lower"))
    ns.text(f"{q.id}.mediaan", str(median), f"Mediaan jaartal (vraag {q.id})")
    for start in YEAR_THRESHOLDS:
        ns.percent(f"{q.id}.vanaf_{start}", int((years >= start).sum()), len(years),
                   f"Aandeel antwoorden op vraag {q.id} met een jaar vanaf {start}")


def analyse_section(book: Codebook, section: str, survey: pd.DataFrame,
                    sizes: pd.Series, weights: pd.Series | None,
                    root: str | Path = ".") -> NumberSet:
    """Write every table and figure of ``section``; return its numbers (not yet written)."""
    root = Path(root)
    weighted = weights is not None
    ns = NumberSet(section)
    likert_items: list[tuple[str, pd.DataFrame, Question]] = []
    classes = size_class_order(include_unknown=True)
    tested = size_class_order(include_unknown=False)
    for q in book.in_section(section):
        stem = root / "results/tables" / file_stem(q.id)
        fig = root / "results/figures" / f"{file_stem(q.id)}.svg"
        if q.type == "multiple":
            table = mrq_table(survey, q, weights)
            cases = survey.loc[answered_mask(survey, q)]
            table.attrs["groep_aantal"] = {
                g: int(cases[[f"{q.id}_{o.code}" for o in q.options if o.group == g]]
                       .astype(int).max(axis=1).sum())
                for g in {o.group for o in q.options if o.group}}
            write_table(table, _mrq_markdown(table, weighted), f"{stem}.csv", f"{stem}.md")
            _bar_figure(list(table["label"]), list(table["pct_cases"]), list(table["ci_laag"]),
                        list(table["ci_hoog"]), fig, "Percentage van de gemeenten (95%-BI)")
            shown = [c for c in classes if (sizes.loc[cases.index] == c).any()]
            comparisons = by_group(survey, q, sizes, shown, tested)
            data, md = _by_size_frames(comparisons, shown)
            write_table(data, md, f"{stem}-grootteklasse.csv", f"{stem}-grootteklasse.md")
            _record_multiple(ns, q, table, comparisons, weighted)
        elif q.type == "single":
            table = categorical_table(survey, q, weights)
            write_table(table, _categorical_markdown(table, weighted), f"{stem}.csv",
                        f"{stem}.md")
            _bar_figure(list(table["label"]), list(table["pct"]), list(table["ci_laag"]),
                        list(table["ci_hoog"]), fig, "Percentage van de gemeenten (95%-BI)")
            _record_categorical(ns, q, table, weighted)
        elif q.type == "likert":
            table = categorical_table(survey, q, weights)
            likert_items.append((q.text, table, q))
            s = likert_summary(survey, book, q)
            ns.count(f"{q.id}.basis", s["basis"], f"Aantal gemeenten met een oordeel over "
                                                  f"stelling {q.id} (zonder ‘weet niet’)")
            if s["basis"]:
                ns.percent(f"{q.id}.eens", s["eens"], s["basis"],
                           f"Aandeel (helemaal) mee eens met stelling {q.id}: ‘{q.text}’")
                ns.percent(f"{q.id}.oneens", s["oneens"], s["basis"],
                           f"Aandeel (helemaal) mee oneens met stelling {q.id}: ‘{q.text}’")
        elif q.type == "number":
            _record_number(ns, q, survey[q.id])
    if likert_items:
        rows, md_rows = [], []
        for text, table, q in likert_items:
            rec = {"vraag": q.id, "stelling": text}
            cells = [escape_markdown(text)]
            for r in table.to_dict("records"):
                rec[f"{r['label']} aantal"] = r["aantal"]
                cells.append(fmt_pct(r["pct"], 0))
            rec["basis"] = int(table["basis"].iloc[0])
            cells.append(fmt_num(rec["basis"]))
            rows.append(rec)
            md_rows.append(cells)
        header = ["Stelling", *[r["label"] for r in likert_items[0][1].to_dict("records")],
                  "Basis"]
        md = pipe_table(header, md_rows, ["l"] + ["r"] * (len(header) - 1))
        stem = root / "results/tables" / f"enquete-{section}-stellingen"
        write_table(pd.DataFrame(rows), md, f"{stem}.csv", f"{stem}.md")
        _likert_figure([(t, tb) for t, tb, _ in likert_items],
                       root / "results/figures" / f"enquete-{section}-stellingen.svg")
    return ns


def size_series(survey: pd.DataFrame, register: pd.DataFrame) -> pd.Series:
    """The size class of each respondent's municipality (``onbekend`` if not known)."""
    lookup = register.set_index("gemeentecode")["grootteklasse"]
    return survey["gemeentecode"].map(lookup).fillna(UNKNOWN_SIZE)
