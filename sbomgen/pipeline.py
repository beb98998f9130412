"""The pipeline as one function: sources → enrichers → emitters → files.

>>> from sbomgen.pipeline import SnapshotSource, run
>>> from sbomgen.emit.cyclonedx import CycloneDxJson
>>> result = run(SnapshotSource(Path("samples/acme")), emitters=[CycloneDxJson()], out=Path("out"))

Nothing is written unless every emitter produced a valid document; then all files are
written atomically together.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from sbomgen._io import staged_directory, write_all
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.enrich.licenses import LicenseEnricher, LicenseNormalizer, LicensePolicy
from sbomgen.enrich.producers import ProducerEnricher
from sbomgen.enrich.purl import PurlEnricher
from sbomgen.enrich.texts import TextEnricher
from sbomgen.errors import ConfigError
from sbomgen.model import Inventory
from sbomgen.sources.client import MendClient
from sbomgen.sources.fetcher import Fetcher, FetchScope, NullObserver, Observer
from sbomgen.sources.snapshot import Scope, SnapshotRecorder, SnapshotReplay, now_utc


class Source(Protocol):
    """Where an inventory comes from."""

    def load(self, observer: Observer) -> Inventory: ...

    def describe(self) -> str: ...


class Enricher(Protocol):
    def enrich(self, inventory: Inventory) -> Inventory: ...


def default_enrichers(
    policy: LicensePolicy | None = None, operator: str = "OR", *, supplier: str | None = None
) -> list[Enricher]:
    """Package URLs first (curations may name a purl), then licenses, then their texts,
    then who made and supplies each library (``supplier``: the organization's own name)."""
    return [
        PurlEnricher(),
        LicenseEnricher(LicenseNormalizer(policy, operator)),
        TextEnricher(),
        ProducerEnricher(supplier),
    ]


@dataclass
class MendSource:
    """Live: fetch from a Mend server."""

    client: MendClient
    scope: FetchScope

    def load(self, observer: Observer) -> Inventory:
        return Fetcher(self.client, observer).fetch(self.scope)

    def describe(self) -> str:
        return self.client.display_url


@dataclass
class SnapshotSource:
    """Replay a recorded snapshot, optionally narrowed to some of its products/projects."""

    directory: Path
    products: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()

    def load(self, observer: Observer) -> Inventory:
        replay = SnapshotReplay(self.directory)
        recorded = replay.scope
        for p in self.products:
            if p not in recorded.products and not recorded.org:
                raise ConfigError(
                    f"product {p} is not in snapshot {self.directory} (scope {recorded.to_json()})"
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
        return str(self.directory)


@dataclass
class RunResult:
    inventory: Inventory
    written: list[Path] = field(default_factory=list)
    emitters: list[Emitter] = field(default_factory=list)


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
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return stem or "sbom"


def checksums_file(files: dict[str, bytes]) -> bytes:
    """SHA256SUMS in the format ``sha256sum -c`` reads: hash, two spaces, path."""
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in sorted(files.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def documents(
    inventory: Inventory, emitters: Sequence[Emitter], meta: DocumentMeta, *, split: bool = False
) -> dict[str, bytes]:
    """Render every emitter, once for the scope or once per product (``split``)."""
    files: dict[str, bytes] = {}
    if not split or len(inventory.products) <= 1:
        for emitter in emitters:
            files.update(emitter.render(inventory, meta))  # each validates, or raises
        return files
    stems: set[str] = set()
    for product in sorted(inventory.products.values(), key=lambda p: (p.name, p.token)):
        part = inventory.restricted_to(product.projects)
        stem = file_stem(product.name)
        while stem in stems:
            stem += "-" + hashlib.sha256(product.token.encode()).hexdigest()[:6]
        stems.add(stem)
        product_meta = replace(
            meta, name=product.name, file_stem=stem, bundle_dir=f"attribution/{stem}"
        )
        for emitter in emitters:
            files.update(emitter.render(part, product_meta))
    return files


def run(
    source: Source,
    *,
    emitters: Sequence[Emitter],
    out: Path,
    enrichers: Sequence[Enricher] | None = None,
    observer: Observer | None = None,
    name: str | None = None,
    version: str | None = None,
    authors: tuple[str, ...] = (),
    supplier: str | None = None,
    own_license: str | None = None,
    own_license_text: str | None = None,
    own_copyright: str | None = None,
    split: bool = False,
    checksums: bool = True,
) -> RunResult:
    """Load, enrich, render and validate every document, then write them all atomically."""
    observer = observer or NullObserver()
    inventory = enrich(source.load(observer), enrichers)
    when, reproducible = timestamp()
    doc_name = name or default_name(inventory)
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
    )
    files = documents(inventory, emitters, meta, split=split)
    if checksums and files:
        files["SHA256SUMS"] = checksums_file(files)
    owned = sorted(
        {str(Path(name).parent) for name in files if Path(name).parent.name == "licenses"}
    )
    written = write_all(out, files, replace_dirs=owned)
    return RunResult(inventory=inventory, written=written, emitters=list(emitters))


def enrich(inventory: Inventory, enrichers: Sequence[Enricher] | None = None) -> Inventory:
    for enricher in default_enrichers() if enrichers is None else enrichers:
        inventory = enricher.enrich(inventory)
    return inventory


def record(
    client: MendClient, scope: FetchScope, out: Path, observer: Observer | None = None
) -> Inventory:
    """Fetch live and record a snapshot into ``out`` (replaced only on success)."""
    with staged_directory(out) as staging:
        recorder = SnapshotRecorder(client, staging)
        inventory = Fetcher(recorder, observer or NullObserver()).fetch(scope)
        recorder.write_manifest(
            Scope(products=scope.products, projects=scope.projects, org=scope.org),
            inventory.org_name,
        )
    return inventory
