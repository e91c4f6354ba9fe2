"""The questionnaire as printed in the appendix, generated from the codebook.

Printing the appendix from the same file that the validation and the analyses read means
the book shows exactly the instrument that was analysed: question numbers, wording,
answer options with their codes, and the routing in words.
"""

from __future__ import annotations

from analysis.codebook import Codebook, Question

TYPE_NOTE = {
    "single": "Eén antwoord mogelijk.",
    "multiple": "Meer antwoorden mogelijk.",
    "likert": "Eén antwoord per stelling.",
    "number": "Getal.",
    "open": "Open antwoord.",
}


def md_escape(text: str) -> str:
    """Escape Markdown inline syntax (and Quarto shortcode braces) in codebook text."""
    out = str(text).replace("\\", "\\\\")
    for ch in "*_`[]<>#|{}$@~^":
        out = out.replace(ch, "\\" + ch)
    return out.strip()


def _question_md(book: Codebook, q: Question, number: str,
                 names: dict[str, str]) -> list[str]:
    lines = [f"**{number}** {md_escape(q.text)}", ""]
    notes = [TYPE_NOTE[q.type]]
    if q.show_if:
        notes.insert(0, "*Alleen gesteld als " + md_escape(" en ".join(
            c.describe(book, names) for c in q.show_if)) + ".*")
    if q.type == "number":
        lo = "" if q.minimum is None else f"{q.minimum:g}"
        hi = "" if q.maximum is None else f"{q.maximum:g}"
        notes.append(f"Toegestaan: {lo} tot en met {hi}.")
    lines += [" ".join(notes), ""]
    if q.type in ("single", "likert"):
        # "\(" keeps pandoc from reading "(1)" as the marker of a nested numbered list.
        lines += [f"- \\({o.code}) {md_escape(o.label)}" for o in q.options]
        lines.append("")
    elif q.type == "multiple":
        for o in q.options:
            extra = " *(sluit andere antwoorden uit)*" if o.exclusive else ""
            lines.append(f"- \\[ \\] {md_escape(o.label)}{extra}")
        lines.append("")
    return lines


def questionnaire_markdown(book: Codebook) -> str:
    """The whole questionnaire as Markdown: level-2 headings per section, under the
    appendix chapter's own level-1 heading."""
    out = [md_escape(book.meta.get("toelichting", "")), "",
           f"Versie {md_escape(book.version)} van de vragenlijst. Tussen haken staat bij elke "
           "vraag de naam van de variabele in het codeboek en in het databestand.", ""]
    numbers: dict[str, str] = {}
    for s_index, (sid, title) in enumerate(book.sections, start=1):
        questions = book.in_section(sid)
        if not questions:
            continue
        out += [f"## {s_index}. {md_escape(title)} {{.unnumbered .unlisted}}", ""]
        for q_index, q in enumerate(questions, start=1):
            numbers[q.id] = f"{s_index}.{q_index}"
            names = {k: f"vraag {v}" for k, v in numbers.items()}
            out += _question_md(book, q, f"{numbers[q.id]} ({md_escape(q.id)})", names)
    return "\n".join(out).rstrip() + "\n"
