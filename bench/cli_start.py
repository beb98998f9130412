"""Benchmark: how long the CLI takes to start, as ratios to the interpreter's own start.

Run from the repository root: ``python bench/cli_start.py [--runs N]``. Each case is a
fresh process (what a pipeline step or a TAB completion pays); the figure is the median of
N runs. The floor, measured in the same run, is ``python -c pass``: the machine is shared
and noisy, so compare ratios, not milliseconds, across runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

CASES: list[tuple[str, list[str], dict[str, str]]] = [
    ("floor: python -c pass", ["-c", "pass"], {}),
    ("python -c 'import click'", ["-c", "import click"], {}),
    ("sbomgen --version", ["-m", "sbomgen", "--version"], {}),
    ("sbomgen --help", ["-m", "sbomgen", "--help"], {}),
    ("sbomgen generate --help", ["-m", "sbomgen", "generate", "--help"], {}),
    (
        "TAB completion (sbomgen gen<TAB>)",
        ["-m", "sbomgen"],
        {"_SBOMGEN_COMPLETE": "bash_complete", "COMP_WORDS": "sbomgen gen", "COMP_CWORD": "1"},
    ),
    (
        "TAB completion (--format spdx-json,cyc<TAB>)",
        ["-m", "sbomgen"],
        {
            "_SBOMGEN_COMPLETE": "bash_complete",
            "COMP_WORDS": "sbomgen generate --format spdx-json,cyc",
            "COMP_CWORD": "3",
        },
    ),
    (
        "for scale: import the emitters (what start cost before)",
        ["-c", "import sbomgen.emit.cyclonedx, sbomgen.emit.spdx, sbomgen.pipeline"],
        {},
    ),
]


def measure(args: list[str], extra: dict[str, str], runs: int) -> float:
    env = {**os.environ, **extra}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=9, help="runs per case (median; default 9)")
    args = ap.parse_args()
    results = []
    for label, argv, extra in CASES:
        results.append((label, measure(argv, extra, args.runs)))
    floor = results[0][1]
    width = max(len(label) for label, _ in results)
    print(f"{'case':<{width}}  {'median ms':>9}  {'x floor':>7}")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 7}")
    for label, seconds in results:
        print(f"{label:<{width}}  {seconds * 1000:>9.0f}  {seconds / floor:>7.1f}")
    print(f"\n{args.runs} runs per case, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
