"""The emulator itself: its command, its modes, its async reports, its protocol."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests
from conftest import ORG_ADMIN_KEY, SAMPLE_DATASET, SAMPLE_SNAPSHOT, Mend, clean_env, run_cli

from sbomgen.emulator import Dataset, Emulator, User
from sbomgen.emulator.generate import generate_dataset
from sbomgen.sources.fetcher import Fetcher, FetchScope
from sbomgen.sources.snapshot import SnapshotReplay


def test_the_documented_command_serves_the_sample(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sbomgen.emulator",
            "--dataset",
            str(SAMPLE_DATASET),
            "--port",
            "0",
            "--user-key",
            "cmd-key-123",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        org_line = proc.stdout.readline()
        assert "Acme Corp" in first
        # every version it serves, newest first
        served = first.split(" at ", 1)[1].strip().split(", ")
        url = served[0].removesuffix("/api/v1.4")
        assert served == [f"{url}/api/v1.4", f"{url}/api/v1.3", f"{url}/api/v1.2"]
        org_token = org_line.split(":", 1)[1].strip()
        env = clean_env()
        env.update(MEND_URL=url, MEND_USER_KEY="cmd-key-123", MEND_ORG_TOKEN=org_token)
        result = run_cli("inventory", "--org", env=env, cwd=tmp_path)
        assert result.code == 0, result.stderr
        stats = requests.get(f"{url}/_emulator/stats", timeout=10).json()
        assert stats["counts"]["getOrganizationDetails"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_snapshot_mode_serves_recorded_answers(tmp_path: Path) -> None:
    replay = SnapshotReplay(SAMPLE_SNAPSHOT)
    emulator = Emulator(None, [User(ORG_ADMIN_KEY)], snapshot=replay, org_token="snap-org")
    url = emulator.start()
    try:
        env = clean_env()
        env.update(MEND_URL=url, MEND_USER_KEY=ORG_ADMIN_KEY, MEND_ORG_TOKEN="snap-org")
        snap = tmp_path / "again"
        result = run_cli("fetch", "--org", "--out", snap, env=env, cwd=tmp_path)
        assert result.code == 0, result.stderr
        manifest = json.loads((snap / "manifest.json").read_text())
        for entry in manifest["requests"]:
            assert (snap / entry["file"]).read_bytes() == (
                SAMPLE_SNAPSHOT / entry["file"]
            ).read_bytes()
        wrong = run_cli("inventory", "--product", "not-recorded", env=env, cwd=tmp_path)
        assert wrong.code == 4 and "no recorded response" in wrong.stderr
    finally:
        emulator.stop()


def test_generated_dataset_is_served_and_deterministic() -> None:
    data = generate_dataset(libraries=300, products=2, projects_per_product=2)
    assert data == generate_dataset(libraries=300, products=2, projects_per_product=2)
    emulator = Emulator(Dataset(data, {}), [User(ORG_ADMIN_KEY)])
    url = emulator.start()
    try:
        from sbomgen.sources.client import Credentials, MendClient

        with MendClient(
            url, Credentials(ORG_ADMIN_KEY, data["organization"]["orgToken"])
        ) as client:
            inventory = Fetcher(client).fetch(FetchScope(org=True))
        used = {k for p in data["products"] for pr in p["projects"] for k in pr["inventory"]}
        assert 150 < len(used) < 300  # the projects draw from one pool, and overlap
        assert set(inventory.libraries) == used
        assert len(inventory.projects) == 4
        vulnerable = {k for k in used if data["libraries"][k].get("vulnerabilities")}
        assert vulnerable  # about 5% of the pool
        assert {k for k, lib in inventory.libraries.items() if lib.vulnerabilities} == vulnerable
        depth = max(
            _depth(n) for p in data["products"] for pr in p["projects"] for n in pr["dependencies"]
        )
        assert depth == 4
    finally:
        emulator.stop()


def _depth(node: dict[str, object]) -> int:
    children = node.get("dependencies") or []
    assert isinstance(children, list)
    return 1 + max((_depth(c) for c in children), default=0)


def _post(url: str, body: dict[str, object]) -> requests.Response:
    return requests.post(f"{url}/api/v1.4", json=body, timeout=10)


def test_async_report_state_machine(acme: Mend) -> None:
    product = acme.product_tokens[0]
    base = {"userKey": ORG_ADMIN_KEY}
    started = _post(
        acme.url,
        {
            **base,
            "requestType": "generateProductReportAsync",
            "productToken": product,
            "reportType": "ProductSBOMReport",
            "standard": "cyclonedx",
            "format": "json",
        },
    ).json()["asyncProcessStatus"]
    assert started["status"] == "PENDING"
    status = {
        **base,
        "requestType": "getAsyncProcessStatus",
        "orgToken": acme.org_token,
        "uuid": started["uuid"],
    }
    early = _post(
        acme.url,
        {
            **base,
            "requestType": "downloadAsyncReport",
            "orgToken": acme.org_token,
            "reportStatusUUID": started["uuid"],
        },
    ).json()
    assert early["errorCode"] == 3000 and "not ready" in early["errorMessage"]
    assert _post(acme.url, status).json()["asyncProcessStatus"]["status"] == "IN_PROGRESS"
    assert _post(acme.url, status).json()["asyncProcessStatus"]["status"] == "SUCCESS"
    download = _post(
        acme.url,
        {
            **base,
            "requestType": "downloadAsyncReport",
            "orgToken": acme.org_token,
            "reportStatusUUID": started["uuid"],
        },
    )
    assert download.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    [name] = archive.namelist()
    assert name.endswith("-cyclonedx-1.4.json")  # no version asked: Mend's default, 1.4
    doc = json.loads(archive.read(name))
    assert doc["bomFormat"] == "CycloneDX" and doc["specVersion"] == "1.4"
    # no maxDepthLevel sent: the documented default 0, the top level only
    root = doc["metadata"]["component"]["bom-ref"]
    top = next(d["dependsOn"] for d in doc["dependencies"] if d["ref"] == root)
    assert {c["bom-ref"] for c in doc["components"]} == set(top)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"requestType": "getProductTags", "userKey": "nobody", "productToken": "x"}, 5001),
        ({"requestType": "noSuchRequest", "userKey": ORG_ADMIN_KEY}, 2015),
        (
            {
                "requestType": "getOrganizationDetails",
                "userKey": ORG_ADMIN_KEY,
                "orgToken": "wrong",
            },
            2001,
        ),
        ({"requestType": "getProductAlertsByType", "userKey": ORG_ADMIN_KEY}, 2008),
        (
            {
                "requestType": "getProductAlertsByType",
                "userKey": ORG_ADMIN_KEY,
                "productToken": "nope",
                "alertType": "SECURITY_VULNERABILITY",
            },
            1003,  # Mend's code for an invalid product token, seen in a real answer
        ),
    ],
)
def test_errors_arrive_in_http_200(mini: Mend, body: dict[str, object], code: int) -> None:
    response = _post(mini.url, body)
    assert response.status_code == 200
    assert response.json()["errorCode"] == code


def test_only_post_to_the_api_path(mini: Mend) -> None:
    assert requests.get(f"{mini.url}/api/v1.4", timeout=10).status_code == 404
    assert requests.post(f"{mini.url}/other", json={}, timeout=10).status_code == 404
    assert (
        requests.post(f"{mini.url}/api/v1.2", json={"requestType": "x"}, timeout=10).status_code
        == 200
    )


# -- the async reports' readings (reports-async-api.md) -------------------------------------


def _generate(mend: Mend, key: str = ORG_ADMIN_KEY, **params: object) -> dict[str, object]:
    body = {
        "requestType": "generateProductReportAsync",
        "userKey": key,
        "productToken": mend.product_tokens[0],
        "reportType": "ProductInventoryReport",
        "format": "json",
        **params,
    }
    return _post(mend.url, {k: v for k, v in body.items() if v is not None}).json()  # type: ignore[no-any-return]


def test_the_status_has_every_documented_field(acme: Mend) -> None:
    status = _generate(acme)["asyncProcessStatus"]
    assert set(status) == {  # type: ignore[arg-type]
        "uuid",
        "requestToken",
        "contextId",
        "contextType",
        "processType",
        "userEmail",
        "messageContentSha1",
        "status",
        "created",
        "modified",
    }
    assert status["processType"] == "PRODUCT_INVENTORY_REPORT"  # type: ignore[index]
    assert status["contextType"] == "DOMAIN" and isinstance(status["contextId"], str)  # type: ignore[index]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"format": "pdf"}, "ProductInventoryReport: xlsx, json"),
        ({"filter": "status=active"}, "Invalid value for filter"),
        ({"standard": "spdx"}, "parameter standard is not part of"),
        (
            {"reportType": "ProductSBOMReport", "standard": "cyclonedx", "format": "yaml"},
            "cyclonedx: json, xml",
        ),
        (
            {"reportType": "ProductSBOMReport", "standard": "spdx", "version": "1.5"},
            "spdx: 2.2, 2.3",
        ),
        (
            {"reportType": "ProductSBOMReport", "standard": "spdx", "maxDepthLevel": 2},
            "only supported by the CycloneDX",
        ),
        ({"reportType": "ProductSBOMReport", "format": "json"}, "Missing parameter: standard"),
    ],
)
def test_a_strict_server_refuses(acme: Mend, params: dict[str, object], error: str) -> None:
    answer = _generate(acme, **params)
    assert error in str(answer.get("errorMessage")), answer


def test_the_lenient_readings_are_switches(start_emulator: object) -> None:
    from sbomgen.emulator.reports import AsyncOptions

    mend = start_emulator(
        async_options=AsyncOptions(format_rule="async-list", max_depth_spdx="ignore")
    )  # type: ignore[operator]
    assert "asyncProcessStatus" in _generate(mend, format="pdf")
    sbom = _generate(mend, reportType="ProductSBOMReport", standard="spdx", maxDepthLevel=2)
    assert "asyncProcessStatus" in sbom


@pytest.mark.parametrize(
    ("rule", "own", "other"), [("refuse", 5001, 5001), ("own", None, 5001), ("any", None, None)]
)
def test_product_admins_and_the_organization_calls(
    start_emulator: object, rule: str, own: int | None, other: int | None
) -> None:
    from conftest import PRODUCT_ADMIN_KEY

    from sbomgen.emulator.reports import AsyncOptions

    mend = start_emulator(async_options=AsyncOptions(product_admin=rule))  # type: ignore[operator]
    mine = _generate(mend, key=PRODUCT_ADMIN_KEY)["asyncProcessStatus"]["uuid"]  # type: ignore[index]
    theirs = _generate(mend)["asyncProcessStatus"]["uuid"]  # type: ignore[index]
    for uuid, expected in ((mine, own), (theirs, other)):
        answer = _post(
            mend.url,
            {
                "requestType": "getAsyncProcessStatus",
                "userKey": PRODUCT_ADMIN_KEY,
                "orgToken": mend.org_token,
                "uuid": uuid,
            },
        ).json()
        assert answer.get("errorCode") == expected, answer


@pytest.mark.parametrize(
    ("mode", "key", "ok"),
    [
        ("projectToken", "projectToken", True),
        ("projectToken", "productToken", False),
        ("productToken", "projectToken", False),
        ("either", "projectToken", True),
    ],
)
def test_the_product_sbom_token_both_ways(
    start_emulator: object, mode: str, key: str, ok: bool
) -> None:
    from sbomgen.emulator.reports import AsyncOptions

    mend = start_emulator(async_options=AsyncOptions(product_sbom_token=mode))  # type: ignore[operator]
    body = {
        "requestType": "generateProductReportAsync",
        "userKey": ORG_ADMIN_KEY,
        key: mend.product_tokens[0],
        "reportType": "ProductSBOMReport",
        "standard": "spdx",
        "format": "json",
    }
    answer = _post(mend.url, body).json()
    assert ("asyncProcessStatus" in answer) is ok, answer


def test_the_emulator_command_takes_the_async_switches(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "sbomgen.emulator", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for switch in (
        "--async-sequence",
        "--hostile-zip",
        "--download-layout",
        "--product-sbom-sync",
        "--product-sbom-token",
        "--async-failure-reason",
    ):
        assert switch in proc.stdout
    text = " ".join(proc.stdout.split())
    for case in ("bomb-spread", "long-name", "reserved-validation", "traversal"):
        assert case in text  # every hostile case, this module's and hostile.py's


def test_a_failed_status_carries_the_reason_asked_for() -> None:
    from sbomgen.emulator.reports import AsyncOptions, status_extra

    reason = AsyncOptions(failure_reason="out of memory")
    assert status_extra("FAILED", reason) == {"errorMessage": "out of memory"}
    assert status_extra("IN_PROGRESS", reason) == {}
    assert status_extra("FAILED", AsyncOptions()) == {}  # by default none, as documented
