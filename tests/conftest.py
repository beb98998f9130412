"""Shared fixtures: the Mend API emulator on loopback, datasets, and a CLI runner.

Every HTTP test talks to a real :class:`~sbomgen.emulator.Emulator` over a socket;
nothing patches ``requests``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from sbomgen.emit.interface import DocumentMeta
from sbomgen.emulator import PRODUCT_ADMIN, Dataset, Emulator, User
from sbomgen.model import Inventory
from sbomgen.pipeline import SnapshotSource, default_enrichers, enrich
from sbomgen.sources.client import Credentials, MendClient, RetryPolicy
from sbomgen.sources.fetcher import NullObserver

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATASET = ROOT / "samples" / "acme-dataset"
SAMPLE_SNAPSHOT = ROOT / "samples" / "acme"
MINI_DATASET = ROOT / "tests" / "data" / "mini"

# Distinctive credentials, so that a leak anywhere is found by a plain substring search.
ORG_ADMIN_KEY = "uk-orgadmin-7c1f0e5d9b2a4c68"
PRODUCT_ADMIN_KEY = "uk-prodadmin-3e8b6a1d0f4c2e97"


@dataclass
class Mend:
    """A running emulator and what a test needs to talk to it."""

    emulator: Emulator
    dataset: Dataset
    url: str

    @property
    def org_token(self) -> str:
        return self.dataset.org_token

    @property
    def product_tokens(self) -> list[str]:
        return [p.token for p in self.dataset.products]

    @property
    def project_tokens(self) -> list[str]:
        return [pr.token for p in self.dataset.products for pr in p.projects]

    def client(
        self, *, key: str = ORG_ADMIN_KEY, org: bool = True, attempts: int = 3
    ) -> MendClient:
        slept: list[float] = []
        client = MendClient(
            self.url,
            Credentials(user_key=key, org_token=self.org_token if org else None),
            policy=RetryPolicy(attempts=attempts, backoff=0.01),
            sleep=slept.append,
        )
        client.slept = slept  # type: ignore[attr-defined]
        return client

    def env(self, *, key: str = ORG_ADMIN_KEY, org: bool = True) -> dict[str, str]:
        env = clean_env()
        env["MEND_URL"] = self.url
        env["MEND_USER_KEY"] = key
        if org:
            env["MEND_ORG_TOKEN"] = self.org_token
        return env


def clean_env() -> dict[str, str]:
    """The environment without any Mend setting of the developer's own."""
    prefixes = ("MEND_", "WS_", "SOURCE_DATE_EPOCH", "SBOMGEN_")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


def _start(dataset_dir: Path, **kwargs: object) -> Iterator[Mend]:
    dataset = Dataset.load(dataset_dir)
    users = [
        User(ORG_ADMIN_KEY),
        User(PRODUCT_ADMIN_KEY, PRODUCT_ADMIN, frozenset({dataset.products[0].token})),
    ]
    emulator = Emulator(dataset, users, **kwargs)  # type: ignore[arg-type]
    url = emulator.start()
    try:
        yield Mend(emulator=emulator, dataset=dataset, url=url)
    finally:
        emulator.stop()


@pytest.fixture
def acme() -> Iterator[Mend]:
    """The bundled sample organization, served over HTTP."""
    yield from _start(SAMPLE_DATASET)


