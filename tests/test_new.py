"""`proefdruk new DIR`: the starter dissertation it writes, and what it never does.

Tool half: these tests use the template and the tool, never the study. The build of the
written starter (HTML, PDF, DOCX and its own tests) is `test_new_build.py`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from proefdruk import new, new_lock
from proefdruk.errors import BuildError

# What the issue asks every starter to hold (besides the Quarto extension).
REQUIRED = {
    "Snakefile", "_quarto.yml", "index.qmd", "README.md", "environment.yml",
    "requirements.lock", ".gitignore", ".ci/run", "tools/setup-env", "pytest.ini",
    "config/config.yaml", "config/schema.yaml", "profiles/default/config.yaml",
    "workflow/rules/analysis.smk", "analysis/survey.py", "analysis/texts.py",
    "analysis/scripts/survey_summary.py", "data/raw/answers.csv", "data/raw/answers.yaml",
    "data/README.md", "data/generate_answers.py", "bibliography/references.bib",
    "bibliography/style.csl", "chapters/01-introduction.qmd", "chapters/02-results.qmd",
    "chapters/references.qmd", "tests/test_survey.py",
    "tests/test_data.py",
}


def run_new(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "proefdruk", "new", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def quarto(project: Path) -> dict:
    return yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_language_writes_the_whole_starter(tmp_path: Path, lang: str) -> None:
    project = new.create(tmp_path / "thesis", lang=lang)
    written = set(tree(project))
    extension = {f"_extensions/proefdruk/{p.relative_to(new.extension_source()).as_posix()}"
                 for p in new.extension_source().rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts}
    assert written == set(new.template_files(lang)) | extension
    assert REQUIRED <= written, sorted(REQUIRED - written)
    # the provenance appendix in the book's language, named where the tool looks for it
    appendix = f"chapters/{new.DEFAULTS[lang]['provenance']}.qmd"
    assert appendix in written
    assert quarto(project)["proefdruk"]["provenance"] == appendix
    assert "_extensions/proefdruk/_extension.yml" in written
    book = quarto(project)
    assert book["lang"] == lang
    assert book["book"]["title"] == new.DEFAULTS[lang]["title"]
    assert book["book"]["output-file"] == new.DEFAULTS[lang]["output_file"]
    # the citation's author and date are the book's own (YAML aliases): Quarto's Scholar
    # tags of a chapter page come from `citation:`
    assert book["citation"] == {"type": "thesis", "genre": new.DEFAULTS[lang]["genre"],
                                "publisher": new.DEFAULTS[lang]["publisher"],
                                "author": book["book"]["author"],
                                "issued": book["book"]["date"]}
    # a section reference mid-sentence in the book's word, under Quarto as built in
    assert book["language"]["crossref-sec-prefix"] == (
        "paragraaf" if lang == "nl" else "Section")
    for rel in ("tools/setup-env", ".ci/run"):
        assert os.access(project / rel, os.X_OK), rel
    leftovers = [p for p in written if "@@" in (project / p).read_text("utf-8", "replace")]
    assert leftovers == []


def test_both_languages_offer_the_same_files_and_share_the_rest() -> None:
    nl, en = new.template_files("nl"), new.template_files("en")
    # the same files, but for the provenance appendix, named in each book's language
    assert set(nl) - {"chapters/herkomst.qmd"} == set(en) - {"chapters/provenance.qmd"}
    shared = {rel for rel in nl if rel in en and nl[rel] == en[rel]}
    assert {rel for rel in nl if nl[rel].is_relative_to(new.TEMPLATE / "base")} == shared
    assert "analysis/survey.py" in shared and "analysis/texts.py" not in shared


def test_the_chapters_use_every_construct_the_tool_offers() -> None:
    for lang in new.LANGUAGES:
        files = new.template_files(lang)
        text = "\n".join(files[c].read_text(encoding="utf-8")
                         for c in ("chapters/01-introduction.qmd", "chapters/02-results.qmd"))
        assert "{{< num survey." in text
        assert re.search(r'\{when="true"\}.*\{when="false"\}\]\{\.claim key="survey\.', text,
                         re.S)
        assert re.search(r"@fig-\w+", text) and re.search(r"\{#fig-\w+", text)
        assert "{{< include ../results/tables/" in text and re.search(r"\{#tbl-\w+\}", text)
        assert re.search(r"\[@\w+\]", text)
        assert "results/book/notices.md" in files["index.qmd"].read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_readme_starts_with_the_two_commands(tmp_path: Path, lang: str) -> None:
    readme = (new.create(tmp_path / "t", lang=lang) / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\w*\n(.*?)```", readme, re.S).group(1)
    assert block.splitlines() == ["bash tools/setup-env && .venv/bin/snakemake all",
                                  ".venv/bin/python -m pytest"]
    ci = (tmp_path / "t" / ".ci" / "run").read_text(encoding="utf-8")
    assert all(line in ci for line in block.splitlines())


def test_a_title_and_author_with_quotes_colons_and_hashes_read_back(tmp_path: Path) -> None:
    title = 'Een "titel": met # hekje, \\ backslash en * ster'
    author = "O'Brien: Anna-Maria [van] Dijk"
    project = new.create(tmp_path / "t", lang="nl", title=title, author=author)
    book = quarto(project)["book"]
    assert book["title"] == title
    assert book["author"] == [{"name": author}]
    heading = (project / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert heading.startswith("# ") and '\\"titel\\"' in heading and "\\*" in heading


def test_a_title_on_two_lines_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="--title must be one line"):
        new.create(tmp_path / "t", title="one\ntwo")
    assert list(tmp_path.iterdir()) == []


def test_a_non_empty_folder_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "mijn-proefschrift"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run_new(str(target), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert str(target) in result.stderr and "not empty" in result.stderr
    assert "choose a new folder name" in result.stderr and "never overwrites" in result.stderr
    assert tree(target) == {"notes.txt": b"keep me"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mijn-proefschrift"]


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t").write_text("x", encoding="utf-8")
    result = run_new("t", cwd=tmp_path)
    assert result.returncode == 2 and "not a folder" in result.stderr
    assert (tmp_path / "t").read_text(encoding="utf-8") == "x"


def test_an_empty_folder_is_used_and_a_second_run_overwrites_nothing(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    inode = (tmp_path / "t").stat().st_ino
    first = run_new(".", "--lang", "en", cwd=tmp_path / "t")  # `proefdruk new .`
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "t").stat().st_ino == inode  # the same folder, not one renamed over it
    before = tree(tmp_path / "t")
    assert quarto(tmp_path / "t")["lang"] == "en"
    second = run_new("t", "--lang", "nl", "--title", "Other", cwd=tmp_path)
    assert second.returncode == 2 and "not empty" in second.stderr
    assert tree(tmp_path / "t") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t"]


def test_a_failure_half_way_leaves_nothing_behind(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "template"
    shutil.copytree(new.TEMPLATE, broken)
    readme = broken / "en" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "@@no_such_value@@\n",
                      encoding="utf-8")
    monkeypatch.setattr(new, "TEMPLATE", broken)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BuildError, match="unknown placeholder"):
        new.create(out / "t", lang="en")
    assert list(out.iterdir()) == []


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    result = run_new("t", "--lang", "fr", cwd=tmp_path)
    assert result.returncode == 2 and "invalid choice" in result.stderr
    assert list(tmp_path.iterdir()) == []


def lock_pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_the_lock_pins_everything_and_names_the_proefdruk_that_made_it(tmp_path: Path) -> None:
    project = new.create(tmp_path / "t", lang="en")
    lines = (project / "requirements.lock").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == f"proefdruk @ {ROOT.as_uri()}"
    body = [ln for ln in lines[:-1] if ln and not ln.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^=\s]+", ln) for ln in body), body
    pins = lock_pins(project / "requirements.lock")
    for name in ("snakemake", "pypandoc-binary", "typst", "pandas", "pyyaml", "pytest"):
        assert name in pins, name
    # This environment is installed from the repository's lock: the same versions.
    repo = lock_pins(ROOT / "requirements.lock")
    assert {n: v for n, v in pins.items() if n in repo} == {n: repo[n] for n in pins
                                                             if n in repo}


def test_the_starters_own_pins_follow_the_repository_and_cover_its_packages() -> None:
    """The template pins the study's own packages, so a starter made from a wheel without
    pytest installed still pins its test runner; the pins are the repository's."""
    own = {n.lower(): v for n, v in new_lock.pins_in(
        (new.TEMPLATE / "base" / "requirements.lock").read_text(encoding="utf-8")).items()}
    repo = lock_pins(ROOT / "requirements.lock")
    assert {n: repo.get(n) for n in own} == own
    needed = new_lock.installed_pins(("pytest", "pandas", "pyyaml"))
    assert {n.lower() for n in needed} <= set(own), sorted({n.lower() for n in needed} - set(own))


