"""A fast text scan of every chapter: headings, labels, references and dependencies.

Snakemake must know before running anything which files a chapter uses (to rerun only
what changed) and which cross-chapter labels it needs (so that a new figure in chapter 4
renumbers references in chapter 7, but prose edits in chapter 4 rerun nothing else).
Parsing every chapter with pandoc on each ``snakemake`` call would be slow, so this module
reads the markdown as text. The chapter render step later checks the scan against the
real pandoc AST and stops if they disagree, so the scan can never silently be wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.render.core import source as src
from proefdruk.render.core.project import ChapterSpec, Project

HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attrs>[^{}]*)\})?\s*$")
DIV_OPEN_RE = re.compile(r"^(?P<colons>:{3,})\s*(?:\{(?P<attrs>[^{}]*)\}|(?P<cls>[\w-]+))\s*:*\s*$")
DIV_CLOSE_RE = re.compile(r"^:{3,}\s*$")
IMAGE_RE = re.compile(
    r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\((?P<path><[^>]+>|[^)\s]+)(?:\s+\"[^\"]*\")?\)"
    r"(?:\{(?P<attrs>[^{}]*)\})?")
CAPTION_START_RE = re.compile(r"^(?::|Table:)\s")
CAPTION_END_RE = re.compile(r"\{(?P<attrs>[^{}]*)\}\s*$")
REF_RE = re.compile(r"(?<![\w@])-?@\{?(?P<id>(?:[Ff]ig|[Tt]bl|[Ss]ec)-[\w:.#$%&+?<>~/-]*\w)")
NUM_RE = re.compile(r"(?<!\{)\{\{<\s*num\s+(?P<key>[^\s>]+)")
# A claim-bound span or div: {.claim key="ns.name" …} (_extensions/proefdruk/claims.lua).
CLAIM_RE = re.compile(r"\{[^{}\n]*\.claim(?![\w-])[^{}\n]*\}")
CLAIM_KEY_RE = re.compile(r"\bkey\s*=\s*[\"']?(?P<key>[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)")
SHORTCODE_KEY_RE = re.compile(r"(?<!\{)\{\{<\s*(?P<name>[\w-]+)\s+(?P<arg>[^\s>]+)")
CELL_OPEN_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*\{(?:python|python3)[\s,}]")
CELL_OPTION_RE = re.compile(r"^\s*#\|\s*(?P<key>[\w-]+)\s*:\s*(?P<value>.*?)\s*$")
PATH_LITERAL_RE = re.compile(r"[\"'](?P<path>(?:\.\./)*(?:results|data)/[^\"'\s]+)[\"']")
CITE_RE = re.compile(r"(?<![\w@])@\{?(?!(?:[Ff]ig|[Tt]bl|[Ss]ec)-)[A-Za-z0-9_]")
REFS_DIV_RE = re.compile(r"^:{3,}\s*\{[^}]*#refs\b")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def is_box(classes: list[str]) -> bool:
    """A callout or a tabset: Quarto turns the headings inside into titles and tabs, so
    they are not sections and take no section number."""
    return any(c.startswith("callout-") or c == "panel-tabset" for c in classes)


def parse_attrs(text: str | None) -> tuple[str, list[str], dict[str, str]]:
    """``#id .class key="v"`` -> (id, classes, attributes), as pandoc reads them."""
    ident, classes, kv = "", [], {}
    if not text:
        return ident, classes, kv
    for m in re.finditer(r"(?P<k>[\w:-]+)=(?:\"(?P<q>[^\"]*)\"|'(?P<s>[^']*)'|(?P<v>\S+))"
                         r"|(?P<tok>\S+)", text):
        if m.group("tok"):
            tok = m.group("tok")
            if tok.startswith("#"):
                ident = tok[1:]
            elif tok.startswith("."):
                classes.append(tok[1:])
            elif tok == "-":
                classes.append("unnumbered")
        else:
            kv[m.group("k")] = next(g for g in (m.group("q"), m.group("s"), m.group("v"))
                                    if g is not None)
    return ident, classes, kv


@dataclass
class Heading:
    level: int
    ident: str
    unnumbered: bool
    text: str
    line: tuple[str, int]


@dataclass
class Float:
    """A numbered figure or table; ``parent`` is set for subfigures."""

    kind: str
    ident: str
    parent: str | None
    line: tuple[str, int]
    source_file: str | None = None


