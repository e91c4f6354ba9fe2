"""The analysis stages as their outputs pages describe them (see analysis/outputs_doc.py).

What the provenance records and numbers files cannot say lives here: a stage's title and
how to use its outputs, each step's title, and what a figure or table shows. The survey's
steps and files follow from the codebook, so a question added there appears on the page
without an edit here; the document stage's few files are described by hand.
"""

from __future__ import annotations

from pathlib import Path

from analysis.codebook import Codebook, load_codebook
from analysis.outputs_doc import Stage, Step
from analysis.survey_layout import analysed_sections, file_stem

USAGE = (
    "Gebruik in een hoofdstuk (zie `docs/contracts.md`): een getal als",
    "`{{< num sleutel >}}`, een figuur als",
    "`![Bijschrift.](../results/figures/<naam>){#fig-<label> fig-alt=\"…\"}` (zonder extensie),",
    "een tabel of fragment als `{{< include ../results/tables/<naam>.md >}}` gevolgd door",
    "`: Bijschrift. {#tbl-<label>}`. Eén uitvoer opnieuw maken: `snakemake <bestand>`.",
)


# Analysis rules documented elsewhere than on an outputs page.
ELSEWHERE = {"study_claims": "docs/claims.md"}


def stages(root: Path) -> list[Stage]:
    """Every stage with an outputs page, in the order the book uses them."""
    return [survey_stage(load_codebook(root / "data/raw/survey/codebook.yaml")),
            DOCUMENTS]


def survey_stage(book: Codebook) -> Stage:
    """The survey stage: one step per codebook section with analysed questions."""
    steps = [
        Step("survey_prepare", "Voorbereiding",
             ("Gevalideerde, gepseudonimiseerde antwoorden: de invoer van elke stap hieronder.",)),
        Step("survey_response", "Respons",
             ("Respons met 95%-betrouwbaarheidsinterval per provincie en grootteklasse;",
              "stippellijn in de figuren: de totale respons.")),
        Step("survey_questionnaire", "Bijlage: de vragenlijst",
             ("De vragenlijst uit het codeboek (vragen, antwoordcodes, routering), met kopjes",
              "van niveau 2 (de bijlage zelf heeft niveau 1).")),
    ]
    meanings = {
        "results/figures/respons-provincie.svg": "Respons per provincie",
        "results/figures/respons-grootteklasse.svg": "Respons per grootteklasse",
        "results/tables/respons-provincie.md":
            "Per provincie: aangeschreven, respons, volledig, %, BI",
        "results/tables/respons-grootteklasse.md":
            "Per grootteklasse: aangeschreven, respons, volledig, %, BI",
        "results/fragments/vragenlijst.md": "De vragenlijst als bijlage",
        "results/data/survey.csv": "Eén rij per gemeente: de gevalideerde antwoorden",
        "results/data/survey-summary.json": "Telling van de export: inzendingen, dubbelingen",
    }
    for section in analysed_sections(book):
        about = [f"- `{q.id}` ({q.type}): {q.text}" for q in book.in_section(section)]
        steps.append(Step(f"survey_{section}", book.section_title(section), tuple(about)))
        for q in book.in_section(section):
            stem = file_stem(q.id)
            meanings[f"results/figures/{stem}.svg"] = f"Staafdiagram met 95%-interval: {q.text}"
            meanings[f"results/tables/{stem}.md"] = (
                f"Per antwoord aantal, % van wie de vraag beantwoordde, 95%-Wilson-interval: "
                f"{q.text}")
            meanings[f"results/tables/{stem}-grootteklasse.md"] = (
                f"% per grootteklasse met p (ᶠ = exacte toets van Fisher) en Cramér's V: {q.text}")
        meanings[f"results/figures/enquete-{section}-stellingen.svg"] = (
            "Verdeling van de stellingen over de antwoordschaal")
        meanings[f"results/tables/enquete-{section}-stellingen.md"] = (
            "Per stelling de verdeling over de antwoordschaal")
    return Stage(
        name="survey",
        title="Uitvoer van de enquête (survey stage)",
        intro=("**De enquêtegegevens zijn synthetisch** (zie `data/README.md`, Enquête); elke",
               "editie toont dat via `results/notices/survey.json`.", "", *USAGE),
        steps=tuple(steps),
        meanings=meanings,
    )


