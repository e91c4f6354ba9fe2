"""No traceback and no usage dump from any `proefdruk` command on a wrong command line
(issue #27, "Commands explain themselves"): every subcommand, enumerated from the CLI's
own parser so a new one is covered, is given no arguments, an unknown option, and in
place of each path of its example a folder, a binary file and a path that does not
exist; each answer is an `error:` block with what to pass and a non-zero exit (or, for a
command that needs no argument, a normal run). Promotion into a read-only, unwritable
or missing place is an `error:` block with what to do.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from proefdruk import cli
from proefdruk.arguments import EXAMPLES
from proefdruk.new import create
from proefdruk.promote import main as promote_main

# Commands that run without an argument and keep running (a server): not run bare.
KEEPS_RUNNING = {"preview": "serves the book until stopped; run bare it is not wrong"}


def subcommands() -> list[str]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_every_subcommand_has_an_example() -> None:
    missing = sorted(set(subcommands()) - set(EXAMPLES))
    assert not missing, f"add an example for {missing} to proefdruk/arguments.py EXAMPLES"
    assert not sorted({e.split()[0] for e in EXAMPLES} - set(subcommands()))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A starter project (never built): the commands run in it as an author's would."""
    root = create(tmp_path_factory.mktemp("commands") / "thesis", lang="en")
    (root / "a-folder").mkdir()
    (root / "binary.bin").write_bytes(bytes(range(256)) * 8)
    return root


def run(project: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``proefdruk ARGV`` in ``project``, in this process (an uncaught exception, the
    traceback a user would see, fails the test where it happens)."""
    cwd = os.getcwd()
    os.chdir(project)
    try:
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse or a command leaving by sys.exit
            code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(cwd)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def explained(code: int, said: str, argv: list[str]) -> None:
    assert code != 0, f"`proefdruk {shlex.join(argv)}` exited 0:\n{said[-2000:]}"
    assert "error:" in said, f"`proefdruk {shlex.join(argv)}` said no error:\n{said[-2000:]}"
    assert "Traceback" not in said and "usage:" not in said, said[-3000:]
    assert "what to do:" in said, said[-2000:]


# The options that name what a command writes (a folder or a new file there is fine).
OUTPUTS = {"--out", "--report", "--write"}
MORE_OUTPUTS = {"render-chapter": {"--ast", "--labels"}, "citation-files": {"--bib", "--ris"},
                "bibliography": {"--json", "--markdown"}, "promote": {"--dest", "--record"}}


def input_paths(name: str, example: list[str]) -> list[int]:
    """The places in ``example`` that name a file the command reads."""
    outputs = OUTPUTS | MORE_OUTPUTS.get(name, set())
    found, flag = [], ""
    for i, word in enumerate(example[1:], 1):
        if word.startswith("-"):
            flag = word
            continue
        if flag not in outputs and ("/" in word or "." in word.lstrip("@")):
            found.append(i)
    return found


def cases() -> list[tuple[str, str, list[str]]]:
    out = []
    for name in subcommands():
        example = shlex.split(EXAMPLES.get(name, f"proefdruk {name}"))[1:]
        out.append((name, "unknown option", [*example, "--no-such-option"]))
        if name not in KEEPS_RUNNING:
            out.append((name, "no arguments", [name]))
        if input_paths(name, example):
            for kind in ("folder", "binary", "missing"):
                out.append((name, kind, example))
    return out


@pytest.mark.parametrize(("name", "kind", "example"), cases(),
                         ids=[f"{n}-{k}" for n, k, _ in cases()])
def test_a_wrong_command_line_is_an_error_block(project: Path, name: str, kind: str,
                                                example: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = {"folder": "./a-folder", "binary": "binary.bin",
           "missing": f"no-such-{uuid.uuid4().hex[:6]}/file.json"}.get(kind)
    argv = list(example)
    for i in input_paths(name, example) if bad else ():
        argv[i] = "@" + bad if argv[i].startswith("@") else bad
    code, said = run(project, argv, capsys)
    if kind == "no arguments" and code == 0:
        return  # a command that needs no argument (plan, quarto-coverage) ran normally
    explained(code, said, argv)
    if kind == "folder":  # a folder is there: not "does not exist" (#27, case 7)
        assert "does not exist" not in said and "no such file" not in said.lower(), said
    if kind == "unknown option":
        assert "for example: proefdruk" in said, said[-2000:]


# --- promotion into a place it cannot write ----------------------------------------

def staged(root: Path) -> list[str]:
    staging = root / "results/staging/_book"
    staging.mkdir(parents=True)
    (staging / "index.html").write_text("<p>new</p>", encoding="utf-8")
    (root / "manifest.json").write_text("{}", encoding="utf-8")
    return ["--staging", str(staging), "--manifest", str(root / "manifest.json"),
            "--record", str(root / "record.json")]


def test_promotion_into_a_read_only_folder_is_an_error_block(tmp_path: Path, capsys) -> None:
    dest = tmp_path / "_book"
    dest.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(dest)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here (needs root)")
    try:
        code = promote_main([*staged(tmp_path), "--dest", str(dest)])
    finally:
        subprocess.run(["umount", str(dest)], check=False)
    err = capsys.readouterr().err
    assert code == 1 and "error:" in err and "Read-only file system" in err, err
    assert "what to do:" in err and "Traceback" not in err


def test_promotion_without_permission_is_an_error_block(tmp_path: Path) -> None:
    """Into a folder without write permission. Root ignores the mode bits, so where the
    test runs as root the command runs without the capability to override them."""
    args = staged(tmp_path)
    dest = tmp_path / "_book"
    dest.mkdir()
    dest.chmod(0o555)
    wrapper: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permission cannot be denied")
        wrapper = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    try:
        result = subprocess.run([*wrapper, sys.executable, "-m", "proefdruk", "promote", *args,
                                 "--dest", str(dest)], capture_output=True, text=True,
                                cwd=tmp_path, timeout=120,
                                env={**os.environ,
                                     "PYTHONPATH": str(Path(cli.__file__).parents[1])})
    finally:
        dest.chmod(0o755)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error:" in result.stderr and "Permission denied" in result.stderr, result.stderr
    assert "what to do:" in result.stderr and "Traceback" not in result.stderr
    assert not list(dest.iterdir())


def test_promotion_with_its_staging_folder_missing_is_an_error_block(tmp_path: Path,
                                                                     capsys) -> None:
    args = staged(tmp_path)
    args[1] = str(tmp_path / "gone" / "_book")
    code = promote_main([*args, "--dest", str(tmp_path / "_book")])
    err = capsys.readouterr().err
    assert code == 1 and "error:" in err and "staging folder" in err and "what to do:" in err


def test_promotion_into_a_missing_parent_folder_makes_it(tmp_path: Path, capsys) -> None:
    dest = tmp_path / "site" / "deep" / "_book"
    assert promote_main([*staged(tmp_path), "--dest", str(dest)]) == 0
    assert (dest / "index.html").read_text(encoding="utf-8") == "<p>new</p>"
