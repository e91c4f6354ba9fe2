"""One warnings report for the whole build.

Each check (bibliography, prose lint, consistency, rendering, reproducibility) writes its
own JSON report under ``results/reports/``. An author should not have to open six files
to learn that two references are unused and one caption is long, so this module folds
them into ``results/reports/warnings.md`` and one summary line printed by the build.

A check's report is a JSON object; the keys read here are ``check`` (a name; else the
file stem), ``summary`` (one line), ``warnings`` and ``errors`` (lists of strings or of
objects with ``message`` and optional ``file``, ``line``, ``key``). Anything else in the
report is left alone, so each check keeps its own richer format. A report may instead
hold one ``findings`` list whose items carry a ``level``: ``error``, ``warning``,
``info``, or anything else (``todo``), which is listed as an open point for the author.

Only what needs the author's attention counts as a warning. ``info`` items (such as the
registry numbers no chapter uses: a fact about the analysis, not a problem) are listed
in the report but not counted. The report is in English, as every message it quotes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser
from proefdruk.provenance import atomic_write_text

KINDS = ("errors", "warnings", "todo", "info")


def _item_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        where = str(item.get("file") or "")
        if where and item.get("line"):
            where += f":{item['line']}"
        msg = item.get("message") or item.get("reason") or json.dumps(
            dict(item), ensure_ascii=False, sort_keys=True)
        key = item.get("key")
        if key and key not in str(msg):
            msg = f"{key}: {msg}"
        return f"{where}: {msg}" if where else str(msg)
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


def read_reports(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Each report as ``{check, summary, warnings, errors, file}``; unreadable ones say so."""
    out = []
    for path in sorted(str(p) for p in paths):
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            out.append({"check": p.stem, "file": path, "summary": "", "todo": [], "info": [],
                        "warnings": [f"report could not be read: {exc}"], "errors": []})
            continue
        if not isinstance(data, Mapping):
            data = {"warnings": data if isinstance(data, list) else [data]}
        warnings = list(data.get("warnings") or [])
        errors = list(data.get("errors") or [])
        todo = list(data.get("todo") or [])
        info = list(data.get("info") or [])
        for item in data.get("findings") or []:
            level = str(item.get("level", "warning")) if isinstance(item, Mapping) else "warning"
            {"error": errors, "warning": warnings, "info": info}.get(level, todo).append(item)
        # Per-chapter reports (render-01-inleiding.json, ...) fold into one check.
        name = data.get("check") or (p.stem.split("-", 1)[0] if "chapter" in data else p.stem)
        out.append({
            "check": str(name),
            "file": path,
            "summary": str(data.get("summary") or ""),
            "warnings": [_item_text(w) for w in warnings],
            "errors": [_item_text(e) for e in errors],
            "todo": [_item_text(t) for t in todo],
            "info": [_item_text(i) for i in info],
        })
    return _fold(out)


def _fold(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per check name, the lists joined in file order."""
    folded: dict[str, dict[str, Any]] = {}
    for r in reports:
        if r["check"] not in folded:
            folded[r["check"]] = dict(r, **{k: list(r[k]) for k in KINDS})
            continue
        f = folded[r["check"]]
        f["file"] = f"{f['file']}, …" if not f["file"].endswith("…") else f["file"]
        for k in KINDS:
            f[k].extend(r[k])
    return sorted(folded.values(), key=lambda r: r["check"])


def summary_line(reports: list[dict[str, Any]]) -> str:
    """``warnings: 5 (bibliography 3, prose-lint 2); errors: 0; …`` (information is not
    counted)."""
    n_warn = sum(len(r["warnings"]) for r in reports)
    n_err = sum(len(r["errors"]) for r in reports)
    n_todo = sum(len(r["todo"]) for r in reports)
    parts = ", ".join(f"{r['check']} {len(r['warnings'])}" for r in reports if r["warnings"])
    return (f"warnings: {n_warn}" + (f" ({parts})" if parts else "")
            + (f"; open points for the author: {n_todo}" if n_todo else "")
            + f"; errors: {n_err}; {len(reports)} check(s)")


def render_markdown(reports: list[dict[str, Any]], max_items: int = 200) -> str:
    """The warnings report: a summary table, then each check's errors, warnings, open
    points and information."""
    lines = ["# Build warnings", "", summary_line(reports), "",
             "| check | warnings | open points | errors | information | summary |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for r in reports:
        summary = r["summary"].replace("|", "\\|")
        lines.append(f"| {r['check']} | {len(r['warnings'])} | {len(r['todo'])} "
                     f"| {len(r['errors'])} | {len(r['info'])} | {summary} |")
    for r in reports:
        if not any(r[k] for k in KINDS):
            continue
        lines += ["", f"## {r['check']}", "", f"Source: `{r['file']}`", ""]
        for label, items in (("error", r["errors"]), ("warning", r["warnings"]),
                             ("open point", r["todo"]), ("information", r["info"])):
            for item in items[:max_items]:
                lines.append(f"- {label}: {item}")
            if len(items) > max_items:
                lines.append(f"- … and {len(items) - max_items} more ({label})")
    return "\n".join(lines) + "\n"


def write_report(paths: Iterable[str | Path], out: str | Path) -> str:
    """Write ``warnings.md`` and return the summary line."""
    reports = read_reports(paths)
    atomic_write_text(out, render_markdown(reports))
    return summary_line(reports)


def main(argv: list[str] | None = None) -> int:
    """``proefdruk warnings-report REPORT.json... --out warnings.md``."""
    ap = CommandParser(prog="proefdruk warnings-report",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("reports", nargs="*")
    ap.add_argument("--glob", default=None,
                    help="also every report matching this pattern (per-chapter reports)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    paths = set(args.reports)
    if args.glob:
        from glob import glob

        paths.update(glob(args.glob))
    line = write_report(sorted(paths), args.out)
    print(f"{line}; see {args.out}")
    return 0
