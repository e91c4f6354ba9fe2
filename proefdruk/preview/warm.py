"""A Snakemake that has already started: the preview's fork server.

Most of a small Snakemake run is spent before it reads the Snakefile: importing Snakemake
itself (half of a no-op run on this project). The preview pays that once. This process
imports Snakemake's command line and then waits; for each build it forks, and the child
runs exactly ``snakemake ARGS`` (the same parser, profile, lock and workflow as on a
terminal) in a fresh copy of the warm process, in its own session so that SIGINT to its
group acts like Ctrl-C. Nothing of the project (Snakefile, ``proefdruk``, ``analysis``)
is imported here, so an edited source is always read fresh by the child.

Protocol on stdin/stdout, one JSON object per line: ``{"args": [...], "output": path}``
in; ``{"pid": n}`` when the child started and ``{"exit": code}`` when it ended, out.
"""

from __future__ import annotations

import json
import os
import sys


def _child(args: list[str], output: str) -> None:
    """In the forked child: become ``snakemake ARGS`` with its output in ``output``."""
    os.setsid()
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    import snakemake
    from snakemake.cli import main

    # proefdruk.invocation classifies the run by sys.argv, as for `python -m snakemake`.
    sys.argv = [os.path.join(os.path.dirname(snakemake.__file__), "__main__.py"), *args]
    code = 1
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        code = 130
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    """Answer build requests until stdin closes."""
    import snakemake.cli  # noqa: F401 - the import is the point: children start warm

    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request["args"], request["output"])
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
        _, status = os.waitpid(pid, 0)
        out.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n")
        out.flush()


if __name__ == "__main__":
    serve()