@dataclass
class ChapterScan:
    """What the text of one chapter declares and uses."""

    spec: ChapterSpec
    meta_title: str | None
    headings: list[Heading] = field(default_factory=list)
    floats: list[Float] = field(default_factory=list)
    refs: dict[str, tuple[str, int]] = field(default_factory=dict)
    num_keys: dict[str, tuple[str, int]] = field(default_factory=dict)
    claim_keys: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    prov_paths: dict[str, tuple[str, int]] = field(default_factory=dict)
    images: dict[str, tuple[str, int]] = field(default_factory=dict)
    includes: list[str] = field(default_factory=list)
    has_cells: bool = False
    cell_paths: dict[str, tuple[str, int]] = field(default_factory=dict)
    has_refs_div: bool = False
    may_cite: bool = False

    @property
    def namespaces(self) -> list[str]:
        return sorted({k.split(".", 1)[0] for k in [*self.num_keys, *self.claim_keys]})

    @property
    def title_source(self) -> str:
        """Markdown of the title: the first level-1 heading, else the front matter
        ``title`` (which then stands as the chapter heading, as in Quarto)."""
        for h in self.headings:
            if h.level == 1:
                return h.text
        return self.meta_title or self.spec.id

    @property
    def h1_unnumbered(self) -> bool:
        first = next((h for h in self.headings if h.level == 1), None)
        return bool(first and first.unnumbered)


def _norm(path: str, base_file: str) -> str:
    """An image or data path as written in ``base_file``, made project-relative."""
    return src.project_path(path.strip("<>"), base_file)[0]


def scan_expanded(spec: ChapterSpec, meta: dict[str, Any], exp: src.Expanded,
                  image_ext: str = "svg") -> ChapterScan:
    """Scan include-expanded text (see :func:`scan_chapter`); images written without an
    extension get ``image_ext``."""
    title = meta.get("title") if isinstance(meta, dict) else None
    out = ChapterScan(spec=spec, meta_title=str(title) if title else None,
                      includes=list(exp.includes))
    mask = src.code_fence_mask(exp.lines)
    div_stack: list[str] = []  # ident of each open div ("" if none)
    in_box: list[bool] = []  # whether each open div is a callout or a tabset
    last_generated_include: tuple[int, str] | None = None
    cell_fence: str | None = None
    para: list[tuple[int, str]] = []

    def flush() -> None:
        """Scan one paragraph: images (alt text may span lines) and table captions
        (``: caption`` whose ``{#tbl-x}`` may stand on its last line)."""
        if not para:
            return
        first = para[0][0]
        where = exp.where(first)
        text = "\n".join(line for _, line in para)
        para.clear()
        for m in IMAGE_RE.finditer(text):
            path = m.group("path")
            if not re.match(r"^[a-z]+://", path):
                out.images.setdefault(
                    src.with_image_extension(_norm(path, spec.source), image_ext), where)
            ident, _, _ = parse_attrs(m.group("attrs"))
            if ident.startswith("fig-"):
                parent = next((p for p in reversed(div_stack) if p.startswith("fig-")), None)
                out.floats.append(Float("fig", ident, parent, where))
        if CAPTION_START_RE.match(text):
            c = CAPTION_END_RE.search(text)
            if c:
                ident, _, _ = parse_attrs(c.group("attrs"))
                if ident.startswith("tbl-"):
                    out.floats.append(Float("tbl", ident, None, where,
                                            _table_source(ident, last_generated_include,
                                                          first)))

    for i, line in enumerate(exp.lines):
        where = exp.where(i)
        for m in REF_RE.finditer(line):
            out.refs.setdefault(m.group("id"), where)
        if mask[i]:
            flush()
            stripped = line.strip()
            if cell_fence is None:
                opened = CELL_OPEN_RE.match(line)
                if opened:
                    cell_fence = opened.group(1)
                    out.has_cells = True
                continue
            if stripped and set(stripped) == {cell_fence[0]} and len(stripped) >= len(cell_fence):
                cell_fence = None
                continue
            opt = CELL_OPTION_RE.match(line)
            if opt and opt.group("key") == "label":
                label = opt.group("value").strip("\"'")
                if label.startswith(("fig-", "tbl-")):
                    out.floats.append(Float(label[:3], label, None, where))
            for pm in PATH_LITERAL_RE.finditer(line):
                # Cells run in the project root (proefdruk.render.cells.execute); a path written
                # relative to the chapter ("../results/...") is resolved from the chapter.
                path = pm.group("path")
                path = _norm(path, spec.source) if path.startswith("../") else _norm(path, "x")
                out.cell_paths.setdefault(path, where)
            continue
        if CITE_RE.search(line):
            out.may_cite = True
        for m in NUM_RE.finditer(line):
            out.num_keys.setdefault(m.group("key").strip("\"'"), where)
        for m in CLAIM_RE.finditer(line):
            k = CLAIM_KEY_RE.search(m.group(0))
            if k:
                out.claim_keys.setdefault(k.group("key"), []).append(where)
        for m in SHORTCODE_KEY_RE.finditer(line):
            if m.group("name") == "prov":
                out.prov_paths.setdefault(m.group("arg").strip("\"'"), where)
        if REFS_DIV_RE.match(line):
            out.has_refs_div = True
        origin_file = where[0]
        if src.is_generated(origin_file):
            last_generated_include = (i, origin_file)
        if not line.strip():
            flush()
            continue
        h = HEADING_RE.match(line)
        if h and not para:
            if not any(in_box):  # a callout's or tabset's heading is no section
                ident, classes, _ = parse_attrs(h.group("attrs"))
                out.headings.append(Heading(len(h.group("hashes")), ident,
                                            "unnumbered" in classes, h.group("text"), where))
            continue
        d = DIV_OPEN_RE.match(line)
        if d:
            flush()
            ident, div_classes, _ = parse_attrs(d.group("attrs"))
            in_box.append(is_box([*div_classes, d.group("cls") or ""]))
            parent = next((p for p in reversed(div_stack) if p.startswith("fig-")), None)
            if ident.startswith(("fig-", "tbl-")):
                out.floats.append(Float(ident[:3], ident, parent if ident[:3] == "fig" else None,
                                        where, _table_source(ident, last_generated_include, i)))
            div_stack.append(ident)
            continue
        if DIV_CLOSE_RE.match(line) and div_stack:
            flush()
            div_stack.pop()
            in_box.pop()
            continue
        para.append((i, line))
    flush()
    return out


