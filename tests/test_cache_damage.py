"""Caches only skip work (issue #27): every file under `.proefdruk-cache/`, damaged in
several ways (cut short, not JSON, empty, plausible but wrong, a file from another
project), leaves `snakemake all` with what a clean build gives, byte for byte, and with
nothing to redo: a cache that is believed when it should not be shows as jobs re-run
("the set of input files has changed") or as other bytes.

The fixture is the English starter of `proefdruk new`, built once (its cold build is a
few seconds); every case is a no-op build after one damage, so the whole module stays
within a minute or two.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run_snakemake
from proefdruk import code_memo, config_schema, parse_memo
from proefdruk.new import create

CACHE_DIR = ".proefdruk-cache"


def _wrong_verdict(data: dict) -> dict:
    # The old bug (#27, case 2): a verdict that also carries options to use.
    return {**data, "config": {"render": {"pdfa": True, "paper": "a4"}}}


def _rule_code_missing_a_file(data: dict) -> dict:
    return {**data, "rules": {k: files[1:] for k, files in data["rules"].items()}}


def _imports_forgotten(data: dict) -> dict:
    modules = dict(data["modules"])
    name = next(n for n, e in sorted(modules.items()) if e.get("all"))
    modules[name] = {**modules[name], "all": [], "module": [], "functions": {}}
    return {**data, "modules": modules}


# Every cache file the tool writes, from the code that writes it, with a change that
# keeps its shape but not its truth. A new cache file fails
# test_every_cache_file_is_covered until it is listed here.
PLAUSIBLE: dict[str, Callable[[dict], dict]] = {
    config_schema.CHECKED.name: _wrong_verdict,
    code_memo.CACHE.name: _rule_code_missing_a_file,
    parse_memo.CACHE.name: _imports_forgotten,
}
KINDS = ("truncated", "not-json", "empty", "plausible", "foreign")


def tree(root: Path) -> dict[str, str]:
    """SHA-256 of every file of the published edition and the results (the run's own
    records out: logs, timings)."""
    out = {}
    for top in ("_book", "results"):
        for p in sorted((root / top).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str],
                                                              dict[str, bytes], Path]:
    """The starter built clean once: its tree, its caches, and another project's caches."""
    base = tmp_path_factory.mktemp("cache-damage")
    project = create(base / "thesis", lang="en")
    result = run_snakemake(project, "all", timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    caches = {p.name: p.read_bytes() for p in (project / CACHE_DIR).iterdir() if p.is_file()}
    # Another project: other analysis code and other options, its caches made by a dry run.
    other = base / "other"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns(CACHE_DIR, ".snakemake"))
    script = next((other / "analysis").rglob("*.py"))
    script.write_text("import json  # another project\n" + script.read_text(encoding="utf-8"),
                      encoding="utf-8")
    (other / "config/config.yaml").write_text("render: {paper: a4}\n", encoding="utf-8")
    dry = run_snakemake(other, "-n", "all", timeout=300)
    assert dry.returncode == 0, dry.stdout[-3000:] + dry.stderr[-3000:]
    return project, tree(project), caches, other / CACHE_DIR


def test_every_cache_file_is_covered(built: tuple) -> None:
    _project, _tree, caches, _other = built
    assert set(caches) == set(PLAUSIBLE), (
        f"cache files {sorted(set(caches) ^ set(PLAUSIBLE))}: list each in PLAUSIBLE "
        "with a shape-keeping wrong change")


def damage(kind: str, name: str, pristine: bytes, foreign: Path) -> bytes | None:
    if kind == "truncated":
        return pristine[:len(pristine) // 2]
    if kind == "not-json":
        return b"{\"format\": 1, \"rules\": [}"
    if kind == "empty":
        return b""
    if kind == "plausible":
        return (json.dumps(PLAUSIBLE[name](json.loads(pristine)), indent=1) + "\n").encode()
    return (foreign / name).read_bytes() if (foreign / name).is_file() else None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(PLAUSIBLE))
def test_a_damaged_cache_changes_nothing(built: tuple, name: str, kind: str) -> None:
    project, clean, caches, foreign = built
    cache = project / CACHE_DIR / name
    damaged = damage(kind, name, caches[name], foreign)
    if damaged is None:
        pytest.skip(f"the other project wrote no {name}")
    assert damaged != caches[name], "the damage must change the file"
    for other, data in caches.items():  # every other cache as the clean build left it
        (project / CACHE_DIR / other).write_bytes(data)
    cache.write_bytes(damaged)
    try:
        result = run_snakemake(project, "all", timeout=600)
        said = result.stdout + result.stderr
        assert result.returncode == 0, said[-4000:]
        assert "Nothing to be done" in said, (
            f"a damaged {name} ({kind}) made the build redo work:\n{said[-4000:]}")
        assert tree(project) == clean
    finally:
        cache.write_bytes(caches[name])


def test_a_hand_edited_cell_cache_entry_is_not_served(tmp_path: Path) -> None:
    """The cell cache (.proefdruk-cache/cells, written only for chapters with code cells:
    the starter has none) keeps what the cells printed; an entry whose printed output was
    edited, its key and input hashes kept, ran as if the cells had printed that."""
    from proefdruk.render.cells import kernel_cache

    (tmp_path / "data.csv").write_text("a\n1\n", encoding="utf-8")
    cache = tmp_path / ".proefdruk-cache" / "cells"
    kernel_cache.store(cache, "01", "key", tmp_path, ["mean: 1"],
                       [str(tmp_path / "data.csv")], [], {})
    assert kernel_cache.load_valid(cache, "01", "key", tmp_path).fragments == ["mean: 1"]
    path = kernel_cache.entry_path(cache, "01")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fragments"] = ["mean: 99"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert kernel_cache.load_valid(cache, "01", "key", tmp_path) is None
    path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")
    assert kernel_cache.load_valid(cache, "01", "key", tmp_path) is None
