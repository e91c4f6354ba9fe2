"""Write the synthetic example data: data/raw/answers.csv.

The starter's data are SYNTHETIC: 24 made-up respondents in three groups answer one
question on a five-point scale. They exist so that the book builds from the first
minute; replace them with real data (and set ``synthetic: false`` in
data/raw/answers.yaml) when you have them. Seeded, so a rerun writes the same bytes:

    python data/generate_answers.py [--seed 20260101]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "raw" / "answers.csv"
GROUPS = {"A": (2, 5), "B": (1, 4), "C": (3, 5)}  # group -> lowest, highest score
PER_GROUP = 8


def answers_csv(seed: int) -> str:
    """The CSV text for ``seed``: respondent, group, score (1 to 5)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["respondent", "group", "score"])
    number = 0
    for group, (low, high) in GROUPS.items():
        for _ in range(PER_GROUP):
            number += 1
            writer.writerow([f"r{number:02d}", group, rng.randint(low, high)])
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    OUT.write_text(answers_csv(args.seed), encoding="utf-8")


if __name__ == "__main__":
    main()
