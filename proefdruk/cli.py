"""The ``proefdruk`` command: the one entry point of the tooling, for rules and by hand.

Every command line of the tooling is a subcommand here (``proefdruk <sub> ...``, or
``python -m proefdruk <sub> ...`` where the console script is not on PATH), so an author
finds them all with ``proefdruk --help``. Two kinds, one convention: the subcommand
``<sub>`` is the function ``cmd_<sub>`` of this module, which imports what it runs only
when it runs (``--help`` stays fast, and proefdruk/rule_code.py derives a rule's code from
that one function, so a change to one subcommand's module re-runs only its rules).

- Render steps (render a chapter, assemble book.json, write a page, the PDF, the DOCX)
  take their options from the parser below.
- Module commands (``numbers``, ``verify``, ``step``, ...) hand the rest of the command
  line to the ``main(argv)`` of their module, which parses its own options.

A :class:`~proefdruk.errors.BuildError` is printed as a readable block without a
traceback and exits with status 1; a wrong command line is such a block too, with an
example (proefdruk/arguments.py), and status 2. A path the command was given that cannot
be used (missing, a folder, unreadable, binary, not JSON) is a block naming it, not a
traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proefdruk import __version__
from proefdruk.arguments import CommandParser, UsageError
from proefdruk.errors import BuildError, BuildErrors


def _json_arg(text: str) -> Any:
    if text.startswith("@"):
        return json.loads(Path(text[1:]).read_text(encoding="utf-8"))
    return json.loads(text)


def _words_arg(args: argparse.Namespace) -> Any:
    """The locale a command was given with ``--words`` (JSON: the book's words, as the
    plan resolves them), else None: the command's Dutch default."""
    from proefdruk.locale.words import Locale

    words = getattr(args, "words", None)
    if not words:
        return None
    return Locale(lang="", words=_json_arg(words))


def _summary(chapter_id: str, warnings: list[dict[str, Any]]) -> str:
    if not warnings:
        return f"render {chapter_id}: ok, no warnings"
    kinds = Counter(w.get("kind", "other") for w in warnings)
    detail = ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
    return f"render {chapter_id}: {len(warnings)} warning(s) ({detail})"


def cmd_plan(args: argparse.Namespace) -> None:
    from proefdruk.render.workflow.plan import load_plan

    plan = load_plan(args.root)
    out = {"skeleton": plan.skeleton(), "labels": plan.labels,
           "inputs": {cid: plan.chapter_inputs(cid) for cid in plan.chapter_ids}}
    print(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True))


def cmd_render_chapter(args: argparse.Namespace) -> None:
    from proefdruk.render.core.chapter import render_chapter, write_outputs

    plan = _json_arg(args.plan)
    out = render_chapter(args.root, args.chapter, plan, cache_dir=args.cache_dir,
                         declared_inputs=args.declared)
    write_outputs(out, args.ast, args.labels, args.report)
    print(_summary(args.chapter, out.report["warnings"]), file=sys.stderr)


def cmd_provenance_appendix(args: argparse.Namespace) -> None:
    from proefdruk.provenance import atomic_write_text, dump_json
    from proefdruk.render.core.project import PROVENANCE_INCLUDE
    from proefdruk.render.editions import herkomst

    info = _json_arg(args.plan)
    body, warnings = herkomst.build(args.numbers or [], args.records or [],
                                    generated=info["generated"], users=info["users"],
                                    titles=info["titles"],
                                    claim_users=info.get("claim_users", {}),
                                    words=info.get("words"),
                                    site_url=info.get("site_url"))
    atomic_write_text(args.out, body)
    dump_json({"chapter": "provenance", "source": PROVENANCE_INCLUDE,
               "warnings": warnings}, args.report)
    print(_summary("provenance", warnings), file=sys.stderr)


def cmd_notices(args: argparse.Namespace) -> None:
    from proefdruk.provenance import atomic_write_text
    from proefdruk.render.editions.notices import load_notices, notices_markdown

    atomic_write_text(args.out, notices_markdown(load_notices(args.notices or [])))


