"""The remembered code files of each rule (proefdruk/code_memo.py) never change what is
derived.

A small project on disk, with a Snakefile whose rules run a tool module and a script;
each case derives the rules' code files in a fresh Python process (as every start of
Snakemake does) and compares the answer read back from ``.proefdruk-cache/rule-code.json``
with what a process that derives everything finds: after an edit that adds an import,
after a restore of an older text with an older modification time, after a new file in a
folder the code names, and with a damaged file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SNAKEFILE = """\
rule page:
    output: "out/page.txt"
    shell: "python -m tool.cli page > {output}"

rule step:
    output: "out/numbers.txt"
    script: "scripts/step.py"

rule later:
    output: "out/later.txt"
    shell: "python tools/late.py > {output}"
"""

# Loads the Snakefile's rules with Snakemake's own API, then prints what rule_code
# derives for each, and whether the answers came from the file.
DERIVE = """
import json, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from snakemake.api import SnakemakeApi
from snakemake.settings.types import ConfigSettings, OutputSettings, ResourceSettings
import proefdruk.code_memo as memo
from proefdruk.rule_code import rule_code_files
with SnakemakeApi(OutputSettings(quiet=True)) as api:
    wf = api.workflow(resource_settings=ResourceSettings(cores=1),
                      config_settings=ConfigSettings(),
                      snakefile=Path("Snakefile"))
    rules = wf._workflow.rules
    remembered = memo.memo_for(Path(".").resolve(), fresh=True)
    known = {{r.name: bool(remembered.answers) for r in rules}}
    out = {{r.name: rule_code_files(r, ".") for r in rules}}
    remembered.save()
print(json.dumps({{"files": out, "from_memo": all(known.values())}}))
"""


def derive(project: Path, memo: bool = True) -> tuple[dict[str, list[str]], bool]:
    if not memo:
        (project / ".proefdruk-cache" / "rule-code.json").unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    out = subprocess.run([sys.executable, "-c", DERIVE.format(root=str(ROOT))],
                         cwd=project, env=env, check=True, capture_output=True,
                         text=True, timeout=300).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return data["files"], data["from_memo"]


def make_project(root: Path) -> Path:
    files = {
        "Snakefile": SNAKEFILE,
        "tool/__init__.py": "",
        "tool/cli.py": "def cmd_page(a):\n    from tool import html\n",
        "tool/html.py": ("from pathlib import Path\n"
                         "ASSETS = Path(__file__).parent / 'assets'\n"),
        "tool/assets/site.css": "body {}\n",
        "tool/typst.py": "",
        "study/__init__.py": "",
        "study/stats.py": "X = 1\n",
        "scripts/step.py": "from study import stats\n",
        "tools/README": "tools\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_remembered_answers_equal_a_fresh_derivation(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    first, from_memo = derive(project)
    assert not from_memo
    assert first["page"] == ["tool/__init__.py", "tool/assets/site.css", "tool/cli.py",
                             "tool/html.py"]
    assert first["step"] == ["study/__init__.py", "study/stats.py"]
    again, from_memo = derive(project)
    assert from_memo and again == first

    # An edit that adds an import: the answer follows it.
    html = project / "tool" / "html.py"
    old_text, old_stat = html.read_text(encoding="utf-8"), html.stat()
    html.write_text(html.read_text(encoding="utf-8") + "import tool.typst\n",
                    encoding="utf-8")
    edited, from_memo = derive(project)
    assert not from_memo
    assert "tool/typst.py" in edited["page"]
    assert edited == derive(project, memo=False)[0]

    # The old text restored with its old modification time (cp -p, tar x): content
    # decides, so the answer is the old one again.
    html.write_text(old_text, encoding="utf-8")
    os.utime(html, ns=(old_stat.st_atime_ns, old_stat.st_mtime_ns))
    restored, _ = derive(project)
    assert restored == first

    # A new file in a folder the code names (no code changed).
    (project / "tool" / "assets" / "print.css").write_text("p {}\n", encoding="utf-8")
    grown, from_memo = derive(project)
    assert not from_memo
    assert "tool/assets/print.css" in grown["page"]
    # A new module, and a script that imports it.
    (project / "scripts" / "step.py").write_text("from study import stats, extra\n",
                                                 encoding="utf-8")
    (project / "study" / "extra.py").write_text("Y = 2\n", encoding="utf-8")
    grown, _ = derive(project)
    assert "study/extra.py" in grown["step"]
    assert grown == derive(project, memo=False)[0]

def test_files_that_appear_later_are_not_answered_from_memory(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "scripts" / "step.py").write_text("from study import stats\nimport helpers\n",
                                                 encoding="utf-8")
    before, _ = derive(project)
    assert "helpers.py" not in before["step"]  # not there yet: not an input
    assert before["later"] == []  # the command names a script that does not exist yet
    # The script the command names, in a folder that held no code until now.
    (project / "tools" / "late.py").write_text("import study.stats\n", encoding="utf-8")
    later, from_memo = derive(project)
    assert not from_memo
    assert later["later"] == ["study/__init__.py", "study/stats.py", "tools/late.py"]
    # A new top-level module a script imports.
    (project / "helpers.py").write_text("Z = 3\n", encoding="utf-8")
    after, from_memo = derive(project)
    assert not from_memo
    assert "helpers.py" in after["step"]
    assert after == derive(project, memo=False)[0]


def test_a_damaged_cache_file_is_derived_again(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    first, _ = derive(project)
    cache = project / ".proefdruk-cache" / "rule-code.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    # A hand-edited answer under the fingerprint of the files as they are is not believed
    # either (issue #27: the file's checksum no longer matches) ...
    data["rules"] = {k: ["tool/typst.py"] for k in data["rules"]}
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert derive(project)[0] == first
    # ... nor a lie under a fingerprint that does not match the files.
    data["fingerprint"] = "0" * 64
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert derive(project)[0] == first
    cache.write_text("{not json", encoding="utf-8")
    assert derive(project)[0] == first
