"""Provenance records: which rule and script made an output, from which exact inputs.

Every number, figure and table carries the same record, so a reviewer can go from a
sentence in the book to the code and the data behind it. Paths are stored relative to
the project root and inputs by SHA-256, so records are identical across machines.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

# Generic file writing lives in proefdruk.files; re-exported for existing callers.
from proefdruk.files import (  # noqa: F401
    atomic_write_bytes,
    atomic_write_text,
    dump_json,
    sha256_file,
)

# Packages whose versions are recorded with every output: the ones that can change a
# number, a figure or a table. Kept short so records stay readable.
RECORDED_PACKAGES = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "snakemake")


def project_relative(path: str | Path, root: str | Path | None = None) -> str:
    """``path`` relative to the project root, with forward slashes.

    Absolute paths would differ per machine and break byte-identical rebuilds.
    """
    root_path = Path(root or os.getcwd()).resolve()
    p = Path(path)
    resolved = p.resolve() if p.is_absolute() or p.exists() else (root_path / p).resolve()
    try:
        return resolved.relative_to(root_path).as_posix()
    except ValueError:
        return p.as_posix()


def software_versions(packages: Iterable[str] = RECORDED_PACKAGES) -> dict[str, str]:
    """Versions of Python and of the packages that shape results (absent ones skipped)."""
    versions = {"python": platform.python_version()}
    for name in sorted(packages):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _flatten(files: Any) -> list[str]:
    """Snakemake's ``input``/``output`` objects, dicts, lists or a single path, as a list."""
    if files is None:
        return []
    if isinstance(files, str | Path):
        return [str(files)]
    if isinstance(files, Mapping):
        files = list(files.values())
    out: list[str] = []
    for f in files:
        out.extend(_flatten(f) if not isinstance(f, str | Path) else [str(f)])
    return out


def make_record(
    rule: str,
    script: str | Path,
    inputs: Any,
    outputs: Any = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The provenance record for one analysis step.

    ``inputs`` and ``outputs`` accept Snakemake's namedlists. Output hashes are not taken
    here (outputs are being written); :func:`write_record` adds them at the end.
    """
    input_paths = sorted(set(_flatten(inputs)))
    return {
        "rule": rule,
        "script": project_relative(script),
        "script_sha256": sha256_file(script) if Path(script).exists() else None,
        "inputs": {project_relative(p): sha256_file(p) for p in input_paths},
        "outputs": sorted(project_relative(p) for p in _flatten(outputs)),
        "params": _jsonable(dict(params or {})),
        "software": software_versions(),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def write_record(record: dict[str, Any], path: str | Path) -> None:
    """Complete ``record`` with the SHA-256 of its outputs and write it to ``path``."""
    done = dict(record)
    done["outputs"] = {
        p: sha256_file(p) for p in record["outputs"] if Path(p).exists() and Path(p) != Path(path)
    }
    dump_json(done, path)


def step_record(smk: Any, script: str | Path, params: Mapping[str, Any] | None = None
                ) -> dict[str, Any]:
    """The provenance record of the analysis step ``smk`` runs: call it first (inputs are
    hashed now), then :func:`write_step_record` last (outputs are hashed then). Every
    rule with a figure, table or number declares the output ``provenance``."""
    outputs = [o for o in smk.output if not str(o).startswith("results/provenance/")]
    return make_record(smk.rule, script, smk.input, outputs, params)


def write_step_record(smk: Any, record: dict[str, Any]) -> None:
    """Write ``record`` with its output hashes to the rule's ``provenance`` output."""
    write_record(record, smk.output.provenance)
