"""Clean-room verification: a changed manifest or a changed input makes `verify` fail.

The real study takes minutes to build, so these tests run the very same rules
(proefdruk/build/rules/numbers.smk and verify.smk, included from the package by a tiny
study in tests/fixtures/verify) and the same proefdruk.verify code, in seconds. One e2e test runs
`snakemake verify` on the real project.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_snakemake
from proefdruk.manifest import build_manifest, load_manifest
from proefdruk.verify import (
    build_twice,
    compare_manifests,
    copy_tracked,
    differences,
    format_table,
    scan_outputs,
    tracked_files,
)

FIXTURE = ROOT / "tests" / "fixtures" / "verify"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=test@example.org", "-c", "user.name=test",
                    *args], cwd=cwd, check=True, capture_output=True)


def make_fixture_project(dest: Path) -> Path:
    """The fixture study (it includes the tool's rules from the package), as a git
    repository."""
    shutil.copytree(FIXTURE, dest)
    shutil.copytree(ROOT / "report", dest / "report")
    if (ROOT / "environment.yml").exists():
        shutil.copy2(ROOT / "environment.yml", dest / "environment.yml")
    git(dest, "init", "-q")
    git(dest, "add", ".")
    git(dest, "commit", "-qm", "fixture study")
    return dest


def built_copy(src: Path, dest: Path) -> Path:
    """A copy of a built fixture project (sources, git, outputs and their mtimes)."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture study, built once with `snakemake all`."""
    project = make_fixture_project(tmp_path_factory.mktemp("verify") / "study")
    result = run_snakemake(project, "all")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project


@pytest.fixture(autouse=True)
def _clean_copies_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed verify keeps its clean copy for inspection; in tests, keep it in tmp_path."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))


def snakemake_verify(project: Path) -> tuple[int, str]:
    """The build's target: `proefdruk verify` with its defaults."""
    result = run_snakemake(project, "verify", timeout=300)
    return result.returncode, result.stdout + result.stderr


def proefdruk_verify(project: Path, *flags: str) -> tuple[int, str]:
    """The command a reviewer runs, with the flags that are its options."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run([sys.executable, "-m", "proefdruk", "verify", *flags],
                            cwd=project, env=env, capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


def test_unchanged_sources_verify_and_print_the_table(fixture_build: Path) -> None:
    code, out = snakemake_verify(fixture_build)
    assert code == 0, out[-3000:]
    assert "verify: all 9 item(s) of the published files in this checkout match" in out
    assert "verify: all 9 item(s) of the clean rebuild match _book/manifest.json" in out
    assert "edition         2        0        0      0" in out
    assert "number          2        0        0      0" in out
    assert "book-source      1        0        0      0" in out  # the provenance appendix


def test_a_changed_manifest_makes_verify_fail(fixture_build: Path, tmp_path: Path) -> None:
    project = built_copy(fixture_build, tmp_path / "study")
    published = json.loads((project / "_book/manifest.json").read_text(encoding="utf-8"))
    published["numbers"]["toy.ja"]["display"] = "58,4\u00a0%"
    published["files"]["_book/chapters/01-toy.html"]["sha256"] = "0" * 64
    (project / "published.json").write_text(json.dumps(published), encoding="utf-8")
    code, out = proefdruk_verify(project, "--manifest", "published.json")
    assert code != 0
    # Twice: the files held here and the clean rebuild both differ from this manifest.
    rows = [line for line in out.splitlines() if line.startswith("differs  number    toy.ja")]
    assert len(rows) == 2
    assert all("58,4\u00a0%" in row and row.rstrip().endswith("58,3\u00a0%") for row in rows)
    assert any(line.split()[:3] == ["differs", "edition", "_book/chapters/01-toy.html"]
               for line in out.splitlines())
    assert "differs from the manifest in 2 of 9 item(s)" in out


def test_verify_checks_the_files_the_reader_holds(fixture_build: Path,
                                                  tmp_path: Path) -> None:
    """Finding 1: a flipped byte in an edition and a hand-edited number in
    results/numbers.json are differences, although the clean rebuild matches."""
    project = built_copy(fixture_build, tmp_path / "study")
    page = project / "_book/chapters/01-toy.html"
    data = bytearray(page.read_bytes())
    data[10] ^= 0x01
    page.write_bytes(bytes(data))
    registry = project / "results/numbers.json"
    numbers = json.loads(registry.read_text(encoding="utf-8"))
    numbers["toy.ja"]["value"] = 99
    registry.write_text(json.dumps(numbers), encoding="utf-8")
    code, out = snakemake_verify(project)
    assert code != 0
    lines = [line.split()[:3] for line in out.splitlines()]
    assert ["differs", "edition", "_book/chapters/01-toy.html"] in lines
    assert ["differs", "numbers", "results/numbers.json"] in lines
    assert ["differs", "number", "toy.ja"] in lines
    assert "the published files in this checkout differs from the manifest in 3 of" in out
    assert "of the clean rebuild match" in out


def test_verify_a_downloaded_edition_folder_alone(fixture_build: Path,
                                                  tmp_path: Path) -> None:
    """``proefdruk verify --editions path``: the folder against its own manifest, nothing
    rebuilt."""
    project = built_copy(fixture_build, tmp_path / "study")
    download = tmp_path / "download"
    shutil.copytree(project / "_book", download)
    code, out = proefdruk_verify(project, "--editions", str(download))
    assert code == 0, out[-3000:]
    assert "verify: all 2 item(s) of the edition in" in out
    assert "rebuilding" not in out
    (download / "index.html").write_text("tampered", encoding="utf-8")
    (download / "extra.html").write_text("not published", encoding="utf-8")
    (download / "chapters" / "01-toy.html").unlink()
    code, out = proefdruk_verify(project, "--editions", str(download))
    assert code != 0
    lines = [line.split()[:3] for line in out.splitlines()]
    for row in (["differs", "edition", "_book/index.html"],
                ["missing", "edition", "_book/chapters/01-toy.html"],
                ["extra", "edition", "_book/extra.html"]):
        assert row in lines, out[-2000:]


def test_a_changed_input_makes_verify_fail(fixture_build: Path, tmp_path: Path) -> None:
    project = built_copy(fixture_build, tmp_path / "study")
    answers = project / "data/raw/answers.csv"
    answers.write_text(answers.read_text(encoding="utf-8").replace("GM0012,nee", "GM0012,ja"),
                       encoding="utf-8")
    code, out = snakemake_verify(project)
    assert code != 0
    assert "toy.ja" in out and "66,7" in out  # 8 of 12 after the change
    for item in ("results/figures/toy.svg", "results/tables/toy.md", "_book/chapters/01-toy.html"):
        assert any(line.split()[:3] == ["differs", line.split()[1], item]
                   for line in out.splitlines() if item in line and line.startswith("differs"))


def test_verify_a_commit_instead_of_the_working_tree(fixture_build: Path,
                                                     tmp_path: Path) -> None:
    """An uncommitted change to the input does not matter when a commit is verified."""
    project = built_copy(fixture_build, tmp_path / "study")
    answers = project / "data/raw/answers.csv"
    answers.write_text(answers.read_text(encoding="utf-8").replace("GM0012,nee", "GM0012,ja"),
                       encoding="utf-8")
    code, out = proefdruk_verify(project, "--rev", "HEAD")
    assert code == 0, out[-3000:]
    assert "of commit HEAD copied" in out
    code, out = proefdruk_verify(project, "--rev", "no-such-tag")
    assert code != 0 and "cannot export revision 'no-such-tag'" in out


def test_a_missing_manifest_is_a_clear_error(fixture_build: Path, tmp_path: Path) -> None:
    project = built_copy(fixture_build, tmp_path / "study")
    code, out = proefdruk_verify(project, "--manifest", "nowhere/manifest.json")
    assert code != 0
    assert "manifest not found" in out and "proefdruk verify --manifest PATH" in out


def test_only_tracked_files_reach_the_clean_copy(fixture_build: Path, tmp_path: Path) -> None:
    project = built_copy(fixture_build, tmp_path / "study")
    (project / "chapters" / "02-vergeten.qmd").write_text("# Niet vastgelegd\n",
                                                        encoding="utf-8")
    names = tracked_files(project)
    assert "chapters/01-toy.qmd" in names
    assert "chapters/02-vergeten.qmd" not in names
    assert not any(n.startswith(("results/", "_book/")) for n in names)
    dest = tmp_path / "clean"
    copy_tracked(project, dest)
    assert (dest / "Snakefile").read_bytes() == (project / "Snakefile").read_bytes()
    assert not (dest / "chapters" / "02-vergeten.qmd").exists()


def test_outside_a_git_repository_verify_says_what_to_do(tmp_path: Path) -> None:
    from proefdruk.errors import BuildError

    with pytest.raises(BuildError) as exc:
        tracked_files(tmp_path)
    assert "git checkout" in str(exc.value)


def test_manifest_is_deterministic_and_relative(fixture_build: Path) -> None:
    text = (fixture_build / "_book/manifest.json").read_text(encoding="utf-8")
    assert str(fixture_build) not in text and "/tmp" not in text
    fresh = build_manifest(fixture_build)
    assert fresh == load_manifest(fixture_build / "_book/manifest.json")
    assert list(fresh["files"]) == sorted(fresh["files"])
    assert "_book/manifest.json" not in fresh["files"]
    assert fresh["numbers"]["toy.n"] == {"value": 12, "display": "12"}


def test_compare_manifests_reports_each_kind_of_difference() -> None:
    expected = {"numbers": {"a.x": {"value": 1, "display": "1"},
                            "a.y": {"value": 2, "display": "2"}},
                "files": {"f.svg": {"group": "figure", "sha256": "aa"},
                          "g.md": {"group": "table", "sha256": "bb"}}}
    actual = {"numbers": {"a.x": {"value": 1, "display": "1"},
                          "a.z": {"value": 3, "display": "3"}},
              "files": {"f.svg": {"group": "figure", "sha256": "ab"}}}
    rows = compare_manifests(expected, actual)
    status = {r.item: r.status for r in rows}
    assert status == {"a.x": "match", "a.y": "missing", "a.z": "extra", "f.svg": "differs",
                      "g.md": "missing"}
    assert len(differences(rows)) == 4
    same_print = compare_manifests(
        {"numbers": {"a.x": {"value": 0.1, "display": "10 %"}}, "files": {}},
        {"numbers": {"a.x": {"value": 0.1000001, "display": "10 %"}}, "files": {}})
    assert (same_print[0].status, same_print[0].expected, same_print[0].found) == (
        "differs", "0.1", "0.1000001")
    table = format_table(rows)
    assert "missing  table     g.md" in table


def test_scan_finds_an_absolute_path_and_todays_date(tmp_path: Path) -> None:
    (tmp_path / "_book").mkdir()
    (tmp_path / "_book" / "a.html").write_text(f"<p>{tmp_path.resolve()}/x.svg</p>",
                                               encoding="utf-8")
    today = dt.date(2026, 11, 29)
    (tmp_path / "_book" / "b.xml").write_text("<date>2026-11-29</date>", encoding="utf-8")
    (tmp_path / "_book" / "c.html").write_text("<p>schoon</p>", encoding="utf-8")
    found = {p["file"]: p["message"] for p in scan_outputs(tmp_path, today=today)}
    assert set(found) == {"_book/a.html", "_book/b.xml"}
    assert "absolute build path" in found["_book/a.html"]
    # On the SOURCE_DATE_EPOCH date itself, that date is expected, not suspicious.
    epoch = int(dt.datetime(2026, 11, 29, tzinfo=dt.UTC).timestamp())
    assert {p["file"] for p in scan_outputs(tmp_path, today=today, epoch=epoch)} == \
        {"_book/a.html"}


def test_scan_of_given_files_reads_only_those(tmp_path: Path) -> None:
    """The build's scan reads what it declares (--files; a folder means its files),
    never a stale file beside them nor the previous _book/."""
    stamp = f"<p>{tmp_path.resolve()}</p>"
    for rel in ("results/staging/_book/a.html", "results/staging/_book/site_libs/x.css",
                "results/render/stale.json", "_book/old.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(stamp, encoding="utf-8")
    files = ["results/staging/_book/a.html", "results/staging/_book/site_libs"]
    found = {p["file"] for p in scan_outputs(tmp_path, files=files)}
    assert found == {"results/staging/_book/a.html", "results/staging/_book/site_libs/x.css"}


def test_scan_looks_inside_docx_members(tmp_path: Path) -> None:
    import zipfile

    (tmp_path / "_book").mkdir()
    with zipfile.ZipFile(tmp_path / "_book" / "boek.docx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("word/document.xml", (2026, 1, 1, 0, 0, 0)), "<w/>")
        zf.writestr(zipfile.ZipInfo("docProps/core.xml", (2026, 1, 1, 0, 0, 0)),
                    "<dcterms:created>2026-11-29T19:30:00Z</dcterms:created>")
        zf.writestr(zipfile.ZipInfo("word/styles.xml", (2026, 11, 29, 19, 30, 0)), "<s/>")
    found = [p["message"] for p in scan_outputs(tmp_path, today=dt.date(2026, 11, 29))]
    assert found == ["_book/boek.docx:docProps/core.xml contains today's date",
                     "_book/boek.docx:word/styles.xml is stamped with today's date"]


def test_epoch_check_reads_pdf_and_docx_dates(tmp_path: Path) -> None:
    import zipfile

    from proefdruk.verify import check_epoch

    (tmp_path / "_book").mkdir()
    (tmp_path / "_book" / "ok.pdf").write_bytes(b"%PDF /CreationDate(D:20260101000000Z)")
    (tmp_path / "_book" / "bad.pdf").write_bytes(b"%PDF /ModDate(D:20261129193000Z)")
    with zipfile.ZipFile(tmp_path / "_book" / "b.docx", "w") as zf:
        zf.writestr("docProps/core.xml", '<dcterms:created xsi:type="dcterms:W3CDTF">'
                    "2025-03-04T00:00:00Z</dcterms:created>")
    found = sorted(p["message"].split(" carries")[0] for p in check_epoch(tmp_path, 1767225600))
    assert found == ["_book/b.docx:docProps/core.xml", "_book/bad.pdf"]


def test_build_twice_is_identical_for_the_fixture(fixture_build: Path) -> None:
    result = build_twice(fixture_build)
    assert result["identical"], result["differences"]
    # 7 outputs of the fixture, its provenance appendix (results/book/herkomst.md),
    # results/claims.json (empty: it has no claims), the 2 staged pages, the staged
    # manifest and the promote record.
    assert result["compared"] == 13 and result["scan"] == []


def test_build_twice_catches_a_timestamp(fixture_build: Path, tmp_path: Path) -> None:
    project = built_copy(fixture_build, tmp_path / "study")
    script = project / "scripts" / "toy.py"
    script.write_text(script.read_text(encoding="utf-8").replace(
        "'<svg xmlns=", "f'<!-- {__import__(\"time\").time_ns()} -->' '<svg xmlns="),
        encoding="utf-8")
    git(project, "commit", "-qam", "stamp the clock into the figure")
    result = build_twice(project)
    assert not result["identical"]
    assert "results/figures/toy.svg" in {d["item"] for d in result["differences"]}


@pytest.mark.e2e
def test_verify_the_real_project(clean_build: Path) -> None:
    """`snakemake verify` on the whole study: a second clean build matches the first."""
    code, out = snakemake_verify(clean_build)
    assert code == 0, out[-6000:]
    # both steps: the files this checkout holds, then the clean rebuild
    assert "item(s) of the published files in this checkout match _book/manifest.json" in out
    assert "item(s) of the clean rebuild match _book/manifest.json" in out


def test_the_files_a_reader_holds_include_the_claim_outcomes(tmp_path: Path) -> None:
    """A checkout's claims are compared with the manifest's, like its numbers: a claim the
    build published is not reported missing, and a hand-edited outcome is a difference."""
    import json

    from proefdruk.verify import compare_manifests, held_files

    (tmp_path / "results").mkdir()
    claims = {"b.groot": {"outcome": "economisch", "values": {"x": 1}, "rule": "max"}}
    (tmp_path / "results/claims.json").write_text(json.dumps(claims), encoding="utf-8")
    held = held_files(tmp_path)
    published = {"files": {}, "numbers": {},
                 "claims": {"b.groot": {"outcome": "economisch", "values": {"x": 1}}}}
    assert [r for r in compare_manifests(published, held) if r.status != "match"] == []
    claims["b.groot"]["outcome"] = "cultureel"
    (tmp_path / "results/claims.json").write_text(json.dumps(claims), encoding="utf-8")
    rows = compare_manifests(published, held_files(tmp_path))
    assert [(r.kind, r.item, r.status) for r in rows if r.status != "match"] == [
        ("claim", "b.groot", "differs")]


def test_a_changed_build_date_reruns_the_jobs_that_stamp_it(fixture_build: Path,
                                                           tmp_path: Path) -> None:
    """source_date_epoch reaches jobs as SOURCE_DATE_EPOCH, which Snakemake does not
    track; as a parameter of every rule, a new date plans the jobs again (issue #27,
    finding 3: it used to say "Nothing to be done" and keep the old dates)."""
    project = built_copy(fixture_build, tmp_path / "study")
    same = run_snakemake(project, "-n", "all")
    assert same.returncode == 0 and "Nothing to be done" in same.stdout + same.stderr
    moved = run_snakemake(project, "-n", "all", "--config", "source_date_epoch=1767312000")
    text = moved.stdout + moved.stderr
    assert moved.returncode == 0, text[-3000:]
    assert "Nothing to be done" not in text and "param" in text.lower()
    assert "toy_numbers" in text and "manifest" in text
