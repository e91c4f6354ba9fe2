"""`proefdruk <command>` is the one entry point of the tooling, for the rules and by hand."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from conftest import ROOT
from proefdruk.cli import MODULE_COMMANDS, build_parser
from proefdruk.rule_code import rule_code_files

# Started as modules for other reasons than being a rule's command line: the preview's
# build server and its draft renderer (child processes of `proefdruk preview`) and the
# package's own entry.
NOT_COMMANDS = {"proefdruk/__main__.py", "proefdruk/preview/warm.py",
                "proefdruk/preview/fastpage.py"}


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "proefdruk", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")  # argparse has no API
    return set(action.choices)


def test_no_module_keeps_a_command_line_of_its_own() -> None:
    # proefdruk/template/ is the starter study `proefdruk new` copies, not the tool's code.
    own = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "proefdruk").rglob("*.py")
                 if 'if __name__ == "__main__"' in p.read_text(encoding="utf-8")
                 and not p.is_relative_to(ROOT / "proefdruk" / "template"))
    assert set(own) == NOT_COMMANDS, own


def test_every_rule_calls_a_subcommand_of_the_entry_point() -> None:
    known = subcommands()
    rule_files = [*(ROOT / "workflow/rules").glob("*.smk"),
                  *(ROOT / "proefdruk/build/rules").glob("*.smk")]
    texts = [p.read_text(encoding="utf-8") for p in rule_files]
    called = {m for t in texts for m in re.findall(r"-m (proefdruk[\w.]*)", t)}
    assert called == {"proefdruk"}, called
    used = {m for t in texts for m in re.findall(r"-m proefdruk ([\w-]+)", t)}
    used |= {m for t in texts for m in re.findall(r"\{params\.tool\} ([\w-]+)", t)}
    assert used and used <= known, used - known


def test_help_lists_every_command_without_importing_them() -> None:
    code = ("import contextlib, io, sys\n"
            "from proefdruk.cli import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
            "    main(['--help'])\n"
            "print(out.getvalue())\n"
            "print(sorted(m for m in sys.modules if m.startswith('proefdruk')))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text, loaded = proc.stdout.rsplit("\n", 2)[0], ast.literal_eval(proc.stdout.splitlines()[-1])
    for name in MODULE_COMMANDS:
        assert name in text
    assert set(loaded) <= {"proefdruk", "proefdruk.cli", "proefdruk.errors",
                           "proefdruk.arguments"}, loaded


def test_a_module_command_keeps_its_own_options(tmp_path: Path) -> None:
    helped = run("numbers", "--help")
    assert helped.returncode == 0 and helped.stdout.startswith("usage: proefdruk numbers")
    out = tmp_path / "numbers.json"
    merged = run("numbers", "--out", str(out))
    assert merged.returncode == 0, merged.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == {}
    assert "0 number(s)" in merged.stdout
    wrong = run("--root", ".", "numbers", "--out", str(out))
    # an error: block, not argparse's usage dump (the status stays argparse's 2)
    assert wrong.returncode == 2 and "write `proefdruk numbers ...`" in wrong.stderr
    assert wrong.stderr.startswith("error: ") and "usage:" not in wrong.stderr


def test_each_subcommand_is_its_own_code_input() -> None:
    """A rule running `python -m proefdruk numbers` depends on the numbers registry code,
    not on the verifier or the renderer behind other subcommands of the same entry."""
    def code(command: str) -> set[str]:
        rule = SimpleNamespace(shellcmd=f"python -m proefdruk {command}", params=None,
                               script=None, basedir=str(ROOT))
        return set(rule_code_files(rule, ROOT))

    entry = {"proefdruk/__init__.py", "proefdruk/__main__.py", "proefdruk/cli.py"}
    numbers = code("numbers --out x")
    assert entry | {"proefdruk/numbers.py", "proefdruk/locale/formats.py"} <= numbers
    assert not {f for f in numbers if f.startswith("proefdruk/render/")}
    verify = code("verify scan --report x")
    assert "proefdruk/verify.py" in verify and "proefdruk/numbers.py" not in verify
    assert "proefdruk/verify.py" not in numbers
    page = code("page --chapter x")
    assert "proefdruk/render/editions/html.py" in page and "proefdruk/verify.py" not in page
    # one line per module command in cli.py: every one reaches its module
    for name in ("lint-prose", "bibliography", "step", "quarto-coverage"):
        module = {"lint-prose": "proefdruk/lint_prose.py", "step": "proefdruk/step.py",
                  "bibliography": "proefdruk/bibliography.py",
                  "quarto-coverage": "proefdruk/render/core/quarto_features.py"}[name]
        assert module in code(name) and "proefdruk/verify.py" not in code(name), name
