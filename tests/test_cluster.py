"""Scale-out is proven, not assumed: `snakemake all` through the SLURM executor plugin on
a real single-node SLURM cluster (Debian's slurm-wlm and munge, started by the test with
tools/slurm-single-node) gives editions byte-identical to a local build.

Every job is submitted with sbatch, run by slurmd in a fresh process with the profile's
resources, and followed with squeue (no accounting database on one node), exactly as on a
university cluster. Marked slow: one build through SLURM takes several minutes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, clone_project

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


@pytest.mark.slow
@pytest.mark.e2e
def test_a_slurm_build_gives_the_local_editions(clean_build: Path, slurm_cluster: Path,
                                                tmp_path: Path) -> None:
    work = clone_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["SLURM_CONF"] = str(slurm_cluster)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "all", "--workflow-profile", "profiles/slurm",
         "--default-resources", f"slurm_partition={PARTITION}", "mem_mb=1000", "runtime=30",
         "--slurm-no-account", "--slurm-status-command", "squeue",
         "--slurm-init-seconds-before-status-checks", "5", "--jobs", "4"],
        cwd=work, env=env, capture_output=True, text=True, timeout=3600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    assert "sbatch" in log or "SLURM" in log, "the jobs did not go through SLURM"
    local = digests(clean_build, "_book")
    cluster = digests(work, "_book")
    assert cluster == local, sorted(p for p in set(local) | set(cluster)
                                    if local.get(p) != cluster.get(p))