def cmd_svg_png(args: argparse.Namespace) -> None:
    import typst

    from proefdruk.provenance import atomic_write_bytes
    from proefdruk.render.editions.docx import svg_to_png
    from proefdruk.render.editions.shared import figure_font_dir

    with figure_font_dir() as fonts:
        try:
            png = svg_to_png(Path(args.svg).read_bytes(), fonts)
        except typst.TypstError as exc:
            raise BuildError("the figure is not an SVG image", file=args.svg,
                             expected="an SVG file (XML text)", found=str(exc),
                             hint="re-run the step that writes the figure; "
                                  f"for example: {_example('svg-png')}") from None
    atomic_write_bytes(args.out, png)


def _example(command: str) -> str:
    from proefdruk.arguments import EXAMPLES

    return EXAMPLES[command]


def cmd_check_quarto(args: argparse.Namespace) -> None:
    from proefdruk.render.workflow.quarto_cli import check_quarto

    version = check_quarto(args.quarto)
    print(f"quarto {'.'.join(map(str, version))}", file=sys.stderr)


def cmd_book_json(args: argparse.Namespace) -> None:
    from proefdruk.provenance import dump_json
    from proefdruk.render.editions.book import assemble

    book = assemble(args.root, args.labels or [], args.notices or [])
    dump_json(book, args.out)
    if args.report:
        from proefdruk.render.core.extension import extension_names
        from proefdruk.render.core.quarto_checks import check_project
        from proefdruk.render.core.yamlfile import load_file

        root = Path(args.root)
        warnings = check_project(load_file(root / "_quarto.yml", display="_quarto.yml"),
                                 extensions=extension_names(root))
        dump_json({"check": "quarto-features", "warnings": warnings,
                   "summary": f"{len(warnings)} Quarto option(s) in _quarto.yml the "
                              "built-in renderer does not follow (docs/quarto-coverage.md)"},
                  args.report)


def cmd_page(args: argparse.Namespace) -> None:
    from proefdruk.render.editions import html
    from proefdruk.render.editions.book import page_book

    book = page_book(_json_arg(args.skeleton), args.labels, args.notices or [],
                     _json_arg(args.external))
    if args.scholar:
        book["scholar"] = json.loads(Path(args.scholar).read_text(encoding="utf-8"))
    html.write_chapter_page(book, args.chapter, Path(args.out),
                            media_made=args.media_made or ())


def cmd_site_media(args: argparse.Namespace) -> None:
    from proefdruk.render.editions.media import copy_media

    copy_media(args.images or [], args.copies or [], args.out)


def cmd_scholar_json(args: argparse.Namespace) -> None:
    from proefdruk.files import dump_json
    from proefdruk.render.core.project import load_project
    from proefdruk.render.editions import site_meta

    project = load_project(args.root)
    dump_json(site_meta.scholarly_record(args.root, _plain_yaml(project.raw),
                                         project.bibliography, project.csl,
                                         project.output_file), args.out)


def cmd_citation_files(args: argparse.Namespace) -> None:
    from proefdruk.render.core.project import load_project
    from proefdruk.render.editions import site_meta

    project = load_project(args.root)
    site_meta.write_citation_downloads(_plain_yaml(project.raw), args.bib, args.ris)


def _plain_yaml(data: Any) -> Any:
    from proefdruk.render.core import yamlfile

    return yamlfile.plain(data)


def cmd_search_index(args: argparse.Namespace) -> None:
    from proefdruk.render.editions import html
    from proefdruk.render.editions.book import load_json

    html.write_search_index(load_json(args.book), Path(args.out))


def cmd_assets(args: argparse.Namespace) -> None:
    from proefdruk.render.editions import html

    html.write_assets(Path(args.out), _words_arg(args))


def cmd_pdf(args: argparse.Namespace) -> None:
    from proefdruk.render.editions import typst_pdf
    from proefdruk.render.editions.book import load_json

    typst_pdf.write_pdf(load_json(args.book), Path(args.out), paper=args.paper,
                        pdfa=args.pdfa == "true", pdfua=args.pdfua == "true")


