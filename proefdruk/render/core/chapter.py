"""Render one chapter: ``chapters/x.qmd`` -> a fully resolved pandoc JSON AST.

Order matters and follows Quarto: includes (text), code cells (text), shortcodes (Lua on
the parsed document), cross-references (numbered with the book plan), then citations.
Each chapter is rendered alone, from its own files and the small plan Snakemake passes
in (its kind and number, and the labels of other chapters it refers to), so editing one
chapter never forces another to re-render.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.provenance import atomic_write_text, dump_json
from proefdruk.render.core import (
    citeproc,
    conditional,
    crossref,
    extension,
    quarto_checks,
    scan,
    sourcepos,
)
from proefdruk.render.core import pandocast as pa
from proefdruk.render.core import shortcodes as sc
from proefdruk.render.core import source as src
from proefdruk.render.core.project import Project, load_project
from proefdruk.render.core.slug import source_anchor

LUA_FILTER = Path(__file__).with_name("lua") / "shortcodes.lua"
ERROR_RE = re.compile(r"PROEFDRUK-ERROR\t(?P<file>[^\t]*)\t(?P<line>[^\t]*)\t(?P<msg>.*)",
                      re.S)
# A claim that fails (_extensions/proefdruk/claims.lua): key, its ordinal in the text,
# then summary, expected, found and what to do.
CLAIM_ERROR_RE = re.compile(r"PROEFDRUK-CLAIM\t(?P<key>[^\t]*)\t(?P<nth>\d+)\t(?P<msg>[^\t]*)"
                            r"\t(?P<expected>[^\t]*)\t(?P<found>[^\t]*)\t(?P<hint>[^\n]*)")
CLAIM_ATTR_RE = re.compile(r"\{[^{}\n]*\.claim(?![\w-])[^{}\n]*\}")
LONG_CAPTION = 400  # characters; longer captions belong in the text
DIAGRAM_FENCE_RE = re.compile(r"^(\s{0,3}(?:`{3,}|~{3,}))\s*\{(mermaid|dot)\b[^}]*\}", re.M)
CELL_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*\{(python|python3)[\s,}]", re.M)


@dataclass
class ChapterOutput:
    ast: dict[str, Any]
    labels: dict[str, Any]
    report: dict[str, Any]


def claim_line(exp: src.Expanded, key: str, nth: int) -> tuple[str, int | None]:
    """File and line of the ``nth`` claim element with ``key`` in the text (the Lua filter
    meets them top-down, in the order of the text)."""
    count = 0
    for i, line in enumerate(exp.lines):
        for m in CLAIM_ATTR_RE.finditer(line):
            if re.search(r"\bkey\s*=\s*[\"']?" + re.escape(key) + r"[\"'\s}]", m.group(0)):
                count += 1
                if count == nth:
                    return exp.where(i)
    return exp.where(0)[0], None


def _parse(text: str, project: Project, chapter_source: str,
           warnings: list[dict[str, Any]], exp: src.Expanded | None = None) -> dict[str, Any]:
    """Pandoc parses the markdown and the shortcode filter resolves placeholders."""
    context = {
        "project_dir": ".",
        "extension_files": extension.shortcode_files(project.root),
        "filter_files": extension.filter_files(project.root, project.raw.get("filters")),
        "variables": extension.variables(project.root),
        "meta": project.metadata(),
        "words": dict(project.locale().words),
    }
    with tempfile.TemporaryDirectory(prefix="proefdruk-") as tmp:
        ctx_path = Path(tmp) / "context.json"
        ctx_path.write_text(json.dumps(context, ensure_ascii=False), encoding="utf-8")
        proc = pa.run(["-f", "markdown", "-t", "json", "--lua-filter", str(LUA_FILTER)],
                      text, cwd=project.root, env={"PROEFDRUK_SHORTCODE_CONTEXT": str(ctx_path)})
    if proc.returncode != 0:
        c = CLAIM_ERROR_RE.search(proc.stderr)
        if c:
            file, line = (claim_line(exp, c.group("key"), int(c.group("nth"))) if exp
                          else (chapter_source, None))
            raise BuildError(c.group("msg"), file=file, line=line, field=c.group("key"),
                             expected=c.group("expected"), found=c.group("found"),
                             hint=c.group("hint"))
        m = ERROR_RE.search(proc.stderr)
        if m:
            from urllib.parse import unquote

            line = m.group("line")
            known = ", ".join(extension.known_shortcodes(project.root))
            msg = m.group("msg").strip().splitlines()[0]
            raise BuildError(msg,
                             file=unquote(m.group("file")),
                             line=int(line) if line.isdigit() else None,
                             expected=f"a known shortcode with valid arguments ({known})",
                             found=msg,
                             hint=f"fix the shortcode on that line (known shortcodes: {known})")
        raise BuildError("pandoc could not read the chapter", file=chapter_source,
                         found=proc.stderr.strip()[:600],
                         hint="check the markdown near the place pandoc names")
    for line in proc.stderr.splitlines():
        if line.strip():
            warnings.append({"kind": "pandoc", "file": chapter_source, "message": line.strip()})
    return json.loads(proc.stdout)


def _meta_lookup(project: Project, meta: Any) -> Any:
    """``lookup("a.b")``: the chapter's front matter over the project's metadata (and its
    ``_quarto.yml`` options), for ``when-meta`` conditions."""
    layers = [meta if isinstance(meta, dict) else {}, project.metadata(), project.raw]

    def lookup(path: str) -> Any:
        for layer in layers:
            value: Any = layer
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None:
                return value
        return None

    return lookup


def _images(ast: dict[str, Any], source: str, project: Project, exp: src.Expanded
            ) -> list[str]:
    """Make image paths project-relative and check that each file exists."""
    found: list[str] = []
    for img in pa.elements(ast["blocks"], "Image"):
        target = img["c"][2][0]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        # An absolute path only comes from a cell cache kept outside the project.
        rel = target if Path(target).is_absolute() else scan._norm(target, source)
        rel = src.with_image_extension(rel, project.image_extension())
        if not (project.root / rel).is_file():
            file, line = exp.find(target) or (source, None)
            raise BuildError(f"image file '{rel}' does not exist", file=file, line=line,
                             found=target,
                             hint=("it is made by the workflow: check the analysis rule "
                                   "that should write it" if src.is_generated(rel) else
                                   "fix the path; it is relative to the chapter file"))
        img["c"][2][0] = rel
        if rel not in found:
            found.append(rel)
    return found


def _provenance_links(ast: dict[str, Any], table_sources: dict[str, str], terms: dict[str, str]
                      ) -> list[str]:
    """Give each figure or table made by the workflow a caption link to its provenance
    entry, so a reader is one click from the script and data behind it."""
    linked: list[str] = []

    def add(caption: list[Any], path: str) -> None:
        blocks = caption[1]
        if not blocks:
            blocks.append({"t": "Plain", "c": []})
        inlines = blocks[-1]["c"]
        if inlines:
            inlines.append({"t": "Space"})
        inlines.append(pa.span(["provenance"], [
            {"t": "Str", "c": "("},
            pa.link([{"t": "Str", "c": terms["provenance-link"]}], "#" + source_anchor(path),
                    ["provenance-link"], path),
            {"t": "Str", "c": ")"}]))
        linked.append(path)

    def visit(node: dict[str, Any]) -> None:
        if node["t"] == "Figure":
            paths = [i["c"][2][0] for i in pa.elements(node["c"][2], "Image")]
            gen = [p for p in paths if src.is_generated(p)]
            if len(gen) == 1 or (gen and not any(
                    b["t"] == "Figure" for b in node["c"][2])):
                for p in gen:
                    add(node["c"][1], p)
        elif node["t"] == "Table":
            path = table_sources.get(node["c"][0][0])
            if path:
                add(node["c"][1], path)

    pa.walk(ast["blocks"], visit)
    return linked


def _warnings(ast: dict[str, Any], source: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in list(pa.elements(ast["blocks"], "Figure")) + list(
            pa.elements(ast["blocks"], "Table")):
        text = pa.stringify(node["c"][1][1] if node["t"] == "Figure" else node["c"][1][1])
        if len(text) > LONG_CAPTION:
            out.append({"kind": "long-caption", "file": source, "label": node["c"][0][0],
                        "message": f"caption of {node['c'][0][0] or 'a ' + node['t'].lower()} "
                                   f"has {len(text)} characters (> {LONG_CAPTION}); move "
                                   "the explanation into the text"})
    for img in pa.elements(ast["blocks"], "Image"):
        alt = pa.get_kv(img["c"][0], "fig-alt")
        if not alt and not pa.stringify(img["c"][1]).strip():
            out.append({"kind": "no-alt-text", "file": source, "label": img["c"][2][0],
                        "message": f"image {img['c'][2][0]} has no alt text (fig-alt)"})
    return out


def _compare_with_scan(own: dict[str, dict[str, Any]], planned: dict[str, dict[str, Any]],
                       source: str, exp: src.Expanded) -> None:
    """The parse-time scan told other chapters these labels; stop if pandoc disagrees."""
    for ident in sorted(set(own) | set(planned)):
        a, b = own.get(ident), planned.get(ident)
        if a and b and (a["kind"], a["number"]) == (b["kind"], b["number"]):
            continue
        file, line = (exp.find("#" + ident)
                      or exp.find(re.compile(r"#\|\s*label:\s*['\"]?" + re.escape(ident)))
                      or (source, None))
        raise BuildError(
            f"label '{ident}' is numbered differently by the text scan and by pandoc",
            file=file, line=line,
            expected=f"{b['text'] if b else 'no label'} (from the scan)",
            found=f"{a['text'] if a else 'no label'} (from pandoc)",
            hint="write each figure image alone in its paragraph, each table caption as "
                 "': caption {#tbl-x}' on its own line, and headings as '# Title {#sec-x}'; "
                 "generated fragments under results/ must not define labels; a code cell "
                 "with '#| label: fig-…' must show a figure (tbl-…: a table)")


def _entry_labels(ast: dict[str, Any], chapter_id: str, kind: str
                  ) -> dict[str, dict[str, Any]]:
    """The provenance appendix's entries (``#num-<key>``, ``#claim-<key>``, ``#src-<slug>``,
    from its generated include) as labels, so every edition can tell which page holds them."""
    if kind != "provenance":
        return {}
    out: dict[str, dict[str, Any]] = {}
    for div in pa.elements(ast["blocks"], "Div"):
        ident, classes, attrs = div["c"][0]
        if "provenance-entry" not in classes or not ident.startswith(("num-", "src-",
                                                                         "claim-")):
            continue
        text = dict(attrs).get("key") or dict(attrs).get("path") or ident
        out[ident] = {"chapter": chapter_id, "kind": ident.split("-", 1)[0], "number": None,
                      "text": text}
    return dict(sorted(out.items()))


def render_chapter(root: str | Path, chapter_id: str, plan: dict[str, Any], *,
                   cache_dir: str | Path, declared_inputs: list[str] | None = None
                   ) -> ChapterOutput:
    """Resolve chapter ``chapter_id``. ``plan`` holds ``kind``, ``number``, ``labels`` (the
    labels this chapter defines, as planned) and ``external`` (labels of other chapters it
    refers to)."""
    root = Path(root)
    project = load_project(root)
    spec = project.chapter(chapter_id)
    terms = project.terms()
    meta, exp = src.read_chapter(spec.source, root, follow_generated=True)
    warnings: list[dict[str, Any]] = []
    if isinstance(meta, dict):
        warnings += quarto_checks.check_front_matter(
            meta, spec.source, (root / spec.source).read_text(encoding="utf-8").splitlines())
    warnings += quarto_checks.check_markdown(exp.lines, exp.where)
    reads: list[str] = []
    if CELL_FENCE_RE.search(exp.text) or "`{python}" in exp.text:
        try:
            from proefdruk.render.cells import execute as cells
        except ImportError as exc:
            raise BuildError("this chapter has ```{python} cells but the cell runner "
                             "(proefdruk.render.cells.execute) is not available", file=spec.source,
                             hint="install the project's environment") from exc
        try:
            result = cells.run_cells(exp.text, root / spec.source, root=root,
                                     cache_dir=Path(cache_dir))
        except BuildError as err:
            # The cell runner counts lines of the text with includes expanded; point the
            # author at the file and line they actually wrote.
            if err.line:
                err.file, err.line = exp.where(err.line - 1)
            raise
        exp = exp.replaced(result.text)
        reads = sorted(result.reads)
        if declared_inputs is not None:
            undeclared = [r for r in reads if r not in declared_inputs]
            for r in undeclared:
                warnings.append({"kind": "undeclared-read", "file": spec.source, "label": r,
                                 "message": f"a code cell reads {r}, which the workflow does "
                                            "not know about: write its path as a literal "
                                            "string in the cell so the chapter reruns when "
                                            "it changes"})
    # A Quarto diagram cell (```{mermaid}) is not drawn here (the chapter checks warn);
    # pandoc would read its fence as inline code, so show it as a code block instead.
    if DIAGRAM_FENCE_RE.search(exp.text):
        exp = exp.replaced(DIAGRAM_FENCE_RE.sub(r"\1{.\2}", exp.text))
    protected = sc.protect(exp)
    # Block markers give the DOCX its source positions; other editions strip them.
    ast = _parse(sourcepos.mark(protected).text, project, spec.source, warnings, exp)
    conditional.resolve_static(ast["blocks"], _meta_lookup(project, meta))
    title_meta = meta.get("title") if isinstance(meta, dict) else None
    resolved = crossref.number_chapter(ast, chapter_id, plan["kind"], plan["number"], terms,
                                       str(title_meta) if title_meta else None)
    # The scan that planned the book (labels other chapters were told about).
    planned_scan = scan.scan_chapter(spec, root, follow_generated=False,
                                     image_ext=project.image_extension())
    planned = scan.number_labels(
        chapter_id, plan["kind"], plan["number"], resolved.title,
        [(h.level, h.ident, h.unnumbered, h.text) for h in planned_scan.headings],
        [(f.kind, f.ident, f.parent) for f in planned_scan.floats], terms)
    _compare_with_scan(resolved.labels, planned, spec.source, exp)
    labels = {**plan.get("external", {}), **resolved.labels}
    refs = crossref.resolve_refs(ast, labels, terms, exp)
    images = _images(ast, spec.source, project, exp)
    full_scan = scan.scan_expanded(spec, meta, exp, project.image_extension())
    table_sources = {f.ident: f.source_file for f in full_scan.floats if f.source_file}
    linked = _provenance_links(ast, table_sources, terms)
    is_refs = plan["kind"] == "references" or full_scan.has_refs_div
    if citeproc.has_citations(ast) or is_refs:
        ast = citeproc.run_citeproc(ast, project, exp, full_bibliography=is_refs,
                                    warnings=warnings, cited=plan.get("cited"))
    # A chapter may be in another language than the book (the English summary); its
    # front matter `lang:` then drives hyphenation and the lang attribute in every edition.
    chapter_lang = str(meta.get("lang") or project.lang)
    ast.setdefault("meta", {})["lang"] = {"t": "MetaString", "c": chapter_lang}
    sourcepos.resolve(ast, exp, root)
    warnings += _warnings(ast, spec.source)
    generated = sorted({*linked, *(i for i in exp.includes if src.is_generated(i)),
                        *(p for p in images if src.is_generated(p))})
    labels_doc = {
        "id": chapter_id, "source": spec.source, "kind": plan["kind"],
        "number": plan["number"], "title": resolved.title,
        "labels": {**resolved.labels, **_entry_labels(ast, chapter_id, plan["kind"])},
        "refs": refs, "images": images, "includes": exp.includes, "generated": generated,
        "num_keys": sorted(full_scan.num_keys), "cell_reads": reads,
        "bibliography_ids": citeproc.bibliography_ids(ast) if is_refs else [],
    }
    report = {"chapter": chapter_id, "source": spec.source, "warnings": warnings}
    return ChapterOutput(ast=ast, labels=labels_doc, report=report)


def write_outputs(out: ChapterOutput, ast_path: str | Path, labels_path: str | Path,
                  report_path: str | Path) -> None:
    """Write the AST (compact, stable), the labels file and the warnings report."""
    atomic_write_text(ast_path, json.dumps(out.ast, ensure_ascii=False,
                                           separators=(",", ":")) + "\n")
    dump_json(out.labels, labels_path)
    dump_json(out.report, report_path)


def posix(path: str | Path) -> str:
    return PurePosixPath(Path(path)).as_posix()
