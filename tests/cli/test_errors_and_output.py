"""Errors that name the wrong input; an output directory checked before work and owned
through a manifest; names in any script. Real subprocesses, a real emulator."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    MINI_DATASET,
    ORG_ADMIN_KEY,
    SAMPLE_SNAPSHOT,
    Mend,
    clean_env,
    names,
    read_json,
    run_cli,
)

from sbomgen.names import ascii_id, file_stem


def _error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("sbomgen: error:")]
    assert len(lines) == 1, stderr
    return lines[0]


# -- errors that name the input --------------------------------------------------------------


def test_the_bad_one_of_two_product_tokens_is_named(tmp_path: Path, mini: Mend) -> None:
    good = mini.product_tokens[0]
    bad = "0123456789abcdef-not-a-product"
    result = run_cli("inventory", "--product", good, "--product", bad, env=mini.env(), cwd=tmp_path)
    assert result.code == 4
    line = _error_line(result.stderr)
    assert "productToken …roduct" in line  # the last six characters, as in the logs
    assert good[-6:] not in line


def test_a_mistyped_user_key_is_not_told_it_lacks_a_role(tmp_path: Path, mini: Mend) -> None:
    env = mini.env(key="uk-mistyped-0000000000")
    result = run_cli("inventory", "--product", mini.product_tokens[0], env=env, cwd=tmp_path)
    assert result.code == 4
    line = _error_line(result.stderr)
    assert "errorCode 5001" in line
    assert "a user key it does not know and for one that lacks the role" in line
    assert "Check the key in MEND_USER_KEY" in line
    assert "uk-mistyped-0000000000" not in result.stderr


def test_a_key_that_worked_is_told_it_lacks_the_role(mini: Mend) -> None:
    """A product admin's key works for its product; an organization call is then refused:
    the key is right, the role is not."""
    from conftest import PRODUCT_ADMIN_KEY

    from sbomgen.errors import MendNotAllowedError

    with mini.client(key=PRODUCT_ADMIN_KEY) as client:
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
        with pytest.raises(MendNotAllowedError) as info:
            client.call("getOrganizationProductVitals", {}, org_level=True)
    text = info.value.diagnostics()
    assert "the user key works, but lacks the role for getOrganizationProductVitals" in text
    assert "does not know" not in text


def test_the_snapshot_scope_in_words(tmp_path: Path) -> None:
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT, "--product", "deadbeef")
    assert result.code == 3
    line = _error_line(result.stderr)
    assert "--product deadbeef: not in snapshot" in line and "the whole organization" in line
    assert "{" not in line and "'products'" not in line


def test_missing_files_are_named_cleanly(tmp_path: Path) -> None:
    for option in ("--license-map", "--template-dir", "--snapshot"):
        result = run_cli(
            "attribution",
            "--snapshot",
            SAMPLE_SNAPSHOT,
            option,
            tmp_path / "nope",
            "--out",
            tmp_path / "o",
        )
        assert result.code == 2, (option, result.stderr)
        assert f"Invalid value for '{option}'" in result.stderr and "nope" in result.stderr
        assert "Errno" not in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / "o").exists()


def test_a_url_without_scheme_on_a_plain_http_server_fails_at_once_with_the_fix(
    tmp_path: Path, mini: Mend
) -> None:
    host_port = mini.url.removeprefix("http://")
    env = mini.env()
    env["MEND_URL"] = host_port
    started = time.monotonic()
    result = run_cli("inventory", "--product", mini.product_tokens[0], env=env, cwd=tmp_path)
    assert result.code == 5
    line = _error_line(result.stderr)
    assert "failed at once" in line and "TLS handshake" in line
    assert f"--url http://{host_port}" in line
    assert "WARNING" not in result.stderr  # not retried
    assert time.monotonic() - started < 60  # (a sanity bound, not a timing assertion)


def test_an_unknown_host_fails_at_once(tmp_path: Path) -> None:
    try:
        socket.getaddrinfo("no-such-host.invalid", 80)
    except socket.gaierror as exc:
        if exc.errno == socket.EAI_AGAIN:
            pytest.skip("this machine's resolver cannot answer (a temporary failure is retried)")
    env = clean_env()
    env.update(MEND_URL="http://no-such-host.invalid", MEND_USER_KEY="uk-dns-1234567")
    result = run_cli("inventory", "--product", "p", env=env, cwd=tmp_path)
    assert result.code == 5
    line = _error_line(result.stderr)
    assert "does not resolve" in line and "no-such-host.invalid" in line
    assert "WARNING" not in result.stderr


def test_retries_0_is_one_attempt(tmp_path: Path, mini: Mend) -> None:
    """--retries 0 against a server that keeps failing: one request, and the message says
    "after 1 attempt" (not "1 attempts")."""
    from sbomgen.emulator import Fault

    fault = mini.emulator.inject(Fault(kind="503", times=100))
    result = run_cli(
        "inventory", "--product", mini.product_tokens[0], "--retries", "0", env=mini.env()
    )
    assert result.code == 5, result.stderr
    line = _error_line(result.stderr)
    assert "failed after 1 attempt: HTTP 503" in line
    assert "attempts" not in line and "WARNING" not in result.stderr  # no retry
    # the product's first requests go out together; each of them was sent once
    sent = [request for request, _ in mini.emulator.log]
    assert sent and len(sent) == len(set(sent)) == fault.fired
    assert {status for _, status in mini.emulator.log} == {503}


# -- check before work, own the output -----------------------------------------------------


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_an_unwritable_out_fails_before_any_request(tmp_path: Path, mini: Mend) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run_cli(
            "generate", "--product", mini.product_tokens[0], "--out", locked / "o", env=mini.env()
        )
    finally:
        locked.chmod(0o700)
    assert result.code == 8 and "cannot write to --out" in result.stderr
    assert mini.emulator.log == []


def test_an_out_under_a_file_fails_before_any_request(tmp_path: Path, mini: Mend) -> None:
    """Unwritable for anyone, root included: a directory cannot be made under a file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    result = run_cli(
        "generate", "--product", mini.product_tokens[0], "--out", blocker / "o", env=mini.env()
    )
    assert result.code == 8, result.stderr
    assert "cannot write to --out" in _error_line(result.stderr)
    assert mini.emulator.log == []  # not one request was made


