"""config/config.yaml is read within limits (issue #27, case 6): an alias bomb, deep
nesting or a huge file stop with an `error:` block naming the limit, quickly and in
bounded memory, instead of Snakemake's unbounded `configfile:` loader growing past the
machine's memory; `--config` and `--configfile` still apply over the file."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_snakemake
from proefdruk import config_file
from proefdruk.config_file import load_config_file, merged_config
from proefdruk.errors import BuildError
from proefdruk.new import create

# Nine levels of nine: 9**9 (387 million) strings from 600 bytes.
BOMB = "a: &a [" + ",".join(['"lol"'] * 9) + "]\n" + "".join(
    f"{b}: &{b} [" + ",".join([f"*{a}"] * 9) + "]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True))


def refused(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "config.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(BuildError) as info:
        load_config_file(path, display="config/config.yaml")
    message = str(info.value)
    assert message.startswith("error: ") and "config/config.yaml" in message
    assert "what to do:" in message
    return message


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    start = time.perf_counter()
    message = refused(tmp_path, BOMB)
    assert time.perf_counter() - start < 2
    assert "aliases are expanded" in message and "200 000" in message


def test_many_aliases_are_refused(tmp_path: Path) -> None:
    text = "x: &x 1\ny: [" + ",".join(["*x"] * 1001) + "]\n"
    assert "more than 1000 aliases" in refused(tmp_path, text)


@pytest.mark.parametrize("depth", [100, 5000])
def test_deep_nesting_is_refused(tmp_path: Path, depth: int) -> None:
    message = refused(tmp_path, "a: " + "[" * depth + "]" * depth + "\n")
    assert "too deeply nested" in message and "levels" in message


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    text = "archive_exclude:\n" + "- x\n" * 400_000
    assert "too large" in refused(tmp_path, text) and "bytes" in refused(tmp_path, text)


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    assert "refers to itself" in refused(tmp_path, "a: &a [1, *a]\n")


@pytest.mark.parametrize(("text", "words"), [
    ("render: {paper: a4\n", "not valid YAML"),
    (b"render:\n  paper: \xff\xfe\n", "not UTF-8"),
    ("- a\n- b\n", "not a mapping"),
])
def test_broken_files_say_what_is_wrong(tmp_path: Path, text: str | bytes, words: str) -> None:
    assert words in refused(tmp_path, text)


def test_a_folder_or_nothing_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").mkdir()
    with pytest.raises(BuildError, match="is a folder"):
        load_config_file(tmp_path / "config.yaml")
    with pytest.raises(BuildError, match="missing"):
        load_config_file(tmp_path / "nothing.yaml")


def test_ordinary_aliases_still_work_and_are_unshared(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("base: &b {paper: a4}\nrender: *b\n", encoding="utf-8")
    config = load_config_file(path)
    assert config == {"base": {"paper": "a4"}, "render": {"paper": "a4"}}
    config["render"]["pdfa"] = True  # filling a default in one place changes only that one
    assert config["base"] == {"paper": "a4"}


def test_the_command_line_goes_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("render: {paper: a4, pdfa: true}\n", encoding="utf-8")
    assert merged_config(path, {"render": {"pdfa": False}}) == {
        "render": {"paper": "a4", "pdfa": False}}
    assert merged_config(path, {"render": {"pdfa": False}}, replace=True) == {
        "render": {"pdfa": False}}


# --- the Snakefile: a starter reads its options through setup(configfile=...) -----------

def limited_memory() -> None:
    """Run the child in 1.5 GB of address space: Snakemake's unbounded loader does not
    finish the bomb in that, the bounded reader does not come near it."""
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create(tmp_path_factory.mktemp("config-file") / "thesis", lang="en")


def dry_run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "snakemake", "-n", "all", *args],
                          cwd=project, capture_output=True, text=True, timeout=120,
                          preexec_fn=limited_memory)


def said(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def test_the_bomb_in_a_starter_stops_quickly_with_a_message(starter: Path) -> None:
    config = starter / "config/config.yaml"
    kept = config.read_text(encoding="utf-8")
    try:
        config.write_text(BOMB, encoding="utf-8")
        start = time.perf_counter()
        result = dry_run(starter)
        took = time.perf_counter() - start
    finally:
        config.write_text(kept, encoding="utf-8")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "error: the options file is too large once its aliases are expanded" in out, out
    assert "config/config.yaml" in out and "MemoryError" not in out
    assert took < 60


def test_config_and_configfile_still_apply_over_the_file(starter: Path) -> None:
    assert dry_run(starter, "--config", "render={paper: a4}").returncode == 0
    # A wrong value given on the command line is checked like one in the file.
    result = dry_run(starter, "--config", "render={pdfa: nee}")
    assert result.returncode != 0 and "render.pdfa" in said(result)
    extra = starter / "extra.yaml"
    extra.write_text("render: {paper: a5}\n", encoding="utf-8")
    result = dry_run(starter, "--configfile", str(extra))
    assert result.returncode != 0 and "'a5'" in said(result), said(result)
    # The file's own values are there under the command line's: a bad file value shows.
    config = starter / "config/config.yaml"
    kept = config.read_text(encoding="utf-8")
    try:
        config.write_text(kept + "\nrender: {paper: b5}\n", encoding="utf-8")
        result = run_snakemake(starter, "-n", "all", "--config", "render={pdfa: true}")
    finally:
        config.write_text(kept, encoding="utf-8")
    assert result.returncode != 0 and "'b5'" in said(result), said(result)


def test_the_limits_leave_room_for_a_real_options_file() -> None:
    assert config_file.MAX_BYTES >= 100 * 1024 and config_file.MAX_DEPTH >= 16


def test_verify_reads_the_options_within_the_limits_too(tmp_path: Path, capsys,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`proefdruk verify scan` reads source_date_epoch from config/config.yaml itself."""
    from proefdruk import verify

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text(BOMB, encoding="utf-8")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    start = time.perf_counter()
    code = verify.main(["scan", "--root", str(tmp_path), "--report",
                        str(tmp_path / "scan.json")])
    err = capsys.readouterr().err
    assert code == 1 and "aliases are expanded" in err and time.perf_counter() - start < 5
