"""``python -m proefdruk``: the ``proefdruk`` command (proefdruk/cli.py).

Rules call the tooling this way, with the interpreter of the active environment, so a
conda deployment runs the rule's own environment and not whatever ``proefdruk`` is first on
PATH. The dispatcher is imported only when it runs: proefdruk/rule_code.py counts this
module's top-level imports as code of every rule that runs it, and derives the code of
each subcommand from its own ``cmd_<sub>`` function instead.
"""

import sys


def main() -> int:
    """Hand the command line to :func:`proefdruk.cli.main`."""
    from proefdruk.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
