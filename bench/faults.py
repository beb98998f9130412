"""Benchmark: generate through a failing server, many seeds; survivals and time, as ratios.

Run from the repository root: ``python bench/faults.py [--seeds 200] [--rate 0.15]``.
For each seed the emulator (on loopback, real HTTP) fails ``rate`` of the requests at
random (429 with Retry-After, 500/502/503/504, bodies cut short with and without a
matching Content-Length, a proxy's HTML page, resets, dropped connections, read timeouts,
errorCode 3000), and the real pipeline generates the product's and the organization's
SBOMs with the client's default retries (5 attempts) and its waits shortened. Each output
is compared with a fault-free run, byte for byte (SOURCE_DATE_EPOCH is set).

Figures: runs survived and byte-identical; runs failed with one of sbomgen's errors (a
request that failed five times: never a traceback); faults injected by kind; and the time
of a faulty run as a ratio to the fault-free run measured here (the machine is shared).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ["SOURCE_DATE_EPOCH"] = "1700000000"

from conftest import ORG_ADMIN_KEY, SAMPLE_DATASET  # noqa: E402

from sbomgen.emit.factory import make_emitters  # noqa: E402
from sbomgen.emulator import Dataset, Emulator, User  # noqa: E402
from sbomgen.errors import SbomgenError  # noqa: E402
from sbomgen.pipeline import MendSource, build, default_enrichers  # noqa: E402
from sbomgen.sources.client import Credentials, MendClient, RetryPolicy  # noqa: E402
from sbomgen.sources.fetcher import FetchScope  # noqa: E402


def run(emulator: Emulator, url: str, scope: FetchScope) -> dict[str, bytes]:
    client = MendClient(
        url,
        Credentials(user_key=ORG_ADMIN_KEY, org_token=emulator.org_token),
        policy=RetryPolicy(read_timeout=0.5, backoff=0.01),
        sleep=lambda _s: None,
    )
    with client:
        return build(
            MendSource(client, scope),
            emitters=make_emitters(["cyclonedx-json", "spdx-json"]),
            enrichers=default_enrichers(),
        ).files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--rate", type=float, default=0.15)
    args = ap.parse_args()
    logging.disable(logging.CRITICAL)
    dataset = Dataset.load(SAMPLE_DATASET)
    scopes = {
        "product": FetchScope(products=(dataset.products[0].token,)),
        "org": FetchScope(org=True),
    }
    clean_emulator = Emulator(dataset, [User(ORG_ADMIN_KEY)])
    url = clean_emulator.start()
    clean: dict[str, dict[str, bytes]] = {}
    floor: dict[str, float] = {}
    for name, scope in scopes.items():
        run(clean_emulator, url, scope)  # warm up (imports, caches), then measure
        started = time.perf_counter()
        clean[name] = run(clean_emulator, url, scope)
        floor[name] = time.perf_counter() - started
    clean_emulator.stop()
    outcome: Counter[str] = Counter()
    faults: Counter[str] = Counter()
    requests = 0
    ratios: dict[str, list[float]] = {name: [] for name in scopes}
    errors: Counter[str] = Counter()
    for seed in range(args.seeds):
        for name, scope in scopes.items():
            emulator = Emulator(
                dataset,
                [User(ORG_ADMIN_KEY)],
                fault_rate=args.rate,
                fault_seed=seed,
                fault_delay=0.8,
            )
            url = emulator.start()
            started = time.perf_counter()
            try:
                files = run(emulator, url, scope)
            except SbomgenError as exc:
                outcome["failed with sbomgen's error"] += 1
                errors[type(exc).__name__] += 1
            except Exception as exc:  # a traceback: the figure that must stay 0
                outcome["traceback"] += 1
                errors[f"{type(exc).__name__}: {exc}"] += 1
            else:
                outcome[
                    "survived, byte-identical" if files == clean[name] else "survived, DIFFERENT"
                ] += 1
                ratios[name].append((time.perf_counter() - started) / floor[name])
            faults.update(emulator.random_faults)
            requests += sum(emulator.counts.values())
            emulator.stop()
    runs = args.seeds * len(scopes)
    print(f"{args.seeds} seeds x {len(scopes)} scopes = {runs} runs, fault rate {args.rate:.0%}")
    for what in (
        "survived, byte-identical",
        "survived, DIFFERENT",
        "failed with sbomgen's error",
        "traceback",
    ):
        print(f"  {what:<30} {outcome[what]:>5}")
    print(f"requests answered or failed: {requests}; faults injected: {sum(faults.values())}")
    for kind, n in sorted(faults.items()):
        print(f"  {kind:<10} {n:>5}")
    for name, values in ratios.items():
        if values:
            values.sort()
            print(
                f"time of a faulty {name} run / fault-free ({floor[name]:.2f}s): median "
                f"{values[len(values) // 2]:.1f}x, p90 {values[int(len(values) * 0.9)]:.1f}x"
            )
    for error, n in errors.most_common():
        print(f"  error: {error} x{n}")
    return 1 if outcome["traceback"] or outcome["survived, DIFFERENT"] else 0


if __name__ == "__main__":
    sys.exit(main())