DOCUMENTS = Stage(
    name="documents",
    title="Uitvoer van de documentanalyses (partnerschappen en beleidsnota's)",
    intro=("Wat `workflow/rules/documents.smk` en `workflow/rules/register.smk` maken. De",
           "gegevens zijn grotendeels **synthetisch** (zie `data/README.md`, Documenten), en",
           "elke editie meldt dat via `results/notices/documents.json`.", "", *USAGE),
    steps=(
        Step("documents_validate_partnerships", "Register van stedenbanden"),
        Step("documents_extract_notes", "Corpus beleidsnota's"),
        Step("documents_partnerships", "Partnerschappen"),
        Step("documents_note_coverage", "Beleidsnota's per grootteklasse en periode",
             ("Een grootteklasse zonder gemeenten in het register krijgt geen getal;",
              "`onbekend`: inwonertal nog niet in het register.")),
        Step("documents_motives", "Motieven in de nota's (woordenboekcodering)",
             ("Meervoudig: de aandelen per motief tellen niet op tot 100 %.",)),
        Step("documents_agreement", "Nota's tegenover de enquête",
             ("Vergelijkt per gemeente de motieven in haar nota's vanaf",
              "`documents.agreement_from` (standaard 2015) met haar antwoord op enquêtevraag",
              "`mot` (motiefgroepen uit het codeboek) en het hoofdmotief van haar recentste",
              "nota met `mot_zwaarst`. Een κ die niet bestaat (één van beide coderingen",
              "constant) krijgt geen getal.")),
        Step("register_sources", "Gemeenteregister",
             ("De herkomst van het register, voor de bijlage over de gegevens.",)),
    ),
    meanings={
        "results/data/partnerschappen.csv": "Gevalideerd register op gemeentegrenzen 2024",
        "results/data/beleidsnotas.csv": "Metadata en geëxtraheerde tekst per nota",
        "results/data/documentmotieven.csv":
            "Per nota: tokens, treffers en aanwezigheid per motief, hoofdmotief",
        "results/figures/partnerschappen-tijdlijn.svg":
            "Aangegane partnerschappen per decennium (1945–2025), gestapeld naar partnerregio",
        "results/figures/documentmotieven-periode.svg":
            "Aandeel beleidsnota's waarin elk motief voorkomt, per periode van tien jaar",
        "results/tables/partnerschappen-decennium.md":
            "Aantal aangegane partnerschappen per decennium en partnerregio, met totaal",
        "results/tables/partnerschappen-regio.md":
            "Per partnerregio: aantal, aandeel en eerste beginjaar",
        "results/tables/partnerschappen-bronnen.md":
            "De echte (niet-synthetische) partnerschappen met hun openbare bron",
        "results/tables/nota-dekking.md":
            "Aandeel gemeenten met een beleidsnota, naar grootteklasse en periode",
        "results/tables/documentmotieven-periode.md":
            "Per periode: aantal nota's en aandeel nota's per motief",
        "results/tables/overeenstemming-motieven.md":
            "Per motief: gemeenten in beide bronnen, kruistabel nota × enquête, "
            "overeenstemming, κ en p; plus het hoofdmotief",
        "results/tables/register-kolommen.md":
            "Per kolom: inhoud, bron en datum van ophalen",
        "results/tables/register-bronnen.md":
            "Per bron van de inwonertallen: pagina, wat zij vermeldt, gemeenten, provincies",
        "results/tables/register-provincies.md":
            "Per provincie: gemeenten met en zonder inwonertal, en de som als die volledig is",
    },
)
