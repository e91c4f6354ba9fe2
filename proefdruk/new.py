"""`proefdruk new DIR`: write a starter dissertation that builds from the first minute.

The starter (``proefdruk/template/``) is a complete small study, not a skeleton: a
Snakefile that uses the tool's rules, a Quarto book with two chapters that use numbers, a
claim, a figure, a table and a citation, one analysis step on synthetic data, its own
tests, and a README whose first code block sets up and builds. It is also the tool's
integration fixture, so what a new candidate gets is what the tool's tests build.

Layout of the template: ``base/`` holds the files every language shares, ``nl/`` and
``en/`` the files whose words differ (no file is in both). A path part ``dot-x`` is
written as ``.x`` (``dot-gitignore`` -> ``.gitignore``), so that packaging tools that skip
hidden files still ship them. ``@@name@@`` marks a value filled in here, always in the
quoting of the file it lands in (YAML, Markdown).

Writing is all or nothing: the project is built in a temporary sibling folder and renamed
into place, so a failure leaves nothing behind, and an existing non-empty folder is
never touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError
from proefdruk.extension_copy import PACKAGED
from proefdruk.extension_copy import install as install_extension
from proefdruk.locale.words import locale_for
from proefdruk.markdown import escape_markdown
from proefdruk.new_lock import lock_text, tool_requirement

TEMPLATE = Path(__file__).resolve().parent / "template"
LANGUAGES = ("nl", "en")
# The book's defaults in its language. Values in [brackets] are placeholders: the build
# lists them for the author and never publishes them as facts.
DEFAULTS = {
    "nl": {"title": "Mijn proefschrift", "author": "[Naam promovendus]",
           "output_file": "proefschrift", "genre": "Proefschrift",
           "publisher": "[Universiteit]", "provenance": "herkomst"},
    "en": {"title": "My dissertation", "author": "[Name of the candidate]",
           "output_file": "dissertation", "genre": "PhD thesis",
           "publisher": "[University]", "provenance": "provenance"},
}
# Files whose @@placeholders@@ are filled in; every other file is copied byte for byte.
FILLED = ("_quarto.yml", "README.md")
EXECUTABLE = ("tools/setup-env", ".ci/run")
SKIP = ("__pycache__", ".pyc", ".pytest_cache")
PLACEHOLDER = re.compile(r"@@([a-z_]+)@@")
USAGE_ERROR = 2  # the exit status of a refused command line (like argparse's)


def extension_source() -> Path:
    """The tool's Quarto extension folder that a new project gets a copy of: the package's
    own (``proefdruk extension check`` compares a project's copy with the same folder)."""
    if (PACKAGED / "_extension.yml").is_file():
        return PACKAGED
    raise BuildError("the proefdruk Quarto extension is missing from this installation",
                     file=str(PACKAGED), expected="a folder with _extension.yml",
                     found="none", hint="reinstall proefdruk from its wheel or checkout")


def yaml_string(text: str) -> str:
    """``text`` escaped for the inside of a double-quoted YAML scalar (JSON's string
    escapes are YAML's), so a title with quotes, a colon or a hash reads back exactly;
    the template keeps the quotes, so it is valid YAML itself."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def check_line(value: str, option: str) -> str:
    """A title or author: one line of text, not empty."""
    value = value.strip()
    if not value or any(c in value for c in "\r\n\x00"):
        raise BuildError(f"{option} must be one line of text", field=option,
                         expected="a non-empty line", found=repr(value))
    return value


def template_files(lang: str) -> dict[str, Path]:
    """Destination path (``/``-separated, ``dot-`` made ``.``) -> template file, the
    shared base first, then the language's own files."""
    files: dict[str, Path] = {}
    for layer in (TEMPLATE / "base", TEMPLATE / lang):
        for path in sorted(layer.rglob("*")):
            if not path.is_file() or any(s in path.as_posix() for s in SKIP):
                continue
            parts = path.relative_to(layer).parts
            dest = "/".join("." + p[4:] if p.startswith("dot-") else p for p in parts)
            if dest in files:
                raise BuildError("a template file is in the base and in a language overlay",
                                 file=str(path), hint="keep it in one place")
            files[dest] = path
    return files


def fill(text: str, values: dict[str, str], where: str) -> str:
    """``text`` with every ``@@name@@`` replaced; an unknown name is a template bug."""
    def one(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise BuildError(f"unknown placeholder @@{match.group(1)}@@", file=where)
        return values[match.group(1)]
    return PLACEHOLDER.sub(one, text)


def write_project(dest: Path, lang: str, title: str, author: str,
                  requirement: str) -> None:
    """Write the starter into the (new, empty) folder ``dest``."""
    year = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))).tm_year
    words = DEFAULTS[lang]
    values = {"title": yaml_string(title), "author": yaml_string(author),
              "title_md": escape_markdown(title), "lang": lang, "year": str(year),
              "output_file": words["output_file"], "genre": yaml_string(words["genre"]),
              "publisher": yaml_string(words["publisher"]),
              "provenance": words["provenance"],
              "sec_prefix": yaml_string(locale_for(lang).word("crossref-sec-prefix"))}
    for rel, src in template_files(lang).items():
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        if rel == "requirements.lock":
            out.write_text(lock_text(src.read_text(encoding="utf-8"), requirement),
                           encoding="utf-8")
        elif rel in FILLED:
            out.write_text(fill(src.read_text(encoding="utf-8"), values, rel),
                           encoding="utf-8")
        else:
            shutil.copyfile(src, out)
        out.chmod(0o755 if rel in EXECUTABLE else 0o644)
    extension_source()  # a clear error where the installation lacks the extension
    install_extension(dest)


