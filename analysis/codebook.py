"""The codebook: the one description of the questionnaire that everything else reads.

Validation, the synthetic generator, the analyses and the printed questionnaire all take
the instrument from ``data/raw/survey/codebook.yaml``. A question added or reworded there
changes the export schema, the tables and the appendix together, so the book cannot drift
from the instrument that was analysed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from proefdruk.api import BuildError

TYPES = ("single", "multiple", "likert", "number", "open")


@dataclass(frozen=True)
class Option:
    """One answer option: a code (int for single/likert, a short word for multiple)."""

    code: int | str
    label: str
    group: str | None = None
    exclusive: bool = False


@dataclass(frozen=True)
class Condition:
    """One routing condition (see the header of codebook.yaml)."""

    question: str
    kind: str  # "is", "optie", "niet_optie"
    values: tuple[Any, ...]

    def describe(self, book: Codebook, names: Mapping[str, str] | None = None) -> str:
        """The condition in words (``names``: how to call the source question, e.g.
        "vraag 2.1"; default its id)."""
        q = book.question(self.question)
        name = (names or {}).get(q.id, q.id)
        if self.kind == "is":
            labels = [f"‘{q.label_of(v)}’" for v in self.values]
            return f"het antwoord op {name} {' of '.join(labels)} is"
        label = q.label_of(self.values[0])
        if self.kind == "optie":
            return f"bij {name} ‘{label}’ is aangekruist"
        return f"{name} is beantwoord en ‘{label}’ niet is aangekruist"


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: str
    text: str
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    decimals: int = 0
    show_if: tuple[Condition, ...] = ()

    @property
    def columns(self) -> list[str]:
        """The export columns holding this question's answer."""
        if self.type == "multiple":
            return [f"{self.id}_{o.code}" for o in self.options]
        return [self.id]

    def codes(self) -> list[int | str]:
        return [o.code for o in self.options]

    def label_of(self, code: Any) -> str:
        for o in self.options:
            if o.code == code:
                return o.label
        raise KeyError(f"{self.id} has no option {code!r}")


@dataclass
class Codebook:
    """The instrument: sections, questions and the export's non-question columns."""

    path: Path
    title: str
    version: str
    meta: dict[str, Any]
    export: dict[str, Any]
    sections: list[tuple[str, str]]
    questions: list[Question]
    dont_know: tuple[int, ...] = (9,)
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {q.id: q for q in self.questions}

    def question(self, qid: str) -> Question:
        return self._by_id[qid]

    def in_section(self, section: str) -> list[Question]:
        return [q for q in self.questions if q.section == section]

    def section_title(self, section: str) -> str:
        return dict(self.sections)[section]

    @property
    def answer_columns(self) -> list[str]:
        return [c for q in self.questions for c in q.columns]

    @property
    def pii_columns(self) -> list[str]:
        """Columns that identify a person and are dropped before anything is written."""
        return list(self.export.get("persoonsgegevens", [])) + list(
            self.export.get("tijdstippen", []))

    @property
    def ignored_columns(self) -> list[str]:
        """Tool bookkeeping columns (language, last page, referrer ...) that the study does
        not use; dropped unread, like personal data, because they may hold some."""
        return list(self.export.get("negeren", []) or [])

    @property
    def required_meta_columns(self) -> list[str]:
        e = self.export
        return [e["id"], e["gemeente"], e["status"], e["ingediend"]]

    def is_shown(self, q: Question, answers: Mapping[str, Any]) -> bool:
        """Did routing show ``q`` to a respondent with these ``answers``?

        ``answers`` maps export columns to parsed values (``None`` when empty).
        """
        for cond in q.show_if:
            src = self.question(cond.question)
            if not self.is_shown(src, answers):
                return False
            if cond.kind == "is":
                if answers.get(src.id) not in cond.values:
                    return False
            else:
                ticks = {o.code: answers.get(f"{src.id}_{o.code}") for o in src.options}
                if all(v is None for v in ticks.values()):
                    return False
                ticked = ticks.get(cond.values[0]) == 1
                if (cond.kind == "optie") != ticked:
                    return False
        return True


def _fail(path: Path, where: str, expected: str, found: Any,
          line: int | None = None) -> BuildError:
    return BuildError("codebook entry is not valid", file=path, line=line, field=where,
                      expected=expected, found=repr(found),
                      hint="fix data/raw/survey/codebook.yaml (its header explains the format)")


