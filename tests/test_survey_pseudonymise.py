"""Personal data never leaves the first step: planted identifiers are searched for in
every file the survey analyses write."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.codebook import load_codebook  # noqa: E402
from analysis.pseudonymise import REDACTED, scrub_text  # noqa: E402
from analysis.questionnaire import questionnaire_markdown  # noqa: E402
from analysis.register import load_register  # noqa: E402
from analysis.survey_prep import prepare  # noqa: E402
from analysis.survey_sections import (  # noqa: E402
    analyse_section,
    analysed_sections,
    section_outputs,
    size_series,
)

EXPORT = ROOT / "data/raw/survey/export.csv"
NAME = "Jozefien Planteveld"
EMAIL = "j.planteveld@geheim.example"
IP = "203.0.113.77"
STAMP = "2024-03-05 13:37:42"
PHONE = "06-98765432"
PLANTED = ("Planteveld", "Jozefien", "geheim.example", IP, "13:37:42", "98765432")


def planted_export(dest: Path) -> Path:
    """The committed export with identifiers planted in every row, also in free text."""
    with open(EXPORT, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, records = list(reader.fieldnames or []), list(reader)
    for i, r in enumerate(records):
        r.update(naam=NAME, email=EMAIL, ip_adres=IP, gestart=STAMP,
                 ingediend=f"2024-03-{5 + i % 20:02d} 13:37:42")
        r["slot_opmerkingen"] = (f"Mail {EMAIL} of bel {PHONE}; groet, {NAME} "
                                 f"(vanaf {IP})")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(buf.getvalue(), encoding="utf-8")
    return dest


def leaks(root: Path) -> list[str]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        found += [f"{path.relative_to(root)}: {s}" for s in PLANTED if s in text]
    return found


def test_scrub_text_removes_contact_details_and_names():
    text = f"Mail {EMAIL}, bel {PHONE} of +31 6 1234 5678, zie www.voorbeeld.example/x; {NAME}"
    out = scrub_text(text, [NAME])
    assert EMAIL not in out and PHONE not in out and "1234 5678" not in out
    assert "Planteveld" not in out and "Jozefien" not in out and "voorbeeld" not in out
    assert out.count(REDACTED) >= 5


def test_no_identifier_reaches_any_output(tmp_path):
    book = load_codebook(ROOT / "data/raw/survey/codebook.yaml")
    register = load_register(ROOT / "data/raw/gemeenten-2024.csv")
    raw = planted_export(tmp_path / "raw/export.csv")
    assert all(s in raw.read_text(encoding="utf-8") for s in PLANTED)  # planted indeed
    data, _, _ = prepare(raw, book, set(register["gemeentecode"]))
    out = tmp_path / "out"
    for sub in ("results/data", "results/tables", "results/figures", "results/fragments"):
        (out / sub).mkdir(parents=True)
    (out / "results/data/survey.csv").write_text(data.to_csv(index=False), encoding="utf-8")
    sizes = size_series(data, register)
    for section in analysed_sections(book):
        ns = analyse_section(book, section, data, sizes, None, out)
        ns.write(out / f"results/numbers/{section}.json", {"rule": "test"})
    (out / "results/fragments/vragenlijst.md").write_text(questionnaire_markdown(book))
    assert len(list(out.rglob("*.svg"))) > 10
    assert not leaks(out)
    # The analyses write exactly what the workflow declares (section_outputs).
    declared = {p for s in analysed_sections(book) for kind in ("numbers", "tables", "figures")
                for p in section_outputs(book, s)[kind]}
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
               and p.parent.name in ("numbers", "tables", "figures")}
    assert written == declared
    assert not {"naam", "email", "ip_adres", "gestart", "ingediend"} & set(data.columns)


@pytest.mark.e2e
def test_no_identifier_reaches_any_output_of_the_workflow(tmp_path):
    """The survey stage run by Snakemake in a copy of the project, planted export in."""
    work = tmp_path / "project"
    for rel in ("analysis", "proefdruk", "config", "workflow/rules", "data/raw/survey",
                "report"):
        shutil.copytree(ROOT / rel, work / rel, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "data/raw/gemeenten-2024.csv", work / "data/raw/gemeenten-2024.csv")
    shutil.copy(ROOT / "environment.yml", work / "environment.yml")
    planted_export(work / "data/raw/survey/export.csv")
    (work / "Snakefile").write_text(
        'configfile: "config/config.yaml"\n'
        'from proefdruk.config_schema import validate_config\n'
        'validate_config(config, workflow.basedir)\n'
        'LOGS = "logs"\nBENCH = "benchmarks"\n'
        'include: "workflow/rules/survey.smk"\n'
        'from proefdruk.rule_code import add_code_inputs\n'
        'add_code_inputs(workflow)\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PYTHONPATH"] = str(work)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run([sys.executable, "-m", "snakemake", "-c2", "survey_all"],
                            cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    for folder in ("results", "logs", "benchmarks"):
        assert not leaks(work / folder), folder


@pytest.mark.e2e
def test_no_identifier_of_the_export_reaches_results_or_book(clean_build):
    """The shared clean build: every name, e-mail, IP address and time stamp in the
    committed export is searched for in every file under results/ and _book/."""
    with open(clean_build / "data/raw/survey/export.csv", encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    needles = set()
    for r in records:
        needles |= {r["naam"], r["email"], r["ip_adres"], r["gestart"], r["ingediend"]}
    needles = {n for n in needles if n}
    assert len(needles) > 3 * len(records) // 2
    hits = []
    for folder in ("results", "_book"):
        files = sorted(p for p in (clean_build / folder).rglob("*") if p.is_file())
        assert files, f"{folder}/ is empty: nothing was searched"
        for path in files:
            text = path.read_bytes().decode("utf-8", errors="replace")
            hits += [f"{path.relative_to(clean_build)}: {n}" for n in needles if n in text]
    assert (clean_build / "results/notices/survey.json").exists()
    assert not hits, hits[:20]
