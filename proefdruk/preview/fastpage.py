"""The first look at an edited page, before Snakemake has made it.

A prose edit needs one chapter re-rendered and its page written: well under a second of
work, but a Snakemake run around it costs several (start-up, the plan, the content
check of every source, a fresh Python per job). So for a save that changes only chapter
sources, the preview first has this warm helper (a fork server,
:mod:`proefdruk.preview.forkserver`, with the renderer already imported) render the open
pages of those chapters: with the same steps the rules run (the chapter's prose lint, then
``proefdruk render-chapter`` and ``proefdruk page`` with the parameters the rules derive
from the book plan), in the same environment as a rule's job, into a private folder.
Nothing is written into Snakemake's outputs; the server shows such a page as a draft.
After any other save (a survey answer, analysis code) Snakemake first makes only what the
open pages read (everything upstream of the two jobs that make a page: the analysis
steps), and then the helper drafts them: those two jobs cost a fresh Python each, the
draft does not.

Snakemake then runs as ever and stays the source of truth: when it has made the page,
the preview compares, drops the draft and serves Snakemake's file (reloading the tab and
saying so in the log if the bytes differ, which would be a bug here). When Snakemake
fails, the draft goes and the page shows the last good build with the error.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

from proefdruk.preview.forkserver import serve

CELL_CACHE = ".proefdruk-cache/cells"  # the render-chapter default the rule relies on
HELPER = "proefdruk.preview.fastpage"
SCHOLAR = "results/render/scholar.json"  # the citation metadata every page carries


# The configuration the helper checked when it started: (files' digest, options).
_CHECKED: tuple[str, dict[str, Any]] | None = None


def _config_digest(root: Path) -> str:
    from proefdruk.config_schema import CONFIG_FILE, TOOL_SCHEMA, study_schema_path

    h = hashlib.sha256()
    for path in (root / CONFIG_FILE, TOOL_SCHEMA, study_schema_path(root)):
        h.update((path.read_bytes() if path else b"") + b"\0")
    return h.hexdigest()


def load_config(root: Path) -> dict[str, Any]:
    """The build options as the Snakefile reads them: config/config.yaml, checked
    against the schema with its defaults filled in. Checking parses the schema (a third
    of a draft's time), so the helper does it once when it starts and a draft reuses the
    result as long as both files are byte for byte the same."""
    from proefdruk.config_file import load_config_file
    from proefdruk.config_schema import CONFIG_FILE, validate_config

    digest = _config_digest(root)
    if _CHECKED is not None and _CHECKED[0] == digest:
        return copy.deepcopy(_CHECKED[1])
    # within the same limits as the build's own reading (an alias bomb is an error: block)
    config = load_config_file(root / CONFIG_FILE, display=CONFIG_FILE)
    validate_config(config, root)
    return config


def check_config_once(root: Path) -> None:
    """In the helper, before it serves: check the configuration (see load_config)."""
    global _CHECKED
    try:
        _CHECKED = (_config_digest(root), load_config(root))
    except Exception:  # noqa: BLE001 - a draft checks again and reports
        _CHECKED = None


def warm_plan(root: Path) -> None:
    """In the helper, before it serves: plan the book once, so that the YAML and the
    titles it parsed are remembered (by their text) and a draft forked from here parses
    only what the save changed."""
    from proefdruk.render.workflow.plan import load_plan

    try:
        load_plan(root)
    except Exception:  # noqa: BLE001 - a draft plans again and reports
        return


def _chapter_page(root: Path, plan: Any, chapter: Any, config: dict[str, Any],
                  out: Path) -> Path | None:
    """The page of ``chapter`` rendered under ``out`` as the rules would; None when its
    prose lint or a render step fails (Snakemake then reports the error)."""
    from proefdruk import cli
    from proefdruk.render.workflow.book_rules import json_param

    work = out / "work" / chapter.id
    work.mkdir(parents=True)
    # rule prose_lint_chapter: a chapter with a typed finding is not rendered.
    if cli.main(["lint-prose", chapter.source, "--allow", config["prose_allowlist"],
                 "--out", str(work / "lint.json")]) != 0:
        return None
    ast, labels = work / "ast.json", work / "labels.json"
    # rule render_chapter
    if cli.main(["render-chapter", "--chapter", chapter.id,
                 "--plan", json_param(plan.render_params(chapter.id)),
                 "--ast", str(ast), "--labels", str(labels),
                 "--report", str(work / "report.json"), "--cache-dir", CELL_CACHE,
                 "--declared", *plan.chapter_inputs(chapter.id)]) != 0:
        return None
    # rule chapter_page, reading this chapter's AST from here instead of results/.
    skeleton = plan.skeleton()
    for entry in skeleton["chapters"]:
        if entry["id"] == chapter.id:
            entry["ast"] = str(ast.resolve())
    page = out / "site" / chapter.href
    notices = sorted(p.relative_to(root).as_posix()
                     for p in (root / "results" / "notices").glob("*.json"))
    if cli.main(["page", "--chapter", chapter.id, "--skeleton", json_param(skeleton),
                 "--external", json_param(plan.page_labels(chapter.id)),
                 "--labels", str(labels), "--notices", *notices,
                 "--scholar", SCHOLAR, "--out", str(page)]) != 0:
        return None
    return page


def render(args: list[str]) -> int:
    """In the forked child: ``args`` is one JSON request ``{"out": folder, "open":
    [pages], "changed": [sources] or null}``. Writes ``result.json`` in ``out``: page ->
    file for each open page drafted (those of the ``changed`` chapter sources, or all of
    them when ``changed`` is null)."""
    from proefdruk.render.workflow.book_rules import quarto_binary
    from proefdruk.render.workflow.plan import load_plan
    from proefdruk.workflow import job_environment

    request = json.loads(args[0])
    root = Path.cwd()
    out = Path(request["out"])
    config = load_config(root)
    job_environment(root, config["source_date_epoch"],
                    cell_timeout=config["render"]["cell_timeout"])
    if quarto_binary(config["render"]["quarto"]) is not None:
        # Real Quarto makes the pages (config render.quarto): a draft by the built-in
        # renderer would not be the page Snakemake makes, so there is none.
        (out / "result.json").write_text("{}")
        return 0
    plan = load_plan(root)
    chapters = [c for c in plan.chapters if c.href in request["open"]
                and (request.get("changed") is None or c.source in request["changed"])]
    pages: dict[str, str] = {}
    for chapter in chapters:
        page = _chapter_page(root, plan, chapter, config, out)
        if page is not None:
            pages[chapter.href] = str(page)
    (out / "result.json").write_text(json.dumps(pages), encoding="utf-8")
    return 0


def helper_env() -> dict[str, str]:
    """The helper's environment: a rule job's hash seed must be set before it starts."""
    from proefdruk.preview.snakemake_run import snakemake_env

    return {**snakemake_env(), "PYTHONHASHSEED": "0"}


if __name__ == "__main__":
    # Warm: what a page render imports (the renderer, pandoc's wrapper, the schema
    # check), so that a forked child starts rendering at once.
    import snakemake.utils  # noqa: F401 - config validation

    import proefdruk.cli  # noqa: F401
    import proefdruk.config_schema  # noqa: F401
    import proefdruk.lint_prose  # noqa: F401
    import proefdruk.render.core.chapter  # noqa: F401
    import proefdruk.render.editions.book  # noqa: F401
    import proefdruk.render.editions.html  # noqa: F401
    import proefdruk.render.workflow.plan  # noqa: F401
    import proefdruk.workflow  # noqa: F401

    check_config_once(Path.cwd())
    warm_plan(Path.cwd())
    serve(render)
