"""Keep requirements.lock and environment.yml one environment.

``requirements.lock`` is the truth: every Python package at an exact version, installed by
``tools/setup-env`` into ``.venv``. ``environment.yml`` describes the same environment for
conda users, with the same pins, so it is generated from the lock rather than edited.
A test (tests/test_environment.py) fails when the two drift apart.

    python tools/lock.py freeze        # rewrite requirements.lock from .venv
    python tools/lock.py environment   # rewrite environment.yml from requirements.lock
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
ENV = ROOT / "environment.yml"
PYTHON_VERSION = "3.11"
HEADER = (
    "# Exact versions of every Python package of the project, installed by tools/setup-env.\n"
    "# Regenerate with `python tools/lock.py freeze` after adding a dependency to\n"
    "# pyproject.toml, then `python tools/lock.py environment`.\n"
)


def read_lock(path: Path = LOCK) -> dict[str, str]:
    """Package name (normalised) -> exact version, from a pip requirements file."""
    pins: dict[str, str] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep:
            raise SystemExit(f"{path}:{lineno}: expected name==version, found {raw!r}")
        pins[normalise(name)] = version.strip()
    return pins


def normalise(name: str) -> str:
    """PEP 503 name normalisation, so `PyYAML` and `pyyaml` are one package."""
    return name.strip().lower().replace("_", "-").replace(".", "-")


def environment_yaml(pins: dict[str, str]) -> str:
    """The conda environment with the same pins as the lock file."""
    lines = [
        "# Generated from requirements.lock by `python tools/lock.py environment`; do not edit.",
        "# The same pinned environment for conda users:",
        "#   conda env create -f environment.yml && conda activate internationaal-beleid",
        "#   pip install --no-deps -e .",
        "name: internationaal-beleid",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON_VERSION}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {name}=={version}" for name, version in sorted(pins.items())]
    return "\n".join(lines) + "\n"


def read_environment(path: Path = ENV) -> dict[str, str]:
    """The pip pins listed in environment.yml."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pins: dict[str, str] = {}
    for dep in data["dependencies"]:
        if isinstance(dep, dict) and "pip" in dep:
            for item in dep["pip"]:
                name, _, version = item.partition("==")
                pins[normalise(name)] = version
    return pins


def freeze() -> None:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "pip", "freeze", "--exclude-editable"],
        check=True, capture_output=True, text=True,
    ).stdout
    reqs = sorted(
        (line for line in out.splitlines() if line and not line.startswith(("-e", "#"))),
        key=str.lower,
    )
    LOCK.write_text(HEADER + "\n".join(reqs) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    if argv[1:] == ["freeze"]:
        freeze()
    elif argv[1:] == ["environment"]:
        ENV.write_text(environment_yaml(read_lock()), encoding="utf-8")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