def _table_source(ident: str, last: tuple[int, str] | None, i: int) -> str | None:
    """The generated file a table caption belongs to: the include just above it."""
    if not ident.startswith("tbl-") or last is None:
        return None
    return last[1] if i - last[0] <= 3 else None


def scan_chapter(spec: ChapterSpec, root: str | Path, *, follow_generated: bool = False,
                 image_ext: str = "svg") -> ChapterScan:
    """Scan one chapter. Includes of build products are not followed by default, so the
    result is the same before and after the analysis has run."""
    meta, exp = src.read_chapter(spec.source, root, follow_generated=follow_generated)
    return scan_expanded(spec, meta, exp, image_ext)


@dataclass
class ChapterPlan:
    """A chapter's place in the book: kind, number and the labels it defines."""

    id: str
    source: str | None
    href: str
    kind: str
    number: str | None
    title: str
    part: str | None
    labels: dict[str, dict[str, Any]]

    def entry(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "href": self.href, "kind": self.kind,
                "number": self.number, "title": self.title, "part": self.part,
                "ast": f"results/render/chapters/{self.id}.json"}


def chapter_kinds(project: Project, scans: list[ChapterScan]) -> dict[str, tuple[str, str | None]]:
    """Kind and number of every chapter, the way Quarto numbers a book.

    index and the chapters listed before the first ``part:`` are front matter and carry no
    number; so do chapters whose level-1 heading is ``{.unnumbered}`` and the references
    chapter. Appendices are lettered A, B, ...; the provenance appendix
    (``proefdruk: provenance:``, id ``herkomst`` by default) is one of them, of kind
    "provenance".
    """
    has_parts = any(s.spec.part for s in scans)
    seen_part = False
    chapter_no = 0
    appendix_no = 0
    out: dict[str, tuple[str, str | None]] = {}
    for s in scans:
        spec = s.spec
        seen_part = seen_part or spec.part is not None or spec.appendix
        if spec.appendix:
            kind = "provenance" if spec.id == project.provenance_id else "appendix"
            if s.h1_unnumbered:
                out[spec.id] = (kind, None)
            else:
                out[spec.id] = (kind, LETTERS[appendix_no % 26])
                appendix_no += 1
        elif spec.id == "index" or (has_parts and not seen_part):
            out[spec.id] = ("front", None)
        elif s.has_refs_div:
            out[spec.id] = ("references", None)
        elif s.h1_unnumbered:
            out[spec.id] = ("chapter", None)
        else:
            chapter_no += 1
            out[spec.id] = ("chapter", str(chapter_no))
    return out


