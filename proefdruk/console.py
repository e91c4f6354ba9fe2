"""What ``snakemake all`` prints: the project's Snakemake logger (``--logger proefdruk``).

A fresh build printed about 1,400 lines (every job with its inputs, thousands of
characters long), and a failing chapter's error block twice: once as the job ran and once
when Snakemake showed the failed job's log, followed by Snakemake's own closing lines, so
the block that says what to do was never where the eye lands. The default profile
therefore selects this logger. On a terminal it shows a progress display (the Rich
logger plugin's, with a one-line job count in place of its table); everywhere else (a
pipe, CI, the preview's log) two lines per job in Snakemake's own words
(:mod:`proefdruk.console_lines`), which tools and tests read. Either way what the jobs
themselves printed is held back while they run (:mod:`proefdruk.console_capture`: on a
terminal it would break the display) and shown after Snakemake's closing lines, with
each failed job's error block once, last. Full logs stay in ``logs/`` and
``.snakemake/log/``: the failed jobs' logs are read from there.

Snakemake finds logger plugins as top-level modules named
``snakemake_logger_plugin_<name>`` among the installed ones; the package ships
``snakemake_logger_plugin_proefdruk``, a two-line shim onto this one, so a wheel install
and an editable checkout both have it without a path file of their own.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from typing import Any

from snakemake_interface_logger_plugins.base import LogHandlerBase

from proefdruk.console_capture import JobOutput
from proefdruk.console_lines import CompactFormatter as CompactLines

# The labelled lines of proefdruk.errors.BuildError.render, after its "error: " line.
DETAIL = re.compile(r"^\s{2,}(where|expected|found|what to do):")
# Lines from the end of a failed job's log shown when it holds no error block.
TAIL_LINES = 15
# The longest body (code excerpt, traceback) kept between an error's first line and its
# labelled lines.
MAX_BODY_LINES = 200


def error_blocks(output: str) -> list[str]:
    """The blocks :meth:`BuildError.render` printed (``error: …`` with its where,
    expected, found and what-to-do lines), read back from a job's log or from Snakemake's
    output: each once, in order of first appearance (the author needs each once). A block
    may hold a body between its first line and its labelled lines (a cell's code and
    traceback); lines are kept only when a labelled line follows them."""
    blocks: list[str] = []
    current: list[str] | None = None
    pending: list[str] = []

    def close() -> None:
        nonlocal current, pending
        if current:
            blocks.append("\n".join(current))
        current, pending = None, []

    for raw in output.splitlines():
        line = raw.rstrip()
        stripped = line.lstrip()
        if stripped.startswith("error: "):
            close()
            current = [stripped]
        elif current is None:
            continue
        elif DETAIL.match(line):
            current += pending
            pending = []
            current.append("  " + stripped)
        elif line.startswith("    ") and len(current) > 1 and not pending:
            current.append(line)
        elif len(pending) < MAX_BODY_LINES:
            pending.append(line)
        else:
            close()
    close()
    return list(dict.fromkeys(blocks))


def interactive() -> bool:
    """Whether the person reading is at a terminal (the progress display can redraw)."""
    return sys.stderr.isatty() and os.environ.get("TERM", "") != "dumb"


def failure_report(failed: list[tuple[str, list[str]]]) -> str:
    """What to print last for the failed jobs ``(rule, log files)``: the error blocks in
    their logs, each once, or, for a job whose log has none, the end of its log."""
    blocks: list[str] = []
    for rule, logs in failed:
        found: list[str] = []
        tails: list[str] = []
        for log in logs:
            try:
                text = Path(log).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            found += error_blocks(text)
            lines = text.rstrip().splitlines()[-TAIL_LINES:]
            if lines:
                tails.append(f"rule {rule} failed; the end of {log}:\n"
                             + "\n".join("    " + ln for ln in lines))
        if not found and not tails:
            where = ", ".join(logs) or "Snakemake's complete log (.snakemake/log/)"
            tails.append(f"rule {rule} failed without a message; see {where}")
        blocks += found or tails
    return "\n\n".join(dict.fromkeys(blocks))


def without_blocks(text: str, blocks: list[str]) -> str:
    """``text`` without the lines of ``blocks`` (they are shown once, in the report), and
    without runs of blank lines."""
    taken = {ln.strip() for b in blocks for ln in b.splitlines() if ln.strip()}
    kept = [ln.rstrip() for ln in text.splitlines() if ln.strip() not in taken]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


class LogHandler(LogHandlerBase):
    """Progress on a terminal, compact lines elsewhere; the jobs' own output after the
    run, and the failures once, last."""

    def __post_init__(self) -> None:
        from snakemake.logging import DefaultFilter, DefaultFormatter

        settings = self.common_settings
        self.failed: list[tuple[str, list[str]]] = []
        self.rich: Any = None
        if interactive():  # made first: Rich reads the terminal's abilities from stderr
            self.rich = _rich_handler(settings)
        self.capture: JobOutput | None = JobOutput(bool(getattr(settings, "stdout", False)))
        self.out = self.capture.console
        if self.rich is not None:
            self.rich.console.file = self.out
        # A dry run prints the plan someone asked for: Snakemake's own lines, in full.
        kind = DefaultFormatter if settings.verbose or settings.dryrun else CompactLines
        self.lines = kind(settings.quiet, settings.show_failed_logs)
        self.shown = DefaultFilter(settings.quiet, settings.debug_dag, settings.verbose,
                                   settings.dryrun, settings.printshellcmds)

    @property
    def writes_to_stream(self) -> bool:
        return True

    @property
    def writes_to_file(self) -> bool:
        return False

    @property
    def has_filter(self) -> bool:
        return True

    @property
    def has_formatter(self) -> bool:
        return True

    @property
    def needs_rulegraph(self) -> bool:
        return False

    def emit(self, record: Any) -> None:
        if str(getattr(record, "event", "")) == "job_error":
            logs = getattr(record, "log", None) or []
            self.failed.append((str(getattr(record, "rule_name", "?")),
                                [logs] if isinstance(logs, str) else [str(x) for x in logs]))
        if self.rich is not None:
            self.rich.emit(record)
        elif self.shown.filter(record):
            text = self.lines.format(record)
            if text and text != "None":
                self.out.write(text + "\n")
                self.out.flush()

    def close(self) -> None:
        """The end of the run: stop the display, then what the jobs printed, then the
        error blocks, last on screen. (Snakemake closes its logger after its own closing
        lines, and may close it more than once.)"""
        if self.rich is not None:
            self.rich.close()
            self.rich = None
        if isinstance(self.lines, CompactLines):
            last = self.lines.pending()
            if last:
                self.out.write(last + "\n")
        printed = self.capture.stop() if self.capture is not None else {}
        self.capture = None
        report = failure_report(self.failed) if self.failed else ""
        self.failed = []
        from_jobs = error_blocks(printed.get(2, ""))
        blocks = [b for b in from_jobs if b not in report]
        report = "\n\n".join(x for x in (report, *blocks) if x)
        if printed.get(1, "").strip():
            sys.stdout.write(without_blocks(printed[1], from_jobs) + "\n")
            sys.stdout.flush()
        rest = without_blocks(printed.get(2, ""), from_jobs)
        if rest:
            print(rest, file=sys.stderr, flush=True)
        if report:
            print(f"\n{report}", file=sys.stderr, flush=True)
        with contextlib.suppress(Exception):
            if self.out is not sys.stderr:
                self.out.close()
        self.out = sys.stderr
        super().close()


def _rich_handler(settings: Any) -> Any:
    """The Rich plugin's handler, with a one-line job count instead of its job table and
    a one-line failure notice instead of the failed job's log (that comes last)."""
    from snakemake_logger_plugin_rich.event_handler import EventHandler
    from snakemake_logger_plugin_rich.handler import RichLogHandler

    class Events(EventHandler):
        def _display_job_summary(self, per_rule_job_counts: dict[str, int],
                                 total_job_count: int) -> None:
            if total_job_count:
                self.console.print(f"{total_job_count} job(s) to run "
                                   f"({len(per_rule_job_counts)} rules)", highlight=False)

        def handle_error(self, event_data: Any, **kwargs: Any) -> None:
            # A job's failed command (with its long command line): the job's "failed"
            # line says which, and its error block comes last.
            if event_data.exception == "RuleException" and "CalledProcessError" in (
                    event_data.message or ""):
                return
            super().handle_error(event_data, **kwargs)

        def handle_job_error(self, event_data: Any, **kwargs: Any) -> None:
            info = self.jobs_info.get(event_data.jobid, {})
            self.progress_display.mark_rule_failed(info.get("rule", "?"))
            self.console.print(f"[bold red]✗ failed[/] {info.get('rule', '?')}"
                               f" [dim]({', '.join(info.get('log') or []) or 'no log'})[/]")

    handler = RichLogHandler(settings=settings)
    handler.event_handler = Events(
        console=handler.console, progress=handler.progress,
        live_display=handler.live_display, dryrun=settings.dryrun,
        printshellcmds=settings.printshellcmds, show_failed_logs=settings.show_failed_logs,
        verbose=settings.verbose)
    return handler
