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


def test_environment_yml_has_the_same_pins_as_the_lock_file() -> None:
    pins = lock.read_lock()
    conda = lock.read_environment()
    missing = sorted(set(pins) - set(conda))
    extra = sorted(set(conda) - set(pins))
    differ = sorted(n for n in set(pins) & set(conda) if pins[n] != conda[n])
    assert not (missing or extra or differ), (
        f"environment.yml drifted from requirements.lock: missing {missing}, extra {extra}, "
        f"other versions {differ}; run `python tools/lock.py environment`"
    )


def test_environment_yml_is_exactly_what_the_generator_writes() -> None:
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert text == lock.environment_yaml(lock.read_lock())


def test_every_direct_dependency_is_pinned_in_the_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["test"]
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
