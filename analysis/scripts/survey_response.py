"""Rule `survey_response`: response rates by province and size class, representativeness.

Writes results/numbers/respons.json, the tables respons-provincie and
respons-grootteklasse (csv + md), their figures and the provenance record.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import house_style as hs
from analysis.codebook import load_codebook
from analysis.register import PROVINCES, UNKNOWN_SIZE, load_register, size_class_order
from analysis.response import rate_by, representativeness, response_frame
from analysis.survey_prep import latest_wave, load_prepared, wave_param
from analysis.tables import fmt_ci, fmt_num, fmt_pct, pipe_table, write_table
from proefdruk.api import (
    NumberSet,
    escape_markdown,
    run,
    snakemake_or_cli,
    step_record,
    write_step_record,
)

smk = snakemake_or_cli(globals())


def rate_markdown(table: pd.DataFrame, first: str) -> str:
    header = [first, "Aangeschreven", "Respons", "Volledig", "Respons (%)", "95%-BI"]
    rows = [[escape_markdown(r["groep"]) if r["groep"] != "Totaal" else "**Totaal**",
             fmt_num(r["aangeschreven"]), fmt_num(r["respons"]), fmt_num(r["volledig"]),
             fmt_pct(r["pct"]), fmt_ci(r["ci_laag"], r["ci_hoog"])]
            for r in table.to_dict("records")]
    return pipe_table(header, rows, ["l", "r", "r", "r", "r", "r"])


def rate_figure(table: pd.DataFrame, overall: float, path: str) -> None:
    part = table[table["groep"] != "Totaal"]
    fig, ax = hs.new_figure(0.6 + 0.28 * len(part), grid="x")
    y = np.arange(len(part))[::-1]
    err = np.array([part["pct"] - part["ci_laag"], part["ci_hoog"] - part["pct"]])
    ax.barh(y, part["pct"], color=hs.PRIMARY, height=0.62)
    ax.errorbar(part["pct"], y, xerr=err, fmt="none", ecolor="#333333", elinewidth=0.8,
                capsize=2)
    ax.axvline(overall, color="#000000", linewidth=0.8, linestyle="--")
    # each bar says how many municipalities it rests on
    ax.set_yticks(y, [f"{g} (n\u00a0=\u00a0{n})"
                      for g, n in zip(part["groep"], part["aangeschreven"], strict=True)])
    ax.set_xlim(0, 1)
    hs.percent_axis(ax, "x", shares=True)
    ax.set_xlabel("Respons (95%-BI); stippellijn: totaal")
    ax.tick_params(axis="y", length=0)
    hs.save_svg(fig, path)


def record_test(ns: NumberSet, name: str, what: str, test) -> None:
    if test is None:
        return
    desc = f"Representativiteit naar {what}: respons onafhankelijk van {what}"
    key = ns.statistic(name, test.statistic, test.p, desc,
                       test="chi2" if test.test == "chi2" else "fisher", df=test.df, n=test.n)
    if test.test == "fisher":
        ns.numbers[key]["display"] = (
            f"χ²({test.df})\u00a0=\u00a0{fmt_num(test.statistic, 2)}; exacte p\u00a0=\u00a0"
            f"{fmt_num(test.p, 3)}")
    ns.value(f"{name}_v", test.cramers_v, f"Cramér's V, {desc}", decimals=2,
             kind="effect_size")


def main() -> None:
    book = load_codebook(smk.input.codebook)
    register = load_register(smk.input.register)
    survey = latest_wave(load_prepared(smk.input.data, book), wave_param(smk))
    summary = json.loads(Path(smk.input.summary).read_text(encoding="utf-8"))
    record = step_record(smk, __file__)
    frame = response_frame(register, survey, book.export["status_volledig"])
    ns = NumberSet("respons")
    n, k = len(frame), int(frame["respons"].sum())
    ns.count("aangeschreven", n, "Aantal aangeschreven gemeenten (register 1 januari 2024)")
    ns.count("respondenten", k, "Aantal gemeenten dat de vragenlijst (deels) invulde")
    ns.percent("percentage", k, n, "Respons (aandeel aangeschreven gemeenten)")
    ns.count("volledig", int(frame["volledig"].sum()), "Aantal volledig ingevulde vragenlijsten")
    ns.percent("percentage_volledig", int(frame["volledig"].sum()), n,
               "Volledige respons (aandeel aangeschreven gemeenten)")
    ns.count("gedeeltelijk", k - int(frame["volledig"].sum()),
             "Aantal gedeeltelijk ingevulde vragenlijsten")
    ns.count("inzendingen", summary["inzendingen"], "Aantal inzendingen in de ruwe export")
    ns.count("dubbel_verwijderd", summary["dubbel_verwijderd"],
             "Aantal dubbele inzendingen verwijderd volgens de ontdubbelregel")
    ns.count("grootte_onbekend", int((frame["grootteklasse"] == UNKNOWN_SIZE).sum()),
             "Aantal gemeenten zonder inwonertal in het register (grootteklasse onbekend)")

    by_prov = rate_by(frame, "provincie", list(PROVINCES))
    by_size = rate_by(frame, "grootteklasse", size_class_order())
    write_table(by_prov, rate_markdown(by_prov, "Provincie"),
                smk.output.tab_provincie_csv, smk.output.tab_provincie_md)
    write_table(by_size, rate_markdown(by_size, "Grootteklasse (inwoners)"),
                smk.output.tab_grootte_csv, smk.output.tab_grootte_md)
    rate_figure(by_prov, k / n, smk.output.fig_provincie)
    rate_figure(by_size, k / n, smk.output.fig_grootte)
    for r in by_prov.to_dict("records")[:-1]:
        ns.percent(f"provincie.{slug_prov(r['groep'])}", r["respons"], r["aangeschreven"],
                   f"Respons in de provincie {r['groep']}")
    for r in by_size.to_dict("records")[:-1]:
        what = (f"Respons in grootteklasse {r['groep']} inwoners"
                if r["groep"] != UNKNOWN_SIZE
                else "Respons onder gemeenten zonder inwonertal in het register")
        ns.percent(f"grootte.{slug_size(r['groep'])}", r["respons"], r["aangeschreven"], what)
    best = by_prov.iloc[:-1].sort_values(["pct", "groep"], ascending=[False, True]).iloc[0]
    worst = by_prov.iloc[:-1].sort_values(["pct", "groep"], ascending=[True, True]).iloc[0]
    ns.text("provincie.hoogste", best["groep"], "Provincie met de hoogste respons")
    ns.text("provincie.laagste", worst["groep"], "Provincie met de laagste respons")
    record_test(ns, "toets_provincie", "provincie", representativeness(frame, "provincie"))
    record_test(ns, "toets_grootte", "grootteklasse",
                representativeness(frame, "grootteklasse", exclude=(UNKNOWN_SIZE,)))
    ns.write(smk.output.numbers, record)
    write_step_record(smk, record)


def slug_prov(name: str) -> str:
    return name.lower().replace("-", "_").replace("â", "a")


def slug_size(label: str) -> str:
    return {"< 20.000": "tot_20000", "20.000–50.000": "van_20000_tot_50000",
            "50.000–100.000": "van_50000_tot_100000", "> 100.000": "boven_100000",
            "onbekend": "onbekend"}[label]


run(main, smk)
