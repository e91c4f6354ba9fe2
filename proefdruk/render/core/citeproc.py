"""Citations: pandoc's citeproc with the project's CSL, and unknown keys as errors.

Pandoc only warns about a citation key that is not in the bibliography and prints
"(key?)" in the text; a dissertation must not go out like that, so every such warning
becomes a BuildError naming the chapter line that cites the key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.render.core import pandocast as pa
from proefdruk.render.core.project import QUARTO_FILE, Project
from proefdruk.render.core.source import Expanded

NOT_FOUND_RE = re.compile(r"Citeproc: citation (?P<key>\S+) not found")


def has_citations(ast: dict[str, Any]) -> bool:
    return any(True for _ in pa.elements(ast["blocks"], "Cite"))


def _nocite(keys: list[str] | None) -> dict[str, Any]:
    """``nocite`` for the given keys (``None``: every entry, pandoc's ``@*``)."""
    cites = [{"citationId": key, "citationPrefix": [], "citationSuffix": [],
              "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 0,
              "citationHash": 0} for key in (keys if keys is not None else ["*"])]
    text = ", ".join("@" + c["citationId"] for c in cites)
    return {"t": "MetaInlines", "c": [{"t": "Cite", "c": [cites, [{"t": "Str", "c": text}]]}]}


def run_citeproc(ast: dict[str, Any], project: Project, exp: Expanded, *,
                 full_bibliography: bool, warnings: list[dict[str, Any]],
                 cited: list[str] | None = None) -> dict[str, Any]:
    """Resolve citations in ``ast``. ``full_bibliography`` (the references chapter) lists
    the works ``cited`` anywhere in the book (the plan's keys, so chapter pages stay
    independent of each other), or every entry of the .bib files when ``cited`` is None.
    A cited key missing from the .bib is reported by the chapter that cites it."""
    root = project.root
    if not project.bibliography:
        if has_citations(ast):
            cite = next(pa.elements(ast["blocks"], "Cite"))
            key = cite["c"][0][0]["citationId"]
            file, line = exp.find("@" + key) or (None, None)
            raise BuildError(f"citation '@{key}' but the book has no bibliography",
                             file=file, line=line,
                             hint=f"add 'bibliography: references.bib' to {QUARTO_FILE}")
        return ast
    for bib in project.bibliography:
        if not (root / bib).is_file():
            raise BuildError(f"bibliography file '{bib}' does not exist", file=QUARTO_FILE,
                             line=project.raw.line_of("bibliography"), field="bibliography")
    if project.csl and not (root / project.csl).is_file():
        raise BuildError(f"citation style '{project.csl}' does not exist", file=QUARTO_FILE,
                         line=project.raw.line_of("csl"), field="csl",
                         hint="add the CSL file or remove the csl: line")
    ast = dict(ast)
    meta = dict(ast.get("meta") or {})
    meta["lang"] = {"t": "MetaString", "c": project.lang}
    meta["link-citations"] = {"t": "MetaBool", "c": True}
    if full_bibliography:
        # The author's own `nocite:` (front matter or _quarto.yml) adds to the cited works;
        # "@*" lists every entry, as in Quarto.
        extra = [citation["citationId"]
                 for cite in pa.elements([meta.get("nocite", {})], "Cite")
                 for citation in cite["c"][0]] if "nocite" in meta else []
        keys = None if cited is None or "*" in extra else sorted({*cited, *extra})
        meta["nocite"] = _nocite(keys)
        meta.pop("suppress-bibliography", None)
    else:
        meta["suppress-bibliography"] = {"t": "MetaBool", "c": True}
    ast["meta"] = meta
    args = ["-f", "json", "-t", "json", "--citeproc"]
    args += [f"--bibliography={b}" for b in project.bibliography]
    if project.csl:
        args.append(f"--csl={project.csl}")
    proc = pa.run(args, json.dumps(ast, ensure_ascii=False), cwd=root)
    if proc.returncode != 0:
        raise BuildError("citeproc failed", file=exp.where(0)[0],
                         expected="a .bib file pandoc can read and the CSL style of _quarto.yml",
                         found=proc.stderr.strip()[:500],
                         hint="check the .bib file and the CSL style named in _quarto.yml")
    errors: list[BuildError] = []
    for line_text in proc.stderr.splitlines():
        m = NOT_FOUND_RE.search(line_text)
        if m:
            key = m.group("key")
            if full_bibliography and cited is not None and key in cited \
                    and exp.find("@" + key) is None:
                continue  # listed for another chapter, which reports it
            file, line = exp.find(re.compile(r"@\{?" + re.escape(key) + r"(?![\w:.#$%&+?<>~/-]*\w)")
                                  ) or (exp.where(0)[0], None)
            errors.append(BuildError(
                f"unknown citation key '{key}'", file=file, line=line, field=key,
                expected=f"an entry in {', '.join(project.bibliography)}", found=key,
                hint="add the entry to the .bib file or correct the key"))
        elif line_text.strip():
            warnings.append({"kind": "pandoc", "message": line_text.strip()})
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(errors)
    out = json.loads(proc.stdout)
    for key in ("nocite", "suppress-bibliography", "link-citations", "bibliography", "csl"):
        out["meta"].pop(key, None)
    return out


def bibliography_ids(ast: dict[str, Any]) -> list[str]:
    """The ``ref-<key>`` anchors citeproc wrote (the references chapter's entries)."""
    return sorted({d["c"][0][0] for d in pa.elements(ast["blocks"], "Div")
                   if d["c"][0][0].startswith("ref-")})


def csl_path(project: Project) -> Path | None:
    return project.root / project.csl if project.csl else None
