"""Real Quarto as the renderer: the version it must have before it may run.

Quarto before 1.9 cannot make a Typst PDF from a book project ("The typst format is not
supported by book projects"); it writes no PDF and Snakemake would only report a missing
output. The ``quarto_render`` rule therefore asks ``quarto --version`` first and stops
with a message that names the version found and what to do.
"""

from __future__ import annotations

import re
import subprocess

from proefdruk.errors import BuildError

MINIMUM = (1, 9)
VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``"1.9.17"`` -> (1, 9, 17); None when the text holds no version."""
    m = VERSION_RE.search(text)
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)


def check_quarto(binary: str) -> tuple[int, int, int]:
    """The version of ``binary``; a BuildError when it cannot run or is older than 1.9."""
    try:
        proc = subprocess.run([binary, "--version"], capture_output=True, text=True,
                              timeout=120, check=False)
    except OSError as exc:
        raise BuildError("quarto cannot be started", file="config/config.yaml",
                         field="render.quarto", found=f"{binary}: {exc}",
                         hint="set render.quarto to builtin, or to the path of Quarto 1.9 "
                              "or newer") from exc
    version = parse_version(proc.stdout) if proc.returncode == 0 else None
    if version is None:
        raise BuildError("`quarto --version` did not print a version",
                         file="config/config.yaml", field="render.quarto",
                         expected="a version such as 1.9.17",
                         found=(proc.stdout + proc.stderr).strip()[:200] or "nothing",
                         hint="check the Quarto installation, or set render.quarto: builtin")
    if version[:2] < MINIMUM:
        shown = ".".join(map(str, version))
        raise BuildError(f"Quarto {shown} is too old for this book", file="config/config.yaml",
                         field="render.quarto",
                         expected=f"Quarto {'.'.join(map(str, MINIMUM))} or newer (Typst book "
                                  "projects, the proefdruk Typst format)",
                         found=f"{binary} {shown}",
                         hint="install Quarto 1.9 or newer (https://quarto.org), or set "
                              "render.quarto: builtin in config/config.yaml")
    return version