def test_tool_spec_forms(tmp_path: Path) -> None:
    wheel = tmp_path / "proefdruk-0.2.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    assert new_lock.tool_requirement(str(wheel)) == f"proefdruk @ {wheel.as_uri()}"
    url = "git+https://example.org/proefdruk.git@v0.2.0"
    assert new_lock.tool_requirement(url) == f"proefdruk @ {url}"
    assert new_lock.tool_requirement("proefdruk==0.2.0") == "proefdruk==0.2.0"
    assert new_lock.tool_requirement(None) == f"proefdruk @ {ROOT.as_uri()}"
    with pytest.raises(BuildError, match="not a way to install proefdruk"):
        new_lock.tool_requirement("pandas==2.0")
    result = run_new("t", "--tool-spec", "not a spec!", cwd=tmp_path)
    assert result.returncode == 2 and "--tool-spec" in result.stderr
    assert not (tmp_path / "t").exists()
    written = new.create(tmp_path / "w", tool_spec=str(wheel))
    assert (written / "requirements.lock").read_text(encoding="utf-8").endswith(
        f"proefdruk @ {wheel.as_uri()}\n")


def test_the_starter_holds_the_packages_extension(tmp_path: Path) -> None:
    """`proefdruk extension check` finds nothing to update in a new starter."""
    from proefdruk.extension_copy import PACKAGED, differences

    assert new.extension_source() == PACKAGED
    assert differences(new.create(tmp_path / "t", lang="en")) == []


