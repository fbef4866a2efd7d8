"""The least the scoring step can cost in this interpreter, whatever the implementation: on the reference's
frames (run.py's scoring step), two things every implementation must do, timed alone.

- Hash once each column that cannot go unhashed: the keys that match actuals rows to indicators (project and
  id, on both sides), what is read once per distinct value (target, actual, rule, year) and level1 (the
  points are shared per level). The other columns (names, notes) are only carried through here.
- Make the explanations: the scored frame holds one per indicator; each distinct one is made once (here by a
  single concatenation, less than any formatting) and spread over the rows.

Nothing is parsed, matched or scored: the real step costs more. The 50× step target (issue 9) allows the
reference's step time ÷ 50 for all of it; `--reference` times the reference's step once to print that budget.

    python benchmarks/floor.py /tmp/scoring-bench/1000000
    python benchmarks/floor.py /tmp/scoring-bench/1000000 --reference   # and the 50× budget (minutes)
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import reference  # noqa: E402
from scoring import score_batch  # noqa: E402
from scoring.uniques import factorize, take  # noqa: E402

HASHED = {"indicators": ("project", "id", "target", "rule", "year", "level1"), "actuals": ("project", "id", "actual")}


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="a folder of benchmarks/generate.py (goals.json, actuals.csv)")
    parser.add_argument("--reference", action="store_true", help="also time the per-row reference's step")
    args = parser.parse_args()
    indicators, actuals = reference.load(str(args.folder / "goals.json"), str(args.folder / "actuals.csv"))
    columns = [indicators[c] for c in HASHED["indicators"]] + [actuals[c] for c in HASHED["actuals"]]
    hashing = timed(lambda: [factorize(column) for column in columns])
    codes, lines = factorize(score_batch(indicators, actuals)["explanation"])  # what the step writes
    writing = timed(lambda: take([line[:-1] + line[-1:] for line in lines], codes))
    storage = {f"{column.dtype} ({column.dtype.storage})" if isinstance(column.dtype, pd.StringDtype)
               else str(column.dtype) for column in columns}
    print(f"{len(indicators):,} indicators, {len(actuals):,} actuals rows; text stored as {', '.join(sorted(storage))}")
    named = "; ".join(f"{side}: {', '.join(names)}" for side, names in HASHED.items())
    print(f"  hash {len(columns)} columns once ({named}): {hashing:.2f} s")
    print(f"  make {len(lines):,} distinct explanations, spread over the rows: {writing:.2f} s")
    print(f"  floor of the step: {hashing + writing:.2f} s")
    if args.reference:
        seconds = timed(lambda: reference.score_rows(indicators, actuals))
        print(f"  the reference's step: {seconds:.1f} s; 50× allows {seconds / 50:.2f} s")


if __name__ == "__main__":
    main()