def heading_numbers(number: str | None, headings: list[tuple[int, str, bool, str]]
                    ) -> list[str | None]:
    """The number of each heading (level, id, unnumbered, text) in a chapter numbered
    ``number``: "4" for the title, "4.1", "4.1.2" below; None where unnumbered. Headings
    under an unnumbered heading are unnumbered too."""
    out: list[str | None] = []
    counters = [0] * 7
    skip_below: int | None = None
    for level, _ident, unnumbered, _text in headings:
        if skip_below is not None and level > skip_below:
            unnumbered = True
        else:
            skip_below = level if unnumbered else None
        if level == 1:
            out.append(None if unnumbered else number)
        elif number is not None and not unnumbered:
            counters[level] += 1
            for deeper in range(level + 1, 7):
                counters[deeper] = 0
            out.append(".".join([number] + [str(counters[k]) for k in range(2, level + 1)]))
        else:
            out.append(None)
    return out


def number_labels(chapter_id: str, kind: str, number: str | None, title: str,
                  headings: list[tuple[int, str, bool, str]],
                  floats: list[tuple[str, str, str | None]],
                  terms: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Labels a chapter defines, numbered. Shared by the scan and the AST pass so both
    number the same way; ``headings`` are (level, id, unnumbered, plain text), ``floats``
    (kind, id, parent id of a subfigure)."""
    labels: dict[str, dict[str, Any]] = {}
    for (level, ident, _unnumbered, text), sec_no in zip(
            headings, heading_numbers(number, headings), strict=True):
        if not ident.startswith("sec-"):
            continue
        if level == 1:
            word = terms["apx"] if kind in ("appendix", "provenance") else terms["ch"]
            label_text = f"{word}\u00a0{number}" if number else title
        else:
            label_text = f"{terms['sec']}\u00a0{sec_no}" if sec_no else text
        labels[ident] = {"chapter": chapter_id, "kind": "sec", "number": sec_no,
                         "text": label_text}
    fig_no = tbl_no = 0
    sub_no: dict[str, int] = {}
    for kind_, ident, parent in floats:
        if kind_ == "fig" and parent:
            sub_no[parent] = sub_no.get(parent, 0) + 1
            base = labels.get(parent, {}).get("number") or "?"
            num = f"{base}{'abcdefghijklmnopqrstuvwxyz'[(sub_no[parent] - 1) % 26]}"
        else:
            if kind_ == "fig":
                fig_no += 1
                n = fig_no
            else:
                tbl_no += 1
                n = tbl_no
            num = f"{number}.{n}" if number else str(n)
        labels[ident] = {"chapter": chapter_id, "kind": kind_, "number": num,
                         "text": f"{terms[kind_]}\u00a0{num}"}
    return labels


def plan_book(project: Project, scans: list[ChapterScan], titles: dict[str, str],
              terms: dict[str, str]) -> list[ChapterPlan]:
    """Every chapter's kind, number, title and labels; errors on duplicate labels."""
    kinds = chapter_kinds(project, scans)
    plans: list[ChapterPlan] = []
    owner: dict[str, tuple[str, int]] = {}
    for s in scans:
        kind, number = kinds[s.spec.id]
        title = titles.get(s.spec.id, s.title_source)
        labels = number_labels(s.spec.id, kind, number, title,
                               [(h.level, h.ident, h.unnumbered,
                                 titles.get(h.ident) or _plain(h.text)) for h in s.headings],
                               [(f.kind, f.ident, f.parent) for f in s.floats], terms)
        where = {h.ident: h.line for h in s.headings} | {f.ident: f.line for f in s.floats}
        seen: dict[str, tuple[str, int]] = {}
        for ident, line in [(h.ident, h.line) for h in s.headings if h.ident.startswith(
                "sec-")] + [(f.ident, f.line) for f in s.floats]:
            if ident in seen:
                raise BuildError(f"label '{ident}' is defined twice", file=line[0],
                                 line=line[1], found=f"also at {seen[ident][0]}:{seen[ident][1]}",
                                 hint="labels must be unique in the whole book")
            seen[ident] = line
        for ident in labels:
            if ident in owner:
                f1, l1 = owner[ident]
                f2, l2 = where[ident]
                raise BuildError(f"label '{ident}' is defined twice", file=f2, line=l2,
                                 found=f"also at {f1}:{l1}",
                                 hint="labels must be unique in the whole book")
            owner[ident] = where[ident]
        plans.append(ChapterPlan(s.spec.id, s.spec.source, s.spec.href, kind, number, title,
                                 s.spec.part, labels))
    return plans


def _plain(markdown: str) -> str:
    """Rough plain text of a heading for labels of unnumbered sections (the AST pass uses
    pandoc's own text; the two only need to agree on numbered labels)."""
    return re.sub(r"[*_`]", "", markdown).strip()
