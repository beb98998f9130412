"""``sbomgen-emulator`` (or ``python -m sbomgen.emulator``): serve a dataset as the Mend API.

Example::

    sbomgen-emulator --dataset samples/acme-dataset --port 8080 \\
        --user-key demo-org-admin --product-admin-key demo-product-admin=<productToken>

then ``MEND_URL=http://127.0.0.1:8080 MEND_USER_KEY=demo-org-admin
MEND_ORG_TOKEN=<orgToken from dataset.json> sbomgen generate --org --out out/``.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from pathlib import Path

from sbomgen.emulator.dataset import Dataset, DatasetError
from sbomgen.emulator.generate import generate_dataset
from sbomgen.emulator.reports import AsyncOptions, hostile_cases
from sbomgen.emulator.server import ORG_ADMIN, PRODUCT_ADMIN, Emulator, Fault, User
from sbomgen.errors import InputDataError
from sbomgen.sources import contract
from sbomgen.sources.snapshot import SnapshotReplay


def _fault(spec: str) -> Fault:
    """KIND[:REQUEST_TYPE[:TIMES]], e.g. ``429:getProjectHierarchy:2`` or ``503``."""
    kind, _, rest = spec.partition(":")
    request_type, _, times = rest.partition(":")
    return Fault(
        kind=kind,
        request_type=request_type or None,
        times=int(times) if times else 1,
        retry_after=1 if kind == "429" else None,
        delay=1.5 if kind == "timeout" else 0.0,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="sbomgen-emulator",
        description="Serve a dataset (or a recorded snapshot) as the Mend HTTP API, on "
        "loopback by default.",
        epilog="Example: sbomgen-emulator --dataset samples/acme-dataset --port 8080 "
        "--user-key demo-org-admin; then MEND_URL=http://127.0.0.1:8080 "
        "MEND_USER_KEY=demo-org-admin MEND_ORG_TOKEN=<the organization token it prints> "
        "sbomgen generate --org --out out/",
    )
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", type=Path, help="dataset directory (holds dataset.json)")
    source.add_argument(
        "--snapshot", type=Path, help="serve a snapshot recorded by 'sbomgen fetch'"
    )
    source.add_argument(
        "--generate", type=int, metavar="N", help="serve a generated dataset of N libraries"
    )
    ap.add_argument("--org-token", help="organization token to accept (default: the dataset's)")
    ap.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    ap.add_argument(
        "--port", type=int, default=8080, help="port (0 picks a free one; default 8080)"
    )
    ap.add_argument(
        "--user-key", action="append", default=[], help="an organization-admin user key"
    )
    ap.add_argument(
        "--product-admin-key",
        action="append",
        default=[],
        metavar="KEY=PRODUCT_TOKEN[,PRODUCT_TOKEN]",
        help="a product-admin user key and the products it administers",
    )
    ap.add_argument(
        "--latency", type=float, default=0.0, help="seconds to wait before every answer"
    )
    ap.add_argument(
        "--fault", action="append", default=[], help="KIND[:REQUEST_TYPE[:TIMES]] to inject"
    )
    ap.add_argument(
        "--alerts-key",
        default=None,
        choices=["alerts", "apiAlertInfo"],
        help="the alerts list key (default: apiAlertInfo in v1.2 shapes, alerts in v1.4)",
    )
    ap.add_argument(
        "--ignored-alerts",
        default="reference",
        choices=["reference", "named"],
        help="ignored alerts' shape: the reference's (the comment in library.comments, no "
        "project named; default) or the SDKs' (the comment beside the library, the project's "
        "name)",
    )
    ap.add_argument(
        "--api-versions",
        default=",".join(contract.VERSIONS),
        help="API versions served, comma-separated (others answer 404); "
        f"default {','.join(contract.VERSIONS)}",
    )
    ap.add_argument(
        "--v13-shapes",
        default="1.4",
        choices=["1.2", "1.4"],
        help="response shapes of v1.3, which has no reference page (default 1.4)",
    )
    ap.add_argument(
        "--fault-rate",
        type=float,
        default=0.0,
        help="fail this share of requests at random (0.15: 15%%), each with a kind drawn "
        "from 429, 5xx, bodies cut short (with and without a matching Content-Length), "
        "a proxy's HTML page, resets, dropped connections, errorCode 3000, slow answers",
    )
    ap.add_argument("--fault-seed", type=int, default=0, help="seed of the random faults")
    reports = ap.add_argument_group(
        "async reports (each ambiguity of reports-async-api.md, either way)"
    )
    reports.add_argument(
        "--async-sequence",
        default="PENDING,IN_PROGRESS,SUCCESS",
        help="statuses after generate, then after each poll (the last one stays; end with "
        "IN_PROGRESS for a report that never finishes, FAILED for one that fails)",
    )
    reports.add_argument(
        "--product-sbom-token", default="either", choices=["productToken", "projectToken", "either"]
    )
    reports.add_argument(
        "--product-sbom-sync",
        default="off",
        choices=["off", "file", "zip"],
        help="answer a ProductSBOMReport request with the report itself",
    )
    reports.add_argument(
        "--download-layout", default="zip-one", choices=["zip-one", "zip-many", "bare"]
    )
    reports.add_argument(
        "--hostile-zip",
        default=None,
        choices=sorted(hostile_cases()),
        help="serve a hostile archive",
    )
    reports.add_argument(
        "--async-failure-reason",
        default=None,
        metavar="TEXT",
        help="the reason a FAILED status carries (as errorMessage; default: none, as the "
        "reference documents no field for it)",
    )
    reports.add_argument("--async-product-admin", default="own", choices=["refuse", "own", "any"])
    reports.add_argument("--context-id", default="string", choices=["string", "number"])
    reports.add_argument("--async-dates", default="padded", choices=["padded", "unpadded"])
    reports.add_argument(
        "--format-rule", default="documented", choices=["documented", "async-list"]
    )
    reports.add_argument("--max-depth-spdx", default="refuse", choices=["refuse", "ignore"])
    reports.add_argument(
        "--spdx-underscores",
        action="store_true",
        help="keep '_' of file names in native SPDX ids (invalid ids, for validators)",
    )
    ap.add_argument(
        "--lenient-params",
        action="store_true",
        help="accept parameters the reference does not name (default: refuse them)",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    dataset: Dataset | None = None
    snapshot: SnapshotReplay | None = None
    try:
        if args.dataset is not None:
            dataset = Dataset.load(args.dataset)
        elif args.generate is not None:
            dataset = Dataset(generate_dataset(args.generate), {})
        else:
            snapshot = SnapshotReplay(args.snapshot)
    except (DatasetError, InputDataError) as exc:
        print(f"sbomgen-emulator: {exc}", file=sys.stderr)
        return 6
    users = [User(k, ORG_ADMIN) for k in args.user_key or ["emulator-org-admin"]]
    for spec in args.product_admin_key:
        key, _, products = spec.partition("=")
        users.append(User(key, PRODUCT_ADMIN, frozenset(p for p in products.split(",") if p)))
    emulator = Emulator(
        dataset,
        users,
        snapshot=snapshot,
        org_token=args.org_token or (None if dataset else "snapshot-org-token"),
        latency=args.latency,
        alerts_key=args.alerts_key,
        ignored_shape=args.ignored_alerts,
        versions=emulator_versions(args.api_versions),
        v13_shapes=args.v13_shapes,
        strict_params=not args.lenient_params,
        fault_rate=args.fault_rate,
        fault_seed=args.fault_seed,
        async_options=AsyncOptions(
            sequence=tuple(x.strip().upper() for x in args.async_sequence.split(",") if x.strip()),
            product_sbom_token=args.product_sbom_token,
            product_sbom_sync=args.product_sbom_sync,
            download_layout=args.download_layout,
            hostile_zip=args.hostile_zip,
            product_admin=args.async_product_admin,
            context_id=args.context_id,
            dates=args.async_dates,
            format_rule=args.format_rule,
            max_depth_spdx=args.max_depth_spdx,
            spdx_underscores=args.spdx_underscores,
            failure_reason=args.async_failure_reason,
        ),
    )
    for spec in args.fault:
        emulator.inject(_fault(spec))
    url = emulator.start(args.host, args.port)
    what = dataset.org_name if dataset else f"snapshot {args.snapshot}"
    served = sorted(
        emulator_versions(args.api_versions), key=lambda v: tuple(map(int, v.split(".")))
    )
    apis = ", ".join(f"{url}/api/v{v}" for v in reversed(served)) or f"{url} (no API version)"
    print(f"Mend API emulator serving {what} at {apis}", flush=True)
    print(f"organization token: {emulator.org_token}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    emulator.stop()
    return 0


def emulator_versions(option: str) -> tuple[str, ...]:
    """The API versions --api-versions names."""
    return tuple(v.strip() for v in option.split(",") if v.strip())


if __name__ == "__main__":
    sys.exit(main())
