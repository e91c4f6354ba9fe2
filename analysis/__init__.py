"""The study: data preparation and analyses of *Het internationale beleid van Nederlandse
gemeenten*. Small pure functions per module; the rule scripts in ``analysis/scripts/`` are
thin wrappers that read the ``snakemake`` object. The tooling (``proefdruk``) never imports
this package."""
