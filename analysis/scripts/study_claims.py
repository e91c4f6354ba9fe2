"""Rule `study_claims`: decide the study's claims from the registry numbers.

Reads the registry files the claims need, decides every claim in ``analysis.claims``
and writes them to ``results/numbers/bevindingen.json`` (claims only), with this rule's
provenance. Whether a claim rests on synthetic data comes from the workflow, which reads
each source's metadata (the same flag that drives the edition notices).
"""

import json

from analysis.claims import decide_all
from proefdruk.api import NumberSet, make_record, run, snakemake_or_cli, write_record

smk = snakemake_or_cli(globals())


def main() -> None:
    registry: dict = {}
    for path in smk.input.numbers:
        with open(path, encoding="utf-8") as fh:
            registry.update(json.load(fh)["numbers"])
    synthetic = set(smk.params.synthetic_sources)
    nums = NumberSet("bevindingen")
    for claim in decide_all(registry):
        nums.claim(claim.name, claim.outcome, rule=claim.rule, values=claim.values,
                   description=claim.description, outcomes=claim.outcomes or None,
                   synthetic=bool(synthetic & set(claim.sources)))
    record = make_record(smk.rule, __file__, smk.input, [smk.output.numbers],
                         {"synthetic_sources": sorted(synthetic)})
    nums.write(smk.output.numbers, record)
    write_record(record, smk.output.provenance)


run(main, smk)
