"""Where score_batch's time goes: wall time of each phase of one run, next to the floor of reading the files.

    python benchmarks/phases.py /tmp/scoring-bench/1000000          # a folder written by generate.py
    python benchmarks/phases.py /tmp/scoring-bench/1000000 --step   # from the reference's frames in memory

Each phase is timed by wrapping the function that does it, so the run is score_batch's own path; the
engine's phases are parts of `score_frame`. The floor (reading the two files alone) is measured in a fresh
process of its own, as run.py does: a second json.loads in one process reuses the memory the first freed and
runs faster. One run each: compare phases within a run, not runs.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import reference  # noqa: E402
from run import run_child  # noqa: E402
from scoring import engine, scorer, score_batch  # noqa: E402
from scoring.inputs import goals as goals_module  # noqa: E402
from scoring.inputs import goals_table  # noqa: E402

# (module, function, what it does), in the order a run meets them
PHASES = [
    (scorer, "read_goals", "read and check the goals"),
    (goals_module, "_load_json", "  decode the file, json.loads"),
    (goals_module, "_quick_check", "  check the projects, indicator dicts into factorized columns"),
    (goals_table, "read_table", "  (a frame) its columns factorized, the projects' headers"),
    (goals_module, "_columns_conform", "  check the indicators' columns"),
    (goals_module, "_indicator_frame", "  the indicator frame"),
    (scorer, "read_actuals", "read the actuals (read_csv included)"),
    (scorer, "match", "match actuals rows to indicators"),
    (scorer, "score_frame", "the engine, in all"),
    (engine, "_parse", "  parse targets and actuals (per distinct), spread over the rows"),
    (engine, "_dispatch", "  choose each indicator's method"),
    (engine.weights, "declared_or_shared", "  weights"),
    (engine, "_apply_methods", "  apply the methods and deduction rules"),
    (engine, "_explain", "  write the explanations"),
]


def timed(function: Callable, seconds: dict[str, float], name: str) -> Callable:
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="holds goals.json and actuals.csv (generate.py)")
    parser.add_argument("--step", action="store_true",
                        help="score the reference's frames in memory (run.py's scoring step), not the files")
    args = parser.parse_args()
    goals, actuals = args.folder / "goals.json", args.folder / "actuals.csv"

    floor = run_child("read", goals, actuals)["seconds"]
    inputs = reference.load(str(goals), str(actuals)) if args.step else (goals, actuals)
    seconds: dict[str, float] = {}
    for module, name, _ in PHASES:
        setattr(module, name, timed(getattr(module, name), seconds, name))
    start = time.perf_counter()
    rows = len(score_batch(*inputs))
    total = time.perf_counter() - start

    start_from = "the reference's frames in memory" if args.step else "the files"
    print(f"{rows:,} indicators: score_batch from {start_from} {total:.2f} s; reading the files alone "
          f"(json.loads and read_csv, in a fresh process) {floor:.2f} s")
    print("| phase | seconds | share |\n|---|---:|---:|")
    for _, name, what in PHASES:
        print(f"| {what} (`{name}`) | {seconds.get(name, 0.0):.2f} | {seconds.get(name, 0.0) / total:.0%} |")
    counted = sum(seconds.get(name, 0.0) for module, name, _ in PHASES if module is scorer)
    print(f"| the rest (rule sets, assembling the frame) | {total - counted:.2f} | {(total - counted) / total:.0%} |")


if __name__ == "__main__":
    main()