def _question_lines(text: str) -> list[int]:
    """1-based line of each entry under ``vragen``, so errors point into the file."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "vragen" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _options(path: Path, raw: Mapping[str, Any], scales: Mapping[str, Any],
             line: int | None = None) -> tuple[Option, ...]:
    qid, qtype = raw["id"], raw["type"]
    if qtype == "likert":
        scale = scales.get(raw.get("schaal"))
        if scale is None:
            raise _fail(path, f"{qid}.schaal", "a scale named under `schalen`", raw.get("schaal"),
                        line)
        return tuple(Option(int(k), str(v)) for k, v in scale.items())
    if qtype == "single":
        opts = raw.get("opties")
        if not isinstance(opts, Mapping) or not opts:
            raise _fail(path, f"{qid}.opties", "a mapping code: label", opts, line)
        return tuple(Option(int(k), str(v)) for k, v in opts.items())
    if qtype == "multiple":
        opts = raw.get("opties")
        if not isinstance(opts, list) or not opts:
            raise _fail(path, f"{qid}.opties", "a list of {code, label}", opts, line)
        out = []
        for o in opts:
            if not isinstance(o, Mapping) or "code" not in o or "label" not in o:
                raise _fail(path, f"{qid}.opties", "{code: ..., label: ...}", o, line)
            out.append(Option(str(o["code"]), str(o["label"]), o.get("groep"),
                              bool(o.get("exclusief", False))))
        return tuple(out)
    return ()


def load_codebook(path: str | Path) -> Codebook:
    """Read and check the codebook (types, options, routing references)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        # The C loader when PyYAML has it: the workflow reads the codebook on every start.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError as exc:
        raise BuildError("codebook is missing", file=path,
                         hint="restore data/raw/survey/codebook.yaml") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError("codebook is not valid YAML", file=path,
                         line=mark.line + 1 if mark else None, found=str(exc).splitlines()[0],
                         hint="check indentation and quotes at that line") from exc
    if not isinstance(data, Mapping):
        raise _fail(path, "(top level)", "a mapping with instrument, export, secties, vragen",
                    type(data).__name__, 1)
    for key in ("instrument", "export", "secties", "vragen"):
        if key not in data:
            raise _fail(path, key, "a top-level key", None)
    lines = _question_lines(text)
    sections = [(s["id"], s["titel"]) for s in data["secties"]]
    section_ids = {s for s, _ in sections}
    scales = data.get("schalen", {})
    questions: list[Question] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["vragen"]):
        line = lines[index] if index < len(lines) else None
        qid = raw.get("id") if isinstance(raw, Mapping) else None
        if not isinstance(qid, str) or not qid.isidentifier() or qid in seen:
            raise _fail(path, f"vragen.{qid}", "a unique lowercase id", qid, line)
        seen.add(qid)
        if raw.get("type") not in TYPES:
            raise _fail(path, f"{qid}.type", " | ".join(TYPES), raw.get("type"), line)
        if raw.get("sectie") not in section_ids:
            raise _fail(path, f"{qid}.sectie", "one of " + ", ".join(sorted(section_ids)),
                        raw.get("sectie"), line)
        conds = []
        for c in raw.get("toon_als", []) or []:
            src = c.get("vraag")
            if src not in seen or src == qid:
                raise _fail(path, f"{qid}.toon_als", "an earlier question id", src, line)
            kind = next((k for k in ("is", "optie", "niet_optie") if k in c), None)
            if kind is None:
                raise _fail(path, f"{qid}.toon_als", "is / optie / niet_optie", c, line)
            vals = c[kind] if isinstance(c[kind], list) else [c[kind]]
            conds.append(Condition(src, kind, tuple(vals)))
        questions.append(Question(
            id=qid, section=raw["sectie"], type=raw["type"], text=str(raw["tekst"]).strip(),
            options=_options(path, raw, scales, line),
            minimum=raw.get("min"), maximum=raw.get("max"),
            decimals=int(raw.get("decimalen", 0)), show_if=tuple(conds)))
    book = Codebook(path=path, title=data["instrument"]["titel"],
                    version=str(data["instrument"].get("versie", "")), meta=data["instrument"],
                    export=data["export"], sections=sections, questions=questions,
                    dont_know=tuple(data.get("weet_niet", [9])))
    for index, q in enumerate(questions):  # routing values must be codes of the source
        for c in q.show_if:
            src = book.question(c.question)
            for v in c.values:
                if v not in src.codes():
                    raise _fail(path, f"{q.id}.toon_als", f"a code of {src.id}", v,
                                lines[index] if index < len(lines) else None)
    return book
