"""The book plan Snakemake builds its DAG from: chapters, numbers, labels, inputs.

Computed from the sources alone (``_quarto.yml`` and the chapter texts, never from build
products), in well under a second, every time Snakemake starts. Each chapter job is then
given only the part of the plan it needs as a rule parameter: its kind and number and the
labels of other chapters it refers to. Snakemake reruns a job when its parameters change,
so a renumbered figure re-renders exactly the chapters that cite it, while a prose edit
re-renders only the edited chapter (no shared "all labels" file whose timestamp would
invalidate every chapter).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proefdruk import thesis_page
from proefdruk.errors import BuildError
from proefdruk.render.core import extension, pandocast, scan, yamlfile
from proefdruk.render.core.project import (
    PROVENANCE_INCLUDE,
    QUARTO_FILE,
    Project,
    load_project,
)
from proefdruk.render.core.slug import claim_anchor, number_anchor, source_anchor
from proefdruk.render.core.source import has_provenance, is_generated
from proefdruk.render.editions.site import site_options

RENDER_DIR = "results/render"


# Titles as pandoc read them, per input text, in this process: the preview's warm page
# renderer plans the book once, and a draft of a prose edit that left every heading
# alone then spares a pandoc call.
_TITLES: dict[str, dict[str, str]] = {}


def titles_via_pandoc(items: dict[str, str], root: Path) -> dict[str, str]:
    """Plain text of markdown titles, as pandoc reads them (smart quotes, dashes), in one
    pandoc call for the whole book."""
    if not items:
        return {}
    keys = sorted(items)
    text = "\n\n".join(f"# {items[k]} {{#t{i}}}" for i, k in enumerate(keys)) + "\n"
    if text not in _TITLES:
        proc = pandocast.run(["-f", "markdown", "-t", "json"], text, cwd=root)
        if proc.returncode != 0:
            return {k: items[k] for k in keys}
        _TITLES[text] = _titles(json.loads(proc.stdout)["blocks"], keys)
    return dict(_TITLES[text])


def _titles(blocks: list[Any], keys: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for block in blocks:
        if block["t"] == "Header" and block["c"][1][0].startswith("t"):
            idx = int(block["c"][1][0][1:])
            out[keys[idx]] = pandocast.stringify(block["c"][2]).strip()
    return out


@dataclass
class BookPlan:
    project: Project
    scans: dict[str, scan.ChapterScan]
    chapters: list[scan.ChapterPlan]
    labels: dict[str, dict[str, Any]]
    # the extensions' Lua sources, once read (see _lua_sources)
    _lua: list[str] | None = field(default=None, repr=False, compare=False)

    def chapter(self, chapter_id: str) -> scan.ChapterPlan:
        for ch in self.chapters:
            if ch.id == chapter_id:
                return ch
        raise KeyError(chapter_id)

    @property
    def chapter_ids(self) -> list[str]:
        """Ids of all chapters, the provenance appendix included, in book order."""
        return [c.id for c in self.chapters]

    def external_labels(self, chapter_id: str) -> dict[str, dict[str, Any]]:
        """Labels of other chapters that ``chapter_id`` refers to (and nothing else, so
        that other chapters' unrelated changes leave this chapter's parameters alone)."""
        out: dict[str, dict[str, Any]] = {}
        for ref in self.scans[chapter_id].refs:
            key = ref[0].lower() + ref[1:]
            entry = self.labels.get(key)
            if entry is not None and entry["chapter"] != chapter_id:
                out[key] = entry
        return dict(sorted(out.items()))

    def render_params(self, chapter_id: str) -> dict[str, Any]:
        ch = self.chapter(chapter_id)
        params = {"kind": ch.kind, "number": ch.number, "title": ch.title,
                  "external": self.external_labels(chapter_id)}
        s = self.scans.get(chapter_id)
        if ch.kind == "references" or (s is not None and s.has_refs_div):
            params["cited"] = self.cited_keys()
        return params

    def cited_keys(self) -> list[str]:
        """Every key the book's chapters (and the files they include) cite: what the
        references chapter lists, as Quarto's book bibliography does. Uncited entries of
        the .bib stay out (the bibliography check lists them), so a 5,000-entry export
        from a reference manager costs no more pages than the works the book cites."""
        from proefdruk.citations import scan_citations

        root = self.project.root
        files: list[str] = []
        for s in self.scans.values():
            for f in (s.spec.source, *s.includes):
                if f not in files and not is_generated(f) and (root / f).is_file():
                    files.append(f)
        return sorted({c.key for f in files for c in scan_citations(root / f)})

    def chapter_inputs(self, chapter_id: str) -> list[str]:
        """Every file the chapter job reads: the chapter, its includes, images, numbers
        files of the namespaces it uses, files its code cells name, bibliography, CSL,
        the project files and the extension's Lua."""
        s = self.scans[chapter_id]
        root = self.project.root
        # Paths written in code cells: only those that are files or build products (a
        # string that merely looks like a path must not become a missing input).
        cell_files = [p for p in s.cell_paths if is_generated(p) or (root / p).is_file()]
        # a `language:` file of _quarto.yml sets words the chapter prints ("Figure 2.1")
        files = [s.spec.source, "_quarto.yml", *self.language_files(), *s.includes, *s.images,
                 *(f"results/numbers/{ns}.json" for ns in s.namespaces), *cell_files]
        if (root / "_variables.yml").is_file():
            files.append("_variables.yml")
        ch = self.chapter(chapter_id)
        if self.project.bibliography and (ch.kind == "references" or s.has_refs_div
                                          or _may_cite(s)):
            files += self.project.bibliography
            if self.project.csl:
                files.append(self.project.csl)
        files += self._lua_sources()
        seen: list[str] = []
        for f in files:
            if f not in seen:
                seen.append(f)
        return seen

    def language_files(self) -> list[str]:
        """The files ``language:`` in _quarto.yml names (and their per-language
        variations): inputs of every job that prints the book's words."""
        return list(self.project.locale().files)

    def _lua_sources(self) -> list[str]:
        """The extensions' Lua sources, read once per plan: every chapter job asks."""
        if self._lua is None:
            self._lua = extension.lua_sources(self.project.root)
        return list(self._lua)

    def prose_sources(self) -> list[str]:
        """The chapter sources the author writes (``index.qmd`` and every chapter
        ``_quarto.yml`` lists), sorted: what the prose lint and the bibliography check
        read, from the book's own description rather than a folder's contents."""
        root = self.project.root
        return sorted({s.spec.source for s in self.scans.values()
                       if s.spec.source and not is_generated(s.spec.source)
                       and (root / s.spec.source).is_file()})

    def includes_of(self, *sources: str) -> list[str]:
        """The files the chapter sources ``sources`` include (``{{< include >}}``), sorted:
        inputs of any job that follows includes, as the prose lint does."""
        wanted = set(sources)
        return sorted({f for s in self.scans.values() if s.spec.source in wanted
                       for f in s.includes})

    def generated_files(self) -> list[str]:
        """Build products the chapters show (figures, included tables and fragments):
        each gets an entry in the provenance appendix."""
        out: set[str] = set()
        for s in self.scans.values():
            out.update(p for p in s.images if has_provenance(p))
            out.update(p for p in s.includes if has_provenance(p))
        return sorted(out)

    def number_users(self) -> dict[str, list[str]]:
        """Which chapters use which number key (for back links in the appendix)."""
        users: dict[str, list[str]] = {}
        for cid, s in self.scans.items():
            for key in s.num_keys:
                users.setdefault(key, []).append(cid)
        return dict(sorted(users.items()))

    def claim_users(self) -> dict[str, list[list[Any]]]:
        """Which chapters and lines rely on which claim: ``key -> [[chapter, file, line]]``
        (the provenance appendix lists them, so a reviewer finds every dependent sentence)."""
        users: dict[str, list[list[Any]]] = {}
        for cid, s in self.scans.items():
            for key, places in s.claim_keys.items():
                users.setdefault(key, []).extend([cid, f, line] for f, line in places)
        return {k: sorted(v, key=lambda u: (u[1], u[2])) for k, v in sorted(users.items())}

    def display_titles(self) -> dict[str, str]:
        """"Hoofdstuk 4 Ontwikkeling sinds 1945" per chapter id, for text that names a
        chapter (the provenance appendix says where each number is used)."""
        terms = self.project.terms()
        out: dict[str, str] = {}
        for c in self.chapters:
            word = {"chapter": terms["ch"], "appendix": terms["apx"],
                    "provenance": terms["apx"]}.get(c.kind)
            out[c.id] = f"{word}\u00a0{c.number} {c.title}" if word and c.number else c.title
        return out

    def provenance_words(self) -> dict[str, str]:
        """The words of the provenance appendix (rule provenance_appendix's plan, key
        ``words``): only these, so a changed site word leaves the appendix alone."""
        from proefdruk.render.editions.herkomst import WORD_PREFIX

        return {k: v for k, v in sorted(self.project.locale().words.items())
                if k.startswith(WORD_PREFIX)}

    def site_url(self) -> str | None:
        """The book's ``site-url`` unless it is a placeholder: the printed provenance
        appendix points there for the full records (rule provenance_appendix's plan)."""
        from proefdruk import bookmeta

        return bookmeta.known(bookmeta.load(self.project.root).site_url)

    def skeleton(self) -> dict[str, Any]:
        """book.json without notices and labels: what every chapter page shows of the
        whole book (titles, numbers, parts, order)."""
        p = self.project
        return {
            "title": p.title, "subtitle": p.subtitle, "author": p.author, "date": p.date,
            "lang": p.lang, "output_file": p.output_file,
            "chapters": [c.entry() for c in self.chapters],
            # the dissertation's title page and its back (None: no thesis: defence:)
            "thesis_page": thesis_page.build(yamlfile.plain(p.raw), p.locale()),
            "site": site_options(p),
            # the words a page prints (a parameter: a changed word re-renders the pages;
            # the provenance appendix's own words go to its rule alone)
            "words": {k: v for k, v in p.locale().words.items()
                      if not k.startswith("proefdruk-provenance-")},
        }

    def page_labels(self, chapter_id: str) -> dict[str, dict[str, Any]]:
        """Labels a chapter page links to in other chapters: cross-references, and the
        provenance entries of its numbers and generated figures and tables."""
        if chapter_id not in self.scans:
            return {}
        s = self.scans[chapter_id]
        out = self.external_labels(chapter_id)
        appendix = self.project.provenance_id
        for path in sorted({*s.images, *s.includes, *s.prov_paths}):
            if has_provenance(path) or path in s.prov_paths:
                out[source_anchor(path)] = {"chapter": appendix, "kind": "src",
                                            "number": None, "text": path}
        for key in s.num_keys:
            out[number_anchor(key)] = {"chapter": appendix, "kind": "num",
                                       "number": None, "text": key}
        for key in s.claim_keys:
            out[claim_anchor(key)] = {"chapter": appendix, "kind": "claim",
                                      "number": None, "text": key}
        return dict(sorted(out.items()))


