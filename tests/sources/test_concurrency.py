"""Concurrent fetching over real HTTP: the requests it makes, the order it keeps, the
limits it honours. Nothing here times anything: the emulator counts what it served."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from conftest import ORG_ADMIN_KEY

from sbomgen.emulator import Dataset, Emulator, Fault, User
from sbomgen.emulator.generate import generate_dataset
from sbomgen.errors import MendApiError
from sbomgen.model import Inventory, Library
from sbomgen.pipeline import record
from sbomgen.sources.client import Credentials, MendClient, RetryPolicy, shorten_token
from sbomgen.sources.fetcher import Fetcher, FetchScope, Jobs

PROJECTS = 12


@pytest.fixture(scope="module")
def org() -> Iterator[tuple[Emulator, str]]:
    data = generate_dataset(
        libraries=400, products=3, projects_per_product=PROJECTS, per_project=40, seed=7
    )
    emulator = Emulator(Dataset(data, {}), [User(ORG_ADMIN_KEY)], latency=0.01)
    url = emulator.start()
    try:
        yield emulator, url
    finally:
        emulator.stop()


def _client(url: str, emulator: Emulator) -> MendClient:
    return MendClient(
        url,
        Credentials(ORG_ADMIN_KEY, emulator.dataset.org_token),
        policy=RetryPolicy(attempts=3, backoff=0.01),
    )


def _fetch(emulator: Emulator, url: str, scope: FetchScope, concurrency: int) -> Inventory:
    emulator.reset()
    with _client(url, emulator) as client:
        return Fetcher(client, concurrency=concurrency).fetch(scope)


def test_a_product_takes_one_request_per_project_plus_ten(
    org: tuple[Emulator, str],
) -> None:
    emulator, url = org
    product = emulator.dataset.products[0].token
    inventory = _fetch(emulator, url, FetchScope(products=(product,)), 6)
    counts = dict(emulator.counts)
    # ten product-level requests, the ignored alerts among them (no alert is ignored here,
    # so no project is asked for its own)
    assert sum(counts.values()) == PROJECTS + 10, counts
    assert "getProductProjectTags" not in counts  # no document states a project's tags
    assert counts["getProjectHierarchy"] == PROJECTS
    assert "getProjectInventory" not in counts  # every tree places every library
    assert len(inventory.projects) == PROJECTS
    # the match type is still known: from the library locations
    assert all(
        loc.match_type == "SHA1" for lib in inventory.libraries.values() for loc in lib.locations
    )
    assert any(lib.locations for lib in inventory.libraries.values())


@pytest.mark.parametrize("concurrency", [2, 8])
def test_the_inventory_does_not_depend_on_concurrency(
    org: tuple[Emulator, str], concurrency: int
) -> None:
    emulator, url = org
    serial = _fetch(emulator, url, FetchScope(org=True), 1)
    assert emulator.peak_in_flight >= 1
    emulator.peak_in_flight = 0
    parallel = _fetch(emulator, url, FetchScope(org=True), concurrency)
    assert parallel == serial
    assert list(parallel.libraries) == list(serial.libraries)
    assert list(parallel.projects) == list(serial.projects)
    # never more requests in flight than asked for; and they did run side by side
    assert 2 <= emulator.peak_in_flight <= concurrency


def test_a_recorded_snapshot_does_not_depend_on_concurrency(
    org: tuple[Emulator, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator, url = org
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    trees = []
    for concurrency in (1, 8):
        out = tmp_path / f"snap-{concurrency}"
        with _client(url, emulator) as client:
            record(client, FetchScope(org=True), out, concurrency=concurrency)
        trees.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert trees[0] == trees[1]


def test_the_first_failure_in_request_order_is_reported(org: tuple[Emulator, str]) -> None:
    """Every project's tree fails for good; whichever answer comes first, the error names
    the first project of the vitals, every time."""
    emulator, url = org
    product = emulator.dataset.products[0]
    first = emulator.dataset.project_vitals(product.projects[0])["token"]
    for _ in range(3):
        emulator.reset()
        emulator.inject(
            Fault(kind="error", request_type="getProjectHierarchy", code=2002, times=1000)
        )
        with _client(url, emulator) as client, pytest.raises(MendApiError) as info:
            Fetcher(client, concurrency=8).fetch(FetchScope(products=(product.token,)))
        emulator.reset()
        assert info.value.request_type == "getProjectHierarchy"
        assert info.value.subject == f"projectToken {shorten_token(first)}"


def test_a_429_pauses_every_thread(org: tuple[Emulator, str]) -> None:
    """Retry-After holds back the other threads too (one limiter for the client)."""
    emulator, url = org
    slept: list[float] = []
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            slept.append(seconds)

    client = MendClient(
        url,
        Credentials(ORG_ADMIN_KEY, emulator.dataset.org_token),
        policy=RetryPolicy(attempts=3, backoff=0.01),
        sleep=sleep,
    )
    token = emulator.dataset.products[0].token
    emulator.inject(Fault(kind="429", retry_after=30, times=1))
    with client:
        client.call("getProductTags", {"productToken": token})  # the 429, then success
        assert slept == [30.0]
        other: list[BaseException] = []

        def call() -> None:
            try:
                client.call("getProductTags", {"productToken": token})
            except BaseException as exc:  # reported below
                other.append(exc)

        thread = threading.Thread(target=call)
        thread.start()
        thread.join()
    assert not other
    # the second thread never got a 429, yet it waited for what was left of the pause
    assert len(slept) == 2 and 25.0 < slept[1] <= 30.0, slept
    emulator.reset()


def test_jobs_cancel_what_has_not_started() -> None:
    jobs = Jobs(1)
    assert jobs.submit(lambda: 3).result() == 3  # one worker: runs in the caller
    gate = threading.Event()
    jobs = Jobs(2)
    started = [jobs.submit(gate.wait) for _ in range(2)]
    waiting = [jobs.submit(lambda: 1) for _ in range(5)]
    jobs.close(wait=False)
    gate.set()
    assert all(f.result(timeout=10) for f in started)
    assert all(f.cancelled() for f in waiting)


@pytest.mark.parametrize("concurrency", [1, 8])
def test_what_the_fetcher_merges_as_sparse_states_nothing_else(
    org: tuple[Emulator, str], concurrency: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Library.merge_stating merges only what a sighting states: every
    sighting the fetcher hands it (the locations answer's, the text files') states nothing
    else, and there are some of each."""
    from sbomgen.model import SPARSE_FIELDS, states_only
    from sbomgen.sources.fetcher import _Sightings

    taken: list[Library] = []
    take_sparse = _Sightings.take_sparse

    def watched(self: _Sightings, libs: Iterable[Library]) -> None:
        libs = list(libs)
        taken.extend(libs)
        take_sparse(self, libs)

    monkeypatch.setattr(_Sightings, "take_sparse", watched)
    emulator, url = org
    inventory = _fetch(emulator, url, FetchScope(org=True), concurrency)
    assert inventory.libraries
    assert all(states_only(lib, SPARSE_FIELDS) for lib in taken)
    said = {p.request_type for lib in taken for p in lib.provenance}
    assert said == {"getProductLibraryLocations", "getCopyrightsTextFile", "getNoticesTextFile"}
