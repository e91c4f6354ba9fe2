"""Dictionary-based coding of motives in policy notes.

Sub-question 2 asks why municipalities engage internationally. Besides what they answer
in the survey, what they write in their policy notes is evidence. A transparent
dictionary (``data/raw/dictionaries/motieven.yaml``) is used instead of a trained model
so that every code can be traced back to the words that produced it and a reviewer can
disagree with a term rather than with a black box.

A motive is *present* in a note when at least ``min_hits`` tokens match one of its terms;
its *primary* motive is the one with most hits (ties broken by the dictionary order, so
the result never depends on hash order).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis.text_nl import Term, fold, tokenize
from proefdruk.api import BuildError


@dataclass(frozen=True)
class Motive:
    """One motive: its code, its Dutch label, its terms and its false friends."""

    code: str
    label: str
    terms: tuple[Term, ...]
    exclusions: frozenset[str]


def load_dictionary(path: str | Path) -> list[Motive]:
    """Read and check the motive dictionary; errors name the motive and the term."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BuildError("motive dictionary is missing", file=path,
                         hint="restore data/raw/dictionaries/motieven.yaml from git") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError("motive dictionary is not valid YAML", file=path,
                         line=mark.line + 1 if mark else None, found=str(exc).splitlines()[0],
                         hint="fix the YAML syntax (indentation, dashes before terms)") from exc
    motives_raw = (data or {}).get("motieven")
    if not isinstance(motives_raw, dict) or not motives_raw:
        raise BuildError("motive dictionary has no motives", file=path, field="motieven",
                         expected="a mapping motive code -> {label, termen}",
                         found=type(motives_raw).__name__,
                         hint="see the comment at the top of the file for the layout")
    motives: list[Motive] = []
    for code, spec in motives_raw.items():
        if not isinstance(spec, dict) or not spec.get("termen"):
            raise BuildError("motive has no terms", file=path, field=f"motieven.{code}.termen",
                             expected="a non-empty list of terms", found=repr(spec),
                             hint="add at least one term under `termen:`")
        terms = []
        for entry in spec["termen"]:
            try:
                terms.append(Term.parse(str(entry)))
            except ValueError as exc:
                raise BuildError("invalid dictionary term", file=path,
                                 field=f"motieven.{code}.termen", expected=
                                 "letters only, optionally ending in * for a stem",
                                 found=repr(entry), hint=str(exc)) from exc
        for term in terms:
            owner = next((m.code for m in motives if term in m.terms), None)
            if owner is not None:
                raise BuildError("term listed under two motives", file=path,
                                 field=f"motieven.{code}.termen",
                                 expected="each term under one motive only",
                                 found=f"{term.text}{'*' if term.stem else ''} (also under "
                                       f"{owner})",
                                 hint="decide which motive the word signals and remove the "
                                      "other entry")
        exclusions = frozenset(fold(str(e)) for e in spec.get("uitzonderingen") or [])
        motives.append(Motive(code=str(code), label=str(spec.get("label", code)),
                              terms=tuple(terms), exclusions=exclusions))
    return motives


def motive_hits(tokens: list[str], motive: Motive) -> int:
    """Tokens that match at least one term of ``motive`` (a token counts once, so
    ``handelsmissie`` is one economic word, not two)."""
    return sum(1 for tok in tokens
               if tok not in motive.exclusions and any(t.matches(tok) for t in motive.terms))


def code_text(text: str, motives: list[Motive]) -> dict[str, int]:
    """Hits per motive code for one text."""
    tokens = tokenize(text)
    return {m.code: motive_hits(tokens, m) for m in motives}


def code_notes(notes: pd.DataFrame, motives: list[Motive], min_hits: int = 2) -> pd.DataFrame:
    """One row per note: token count, hits and presence per motive, primary motive.

    ``notes`` needs the columns ``nota_id`` and ``tekst``; other columns are kept.
    """
    rows = []
    for rec in notes.sort_values("nota_id").to_dict("records"):
        tokens = tokenize(rec["tekst"])
        row = {k: v for k, v in rec.items() if k != "tekst"}
        row["tokens"] = len(tokens)
        best_code, best_hits = "", 0
        for m in motives:
            hits = motive_hits(tokens, m)
            row[f"treffers_{m.code}"] = hits
            row[f"motief_{m.code}"] = int(hits >= min_hits)
            if hits > best_hits:
                best_code, best_hits = m.code, hits
        row["hoofdmotief"] = best_code if best_hits >= min_hits else "geen"
        rows.append(row)
    return pd.DataFrame(rows)


def shares_by_period(coded: pd.DataFrame, motives: list[Motive]) -> pd.DataFrame:
    """Per period: number of notes and, per motive, notes in which it is present.

    Multiple response: a note can carry several motives, so shares do not add up to 1.
    """
    rows = []
    for period, group in coded.groupby("periode", sort=True):
        row: dict[str, object] = {"periode": period, "notas": len(group)}
        for m in motives:
            row[f"{m.code}_n"] = int(group[f"motief_{m.code}"].sum())
            row[f"{m.code}_aandeel"] = row[f"{m.code}_n"] / len(group)
        rows.append(row)
    return pd.DataFrame(rows)
