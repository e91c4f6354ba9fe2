"""Scale-out is proven, not assumed: `snakemake all` through the SLURM executor plugin on
a real single-node SLURM cluster (Debian's slurm-wlm and munge, started by the test with
tools/slurm-single-node) gives editions byte-identical to a local build.

Every job is submitted with sbatch, run by slurmd in a fresh process with the profile's
resources, and followed with squeue (no accounting database on one node), exactly as on a
university cluster. The whole study through SLURM takes several minutes, so it is
marked slow; CI runs the same proof on the fixture study (tests/fixtures/verify: the
project's own numbers, manifest, publish and verify rules), which takes about a minute.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, clone_project, run_snakemake

PARTITION = "proefdruk"


def digests(root: Path, folder: str) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


@pytest.fixture
def slurm_cluster(tmp_path: Path):
    if os.geteuid() != 0 or shutil.which("slurmctld") is None or shutil.which("munged") is None:
        pytest.skip("a single-node SLURM cluster needs root and slurm-wlm + munge "
                    "(bash tools/setup-env installs them as root)")
    state = tmp_path / "slurm"
    script = ROOT / "tools" / "slurm-single-node"
    started = subprocess.run(["bash", str(script), "start", str(state)], capture_output=True,
                             text=True, timeout=180)
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield state / "slurm.conf"
    finally:
        subprocess.run(["bash", str(script), "stop", str(state)], timeout=60)


def slurm_build(work: Path, slurm_conf: Path, *profile: str) -> str:
    """``snakemake all`` in ``work`` with every job submitted to the SLURM cluster."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["SLURM_CONF"] = str(slurm_conf)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "all", *profile, "--executor", "slurm",
         "--default-resources", f"slurm_partition={PARTITION}", "mem_mb=1000", "runtime=30",
         "--slurm-no-account", "--slurm-status-command", "squeue",
         "--slurm-init-seconds-before-status-checks", "1", "--jobs", "4"],
        cwd=work, env=env, capture_output=True, text=True, timeout=3600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    assert re.search(r"Job \S+ has been submitted with SLURM jobid \d+", log) or "sbatch" in log, \
        f"the jobs did not go through SLURM:\n{log[-3000:]}"
    return log


@pytest.mark.e2e
def test_the_fixture_study_through_slurm_gives_the_local_editions(
        slurm_cluster: Path, tmp_path: Path) -> None:
    """The CI sample: the small study, built locally and through SLURM, byte for byte."""
    from test_verify import make_fixture_project

    local = make_fixture_project(tmp_path / "local")
    result = run_snakemake(local, "all")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    cluster = make_fixture_project(tmp_path / "cluster")
    slurm_build(cluster, slurm_cluster)
    expected, found = digests(local, "_book"), digests(cluster, "_book")
    assert expected and found == expected, sorted(
        p for p in set(expected) | set(found) if expected.get(p) != found.get(p))


@pytest.mark.slow
@pytest.mark.e2e
def test_a_slurm_build_gives_the_local_editions(clean_build: Path, slurm_cluster: Path,
                                                tmp_path: Path) -> None:
    work = clone_project(tmp_path / "project")
    slurm_build(work, slurm_cluster, "--workflow-profile", "profiles/slurm")
    local = digests(clean_build, "_book")
    cluster = digests(work, "_book")
    assert cluster == local, sorted(p for p in set(local) | set(cluster)
                                    if local.get(p) != cluster.get(p))
