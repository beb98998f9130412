"""Emit at scale: every format at 1,000, 10,000 and 50,000 components, against a plain JSON
round trip of the same documents, measured in the same run.

    python bench/emit.py                       # 1k, 10k, 50k; every format
    python bench/emit.py --sizes 1000,10000 --formats cyclonedx-json,spdx-json

For each size a synthetic organization (sbomgen.emulator.generate: a shared pool, trees up
to 4 levels deep, ~5% vulnerable) is served by the emulator and recorded as a snapshot,
the way ``sbomgen fetch`` does. Then each format is rendered in a fresh interpreter:
replay + enrich (``load``), the document (``render``), its validation (``validate``:
schema and rules, as ``generate`` does before writing), and that process's peak RSS.

The floor, per size: ``json.loads`` + ``json.dumps(indent=2, ensure_ascii=False)`` of the
CycloneDX JSON and SPDX JSON documents sbomgen wrote (the way sbomgen writes them), in a
fresh interpreter as well. A format's ratio is its render + validate time over that floor.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _harness import child, machine, table

from sbomgen.emit.formats import FORMATS

RECORD = r"""
import sys, time
from pathlib import Path
from sbomgen.emulator import Dataset, Emulator, User
from sbomgen.emulator.generate import generate_dataset
from sbomgen.pipeline import record
from sbomgen.sources.client import Credentials, MendClient
from sbomgen.sources.fetcher import FetchScope

n, out = int(sys.argv[1]), Path(sys.argv[2])
projects = max(4, n // 100)
data = generate_dataset(
    libraries=int(n * 1.25), products=1, projects_per_product=projects,
    per_project=min(n, 250), seed=n,
)
emulator = Emulator(Dataset(data, {}), [User("bench-key-0123456789")])
url = emulator.start()
start = time.perf_counter()
with MendClient(url, Credentials("bench-key-0123456789", data["organization"]["orgToken"])) as c:
    inventory = record(c, FetchScope(products=(data["products"][0]["token"],)), out)
emulator.stop()
report(seconds=time.perf_counter() - start, libraries=len(inventory.libraries),
       projects=len(inventory.projects))
"""

RENDER = r"""
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from sbomgen._gc import paused
from sbomgen.emit import cyclonedx, cyclonedx_fast, spdx
from sbomgen.emit.factory import make_emitters
from sbomgen.emit.interface import DocumentMeta
from sbomgen.pipeline import SnapshotSource, default_enrichers, documents, enrich
from sbomgen.sources.fetcher import NullObserver

snapshot, fmt, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
spent = {"validate": 0.0}

def timed(module, name):
    inner = getattr(module, name)
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return inner(*a, **k)
        finally:
            spent["validate"] += time.perf_counter() - t
    setattr(module, name, wrapper)

from sbomgen.emit import spdx3_fast, validate
for module, name in ((cyclonedx, "validate_cyclonedx"), (spdx, "spdx_messages"),
                     (spdx, "schema_errors"), (validate.ComponentChecker, "component"),
                     (validate.ComponentChecker, "document"),
                     (spdx3_fast.ElementChecks, "__call__"), (validate, "spdx3_problems")):
    timed(module, name)
start = time.perf_counter()
with paused():
    inventory = enrich(SnapshotSource(snapshot).load(NullObserver()), default_enrichers())
loaded = time.perf_counter()
meta = DocumentMeta(name="Bench", version="1.0", file_stem="bench", reproducible=True,
                    timestamp=datetime(2026, 1, 1, tzinfo=timezone.utc))
with paused():
    files = documents(inventory, make_emitters([fmt]), meta)
done = time.perf_counter()
size = 0
for name, data in files.items():
    size += len(data)
    if name.endswith((".cdx.json", ".spdx.json")):
        (out / name).write_bytes(data)
report(load=loaded - start, render=done - loaded - spent["validate"],
       validate=spent["validate"], bytes=size)
"""

FLOOR = r"""
import json, sys, time
from pathlib import Path
texts = [Path(p).read_text(encoding="utf-8") for p in sys.argv[1:]]
start = time.perf_counter()
for text in texts:
    json.dumps(json.loads(text), indent=2, ensure_ascii=False)
report(seconds=time.perf_counter() - start)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument(
        "--formats",
        default="",
        help="comma list (default: every format)",
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    formats = [f for f in args.formats.split(",") if f] or list(FORMATS)
    print(f"{machine()}", file=sys.stderr)
    rows = []
    growth: dict[str, list[str]] = {f: [] for f in formats}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            snap = Path(tmp) / f"snap-{n}"
            out = Path(tmp) / f"out-{n}"
            out.mkdir()
            rec = child(RECORD, str(n), str(snap))
            print(
                f"{n}: recorded {rec['libraries']} libraries in {rec['projects']} projects "
                f"({rec['seconds']:.1f} s)",
                file=sys.stderr,
            )
            results = {}
            for fmt in sorted(formats, key=lambda f: f not in ("cyclonedx-json", "spdx-json")):
                try:
                    results[fmt] = child(RENDER, str(snap), fmt, str(out))
                except RuntimeError as exc:
                    results[fmt] = {"error": str(exc).splitlines()[0]}
                r = results[fmt]
                print(f"  {fmt}: {r}", file=sys.stderr)
            documents = sorted(str(p) for p in out.iterdir())
            floor = child(FLOOR, *documents)["seconds"] if documents else float("nan")
            rows.append(
                [f"{rec['libraries']:,}", "floor: JSON round trip", f"{floor:.2f}", "", "", "1.0"]
            )
            for fmt in formats:
                r = results.get(fmt)
                if r is None:  # left out at this size
                    growth[fmt].append("-")
                    continue
                if "error" in r:
                    rows.append([f"{rec['libraries']:,}", fmt, "failed", "", "", r["error"]])
                    growth[fmt].append("failed")
                    continue
                work = r["render"] + r["validate"]
                rows.append(
                    [
                        f"{rec['libraries']:,}",
                        fmt,
                        f"{r['render']:.2f}",
                        f"{r['validate']:.2f}",
                        f"{r['peak_rss_mb']:.0f}",
                        f"{work / floor:.1f}",
                    ]
                )
                growth[fmt].append(f"{work:.2f}")
            pair = [results.get(f) for f in ("cyclonedx-json", "spdx-json")]
            if all(p and "error" not in p for p in pair):
                both = sum(p["render"] + p["validate"] for p in pair if p)
                rows.append(
                    [
                        f"{rec['libraries']:,}",
                        "CycloneDX JSON + SPDX JSON",
                        "",
                        "",
                        "",
                        f"{both / floor:.1f}",
                    ]
                )
    print(
        table(
            rows,
            ["components", "format", "render s", "validate s", "peak RSS MB", "ratio to floor"],
        )
    )
    print()
    print(
        table(
            [[f, *growth[f]] for f in formats],
            ["render + validate, seconds", *[f"{n:,}" for n in sizes]],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