def proefdruk_imports(path: Path) -> list[str]:
    """The ``proefdruk`` modules a Python file imports (any depth of the syntax tree)."""
    import ast

    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return [n for n in names if n == "proefdruk" or n.startswith("proefdruk.")]


def test_the_starter_uses_the_tool_through_its_public_modules_only() -> None:
    for lang in new.LANGUAGES:
        files = new.template_files(lang)
        python = [p for rel, p in files.items() if rel.endswith(".py")]
        used = {rel: proefdruk_imports(p) for rel, p in files.items() if rel.endswith(".py")}
        assert python and all(m == ["proefdruk.api"] * len(m) for m in used.values()), used
        assert used["analysis/scripts/survey_summary.py"] == ["proefdruk.api"]
        for rel in ("Snakefile", "workflow/rules/analysis.smk"):
            text = files[rel].read_text(encoding="utf-8")
            modules = set(re.findall(r"^\s*(?:from|import)\s+(proefdruk[\w.]*)", text, re.M))
            assert modules <= {"proefdruk.build"}, (rel, modules)
    snakefile = new.template_files("en")["Snakefile"].read_text(encoding="utf-8")
    assert len(snakefile.splitlines()) <= 20
    assert 'include: tool_rules("common")' in snakefile
    assert 'include: tool_rules("book")' in snakefile
    assert ('setup(workflow, config, configfile="config/config.yaml", '
            'schema="config/schema.yaml")') in snakefile
    assert "configfile:" not in snakefile  # the unbounded loader (tests/test_config_file.py)
