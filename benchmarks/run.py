"""Benchmark of score_batch at 10k, 100k and 1M indicators, next to two references on the same data:
reading the input files alone, and the per-row pint implementation of reference.py. Prints a Markdown table
with the machine it ran on and the ratios the README states.

    python benchmarks/run.py                       # all sizes (the 1M per-row reference takes minutes)
    python benchmarks/run.py --sizes 10000 100000  # fewer

Each measurement runs in a fresh Python process (no warm caches), three times, the kinds taking turns; the
best time and the peak resident memory are kept. Ratios are measured side by side in one run: absolute times
drift on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

KINDS = {
    "read": "reading the input files alone (json.load + pandas.read_csv)",
    "e2e": "score_batch from the files to the scored frame",
    "step": "score_batch on the reference's inputs in memory (its indicator frame and actuals frame)",
    "ref_e2e": "per-row pint reference, from the files",
    "ref_step": "per-row pint reference, inputs in memory",
}


def measure(kind: str, goals: str, actuals: str) -> dict:
    """One measurement in this process: seconds and peak memory (MB)."""
    import pandas as pd  # noqa: F401 - imports are not timed

    import reference
    from scoring import score_batch

    if kind in ("step", "ref_step"):  # the same objects for both: the indicators as one frame, the actuals rows
        indicators, rows = reference.load(goals, actuals)
    start = time.perf_counter()
    if kind == "read":
        json.loads(Path(goals).read_text(encoding="utf-8"))
        pd.read_csv(actuals, dtype=str, keep_default_na=False)
        count = None
    elif kind == "e2e":
        count = len(score_batch(goals, actuals))
    elif kind == "step":
        count = len(score_batch(indicators, rows))
    elif kind == "ref_e2e":
        count = len(reference.score_rows(*reference.load(goals, actuals)))
    else:
        count = len(reference.score_rows(indicators, rows))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rows": count}


def run_child(kind: str, goals: Path, actuals: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", kind, str(goals), str(actuals)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_size(goals: Path, actuals: Path, runs: int, reference_runs: int) -> dict:
    """Every kind of measurement on one data set; the best time of each kind and its highest peak memory.
    The rounds interleave the kinds, so that the machine's drift (a shared machine's speed wanders by a
    third over minutes) hits the numbers of a ratio alike."""
    times: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for round_ in range(max(runs, reference_runs)):
        for kind in KINDS:
            if round_ < (reference_runs if kind.startswith("ref") else runs):
                times[kind].append(run_child(kind, goals, actuals))
    return {kind: {**min(results, key=lambda r: r["seconds"]), "peak_mb": max(r["peak_mb"] for r in results)}
            for kind, results in times.items()}


def startup(runs: int = 7) -> tuple[float, float]:
    """Median seconds of `score` on the sample, and of importing its dependencies, each in a fresh process."""
    sample = [sys.executable, "-m", "scoring", "--goals", str(ROOT / "samples" / "g.json"), "--actuals",
              str(ROOT / "samples" / "a.csv")]
    deps = [sys.executable, "-c", "import numpy, pandas, pint, jinja2, click, jsonschema"]

    # An installed package runs from its bytecode (pip writes it): where PYTHONDONTWRITEBYTECODE is set, as in
    # some sandboxes, every start would compile scoring's modules again (about 60 ms) and the dependencies' not.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}

    def timed(command: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=ROOT, env=env)
        return time.perf_counter() - start

    timed(sample), timed(deps)  # not counted: writes the bytecode, reads the files into the page cache
    score_times, import_times = [], []
    for _ in range(runs):  # interleaved, so that drift hits both alike
        score_times.append(timed(sample))
        import_times.append(timed(deps))
    return statistics.median(score_times), statistics.median(import_times)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import numpy
    import pandas
    import pint
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, numpy {numpy.__version__}, pandas {pandas.__version__}, "
            f"pint {pint.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--reference-runs", type=int, default=1, help="runs of the slow per-row reference")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "scoring-bench")
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "GOALS", "ACTUALS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return

    from generate import write

    print(f"Machine: {machine()}\n")
    results = {}
    for size in args.sizes:
        folder = args.data / str(size)
        goals, actuals = (folder / "goals.json", folder / "actuals.csv")
        if not goals.exists():
            write(size, folder)
        results[size] = measure_size(goals, actuals, args.runs, args.reference_runs)
        r = results[size]
        print(f"{size:>9,} indicators: read {r['read']['seconds']:.2f} s, score_batch {r['e2e']['seconds']:.2f} s,"
              f" step {r['step']['seconds']:.2f} s, reference {r['ref_e2e']['seconds']:.1f} s", file=sys.stderr)

    print("| indicators | read the files | score_batch (files → frame) | indicators/s | peak memory |"
          " scoring step (in memory) | per-row pint reference | e2e ÷ read | reference ÷ e2e |"
          " reference step ÷ step |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, r in results.items():
        e2e, read, step = r["e2e"]["seconds"], r["read"]["seconds"], r["step"]["seconds"]
        print(f"| {size:,} | {read:.2f} s | {e2e:.2f} s | {r['e2e']['rows'] / e2e:,.0f} | "
              f"{r['e2e']['peak_mb']:,.0f} MiB | {step:.2f} s | {r['ref_e2e']['seconds']:.1f} s | "
              f"{e2e / read:.1f}× | {r['ref_e2e']['seconds'] / e2e:.0f}× | "
              f"{r['ref_step']['seconds'] / step:.0f}× |")
    sizes = list(results)
    for small, large in zip(sizes, sizes[1:]):
        grown = large / small
        took = results[large]["e2e"]["seconds"] / results[small]["e2e"]["seconds"]
        print(f"\nLinearity: {grown:.0f}× the indicators ({small:,} → {large:,}) took {took:.1f}× the time "
              f"(limit {grown * 1.1:.0f}×).")
    score_s, import_s = startup()
    print(f"\nStart-up: `score` on the sample {score_s:.2f} s, importing its dependencies {import_s:.2f} s: "
          f"{score_s / import_s:.2f}× (limit 1.5×).")
    print_targets(results, score_s / import_s)


def print_targets(results: dict, startup_ratio: float) -> None:
    """The targets of the scale issue at the largest size measured, each with its measurement and verdict."""
    size = max(results)
    r = results[size]
    e2e, read, step = r["e2e"]["seconds"], r["read"]["seconds"], r["step"]["seconds"]
    checks = [
        (f"{size:,} indicators from files to scored frame", f"{e2e:.2f} s", "≤ 10 s", e2e <= 10),
        ("peak memory", f"{r['e2e']['peak_mb']:,.0f} MiB", "≤ 2 GiB", r["e2e"]["peak_mb"] <= 2048),
        ("per-row reference ÷ score_batch, end to end", f"{r['ref_e2e']['seconds'] / e2e:.1f}×", "≥ 10×",
         r["ref_e2e"]["seconds"] / e2e >= 10),
        ("per-row reference ÷ score_batch, scoring step", f"{r['ref_step']['seconds'] / step:.1f}×", "≥ 50×",
         r["ref_step"]["seconds"] / step >= 50),
        ("score_batch ÷ reading the inputs", f"{e2e / read:.1f}×", "≤ 3×", e2e / read <= 3),
        ("start-up ÷ importing the dependencies", f"{startup_ratio:.2f}×", "≤ 1.5×", startup_ratio <= 1.5),
    ]
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:]):
        took = results[large]["e2e"]["seconds"] / results[small]["e2e"]["seconds"]
        limit = large / small * 1.1
        checks.append((f"linearity {small:,} → {large:,}", f"{took:.1f}×", f"≤ {limit:.0f}×", took <= limit))
    print("\n| target | measured | limit | met |\n|---|---:|---:|:---:|")
    for what, measured, limit, met in checks:
        print(f"| {what} | {measured} | {limit} | {'yes' if met else 'no'} |")


if __name__ == "__main__":
    main()
