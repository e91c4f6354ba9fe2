"""Shared fixtures: a whole-study build in a clean clone, made once per test session.

Building the study takes minutes, so every end-to-end test (editions, browser, byte
identity, verification) shares one clean build instead of making its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# In CI the property tests run the same examples every time (a red build must be
# reproducible); on a developer's machine they keep exploring new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def clone_project(dest: Path) -> Path:
    """A fresh clone of the committed project (what CI and a stranger get)."""
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(dest)],
        check=True,
    )
    return dest


def run_snakemake(workdir: Path, *args: str, timeout: int = 1800,
                  wrapper: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run the project's Snakemake (the pinned one of this interpreter) in ``workdir``,
    under ``wrapper`` if given (``strace ...``: tests/test_job_reads.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [*wrapper, sys.executable, "-m", "snakemake", *args],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout,
    )


def run_proefdruk(workdir: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run a `proefdruk` command in ``workdir`` as the author would (the acts with
    arguments, such as `proefdruk changes --since ...`, are commands, not build targets)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([sys.executable, "-m", "proefdruk", *args], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean clone of the repository with `snakemake all` run once in it."""
    work = tmp_path_factory.mktemp("clean-build") / "project"
    clone_project(work)
    result = run_snakemake(work, "all")
    if result.returncode != 0:
        pytest.fail(
            "snakemake all failed in a clean clone:\n"
            + result.stdout[-6000:] + "\n" + result.stderr[-6000:]
        )
    return work


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests keep what a person may want to look at (screenshots): gitignored."""
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def which_or_skip(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (bash tools/setup-env installs it)")
    return path


# What makes a test module a fixture build (tier 2): it renders a fixture book, builds a
# fixture study or a starter, or runs Snakemake. Derived from the module's text, so a new
# module lands in its tier without a list to keep.
_FIXTURE_SIGNS = ("fixture_book(", "quarto_book(", "make_fixture_project(", "run_snakemake(",
                  "run_proefdruk(", '"new"', "render_fixture(")
_HIGHER_TIERS = {"e2e", "browser", "release", "slow"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the fixture builds (``-m fixture``); the whole study and release checks carry
    their own markers, and everything else is the unit tier.

    Under pytest-xdist (``-n 2 --dist loadgroup``, README's test command) the builds stay
    together in one worker, in order, as in a serial run (they share the session's study
    build, and several measure or race against the clock); the unit tests, independent,
    share the other core."""
    texts: dict[Path, str] = {}
    for item in items:
        if not {m.name for m in item.iter_markers()} & _HIGHER_TIERS:
            path = Path(str(item.fspath))
            if path not in texts:
                texts[path] = path.read_text(encoding="utf-8") if path.is_file() else ""
            if any(sign in texts[path] for sign in _FIXTURE_SIGNS):
                item.add_marker(pytest.mark.fixture)
        if {m.name for m in item.iter_markers()} & (_HIGHER_TIERS | {"fixture"}):
            item.add_marker(pytest.mark.xdist_group("builds"))
