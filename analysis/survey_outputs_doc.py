"""Write docs/outputs-survey.md: every survey figure, table, fragment and number key.

The chapter author needs one page listing what the survey stage produces and what each
key means. Generated from the codebook (output names) and the numbers files (Dutch
descriptions), so the list cannot drift from what the rules write. Run after the survey
targets are built::

    python -m analysis.survey_outputs_doc
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis.codebook import load_codebook
from analysis.survey_sections import analysed_sections, section_outputs
from proefdruk.provenance import atomic_write_text

ROOT = Path(__file__).resolve().parent.parent


def build(root: Path = ROOT) -> str:
    book = load_codebook(root / "data/raw/survey/codebook.yaml")
    out = [
        "# Uitvoer van de enquête (survey stage)",
        "",
        "Gegenereerd door `python -m analysis.survey_outputs_doc` uit het codeboek en de",
        "getallenbestanden; niet met de hand bewerken. **De enquêtegegevens zijn synthetisch**",
        "(zie `data/README.md`, Enquête); elke editie toont dat via `results/notices/survey.json`.",
        "",
        "Gebruik in een hoofdstuk (zie `docs/contracts.md`):",
        "",
        "```",
        "{{< num respons.percentage >}}",
        "![Bijschrift.](../results/figures/enquete-mot){#fig-motieven fig-alt=\"…\"}",
        "{{< include ../results/tables/enquete-mot.md >}}",
        "",
        ": Bijschrift. {#tbl-motieven}",
        "{{< include ../results/fragments/vragenlijst.md >}}",
        "```",
        "",
        "Tabellen `enquete-<vraag>.md`: per antwoord aantal, percentage van de gemeenten die de",
        "vraag beantwoordden, 95%-Wilson-interval en (bij meerantwoordvragen) percentage van alle",
        "antwoorden. `enquete-<vraag>-grootteklasse.md`: percentage per grootteklasse met p",
        "(ᶠ = exacte toets van Fisher) en Cramér's V. Figuren: staafdiagram met 95%-interval;",
        "`enquete-<sectie>-stellingen.svg`: verdeling over de antwoordschaal.",
        "",
        "## Respons (`survey_response`)",
        "",
        "- Figuren: `results/figures/respons-provincie.svg`, "
        "`results/figures/respons-grootteklasse.svg` (respons met 95%-BI; stippellijn: totaal).",
        "- Tabellen: `results/tables/respons-provincie.md`, "
        "`results/tables/respons-grootteklasse.md` (aangeschreven, respons, volledig, %, BI).",
        "",
    ]
    out += _keys(root / "results/numbers/respons.json")
    out += ["## Bijlage (`survey_questionnaire`)", "",
            "- Fragment: `results/fragments/vragenlijst.md`: de vragenlijst uit het codeboek "
            "(vragen, antwoordcodes, routering), met kopjes van niveau 2 (de bijlage zelf "
            "heeft niveau 1).", ""]
    for section in analysed_sections(book):
        outs = section_outputs(book, section)
        out += [f"## {book.section_title(section)} (`survey_{section}`)", ""]
        for q in book.in_section(section):
            out.append(f"- `{q.id}` ({q.type}): {q.text}")
        out += ["", "Figuren:", ""]
        out += [f"- `{f}`" for f in outs["figures"]]
        out += ["", "Tabellen:", ""]
        out += [f"- `{t}`" for t in outs["tables"] if t.endswith(".md")]
        out.append("")
        out += _keys(root / outs["numbers"][0])
    return "\n".join(out).rstrip() + "\n"


def _keys(path: Path) -> list[str]:
    if not path.exists():
        return [f"*(nog niet gebouwd: `{path.name}`)*", ""]
    numbers = json.loads(path.read_text(encoding="utf-8"))["numbers"]
    lines = [f"Getallen (`{path.relative_to(path.parents[2]).as_posix()}`):", "",
             "| sleutel | betekenis | nu (synthetisch) |", "| --- | --- | --- |"]
    for key, entry in numbers.items():
        desc = entry["description"].replace("|", "\\|")
        lines.append(f"| `{key}` | {desc} | {entry['display'].replace('|', '/')} |")
    return lines + [""]


def main() -> None:
    target = ROOT / "docs/outputs-survey.md"
    atomic_write_text(target, build())
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
