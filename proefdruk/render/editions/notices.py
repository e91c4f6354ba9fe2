"""Edition notices (e.g. "synthetic data") as a generated Quarto source.

The analysis steps write one JSON file per notice under ``results/notices/`` while their
data are synthetic. A reader must see them in every edition, whichever renderer made it,
so they become Quarto callouts in ``results/book/notices.md``, which the book's opening
page includes (``{{< include results/book/notices.md >}}`` in ``index.qmd``). Without
notices the file is empty, so the include stays valid and shows nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.markdown import escape_markdown

LEVELS = ("warning", "important", "caution", "note", "tip")
# Class on every notice callout: the HTML edition finds the page that shows them.
NOTICE_CLASS = "notice"


def load_notices(paths: list[str]) -> list[dict[str, Any]]:
    """Edition notices, sorted by id; each must be complete."""
    import json

    notices: list[dict[str, Any]] = []
    for path in sorted(paths):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise BuildError("file not found", file=str(path),
                             hint="run `snakemake all`; the rule that writes it has not run"
                             ) from exc
        except json.JSONDecodeError as exc:
            raise BuildError("not valid JSON", file=str(path), line=exc.lineno, found=exc.msg,
                             hint="delete it and rerun `snakemake all`") from exc
        missing = [k for k in ("id", "level", "title", "text") if not data.get(k)]
        if missing:
            raise BuildError("edition notice is incomplete", file=str(path),
                             field=missing[0], expected='{"id", "level", "title", "text"}',
                             found=", ".join(sorted(data)))
        if data["level"] not in LEVELS:
            raise BuildError("unknown notice level", file=str(path), field="level",
                             expected=", ".join(LEVELS), found=str(data["level"]))
        notices.append({k: data[k] for k in ("id", "level", "title", "text")})
    return sorted(notices, key=lambda n: n["id"])


def _ident(value: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in value)


def notices_markdown(notices: list[dict[str, Any]]) -> str:
    """The notices as Quarto callouts (one per notice); nothing when there are none."""
    if not notices:
        return ""
    blocks = []
    for n in notices:
        title = str(n["title"]).rstrip(".").replace('"', "'")
        blocks.append(
            f'::: {{#notice-{_ident(n["id"])} .callout-{n["level"]} .{NOTICE_CLASS} '
            f'title="{title}"}}\n{escape_markdown(str(n["text"]))}\n:::\n')
    return "\n".join(blocks)
