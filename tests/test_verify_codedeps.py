"""Imported project modules are found, so a rule can declare them and never go stale."""

from __future__ import annotations

from pathlib import Path

from proefdruk.codedeps import code_files, local_imports


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def test_transitive_project_imports_only(tmp_path: Path) -> None:
    write(tmp_path, "study/__init__.py", "")
    write(tmp_path, "study/stats.py", "import math\nfrom study import style\n")
    write(tmp_path, "study/style.py", "import matplotlib\n")
    write(tmp_path, "study/unused.py", "")
    write(tmp_path, "study/scripts/run.py",
          "import json\nfrom study.stats import chi2\nimport numpy as np\n")
    assert local_imports("study/scripts/run.py", root=tmp_path) == [
        "study/__init__.py", "study/stats.py", "study/style.py"]


def test_packages_limit_the_search(tmp_path: Path) -> None:
    write(tmp_path, "study/__init__.py", "")
    write(tmp_path, "tool/__init__.py", "")
    write(tmp_path, "tool/fmt.py", "")
    write(tmp_path, "run.py", "import study\nfrom tool import fmt\n")
    assert local_imports("run.py", root=tmp_path, packages=("study",)) == ["study/__init__.py"]
    assert local_imports("run.py", root=tmp_path) == [
        "study/__init__.py", "tool/__init__.py", "tool/fmt.py"]


def test_the_real_scripts_reach_their_modules() -> None:
    root = Path(__file__).resolve().parent.parent
    scripts = sorted((root / "analysis" / "scripts").glob("*.py"))
    if not scripts:
        return
    found = local_imports(*scripts, root=root, packages=("analysis",))
    assert "analysis/__init__.py" in found
    assert all((root / f).is_file() for f in found)


def test_files_named_next_to_the_code_are_inputs(tmp_path: Path) -> None:
    """Templates, Lua filters and asset folders the code finds through ``__file__``."""
    write(tmp_path, "tool/__init__.py", "")
    write(tmp_path, "tool/templates/page.html", "<html>")
    write(tmp_path, "tool/templates/book.typ", "#set page()")
    write(tmp_path, "tool/lua/filter.lua", "return {}")
    write(tmp_path, "tool/assets/site.css", "body {}")
    write(tmp_path, "tool/assets/fonts/a.woff2", "")
    write(tmp_path, "tool/kernel_a.py", "")
    write(tmp_path, "tool/html.py",
          "from pathlib import Path\n"
          "HERE = Path(__file__).resolve().parent\n"
          "ASSETS = HERE / 'assets'\n"
          "PAGE = HERE / 'templates' / 'page.html'\n"
          "LUA = Path(__file__).with_name('lua') / 'filter.lua'\n"
          "def key():\n"
          "    here = Path(__file__).parent\n"
          "    return sorted(here.glob('kernel_*.py'))\n")
    assert code_files("tool.html", root=tmp_path) == [
        "tool/__init__.py", "tool/assets/fonts/a.woff2", "tool/assets/site.css",
        "tool/html.py", "tool/kernel_a.py", "tool/lua/filter.lua",
        "tool/templates/page.html"]


def test_a_subcommand_depends_on_its_own_code_only(tmp_path: Path) -> None:
    write(tmp_path, "tool/__init__.py", "")
    write(tmp_path, "tool/errors.py", "")
    write(tmp_path, "tool/pdf.py", "")
    write(tmp_path, "tool/html.py", "")
    write(tmp_path, "tool/shared.py", "")
    write(tmp_path, "tool/cli.py",
          "from tool.errors import E\n"
          "def _common():\n    from tool import shared\n"
          "def cmd_pdf(a):\n    from tool import pdf\n    _common()\n"
          "def cmd_page(a):\n    from tool import html\n")
    assert code_files("tool.cli:cmd_pdf", root=tmp_path) == [
        "tool/__init__.py", "tool/cli.py", "tool/errors.py", "tool/pdf.py", "tool/shared.py"]
    assert code_files("tool.cli:cmd_page", root=tmp_path) == [
        "tool/__init__.py", "tool/cli.py", "tool/errors.py", "tool/html.py"]
    assert "tool/pdf.py" in code_files("tool.cli", root=tmp_path)


def test_the_renderer_reaches_every_module_it_runs() -> None:
    """The modules the old hand-kept list left out (cells, the kernel modules) and the
    Lua filter, the templates and the stylesheet are all found."""
    root = Path(__file__).resolve().parent.parent
    chapter = code_files("proefdruk.cli:cmd_render_chapter", root=root)
    for name in ("cells/execute.py", "cells/kernel_boot.py", "cells/kernel_cache.py",
                 "cells/kernel_markdown.py", "cells/kernel_options.py", "cells/kernel_run.py",
                 "cells/__init__.py", "core/__init__.py", "core/lua/shortcodes.lua"):
        assert f"proefdruk/render/{name}" in chapter
    page = code_files("proefdruk.cli:cmd_page", root=root)
    assert "proefdruk/render/editions/templates/page.html" in page
    assert "proefdruk/render/editions/assets/proefdruk.css" in page
    assert "proefdruk/render/editions/typst_pdf.py" not in page
    pdf = code_files("proefdruk.cli:cmd_pdf", root=root)
    # the design is the Quarto extension's Typst format (rule book_pdf lists its files)
    assert "proefdruk/render/core/extension.py" in pdf
    assert "proefdruk/render/editions/html.py" not in pdf
    numbers = code_files("analysis/scripts/survey_response.py", root=root)
    assert {"proefdruk/locale/formats.py", "proefdruk/numbers.py",
            "analysis/statistics.py"} <= set(numbers)
