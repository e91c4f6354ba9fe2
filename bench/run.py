"""Benchmark: what a rebuild costs, measured on this machine.

Run by hand (not part of the test pass/fail)::

    .venv/bin/python bench/run.py            # all workloads, 3 repetitions
    .venv/bin/python bench/run.py --reps 5 --only W2 W3
    .venv/bin/python bench/run.py --only W1 W2 W3 W4 W5 --baseline 57c1b10

Workloads, each in a fresh clone of the committed project with the environment already
installed:

- W1 cold build from a clean clone;
- W2 no-op ``snakemake all`` (compared with Snakemake's own start-up on a trivial workflow);
- W3 a one-word edit in one chapter (compared with the floor: pandoc and Typst run
  directly on the same sources, with no workflow around them);
- W4 one changed survey answer;
- W5 the same study scaled up (4x the chapters, 10x the respondents), to show growth;
- W6 the writing loop: a one-word edit in a middle chapter with ``proefdruk preview``
  running and the chapter open in headless Chromium, from writing the file to the new
  text in the page (bench/preview_loop.py);
- W7 the same for one changed survey answer, to the new number on the page using it;
- W9 and W10 a new candidate's starter (`proefdruk new`, English): its cold build (the
  goal: at most 20 s) and its no-op (the goal: at most 1.5x Snakemake's own no-op);
- W8 a large bibliography: the rebuild after the .bib grows to about 5,000 entries
  (2 MB) against the rebuild after one entry is added to the normal one; the goal is
  under twice that time (bibliography checks and citation processing near-linear).

With ``--baseline REV``, W1-W5 are measured on that commit too, in the same run and
taking turns with the current commit, so that a claim of "no regression" rests on two
measurements of one host at one time. For each: median wall time over the repetitions,
peak memory of the whole process tree (sampled), and the rules that ran. Writes
bench/reports/latest.md and latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "bench" / "reports"
RULE_RE = re.compile(r"^\s*(?:local)?(?:rule|checkpoint) (\w+):", re.MULTILINE)


@dataclass
class Run:
    """One timed command."""

    seconds: float
    peak_rss_mib: float
    rules: list[str]
    returncode: int


@dataclass
class Workload:
    """The repetitions of one workload and their summary."""

    name: str
    description: str
    runs: list[Run] = field(default_factory=list)
    floor_seconds: float | None = None
    notes: list[str] = field(default_factory=list)
    # the same workload on the baseline commit, measured in the same run (--baseline)
    baseline: Workload | None = None

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak(self) -> float:
        return max(r.peak_rss_mib for r in self.runs)

    def summary(self) -> dict:
        rules = sorted({rule for r in self.runs for rule in r.rules})
        return {
            "name": self.name, "description": self.description,
            "median_seconds": round(self.median, 3),
            "all_seconds": [round(r.seconds, 3) for r in self.runs],
            "peak_rss_mib": round(self.peak, 1),
            "rules_ran": rules,
            # jobs per rule in the first repetition (later ones repeat the same work)
            "rule_counts": {rule: self.runs[0].rules.count(rule) for rule in rules},
            "floor_seconds": None if self.floor_seconds is None else round(self.floor_seconds, 3),
            "jobs": len(self.runs[0].rules),
            "notes": self.notes,
            **({"baseline": self.baseline.summary()} if self.baseline else {}),
        }


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd``, sampling the RSS of its whole process tree every 20 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    parent = psutil.Process(proc.pid)
    peak = 0
    out_chunks: list[str] = []
    import threading

    def drain() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            out_chunks.append(line)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.02)
    reader.join()
    seconds = time.perf_counter() - start
    output = "".join(out_chunks)
    if proc.returncode != 0:
        print(output[-4000:], file=sys.stderr)
    return Run(seconds, peak / 2**20, RULE_RE.findall(output), proc.returncode)


def snakemake(*args: str) -> list[str]:
    return [sys.executable, "-m", "snakemake", *args]


def clone(dest: Path, rev: str | None = None) -> Path:
    """A fresh clone of this repository at HEAD, or at commit ``rev``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)
    if rev is not None:
        subprocess.run(["git", "checkout", "--quiet", "--detach", rev], cwd=dest, check=True)
    return dest


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{e.get('PATH', '')}"
    return e


