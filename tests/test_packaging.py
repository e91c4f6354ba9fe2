"""proefdruk as an installable tool: its wheel holds everything it opens at run time, the
logger plugin is found from the wheel, and the extension a project holds is the package's.

The wheel is built from the tracked files (a copy, so the checkout gets no build/ folder)
and unpacked into a folder of its own; the checks run in a child process that imports
proefdruk from there, not from this checkout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from proefdruk import __version__
from proefdruk.extension_copy import PACKAGED, differences


def tracked(prefix: str = ".") -> list[str]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", prefix], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return sorted(p for p in out.splitlines() if p and (ROOT / p).is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in tracked():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes((ROOT / name).read_bytes())
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                             "--no-build-isolation", "-q", "-w", str(dist), str(src)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    (found,) = dist.glob("proefdruk-*.whl")
    return found


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = [p for p in tracked("proefdruk") if "__pycache__" not in p]
    missing = [p for p in package if p not in names]
    assert not missing, f"not in {wheel.name}: {missing[:20]}"
    # the things a run opens, named, so a pattern that stops matching is seen here too
    for needed in ("proefdruk/build/rules/book.smk", "proefdruk/build/rules/common.smk",
                   "proefdruk/build/schema.yaml",
                   "proefdruk/quarto/proefdruk/_extension.yml",
                   "proefdruk/quarto/proefdruk/typst-template.typ",
                   "snakemake_logger_plugin_proefdruk/__init__.py"):
        assert needed in names, needed
    assert wheel.name == f"proefdruk-{__version__}-py3-none-any.whl"


def test_the_wheel_depends_on_the_tool_only(wheel: Path) -> None:
    """The study's analysis stack is the study's (requirements.in), not the tool's."""
    with zipfile.ZipFile(wheel) as zf:
        meta = zf.read(f"proefdruk-{__version__}.dist-info/METADATA").decode()
    requires = {line.split(":", 1)[1].strip().split(";")[0].split(">")[0].split("=")[0]
                .strip().lower() for line in meta.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    assert "snakemake" in requires and "typst" in requires
    assert not requires & {"statsmodels", "matplotlib"}, requires


def test_installed_from_the_wheel_it_finds_its_files_and_its_logger(
        wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = (
        "import json, pkgutil, proefdruk\n"
        "from pathlib import Path\n"
        "from proefdruk.build import tool_rules\n"
        "from proefdruk.extension_copy import PACKAGED\n"
        "from proefdruk.config_schema import load_tool_schema\n"
        "plugins = [m.module_finder.path for m in pkgutil.iter_modules()\n"
        "           if m.name == 'snakemake_logger_plugin_proefdruk']\n"
        "print(json.dumps({'file': proefdruk.__file__, 'plugins': plugins,\n"
        "  'rules': [Path(tool_rules(n)).is_file() for n in ('common', 'book')],\n"
        "  'extension': (PACKAGED / '_extension.yml').is_file(),\n"
        "  'options': sorted(load_tool_schema()['properties'])}))\n")
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout)
    assert found["file"].startswith(str(target)), found["file"]
    assert found["plugins"] and found["plugins"][0] == str(target), found["plugins"]
    assert found["rules"] == [True, True] and found["extension"]
    assert "render" in found["options"] and "survey" not in found["options"]


def test_the_study_holds_the_packaged_extension() -> None:
    """Real Quarto reads _extensions/proefdruk/; it must be the tool's, byte for byte
    (`proefdruk extension update` writes it)."""
    assert differences(ROOT) == []


def test_the_extension_has_the_version_of_the_package() -> None:
    meta = yaml.safe_load((PACKAGED / "_extension.yml").read_text(encoding="utf-8"))
    assert str(meta["version"]) == __version__


def test_the_changelog_names_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {__version__}" in text


def test_version_on_the_command_line() -> None:
    result = subprocess.run([sys.executable, "-m", "proefdruk", "--version"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == f"proefdruk {__version__}"


def test_extension_check_names_a_changed_file(tmp_path: Path) -> None:
    from proefdruk.extension_copy import install

    (tmp_path / "_quarto.yml").write_text("project: {type: book}\n", encoding="utf-8")
    install(tmp_path)
    assert differences(tmp_path) == []
    changed = tmp_path / "_extensions/proefdruk/num.lua"
    changed.write_text(changed.read_text(encoding="utf-8") + "-- local edit\n",
                       encoding="utf-8")
    (tmp_path / "_extensions/proefdruk/mine.lua").write_text("", encoding="utf-8")
    assert differences(tmp_path) == ["mine.lua: not in proefdruk's extension",
                                     "num.lua: differs"]
    result = subprocess.run([sys.executable, "-m", "proefdruk", "extension", "check",
                             "--root", str(tmp_path)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 1 and "num.lua: differs" in result.stderr
    install(tmp_path)
    assert differences(tmp_path) == []
