"""Compare the work of score_batch at two git revisions by counting instructions, not seconds.

On a shared machine one run of a million indicators takes anywhere from 10 to 15 s, so a change that saves
5% cannot be seen in times, even in interleaved pairs. The number of instructions a run executes hardly
moves from run to run: valgrind's callgrind counts them (about 50× slower, so use 100,000 indicators or
fewer). Each revision is counted twice, importing scoring alone and importing it then scoring, and the
difference is the scoring's own count. The scored frames are compared too (identical or not). With
`--step`, score_batch starts from the reference's frames in memory, as run.py's scoring step does (loading
them is counted in both runs and subtracted).

    python benchmarks/compare.py HEAD~1 HEAD                    # 100,000 indicators
    python benchmarks/compare.py 5f1e743 HEAD --size 10000      # quicker
    python benchmarks/compare.py HEAD WORKTREE                  # the uncommitted change
    python benchmarks/compare.py HEAD WORKTREE --step           # the scoring step (inputs in memory)

Needs git and valgrind (Debian: apt-get install valgrind). Instructions are not time: a pass that misses
the cache costs more time per instruction. Count for the direction and size of a change, time (run.py) for
what a user waits.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE)]

from generate import write  # noqa: E402  (benchmarks/ is not a package)

_PARTS = ("scoring", "rules", "templates")
_RUN = """
import sys
from scoring import score_batch
if len(sys.argv) > 1:
    goals, actuals = sys.argv[2:4]
    if sys.argv[1] == "step":  # the inputs as the reference holds them in memory (run.py's scoring step)
        import reference
        goals, actuals = reference.load(goals, actuals)
    if sys.argv[4:5] != ["load"]:
        scored = score_batch(goals, actuals)
    if sys.argv[4:] == ["md5"]:
        import hashlib
        print(hashlib.md5(scored.to_csv(index=False).encode()).hexdigest())
"""


def export(revision: str, into: Path) -> Path:
    """The package, rule sets and templates of a revision (WORKTREE: the files as they are now)."""
    into.mkdir(parents=True)
    if revision == "WORKTREE":
        for part in _PARTS:
            shutil.copytree(ROOT / part, into / part, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, *_PARTS], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _python(code: Path, *args: str, counted: bool = False, cache: bool = False) -> subprocess.CompletedProcess:
    """Run _RUN with `code` first on the path; under callgrind if counted (simulating the caches if asked). A
    fixed hash seed: where strings collide in hash tables changes the count a little from seed to seed."""
    valgrind = ["valgrind", "--tool=callgrind", f"--cache-sim={'yes' if cache else 'no'}",
                "--callgrind-out-file=/dev/null"] if counted else []
    return subprocess.run([*valgrind, sys.executable, "-c", _RUN, *args], capture_output=True, text=True,
                          check=True, env={"PYTHONPATH": f"{code}:{HERE}", "PATH": "/usr/bin:/bin",
                                           "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"})


def instructions(code: Path, *files: str, cache: bool = False) -> np.ndarray:
    """Instructions, and (with `cache`) the data reads and writes that miss the simulated last-level cache,
    of one Python run: importing scoring, then (`files`: mode, goals, actuals[, "load"]) scoring the files."""
    done = _python(code, *files, counted=True, cache=cache)
    labels = (r"I\s+refs", r"LLd misses") if cache else (r"I\s+refs",)
    found = [re.search(rf"{label}:\s+([\d,]+)", done.stderr) for label in labels]
    if None in found:
        raise SystemExit(f"valgrind printed no counts:\n{done.stderr[-2000:]}")
    return np.array([int(match.group(1).replace(",", "")) for match in found] + [0] * (2 - len(found)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--size", type=int, default=100_000, help="indicators (default 100,000)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "scoring-bench")
    parser.add_argument("--cache", action="store_true", help="simulate the caches too (about 3× slower)")
    parser.add_argument("--step", action="store_true", help="from the reference's frames in memory")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("compare.py needs valgrind (apt-get install valgrind)")
    folder = args.data / str(args.size)
    if not (folder / "goals.json").exists():
        write(args.size, folder)
    files = ("step" if args.step else "files", str(folder / "goals.json"), str(folder / "actuals.csv"))
    baseline = (*files, "load") if args.step else ()  # what is subtracted: importing (and loading the frames)
    with tempfile.TemporaryDirectory() as tmp:
        codes = {name: export(name, Path(tmp) / f"{i}") for i, name in enumerate((args.before, args.after))}
        with ThreadPoolExecutor(2) as pool:  # one valgrind per core
            runs = {(name, kind): pool.submit(instructions, code, *(files if kind == "scoring" else baseline),
                                              cache=args.cache)
                    for name, code in codes.items() for kind in ("import", "scoring")}
            counts = {key: future.result() for key, future in runs.items()}
        same = len({_python(code, *files, "md5").stdout for code in codes.values()}) == 1
    print(f"{args.size:,} indicators; score_batch's own count (import{' and loading the frames' if args.step else ''}"
          " subtracted):")
    own = {name: counts[name, "scoring"] - counts[name, "import"] for name in codes}
    for name, (ins, misses) in own.items():
        print(f"  {name:>12}: {ins / 1e9:7.3f} G instructions" + (
            f", {misses / 1e6:7.1f} M last-level cache misses" if args.cache else ""))
    (ins_a, miss_a), (ins_b, miss_b) = own[args.before], own[args.after]
    print(f"  change: {(ins_b - ins_a) / ins_a:+.1%} instructions" + (
        f", {(miss_b - miss_a) / miss_a:+.1%} last-level cache misses" if args.cache else ""))
    print(f"  scored frames: {'identical' if same else 'DIFFERENT'} (md5 of the CSV)")


if __name__ == "__main__":
    main()