def edit_one_word(project: Path, chapter: str) -> None:
    """Append one word to the last prose paragraph of ``chapter`` (a real author's edit)."""
    path = project / chapter
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + " Aldus.\n", encoding="utf-8")


def change_one_answer(project: Path) -> str:
    """Flip one multiple-response answer (0<->1) in the survey export; returns what changed."""
    export = project / "data/raw/survey/export.csv"
    lines = export.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n")
    sep = ";" if header.count(";") > header.count(",") else ","
    cols = header.split(sep)
    for row_index in range(1, len(lines)):
        cells = lines[row_index].rstrip("\r\n").split(sep)
        for i, cell in enumerate(cells):
            if cols[i].startswith("mot_") or re.match(r"^[a-z]+\d*_\d+$", cols[i] or ""):
                if cell in ("0", "1"):
                    cells[i] = "1" if cell == "0" else "0"
                    end = lines[row_index][len(lines[row_index].rstrip("\r\n")):]
                    lines[row_index] = sep.join(cells) + end
                    export.write_text("".join(lines), encoding="utf-8")
                    return f"row {row_index}, column {cols[i]}: {cell} -> {cells[i]}"
    raise SystemExit("no 0/1 answer found to change in the export")


def trivial_startup(tmp: Path, reps: int) -> float:
    """Snakemake's own no-op start-up on a one-rule workflow."""
    wf = tmp / "trivial"
    wf.mkdir(parents=True)
    (wf / "Snakefile").write_text('rule all:\n    output: "x.txt"\n    shell: "touch {output}"\n')
    subprocess.run(snakemake("--cores", "1", "-q"), cwd=wf, check=True, env=env(),
                   capture_output=True)
    return statistics.median(
        timed(snakemake("--cores", "1", "-q"), wf, env()).seconds for _ in range(reps)
    )


def floor_for_chapter(project: Path, chapter: str, reps: int) -> float:
    """pandoc and Typst run directly on the same sources: the chapter page (markdown to
    HTML with citeproc) plus the whole book to PDF (markdown to Typst, compiled)."""
    import pypandoc
    import typst

    pandoc = pypandoc.get_pandoc_path()
    bib = project / "bibliography/references.bib"
    csl = project / "bibliography/dissertatie-nl.csl"
    chapters = sorted((project / "chapters").glob("*.qmd"))
    out = Path(tempfile.mkdtemp())

    def once() -> float:
        start = time.perf_counter()
        cite = ["--citeproc", f"--bibliography={bib}", f"--csl={csl}"] if bib.exists() else []
        # Chapters name figures without extension, as Quarto does; the PDF takes the SVG.
        cite.append("--default-image-extension=svg")
        subprocess.run([pandoc, str(project / chapter), "-s", "-o", str(out / "c.html"), *cite],
                       check=True, capture_output=True)
        # The .typ sits beside the chapters so their relative image paths resolve, with
        # the project as Typst's root, as in the real build.
        typ = project / "chapters" / "_bench-floor.typ"
        subprocess.run([pandoc, *map(str, chapters), "-s", "-t", "typst",
                        "-o", str(typ), *cite], check=True, capture_output=True)
        typst.compile(str(typ), output=str(out / "book.pdf"), root=str(project),
                      ignore_system_fonts=True)
        typ.unlink()
        return time.perf_counter() - start

    return statistics.median(once() for _ in range(reps))


BIB = "bibliography/references.bib"
_ENTRY_RE = re.compile(r"@\w+\s*\{[^@]+")


