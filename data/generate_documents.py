"""Generate the SYNTHETIC part of the document data (partnerships, policy notes).

Why this exists: the study needs a partnership register since 1945 and a corpus of
municipal policy notes, but the project has not yet compiled the real ones. So that the
whole pipeline (validation, coding, figures, numbers, chapters) can be built and
reviewed now, this script writes a clearly marked synthetic stand-in:

- ``data/raw/partnerships/partnerschappen.csv``: a small set of REAL partnerships,
  each with a public source and ``synthetic=false``, plus several hundred SYNTHETIC
  records (``synthetic=true``, partner city ``Fictief <land>-<nr>``) whose timing
  follows the waves described in the literature (Western Europe after 1945, the Global
  South from the 1970s, Central and Eastern Europe after 1989, cross-border bodies from
  the 1990s, economic ties from the late 1990s). The synthetic records are NOT facts
  about the municipalities they name.
- ``data/raw/policy_notes/metadata.csv`` and ``data/raw/policy_notes/teksten/*.txt``:
  synthetic policy notes assembled from template sentences; every text starts with a
  line saying it is synthetic, and every metadata row has ``synthetic=true``.

Every edition of the book says so through ``results/notices/documents.json``, written by
the workflow from the ``synthetic`` column, not from this script.

Run from the project root (output is byte-identical for the same seed and register)::

    .venv/bin/python data/generate_documents.py            # default seed
    .venv/bin/python data/generate_documents.py --seed 7   # another synthetic draw

Replace the synthetic rows by real ones as they are compiled: keep the columns, set
``synthetic=false`` and fill ``bron``. Real notes (PDF, DOCX, TXT) go into
``data/raw/policy_notes/`` with a row in ``metadata.csv``.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis.register import load_register  # noqa: E402

SEED = 19450505
SYNTHETIC_SOURCE = "synthetisch (data/generate_documents.py)"
BORDER_PROVINCES = ("Groningen", "Drenthe", "Overijssel", "Gelderland", "Limburg",
                    "Noord-Brabant", "Zeeland")

# Real partnerships, each checked against the public source given (retrieved 2026).
# Municipality by its 2024 name; the code is taken from the register, never typed.
REAL_PARTNERSHIPS: tuple[dict[str, object], ...] = (
    {"gemeente": "Leiden", "partner": "Oxford", "land": "GB", "start": 1946, "einde": None,
     "soort": "verzoening_vriendschap",
     "bron": "https://www.oxford.gov.uk/news/article/1771/ (Oxford City Council, 2021)"},
    {"gemeente": "Haarlem", "partner": "Osnabrück", "land": "DE", "start": 1961,
     "einde": None, "soort": "verzoening_vriendschap",
     "bron": "http://presse-service.de/data.aspx/static/1035874.html (Stadt Osnabrück, 2020)"},
    {"gemeente": "Haarlem", "partner": "Angers", "land": "FR", "start": 1964, "einde": None,
     "soort": "verzoening_vriendschap",
     "bron": "https://magazine.itv-hogeschool.nl/2020/03/de-hechte-band-van-haarlem-met-"
             "zustersteden-angers-en-osnabruck/"},
    {"gemeente": "Delft", "partner": "Aarau", "land": "CH", "start": 1969, "einde": 2018,
     "soort": "verzoening_vriendschap",
     "bron": "https://www.aargauerzeitung.ch/aargau/aarau/beziehung-beendet-nach-49-jahren-"
             "partnerschaft-ist-es-aus-zwischen-aarau-und-delft-132742172 (Aargauer Zeitung, "
             "juni 2018: begonnen 1969, door Delft beëindigd)"},
    {"gemeente": "Delft", "partner": "Kfar Saba", "land": "IL", "start": 1971, "einde": None,
     "soort": "verzoening_vriendschap",
     "bron": "http://www.delft-mamelodi.nl/index.php?menuid=368"},
    {"gemeente": "Rotterdam", "partner": "Shanghai", "land": "CN", "start": 1979,
     "einde": None, "soort": "economisch",
     "bron": "https://archive.shine.cn/metro/the-vip-gallery/Shanghai-Rotterdam-mayors-bolster-"
             "sistercity-ties/shdaily.shtml (Shanghai Daily: zustersteden sinds 1979); afwijkend: "
             "http://english.china.org.cn/english/international/75588.htm (China Daily, "
             "20 september 2003: 25-jarig jubileum later in 2003, dus 1978)"},
    {"gemeente": "Delft", "partner": "Estelí", "land": "NI", "start": 1984, "einde": None,
     "soort": "ontwikkelingssamenwerking",
     "bron": "http://www.delft-mamelodi.nl/index.php?menuid=368"},
    {"gemeente": "Delft", "partner": "Freiberg", "land": "DE", "start": 1986, "einde": None,
     "soort": "verzoening_vriendschap",
     "bron": "http://www.freiberg.de/freiberg/content.nsf/docname/Webseite_5341D273C29703E0C1"
             "2575ED002C45C3?OpenDocument (Stadt Freiberg: partnerschap van 1986); afwijkend: "
             "http://www.delft-mamelodi.nl/index.php?menuid=368 (Delftse lijst: 1985)"},
    {"gemeente": "Eindhoven", "partner": "Nanjing", "land": "CN", "start": 1985,
     "einde": 2022, "soort": "economisch",
     "bron": "http://english.jschina.com.cn/23261/201806/t20180612_5452928.shtml; einde: "
             "https://www.ad.nl/eindhoven/eindhoven-verbreekt-jarenlange-vriendschapsband-met-"
             "chinese-stad-nanjing~abe39fcc/ (AD, november 2022: raadsbesluit)"},
    {"gemeente": "Nijmegen", "partner": "Masaya", "land": "NI", "start": 1986, "einde": None,
     "soort": "ontwikkelingssamenwerking", "bron": "https://amistad-nm.nl/wie-zijn-we/"},
    {"gemeente": "Rotterdam", "partner": "Dresden", "land": "DE", "start": 1988,
     "einde": None, "soort": "verzoening_vriendschap",
     "bron": "http://www.dresden.de/de/leben/stadtportrait/europa/partner/rotterdam.php"},
    {"gemeente": "Delft", "partner": "Mamelodi (Tshwane)", "land": "ZA", "start": 1994,
     "einde": None, "soort": "ontwikkelingssamenwerking",
     "bron": "http://www.delft-mamelodi.nl/index.php?menuid=368"},
    {"gemeente": "Kerkrade", "partner": "Herzogenrath (Eurode)", "land": "DE", "start": 1998,
     "einde": None, "soort": "grensoverschrijdend",
     "bron": "https://www.eurode.eu/formele-samenwerking.html"},
    {"gemeente": "Delft", "partner": "Adapazarı", "land": "TR", "start": 2001, "einde": None,
     "soort": "verzoening_vriendschap",
     "bron": "http://www.delft-mamelodi.nl/index.php?menuid=368"},
    {"gemeente": "Delft", "partner": "Jingdezhen", "land": "CN", "start": 2010, "einde": None,
     "soort": "economisch", "bron": "http://www.delft-mamelodi.nl/index.php?menuid=368"},
)

# Waves of synthetic partnerships: (count, kind, (first, peak, last) start year,
# countries with weights, probability that it has ended, end-year window).
WAVES: tuple[tuple[int, str, tuple[int, int, int], dict[str, float], float, tuple[int, int]],
             ...] = (
    (95, "verzoening_vriendschap", (1946, 1962, 1972),
     {"DE": 30, "FR": 22, "GB": 18, "BE": 8, "AT": 5, "LU": 3, "IT": 5, "DK": 3, "CH": 3,
      "NO": 3}, 0.15, (1985, 2020)),
    (30, "verzoening_vriendschap", (1970, 1980, 2000),
     {"DE": 25, "FR": 20, "GB": 15, "IT": 10, "ES": 8, "PT": 5, "IE": 5, "SE": 5, "FI": 4,
      "GR": 3}, 0.15, (1995, 2022)),
    (85, "ontwikkelingssamenwerking", (1972, 1987, 2000),
     {"NI": 30, "SR": 8, "BF": 8, "TZ": 8, "GH": 6, "ZW": 6, "MZ": 5, "SV": 5, "PE": 4,
      "ZA": 8, "ID": 4, "SN": 4, "PS": 3, "KE": 3, "ML": 3}, 0.40, (1996, 2020)),
    (95, "verzoening_vriendschap", (1988, 1992, 2005),
     {"PL": 25, "HU": 15, "CZ": 12, "RO": 18, "RU": 8, "BG": 6, "SK": 5, "LT": 4, "LV": 3,
      "EE": 3, "UA": 4, "SI": 2, "HR": 2}, 0.35, (2000, 2022)),
    (45, "grensoverschrijdend", (1988, 2002, 2023), {"DE": 70, "BE": 30}, 0.05,
     (2010, 2023)),
    (60, "economisch", (1995, 2010, 2024),
     {"CN": 35, "US": 15, "TR": 12, "JP": 6, "KR": 6, "IN": 8, "BR": 6, "MA": 6, "CA": 6},
     0.12, (2015, 2024)),
    (40, "kennis", (2000, 2013, 2024),
     {"GH": 8, "ZA": 10, "SR": 8, "ID": 6, "MA": 6, "DE": 10, "BE": 6, "PL": 6, "DK": 5,
      "SE": 5, "FI": 4}, 0.15, (2015, 2024)),
)

PARTNERSHIP_COLUMNS = ["id", "gemeente_code", "gemeente_naam", "partnerstad", "land",
                       "jaar_start", "jaar_einde", "soort", "synthetic", "bron"]
META_COLUMNS = ["nota_id", "gemeente_code", "gemeente_naam", "jaar", "titel", "soort",
                "bestand", "synthetic", "bron"]

SENTENCES: dict[str, tuple[str, ...]] = {
    "economisch": (
        "De gemeente wil de internationale positie van het regionale bedrijfsleven "
        "versterken en de export van het midden- en kleinbedrijf ondersteunen.",
        "Een handelsmissie naar de partnerregio moet ondernemers helpen nieuwe afzetmarkten "
        "te vinden.",
        "Het vestigingsklimaat voor buitenlandse investeerders is een belangrijk "
        "aandachtspunt voor de komende raadsperiode.",
        "Samen met de kennisinstellingen zet {naam} in op innovatie en werkgelegenheid.",
        "De acquisitie van internationale bedrijven gebeurt in nauwe samenwerking met de "
        "regionale ontwikkelingsmaatschappij.",
        "Internationaal toerisme levert een groeiende bijdrage aan de lokale economie.",
    ),
    "cultureel": (
        "Uitwisselingen tussen scholen, sportverenigingen en culturele instellingen vormen "
        "de kern van de samenwerking.",
        "Jongeren krijgen de kans om tijdens een uitwisseling een andere cultuur van "
        "dichtbij te leren kennen.",
        "Het museum en het theater van {naam} werken samen met hun tegenhangers in de "
        "partnerstad.",
        "De jaarlijkse herdenking en het bevrijdingsfestival onderhouden de vriendschap "
        "tussen de burgers van beide steden.",
        "Kunstenaars uit beide steden exposeren gezamenlijk in het kader van een cultureel "
        "programma.",
        "Ontmoetingen tussen inwoners dragen bij aan wederzijds begrip en vriendschap.",
    ),
    "politiek": (
        "De gemeente draagt bij aan vrede en verzoening in Europa door bestuurders en "
        "inwoners met elkaar in contact te brengen.",
        "Met de stedenband toont de gemeenteraad solidariteit met de bevolking van de "
        "partnerstad.",
        "Versterking van het lokaal bestuur en de democratie in de partnergemeente staat "
        "centraal in de samenwerking.",
        "De gemeente onderschrijft de werelddoelen voor duurzame ontwikkeling en wil "
        "bijdragen aan armoedebestrijding.",
        "Via Europese netwerken behartigt de gemeente haar belangen in Brussel en oefent zij "
        "invloed uit op nieuwe regelgeving.",
        "Mensenrechten en de positie van minderheden komen bij bezoeken van het college "
        "nadrukkelijk aan de orde.",
        "De financiële bijdrage aan ontwikkelingssamenwerking wordt voortgezet.",
    ),
    "grensoverschrijdend": (
        "Samen met de Duitse buurgemeenten werkt de gemeente aan grensoverschrijdende "
        "oplossingen voor arbeidsmarkt en onderwijs.",
        "Grenspendelaars ondervinden nog steeds hinder van verschillen in belasting en "
        "sociale zekerheid.",
        "Binnen de euregio worden gezamenlijke projecten met Interreg-middelen gefinancierd.",
        "De samenwerking met de Belgische buurgemeente krijgt vorm in een gezamenlijk "
        "grensinformatiepunt.",
        "Brandweer en ambulancezorg aan beide zijden van de grens werken op basis van een "
        "convenant samen.",
    ),
    "neutraal": (
        "Deze nota beschrijft de uitgangspunten van het beleid voor de periode tot en met "
        "{eind}.",
        "Het college legt jaarlijks verantwoording af over de uitvoering aan de "
        "gemeenteraad.",
        "Voor de uitvoering is binnen de begroting een bescheiden budget beschikbaar.",
        "Bij de uitvoering sluit de gemeente zoveel mogelijk aan bij bestaande initiatieven "
        "van maatschappelijke organisaties.",
        "De coördinatie ligt bij de afdeling die ook de representatie van het college "
        "verzorgt.",
        "Na afloop van de looptijd volgt een evaluatie van de resultaten.",
        "Het beleid past binnen de kaders die de Vereniging van Nederlandse Gemeenten "
        "daarvoor heeft opgesteld.",
    ),
}

TITLES: dict[str, str] = {
    "internationaal": "Nota internationaal beleid {naam} {jaar}–{eind}",
    "europees": "Europa-agenda {naam} {jaar}–{eind}",
    "mondiaal": "Notitie mondiaal burgerschap {naam}",
    "stedenband": "Beleidskader stedenbanden {naam}",
    "grensoverschrijdend": "Grensoverschrijdende samenwerking {naam}: koers {jaar}–{eind}",
}


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def _year(rng: random.Random, first: int, peak: int, last: int) -> int:
    return int(round(rng.triangular(first, last, peak)))


def _municipality_weights(register) -> dict[str, float]:
    """Larger municipalities have more partnerships; unknown size counts as average."""
    out = {}
    for rec in register.to_dict("records"):
        pop = rec["inwoners_2024"]
        out[rec["gemeentecode"]] = 1.0 if pd.isna(pop) else max(
            0.4, math.sqrt(int(pop) / 30_000))
    return out


def _read_mergers(path: Path) -> dict[str, list[dict[str, str]]]:
    """Successor name -> former municipalities (name, code, year)."""
    out: dict[str, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            out.setdefault(rec["naam_2024"], []).append(rec)
    return out


def _csv_text(columns: list[str], rows: list[dict[str, object]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return buf.getvalue()


def make_partnerships(rng: random.Random, register, mergers) -> list[dict[str, object]]:
    by_name = dict(zip(register["gemeentenaam"], register["gemeentecode"], strict=True))
    name_of = {c: n for n, c in by_name.items()}
    province = dict(zip(register["gemeentecode"], register["provincie"], strict=True))
    weights = _municipality_weights(register)
    rows: list[dict[str, object]] = []
    for rec in REAL_PARTNERSHIPS:
        code = by_name[str(rec["gemeente"])]
        rows.append({"gemeente_code": code, "gemeente_naam": rec["gemeente"],
                     "partnerstad": rec["partner"], "land": rec["land"],
                     "jaar_start": rec["start"], "jaar_einde": rec["einde"],
                     "soort": rec["soort"], "synthetic": "false", "bron": rec["bron"]})
    serial: dict[str, int] = {}
    for count, kind, (first, peak, last), countries, p_end, (end_lo, end_hi) in WAVES:
        pool = sorted(weights) if kind != "grensoverschrijdend" else sorted(
            c for c in weights if province[c] in BORDER_PROVINCES)
        for _ in range(count):
            code = rng.choices(pool, weights=[weights[c] for c in pool], k=1)[0]
            land = _weighted(rng, countries)
            start = _year(rng, first, peak, last)
            if land == "NI":
                start = min(max(start, 1980), 1995)
            if land == "ZA":
                start = max(start, 1990)
            end = None
            if rng.random() < p_end:
                end = max(start + 3, rng.randint(end_lo, end_hi))
                end = end if end <= 2024 else None
            name = name_of[code]
            written_code, written_name = code, name
            former = [f for f in mergers.get(name, []) if start < int(f["jaar"])]
            if former and rng.random() < 0.6:
                pick = rng.choice(former)
                written_code, written_name = pick["oude_code"], pick["oude_naam"]
            serial[land] = serial.get(land, 0) + 1
            rows.append({"gemeente_code": written_code, "gemeente_naam": written_name,
                         "partnerstad": f"Fictief {land}-{serial[land]:03d}", "land": land,
                         "jaar_start": start, "jaar_einde": end, "soort": kind,
                         "synthetic": "true", "bron": SYNTHETIC_SOURCE})
    rows.sort(key=lambda r: (int(r["jaar_start"]), str(r["gemeente_naam"]),
                             str(r["partnerstad"])))
    for i, row in enumerate(rows, start=1):
        row["id"] = f"P{i:04d}"
    return rows


def _note_kind(rng: random.Random, year: int, border: bool) -> str:
    if year < 2000:
        options = {"stedenband": 5, "mondiaal": 3, "internationaal": 2}
    else:
        options = {"internationaal": 5, "europees": 3, "mondiaal": 2, "stedenband": 1}
    if border and year >= 1995:
        options["grensoverschrijdend"] = 4
    return _weighted(rng, options)


def _motive_weights(year: int, kind: str, border: bool) -> dict[str, float]:
    w = {"economisch": 1.0 + max(0, year - 1995) / 8, "cultureel": 2.5 if year < 2000 else 1.5,
         "politiek": 3.0 if 1980 <= year < 2000 else 1.5,
         "grensoverschrijdend": 3.0 if border else 0.2}
    if kind == "europees":
        w["politiek"] += 1.5
        w["economisch"] += 1.0
    if kind == "mondiaal":
        w["politiek"] += 3.0
    if kind == "grensoverschrijdend":
        w["grensoverschrijdend"] += 5.0
    return w


def make_note_text(rng: random.Random, name: str, year: int, kind: str, border: bool
                   ) -> tuple[str, str]:
    end = year + 4
    title = TITLES[kind].format(naam=name, jaar=year, eind=end)
    weights = _motive_weights(year, kind, border)
    motives = sorted(weights)
    chosen: list[str] = []
    for _ in range(rng.randint(1, 3)):
        pick = rng.choices(motives, weights=[weights[m] for m in motives], k=1)[0]
        if pick not in chosen:
            chosen.append(pick)
    sentences = [rng.choice(SENTENCES["neutraal"]) for _ in range(rng.randint(3, 5))]
    for motive in chosen:
        pool = list(SENTENCES[motive])
        rng.shuffle(pool)
        sentences.extend(pool[: rng.randint(2, 4)])
    rng.shuffle(sentences)
    body = " ".join(s.format(naam=name, eind=end) for s in sentences)
    text = (
        "[Synthetische tekst, gegenereerd door data/generate_documents.py; geen echte "
        "gemeentelijke nota.]\n\n"
        f"{title}\n\n"
        f"In deze nota zet de gemeente {name} uiteen hoe zij haar internationale "
        f"activiteiten in de komende jaren vormgeeft.\n\n{body}\n"
    )
    return title, text


def make_notes(rng: random.Random, register, partnerships) -> tuple[list[dict], dict[str, str]]:
    province = dict(zip(register["gemeentecode"], register["provincie"], strict=True))
    name_of = dict(zip(register["gemeentecode"], register["gemeentenaam"], strict=True))
    active = sorted({str(r["gemeente_code"]) for r in partnerships
                     if str(r["gemeente_code"]) in name_of})
    others = sorted(set(name_of) - set(active))
    rows: list[dict[str, object]] = []
    texts: dict[str, str] = {}
    n = 0
    for code in active + others:
        p_note = 0.55 if code in active else 0.15
        if rng.random() >= p_note:
            continue
        for _ in range(rng.choices([1, 2, 3], weights=[6, 3, 1], k=1)[0]):
            year = _year(rng, 1985, 2016, 2024)
            border = province[code] in BORDER_PROVINCES and rng.random() < 0.5
            kind = _note_kind(rng, year, border)
            title, text = make_note_text(rng, name_of[code], year, kind, border)
            n += 1
            nid = f"N{n:04d}"
            filename = f"teksten/{nid.lower()}.txt"
            rows.append({"nota_id": nid, "gemeente_code": code, "gemeente_naam": name_of[code],
                         "jaar": year, "titel": title, "soort": kind, "bestand": filename,
                         "synthetic": "true", "bron": SYNTHETIC_SOURCE})
            texts[filename] = text
    return rows, texts


def generate(root: Path, seed: int = SEED) -> dict[str, int]:
    """Write the synthetic document data under ``root/data/raw``; return counts."""
    rng = random.Random(seed)
    register = load_register(root / "data/raw/gemeenten-2024.csv")
    mergers = _read_mergers(root / "data/raw/herindelingen.csv")
    partnerships = make_partnerships(rng, register, mergers)
    notes, texts = make_notes(rng, register, partnerships)
    raw = root / "data/raw"
    (raw / "partnerships").mkdir(parents=True, exist_ok=True)
    (raw / "partnerships/partnerschappen.csv").write_text(
        _csv_text(PARTNERSHIP_COLUMNS, partnerships), encoding="utf-8")
    notes_dir = raw / "policy_notes"
    (notes_dir / "teksten").mkdir(parents=True, exist_ok=True)
    for old in (notes_dir / "teksten").glob("n*.txt"):
        if f"teksten/{old.name}" not in texts:
            old.unlink()
    for filename, text in sorted(texts.items()):
        (notes_dir / filename).write_text(text, encoding="utf-8")
    (notes_dir / "metadata.csv").write_text(_csv_text(META_COLUMNS, notes), encoding="utf-8")
    return {"partnerships": len(partnerships),
            "real": sum(1 for r in partnerships if r["synthetic"] == "false"),
            "notes": len(notes)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    counts = generate(args.root, args.seed)
    print(f"wrote {counts['partnerships']} partnerships ({counts['real']} real) and "
          f"{counts['notes']} synthetic policy notes")


if __name__ == "__main__":
    main()
