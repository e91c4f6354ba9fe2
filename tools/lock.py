"""Keep requirements.lock and environment.yml one environment.

``requirements.lock`` is the truth: every Python package at an exact version, installed by
``tools/setup-env`` into ``.venv``. ``environment.yml`` describes the same environment for
conda users, with the same pins, so it is generated from the lock rather than edited.
A test (tests/test_environment.py) fails when the two drift apart.

``conda env create`` should get as much as possible from conda-forge, so each locked
package goes under its conda-forge name when :data:`CONDA_FORGE` lists it, and under
``pip:`` otherwise (with the reason written next to it in environment.yml). The table only
holds names confirmed on conda-forge: a wrong name would make ``conda env create`` fail,
a missing one only costs a pip install.

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


# PyPI name (normalised) -> conda-forge package name, for packages confirmed on
# conda-forge under that name (anaconda.org/conda-forge/<name>). Most are the same name;
# the exceptions say why.
CONDA_FORGE: dict[str, str] = {
    **{name: name for name in (
        "annotated-types", "anyio", "asttokens", "attrs", "bibtexparser", "certifi",
        "charset-normalizer", "comm", "configargparse", "contourpy", "cycler", "debugpy",
        "docutils", "dpath", "execnet", "executing", "fonttools", "formulaic", "gitdb",
        "gitpython", "greenlet", "humanfriendly", "hypothesis", "idna", "immutables",
        "iniconfig", "ipykernel", "ipython", "jedi", "jinja2", "jsonschema",
        "jsonschema-specifications", "kiwisolver", "lxml", "markupsafe",
        "matplotlib-inline", "narwhals", "nbclient", "nbformat", "numpy", "packaging",
        "pandas", "pandera", "parso", "patsy", "pexpect", "pillow", "platformdirs",
        "pluggy", "prompt-toolkit", "psutil", "ptyprocess", "pulp", "pydantic",
        "pydantic-core", "pygments", "pylatexenc", "pyparsing", "pypdf", "pytest",
        "pytest-timeout", "pytest-xdist", "python-dateutil", "python-docx", "pyyaml",
        "pyzmq", "referencing", "requests", "rpds-py", "ruff", "scipy", "smmap",
        "setuptools", "sortedcontainers", "sqlalchemy", "sqlmodel", "statsmodels", "tabulate",
        "tenacity", "throttler", "tornado", "traitlets", "typeguard", "typing-inspection",
        "urllib3", "watchfiles", "wcwidth", "websocket-client", "werkzeug", "wheel", "wrapt",
        "yte",
    )},
    # conda-forge keeps the underscore of the PyPI project name
    "connection-pool": "connection_pool",
    "interface-meta": "interface_meta",
    "ipython-pygments-lexers": "ipython_pygments_lexers",
    "jupyter-client": "jupyter_client",
    "jupyter-core": "jupyter_core",
    "mypy-extensions": "mypy_extensions",
    "pure-eval": "pure_eval",
    "smart-open": "smart_open",
    "stack-data": "stack_data",
    "typing-extensions": "typing_extensions",
    "typing-inspect": "typing_inspect",
    # other names on conda-forge
    "fastjsonschema": "python-fastjsonschema",
    "matplotlib": "matplotlib-base",  # conda-forge's "matplotlib" adds the Qt stack
    "tzdata": "python-tzdata",  # conda-forge's "tzdata" is the system time zone database
}

# Why a package stays under pip: (the default reason is in environment_yaml()).
PIP_REASONS: dict[str, str] = {
    "pypandoc-binary": "the wheel bundles pandoc; conda-forge's pypandoc does not",
    "typst": "Python bindings; conda-forge's typst is the command-line program",
    "snakemake": "on bioconda, not conda-forge",
    "snakemake-*": "Snakemake's own packages: bioconda, not confirmed on conda-forge",
}


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


def _pip_reason(name: str) -> str:
    if name.startswith("snakemake-"):
        return PIP_REASONS["snakemake-*"]
    return PIP_REASONS.get(name, "not confirmed on conda-forge under this name")


def environment_yaml(pins: dict[str, str]) -> str:
    """The conda environment with the same pins as the lock file: conda-forge packages
    under their conda-forge names, the rest under pip with the reason beside each."""
    conda = {name: v for name, v in pins.items() if name in CONDA_FORGE}
    pip = {name: v for name, v in pins.items() if name not in CONDA_FORGE}
    lines = [
        "# Generated from requirements.lock by `python tools/lock.py environment`; do not edit.",
        "# The same pinned environment for conda users:",
        "#   conda env create -f environment.yml && conda activate internationaal-beleid",
        "#   pip install --no-deps -e .",
        "# Packages come from conda-forge where tools/lock.py (CONDA_FORGE) has their",
        "# conda-forge name; the pip: section holds the rest, each with the reason.",
        "name: internationaal-beleid",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON_VERSION}",
        "  - pip",
    ]
    lines += [f"  - {CONDA_FORGE[name]}=={version}" for name, version in
              sorted(conda.items(), key=lambda item: CONDA_FORGE[item[0]])]
    lines.append("  - pip:")
    lines += [f"      - {name}=={version}  # pip only: {_pip_reason(name)}"
              for name, version in sorted(pip.items())]
    return "\n".join(lines) + "\n"


def read_environment(path: Path = ENV) -> list[tuple[str, str, str]]:
    """Every pinned package of environment.yml as (PyPI name, version, "conda" or "pip"),
    in file order; conda-forge names are mapped back to the PyPI name they stand for."""
    import yaml

    pypi_name = {conda: pypi for pypi, conda in CONDA_FORGE.items()}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str, str]] = []
    for dep in data["dependencies"]:
        if isinstance(dep, dict):
            for item in dep.get("pip", []):
                name, _, version = item.partition("==")
                found.append((normalise(name), version, "pip"))
        elif "==" in dep:
            name, _, version = dep.partition("==")
            found.append((pypi_name.get(name, normalise(name)), version, "conda"))
    return found


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