def grow_bibliography(project: Path, entries: int = 5000, size: int = 2_000_000) -> str:
    """Append copies of the study's own entries under new keys (``<key>x<n>``, titles
    prefixed "Deel n", an abstract as reference managers export one) until the .bib
    holds ``entries`` entries of about ``size`` bytes in all; returns a note.

    Every copy is a well-formed, uncited entry: the checks and citeproc must read all of
    them, the chapters cite none.
    """
    path = project / BIB
    text = path.read_text(encoding="utf-8")
    originals = _ENTRY_RE.findall(text)
    copies = entries - len(originals)
    plain = sum(len(originals[n % len(originals)]) for n in range(1, copies + 1))
    filler = "Een samenvatting zoals een literatuurbeheerder die meelevert. "
    room = max(0, (size - len(text) - plain) // max(copies, 1) - 20)
    abstract = (filler * (room // len(filler) + 1))[:room].strip()
    parts = [text.rstrip("\n")]
    for n in range(1, copies + 1):
        entry = originals[n % len(originals)].rstrip()
        entry = re.sub(r"^(@\w+\s*\{)([^,\s]+),",
                       rf"\g<1>\g<2>x{n},\n  abstract = {{{abstract}}},", entry, count=1)
        entry = re.sub(r"(\btitle\s*=\s*\{)", rf"\g<1>Deel {n}: ", entry, count=1)
        parts.append(entry)
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return f"{BIB}: {entries} entries, {path.stat().st_size / 2**20:.1f} MiB"


def large_bibliography(base: Path, dest: Path, e: dict[str, str]) -> Workload:
    """W8: the rebuild after a ~5,000-entry .bib, against one more entry in the normal one."""
    w8 = Workload("W8", "rebuild after the bibliography grows to ~5,000 entries (2 MB)")
    shutil.copytree(base, dest, symlinks=True)
    path = dest / BIB
    first = _ENTRY_RE.findall(path.read_text(encoding="utf-8"))[0].rstrip()
    one_more = re.sub(r"^(@\w+\s*\{)([^,\s]+),", r"\g<1>\g<2>extra,", first, count=1)
    path.write_text(path.read_text(encoding="utf-8") + "\n" + one_more + "\n",
                    encoding="utf-8")
    normal = timed(snakemake("all"), dest, e)
    w8.floor_seconds = normal.seconds
    w8.notes.append(grow_bibliography(dest))
    w8.runs.append(timed(snakemake("all"), dest, e))
    w8.notes.append(f"floor: the same rebuild after one entry was added to the normal .bib "
                    f"({normal.seconds:.1f} s); goal: under twice that")
    return w8


def new_starter(dest: Path, e: dict[str, str]) -> Path:
    """``proefdruk new`` (English), as a git repository, as a candidate starts."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "proefdruk", "new", str(dest), "--lang", "en"],
                   check=True, env=e, capture_output=True)
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit",
                  "-qm", "starter"]):
        subprocess.run(["git", *args], cwd=dest, check=True, capture_output=True)
    return dest


def starter_builds(base: Path, args: argparse.Namespace, e: dict[str, str]) -> list[Workload]:
    """W9: cold build of a fresh starter (a new one each repetition); W10: its no-op,
    against Snakemake's own no-op on a one-rule workflow."""
    out = []
    w9 = Workload("W9", "starter (proefdruk new, en): cold build")
    w9.notes.append("goal: at most 20 s (issue #26)")
    for rep in range(args.reps):
        project = new_starter(base / f"cold-{rep}", e)
        w9.runs.append(timed(snakemake("all"), project, e))
    if "W9" in args.only:
        out.append(w9)
    if "W10" in args.only:
        w10 = Workload("W10", "starter: no-op `snakemake all`")
        project = base / "cold-0"
        timed(snakemake("all"), project, e)  # the first start after a build writes caches
        w10.runs = [timed(snakemake("all"), project, e) for _ in range(args.reps)]
        w10.floor_seconds = trivial_startup(base / "floor", args.reps)
        w10.notes.append("floor: Snakemake no-op on a one-rule workflow; goal: at most 1.5x")
        out.append(w10)
    return out


def scale_project(project: Path, chapter_factor: int, respondent_factor: int) -> list[str]:
    """Make ``project`` a bigger study: copies of every chapter (new ids, same content) and
    a larger synthetic export from the seeded generator."""
    notes: list[str] = []
    import yaml

    qpath = project / "_quarto.yml"
    quarto = yaml.safe_load(qpath.read_text(encoding="utf-8"))
    extra: list[str] = []
    sources = sorted((project / "chapters").glob("[0-9][0-9]-*.qmd"))
    label_re = re.compile(r"\{#((?:sec|fig|tbl)-[\w-]+)")
    defined = {m for src in sources for m in label_re.findall(src.read_text(encoding="utf-8"))}
    for copy in range(2, chapter_factor + 1):
        for src in sources:
            dst = src.with_name(f"x{copy}-{src.name}")
            text = src.read_text(encoding="utf-8")
            # Labels must stay unique across the book: suffix every id the copies define,
            # and the references to them; references to appendices stay as they are.
            suffix = f"-x{copy}"
            text = label_re.sub(lambda m, sx=suffix: "{#" + m.group(1) + sx, text)
            text = re.sub(r"@((?:sec|fig|tbl)-[\w-]+)",
                          lambda m, sx=suffix: "@" + m.group(1) + (sx if m.group(1) in defined
                                                                  else ""), text)
            dst.write_text(text, encoding="utf-8")
            extra.append(f"chapters/{dst.name}")
    quarto["book"]["chapters"].append({"part": "Schaalproef", "chapters": extra})
    qpath.write_text(yaml.safe_dump(quarto, allow_unicode=True, sort_keys=False),
                     encoding="utf-8")
    notes.append(f"{len(extra)} extra chapters")
    generator = project / "data/generate_survey.py"
    if generator.exists():
        # The generator repeats the whole survey in waves rather than inventing
        # municipalities; validation and pseudonymisation see every submission.
        subprocess.run([sys.executable, str(generator), "--golven", str(respondent_factor)],
                       cwd=project, check=True, env=env(), capture_output=True)
        rows = len((project / "data/raw/survey/export.csv").read_bytes().splitlines()) - 1
        notes.append(f"export regenerated with --golven {respondent_factor} ({rows} rows)")
    else:
        notes.append("no survey generator found: respondents not scaled")
    return notes


def quiet_start(limit: float = 0.5, patience: float = 180.0) -> float:
    """Wait (at most ``patience`` seconds) until the 1-minute load average is below
    ``limit``, so that a build that just ended does not count against the first
    workload; the load average then, for the report."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(5)
    return round(os.getloadavg()[0], 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--only", nargs="*",
                        default=["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9",
                                 "W10"])
    parser.add_argument("--chapter", default="chapters/05-motieven.qmd")
    parser.add_argument("--baseline", metavar="REV",
                        help="also measure W1-W5 on this commit, repetition by repetition "
                             "in turn with the current one, with the same interpreter")
    args = parser.parse_args(argv)
    args.load_at_start = quiet_start()
    REPORTS.mkdir(parents=True, exist_ok=True)
    e = env()
    with tempfile.TemporaryDirectory(prefix="proefdruk-bench-") as tmpname:
        tmp = Path(tmpname)
        trees = {"current": None}
        if args.baseline:
            trees["baseline"] = resolve_rev(args.baseline)
            args.baseline_label = describe_rev(trees["baseline"])
        measured = builds(trees, args, tmp, e)
        results = measured["current"]
        if args.baseline:
            for now, then in zip(results, measured["baseline"], strict=True):
                now.baseline = then
        base = tmp / "current" / "base"
        if "W6" in args.only or "W7" in args.only:
            results += writing_loop(base, args, e)
        if "W8" in args.only:
            results.append(large_bibliography(base, tmp / "bib", e))
        if "W9" in args.only or "W10" in args.only:
            results += starter_builds(tmp / "starter", args, e)
    write_report(results, args)
    runs = [r for w in results for r in (*w.runs, *(w.baseline.runs if w.baseline else ()))]
    return 0 if all(r.returncode == 0 for r in runs) else 1


def resolve_rev(rev: str) -> str:
    """The full commit id of ``rev`` in this repository."""
    return subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout.strip()


def describe_rev(commit: str) -> str:
    """``<short id> (<date>): <subject>`` of a commit, for the report."""
    return subprocess.run(["git", "log", "-1", "--format=%h (%cs): %s", commit], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout.strip()


def builds(trees: dict[str, str | None], args: argparse.Namespace, tmp: Path,
           e: dict[str, str]) -> dict[str, list[Workload]]:
    """W1-W5 for each tree (``None``: the committed HEAD; else a commit id).

    The trees take turns within each repetition, so that a host that speeds up or slows
    down during the run (other tenants, thermal limits) weighs on both alike: the
    comparison with a baseline holds even where absolute times do not.
    """
    out: dict[str, list[Workload]] = {name: [] for name in trees}
    bases = {name: tmp / name / "base" for name in trees}
    w1 = {n: Workload("W1", "cold build from a clean clone (environment installed)")
          for n in trees}
    for rep in range(args.reps if "W1" in args.only else 1):
        for name, rev in trees.items():
            project = clone(tmp / name / f"cold{rep}", rev)
            w1[name].runs.append(timed(snakemake("all"), project, e))
            if rep == 0:
                shutil.copytree(project, bases[name], symlinks=True)
            shutil.rmtree(project)
    if "W1" in args.only:
        for name in trees:
            out[name].append(w1[name])
    if "W2" in args.only:
        w2 = {n: Workload("W2", "no-op `snakemake all`") for n in trees}
        for _ in range(args.reps):
            for name in trees:
                w2[name].runs.append(timed(snakemake("all"), bases[name], e))
        floor = trivial_startup(tmp, args.reps)
        for name in trees:
            w2[name].floor_seconds = floor
            w2[name].notes.append("floor: Snakemake no-op on a one-rule workflow")
            out[name].append(w2[name])
    if "W3" in args.only:
        w3 = {n: Workload("W3", f"one-word edit in {args.chapter}") for n in trees}
        for _ in range(args.reps):
            for name in trees:
                edit_one_word(bases[name], args.chapter)
                w3[name].runs.append(timed(snakemake("all"), bases[name], e))
        floor = floor_for_chapter(bases["current"], args.chapter, args.reps)
        for name in trees:
            w3[name].floor_seconds = floor
            w3[name].notes.append("floor: pandoc (chapter page + whole book to Typst) and "
                                  "typst.compile")
            out[name].append(w3[name])
    if "W4" in args.only:
        w4 = {n: Workload("W4", "one changed survey answer") for n in trees}
        for _ in range(args.reps):
            for name in trees:
                w4[name].notes.append(change_one_answer(bases[name]))
                w4[name].runs.append(timed(snakemake("all"), bases[name], e))
        for name in trees:
            out[name].append(w4[name])
    if "W5" in args.only:
        w5 = {n: Workload("W5", "scaled study: 4x chapters, 10x respondents, cold build")
              for n in trees}
        for name, rev in trees.items():
            big = clone(tmp / name / "big", rev)
            w5[name].notes += scale_project(big, 4, 10)
            w5[name].runs.append(timed(snakemake("all"), big, e))
            shutil.rmtree(big)
        for name in trees:
            out[name].append(w5[name])
    return out


def writing_loop(base: Path, args: argparse.Namespace, e: dict[str, str]) -> list[Workload]:
    """W6 and W7 (the preview), each against pandoc rendering the chapter page alone."""
    import preview_loop

    reps = max(args.reps, 5)
    out = []
    # The writing loop is measured against the clock a person sees; say how busy the
    # machine was, since other work on the same cores stretches every step.
    load = f"load average at the start: {os.getloadavg()[0]:.1f}"
    if "W6" in args.only:
        w6 = Workload("W6", f"preview: one-word edit in {args.chapter}, save to new text "
                            "in the open page (Chromium)")
        w6.runs = [Run(s, 0.0, [], 0) for s in preview_loop.w6_word_edit(base, args.chapter,
                                                                         reps)]
        w6.floor_seconds = preview_loop.page_floor(base, args.chapter, reps)
        w6.notes += ["floor: pandoc rendering that chapter page alone; goal <= 1.0 s", load]
        out.append(w6)
    if "W7" in args.only:
        key = "motieven.mot.handel"
        w7 = Workload("W7", f"preview: one changed survey answer, save to the new number "
                            f"{key} in the open page (Chromium)")
        seconds, notes, chapter = preview_loop.w7_survey_answer(base, key, reps,
                                                                change_one_answer)
        w7.runs = [Run(s, 0.0, [], 0) for s in seconds]
        w7.floor_seconds = preview_loop.page_floor(base, chapter, reps)
        steps = preview_loop.analysis_seconds(base, chapter, change_one_answer, snakemake, e,
                                              min(reps, 3))
        w7.notes += [f"floor: pandoc rendering that chapter page alone; the analysis steps "
                     f"it must rerun (Snakemake making what the page reads after a changed "
                     f"answer, minus a no-op run) take {steps:.2f} s "
                     f"(goal <= {steps + 1:.2f} s)", load,
                     f"load average at the end: {os.getloadavg()[0]:.1f}", *notes]
        out.append(w7)
    return out


def write_report(results: list[Workload], args: argparse.Namespace) -> None:
    """latest.md and latest.json; a workload not run this time keeps its last result,
    noted as coming from an earlier run."""
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(),
               "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
               "platform": platform.platform(terse=True),
               # Times from a busy machine are not comparable with a quiet run's; the
               # floors, measured in the same run, are. Say how busy it was.
               "load_at_start": args.load_at_start,
               "load_at_end": round(os.getloadavg()[0], 2)}
    summaries = {w.name: w.summary() for w in results}
    previous = REPORTS / "latest.json"
    if previous.is_file():
        for old in json.loads(previous.read_text(encoding="utf-8")).get("workloads", []):
            if old["name"] not in summaries:
                old.setdefault("notes", []).append("from an earlier run")
                summaries[old["name"]] = old
    ordered = [summaries[k] for k in sorted(summaries, key=lambda n: int(n[1:]))]
    baseline = getattr(args, "baseline_label", None)
    data = {"machine": machine, "repetitions": args.reps, "baseline": baseline,
            "workloads": ordered}
    (REPORTS / "latest.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    lines = ["# Benchmark report", "",
             f"Machine: {machine['cpus']} cores, {machine['memory_gib']} GiB, "
             f"Python {machine['python']}. Median of {args.reps} repetitions "
             "(W6 and W7: at least 5 edits). Load average (1 min) "
             f"{machine['load_at_start']} at the start (after waiting up to 3 minutes for "
             f"it to fall below 0.5) and {machine['load_at_end']} at the end (which counts "
             "the benchmark's own builds). Times depend on how busy the host is: compare "
             "each time with its floor or its baseline, measured in the same run, rather "
             "than with an earlier report.", ""]
    if baseline:
        lines += [f"Baseline: commit {baseline}, measured in the same run with the same "
                  "interpreter, its repetitions taking turns with the current commit's. "
                  "Ratio: current median / baseline median. Jobs: the jobs that ran "
                  "(now / baseline); a cold build of a book that grew runs more of them.",
                  ""]
    lines += ["| workload | median s | floor s | baseline s | ratio | jobs | peak MiB "
              "| rules that ran |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for s in ordered:
        rules = ", ".join(f"{k}×{v}" for k, v in s["rule_counts"].items()) or (
            "(the preview's Snakemake runs)" if s["name"] in ("W6", "W7") else "none")
        floor = "" if s["floor_seconds"] is None else f"{s['floor_seconds']:.2f}"
        peak = f"{s['peak_rss_mib']:.0f}" if s["peak_rss_mib"] else ""
        then = s.get("baseline")
        base_s = f"{then['median_seconds']:.2f}" if then else ""
        ratio = f"{s['median_seconds'] / then['median_seconds']:.2f}" if then else ""
        jobs = s.get("jobs", "")
        if then:
            jobs = f"{jobs} / {then.get('jobs', '')}"
        lines.append(f"| {s['name']}: {s['description']} | {s['median_seconds']:.2f} | "
                     f"{floor} | {base_s} | {ratio} | {jobs} | {peak} | {rules} |")
    lines.append("")
    for s in ordered:
        if s["notes"]:
            lines.append(f"- {s['name']}: " + "; ".join(dict.fromkeys(s["notes"])))
    (REPORTS / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
