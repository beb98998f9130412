"""The long fuzz run: the hypothesis tests of tests/sources/test_fuzz.py with many more
examples. ``python bench/fuzz.py [--examples 5000]``; prints the inputs tried per test."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=5000)
    args = ap.parse_args()
    env = {**os.environ, "SBOMGEN_FUZZ_EXAMPLES": str(args.examples)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-show-statistics",
            str(ROOT / "tests" / "sources" / "test_fuzz.py"),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    tried = 0
    for line in proc.stdout.splitlines():
        if "passing" in line and "failing" in line:
            print(line.strip())
            tried += int(line.strip().split()[1])
        elif line.startswith("tests/") or "passed" in line or "failed" in line:
            print(line.strip())
    print(f"inputs tried by the property tests: {tried} (+ the fixed deep-hierarchy cases)")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