def refuse_unless_empty(dest: Path) -> None:
    """Stop unless ``dest`` does not exist or is an empty folder: never overwrite."""
    if dest.exists() and not dest.is_dir():
        raise BuildError("the target exists and is not a folder", file=str(dest),
                         hint="choose a new folder name: proefdruk new never overwrites")
    if dest.is_dir():
        entries = sorted(p.name for p in dest.iterdir())
        if entries:
            shown = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
            raise BuildError(f"the folder {dest} is not empty", file=str(dest),
                             expected="a new or empty folder",
                             found=f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
                                   f" ({shown})",
                             hint="choose a new folder name (proefdruk new creates it), or "
                                  "empty this one first: proefdruk new never overwrites")
    if not dest.parent.is_dir():
        raise BuildError("the folder to create the project in does not exist",
                         file=str(dest.parent), hint=f"create it first: mkdir -p {dest.parent}")


def create(dest: str | Path, lang: str = "nl", title: str | None = None,
           author: str | None = None, tool_spec: str | None = None) -> Path:
    """Write a new starter dissertation to ``dest`` (new or empty) and return its path.

    Built in a temporary sibling folder and renamed into place (into an existing empty
    ``dest`` entry by entry), so that a failure at any point leaves ``dest`` as it was.
    """
    if lang not in LANGUAGES:
        raise BuildError("unknown language", field="--lang", expected=" or ".join(LANGUAGES),
                         found=lang)
    dest = Path(dest).absolute()
    refuse_unless_empty(dest)
    title = check_line(DEFAULTS[lang]["title"] if title is None else title, "--title")
    author = check_line(DEFAULTS[lang]["author"] if author is None else author, "--author")
    requirement = tool_requirement(tool_spec)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".new", dir=dest.parent))
    try:
        write_project(tmp, lang, title, author, requirement)
        tmp.chmod(0o755)
        if dest.is_dir():
            move_into(tmp, dest)
        else:
            os.rename(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def move_into(tmp: Path, dest: Path) -> None:
    """Move the written project into the existing empty folder ``dest`` entry by entry:
    ``dest`` itself stays (it may be the shell's working folder, ``proefdruk new .``),
    nothing in it is ever replaced, and a failure takes back what was moved."""
    moved: list[Path] = []
    try:
        for entry in sorted(tmp.iterdir()):
            target = dest / entry.name
            if target.exists() or target.is_symlink():
                refuse_unless_empty(dest)  # something appeared meanwhile: say what
            os.rename(entry, target)
            moved.append(target)
    except BaseException:
        for target in moved:
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        raise
    tmp.rmdir()


def main(argv: list[str] | None = None) -> int:
    """``proefdruk new DIR [--lang nl|en] [--title T] [--author A] [--tool-spec SPEC]``."""
    parser = CommandParser(
        prog="proefdruk new", description="Write a starter dissertation into DIR (a new or "
        "empty folder): a complete small study that builds its HTML, PDF and DOCX.")
    parser.add_argument("dir", metavar="DIR", help="the folder to create")
    parser.add_argument("--lang", choices=LANGUAGES, default="nl",
                        help="the book's language (default: nl)")
    parser.add_argument("--title", help="the book's title (default: a placeholder)")
    parser.add_argument("--author", help="the author's name (default: a placeholder)")
    parser.add_argument("--tool-spec", metavar="SPEC",
                        help="how the new project installs proefdruk: a wheel file, a "
                             "source folder, a git+URL or a requirement (default: the "
                             "checkout this proefdruk runs from, else proefdruk==VERSION)")
    args = parser.parse_args(argv)
    try:
        dest = create(args.dir, args.lang, args.title, args.author, args.tool_spec)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return USAGE_ERROR
    print(f"proefdruk new: wrote {dest}\n  next: cd {args.dir} && bash tools/setup-env && "
          ".venv/bin/snakemake all", file=sys.stderr)
    return 0
