"""Real Quarto must be 1.9 or newer: older versions make no Typst PDF for a book.

The quarto_render rule runs ``proefdruk check-quarto`` first; these tests give it small
executables that print what real Quarto prints for ``--version``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from proefdruk.errors import BuildError
from proefdruk.render.workflow.quarto_cli import check_quarto, parse_version

ROOT = Path(__file__).resolve().parent.parent


def fake_quarto(tmp_path: Path, output: str, code: int = 0) -> str:
    exe = tmp_path / "quarto"
    exe.write_text(f"#!/bin/sh\nprintf '%s\\n' '{output}'\nexit {code}\n", encoding="utf-8")
    exe.chmod(0o755)
    return str(exe)


@pytest.mark.parametrize(("text", "version"), [
    ("1.9.17", (1, 9, 17)), ("1.10.3\n", (1, 10, 3)), ("99.9.9-dev", (99, 9, 9)),
    ("nonsense", None)])
def test_parse_version(text: str, version: tuple[int, int, int] | None) -> None:
    assert parse_version(text) == version


def test_quarto_19_passes(tmp_path: Path) -> None:
    assert check_quarto(fake_quarto(tmp_path, "1.9.17")) == (1, 9, 17)
    assert check_quarto(fake_quarto(tmp_path, "1.10.0")) == (1, 10, 0)


def test_quarto_17_stops_with_version_and_way_out(tmp_path: Path) -> None:
    exe = fake_quarto(tmp_path, "1.7.32")
    with pytest.raises(BuildError) as err:
        check_quarto(exe)
    text = str(err.value)
    assert "1.7.32" in text and "1.9" in text and "render.quarto" in text
    proc = subprocess.run([sys.executable, "-m", "proefdruk", "check-quarto", "--quarto",
                           exe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Quarto 1.7.32 is too old" in proc.stderr


def test_broken_quarto_is_named(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as err:
        check_quarto(fake_quarto(tmp_path, "boom", code=3))
    assert "did not print a version" in str(err.value)
    with pytest.raises(BuildError):
        check_quarto(str(tmp_path / "missing"))
