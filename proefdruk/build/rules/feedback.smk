# feedback stage: a supervisor's returned DOCX, read back onto the .qmd sources.
#
#   snakemake feedback --config docx=path/to/returned.docx
#
# writes results/feedback/feedback.md and feedback.html (every comment and tracked change
# at its file and line, per chapter, in reading order) and results/feedback/accepted.patch
# (the prose changes, for `git apply` after review). It never edits a source. Like verify,
# the rule has no declared outputs, so it runs each time it is asked for.


from proefdruk.feedback.request import requested_docx


rule feedback:
    """Report a returned DOCX's comments and tracked changes at their source lines."""
    input:
        docx=lambda wc: requested_docx(config),
    params:
        tool=PROEFDRUK,
        out=config["feedback_dir"],
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/feedback/feedback.log",
    shell:
        ": > {log:q}; {params.tool} feedback --docx {input.docx:q} --out {params.out:q}"
        " 2>> {log:q} | tee -a {log:q}"
