"""--cache DIR over real HTTP: an unchanged project's tree is not asked again, a changed
one is, a tampered cache file is never used, and the output does not depend on it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ORG_ADMIN_KEY, clean_env, run_cli

from sbomgen.emulator import Dataset, Emulator, User
from sbomgen.emulator.generate import generate_dataset
from sbomgen.errors import ConfigError
from sbomgen.model import Inventory
from sbomgen.pipeline import fetch_live
from sbomgen.sources.cache import CachingTransport
from sbomgen.sources.client import Credentials, MendClient, RetryPolicy
from sbomgen.sources.fetcher import FetchScope

PROJECTS = 6


@pytest.fixture
def org() -> Iterator[tuple[Emulator, str]]:
    data = generate_dataset(libraries=200, products=2, projects_per_product=PROJECTS, seed=3)
    emulator = Emulator(Dataset(data, {}), [User(ORG_ADMIN_KEY)])
    url = emulator.start()
    try:
        yield emulator, url
    finally:
        emulator.stop()


def _fetch(emulator: Emulator, url: str, cache: Path | None) -> Inventory:
    emulator.reset()
    with MendClient(
        url,
        Credentials(ORG_ADMIN_KEY, emulator.dataset.org_token),
        policy=RetryPolicy(attempts=2, backoff=0.01),
    ) as client:
        return fetch_live(client, FetchScope(org=True), cache=cache, concurrency=4)


def test_unchanged_projects_are_not_asked_again(org: tuple[Emulator, str], tmp_path: Path) -> None:
    emulator, url = org
    cache = tmp_path / "cache"
    plain = _fetch(emulator, url, None)
    cold = _fetch(emulator, url, cache)
    assert emulator.counts["getProjectHierarchy"] == 2 * PROJECTS
    assert cold == plain
    warm = _fetch(emulator, url, cache)
    assert "getProjectHierarchy" not in emulator.counts  # every tree from the cache
    assert emulator.counts["getProductLicenses"] == 2  # product-level answers stay fresh
    assert warm == plain
    # Mend scans one project again: only its tree is asked for
    changed = emulator.dataset.products[1].projects[2]
    changed.raw["lastUpdatedDate"] = "2025-02-03 04:05:06"
    again = _fetch(emulator, url, cache)
    assert emulator.counts["getProjectHierarchy"] == 1
    assert again.projects[changed.token].last_updated == "2025-02-03 04:05:06"
    assert {k: v for k, v in again.libraries.items()} == dict(plain.libraries)
    index = json.loads((cache / "index.json").read_text())
    # one entry per request: the changed project's new answer replaced its old one
    assert index["format"] == "sbomgen-cache" and len(index["entries"]) == 2 * PROJECTS
    assert len(list((cache / "responses").iterdir())) == 2 * PROJECTS  # the old one is gone


def test_a_tampered_cache_file_is_asked_again(
    org: tuple[Emulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emulator, url = org
    cache = tmp_path / "cache"
    plain = _fetch(emulator, url, cache)
    index = json.loads((cache / "index.json").read_text())
    entry = next(iter(index["entries"].values()))
    (cache / entry["file"]).write_text('{"libraries": []}')
    again = _fetch(emulator, url, cache)
    assert emulator.counts["getProjectHierarchy"] == 1
    assert again == plain
    assert "was changed since it was stored" in caplog.text


def test_a_directory_that_is_not_a_cache_is_refused(
    org: tuple[Emulator, str], tmp_path: Path
) -> None:
    emulator, url = org
    (tmp_path / "index.json").write_text('{"something": "else"}')
    with (
        MendClient(url, Credentials(ORG_ADMIN_KEY, emulator.dataset.org_token)) as client,
        pytest.raises(ConfigError, match="not an sbomgen cache"),
    ):
        CachingTransport(client, tmp_path)


def test_generate_with_cache_gives_the_same_bytes_and_records_whole_snapshots(
    org: tuple[Emulator, str], tmp_path: Path
) -> None:
    emulator, url = org
    env = clean_env()
    env.update(
        MEND_URL=url,
        MEND_USER_KEY=ORG_ADMIN_KEY,
        MEND_ORG_TOKEN=emulator.dataset.org_token,
        SOURCE_DATE_EPOCH="1767225600",
    )
    cache = tmp_path / "cache"
    outs = []
    for n in range(3):
        out = tmp_path / f"out{n}"
        extra = ["--cache", str(cache)] if n else []
        result = run_cli("generate", "--org", "--out", out, *extra, "-q", env=env)
        assert result.code == 0, result.stderr
        outs.append({p.name: p.read_bytes() for p in out.iterdir() if p.is_file()})
    assert outs[0] == outs[1] == outs[2]
    # a snapshot recorded through a warm cache holds every answer, and replays the same
    emulator.reset()
    snap = tmp_path / "snap"
    result = run_cli("fetch", "--org", "--out", snap, "--cache", cache, env=env)
    assert result.code == 0, result.stderr
    assert "getProjectHierarchy" not in emulator.counts
    manifest = json.loads((snap / "manifest.json").read_text())
    assert sum(r["requestType"] == "getProjectHierarchy" for r in manifest["requests"]) == (
        2 * PROJECTS
    )
    replay = tmp_path / "replayed"
    result = run_cli("generate", "--snapshot", snap, "--out", replay, "-q", env=env)
    assert result.code == 0, result.stderr
    assert {p.name: p.read_bytes() for p in replay.iterdir() if p.is_file()} == outs[0]
    # the key is nowhere in the cache
    for path in cache.rglob("*"):
        if path.is_file():
            assert ORG_ADMIN_KEY.encode() not in path.read_bytes()
            assert emulator.dataset.org_token.encode() not in path.read_bytes()


def test_cache_with_a_snapshot_is_a_usage_mistake(tmp_path: Path) -> None:
    from conftest import SAMPLE_SNAPSHOT

    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--cache", tmp_path / "c", "--out", tmp_path
    )
    assert result.code == 3
    assert "--cache applies to a server" in result.stderr