def cmd_docx(args: argparse.Namespace) -> None:
    from proefdruk.render.editions import docx
    from proefdruk.render.editions.book import load_json

    docx.write_docx(load_json(args.book), Path(args.out))


def cmd_preview(args: argparse.Namespace) -> None:
    from proefdruk.preview import command

    raise SystemExit(command.run(Path(args.root), port=args.port, open_browser=args.open))


def cmd_feedback(args: argparse.Namespace) -> None:
    from proefdruk import feedback
    from proefdruk.feedback.report import closing_summary

    out = Path(args.out)
    items = feedback.run(args.docx, args.root, out / "feedback.md", out / "feedback.html",
                         out / "accepted.patch")
    print(closing_summary(items, out))



# --- module commands: each hands its arguments to the main(argv) of one module ----------

ModuleCommand = Callable[[list[str]], int]
MODULE_COMMANDS: dict[str, tuple[ModuleCommand, str]] = {}  # name -> (function, help)


def _module_command(help_: str) -> Callable[[ModuleCommand], ModuleCommand]:
    """Register ``cmd_<name>`` as the subcommand ``<name>`` (underscores as hyphens)."""
    def register(func: ModuleCommand) -> ModuleCommand:
        MODULE_COMMANDS[func.__name__.removeprefix("cmd_").replace("_", "-")] = (func, help_)
        return func
    return register


@_module_command("render the book with real Quarto, leaving no working files behind")
def cmd_quarto_render(argv: list[str]) -> int:
    from proefdruk.render.workflow import quarto_run

    return quarto_run.main(argv)


@_module_command("merge the numbers files into the registry (results/numbers.json)")
def cmd_numbers(argv: list[str]) -> int:
    from proefdruk import numbers

    return numbers.main(argv)


@_module_command("list typed numbers and unbound conclusions in chapters (prose lint)")
def cmd_lint_prose(argv: list[str]) -> int:
    from proefdruk import lint_prose

    return lint_prose.main(argv)


@_module_command("recompute each test statistic in the registry (statcheck-style)")
def cmd_consistency(argv: list[str]) -> int:
    from proefdruk import consistency

    return consistency.main(argv)


@_module_command("collect the check reports into results/reports/warnings.md")
def cmd_warnings_report(argv: list[str]) -> int:
    from proefdruk import warnings_report

    return warnings_report.main(argv)


@_module_command("check the bibliography against the chapters")
def cmd_bibliography(argv: list[str]) -> int:
    from proefdruk import bibliography

    return bibliography.main(argv)


@_module_command("write the manifest: SHA-256 of every output, value of every number")
def cmd_manifest(argv: list[str]) -> int:
    from proefdruk import manifest

    return manifest.main(argv)


@_module_command("replace _book/ by the staged editions, all at once")
def cmd_promote(argv: list[str]) -> int:
    from proefdruk import promote

    return promote.main(argv)


@_module_command("check editions against the manifest, or rebuild in a clean room")
def cmd_verify(argv: list[str]) -> int:
    from proefdruk import verify

    return verify.main(argv)


@_module_command("pack the sources and editions into a deposit archive")
def cmd_archive(argv: list[str]) -> int:
    from proefdruk import archive

    return archive.main(argv)


@_module_command("copy the finished editions into published/<version>/ (immutable)")
def cmd_publish(argv: list[str]) -> int:
    from proefdruk import publish

    return publish.main(argv)


@_module_command("what changed since an earlier edition (its version or manifest)")
def cmd_changes(argv: list[str]) -> int:
    from proefdruk import changes

    return changes.main(argv)


@_module_command("run one analysis step alone, with the inputs the Snakefile gives it")
def cmd_step(argv: list[str]) -> int:
    from proefdruk import step

    return step.main(argv)


@_module_command("write a starter dissertation into a new folder (Dutch or English)")
def cmd_new(argv: list[str]) -> int:
    from proefdruk import new

    return new.main(argv)