def _may_cite(s: scan.ChapterScan) -> bool:
    """Whether a chapter may contain a citation: cheap over-approximation ('@' outside
    a cross-reference), since a missing bibliography input would be worse than a rerun."""
    return s.may_cite


def load_plan(root: str | Path = ".") -> BookPlan:
    """Plan the book from ``_quarto.yml`` and the chapter texts under ``root``."""
    root = Path(root)
    project = load_project(root)
    terms = project.terms()
    scans = [scan.scan_chapter(spec, root, image_ext=project.image_extension())
             for spec in project.chapters]
    items: dict[str, str] = {}
    for s in scans:
        items[f"chapter:{s.spec.id}"] = s.title_source
        for h in s.headings:
            if h.ident.startswith("sec-"):
                items[h.ident] = h.text
    plain = titles_via_pandoc(items, root)
    titles = {s.spec.id: plain.get(f"chapter:{s.spec.id}", s.title_source) for s in scans}
    titles.update({k: v for k, v in plain.items() if not k.startswith("chapter:")})
    plans = scan.plan_book(project, scans, titles, terms)
    labels: dict[str, dict[str, Any]] = {}
    for ch in plans:
        labels.update(ch.labels)
    book = BookPlan(project=project, scans={s.spec.id: s for s in scans}, chapters=plans,
                    labels=labels)
    _check_provenance_appendix(book)
    return book


