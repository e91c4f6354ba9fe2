"""What ``snakemake all`` prints when no one watches a terminal (a pipe, CI, the preview).

Snakemake's own lines gave a cold build of the study 1,411 lines: an 18-line banner,
and per job a timestamp, its full list of inputs and a reason (thousands of characters
each), its log, resources and wildcards, a "Select jobs to execute..." and an "Execute
1 jobs...", a second timestamp, a "Finished jobid" and the step count. Here a job is four
lines, each in Snakemake's own words, so what tools and tests read stays readable::

    rule render_chapter:
        output: results/render/05-motieven.json, ...
        jobid: 12
    13 of 90 steps (14%) done; Finished jobid: 12 (Rule: render_chapter)

The job table becomes one ``Job stats:`` line, a failed job keeps Snakemake's ``Error in
rule …:`` block without its command line, and everything else Snakemake says (errors,
warnings, "Nothing to be done", where the complete log is) is kept as it is. Snakemake's
complete log (``.snakemake/log/``) and the jobs' logs (``logs/``) keep everything. A dry
run (the plan, asked for) and ``--verbose`` keep Snakemake's own lines.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from snakemake.logging import DefaultFormatter, get_event
from snakemake_interface_logger_plugins.common import LogEvent

# Snakemake's messages that say nothing a reader of the log acts on.
NOISE = re.compile(
    r"^(Select jobs to execute\.\.\.|Execute \d+ jobs?\.\.\.|Using shell: |Provided cores: "
    r"|Rules claiming more threads will be scaled down\.|Conda environments: ignored"
    r"|Assuming unrestricted shared filesystem usage\.|Using workflow specific profile "
    r"|Singularity containers: ignored|host: )")


class CompactFormatter(DefaultFormatter):
    """Snakemake's formatter, four lines per job (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.finished = ""  # a job's "Finished jobid" line, said with the next step count

    def format(self, record: logging.LogRecord) -> str:
        event = get_event(record)
        if event == LogEvent.JOB_FINISHED:
            earlier, self.finished = self.pending(), str(record.msg or "")
            return earlier
        if event == LogEvent.PROGRESS:
            done, line = self.pending(), self.format_progress(record.__dict__)
            return f"{line}; {done}" if done else line
        if event in (LogEvent.WORKFLOW_STARTED, LogEvent.RESOURCES_INFO, LogEvent.JOB_STARTED):
            return ""
        if event == LogEvent.RUN_INFO and isinstance(getattr(record, "stats", None), dict):
            return self.job_stats(record.stats)
        if event is None and NOISE.match(record.getMessage()):
            return ""
        return "\n".join(x for x in (self.pending(), super().format(record)) if x)

    def pending(self) -> str:
        """The "Finished jobid" line not yet said (and forget it)."""
        line, self.finished = self.finished, ""
        return line

    @staticmethod
    def job_stats(stats: dict[str, Any]) -> str:
        counts = {k: v for k, v in stats.items() if k != "total"}
        total = stats.get("total", sum(counts.values()))
        return f"Job stats: {total} job(s) of {len(counts)} rule(s)"

    def format_job_info(self, msg: dict[str, Any]) -> str:
        kind = "checkpoint" if msg.get("is_checkpoint") else "rule"
        lines = [f"{'local' if msg.get('local') else ''}{kind} {msg['rule_name']}:"]
        if msg.get("output"):
            lines.append(f"    output: {', '.join(msg['output'])}")
        lines.append(f"    jobid: {msg['jobid']}")
        return "\n".join(lines)

    def format_job_error(self, msg: dict[str, Any]) -> str:
        lines = [f"Error in rule {msg['rule_name']}:", f"    jobid: {msg['jobid']}"]
        if msg.get("output"):
            lines.append(f"    output: {', '.join(msg['output'])}")
        if msg.get("log"):
            lines.append(f"    log: {', '.join(msg['log'])} (its error block comes last)")
        return "\n".join(lines)
