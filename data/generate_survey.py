"""SYNTHETIC DATA. Writes a made-up survey export; no municipality answered these questions.

We do not have the real responses yet. This seeded generator writes an export in exactly
the form the survey tool will deliver (one row per submission, one column per item,
multiple-response items as 0/1 columns, personal data and time stamps included), so the
whole pipeline, from validation to the printed tables, can be built and tested now and the
real export can later replace ``data/raw/survey/export.csv`` without a code change.

The made-up answers follow the codebook's routing and mimic what earlier Dutch surveys of
municipal international policy reported, so that the tables look plausible, not so that
they prove anything: larger municipalities respond more often and do more; economic
motives are the most common; border provinces mention cross-border motives more often.
It adds what real exports contain: partial submissions, item nonresponse, a few duplicate
submissions, free text (some with contact details that pseudonymisation must remove).

Personal data is fake by construction: e-mail addresses use the reserved ``.example``
domain and IP addresses the documentation ranges of RFC 5737.

Usage::

    python data/generate_survey.py                      # writes data/raw/survey/export.csv
    python data/generate_survey.py --golven 10 --out /tmp/export-10x.csv

``--tegenbeeld`` draws a contrasting export (other motives weigh heaviest, municipalities
judge their policy as crossing the government's more often than as in line with it, the
government is a main barrier, deviating is common). It exists so that a test can show the
book's claims follow the data: the same chapters then print the other sentences
(docs/claims.md). It is as synthetic as the default export.

``--golven N`` (waves) repeats the whole survey N times, as a panel study that sends the
same instrument again each year would; every wave is a complete, plausible round of the
same 342 municipalities. It exists for benchmarks (N times the rows, same instrument) and
never invents municipalities. The analyses use the latest wave.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.codebook import Codebook, Question, load_codebook  # noqa: E402
from analysis.register import load_register  # noqa: E402

DEFAULT_SEED = 20240101
FIELDWORK_START = datetime(2024, 3, 4, 8, 0, 0)
FIELDWORK_DAYS = 49
BORDER_PROVINCES = {"Groningen", "Drenthe", "Overijssel", "Gelderland", "Limburg",
                    "Noord-Brabant", "Zeeland"}
FIRST_NAMES = ("Anne", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Iris",
               "Joost", "Karin", "Lars", "Marloes", "Niels", "Olga", "Pieter", "Roos",
               "Sanne", "Thijs", "Wouter", "Yvonne", "Zeynep", "Mohamed", "Sietske")
LAST_NAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
              "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dijkstra", "Hoekstra",
              "van Dijk", "Kok", "Yilmaz", "Wijnands", "Postma", "Brouwer")
REMARKS = (
    "De stedenband draait vooral op vrijwilligers; de gemeente faciliteert.",
    "Internationaal beleid staat onder druk door bezuinigingen.",
    "Wij werken samen met de buurgemeenten over de grens aan arbeidsmarkt en vervoer.",
    "Meer ondersteuning van het Rijk bij EU-aanvragen zou welkom zijn.",
    "Voor vragen over deze enquête kunt u mailen naar {email} of bellen met 06-12345678.",
    "Het nieuwe coalitieakkoord geeft meer aandacht aan Europa.",
    "Ik ({naam}) vul dit in namens het team internationale zaken.",
)
DEVIATIONS = (
    "De raad nam een motie aan over een handelsmissie die het Rijk ontraadde.",
    "Wij hielden een stedenband aan die het ministerie liever beëindigd zag.",
    "Onze gemeente sprak zich uit over een internationaal klimaatverdrag.",
    "Er was discussie over het hijsen van een vlag bij een internationaal conflict.",
)


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _size_score(pop: float | None, rng: np.random.Generator) -> float:
    """Standardised log population; unknown populations get a draw from the same scale."""
    if pop is None or (isinstance(pop, float) and math.isnan(pop)):
        return float(rng.normal(0.0, 1.0))
    return (math.log(pop) - math.log(45_000)) / 0.8


def _likert(rng: np.random.Generator, shift: float) -> int:
    base = np.array([0.07, 0.20, 0.30, 0.30, 0.10, 0.03])
    tilt = np.exp(shift * np.array([-2, -1, 0, 1, 2, 0]))
    p = base * tilt / (base * tilt).sum()
    return int(rng.choice([1, 2, 3, 4, 5, 9], p=p))


def _multiple(q: Question, rng: np.random.Generator, activity: float,
              base: dict[str, float]) -> dict[str, int]:
    ticks = {}
    for o in q.options:
        if o.exclusive:
            continue
        ticks[o.code] = int(rng.random() < _logistic(base.get(o.code, -0.5) + 0.8 * activity))
    for o in q.options:
        if o.exclusive:
            ticks[o.code] = int(not any(ticks.values()))
    return {f"{q.id}_{code}": ticks[code] for code in (o.code for o in q.options)}


ACT_BASE = {"stedenband": 0.4, "eu_fondsen": -0.4, "handelsmissie": -1.6, "netwerk": -0.9,
            "ontwikkeling": -1.3, "grens": -1.8, "kennis": -0.9, "acquisitie": -1.8,
            "promotie": -1.0}
MOT_BASE = {"handel": 1.0, "investeringen": 0.6, "toerisme": 0.5, "eu_middelen": 0.4,
            "cultuur": 0.2, "onderwijs": -0.3, "ontmoeting": -0.2, "solidariteit": -0.8,
            "mensenrechten": -1.3, "duurzaamheid": -0.4, "profilering": -0.6,
            "belangen": -1.2, "grensregio": -2.2, "grensarbeid": -2.6}
VERKL_BASE = {"globalisering": 0.3, "europa": 0.1, "bestuurder": 0.2, "raad": -0.6,
              "bedrijven": -0.3, "maatschappij": -0.2, "migranten": -1.4, "historie": -0.5,
              "ligging": -1.3, "rijk": -1.8, "vng": -1.0}
PARTNER_BASE = {"bz": -1.2, "ambassades": -0.7, "rvo": -0.8, "vng": 0.0, "provincie": 0.3,
                "eu": -0.9, "gemeenten": 0.6, "bedrijven": 0.2, "kennis": -0.1, "ngo": -0.4}
NETWORK_BASE = {"eurocities": -1.6, "rgre": -0.6, "iclei": -1.5, "energy_cities": -1.7,
                "mayors_peace": -0.8, "uclg": -1.9, "euregio": -1.0, "anders": -0.9}
STEUN_BASE = {"informatie": -0.3, "financiering": -1.3, "programma": -1.4, "missies": -1.2,
              "overleg": -1.6}
BARRIER_BASE = {"wetgeving": -1.5, "financien": 0.4, "capaciteit": 0.5, "draagvlak_raad": -1.3,
                "draagvlak_inwoners": -1.0, "rijk": -2.0}


# The contrasting export (--tegenbeeld): what changes against the default draw.
CONTRAST_LIKERT = {"rijk_congruent": -0.6, "rijk_concurrentie": 0.6}
CONTRAST_SINGLE = {"mot_zwaarst": [0.12, 0.45, 0.2, 0.15, 0.08],
                   "rijk_afwijking": [0.7, 0.2, 0.1]}
CONTRAST_BARRIERS = {"rijk": 1.5}


def _answers(book: Codebook, rng: np.random.Generator, activity: float, border: bool,
             name: str, email: str, stop_section: str | None,
             contrast: bool = False) -> dict[str, object]:
    """One submission's answers, following the routing question by question."""
    row: dict[str, object] = {c: None for c in book.answer_columns}
    sections = [s for s, _ in book.sections]
    stop_at = sections.index(stop_section) if stop_section else len(sections)
    for q in book.questions:
        if sections.index(q.section) >= stop_at or not book.is_shown(q, row):
            continue
        if rng.random() < 0.04 and q.type != "open":  # item nonresponse
            continue
        if q.type == "multiple":
            base = {"act": ACT_BASE, "mot": MOT_BASE, "verkl": VERKL_BASE,
                    "partners": PARTNER_BASE, "act_netwerken": NETWORK_BASE,
                    "rijk_steun": STEUN_BASE, "ruimte_belemmering": BARRIER_BASE}[q.id]
            if q.id == "mot" and border:
                base = {**base, "grensregio": 0.3, "grensarbeid": -0.2}
            if q.id == "act" and border:
                base = {**base, "grens": -0.2}
            if q.id == "ruimte_belemmering" and contrast:
                base = {**base, **CONTRAST_BARRIERS}
            row.update(_multiple(q, rng, activity, base))
        elif q.type == "likert":
            shift = {"rijk_concurrentie": -0.5, "ruimte_eu": 0.1, "rijk_afstemming": -0.3,
                     "ruimte_voldoende": 0.1}.get(q.id, 0.3) + 0.1 * activity
            if contrast:
                shift = CONTRAST_LIKERT.get(q.id, shift)
            row[q.id] = _likert(rng, shift)
        elif q.type == "single":
            row[q.id] = _single(q, rng, activity, border, contrast)
        elif q.type == "number":
            row[q.id] = _number(q, rng, activity)
        elif q.type == "open":
            if q.id == "rijk_afwijking_toelichting":
                row[q.id] = str(rng.choice(DEVIATIONS)) if rng.random() < 0.8 else None
            elif rng.random() < 0.25:
                row[q.id] = str(rng.choice(REMARKS)).format(email=email, naam=name)
    return row


