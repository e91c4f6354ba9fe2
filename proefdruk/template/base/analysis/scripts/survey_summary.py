"""Rule `survey_summary`: agreement per group, as a table, a figure, numbers and a claim.

A thin script: it reads the files the rule names (``smk.input``, ``smk.output``,
``smk.params``), lets analysis/survey.py compute, and writes. Everything it uses of the
tool comes from ``proefdruk.api``, the tool's one public module for study code.
"""

import pandas as pd

from analysis import survey, texts
from proefdruk.api import (
    NumberSet,
    atomic_write_text,
    escape_markdown,
    format_number,
    format_percent,
    run,
    safe_csv_text,
    snakemake_or_cli,
    step_record,
    write_step_record,
)

smk = snakemake_or_cli(globals())


def markdown_table(table: pd.DataFrame, lang: str) -> str:
    """The table as a Markdown pipe table in the book's language (``lang``), data values
    escaped so that a group called ``@home`` stays text and never becomes a citation."""
    head = "| " + " | ".join(escape_markdown(h) for h in texts.TABLE_HEADER) + " |"
    rows = [f"| {escape_markdown(r.group)} | {format_number(r.respondents, lang=lang)} | "
            f"{format_number(r.mean_score, 1, lang=lang)} | "
            f"{format_percent(r.share_agreeing, lang=lang)} |"
            for r in table.itertuples()]
    return "\n".join([head, "|:---|---:|---:|---:|", *rows]) + "\n"


def main() -> None:
    record = step_record(smk, __file__, {"agree_from": smk.params.agree_from})
    answers = survey.check_answers(pd.read_csv(smk.input.answers, dtype=str),
                                   smk.input.answers)
    agree_from = int(smk.params.agree_from)
    table = survey.per_group(answers, agree_from)

    atomic_write_text(smk.output.table_csv, safe_csv_text(table))
    atomic_write_text(smk.output.table_md, markdown_table(table, smk.params.lang))
    atomic_write_text(smk.output.figure, survey.bar_chart_svg(
        list(table["group"]), list(table["mean_score"]), survey.SCORES.stop - 1,
        texts.FIGURE_TITLE))

    nums = NumberSet("survey", lang=smk.params.lang)
    n, agree = len(answers), survey.agreeing(answers, agree_from)
    nums.count("respondents", n, texts.RESPONDENTS)
    nums.count("groups", len(table), texts.GROUPS)
    nums.percent("agreeing", agree, n, texts.AGREEING)
    nums.text("highest_group", survey.highest_group(table), texts.HIGHEST_GROUP)
    nums.claim("majority_agrees", agree * 2 > n, rule=texts.MAJORITY_RULE,
               values={"survey.agreeing": agree / n, "survey.respondents": n},
               description=texts.MAJORITY, synthetic=bool(smk.params.synthetic))
    nums.write(smk.output.numbers, record)
    write_step_record(smk, record)


run(main, smk)