def _check_provenance_appendix(book: BookPlan) -> None:
    """Numbers and generated figures link to the provenance appendix, so a book that has
    them must list it (``chapters/herkomst.qmd``, including the generated entries)."""
    linked = [s for s in book.scans.values() if s.num_keys or s.prov_paths
              or any(has_provenance(p) for p in [*s.images, *s.includes])]
    if not linked:
        return
    appendix = book.project.provenance_id
    spec = next((c for c in book.project.chapters if c.id == appendix), None)
    example = (f"a chapter file {appendix}.qmd under book: appendices:, holding "
               f"'{{{{< include ../{PROVENANCE_INCLUDE} >}}}}'")
    if spec is None or not spec.appendix:
        raise BuildError("the book has no provenance appendix", file=QUARTO_FILE,
                         found=f"{linked[0].spec.source} links numbers or generated files "
                               "to it, but no appendix has the id "
                               f"'{appendix}'", expected=example,
                         hint=f"add chapters/{appendix}.qmd to book: appendices: (and "
                              "name it under proefdruk: provenance:)")
    if PROVENANCE_INCLUDE not in book.scans[spec.id].includes:
        raise BuildError("the provenance appendix does not include its generated entries",
                         file=spec.source, expected=example,
                         found="no include of " + PROVENANCE_INCLUDE,
                         hint=f"add the line {{{{< include ../{PROVENANCE_INCLUDE} >}}}}")