@pytest.fixture
def mini() -> Iterator[Mend]:
    """A five-library organization for targeted cases."""
    yield from _start(MINI_DATASET)


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., Mend]]:
    """Start an emulator with custom options (latency, alerts key, dataset)."""
    running: list[Iterator[Mend]] = []  # keep the generators alive until teardown

    def start(dataset_dir: Path = SAMPLE_DATASET, **kwargs: object) -> Mend:
        gen = _start(dataset_dir, **kwargs)
        running.append(gen)
        return next(gen)

    yield start
    for gen in running:
        next(gen, None)


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> CliResult:
    """Run ``python -m sbomgen`` as a user would, in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "sbomgen", *map(str, args)],
        env=env if env is not None else clean_env(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_cli


def read_json(path: Path) -> dict[str, object]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def all_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


def names(directory: Path) -> list[str]:
    """What a user sees in an output directory: its entries, without sbomgen's manifest
    of the files it owns there (a dot file)."""
    return sorted(p.name for p in directory.iterdir() if p.name != ".sbomgen-manifest.json")


# -- emitter fixtures ----------------------------------------------------------------------

FIXED_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def sample() -> Inventory:
    """The bundled sample, replayed and enriched, with the supplier the meta fixture names."""
    return enrich(
        SnapshotSource(SAMPLE_SNAPSHOT).load(NullObserver()),
        default_enrichers(supplier="Acme Corp"),
    )


@pytest.fixture(scope="session")
def meta() -> DocumentMeta:
    """A release's description of itself, as a config file would give it."""
    return DocumentMeta(
        name="Acme Corp",
        version="2.4.0",
        timestamp=FIXED_TIME,
        reproducible=True,
        file_stem="Acme-Corp",
        authors=("Acme Release Engineering",),
        supplier="Acme Corp",
        license="LicenseRef-Acme-Proprietary-License",
        copyright="Copyright 2026 Acme Corp",
    )


SAMPLE_RELEASE = ROOT / "samples" / "acme-release.toml"


def release_facts(meta: DocumentMeta) -> DocumentMeta:
    """``meta`` with everything the sample release knows of its own software, as its config
    file (samples/acme-release.toml) gives it: supplier-contact, [files] (name, URL,
    SHA-512, kind) and [identifiers] (Package URLs, a CPE) of the root, every product and
    every project, read by the CLI's own readers."""
    from sbomgen.cli.output import own_files, own_identifiers
    from sbomgen.config import load_file_config

    cfg = load_file_config(SAMPLE_RELEASE)
    return replace(
        meta,
        supplier_contact=cfg.get("supplier-contact"),
        files=own_files(cfg),
        identifiers=own_identifiers(cfg),
    )


@pytest.fixture(scope="session")
def released(meta: DocumentMeta) -> DocumentMeta:
    return release_facts(meta)


# generated organizations for the equivalence corpora: (libraries, products, projects each)
GENERATED_SIZES = [(40, 1, 2), (400, 2, 3), (2000, 1, 6)]


@pytest.fixture(scope="module", params=GENERATED_SIZES)
def generated(request: pytest.FixtureRequest) -> Iterator[Inventory]:
    """Each generated organization, for a module's equivalence tests (the fast writers)."""
    with generated_org(*request.param) as inventory:
        yield inventory


@contextmanager
def generated_org(libraries: int, products: int, projects: int) -> Iterator[Inventory]:
    """A synthetic organization served by the emulator, fetched over HTTP and enriched."""
    from sbomgen.emulator.generate import generate_dataset
    from sbomgen.sources.fetcher import Fetcher, FetchScope

    data = generate_dataset(
        libraries=libraries, products=products, projects_per_product=projects, seed=libraries
    )
    emulator = Emulator(Dataset(data, {}), [User(ORG_ADMIN_KEY)])
    url = emulator.start()
    try:
        with MendClient(url, Credentials(ORG_ADMIN_KEY, data["organization"]["orgToken"])) as c:
            inventory = Fetcher(c, concurrency=4).fetch(FetchScope(org=True))
        yield enrich(inventory, default_enrichers(supplier="Generated Org"))
    finally:
        emulator.stop()


def spdx3_element_checks(data: dict[str, Any], size: int) -> Any:
    """The streaming SPDX 3 writer's element checks (emit/spdx3_fast.py) run over a
    document's ``@graph`` in parts of ``size`` items, the types of the other parts known
    by id, as the writer runs them; returns the checks (``certified``)."""
    from sbomgen.emit.spdx3_fast import ElementChecks

    items = data["@graph"]
    ids = [i.get("spdxId", i.get("@id")) if isinstance(i, dict) else None for i in items]
    kinds = {x: i.get("type") for x, i in zip(ids, items, strict=True) if isinstance(x, str)}
    checks = ElementChecks(kinds.get)
    if len(kinds) != len(ids):  # the writer gives every element an id, once
        checks.certified = False
    for start in range(0, len(items), size):
        checks(items[start : start + size])
    return checks
