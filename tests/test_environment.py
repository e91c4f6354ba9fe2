"""The pinned environment is one environment: lock file, conda file and pyproject agree."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lock", ROOT / "tools" / "lock.py")
lock = importlib.util.module_from_spec(spec)
sys.modules["lock"] = lock
spec.loader.exec_module(lock)


def test_environment_yml_has_every_locked_package_once_at_its_pin() -> None:
    """Each locked package appears exactly once, under conda-forge or under pip, with the
    lock's version; nothing else is pinned."""
    pins = lock.read_lock()
    listed = lock.read_environment()
    names = [name for name, _, _ in listed]
    twice = sorted({n for n in names if names.count(n) > 1})
    missing = sorted(set(pins) - set(names))
    extra = sorted(set(names) - set(pins))
    differ = sorted(n for n, version, _ in listed if n in pins and pins[n] != version)
    assert not (twice or missing or extra or differ), (
        f"environment.yml drifted from requirements.lock: twice {twice}, missing {missing}, "
        f"extra {extra}, other versions {differ}; run `python tools/lock.py environment`"
    )


def test_conda_forge_packages_go_to_conda_and_the_rest_to_pip() -> None:
    """conda env create takes what conda-forge has from conda-forge; pip gets only what
    the table in tools/lock.py does not name, each line saying why."""
    sections = {name: section for name, _, section in lock.read_environment()}
    assert {n for n, s in sections.items() if s == "conda"} == set(lock.CONDA_FORGE) & set(
        lock.read_lock())
    # the wheels that only PyPI has in this form
    assert sections["pypandoc-binary"] == sections["typst"] == sections["snakemake"] == "pip"
    assert sections["pandas"] == sections["matplotlib"] == "conda"
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "  - matplotlib-base==" in text and "  - python-tzdata==" in text
    pip_lines = text.split("  - pip:\n", 1)[1].splitlines()
    assert pip_lines and all("# pip only: " in line for line in pip_lines)


def test_environment_yml_is_exactly_what_the_generator_writes() -> None:
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert text == lock.environment_yaml(lock.read_lock())


def test_every_direct_dependency_is_pinned_in_the_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    study = [line.strip() for line in
             (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert "statsmodels" in study and "proefdruk" in study
    # proefdruk itself is this checkout (installed editable by tools/setup-env)
    direct = [*project["dependencies"], *project["optional-dependencies"]["test"],
              *(name for name in study if name != "proefdruk")]
    pins = lock.read_lock()
    for requirement in direct:
        name = requirement.split(">", 1)[0].split("=", 1)[0].split("<", 1)[0].split("[", 1)[0]
        assert lock.normalise(name) in pins, f"{name} is a dependency but not in requirements.lock"


def test_lock_pins_snakemake_9_19_or_newer() -> None:
    major, minor, *_ = (int(x) for x in lock.read_lock()["snakemake"].split("."))
    assert (major, minor) >= (9, 19)


def test_installed_versions_match_the_lock() -> None:
    from importlib import metadata

    pins = lock.read_lock()
    wrong = {}
    for name in ("snakemake", "pandas", "matplotlib", "typst", "pypandoc-binary", "bibtexparser"):
        installed = metadata.version(name)
        if installed != pins[name]:
            wrong[name] = (pins[name], installed)
    assert not wrong, f"installed packages differ from requirements.lock (lock, installed): {wrong}"