def test_an_out_that_is_a_file_fails_before_any_request(tmp_path: Path, mini: Mend) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = run_cli(
        "generate", "--product", mini.product_tokens[0], "--out", target, env=mini.env()
    )
    assert result.code in (2, 8), result.stderr
    assert mini.emulator.log == []
    assert target.read_text() == "x"


def test_a_second_run_removes_what_the_first_wrote_and_this_one_does_not(tmp_path: Path) -> None:
    out = tmp_path / "o"
    first = run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "all", "--out", out)
    assert first.code == 0
    assert "Acme-Corp.spdx.rdf.xml" in names(out) and (out / "attribution").is_dir()
    second = run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out)
    assert second.code == 0, second.stderr
    assert names(out) == ["Acme-Corp.cdx.json", "Acme-Corp.spdx.json", "SHA256SUMS"]
    assert "removed" in second.stderr
    listed = sorted(
        line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines()
    )
    assert listed == ["Acme-Corp.cdx.json", "Acme-Corp.spdx.json"]  # the directory, exactly


def test_files_sbomgen_did_not_write_are_not_replaced_without_force(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "Acme-Corp.cdx.json").write_text("mine\n")
    (out / "notes.txt").write_text("keep me\n")
    refused = run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out)
    assert refused.code == 8
    line = _error_line(refused.stderr)
    assert "Acme-Corp.cdx.json" in line and "--force" in line
    assert (out / "Acme-Corp.cdx.json").read_text() == "mine\n"
    assert not (out / "Acme-Corp.spdx.json").exists()  # all or nothing
    forced = run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out, "--force")
    assert forced.code == 0
    assert (out / "Acme-Corp.cdx.json").read_text() != "mine\n"
    assert (out / "notes.txt").read_text() == "keep me\n"  # untouched: not in the way
    # a file sbomgen wrote and a person then changed is no longer sbomgen's
    (out / "Acme-Corp.spdx.json").write_text("edited\n")
    again = run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out)
    assert again.code == 8 and "Acme-Corp.spdx.json" in again.stderr


