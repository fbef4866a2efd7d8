"""Time two revisions' scoring step in one process, in turns, on the same frames in memory.

compare.py counts instructions at 100,000 indicators; it cannot see what costs memory traffic only at a
million (a pass over a million distinct Python objects, say), and separate processes at a million drift by
±20% from one to the next. Here both revisions are imported side by side (each exported as a package of its
own name), and score_batch of each runs in turns on the reference's frames (run.py's scoring step), the
order alternating; the scored frames must be identical. Compare the best and the median of many turns.

    python benchmarks/interleave.py HEAD~1 HEAD                     # 1,000,000 indicators, 6 turns each
    python benchmarks/interleave.py HEAD WORKTREE --runs 10         # the uncommitted change
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

import reference  # noqa: E402
from compare import export  # noqa: E402
from generate import write  # noqa: E402


def imported(revision: str, into: Path, name: str):
    """The scoring package of `revision`, imported under `name` (its rules/ and templates/ beside it)."""
    export(revision, into)
    (into / "scoring").rename(into / name)
    sys.path.insert(0, str(into))
    return importlib.import_module(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--size", type=int, default=1_000_000, help="indicators (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=6, help="turns of each revision (default 6)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "scoring-bench")
    args = parser.parse_args()
    folder = args.data / str(args.size)
    if not (folder / "goals.json").exists():
        write(args.size, folder)
    with tempfile.TemporaryDirectory() as tmp:
        packages = {revision: imported(revision, Path(tmp) / str(i), f"scoring_{i}")
                    for i, revision in enumerate((args.before, args.after))}
        indicators, actuals = reference.load(str(folder / "goals.json"), str(folder / "actuals.csv"))
        seconds: dict[str, list[float]] = {revision: [] for revision in packages}
        scored = {}
        for turn in range(args.runs):
            for revision, package in list(packages.items())[::1 if turn % 2 else -1]:
                start = time.perf_counter()
                frame = package.score_batch(indicators, actuals)
                seconds[revision].append(time.perf_counter() - start)
                if turn < 2:
                    scored.setdefault(revision, frame)
                del frame
    same = scored[args.before].equals(scored[args.after])
    print(f"{args.size:,} indicators, score_batch on the reference's frames, {args.runs} turns each:")
    for revision, times in seconds.items():
        print(f"  {revision:>12}: best {min(times):.2f} s, median {statistics.median(times):.2f} s"
              f"  ({', '.join(f'{t:.2f}' for t in times)})")
    print(f"  scored frames: {'identical' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
