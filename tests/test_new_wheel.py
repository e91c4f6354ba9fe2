"""A candidate's first hour, exactly: proefdruk's wheel in a fresh virtual environment (not
editable, this checkout not on the path), `proefdruk new` in an empty folder, then that
folder's own two README commands build HTML, PDF and DOCX and pass its tests.

The "done when" check of issue 26, item 3, so it runs in CI (`.ci/run`): about two and a
half minutes here with pip's cache warm, more on a cold cache (two environments from the
package index).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e


def clean_env() -> dict[str, str]:
    """The environment of a shell that knows nothing of this checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if not p.startswith(str(ROOT)) and ".venv" not in p)
    return env


def sh(cmd: list[str] | str, cwd: Path, timeout: int = 1200) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True,
                            timeout=timeout, shell=isinstance(cmd, str),
                            executable="/bin/bash" if isinstance(cmd, str) else None)
    assert result.returncode == 0, (cmd, result.stdout[-4000:], result.stderr[-4000:])
    return result


def test_a_starter_from_the_wheel_builds_with_its_two_readme_commands(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    sh([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", str(dist), str(ROOT)], cwd=tmp_path)
    (wheel,) = dist.glob("proefdruk-*.whl")
    tool = tmp_path / "tool-venv"
    sh([sys.executable, "-m", "venv", str(tool)], cwd=tmp_path)
    sh([str(tool / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
        "-c", str(ROOT / "requirements.lock"), str(wheel)], cwd=tmp_path)
    where = sh([str(tool / "bin/python"), "-c", "import proefdruk; print(proefdruk.__file__)"],
               cwd=tmp_path).stdout.strip()
    assert where.startswith(str(tool)), where  # the wheel's copy, not this checkout

    work = tmp_path / "work"
    work.mkdir()
    # no --tool-spec: the starter pins the wheel pip installed the tool from (PEP 610)
    sh([str(tool / "bin/proefdruk"), "new", "thesis", "--lang", "en"], cwd=work)
    project = work / "thesis"
    lock = (project / "requirements.lock").read_text(encoding="utf-8")
    assert f"proefdruk @ {wheel.resolve().as_uri()}" in lock, lock[-300:]
    readme = (project / "README.md").read_text(encoding="utf-8")
    setup_and_build, tests = re.search(r"```\w*\n(.*?)```", readme, re.S).group(1).splitlines()

    started = time.monotonic()
    sh(setup_and_build, cwd=project)
    print(f"set-up and cold build: {time.monotonic() - started:.0f} s")
    for edition in ("index.html", "dissertation.pdf", "dissertation.docx"):
        assert (project / "_book" / edition).stat().st_size > 0, edition
    result = sh(tests, cwd=project)
    assert " passed" in result.stdout and "failed" not in result.stdout
