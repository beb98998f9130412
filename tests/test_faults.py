"""Faults survived: a shaky server, a dead one, signals mid-run, two runs at once.

The seeded fault runs go through the real pipeline and the real HTTP client against the
emulator on loopback, in-process, with the client's waits shortened (its sleep function);
``bench/faults.py`` runs the long version (200 seeds) through the CLI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ORG_ADMIN_KEY, SAMPLE_DATASET, Mend, clean_env, run_cli

from sbomgen.emit.factory import make_emitters
from sbomgen.emulator.server import RANDOM_FAULTS
from sbomgen.pipeline import MendSource, build, default_enrichers
from sbomgen.sources.client import Credentials, MendClient, RetryPolicy
from sbomgen.sources.fetcher import FetchScope

SEEDS = int(os.environ.get("SBOMGEN_FAULT_SEEDS", "20"))
RATE = 0.15


def _generate(mend: Mend, scope: FetchScope) -> dict[str, bytes]:
    client = MendClient(
        mend.url,
        Credentials(user_key=ORG_ADMIN_KEY, org_token=mend.org_token),
        policy=RetryPolicy(read_timeout=0.5, backoff=0.01),  # the default 5 attempts
        sleep=lambda _seconds: None,
    )
    with client:
        result = build(
            MendSource(client, scope),
            emitters=make_emitters(["cyclonedx-json", "spdx-json"]),
            enrichers=default_enrichers(),
        )
    return result.files


def _scope(mend: Mend, which: str) -> FetchScope:
    return (
        FetchScope(org=True) if which == "org" else FetchScope(products=(mend.product_tokens[0],))
    )


EPOCH = "1700000000"


@pytest.fixture(scope="module")
def clean() -> dict[str, dict[str, bytes]]:
    """The fault-free outputs, to compare every faulty run with."""
    from conftest import _start

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        gen = _start(SAMPLE_DATASET)
        mend = next(gen)
        try:
            return {which: _generate(mend, _scope(mend, which)) for which in ("product", "org")}
        finally:
            gen.close()


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


stats: list[tuple[str, int, int]] = []  # (scope, seed, faults injected)


@pytest.mark.parametrize("which", ["product", "org"])
@pytest.mark.parametrize("seed", range(SEEDS))
def test_generate_survives_random_faults_byte_for_byte(
    clean: dict[str, dict[str, bytes]], start_emulator: Any, seed: int, which: str
) -> None:
    mend: Mend = start_emulator(SAMPLE_DATASET, fault_rate=RATE, fault_seed=seed, fault_delay=0.8)
    files = _generate(mend, _scope(mend, which))
    assert files == clean[which]
    stats.append((which, seed, sum(mend.emulator.random_faults.values())))


def test_the_seeded_runs_met_faults(
    clean: dict[str, dict[str, bytes]], start_emulator: Any
) -> None:
    """Across the seeds, at RATE, the runs did meet faults (a run of the org scope makes
    about 60 requests, one product's about 20)."""
    total = 0
    for seed in range(SEEDS):
        mend = start_emulator(SAMPLE_DATASET, fault_rate=RATE, fault_seed=seed, fault_delay=0.8)
        assert _generate(mend, _scope(mend, "org")) == clean["org"]
        total += sum(mend.emulator.random_faults.values())
        requests = sum(mend.emulator.counts.values())
        mend.emulator.stop()
        assert requests > 40
    assert total > SEEDS * 4


def test_every_fault_kind_is_injected_and_survived(
    clean: dict[str, dict[str, bytes]], start_emulator: Any
) -> None:
    seen: set[str] = set()
    for seed in range(100, 100 + SEEDS):
        mend = start_emulator(SAMPLE_DATASET, fault_rate=0.3, fault_seed=seed, fault_delay=0.8)
        try:
            files = _generate(mend, _scope(mend, "product"))
        except Exception as exc:  # 30%: a request may fail five times; never a traceback's kind
            from sbomgen.errors import SbomgenError

            assert isinstance(exc, SbomgenError), exc
        else:
            assert files == clean["product"]
            seen |= set(mend.emulator.random_faults)
        mend.emulator.stop()
    assert seen == set(RANDOM_FAULTS)


def test_a_dead_server_fails_clearly_and_leaves_nothing(
    tmp_path: Path, start_emulator: Any
) -> None:
    mend = start_emulator(SAMPLE_DATASET, fault_rate=1.0, fault_kinds=("503",))
    out, snap = tmp_path / "out", tmp_path / "snap"
    result = run_cli(
        "generate",
        "--retries",
        "1",
        "--product",
        mend.product_tokens[0],
        "--out",
        out,
        env=mend.env(),
    )
    assert result.code == 5
    lines = [x for x in result.stderr.splitlines() if x.startswith("sbomgen: error:")]
    assert lines == [
        f"sbomgen: error: getProductTags to {mend.url} failed after 2 attempts: HTTP 503 Service Unavailable"
    ]
    assert "Traceback" not in result.stderr and not out.exists()
    fetched = run_cli(
        "fetch",
        "--retries",
        "0",
        "--product",
        mend.product_tokens[0],
        "--out",
        snap,
        env=mend.env(),
    )
    assert fetched.code == 5 and not snap.exists()
    assert list(tmp_path.iterdir()) == []  # no staging folder either


def test_the_failure_budget_abandons_a_silent_server(start_emulator: Any) -> None:
    """A server that accepts and never answers: two read timeouts spend the budget."""
    mend = start_emulator(SAMPLE_DATASET, fault_rate=1.0, fault_kinds=("timeout",), fault_delay=3)
    client = MendClient(
        mend.url,
        Credentials(user_key=ORG_ADMIN_KEY),
        policy=RetryPolicy(attempts=20, read_timeout=0.5, backoff=0.01, budget=1.0),
        sleep=lambda _s: None,
    )
    from sbomgen.errors import MendConnectionError

    with (
        client,
        pytest.raises(MendConnectionError, match="its budget of 1s: the server is given up"),
    ):
        client.call("getProductTags", {"productToken": mend.product_tokens[0]})
    assert mend.emulator.counts["getProductTags"] <= 3  # not 20 attempts


def _interrupt(
    tmp_path: Path, mend: Mend, command: list[str], sig: int
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "sbomgen", *command],
        env=mend.env(),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while sum(mend.emulator.counts.values()) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # mid-fetch: some requests answered, more to come
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.parametrize("command", ["generate", "fetch"])
def test_a_signal_mid_fetch_leaves_no_partial_artifact(
    tmp_path: Path, start_emulator: Any, sig: int, code: int, command: str
) -> None:
    mend = start_emulator(SAMPLE_DATASET, latency=0.2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("kept\n")
    result = _interrupt(tmp_path, mend, [command, "--org", "--out", str(out / "target")], sig)
    assert result.returncode == code, result.stderr
    assert "nothing was left half-written" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["earlier.txt"]


def test_a_signal_mid_render_leaves_no_partial_artifact(
    tmp_path: Path, start_emulator: Any
) -> None:
    """A large organization: the signal lands while documents are rendered and validated."""
    from sbomgen.emulator import Dataset, Emulator, User
    from sbomgen.emulator.generate import generate_dataset

    emulator = Emulator(Dataset(generate_dataset(1500), {}), [User(ORG_ADMIN_KEY)])
    url = emulator.start()
    try:
        env = clean_env()
        env.update(MEND_URL=url, MEND_USER_KEY=ORG_ADMIN_KEY, MEND_ORG_TOKEN=emulator.org_token)
        out = tmp_path / "out"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sbomgen",
                "generate",
                "--org",
                "--format",
                "all",
                "--out",
                str(out),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        total = None
        while time.monotonic() < deadline:
            counts = emulator.stats()["total"]
            if total is not None and counts == total and counts > 10:
                break  # the fetch is over: rendering
            total = counts
            time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        emulator.stop()
    assert proc.returncode == 143, err
    assert not out.exists()  # the directory it created is gone again, nothing half-written


def test_two_runs_into_one_directory_cannot_interleave(tmp_path: Path, start_emulator: Any) -> None:
    mend = start_emulator(SAMPLE_DATASET, latency=0.1)
    out = tmp_path / "out"
    # one request at a time: the run lasts a few seconds, long enough to be caught
    command = ["generate", "--org", "--out", str(out), "--concurrency", "1"]
    first = subprocess.Popen(
        [sys.executable, "-m", "sbomgen", *command],
        env=mend.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while sum(mend.emulator.counts.values()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    second = run_cli("generate", "--org", "--out", out, env=mend.env())
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert second.code == 8
    assert "another sbomgen run is writing into" in second.stderr
