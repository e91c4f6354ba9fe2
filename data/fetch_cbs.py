"""Fill the register's populations on 1 January 2024 from CBS StatLine (table 03759ned).

    python data/fetch_cbs.py             # fill empty figures, report every difference
    python data/fetch_cbs.py --replace   # also replace figures that differ from CBS

Run by hand when online, never by the build (a build must not need the network). It
writes only the two population columns of ``data/raw/gemeenten-2024.csv``
(``inwoners_2024`` and ``inwoners_bron``): each figure with its source (table, period,
the table's modification date as CBS states it, the date retrieved). A figure already in
the register that differs from CBS is reported (old -> new, with the old source) and
replaced only with ``--replace``; a municipality that CBS does not list is reported and
left as it is. Nothing is written when CBS cannot be reached or answers with an error,
and a run that changes nothing leaves the file byte-identical. The national total CBS
publishes is printed next to the sum of the municipalities, as a check.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the study package, when run as `python data/fetch_cbs.py`

from analysis.cbs_odata import (  # noqa: E402
    BASE_URL,
    PERIOD,
    STATLINE_PAGE,
    TABLE,
    CbsError,
    Populations,
    populations,
)

REGISTER = ROOT / "data/raw/gemeenten-2024.csv"
POP, SOURCE = "inwoners_2024", "inwoners_bron"


@dataclass
class Report:
    """What a run found, by kind; printed for the author."""

    filled: list[str] = field(default_factory=list)
    resourced: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    not_listed: list[str] = field(default_factory=list)

    def changed(self) -> bool:
        return bool(self.filled or self.resourced or self.replaced)


def source_text(pops: Populations, retrieved: str) -> str:
    """The ``inwoners_bron`` of a CBS figure: page, then what it states (read by the register)."""
    return (f"{STATLINE_PAGE} (CBS StatLine, tabel {TABLE} '{pops.title}', periode {PERIOD} "
            f"= 1 januari 2024, totaal mannen en vrouwen, alle leeftijden, alle burgerlijke "
            f"staten; tabel gewijzigd {pops.modified[:10]} volgens CBS; opgehaald {retrieved})")


def is_cbs_source(text: str) -> bool:
    """Whether a register source is already this table on StatLine (then a run keeps it)."""
    return text.startswith(STATLINE_PAGE + " (CBS StatLine, tabel " + TABLE)


def merge(rows: list[dict[str, str]], pops: Populations, retrieved: str,
          replace: bool) -> Report:
    """Update ``rows`` in place (only the two population columns) and say what changed."""
    report = Report()
    new_source = source_text(pops, retrieved)
    for row in rows:
        code, name = row["gemeentecode"], row["gemeentenaam"]
        old, old_source = row[POP].strip(), row[SOURCE].strip()
        if code not in pops.municipalities:
            report.not_listed.append(f"{code} {name}: CBS lists no figure; left "
                                     f"{'as ' + old if old else 'empty'}")
            continue
        new = str(pops.municipalities[code])
        if not old:
            row[POP], row[SOURCE] = new, new_source
            report.filled.append(f"{code} {name}: {new}")
        elif old == new:
            if not is_cbs_source(old_source):
                row[SOURCE] = new_source
                report.resourced.append(f"{code} {name}: {new} (source was: {old_source})")
        elif replace:
            row[POP], row[SOURCE] = new, new_source
            report.replaced.append(f"{code} {name}: {old} -> {new} (old source: {old_source})")
        else:
            report.differing.append(f"{code} {name}: {old} -> {new} (old source: {old_source})")
    return report


def read_register(path: Path) -> tuple[str, list[str], list[dict[str, str]]]:
    """The register's text, header and rows (as strings, nothing parsed)."""
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or [])
    missing = [c for c in ("gemeentecode", "gemeentenaam", POP, SOURCE) if c not in header]
    if missing:
        raise SystemExit(f"error: {path}: the header lacks {', '.join(missing)}; expected the "
                         "columns of data/raw/gemeenten-2024.csv (see data/README.md)")
    return text, header, list(reader)


def render(header: list[str], rows: list[dict[str, str]]) -> str:
    """The register as CSV, written the way the file is kept (minimal quoting, LF)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` in one step: a reader sees the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _dutch(n: int) -> str:
    """12345678 -> 12.345.678, as the author reads figures."""
    return f"{n:,}".replace(",", ".")


def print_report(report: Report, pops: Populations, rows: list[dict[str, str]],
                 replace: bool) -> None:
    sections = [("filled (were empty)", report.filled),
                ("source set to StatLine (same figure)", report.resourced),
                ("replaced (--replace)", report.replaced),
                ("DIFFERENT from CBS, kept (run with --replace to take the CBS figure)",
                 report.differing),
                ("not listed by CBS (left as they are; check the code)", report.not_listed)]
    for title, lines in sections:
        if lines:
            print(f"{title}: {len(lines)}")
            for line in lines:
                print(f"  {line}")
    extra = sorted(set(pops.municipalities) - {r["gemeentecode"] for r in rows})
    if extra:
        print(f"listed by CBS but not in the register (not added; check the register's "
              f"classification): {len(extra)}")
        for code in extra:
            print(f"  {code}: {pops.municipalities[code]}")
    figures = [int(r[POP]) for r in rows if r[POP].strip().isdigit()]
    print(f"register: {len(figures)} of {len(rows)} municipalities have a figure; "
          f"sum {_dutch(sum(figures))}")
    if pops.national is not None:
        verdict = ("" if len(figures) < len(rows) else
                   " (equal to the register's sum)" if sum(figures) == pops.national else
                   " (DIFFERS from the register's sum: check the figures kept)")
        print(f"CBS national total {PERIOD}: {_dutch(pops.national)}{verdict}")
    if not replace and report.differing:
        print("note: differing figures were kept; nothing replaced without --replace")


def run(register: Path, base_url: str, replace: bool, retrieved: str) -> int:
    """One run of the command; the exit status (0 fine, 2 CBS or input problem)."""
    text, header, rows = read_register(register)
    print(f"fetching table {TABLE}, period {PERIOD} from {base_url} ...", file=sys.stderr)
    try:
        pops = populations(base_url)
    except CbsError as exc:
        print(f"error: {exc}\n  the register was not changed: {register}", file=sys.stderr)
        return 2
    print(f"CBS lists {len(pops.municipalities)} municipalities; table modified "
          f"{pops.modified}", file=sys.stderr)
    if pops.test_data and register.resolve().is_relative_to((ROOT / "data/raw").resolve()):
        print(f"error: the answer is marked as test data ({base_url}); it is never written "
              f"into data/raw/\n  the register was not changed: {register}", file=sys.stderr)
        return 2
    report = merge(rows, pops, retrieved, replace)
    print_report(report, pops, rows, replace)
    new_text = render(header, rows)
    if new_text != text:
        write_atomic(register, new_text)
        print(f"written: {register}")
    else:
        print(f"unchanged: {register}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replace", action="store_true",
                        help="replace register figures that differ from CBS (reported always)")
    parser.add_argument("--register", type=Path, default=REGISTER,
                        help="the register to update (default: data/raw/gemeenten-2024.csv)")
    parser.add_argument("--base-url", default=BASE_URL,
                        help="OData root of CBS (default: %(default)s)")
    parser.add_argument("--retrieved", default=dt.date.today().isoformat(),
                        help="date retrieved, written into each new source (default: today)")
    args = parser.parse_args(argv)
    return run(args.register, args.base_url.rstrip("/"), args.replace, args.retrieved)


if __name__ == "__main__":
    sys.exit(main())
