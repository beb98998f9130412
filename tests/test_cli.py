"""The CLI as users run it: a subprocess, real files, the emulator over HTTP."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from conftest import (
    ORG_ADMIN_KEY,
    PRODUCT_ADMIN_KEY,
    SAMPLE_SNAPSHOT,
    Mend,
    all_files,
    clean_env,
    names,
    read_json,
    run_cli,
)

from sbomgen.errors import (
    ConfigError,
    InputDataError,
    MendApiError,
    MendConnectionError,
)


def _one_line_error(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.startswith("sbomgen: ")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_missing_credentials_names_the_variable(tmp_path: Path, mini: Mend) -> None:
    env = clean_env()
    env["MEND_URL"] = mini.url
    result = run_cli("generate", "--product", "p", "--out", tmp_path / "out", env=env, cwd=tmp_path)
    assert result.code == ConfigError.exit_code == 3
    assert "MEND_USER_KEY" in _one_line_error(result.stderr)
    assert not (tmp_path / "out").exists()
    assert mini.emulator.stats()["total"] == 0


def test_missing_url_is_named(tmp_path: Path) -> None:
    result = run_cli("generate", "--product", "p", "--out", tmp_path / "out", cwd=tmp_path)
    assert result.code == 3
    assert "MEND_URL" in _one_line_error(result.stderr)


def test_org_without_org_token_names_the_variable(tmp_path: Path, mini: Mend) -> None:
    result = run_cli("inventory", "--org", env=mini.env(org=False), cwd=tmp_path)
    assert result.code == 3
    assert "MEND_ORG_TOKEN" in _one_line_error(result.stderr)


def test_wrong_key_gives_code_message_and_request_type(tmp_path: Path, mini: Mend) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "generate",
        "--product",
        mini.product_tokens[0],
        "--out",
        out,
        env=mini.env(key="uk-wrong-0000"),
        cwd=tmp_path,
    )
    assert result.code == MendApiError.exit_code == 4
    line = _one_line_error(result.stderr)
    assert "errorCode 5001" in line and "getProductTags" in line and "not allowed" in line
    assert "uk-wrong-0000" not in result.stderr
    assert not out.exists()


def test_wrong_product_token(tmp_path: Path, mini: Mend) -> None:
    result = run_cli("inventory", "--product", "no-such-product", env=mini.env(), cwd=tmp_path)
    assert result.code == 4
    assert "errorCode 1003" in _one_line_error(result.stderr)


def test_unreachable_server_names_url_and_request(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = clean_env()
    env.update(MEND_URL=f"http://127.0.0.1:{port}/api/v1.3", MEND_USER_KEY="uk-secret-unreach")
    out = tmp_path / "out"
    result = run_cli(
        "generate", "--retries", "3", "--product", "p", "--out", out, env=env, cwd=tmp_path
    )
    assert result.code == MendConnectionError.exit_code == 5
    line = _one_line_error(result.stderr)
    assert f"http://127.0.0.1:{port}" in line and "getProductTags" in line
    # nothing ever answered there: a refusal is final, not retried
    assert "failed at once" in line and "refused the connection" in line
    assert "WARNING" not in result.stderr  # no "retry 1 of 3" line
    assert "uk-secret-unreach" not in result.stderr
    assert not out.exists()


def test_broken_snapshot_names_file_and_field(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    snap.mkdir()
    (snap / "manifest.json").write_text(
        json.dumps({"format": "sbomgen-snapshot", "formatVersion": 1})
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--snapshot", snap, "--out", out, cwd=tmp_path)
    assert result.code == InputDataError.exit_code == 6
    line = _one_line_error(result.stderr)
    assert "manifest.json" in line and "'scope'" in line
    assert not out.exists()


def test_traceback_only_with_verbose(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    args = ("generate", "--snapshot", empty, "--out", tmp_path / "o")
    quiet = run_cli(*args, cwd=tmp_path)
    assert quiet.code == 6 and "Traceback" not in quiet.stderr
    for verbose in (("-v", *args), (*args, "-v")):  # a global option before or after the command
        result = run_cli(*verbose, cwd=tmp_path)
        assert result.code == 6
        assert "Traceback" in result.stderr


def test_fetch_then_generate_from_snapshot(tmp_path: Path, mini: Mend) -> None:
    snap = tmp_path / "snap"
    result = run_cli(
        "fetch", "--product", mini.product_tokens[0], "--out", snap, env=mini.env(), cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    manifest = read_json(snap / "manifest.json")
    assert manifest["scope"] == {"products": [mini.product_tokens[0]], "projects": [], "org": False}
    assert manifest["server"] == mini.url
    out = tmp_path / "out"
    result = run_cli("generate", "--snapshot", snap, "--out", out, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert names(out) == [
        "Mini-Product.cdx.json",
        "Mini-Product.spdx.json",
        "SHA256SUMS",
    ]


def test_failed_fetch_leaves_no_partial_snapshot(tmp_path: Path, mini: Mend) -> None:
    from sbomgen.emulator import Fault

    mini.emulator.inject(
        Fault(kind="error", code=4001, message="late failure", request_type="getNoticesTextFile")
    )
    snap = tmp_path / "snap"
    result = run_cli(
        "fetch", "--product", mini.product_tokens[0], "--out", snap, env=mini.env(), cwd=tmp_path
    )
    assert result.code == 4
    assert list(tmp_path.iterdir()) == []


def test_fetch_replaces_an_old_snapshot_only_on_success(tmp_path: Path, mini: Mend) -> None:
    from sbomgen.emulator import Fault

    snap = tmp_path / "snap"
    product = mini.product_tokens[0]
    assert (
        run_cli("fetch", "--product", product, "--out", snap, env=mini.env(), cwd=tmp_path).code
        == 0
    )
    before = {p.name: p.read_bytes() for p in snap.rglob("*") if p.is_file()}
    mini.emulator.inject(
        Fault(kind="error", code=4001, message="x", request_type="getProjectInventory")
    )
    assert (
        run_cli("fetch", "--product", product, "--out", snap, env=mini.env(), cwd=tmp_path).code
        == 4
    )
    assert {p.name: p.read_bytes() for p in snap.rglob("*") if p.is_file()} == before
    assert run_cli("fetch", "--org", "--out", snap, env=mini.env(), cwd=tmp_path).code == 0
    assert read_json(snap / "manifest.json")["scope"]["org"] is True  # type: ignore[index]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]


@pytest.mark.parametrize(
    ("url_var", "key_var", "org_var"),
    [
        ("WS_URL", "WS_USERKEY", "WS_ORG_TOKEN"),
        ("WS_WSS_URL", "WS_USER_KEY", "WS_APIKEY"),
        ("MEND_URL", "MEND_USER_KEY", "WS_TOKEN"),
    ],
)
def test_environment_aliases(
    tmp_path: Path, mini: Mend, url_var: str, key_var: str, org_var: str
) -> None:
    env = clean_env()
    env[url_var] = mini.url + ("/agent" if url_var == "WS_WSS_URL" else "")
    env[key_var] = ORG_ADMIN_KEY
    env[org_var] = mini.org_token
    result = run_cli("inventory", "--org", env=env, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "projects" in result.stdout


def test_config_file_and_precedence(tmp_path: Path, mini: Mend, start_emulator) -> None:  # type: ignore[no-untyped-def]
    from conftest import MINI_DATASET

    other = start_emulator(MINI_DATASET)
    (tmp_path / "sbomgen.toml").write_text(
        f'url = "{other.url}"\nproduct = ["{mini.product_tokens[0]}"]\nout = "from-config"\n'
    )
    env = clean_env()
    env["MEND_USER_KEY"] = ORG_ADMIN_KEY
    # file only: url, product and out come from the file
    assert run_cli("generate", env=env, cwd=tmp_path).code == 0
    assert (tmp_path / "from-config" / "Mini-Product.cdx.json").is_file()
    assert other.emulator.stats()["total"] > 0 and mini.emulator.stats()["total"] == 0
    # environment beats the file
    env["MEND_URL"] = mini.url
    assert run_cli("inventory", env=env, cwd=tmp_path).code == 0
    assert mini.emulator.stats()["total"] > 0
    # a flag beats the environment
    before = other.emulator.stats()["total"]
    assert run_cli("inventory", "--url", other.url, env=env, cwd=tmp_path).code == 0
    assert other.emulator.stats()["total"] > before


def test_pyproject_tool_table(tmp_path: Path, mini: Mend) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\n\n[tool.sbomgen]\nproduct = "{mini.product_tokens[0]}"\n'
    )
    result = run_cli("inventory", env=mini.env(), cwd=tmp_path)
    assert result.code == 0, result.stderr


def test_credentials_in_config_need_explicit_permission(tmp_path: Path, mini: Mend) -> None:
    (tmp_path / "sbomgen.toml").write_text(
        f'url = "{mini.url}"\nuser-key = "{ORG_ADMIN_KEY}"\nproduct = "{mini.product_tokens[0]}"\n'
    )
    refused = run_cli("inventory", cwd=tmp_path)
    assert refused.code == 3
    line = _one_line_error(refused.stderr)
    assert "--allow-config-credentials" in line and ORG_ADMIN_KEY not in refused.stderr
    assert run_cli("--allow-config-credentials", "inventory", cwd=tmp_path).code == 0


def test_unknown_config_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text('urll = "x"\n')
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT, cwd=tmp_path)
    assert result.code == 3
    assert "urll" in _one_line_error(result.stderr)


def test_no_secret_anywhere_at_debug_level(tmp_path: Path, mini: Mend) -> None:
    """fetch, generate and inventory at -vv: neither the user key nor the org token shows."""
    env = mini.env(key=ORG_ADMIN_KEY)
    outputs = []
    snap, out = tmp_path / "snap", tmp_path / "out"
    for args in (
        ("-vv", "fetch", "--org", "--out", snap),
        ("-vv", "generate", "--org", "--out", out),
        ("-vv", "inventory", "--org"),
        ("-vv", "generate", "--snapshot", snap, "--out", tmp_path / "replayed"),
    ):
        result = run_cli(*args, env=env, cwd=tmp_path)
        assert result.code == 0, result.stderr
        outputs.append(result.stdout + result.stderr)
    assert "DEBUG" in outputs[0] and "getOrganizationDetails" in outputs[0]
    secrets = (ORG_ADMIN_KEY, mini.org_token)
    for text in outputs:
        for secret in secrets:
            assert secret not in text
    files = all_files(tmp_path)
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, path


def test_determinism_same_bytes_twice(tmp_path: Path) -> None:
    env = clean_env()
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", a, env=env).code == 0
    assert run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", b, env=env).code == 0
    files_a, files_b = all_files(a), all_files(b)
    assert [p.name for p in files_a] == [p.name for p in files_b] and files_a
    for fa, fb in zip(files_a, files_b, strict=True):
        assert fa.read_bytes() == fb.read_bytes()
    doc = read_json(a / "Acme-Corp.cdx.json")
    assert doc["metadata"]["timestamp"] == "2023-11-14T22:13:20+00:00"  # type: ignore[index]


def test_product_admin_generates_without_org_token(tmp_path: Path, mini: Mend) -> None:
    result = run_cli(
        "generate",
        "--product",
        mini.product_tokens[0],
        "--out",
        tmp_path / "out",
        env=mini.env(key=PRODUCT_ADMIN_KEY, org=False),
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    assert not [rt for rt in mini.emulator.counts if rt.startswith("getOrganization")]
