"""Fetch at scale: sbomgen against the floor, over real HTTP, in the same run.

    python bench/fetch.py                         # 1 product x 100 projects x 200 libraries
    python bench/fetch.py --products 5 --projects 200 --per-project 150   # --org scale
    python bench/fetch.py --repeat 16 --no-cache --against ../other-checkout  # A/B

A synthetic organization (bench/_harness.py, sbomgen.emulator.generate) is served by the
emulator in its own process, each answer delayed by ``--latency`` (default 50 ms).

The floor is the least any client can do: the fewest requests that carry every fact (6
product-level ones: tags, licenses, alerts, ignored alerts, library locations, license
texts; then the
project vitals and one getProjectHierarchy per project), on ``--concurrency`` connections,
parsing each answer with json.loads and nothing else. sbomgen is timed through its
Fetcher (requests, retries, parsing, the typed model, de-duplication), also with
``--cache``: a second run where nothing changed, and one where a tenth of the projects
changed. Each runs in a fresh interpreter that reports its own time and peak RSS, the
floor and sbomgen alternating, ``--repeat`` times; the medians are compared. With
``--against DIR`` another checkout runs in each round too (before this one every other
round): on a shared machine, interleaved pairs tell two versions apart where separate
runs of a few minutes each do not.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _harness import USER_KEY, child, emulator, machine, median, stats, table, write_dataset

FLOOR = r"""
import json, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
import requests

url, key, org_token, products, workers = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5])
local = threading.local()

def post(body):
    s = getattr(local, "s", None)
    if s is None:
        s = local.s = requests.Session()
    body = {**body, "userKey": key}
    r = s.post(url + "/api/v1.4", json=body, timeout=300)
    if "json" in r.headers.get("Content-Type", ""):
        return json.loads(r.content)
    return r.content

start = time.perf_counter()
n = 0
with ThreadPoolExecutor(workers) as pool:
    vitals = {}
    first = []
    for p in products:
        b = {"productToken": p}
        first += [
            pool.submit(post, {"requestType": "getProductTags", **b}),
            pool.submit(post, {"requestType": "getProductLicenses", **b, "excludeProjectOccurrences": False}),
            pool.submit(post, {"requestType": "getProductAlertsByType", **b, "alertType": "SECURITY_VULNERABILITY"}),
            pool.submit(post, {"requestType": "getProductIgnoredAlerts", **b}),
            pool.submit(post, {"requestType": "getProductLibraryLocations", **b}),
            pool.submit(post, {"requestType": "getLicensesTextZip", **b}),
        ]
        vitals[p] = pool.submit(post, {"requestType": "getProductProjectVitals", **b})
    trees = [
        pool.submit(post, {"requestType": "getProjectHierarchy", "projectToken": v["token"], "includeInHouseData": True})
        for f in vitals.values() for v in f.result()["projectVitals"]
    ]
    for f in first + list(vitals.values()) + trees:
        f.result()
        n += 1
report(seconds=time.perf_counter() - start, requests=n)
"""

SBOMGEN = r"""
import json, sys, time
from pathlib import Path
from sbomgen.sources.client import Credentials, MendClient
from sbomgen.pipeline import fetch_live
from sbomgen.sources.fetcher import FetchScope

url, key, org_token, products, workers = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5])
cache = sys.argv[6] if len(sys.argv) > 6 else ""
scope = FetchScope(org=True) if len(products) > 1 else FetchScope(products=tuple(products))
start = time.perf_counter()
with MendClient(url, Credentials(key, org_token)) as client:
    inventory = fetch_live(client, scope, None, workers, Path(cache) if cache else None)
    sent = client.requests_made