def test_generate_and_attribution_share_an_out_directory(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    assert run_cli("attribution", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    assert run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    # each command removes only what it wrote itself
    assert names(out) == ["Acme-Corp.cdx.json", "Acme-Corp.spdx.json", "SHA256SUMS", "attribution"]
    manifest = read_json(out / ".sbomgen-manifest.json")
    owners = {v["owner"] for v in manifest["files"].values()}  # type: ignore[union-attr]
    assert owners == {"generate", "attribution"}


# -- names -----------------------------------------------------------------------------------


def test_unicode_names_keep_their_letters_in_files_and_become_ascii_ids(tmp_path: Path) -> None:
    out = tmp_path / "o"
    name = "Ünïcode Prodüct 日本"
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--name", name, "--format", "all", "--out", out
    )
    assert result.code == 0, result.stderr
    assert "Ünïcode-Prodüct-日本.cdx.json" in names(out)
    assert "Ünïcode-Prodüct-日本.spdx.json" in names(out)
    spdx = read_json(out / "Ünïcode-Prodüct-日本.spdx.json")
    ids = [spdx["SPDXID"], *(p["SPDXID"] for p in spdx["packages"])]  # type: ignore[union-attr]
    assert all(i.isascii() for i in ids)
    root = next(
        r["relatedSpdxElement"]
        for r in spdx["relationships"]
        if r["relationshipType"] == "DESCRIBES"
    )  # type: ignore[union-attr, index]
    assert root.startswith("SPDXRef-Root-Unicode-Product-RiBen-")
    assert spdx["name"] == name
    assert str(spdx["documentNamespace"]).isascii()
    validate = run_cli("validate", *sorted(p for p in out.iterdir() if p.name.startswith("Ü")))
    assert validate.code == 0, validate.stdout


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Acme Corp", "Acme-Corp"),
        ("Ünïcode Prodüct 日本", "Ünïcode-Prodüct-日本"),
        ('a<b>c:d"e/f\\g|h?i*j', "a-b-c-d-e-f-g-h-i-j"),
        ("CON", "CON-"),
        ("lpt1.txt", "lpt1.txt-"),
        ("name. ", "name"),
        ("tab\tand\nnewline", "tab-and-newline"),
        ("...", "sbom"),
        ("Acme & Co (EU)", "Acme-&-Co-(EU)"),
    ],
)
def test_file_stems(name: str, stem: str) -> None:
    assert file_stem(name) == stem


def test_file_stems_fit_the_file_system() -> None:
    long = "日本" * 200
    assert len(file_stem(long).encode("utf-8")) <= 200


def test_ascii_ids_are_distinct_where_names_are() -> None:
    assert ascii_id("Acme Corp") == "Acme-Corp"
    assert ascii_id("Prodüct") != ascii_id("Product")
    assert ascii_id("Prodüct").startswith("Product-")
    assert ascii_id("Acme «Special» Licence ©") == "Acme-Special-Licence"
    assert all(ascii_id(n).isascii() for n in ("日本", "Ωμέγα", "Ünïcode"))
    assert ascii_id("x" * 100, limit=60).startswith("x" * 50)


def test_split_products_whose_names_differ_only_in_case(
    tmp_path: Path, start_emulator: Any
) -> None:
    import shutil

    shutil.copytree(MINI_DATASET, tmp_path / "ds")
    data = json.loads((MINI_DATASET / "dataset.json").read_text())
    first = data["products"][0]
    twin = json.loads(json.dumps(first))
    twin["name"] = first["name"].upper()
    twin["token"] = first["token"] + "-twin"
    for i, project in enumerate(twin["projects"]):
        project["token"] = f"{project['token']}-twin{i}"
    data["products"].append(twin)
    (tmp_path / "ds" / "dataset.json").write_text(json.dumps(data))
    mend: Mend = start_emulator(tmp_path / "ds")
    env = mend.env()
    env["MEND_USER_KEY"] = ORG_ADMIN_KEY
    result = run_cli(
        "generate",
        "--org",
        "--split",
        "--format",
        "cyclonedx-json",
        "--out",
        tmp_path / "o",
        env=env,
    )
    assert result.code == 0, result.stderr
    stems = [n.removesuffix(".cdx.json") for n in names(tmp_path / "o") if n.endswith(".cdx.json")]
    assert len({s.casefold() for s in stems}) == len(stems) == len(data["products"])