def _single(q: Question, rng: np.random.Generator, activity: float, border: bool,
            contrast: bool = False) -> int:
    a = activity
    weights = {
        "org_nota": [0.25 + 0.1 * a, 0.2, 0.1, 0.4 - 0.12 * a, 0.05],
        "org_budget": [0.3 - 0.1 * a, 0.25, 0.2, 0.12 + 0.05 * a, 0.05 + 0.05 * a, 0.05],
        "org_portefeuille": [0.45, 0.3, 0.1, 0.1 - 0.03 * a, 0.05],
        "org_functie": [0.35 + 0.1 * a, 0.35, 0.08, 0.07, 0.15],
        "act_start": [0.25 + 0.08 * a, 0.25, 0.3, 0.15 - 0.05 * a, 0.05],
        "mot_zwaarst": [0.5, 0.15, 0.15, 0.12 + (0.25 if border else 0), 0.08],
        "rijk_houding": [0.15, 0.35, 0.25, 0.15, 0.04, 0.06],
        "rijk_contact": [0.3 - 0.1 * a, 0.25, 0.2, 0.15 + 0.06 * a, 0.05 + 0.04 * a, 0.05],
        "rijk_afwijking": [0.18 + 0.05 * a, 0.72, 0.1],
    }[q.id]
    if contrast and q.id in CONTRAST_SINGLE:
        weights = CONTRAST_SINGLE[q.id]
    p = np.clip(np.array(weights, dtype=float), 0.01, None)
    return int(rng.choice(q.codes(), p=p / p.sum()))


