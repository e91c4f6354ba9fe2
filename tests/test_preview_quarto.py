"""The preview under real Quarto (config render.quarto): Quarto renders its own staging
folder whole (results/staging/quarto/_book, one directory output), so the preview must
serve that folder and ask Snakemake for it, not for the built-in renderer's pages, which
no rule makes then. A stand-in executable is enough here: only its path is resolved."""

from __future__ import annotations

from pathlib import Path

from proefdruk.new import create
from proefdruk.preview.builder import with_media
from proefdruk.preview.command import site_folder
from proefdruk.promote import quarto_staging_folder, staging_folder
from proefdruk.render.editions.media import MEDIA_LIST

PAGE = "chapters/inleiding.html"


def _starter(tmp_path: Path, quarto: str | None) -> Path:
    project = tmp_path / "proj"
    create(project, lang="nl", title="Titel", author="Auteur")
    if quarto is not None:
        config = project / "config" / "config.yaml"
        config.write_text(config.read_text(encoding="utf-8")
                          + f"render:\n  quarto: {quarto}\n", encoding="utf-8")
    return project


def test_the_built_in_renderer_s_pages_and_media_are_the_targets(tmp_path: Path) -> None:
    project = _starter(tmp_path, None)
    site = site_folder(project)
    assert site == staging_folder("_book")
    assert with_media(project, [f"{site}/{PAGE}"]) == [f"{site}/{PAGE}", MEDIA_LIST]


def test_under_quarto_the_preview_serves_and_builds_quarto_s_folder(tmp_path: Path) -> None:
    stand_in = tmp_path / "quarto"
    stand_in.write_text("#!/bin/sh\necho 1.10.18\n", encoding="utf-8")
    stand_in.chmod(0o755)
    project = _starter(tmp_path, str(stand_in))
    site = site_folder(project)
    assert site == quarto_staging_folder("_book") == "results/staging/quarto/_book"
    assert with_media(project, [f"{site}/{PAGE}"]) == [site]
