"""Publishing: immutable versioned edition folders, and the report of what changed
between the edition a committee read and the revised one."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import run_proefdruk, run_snakemake
from proefdruk import changes
from proefdruk.errors import BuildError
from proefdruk.publish import publish


def _edition(root: Path, text: str) -> Path:
    book = root / "_book"
    (book / "media").mkdir(parents=True)
    (book / "index.html").write_text(text, encoding="utf-8")
    (book / "manifest.json").write_text(json.dumps({"x": text}), encoding="utf-8")
    (book / ".snakemake_timestamp").write_text("", encoding="utf-8")
    return book


def test_publish_keeps_every_version_and_never_overwrites_one(tmp_path: Path) -> None:
    book = _edition(tmp_path / "a", "eerste")
    extra = tmp_path / "CITATION.cff"
    extra.write_text("cff-version: 1.2.0\n", encoding="utf-8")
    dest = tmp_path / "published"
    out = publish("1.0", book, [extra], dest)
    assert (out / "index.html").read_text(encoding="utf-8") == "eerste"
    assert (out / "CITATION.cff").is_file() and not (out / ".snakemake_timestamp").exists()
    kept = dest / "manifests/1.0.json"
    assert kept.read_bytes() == (book / "manifest.json").read_bytes()
    # the same content again is fine (idempotent) ...
    publish("1.0", book, [extra], dest)
    # ... other content under the same version is refused, and nothing is touched
    other = _edition(tmp_path / "b", "tweede")
    with pytest.raises(BuildError) as exc:
        publish("1.0", other, [extra], dest)
    assert "already published" in str(exc.value) and "version" in str(exc.value)
    assert (out / "index.html").read_text(encoding="utf-8") == "eerste"
    # a new version sits next to the old one; both manifests are kept
    publish("1.1", other, [extra], dest)
    assert sorted(p.name for p in (dest / "manifests").iterdir()) == ["1.0.json", "1.1.json"]
    assert not list(dest.glob(".*"))


def test_word_diff_reports_only_the_changed_words() -> None:
    old = "De gemeente werkt samen met het Rijk in Brussel".split()
    new = "De gemeente werkt nauw samen met het Rijk in Brussel".split()
    (d,) = changes.word_diff(old, new)
    assert (d["old"], d["new"]) == ("", "nauw")
    assert d["before"].endswith("werkt") and d["after"].startswith("samen")


def test_one_replacement_is_one_change_and_no_context_repeats_old_words() -> None:
    """Issue 31: "zulke formele regelingen" -> "dergelijke formele afspraken" showed as two
    overlapping bullets, the second with the old "zulke" as if it had been kept."""
    old = "In Nederland ontbreken zulke formele regelingen voor gemeenten grotendeels".split()
    new = "In Nederland ontbreken dergelijke formele afspraken voor gemeenten grotendeels".split()
    (d,) = changes.word_diff(old, new)
    assert (d["old"], d["new"]) == ("zulke formele regelingen", "dergelijke formele afspraken")
    assert d["before"] == "In Nederland ontbreken" and d["after"].startswith("voor gemeenten")
    # two changes far apart stay two, and neither one's context holds the other's words
    old = "a b c d e f g h i j k l m n o p".split()
    new = "a X c d e f g h i j k l m n Y p".split()
    first, second = changes.word_diff(old, new)
    assert (first["old"], first["new"], second["old"], second["new"]) == ("b", "X", "o", "Y")
    assert "Y" not in first["after"] and "b" not in second["before"]


def test_table_cells_old_to_new_by_row_label() -> None:
    head = ["Antwoord", "Aantal", "%"]
    old = [head, ["Handel", "110", "68,3 %"], ["Cultuur", "103", "64,0 %"]]
    new = [head, ["Cultuur", "103", "64,0 %"], ["Handel", "109", "68,1 %"]]
    cells, total = changes.table_cells(old, new)
    assert total == 2
    assert cells == [{"row": "Handel", "column": "Aantal", "old": "110", "new": "109"},
                     {"row": "Handel", "column": "%", "old": "68,3 %", "new": "68,1 %"}]


def test_since_takes_a_version_or_either_manifest_of_a_published_edition(
        tmp_path: Path) -> None:
    folder = tmp_path / "published/0.1"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    kept = tmp_path / "published/manifests/0.1.json"
    kept.parent.mkdir()
    kept.write_text("{}", encoding="utf-8")
    assert changes.resolve_since("0.1", tmp_path) == (folder / "manifest.json", folder)
    # the kept manifest (what README said to give) finds the pages next to it
    assert changes.resolve_since(kept, tmp_path) == (kept, folder)
    assert changes.resolve_since(folder / "manifest.json", tmp_path) == \
        (folder / "manifest.json", folder)
    with pytest.raises(BuildError) as exc:
        changes.resolve_since("0.2", tmp_path)
    assert "no published edition 0.2" in str(exc.value) and "0.1" in str(exc.value)


def _flip_one_answer(export: Path) -> str:
    """Flip one 0/1 answer of one complete response; returns the column changed."""
    raw = export.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    col = rows[0].index("mot_handel")
    status = rows[0].index("status")
    row = next(r for r in rows[1:] if r[status] == "volledig" and r[col] == "1")
    row[col] = "0"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    export.write_text(buf.getvalue(), encoding="utf-8")
    return rows[0][col]


@pytest.mark.e2e
def test_changes_lists_exactly_the_changed_numbers_figure_and_sentence(
        clean_build: Path, tmp_path: Path) -> None:
    """The e2e scenario: edition 0.1 published with `snakemake publish`, one survey answer
    flipped (numbers, a table and a figure change), one word added and one phrase
    reworded; then `proefdruk changes --since 0.1`, and publishing 0.2 links the report."""
    import numpy as np
    from PIL import Image

    work = tmp_path / "project"
    shutil.copytree(clean_build, work, symlinks=True)
    result = run_snakemake(work, "publish")
    assert result.returncode == 0, result.stderr[-4000:]
    old_site = work / "published/0.1"
    assert (old_site / "manifest.json").is_file()
    numbers_before = json.loads((work / "results/numbers.json").read_text(encoding="utf-8"))
    figures_before = {p.name: p.read_bytes() for p in (work / "results/figures").glob("*.svg")}

    _flip_one_answer(work / "data/raw/survey/export.csv")
    chapter = work / "chapters/07-samenspel.qmd"
    text = chapter.read_text(encoding="utf-8")
    assert "in de praktijk?" in text and "zulke formele regelingen" in text
    text = text.replace("in de praktijk?", "in de dagelijkse praktijk?", 1)
    text = text.replace("zulke formele regelingen", "dergelijke formele afspraken", 1)
    chapter.write_text(text, encoding="utf-8")
    result = run_snakemake(work, "all")
    assert result.returncode == 0, result.stderr[-4000:]
    result = run_proefdruk(work, "changes", "--since", "0.1")
    assert result.returncode == 0, result.stderr[-4000:]

    numbers_after = json.loads((work / "results/numbers.json").read_text(encoding="utf-8"))
    changed_keys = sorted(k for k in set(numbers_before) | set(numbers_after)
                          if (numbers_before.get(k) or {}).get("display")
                          != (numbers_after.get(k) or {}).get("display")
                          or (numbers_before.get(k) or {}).get("value")
                          != (numbers_after.get(k) or {}).get("value"))
    changed_figures = sorted(
        f"results/figures/{p.name}" for p in (work / "results/figures").glob("*.svg")
        if figures_before.get(p.name) != p.read_bytes())
    assert changed_keys and "results/figures/enquete-mot.svg" in changed_figures

    ch = changes.compare("0.1", work)
    assert [n["key"] for n in ch.numbers] == changed_keys
    assert [f["path"] for f in ch.figures] == changed_figures
    book = json.loads((work / "results/render/book.json").read_text(encoding="utf-8"))
    href = next(c["href"] for c in book["chapters"] if c["source"].endswith("07-samenspel.qmd"))
    assert [p["page"] for p in ch.prose] == [href]
    added, reworded = ch.prose[0]["passages"]
    assert (added["old"], added["new"]) == ("", "dagelijkse")
    assert (reworded["old"], reworded["new"]) == ("zulke formele regelingen",
                                                  "dergelijke formele afspraken")
    assert added["place"] == {"label": "Hoofdstuk 7", "href": f"{href}#sec-samenspel"}
    assert reworded["place"] == {"label": "Hoofdstuk 7, §7.1", "href": f"{href}#sec-kanalen"}
    assert ch.references == {"toegevoegd": [], "verwijderd": []}
    assert ch.notes == []
    # the table: CSV and Markdown as one item, the changed cells old -> new, its place
    mot = next(t for t in ch.tables if t["path"] == "results/tables/enquete-mot")
    assert mot["files"] == ["results/tables/enquete-mot.csv", "results/tables/enquete-mot.md"]
    assert mot["label"] == "Tabel 5.1"
    handel = {c["column"]: c for c in mot["cells"]
              if c["row"].startswith("Bevorderen van handel")}
    assert int(handel["Aantal"]["old"]) - int(handel["Aantal"]["new"]) == 1
    assert handel["% van gemeenten"]["old"] == numbers_before["motieven.mot.handel"]["display"]
    assert handel["% van gemeenten"]["new"] == numbers_after["motieven.mot.handel"]["display"]
    assert mot["places"][0]["label"].startswith("Hoofdstuk 5, §5.")
    assert mot["places"][0]["href"].endswith("05-motieven.html#tbl-mot")
    assert [t["path"] for t in ch.tables] == sorted({t["path"] for t in ch.tables})
    # the figure: placed, the numbers behind it that changed
    fig = next(f for f in ch.figures if f["path"] == "results/figures/enquete-mot.svg")
    assert fig["label"] == "Figuur 5.2" and fig["places"][0]["href"].endswith("#fig-mot")
    assert "motieven.mot.handel" in [n["key"] for n in fig["numbers"]]

    out = work / "results/changes"
    report = (out / "wijzigingen.md").read_text(encoding="utf-8")
    assert "~~zulke formele regelingen~~ **dergelijke formele afspraken**" in report
    assert report.count("dergelijke formele afspraken") == 1
    assert f"[Hoofdstuk 7, §7.1](../../_book/{href}#sec-kanalen)" in report
    assert f"| Aantal | {handel['Aantal']['old']} | {handel['Aantal']['new']} |" in report
    assert "**dagelijkse**" in report and changed_keys[0] in report
    page = (out / "wijzigingen.html").read_text(encoding="utf-8")
    assert page.count("<ins>dagelijkse</ins>") == 1
    assert f'href="../../_book/{href}#sec-kanalen"' in page
    assert (out / "figuren/oud/enquete-mot.svg").read_bytes() == \
        figures_before["enquete-mot.svg"]
    assert (out / "figuren/nieuw/enquete-mot.svg").is_file()
    # the moved bar is outlined in red on the difference image, shown in the report
    outline = out / "figuren/verschil/enquete-mot.png"
    assert 'src="figuren/verschil/enquete-mot.png"' in page
    pixels = np.asarray(Image.open(outline).convert("RGB"))
    assert (pixels == (213, 0, 0)).all(axis=2).sum() > 20
    # README's form, the kept manifest, gives the same full report
    again = changes.compare("published/manifests/0.1.json", work)
    assert again.prose == ch.prose and again.notes == []

    # publishing the revision puts the report in its folder and links it from the site
    quarto = work / "_quarto.yml"
    quarto.write_text(quarto.read_text(encoding="utf-8").replace('version: "0.1"',
                                                                 'version: "0.2"'),
                      encoding="utf-8")
    result = run_snakemake(work, "publish")
    assert result.returncode == 0, result.stderr[-4000:]
    new_site = work / "published/0.2"
    home = (new_site / "index.html").read_text(encoding="utf-8")
    assert 'href="wijzigingen/index.html">Wijzigingen sinds versie 0.1</a>' in home
    report_page = (new_site / "wijzigingen/index.html").read_text(encoding="utf-8")
    assert f'href="../{href}#sec-kanalen"' in report_page
    assert (new_site / "wijzigingen/figuren/verschil/enquete-mot.png").is_file()
    rows = changes_verify_editions(new_site)
    assert all(r.status == "match" for r in rows if r.item.startswith("_book/wijzigingen/")
               or r.item == "_book/index.html")


def changes_verify_editions(folder: Path) -> list:
    """The published folder against its own manifest, as `verify --editions` compares."""
    from proefdruk.manifest import load_manifest
    from proefdruk.verify import compare_manifests, edition_folder, only_editions

    return compare_manifests(only_editions(load_manifest(folder / "manifest.json")),
                             edition_folder(folder))


@pytest.mark.e2e
def test_every_edition_prints_its_version_in_the_colophon(clean_build: Path) -> None:
    import subprocess

    import docx
    import yaml

    edition = yaml.safe_load((clean_build / "_quarto.yml").read_text(encoding="utf-8"))
    edition = edition["thesis"]["edition"]
    line = f"Deze editie: {edition['label']}, versie {edition['version']}."
    book = clean_build / "_book"
    page = (book / "index.html").read_text(encoding="utf-8")
    assert line in page
    pdf = next(book.glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert line in " ".join(text.split())
    document = docx.Document(str(next(book.glob("*.docx"))))
    assert any(line in p.text for p in document.paragraphs)


@pytest.mark.e2e
def test_the_pdf_can_be_pdf_ua_with_structure_tree_and_language(
        clean_build: Path, tmp_path: Path) -> None:
    """render.pdfua: Typst checks PDF/UA-1 (together with PDF/A-2b) and refuses a PDF a
    screen reader cannot use; the result carries its structure tree and language."""
    import re
    import subprocess
    import sys

    from pypdf import PdfReader

    out = tmp_path / "ua.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "proefdruk", "pdf", "--book", "results/render/book.json",
         "--paper", "170x240", "--pdfa", "true", "--pdfua", "true", "--out", str(out)],
        cwd=clean_build, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    root = PdfReader(str(out)).trailer["/Root"]
    assert str(root["/Lang"]).startswith("nl")
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part>1<", xmp) and re.search(r"pdfaid:part>2<", xmp)
    # the default edition is tagged too (Typst tags every PDF); only the claim differs
    default = PdfReader(str(next((clean_build / "_book").glob("*.pdf")))).trailer["/Root"]
    assert "/StructTreeRoot" in default and str(default["/Lang"]).startswith("nl")