@_module_command("check or update the project's copy of the Quarto extension")
def cmd_extension(argv: list[str]) -> int:
    from proefdruk import extension_copy

    return extension_copy.main(argv)


@_module_command("write the table of Quarto features the built-in renderer covers")
def cmd_quarto_coverage(argv: list[str]) -> int:
    from proefdruk.render.core import quarto_features

    return quarto_features.main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog="proefdruk", description=__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="project root (default: .)")
    parser.add_argument("--version", action="version", version=f"proefdruk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("plan", help="print the book plan (chapters, labels, inputs)")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("render-chapter", help="resolve one chapter into a pandoc AST")
    p.add_argument("--chapter", required=True)
    p.add_argument("--plan", required=True, help="JSON (or @file) from the book plan")
    p.add_argument("--ast", required=True)
    p.add_argument("--labels", required=True)
    p.add_argument("--report", required=True)
    p.add_argument("--cache-dir", default=".proefdruk-cache/cells")
    p.add_argument("--declared", nargs="*", default=None,
                   help="the job's declared inputs (to flag undeclared reads)")
    p.set_defaults(func=cmd_render_chapter)

    p = sub.add_parser("provenance-appendix",
                       help="write the provenance appendix as Quarto markdown")
    p.add_argument("--plan", required=True)
    p.add_argument("--numbers", nargs="*")
    p.add_argument("--records", nargs="*")
    p.add_argument("--out", required=True)
    p.add_argument("--report", required=True)
    p.set_defaults(func=cmd_provenance_appendix)

    p = sub.add_parser("notices", help="write the edition notices as Quarto markdown")
    p.add_argument("--notices", nargs="*")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_notices)

    p = sub.add_parser("svg-png", help="a PNG rendition of an SVG figure (DOCX under Quarto)")
    p.add_argument("--svg", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_svg_png)

    p = sub.add_parser("check-quarto", help="stop unless quarto is version 1.9 or newer")
    p.add_argument("--quarto", required=True)
    p.set_defaults(func=cmd_check_quarto)

    p = sub.add_parser("book-json", help="assemble results/render/book.json")
    p.add_argument("--labels", nargs="*")
    p.add_argument("--notices", nargs="*")
    p.add_argument("--out", required=True)
    p.add_argument("--report", help="warnings for Quarto options not followed (JSON)")
    p.set_defaults(func=cmd_book_json)

    p = sub.add_parser("page", help="write one chapter's HTML page")
    p.add_argument("--chapter", required=True)
    p.add_argument("--skeleton", required=True)
    p.add_argument("--external", default="{}")
    p.add_argument("--labels", required=True)
    p.add_argument("--notices", nargs="*")
    p.add_argument("--scholar", help="results/render/scholar.json (citation metadata)")
    p.add_argument("--media-made", nargs="*", metavar="FILE",
                   help="images whose media/ copy another step makes (site-media): "
                        "linked, not copied")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_page)

    p = sub.add_parser("site-media", help="copy the images the pages show to the site's "
                                          "media/ folder (rule site_media)")
    p.add_argument("--images", nargs="*", metavar="FILE", help="project files to copy")
    p.add_argument("--copies", nargs="*", metavar="FILE",
                   help="where each image's copy goes, in the same order")
    p.add_argument("--out", required=True, help="the list of copies written (JSON)")
    p.set_defaults(func=cmd_site_media)

    p = sub.add_parser("scholar-json", help="the citation metadata of the site pages")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_scholar_json)

    p = sub.add_parser("citation-files", help="citeer.bib and citeer.ris for the site")
    p.add_argument("--bib", required=True)
    p.add_argument("--ris", required=True)
    p.set_defaults(func=cmd_citation_files)

    for name, func, help_ in (("search-index", cmd_search_index, "write the search index"),
                              ("pdf", cmd_pdf, "write the PDF edition"),
                              ("docx", cmd_docx, "write the DOCX edition")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--book", required=True)
        p.add_argument("--out", required=True)
        if name == "pdf":  # config render.paper, .pdfa and .pdfua (config/schema.yaml)
            p.add_argument("--paper", required=True)
            p.add_argument("--pdfa", required=True, choices=["true", "false"])
            p.add_argument("--pdfua", default="false", choices=["true", "false"])
        p.set_defaults(func=func)

    p = sub.add_parser("preview", help="serve _book/ and rebuild what a save changes")
    p.add_argument("--port", type=int, default=0,
                   help="port on 127.0.0.1 (default: a free one, printed)")
    p.add_argument("--open", action="store_true",
                   help="open the book in the default web browser")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("feedback", help="read a supervisor's returned DOCX onto the sources")
    p.add_argument("--docx", required=True, help="the returned DOCX")
    p.add_argument("--out", default="results/feedback",
                   help="folder for feedback.md, feedback.html and accepted.patch")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("assets", help="copy the HTML site's assets")
    p.add_argument("--out", required=True)
    p.add_argument("--words", help="the book's words as JSON (the plan's skeleton "
                   "'words'); without it, the Dutch table")
    p.set_defaults(func=cmd_assets)

    for name, (_, help_) in MODULE_COMMANDS.items():
        # Listed for --help; main() hands their arguments over before this parser runs.
        sub.add_parser(name, help=help_, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; the exit status is the command's (1 after a build error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in MODULE_COMMANDS:
            return MODULE_COMMANDS[argv[0]][0](argv[1:])
        parser = build_parser()
        args, unknown = parser.parse_known_args(argv)
        if args.command in MODULE_COMMANDS:  # only after a global option such as --root
            parser.error(f"write `proefdruk {args.command} ...`: it takes no global options")
        if unknown:  # said by the subcommand's parser: its usage and its example
            sub = next(a for a in parser._actions
                       if isinstance(a, argparse._SubParsersAction)).choices[args.command]
            sub.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.func(args)
    except (BuildError, BuildErrors) as exc:
        print(str(exc), file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        # A path the command was given that is not there, a folder, unreadable, binary or
        # not JSON: one block with the command's example instead of a traceback.
        if isinstance(exc, ValueError) and not isinstance(
                exc, (json.JSONDecodeError, UnicodeDecodeError)):
            raise
        print(str(bad_input(argv[0] if argv else "", exc, argv)), file=sys.stderr)
        return 1
    return 0


def _not_text(argv: list[str]) -> str | None:
    """The first file named on the command line that is not UTF-8 text (the decode error
    itself does not say which file it read)."""
    for word in argv:
        path = Path(word.removeprefix("@"))
        try:
            if path.is_file() and path.stat().st_size < 1 << 26:
                path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return word.removeprefix("@")
        except OSError:
            continue
    return None


def bad_input(command: str, exc: OSError | UnicodeDecodeError | ValueError,
              argv: list[str] | None = None) -> BuildError:
    """The error block for a file a command could not use (see :func:`main`)."""
    from proefdruk.arguments import EXAMPLES

    example = EXAMPLES.get(command)
    hint = ("check the paths on the command line" + (f"; for example: {example}"
                                                     if example else ""))
    if isinstance(exc, OSError):
        found = exc.strerror or str(exc)
        if isinstance(exc, IsADirectoryError):
            found, hint = "a folder", "give the path of a file, not of a folder; " + hint
        return BuildError(f"proefdruk {command}: a path it was given cannot be used",
                          file=exc.filename, found=found, hint=hint)
    if isinstance(exc, UnicodeDecodeError):
        return BuildError(f"proefdruk {command}: a file it was given is not UTF-8 text",
                          file=_not_text(argv or []),
                          expected="a text file (JSON, YAML, Markdown, BibTeX)",
                          found=f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}",
                          hint="is it a binary file? " + hint)
    return BuildError(f"proefdruk {command}: a file it was given is not valid JSON",
                      line=getattr(exc, "lineno", None), found=str(exc), hint=hint)
