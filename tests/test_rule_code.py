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


DISPATCHED = """\
from proefdruk.rule_code import add_code_inputs

rule numbers:
    output: "out/numbers.txt"
    shell: "python -m tool numbers --out x > {output}"

rule verify:
    output: "out/verify.txt"
    shell: "python -m tool verify scan > {output}"

rule page:
    output: "out/page.txt"
    shell: "python -m tool page > {output}"

add_code_inputs(workflow)
"""

# One entry point as in proefdruk: tool/__main__.py hands over to tool/cli.py, where each
# subcommand imports its own module on use.
DISPATCHER = {
    "Snakefile": DISPATCHED,
    "tool/__init__.py": "",
    "tool/__main__.py": ("import sys\n\n\ndef main():\n    from tool.cli import main as run\n"
                         "    return run()\n\n\nif __name__ == '__main__':\n"
                         "    sys.exit(main())\n"),
    "tool/cli.py": ("import sys\n\n\ndef cmd_numbers(argv):\n    from tool import numbers\n"
                    "    return numbers.main(argv)\n\n\ndef cmd_verify(argv):\n"
                    "    from tool import verify\n    return verify.main(argv)\n\n\n"
                    "def cmd_page(argv):\n    from tool import html\n    return html.main(argv)\n"
                    "\n\ndef main():\n    name, *rest = sys.argv[1:]\n"
                    "    return globals()['cmd_' + name](rest)\n"),
    "tool/numbers.py": "def main(argv):\n    print('numbers', argv)\n    return 0\n",
    "tool/verify.py": "def main(argv):\n    print('verify', argv)\n    return 0\n",
    "tool/html.py": "def main(argv):\n    print('page', argv)\n    return 0\n",
}


def snakemake(work: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent),
                                         str(work)])
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([sys.executable, "-m", "snakemake", "-c1", "--nolock", *args,
                           "out/numbers.txt", "out/verify.txt", "out/page.txt"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=300)


def test_a_dispatched_subcommand_reruns_only_its_own_rules(tmp_path: Path) -> None:
    """`python -m tool numbers` is __main__, the dispatcher's cmd_numbers and the module
    behind it: a change to that module re-runs the numbers rule, not every rule that goes
    through the same entry point."""
    for rel, text in DISPATCHER.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    built = snakemake(tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "out/numbers.txt").read_text() == "numbers ['--out', 'x']\n"

    plan = snakemake(tmp_path, "-n", "--forceall")
    inputs = inputs_by_rule(plan.stdout + plan.stderr)
    for rule, module in (("numbers", "numbers"), ("verify", "verify"), ("page", "html")):
        assert all(f"tool/{f}" in inputs[rule] for f in ("__main__.py", "cli.py",
                                                         f"{module}.py")), inputs[rule]
        others = {"numbers", "verify", "html"} - {module}
        assert not any(f"tool/{o}.py" in inputs[rule] for o in others), inputs[rule]

    numbers = tmp_path / "tool/numbers.py"
    numbers.write_text(numbers.read_text() + "# changed\n", encoding="utf-8")
    os.utime(numbers, (numbers.stat().st_atime + 10, numbers.stat().st_mtime + 10))
    again = snakemake(tmp_path, "-n")
    assert again.returncode == 0, again.stdout + again.stderr
    assert set(inputs_by_rule(again.stdout + again.stderr)) == {"numbers"}
