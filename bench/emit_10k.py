"""Benchmark: fetch, enrich, render and validate CycloneDX and SPDX for one large product.

Run from the repository root: ``python bench/emit_10k.py [--libraries N]``. Prints a table
of wall-clock seconds (time.perf_counter) and output sizes. The two pure-Python validators
known to be slow run in a forked child with a time limit.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from functools import partial
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from cyclonedx.output import make_outputter
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from sbomgen.emit.cyclonedx import build_bom
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.plan import plan_document
from sbomgen.emit.spdx import build_document, document_dict, schema_errors, serialize
from sbomgen.emit.validate import spdx_messages, validate_cyclonedx
from sbomgen.emulator import Dataset, Emulator, User
from sbomgen.emulator.generate import generate_dataset
from sbomgen.pipeline import enrich
from sbomgen.sources.client import Credentials, MendClient
from sbomgen.sources.fetcher import Fetcher, FetchScope

T = TypeVar("T")
ROWS: list[tuple[str, str, str, str]] = []


def timed(step: str, fn: Callable[[], T], size: Callable[[T], int] | None = None) -> T:
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    ROWS.append((step, f"{seconds:.3f}", str(size(result)) if size else "", ""))
    print(f"  {step}: {seconds:.3f} s", file=sys.stderr, flush=True)
    return result


def _child(fn: Callable[[], tuple[str, str]], conn: Connection) -> None:
    start = time.perf_counter()
    size, note = fn()
    conn.send((time.perf_counter() - start, size, note))
    conn.close()


def limited(step: str, fn: Callable[[], tuple[str, str]], limit: float) -> None:
    """Run fn in a forked child (it inherits the data); kill it after ``limit`` seconds.

    fn returns (bytes column, note column).
    """
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, child))
    proc.start()
    child.close()
    size, note = "", f"killed at the {limit:.0f} s limit"
    if parent.poll(limit):
        seconds, size, note = parent.recv()
        shown = f"{seconds:.3f}"
    else:
        shown = f">{limit:.0f}"
    proc.kill()
    proc.join()
    ROWS.append((step, shown, size, note))
    print(f"  {step}: {shown} s", file=sys.stderr, flush=True)


def fetch(data: dict[str, Any]) -> Any:
    emulator = Emulator(Dataset(data, {}), [User("bench-key")])
    url = emulator.start()
    try:
        token = data["products"][0]["token"]
        client = MendClient(url, Credentials("bench-key", data["organization"]["orgToken"]))
        with client:
            return timed(
                "fetch (emulator, loopback HTTP)",
                lambda: Fetcher(client).fetch(FetchScope(products=(token,))),
            )
    finally:
        emulator.stop()


def cdx_one(inventory: Any, meta: DocumentMeta, fmt: str, output: OutputFormat) -> Any:
    """Render (plan, build_bom, output_as_string) and validate one CycloneDX 1.6 document."""
    plan = timed(f"cdx-{fmt} render: plan_document", lambda: plan_document(inventory, meta))
    bom = timed(f"cdx-{fmt} render: build_bom", lambda: build_bom(plan))
    text = timed(
        f"cdx-{fmt} render: output_as_string",
        lambda: make_outputter(bom, output, SchemaVersion.V1_6).output_as_string(indent=2),
        lambda t: len(t.encode("utf-8")),
    )
    errors = timed(
        f"cdx-{fmt} validate (validate_cyclonedx)", lambda: validate_cyclonedx(text, fmt, "1.6")
    )
    ROWS[-1] = (*ROWS[-1][:3], f"{len(errors)} errors")
    return bom, text


def cyclonedx(inventory: Any, meta: DocumentMeta) -> dict[str, int]:
    bom, json_text = cdx_one(inventory, meta, "json", OutputFormat.JSON)
    cdx_one(inventory, meta, "xml", OutputFormat.XML)
    counts = {
        "cdx components (+1 metadata root)": len(bom.components),
        "cdx dependency entries": len(bom.dependencies),
        "cdx dependency edges": sum(len(d.dependencies) for d in bom.dependencies),
    }

    def strict() -> tuple[str, str]:
        result = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json_text)
        return "", "valid" if result is None else f"invalid: {result}"[:60]

    limited("cdx-json validate (JsonStrictValidator, pure Python)", strict, 600)
    return counts


def spdx(inventory: Any, meta: DocumentMeta, args: argparse.Namespace) -> dict[str, int]:
    plan = timed("spdx render: plan_document", lambda: plan_document(inventory, meta))
    document = timed("spdx render: build_document", lambda: build_document(plan, "2.3"))
    data = timed("spdx render: document_dict", lambda: document_dict(document, "2.3"))
    for fmt in ("json", "yaml", "xml", "tv"):
        timed(f"spdx-{fmt} render: serialize", partial(serialize, document, data, fmt), len)
    # rdflib's to_canonical_graph grows ~n^2.5 (100 s at 500 libraries): time-limited
    limited(
        "spdx-rdf render: serialize",
        lambda: (str(len(serialize(document, data, "rdf"))), ""),
        args.rdf_limit,
    )
    errors = timed(
        "spdx validate: schema_errors (jsonschema-rs)", lambda: schema_errors(data, "2.3")
    )
    ROWS[-1] = (*ROWS[-1][:3], f"{len(errors)} errors")
    limited(
        "spdx validate: spdx_messages (spdx-tools rules)",
        lambda: ("", f"{len(spdx_messages(document, 'SPDX-2.3'))} messages"),
        900,
    )
    # for comparison: spdx-tools called directly, without sbomgen's indexes (if any)
    limited(
        "spdx validate: validate_full_spdx_document (direct)",
        lambda: ("", f"{len(validate_full_spdx_document(document, 'SPDX-2.3'))} messages"),
        900,
    )
    return {
        "spdx packages": len(document.packages),
        "spdx relationships": len(document.relationships),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--libraries", type=int, default=10000)
    parser.add_argument("--rdf-limit", type=float, default=900, help="seconds (default 900)")
    args = parser.parse_args()
    data = timed(
        "generate_dataset",
        lambda: generate_dataset(libraries=args.libraries, products=1, projects_per_product=4),
    )
    inventory = fetch(data)
    inventory = timed("enrich (pipeline.enrich)", lambda: enrich(inventory))
    meta = DocumentMeta(
        name="Bench",
        version="1.0",
        timestamp=datetime(2024, 1, 1, tzinfo=timezone.utc),
        file_stem="bench",
    )
    counts = {
        "inventory libraries": len(inventory.libraries),
        "inventory projects": len(inventory.projects),
    }
    counts |= cyclonedx(inventory, meta)
    counts |= spdx(inventory, meta, args)

    print(f"\nsbomgen emit benchmark, --libraries {args.libraries}")
    print(f"python {platform.python_version()} ({platform.python_implementation()})")
    print(f"machine: {platform.machine()}, {platform.system()}, os.cpu_count()={os.cpu_count()}")
    for name, value in counts.items():
        print(f"{name}: {value}")
    width = max(len(r[0]) for r in ROWS)
    print(f"\n{'step':<{width}}  {'seconds':>9}  {'bytes':>11}  note")
    print("-" * (width + 40))
    for step, seconds, size, note in ROWS:
        print(f"{step:<{width}}  {seconds:>9}  {size:>11}  {note}".rstrip())


if __name__ == "__main__":
    main()
