"""Helpers for the book rules (proefdruk/build/rules/editions.smk), kept out of the Snakefile.

Snakemake's linter asks for rules and functions to live apart; these are the functions
the rules use to find their inputs and to choose between the built-in renderer and Quarto.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.render.editions.media import media_path
from proefdruk.render.workflow.plan import BookPlan

BUILTIN = ("builtin", "", "false", "none")


def quarto_binary(choice: Any) -> str | None:
    """The quarto executable to use, or None for the built-in renderer.

    ``render.quarto`` in config/config.yaml: "builtin" (default), "auto" (quarto if it is
    on PATH, else built-in) or the path of a quarto executable.
    """
    text = str(choice if choice is not None else "builtin").strip()
    if text.lower() in BUILTIN:
        return None
    if text == "auto":
        return shutil.which("quarto")
    found = shutil.which(text)
    if found is None:
        raise BuildError("config render.quarto names no executable", file="config/config.yaml",
                         field="render.quarto", expected="builtin, auto or a path to quarto",
                         found=text)
    return found


def json_param(value: Any) -> str:
    """A rule parameter as canonical JSON: same plan, same string, no spurious rerun."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def choice_regex(names: Iterable[str]) -> str:
    """A wildcard constraint matching exactly one of ``names``."""
    names = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(n) for n in names) or "$^"


def page_images_of(book: BookPlan, chapter_id: str) -> list[str]:
    """Images a chapter page publishes: its own, and on the home page the book's
    ``cover-image``."""
    images = sorted(book.scans[chapter_id].images) if chapter_id in book.scans else []
    cover = book.skeleton()["site"].get("cover_image")
    if cover and book.chapter(chapter_id).href == "index.html":
        images.append(str(cover))
    return images


def site_media(book: BookPlan, pages: Iterable[str]) -> dict[str, str]:
    """The site's copies of the images the pages of chapters ``pages`` show: path under
    the site -> project file, one entry per image however many pages show it, so that
    one job (rule site_media) owns each copy. Two files that would share a copy's name
    (``results/figures/a.svg`` and ``figures/a.svg``) stop the plan: one would silently
    replace the other on the site."""
    copies: dict[str, str] = {}
    for chapter_id in pages:
        for image in page_images_of(book, chapter_id):
            name = media_path(image)
            if copies.setdefault(name, image) != image:
                raise BuildError(
                    "two images would be published under one name on the site",
                    file=book.chapter(chapter_id).source,
                    expected="images whose paths differ after results/",
                    found=f"{copies[name]} and {image} both become {name}",
                    hint="rename or move one of the two files")
    return copies


def check_sources(book: BookPlan, rules: list[Any]) -> None:
    """Stop before running anything if a chapter names a figure, table or numbers file
    that neither exists nor is made by a rule, naming the chapter line."""
    for cid in book.chapter_ids:
        s = book.scans[cid]
        wanted = [(p, w) for p, w in s.images.items()]
        wanted += [(f"results/numbers/{k.split('.', 1)[0]}.json", w)
                   for k, w in s.num_keys.items()]
        wanted += [(p, None) for p in s.includes]
        wanted += [(p, w) for p, w in s.cell_paths.items() if p.startswith("results/")]
        for path, where in wanted:
            if os.path.exists(path) or any(r.is_producer(path) for r in rules):
                continue
            what = "numbers file" if path.startswith("results/numbers/") else "file"
            raise BuildError(
                f"{what} '{path}' does not exist and no rule makes it",
                file=where[0] if where else s.spec.source,
                line=where[1] if where else None,
                expected="a file in the project, or one that an analysis rule writes",
                found="no such file, and no rule whose output it is",
                hint="check the path or the number key; generated files must come from "
                     "an analysis rule")