def _number(q: Question, rng: np.random.Generator, activity: float) -> float:
    if q.id == "org_nota_jaar":
        return float(min(2024, max(1990, int(rng.normal(2017, 5)))))
    if q.id == "org_fte":
        return round(float(min(40.0, rng.gamma(1.5, 0.6 * math.exp(0.7 * activity)))), 1)
    if q.id == "act_stedenband_aantal":
        return float(min(12, 1 + rng.poisson(1.2 * math.exp(0.4 * activity))))
    raise KeyError(q.id)


def _format(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(value)


def generate(book: Codebook, register, seed: int = DEFAULT_SEED, waves: int = 1,
             contrast: bool = False) -> str:
    """The synthetic export as CSV text (UTF-8, comma-separated, as the survey tool writes);
    ``contrast`` draws the contrasting export (see the module docstring)."""
    rng = np.random.default_rng(seed)
    e = book.export
    header = [e["id"], e["gemeente"], e["golf"], e["status"], *e["persoonsgegevens"],
              *e["tijdstippen"], *book.answer_columns]
    rows: list[tuple[datetime, list[str]]] = []
    sections = [s for s, _ in book.sections]
    counter = 0
    for wave in range(1, waves + 1):
        start = FIELDWORK_START + timedelta(days=364 * (wave - 1))
        for rec in register.itertuples(index=False):
            pop = None if rec.inwoners_2024 is None or str(rec.inwoners_2024) == "<NA>" else float(
                rec.inwoners_2024)
            size = _size_score(pop, rng)
            border = rec.provincie in BORDER_PROVINCES
            if rng.random() >= _logistic(0.35 + 0.55 * size):
                continue
            activity = size + float(rng.normal(0, 0.7))
            n_submissions = 2 if rng.random() < 0.04 else 1
            for k in range(n_submissions):
                counter += 1
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                name = f"{first} {last}"
                slug = "".join(ch for ch in rec.gemeentenaam.lower() if ch.isalnum())
                email = f"{first.lower()}.{last.replace(' ', '').lower()}@{slug}.example"
                partial = rng.random() < (0.5 if (n_submissions == 2 and k == 0) else 0.08)
                stop = str(rng.choice(sections[1:])) if partial else None
                answers = _answers(book, rng, activity, border, name, email, stop, contrast)
                began = start + timedelta(minutes=int(rng.integers(0, FIELDWORK_DAYS * 24 * 60)))
                ended = began + timedelta(minutes=int(rng.integers(6, 55)), seconds=int(
                    rng.integers(0, 60)))
                ip = f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.integers(1, 255)}"
                row = [f"S{counter:06d}", rec.gemeentecode, str(wave),
                       e["status_gedeeltelijk"] if partial else e["status_volledig"],
                       name, email, ip, began.strftime("%Y-%m-%d %H:%M:%S"),
                       ended.strftime("%Y-%m-%d %H:%M:%S"),
                       *(_format(answers[c]) for c in book.answer_columns)]
                rows.append((ended, row))
    rows.sort(key=lambda r: (r[0], r[1][0]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(r for _, r in rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--golven", type=int, default=1, help="number of waves (benchmarks)")
    parser.add_argument("--codebook", default=str(ROOT / "data/raw/survey/codebook.yaml"))
    parser.add_argument("--register", default=str(ROOT / "data/raw/gemeenten-2024.csv"))
    parser.add_argument("--out", default=str(ROOT / "data/raw/survey/export.csv"))
    parser.add_argument("--tegenbeeld", action="store_true",
                        help="the contrasting export (tests that the claims follow the data)")
    args = parser.parse_args(argv)
    text = generate(load_codebook(args.codebook), load_register(args.register), args.seed,
                    args.golven, args.tegenbeeld)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10)) - 1} submissions, seed {args.seed})")


if __name__ == "__main__":
    main()
