"""Regression tests for defects a review found (each was demonstrated before the fix)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    MINI_DATASET,
    ORG_ADMIN_KEY,
    PRODUCT_ADMIN_KEY,
    SAMPLE_SNAPSHOT,
    Mend,
    clean_env,
    run_cli,
)

from sbomgen._io import write_all
from sbomgen.emulator import PRODUCT_ADMIN, Emulator, User
from sbomgen.errors import InputDataError, OutputError
from sbomgen.model import KeyUuid, ProjectToken
from sbomgen.sources.fetcher import Fetcher, FetchScope
from sbomgen.sources.parse import Ctx, parse_vulnerability
from sbomgen.sources.snapshot import SnapshotReplay


def test_fetch_refuses_to_replace_a_directory_that_is_not_a_snapshot(
    tmp_path: Path, mini: Mend
) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = run_cli(
        "fetch", "--product", mini.product_tokens[0], "--out", ".", env=mini.env(), cwd=tmp_path
    )
    assert result.code == OutputError.exit_code == 8
    assert "not empty" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_gzip_compressed_answers_are_read(start_emulator) -> None:  # type: ignore[no-untyped-def]
    mend = start_emulator(MINI_DATASET, gzip=True)
    with mend.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(mend.product_tokens[0],)))
    assert len(inventory.libraries) == 5


def test_direct_wins_when_a_library_is_also_nested(mini: Mend) -> None:
    """other-app lists ms at the top level and under debug: ms is direct there."""
    with mini.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(org=True))
    ms = inventory.libraries[KeyUuid("k-ms")]
    assert ms.is_direct_in(ProjectToken("proj-bbbb-2222")) is True
    assert ms.is_direct_in(ProjectToken("proj-aaaa-1111")) is False


def test_write_all_undoes_renames_when_one_fails(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.json").write_text("old a")
    (out / "b.json").mkdir()  # a directory where a file should go
    with pytest.raises(OutputError, match="in the way"):
        write_all(out, {"a.json": b"new a", "b.json": b"new b"})
    assert (out / "a.json").read_text() == "old a"
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]


def test_write_all_cleans_up_on_any_exception(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(TypeError):
        write_all(out, {"a.json": b"x", "b.json": "not bytes"})  # type: ignore[dict-item]
    assert not out.exists()


@pytest.mark.parametrize("url", ["https://saas.mend.io:44x3", "http://[::1"])
def test_unparseable_url_is_a_config_error(tmp_path: Path, url: str) -> None:
    env = clean_env()
    env["MEND_USER_KEY"] = "k"
    result = run_cli("inventory", "--url", url, "--product", "p", env=env, cwd=tmp_path)
    assert result.code == 3, result.stderr
    assert "not a valid URL" in result.stderr


def test_pyproject_with_odd_tool_key_is_a_config_error_or_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "x"\n')
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT, cwd=tmp_path)
    assert result.code == 0, result.stderr


def test_fetch_write_error_is_an_output_error(tmp_path: Path, mini: Mend) -> None:
    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    proc = subprocess.run(
        [sys.executable, "-m", "sbomgen", "fetch", "--org", "--out", str(tmp_path / "snap")],
        env=mini.env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=120,
    )
    assert proc.returncode == 8, proc.stderr
    assert "cannot write" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_scope_flags_replace_the_config_files_scope(tmp_path: Path) -> None:
    manifest = json.loads((SAMPLE_SNAPSHOT / "manifest.json").read_text())
    tags = [e for e in manifest["requests"] if e["requestType"] == "getProductProjectVitals"]
    first_product = tags[0]["params"]["productToken"]
    vitals = json.loads((SAMPLE_SNAPSHOT / tags[1]["file"]).read_text())
    project_of_second = vitals["projectVitals"][0]["token"]
    (tmp_path / "sbomgen.toml").write_text(f'product = ["{first_product}"]\n')
    result = run_cli(
        "inventory", "--snapshot", SAMPLE_SNAPSHOT, "--project", project_of_second, cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    assert "projects                                1" in result.stdout


def test_snapshot_emulator_checks_roles() -> None:
    replay = SnapshotReplay(SAMPLE_SNAPSHOT)
    product = replay.scope.products or tuple(
        e.params["productToken"]
        for e in replay._entries.values()
        if e.request_type == "getProductTags"
    )
    emulator = Emulator(
        None,
        [User(ORG_ADMIN_KEY), User(PRODUCT_ADMIN_KEY, PRODUCT_ADMIN, frozenset({product[0]}))],
        snapshot=replay,
        org_token="snap-org",
    )
    url = emulator.start()
    try:
        import requests

        def post(body: dict[str, object]) -> dict[str, object]:
            return requests.post(f"{url}/api/v1.4", json=body, timeout=10).json()  # type: ignore[no-any-return]

        denied = post(
            {
                "requestType": "getOrganizationDetails",
                "userKey": PRODUCT_ADMIN_KEY,
                "orgToken": "snap-org",
            }
        )
        assert denied["errorCode"] == 5001
        no_token = post({"requestType": "getOrganizationDetails", "userKey": ORG_ADMIN_KEY})
        assert no_token["errorCode"] == 2008  # a missing parameter, before any other check
        wrong = post(
            {"requestType": "getOrganizationDetails", "userKey": ORG_ADMIN_KEY, "orgToken": "x"}
        )
        assert wrong["errorCode"] == 2001
        other = post(
            {
                "requestType": "getProductTags",
                "userKey": PRODUCT_ADMIN_KEY,
                "productToken": product[1],
            }
        )
        assert other["errorCode"] == 5001
        own = post(
            {
                "requestType": "getProductTags",
                "userKey": PRODUCT_ADMIN_KEY,
                "productToken": product[0],
            }
        )
        assert "productTags" in own
    finally:
        emulator.stop()


def test_vulnerability_fix_errors_name_the_field_read() -> None:
    ctx = Ctx("getProductAlertsByType")
    with pytest.raises(InputDataError, match=r"'v\.vulnerabilityFix' should be an object"):
        parse_vulnerability(ctx, {"name": "CVE-1", "vulnerabilityFix": "upgrade to 2.0"}, "v")


def test_verbose_after_config_option_shows_traceback(tmp_path: Path) -> None:
    (tmp_path / "cfg.toml").write_text("")
    (tmp_path / "empty").mkdir()
    result = run_cli(
        "--config",
        tmp_path / "cfg.toml",
        "-v",
        "inventory",
        "--snapshot",
        tmp_path / "empty",
        cwd=tmp_path,
    )
    assert result.code == 6
    assert "Traceback" in result.stderr


def test_manifest_scope_must_be_lists(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "format": "sbomgen-snapshot",
                "formatVersion": 1,
                "scope": {"products": "abc"},
                "requests": [],
            }
        )
    )
    with pytest.raises(InputDataError, match=r"'scope\.products' should be a list"):
        SnapshotReplay(tmp_path)
