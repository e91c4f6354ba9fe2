"""Rule `data_notice`: the notice every edition shows while the data are synthetic.

Made from the data's metadata (data/raw/answers.yaml, ``synthetic: true``) alone; the
workflow defines this rule only while that flag is set, so the notice disappears by
itself the day real data replace the synthetic file.
"""

import yaml

from analysis import texts
from proefdruk.api import BuildError, dump_json, run, snakemake_or_cli

smk = snakemake_or_cli(globals())


def main() -> None:
    with open(smk.input.metadata, encoding="utf-8") as fh:
        meta = yaml.safe_load(fh) or {}
    if meta.get("synthetic") is not True:
        raise BuildError("the notice is asked for, but the metadata does not say the data "
                         "are synthetic", file=smk.input.metadata, field="synthetic",
                         expected="true", found=repr(meta.get("synthetic")),
                         hint="rerun snakemake; the workflow reads the flag when it starts")
    dump_json({"id": "synthetic-data", "level": "warning", "title": texts.NOTICE_TITLE,
               "text": texts.NOTICE_TEXT.format(generator=meta.get("generator", "?"),
                                                seed=meta.get("seed", "?"))},
              smk.output.notice)


run(main, smk)
