"""The pipeline as one function: sources → enrichers → emitters → files.

>>> from sbomgen.pipeline import SnapshotSource, run
>>> from sbomgen.emit.cyclonedx import CycloneDxJson
>>> result = run(SnapshotSource(Path("samples/acme")), emitters=[CycloneDxJson()], out=Path("out"))

Nothing is written unless every emitter produced a valid document; then all files are
written atomically together.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from sbomgen._gc import paused
from sbomgen._io import OutputDir, staged_directory
from sbomgen.emit.interface import DocumentMeta, Emitter, OwnFile
from sbomgen.enrich.licenses import LicenseEnricher, LicenseNormalizer, LicensePolicy
from sbomgen.enrich.producers import ProducerEnricher
from sbomgen.enrich.purl import PurlEnricher
from sbomgen.enrich.texts import TextEnricher
from sbomgen.enrich.vex import VexEnricher, VexMap
from sbomgen.errors import ConfigError
from sbomgen.model import Inventory
from sbomgen.sources.client import MendClient
from sbomgen.sources.fetcher import Fetcher, FetchScope, NullObserver, Observer, report_progress
from sbomgen.sources.snapshot import Scope, SnapshotRecorder, SnapshotReplay, now_utc

log = logging.getLogger(__name__)


class Source(Protocol):
    """Where an inventory comes from."""

    def load(self, observer: Observer) -> Inventory: ...

    def describe(self) -> str: ...


class Enricher(Protocol):
    def enrich(self, inventory: Inventory) -> Inventory: ...


def default_enrichers(
    policy: LicensePolicy | None = None,
    operator: str = "OR",
    *,
    supplier: str | None = None,
    vex_map: VexMap | None = None,
) -> list[Enricher]:
    """Package URLs first (curations and the VEX map may name a purl), then what people
    decided about vulnerabilities, then licenses, their texts, and who made and supplies
    each library (``supplier``: the organization's own name)."""
    return [
        PurlEnricher(),
        VexEnricher(vex_map),
        LicenseEnricher(LicenseNormalizer(policy, operator)),
        TextEnricher(),
        ProducerEnricher(supplier),
    ]


@dataclass
class MendSource:
    """Live: fetch from a Mend server."""

    client: MendClient
    scope: FetchScope
    concurrency: int = 8
    cache: Path | None = None  # keep unchanged projects' trees here (--cache)

    def load(self, observer: Observer) -> Inventory:
        return fetch_live(self.client, self.scope, observer, self.concurrency, self.cache)

    def describe(self) -> str:
        return self.client.display_url


@dataclass
class SnapshotSource:
    """Replay a recorded snapshot, optionally narrowed to some of its products/projects."""

    directory: Path
    products: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    also: tuple[Path, ...] = ()  # more snapshots, each read whole, merged into one inventory

    def load(self, observer: Observer) -> Inventory:
        inventory = self._load_one(self.directory, observer)
        for directory in self.also:
            inventory = inventory.merge(SnapshotSource(directory)._load_one(directory, observer))
        return inventory

    def _load_one(self, directory: Path, observer: Observer) -> Inventory:
        replay = SnapshotReplay(directory)
        recorded = replay.scope
        for option, param, asked in (
            ("--product", "productToken", self.products),
            ("--project", "projectToken", self.projects),
        ):
            known = replay.recorded_tokens(param)
            for token in asked:
                if token not in known:
                    raise ConfigError(
                        f"{option} {token}: not in snapshot {directory}, which recorded "
                        f"{recorded.describe()}; give one that is in it, or leave {option} out"
                    )
        scope = FetchScope(
            products=self.products or recorded.products,
            projects=self.projects or recorded.projects,
            org=recorded.org and not self.products,
        )
        inventory = Fetcher(replay, observer).fetch(scope)
        if replay.org_name and not inventory.org_name:
            inventory = Inventory(
                org_name=replay.org_name,
                products=inventory.products,
                projects=inventory.projects,
                libraries=inventory.libraries,
                license_texts=inventory.license_texts,
            )
        return inventory

    def describe(self) -> str:
        return ", ".join(str(d) for d in (self.directory, *self.also))


@dataclass
class RunResult:
    inventory: Inventory
    written: list[Path] = field(default_factory=list)
    emitters: list[Emitter] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # what was rendered, by name
    removed: list[Path] = field(default_factory=list)  # stale files of an earlier run
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase


def timestamp() -> tuple[datetime, bool]:
    """The document time: SOURCE_DATE_EPOCH when set (reproducible), else now."""
    reproducible = bool(os.environ.get("SOURCE_DATE_EPOCH"))
    return now_utc().astimezone(timezone.utc), reproducible


def default_name(inventory: Inventory) -> str:
    if len(inventory.products) == 1:
        return next(iter(inventory.products.values())).name
    if not inventory.products and len(inventory.projects) == 1:
        return next(iter(inventory.projects.values())).name
    return inventory.org_name or "mend-inventory"


def file_stem(name: str) -> str:
    from sbomgen.names import file_stem as stem_of

    return stem_of(name)


def checksums_file(files: dict[str, bytes]) -> bytes:
    """SHA256SUMS in the format ``sha256sum -c`` reads: hash, two spaces, path."""
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in sorted(files.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def documents(
    inventory: Inventory,
    emitters: Sequence[Emitter],
    meta: DocumentMeta,
    *,
    split: bool = False,
    observer: Observer | None = None,
) -> dict[str, bytes]:
    """Render every emitter, once for the scope or once per product (``split``)."""
    from sbomgen.sources.fetcher import report_progress

    files: dict[str, bytes] = {}
    parts = 1 if not split or len(inventory.products) <= 1 else len(inventory.products)
    total, done = len(emitters) * parts, 0
    report_progress(observer, "render", "render and validate", done, total)

    def rendered(emitter: Emitter, part: Inventory, part_meta: DocumentMeta) -> None:
        nonlocal done
        files.update(emitter.render(part, part_meta))  # each validates, or raises
        done += 1
        report_progress(observer, "render", "render and validate", done, total)

    if parts == 1:
        for emitter in emitters:
            rendered(emitter, inventory, meta)
        return files
    stems: set[str] = set()
    for product in sorted(inventory.products.values(), key=lambda p: (p.name, p.token)):
        part = inventory.restricted_to(product.projects)
        stem = file_stem(product.name)
        # case-insensitive file systems (macOS, Windows) see "Acme" and "ACME" as one name
        while stem.casefold() in stems:
            stem += "-" + hashlib.sha256(product.token.encode()).hexdigest()[:6]
        stems.add(stem.casefold())
        product_meta = replace(
            meta, name=product.name, file_stem=stem, bundle_dir=f"attribution/{stem}"
        )
        for emitter in emitters:
            rendered(emitter, part, product_meta)
    return files


def build(
    source: Source,
    *,
    emitters: Sequence[Emitter],
    enrichers: Sequence[Enricher] | None = None,
    observer: Observer | None = None,
    name: str | None = None,
    version: str | None = None,
    authors: tuple[str, ...] = (),
    supplier: str | None = None,
    own_license: str | None = None,
    own_license_text: str | None = None,
    own_copyright: str | None = None,
    supplier_contact: str | None = None,
    versions: Mapping[str, str] | None = None,
    own_files: Mapping[str, OwnFile] | None = None,
    own_identifiers: Mapping[str, tuple[str, ...]] | None = None,
    split: bool = False,
    checksums: bool = True,
    timings: dict[str, float] | None = None,
) -> RunResult:
    """Load, enrich, render and validate every document; write nothing."""
    timings = {} if timings is None else timings
    observer = observer or NullObserver()
    started = time.perf_counter()
    loaded = source.load(observer)
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    report_progress(
        observer, "enrich", f"merge and enrich {len(loaded.libraries):,} libraries", 0, 1
    )
    with paused():  # large acyclic structures: the cycle collector only costs time here
        inventory = enrich(loaded, enrichers)
    report_progress(
        observer, "enrich", f"merge and enrich {len(loaded.libraries):,} libraries", 1, 1
    )
    timings["enrich"] = time.perf_counter() - started
    started = time.perf_counter()
    named = {p.name for p in inventory.products.values()} | {
        p.name for p in inventory.projects.values()
    }
    for unknown in sorted(set(versions or {}) - named):
        log.warning("[versions]: no product or project named %r in the scope; ignored", unknown)
    when, reproducible = timestamp()
    doc_name = name or default_name(inventory)
    for table, given in (("files", own_files), ("identifiers", own_identifiers)):
        for unknown in sorted(set(given or {}) - named - {doc_name}):
            log.warning(
                "[%s]: nothing named %r in the scope (a product, a project, or the document's "
                "name %r); ignored",
                table,
                unknown,
                doc_name,
            )
    meta = DocumentMeta(
        name=doc_name,
        version=version,
        timestamp=when,
        reproducible=reproducible,
        file_stem=file_stem(doc_name),
        authors=authors,
        supplier=supplier,
        license=own_license,
        license_text=own_license_text,
        copyright=own_copyright,
        supplier_contact=supplier_contact,
        versions=dict(versions or {}),
        files=dict(own_files or {}),
        identifiers=dict(own_identifiers or {}),
    )
    with paused():
        files = documents(inventory, emitters, meta, split=split, observer=observer)
    if checksums and files:
        files["SHA256SUMS"] = checksums_file(files)
    timings["render_validate"] = time.perf_counter() - started
    return RunResult(inventory=inventory, emitters=list(emitters), files=files, timings=timings)


def run(
    source: Source,
    *,
    emitters: Sequence[Emitter],
    out: Path,
    owner: str = "generate",
    force: bool = False,
    **kwargs: Any,
) -> RunResult:
    """:func:`build`, then write every file atomically into ``out``, which sbomgen owns:
    files an earlier run of the same command wrote there and this run did not are removed,
    and a file sbomgen did not write is not replaced unless ``force``."""
    result = build(source, emitters=emitters, **kwargs)
    started = time.perf_counter()
    outcome = OutputDir(out, owner=owner, force=force).write(result.files)
    result.timings["write"] = time.perf_counter() - started
    result.written, result.removed = outcome.written, outcome.removed
    return result


def enrich(inventory: Inventory, enrichers: Sequence[Enricher] | None = None) -> Inventory:
    for enricher in default_enrichers() if enrichers is None else enrichers:
        inventory = enricher.enrich(inventory)
    return inventory


def fetch_live(
    client: MendClient,
    scope: FetchScope,
    observer: Observer | None = None,
    concurrency: int = 8,
    cache: Path | None = None,
    *,
    wrap: Any = None,
) -> Inventory:
    """Fetch from a server; with ``cache``, unchanged projects' trees come from there.
    ``wrap`` (a snapshot recorder's constructor) sees every answer, cached or not."""
    from sbomgen.sources.cache import CachingTransport

    caching = CachingTransport(client, cache) if cache is not None else None
    transport: Any = caching or client
    if wrap is not None:
        transport = wrap(transport)
    inventory = Fetcher(transport, observer or NullObserver(), concurrency=concurrency).fetch(scope)
    if caching is not None:
        caching.save()
        if observer is not None:
            observer.note(
                f"--cache: {caching.hits} project answer{'s' if caching.hits != 1 else ''} "
                f"reused, {caching.misses} asked"
            )
    return inventory


def record(
    client: MendClient,
    scope: FetchScope,
    out: Path,
    observer: Observer | None = None,
    *,
    concurrency: int = 8,
    cache: Path | None = None,
) -> Inventory:
    """Fetch live and record a snapshot into ``out`` (replaced only on success)."""
    with staged_directory(out) as staging:
        recorders: list[SnapshotRecorder] = []

        def wrap(inner: Any) -> SnapshotRecorder:
            recorders.append(SnapshotRecorder(inner, staging))
            return recorders[0]

        inventory = fetch_live(client, scope, observer, concurrency, cache, wrap=wrap)
        recorder = recorders[0]
        recorder.write_manifest(
            Scope(products=scope.products, projects=scope.projects, org=scope.org),
            inventory.org_name,
        )
    return inventory
