"""Every rule gets its code as input, derived from what it runs, in a real Snakemake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SNAKEFILE = """\
from proefdruk.rule_code import add_code_inputs

rule page:
    output: "out/page.txt"
    shell: "python -m tool.cli page > {output}"

rule pdf:
    input: data="data.txt"
    output: "out/pdf.txt"
    shell: "python -m tool.cli pdf < {input.data} > {output}"

rule analysis:
    output: "out/numbers.txt"
    script: "scripts/step.py"
%s
add_code_inputs(workflow)
"""


def project(tmp_path: Path, extra: str = "") -> Path:
    files = {
        "Snakefile": SNAKEFILE % extra,
        "data.txt": "x\n",
        "tool/__init__.py": "",
        "tool/cli.py": ("def cmd_page(a):\n    from tool import html\n"
                        "def cmd_pdf(a):\n    from tool import typst\n"),
        "tool/html.py": ("from pathlib import Path\n"
                         "TEMPLATE = Path(__file__).parent / 'templates' / 'page.html'\n"),
        "tool/typst.py": "",
        "tool/templates/page.html": "<html>\n",
        "study/__init__.py": "",
        "study/stats.py": "import tool.typst\n",
        "scripts/step.py": "from study import stats\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def dry_run(work: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent),
                                         str(work)])
    return subprocess.run([sys.executable, "-m", "snakemake", "-n", "-c1", "--nolock",
                           "out/page.txt", "out/pdf.txt", "out/numbers.txt"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=300)


def inputs_by_rule(log: str) -> dict[str, str]:
    found = {}
    for block in log.split("\nrule ")[1:]:
        name = block.split(":", 1)[0]
        line = next((x for x in block.splitlines() if x.strip().startswith("input:")), "")
        found[name] = line
    return found


def test_each_rule_gets_the_code_it_runs(tmp_path: Path) -> None:
    out = dry_run(project(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    inputs = inputs_by_rule(out.stdout + out.stderr)
    assert "tool/html.py" in inputs["page"] and "tool/templates/page.html" in inputs["page"]
    assert "tool/typst.py" not in inputs["page"]
    assert "tool/typst.py" in inputs["pdf"] and "tool/html.py" not in inputs["pdf"]
    assert "data.txt" in inputs["pdf"]
    # a script's imports, across packages, transitively
    assert "study/stats.py" in inputs["analysis"] and "tool/typst.py" in inputs["analysis"]


def test_a_command_using_the_whole_input_list_is_refused(tmp_path: Path) -> None:
    extra = ('rule whole:\n    input: "data.txt"\n    output: "out/w.txt"\n'
             '    shell: "cat {input} > {output}"\n')
    out = dry_run(project(tmp_path, extra))
    assert out.returncode != 0
    assert "rule whole: the shell command uses {input}" in out.stdout + out.stderr