report(
    seconds=time.perf_counter() - start,
    requests=sent,
    libraries=len(inventory.libraries),
    projects=len(inventory.projects),
)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--products", type=int, default=1)
    ap.add_argument("--projects", type=int, default=100, help="projects per product")
    ap.add_argument("--per-project", type=int, default=200, help="libraries per project")
    ap.add_argument("--pool", type=int, default=0, help="library pool (default: enough for ~10k)")
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-cache", action="store_true", help="skip the --cache runs")
    ap.add_argument(
        "--against",
        type=Path,
        help="another checkout of sbomgen, run in turn with this one (interleaved pairs)",
    )
    args = ap.parse_args()
    pool = args.pool or max(args.per_project, int(args.per_project * args.projects * 0.6))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "dataset"
        data = write_dataset(
            data_dir,
            libraries=pool,
            products=args.products,
            projects_per_product=args.projects,
            per_project=args.per_project,
        )
        unique = len({k for p in data["products"] for pr in p["projects"] for k in pr["inventory"]})
        products = [p["token"] for p in data["products"]]
        org_token = data["organization"]["orgToken"]
        import json

        print(
            f"{args.products} product(s) x {args.projects} projects x {args.per_project} "
            f"libraries ({unique} unique), latency {args.latency * 1000:.0f} ms, "
            f"concurrency {args.concurrency}; {machine()}",
            file=sys.stderr,
        )
        floor_t: list[float] = []
        ours_t: list[float] = []
        theirs_t: list[float] = []
        rss: list[float] = []
        against = {"PYTHONPATH": str(args.against.resolve())} if args.against else None
        with emulator(data_dir, latency=args.latency) as url:
            argv = [url, USER_KEY, org_token, json.dumps(products), str(args.concurrency)]
            floor_n = ours_n = 0
            counts: dict[str, int] = {}
            for i in range(args.repeat):
                f = child(FLOOR, *argv)
                if against and i % 2:  # the other checkout first every other time
                    theirs_t.append(child(SBOMGEN, *argv, env=against)["seconds"])
                before = stats(url)
                o = child(SBOMGEN, *argv)
                after = stats(url)
                if against and not i % 2:
                    theirs_t.append(child(SBOMGEN, *argv, env=against)["seconds"])
                counts = {
                    k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)
                }
                floor_t.append(f["seconds"])
                ours_t.append(o["seconds"])
                rss.append(o["peak_rss_mb"])
                floor_n, ours_n = f["requests"], o["requests"]
                print(
                    f"  run {i + 1}: floor {f['seconds']:.2f} s, sbomgen {o['seconds']:.2f} s "
                    f"({o['libraries']} libraries, {o['projects']} projects)",
                    file=sys.stderr,
                )
            cache_rows = []
            cache = Path(tmp) / "cache"
            if not args.no_cache:
                cold = child(SBOMGEN, *argv, str(cache))
                warm = child(SBOMGEN, *argv, str(cache))
                cache_rows = [
                    ["first run", f"{cold['seconds']:.2f}", str(cold["requests"])],
                    ["nothing changed", f"{warm['seconds']:.2f}", str(warm["requests"])],
                ]
        if not args.no_cache:
            # Mend scans a tenth of the projects again: the same server, new dates
            port = int(url.rsplit(":", 1)[1])
            for n, pr in enumerate(pr for p in data["products"] for pr in p["projects"]):
                if n % 10 == 0:
                    pr["lastUpdatedDate"] = "2025-01-01 00:00:00"
            (data_dir / "dataset.json").write_text(json.dumps(data), encoding="utf-8")
            with emulator(data_dir, latency=args.latency, port=port) as again:
                argv[0] = again
                tenth = child(SBOMGEN, *argv, str(cache))
            cache_rows.append(
                [
                    "a tenth of the projects changed",
                    f"{tenth['seconds']:.2f}",
                    str(tenth["requests"]),
                ]
            )
        floor, ours = median(floor_t), median(ours_t)
        per_product = ours_n / args.products
        rows = [
            ["floor", f"{floor:.2f}", str(floor_n), "", "1.00"],
            ["sbomgen", f"{ours:.2f}", str(ours_n), f"{median(rss):.0f}", f"{ours / floor:.2f}"],
        ]
        if theirs_t:
            theirs = median(theirs_t)
            rows.append(
                [f"--against {args.against}", f"{theirs:.2f}", "", "", f"{theirs / floor:.2f}"]
            )
        print(
            table(rows, ["fetch", "seconds (median)", "requests", "peak RSS MB", "ratio to floor"])
        )
        print()
        print(f"requests per product: {per_product:.0f} (projects + 10 = {args.projects + 10})")
        print(table([[k, str(v)] for k, v in sorted(counts.items())], ["request type", "count"]))
        if cache_rows:
            print()
            print(table(cache_rows, ["sbomgen --cache", "seconds", "requests"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
