"""Rule `documents_extract_notes`: check the policy-note metadata, extract the text of
every note (TXT, PDF, DOCX) and write one table with metadata and text.

Any unreadable or empty document stops the build with its file (and page); a document in
the folder without a metadata row, or a row without its document, does too.
"""

from pathlib import Path

from analysis.document_checks import load_mergers
from analysis.policy_notes import check_files, extract_text, validate_metadata
from analysis.register import load_register
from proefdruk.api import (
    atomic_write_text,
    run,
    safe_csv_text,
    snakemake_or_cli,
    step_record,
    write_step_record,
)

smk = snakemake_or_cli(globals())


def main() -> None:
    register = load_register(smk.input.register)
    codes = dict(zip(register["gemeentecode"], register["gemeentenaam"], strict=True))
    resolver = load_mergers(smk.input.mergers, codes)
    meta = validate_metadata(smk.input.metadata, resolver, int(smk.params.last_year))
    folder = Path(smk.input.metadata).parent
    check_files(meta, folder, smk.input.metadata)
    meta["tekst"] = [extract_text(folder / name) for name in meta["bestand"]]
    meta["tekens"] = meta["tekst"].str.len()
    meta = meta.sort_values("nota_id").reset_index(drop=True)
    record = step_record(smk, __file__, {"last_year": int(smk.params.last_year)})
    atomic_write_text(smk.output.data, safe_csv_text(meta))
    write_step_record(smk, record)


run(main, smk)
