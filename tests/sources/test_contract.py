"""The Mend API contract, proved in both directions over real HTTP.

- The emulator refuses every request that lacks a parameter the reference marks required,
  at every API version, and refuses requests a version does not offer.
- The fetcher never sends a request the emulator refuses: every scope, every version, every
  documented response shape, with parameters the reference does not name refused too.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests
from conftest import MINI_DATASET, ORG_ADMIN_KEY, SAMPLE_DATASET, Mend, names, run_cli

from sbomgen.emulator.server import MISSING_PARAMETER, UNSUPPORTED_REQUEST
from sbomgen.errors import MendApiError
from sbomgen.sources import contract
from sbomgen.sources.client import Credentials, MendClient, RetryPolicy
from sbomgen.sources.contract import MendVersionError
from sbomgen.sources.fetcher import Fetcher, FetchScope

CONTRACT_ERRORS = {MISSING_PARAMETER, UNSUPPORTED_REQUEST, 2010}


def _complete(mend: Mend, spec: contract.Request, version: str) -> dict[str, Any]:
    """A request carrying every parameter the version requires, with valid values."""
    token = {
        "org": mend.org_token,
        "product": mend.product_tokens[0],
        "project": mend.project_tokens[0],
    }[spec.scope]
    body: dict[str, Any] = {
        "requestType": spec.type,
        "userKey": ORG_ADMIN_KEY,
        contract.TOKEN[spec.scope]: token,
    }
    if spec.scope != "org" and spec.type in ("getAsyncProcessStatus", "downloadAsyncReport"):
        body["orgToken"] = mend.org_token
    report = {"org": "OrgInventoryReport", "product": "ProductSBOMReport"}.get(
        spec.scope, "ProjectSBOMReport"
    )
    values = {"reportType": report, "format": "json", "uuid": "x", "reportStatusUUID": "x"}
    for p in spec.params:
        if p.name in body or version not in p.documented:
            continue
        if p.name in values:
            body[p.name] = values[p.name]
        elif p.values and (p.required or p.name == "standard"):
            body[p.name] = p.values[-1] if p.values == contract.BOOLEAN else p.values[0]
    # required only under a condition (standard for SBOM reports): add what now applies
    for name in spec.required(version, body):
        if name not in body:
            param = spec.param(name)
            assert param is not None and param.values, name
            body[name] = param.values[0]
    return body


def _post(mend: Mend, version: str, body: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(f"{mend.url}/api/v{version}", json=body, timeout=10)
    assert response.status_code == 200
    if "json" not in response.headers.get("Content-Type", ""):
        return {}
    return response.json()  # type: ignore[no-any-return]


CASES = [
    (name, version)
    for name, spec in sorted(contract.REQUESTS.items())
    for version in contract.VERSIONS
]


def test_contract_covers_every_request_the_fetcher_and_emulator_use() -> None:
    used = {
        "getOrganizationDetails",
        "getOrganizationProductVitals",
        "getProductTags",
        "getProductProjectVitals",
        "getProductProjectTags",
        "getProductLicenses",
        "getProductAlertsByType",
        "getProductInHouseLibraries",
        "getProductLibraryLocations",
        "getLicensesTextZip",
        "getCopyrightsTextFile",
        "getNoticesTextFile",
        "getProjectHierarchy",
        "getProjectInventory",
        "getProjectVitals",
        "getProjectTags",
        "getProjectLicenses",
        "getProjectAlertsByType",
        "getProjectInHouseLibraries",
        "getProjectLibraryLocations",
        "getProjectLicensesTextZip",
        "getProjectCopyrightsTextFile",
    }
    assert used <= set(contract.REQUESTS)


@pytest.mark.parametrize(("request_type", "version"), CASES)
def test_emulator_refuses_each_incomplete_request(
    mini: Mend, request_type: str, version: str
) -> None:
    spec = contract.REQUESTS[request_type]
    body = _complete(mini, spec, version)
    answer = _post(mini, version, body)
    if version not in spec.versions:
        assert answer["errorCode"] == UNSUPPORTED_REQUEST
        assert f"v{version}" in answer["errorMessage"]
        return
    assert answer.get("errorCode") not in CONTRACT_ERRORS, answer
    for name in spec.required(version, body):
        if name in ("requestType", "userKey"):
            continue
        incomplete = {k: v for k, v in body.items() if k != name}
        refused = _post(mini, version, incomplete)
        assert refused["errorCode"] == MISSING_PARAMETER, (name, refused)
        assert name in refused["errorMessage"]


SUPPORTED = [(n, v) for n, v in CASES if v in contract.REQUESTS[n].versions]
# JSON answers with documented top-level keys (the async status and download answer about a
# report that was requested: tests/cli/test_native.py and the emulator's tests cover them)
KEYED = [
    (n, v)
    for n, v in SUPPORTED
    if contract.REQUESTS[n].response.kind == "json"
    and contract.REQUESTS[n].response.keys
    and n not in ("getAsyncProcessStatus", "downloadAsyncReport")
]


@pytest.mark.parametrize(("request_type", "version"), SUPPORTED)
def test_emulator_refuses_a_request_without_its_type_or_user_key(
    mini: Mend, request_type: str, version: str
) -> None:
    spec = contract.REQUESTS[request_type]
    body = _complete(mini, spec, version)
    untyped = _post(mini, version, {k: v for k, v in body.items() if k != "requestType"})
    assert untyped["errorCode"] == UNSUPPORTED_REQUEST, untyped
    keyless = _post(mini, version, {k: v for k, v in body.items() if k != "userKey"})
    assert keyless["errorCode"] == MISSING_PARAMETER, keyless
    assert "userKey" in keyless["errorMessage"]


@pytest.mark.parametrize(("request_type", "version"), KEYED)
def test_emulator_answers_carry_the_documented_response_keys(
    mini: Mend, request_type: str, version: str
) -> None:
    spec = contract.REQUESTS[request_type]
    answer = _post(mini, version, _complete(mini, spec, version))
    assert "errorCode" not in answer, answer
    for alternatives in spec.response.keys:
        assert any(key in answer for key in alternatives), (alternatives, sorted(answer))


@pytest.mark.parametrize("version", ["1.2", "1.3"])
def test_copyright_details_are_required_only_in_v14(mini: Mend, version: str) -> None:
    body = {
        "requestType": "getCopyrightsTextFile",
        "userKey": ORG_ADMIN_KEY,
        "productToken": mini.product_tokens[0],
    }
    assert _post(mini, "1.4", body)["errorMessage"] == (
        "Missing parameter: showCopyrightExtraDetails (required in API v1.4)"
    )
    assert _post(mini, version, body) == {}  # a text file, not an error
    # and v1.2/v1.3 do not know the parameter: a strict server refuses it
    refused = _post(mini, version, {**body, "showCopyrightExtraDetails": "false"})
    assert "showCopyrightExtraDetails" in refused["errorMessage"]


def test_values_outside_the_documented_ones_are_refused(mini: Mend) -> None:
    body = {
        "requestType": "getProductAlertsByType",
        "userKey": ORG_ADMIN_KEY,
        "productToken": mini.product_tokens[0],
        "alertType": "EVERYTHING",
    }
    assert "alertType" in _post(mini, "1.4", body)["errorMessage"]


def _client(url: str, org_token: str | None = None) -> MendClient:
    return MendClient(
        url,
        Credentials(user_key=ORG_ADMIN_KEY, org_token=org_token),
        policy=RetryPolicy(attempts=2, backoff=0.0),
        sleep=lambda _s: None,
    )


SCOPES = ["org", "product", "project"]


def _scope(mend: Mend, kind: str) -> FetchScope:
    if kind == "org":
        return FetchScope(org=True)
    if kind == "product":
        return FetchScope(products=(mend.product_tokens[0],))
    return FetchScope(projects=(mend.project_tokens[0],))


@pytest.mark.parametrize("kind", SCOPES)
@pytest.mark.parametrize(
    ("version", "options"),
    [
        ("1.4", {}),
        ("1.4", {"alerts_key": "apiAlertInfo", "occurrences_by_default": False}),
        ("1.3", {"v13_shapes": "1.4"}),
        ("1.3", {"v13_shapes": "1.2", "alerts_key": "alerts"}),
        ("1.2", {}),
    ],
)
def test_fetcher_never_sends_a_request_the_emulator_refuses(
    start_emulator: Any, kind: str, version: str, options: dict[str, Any]
) -> None:
    mend: Mend = start_emulator(SAMPLE_DATASET, **options)
    with _client(f"{mend.url}/api/v{version}", mend.org_token) as client:
        inventory = Fetcher(client).fetch(_scope(mend, kind))
        assert client.api_version == version
    assert mend.emulator.errors == []
    assert inventory.libraries and inventory.projects


@pytest.mark.parametrize("version", ["1.2", "1.3"])
def test_older_versions_give_the_same_graph_purls_and_vulnerabilities(
    start_emulator: Any, version: str
) -> None:
    from sbomgen.pipeline import enrich

    mend: Mend = start_emulator(SAMPLE_DATASET, v13_shapes="1.2")
    scope = FetchScope(org=True)
    with _client(mend.url, mend.org_token) as client:
        newest = enrich(Fetcher(client).fetch(scope))
    with _client(f"{mend.url}/api/v{version}", mend.org_token) as client:
        older = enrich(Fetcher(client).fetch(scope))
    assert older.libraries.keys() == newest.libraries.keys()
    for key, lib in newest.libraries.items():
        old = older.libraries[key]
        if lib.type == "SOURCE_LIBRARY":  # v1.2 licenses carry no scmUrl to find GitHub by
            assert old.purl in (lib.purl, None) and (old.purl or old.purl_problem), key
        else:
            assert old.purl == lib.purl, key
        assert {v.id for v in old.vulnerabilities} == {v.id for v in lib.vulnerabilities}
        # an older answer names no projects, so every project's inventory is asked and
        # adds per-project match types; where and how directly the library is used agree
        assert [(o.product, o.project, o.direct) for o in old.occurrences] == [
            (o.product, o.project, o.direct) for o in lib.occurrences
        ]
    for token, project in newest.projects.items():
        assert set(older.projects[token].edges) == set(project.edges)


def test_no_version_in_url_falls_back_to_the_newest_the_server_offers(
    start_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    mend: Mend = start_emulator(MINI_DATASET, versions=("1.2",))
    caplog.set_level(logging.WARNING)
    with _client(mend.url, mend.org_token) as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(mend.product_tokens[0],)))
        assert client.api_version == "1.2"
    assert inventory.libraries
    assert mend.emulator.errors == []
    not_found = [entry for entry in mend.emulator.log if entry[1] == 404]
    # the first 404 is asked once more before it is believed
    assert [e[0] for e in not_found] == ["<404 /api/v1.4>"] * 2 + ["<404 /api/v1.3>"]
    said = [r.getMessage() for r in caplog.records if "/api/v1.2" in r.getMessage()]
    assert said == [
        f"{mend.url} has no /api/v1.4 (HTTP 404); using /api/v1.2, the newest Mend API "
        "version it offers"
    ]


def test_a_url_without_any_api_says_what_was_tried(start_emulator: Any) -> None:
    mend: Mend = start_emulator(MINI_DATASET)
    with _client(mend.url + "/wss", mend.org_token) as client, pytest.raises(MendApiError) as info:
        client.call("getProductTags", {"productToken": mend.product_tokens[0]})
    assert "tried v1.4, v1.3, v1.2" in str(info.value)
    assert "/wss/api/v1.2" in str(info.value)


def test_a_url_naming_a_version_is_not_second_guessed(start_emulator: Any) -> None:
    mend: Mend = start_emulator(MINI_DATASET, versions=("1.4",))
    with _client(mend.url + "/api/v1.3") as client, pytest.raises(MendApiError) as info:
        client.call("getProductTags", {"productToken": mend.product_tokens[0]})
    assert "the URL names this version" in str(info.value)
    assert [e[1] for e in mend.emulator.log] == [404]  # no fallback to another version


def test_a_request_the_version_lacks_is_an_error_naming_the_version_needed(
    start_emulator: Any,
) -> None:
    mend: Mend = start_emulator(MINI_DATASET)
    with _client(f"{mend.url}/api/v1.2") as client, pytest.raises(MendVersionError) as info:
        client.call("getProjectLicensesTextZip", {"projectToken": mend.project_tokens[0]})
    assert str(info.value) == (
        "Mend API error for getProjectLicensesTextZip: the server speaks Mend API v1.2, "
        "and getProjectLicensesTextZip needs API v1.3 or v1.4"
    )
    assert mend.emulator.log == []  # refused before anything was sent


def test_a_project_fetch_on_v12_goes_on_without_the_v14_only_texts(
    start_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    mend: Mend = start_emulator(MINI_DATASET)
    caplog.set_level(logging.WARNING)
    with _client(f"{mend.url}/api/v1.2") as client:
        inventory = Fetcher(client).fetch(FetchScope(projects=(mend.project_tokens[0],)))
    assert inventory.libraries
    text = caplog.text
    assert "license texts is unavailable" in text and "needs API v1.3 or v1.4" in text
    assert "copyrights text file is unavailable" in text


@pytest.mark.parametrize("layout", ["zip", "zip-per-library"])
def test_copyright_and_notice_files_sent_as_zip_read_the_same(
    start_emulator: Any, layout: str
) -> None:
    plain: Mend = start_emulator(SAMPLE_DATASET)
    zipped: Mend = start_emulator(SAMPLE_DATASET, text_layout=layout)
    scope = FetchScope(products=(plain.product_tokens[0],))
    with _client(plain.url) as client:
        expected = Fetcher(client).fetch(scope)
    with _client(zipped.url) as client:
        got = Fetcher(client).fetch(scope)
    assert got == expected
    assert any(lib.notices for lib in got.libraries.values())


def test_a_text_file_layout_sbomgen_cannot_read_is_said(
    start_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    mend: Mend = start_emulator(SAMPLE_DATASET, text_layout="lines")
    caplog.set_level(logging.WARNING)
    with _client(mend.url) as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(mend.product_tokens[0],)))
    assert inventory.libraries
    assert "getCopyrightsTextFile (product Acme Storefront):" in caplog.text
    assert "no 'Library: <file name>' block sbomgen can read" in caplog.text


def test_json_answers_under_another_content_type_are_read(start_emulator: Any) -> None:
    plain: Mend = start_emulator(MINI_DATASET)
    other: Mend = start_emulator(MINI_DATASET, json_content_type="text/plain;charset=UTF-8")
    scope = FetchScope(org=True)
    with _client(plain.url, plain.org_token) as client:
        expected = Fetcher(client).fetch(scope)
    with _client(other.url, other.org_token) as client:
        assert Fetcher(client).fetch(scope) == expected
    # and an error in such a body is still an error
    with _client(other.url) as client, pytest.raises(MendApiError) as info:
        client.call("getProductTags", {"productToken": "nope"})
    assert info.value.code == 1003


def test_v13_says_high_where_v14_says_critical_and_the_documents_agree(
    start_emulator: Any,
) -> None:
    from sbomgen.emit.cyclonedx import _severity

    mend: Mend = start_emulator(SAMPLE_DATASET)
    scope = FetchScope(org=True)
    found = {}
    for version in ("1.3", "1.4"):
        with _client(f"{mend.url}/api/v{version}", mend.org_token) as client:
            inventory = Fetcher(client).fetch(scope)
        found[version] = {
            v.id: v for lib in inventory.libraries.values() for v in lib.vulnerabilities
        }
    assert found["1.4"]["CVE-2022-30123"].cvss3_severity == "critical"
    assert found["1.3"]["CVE-2022-30123"].cvss3_severity == "high"
    # the documents rate by the score, not by Mend's word for it
    assert _severity(found["1.3"]["CVE-2022-30123"].cvss3_score) == _severity(
        found["1.4"]["CVE-2022-30123"].cvss3_score
    )


def test_cli_talks_the_version_the_url_names(tmp_path: Any, start_emulator: Any) -> None:
    from conftest import run_cli

    mend: Mend = start_emulator(SAMPLE_DATASET, versions=("1.2",))
    env = mend.env()
    env["MEND_URL"] = f"{mend.url}/api/v1.2"
    out = tmp_path / "out"
    result = run_cli("generate", "--product", mend.product_tokens[0], "--out", out, env=env)
    assert result.code == 0, result.stderr
    assert "/api/v1.4" not in result.stderr  # no fallback: the URL named the version
    assert mend.emulator.errors == []
    assert names(out)[-1] == "SHA256SUMS"
    # without a version in the URL, the fallback is said once, with no secret in it
    env["MEND_URL"] = mend.url
    again = run_cli(
        "generate", "--product", mend.product_tokens[0], "--out", tmp_path / "b", env=env
    )
    assert again.code == 0, again.stderr
    assert again.stderr.count("has no /api/v1.4 (HTTP 404); using /api/v1.2") == 1
    assert ORG_ADMIN_KEY not in again.stderr and mend.org_token not in again.stderr


def test_sbom_reports_need_a_standard_and_report_types_are_the_documented_ones(
    mini: Mend,
) -> None:
    body = {
        "requestType": "generateProductReportAsync",
        "userKey": ORG_ADMIN_KEY,
        "productToken": mini.product_tokens[0],
        "reportType": "ProductSBOMReport",
        "format": "json",
    }
    refused = _post(mini, "1.4", body)
    assert refused["errorMessage"] == "Missing parameter: standard (required in API v1.4)"
    assert "asyncProcessStatus" in _post(mini, "1.4", {**body, "standard": "CycloneDX"})
    unknown = _post(mini, "1.4", {**body, "standard": "spdx", "reportType": "ProjectSBOMReport"})
    assert "reportType" in unknown["errorMessage"]
    dated = {
        "requestType": "getProductAlertsByType",
        "userKey": ORG_ADMIN_KEY,
        "productToken": mini.product_tokens[0],
        "alertType": "SECURITY_VULNERABILITY",
    }
    assert "fromDate" in _post(mini, "1.4", {**dated, "fromDate": "yesterday"})["errorMessage"]
    assert "errorCode" not in _post(mini, "1.4", {**dated, "fromDate": "2016-01-01 10:00:00"})


def test_ignored_alerts_leave_the_active_lists(tmp_path: Any, start_emulator: Any) -> None:
    import json
    import shutil

    folder = tmp_path / "ds"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text())
    vulnerable = next(lib for lib in data["libraries"].values() if lib.get("vulnerabilities"))
    vulnerable["vulnerabilities"][0]["ignored"] = {"comment": "not reachable"}
    (folder / "dataset.json").write_text(json.dumps(data))
    mend: Mend = start_emulator(folder)
    name = vulnerable["vulnerabilities"][0]["name"]
    base = {"userKey": ORG_ADMIN_KEY, "orgToken": mend.org_token}
    ignored = _post(mend, "1.2", {**base, "requestType": "getOrganizationIgnoredAlerts"})
    assert {a["vulnerability"]["name"] for a in ignored["alerts"]} == {name}
    # the reference's shape: the comment in the library, no project named
    assert {a["library"]["comments"] for a in ignored["alerts"]} == {"not reachable"}
    assert not any("project" in a for a in ignored["alerts"])
    active = _post(
        mend,
        "1.4",
        {
            **base,
            "requestType": "getOrganizationAlertsByType",
            "alertType": "SECURITY_VULNERABILITY",
        },
    )
    assert name not in {a["vulnerability"]["name"] for a in active["alerts"]}


def test_organization_details_and_product_admin_vitals(mini: Mend) -> None:
    from conftest import PRODUCT_ADMIN_KEY

    details = _post(
        mini,
        "1.4",
        {
            "requestType": "getOrganizationDetails",
            "userKey": ORG_ADMIN_KEY,
            "orgToken": mini.org_token,
        },
    )
    assert {"numberOfGroups", "numberOfUsers"} <= set(details)
    # "Product administrators can use the Organization level call and get the
    # product/project vitals related to their products/projects."
    vitals = _post(
        mini,
        "1.4",
        {
            "requestType": "getOrganizationProjectVitals",
            "userKey": PRODUCT_ADMIN_KEY,
            "orgToken": mini.org_token,
        },
    )
    own = {pr.token for pr in mini.dataset.products[0].projects}
    assert {v["token"] for v in vitals["projectVitals"]} == own


def test_a_request_body_not_sent_as_json_is_refused(mini: Mend) -> None:
    response = requests.post(
        f"{mini.url}/api/v1.4",
        data=b'{"requestType": "getProductTags"}',
        headers={"Content-Type": "text/plain"},
        timeout=10,
    )
    assert "Content-Type must be application/json" in response.json()["errorMessage"]


def test_a_server_refusing_a_project_text_request_leaves_it_out_with_a_warning(
    start_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from sbomgen.emulator import Fault

    mend: Mend = start_emulator(MINI_DATASET)
    mend.emulator.inject(
        Fault(
            kind="error",
            request_type="getProjectLicensesTextZip",
            code=UNSUPPORTED_REQUEST,
            message="Request type not supported in API v1.3: getProjectLicensesTextZip",
        )
    )
    caplog.set_level(logging.WARNING)
    with _client(f"{mend.url}/api/v1.3") as client:
        inventory = Fetcher(client).fetch(FetchScope(projects=(mend.project_tokens[0],)))
    assert inventory.libraries
    assert "license texts is unavailable: Request type not supported in API v1.3" in caplog.text


def test_one_passing_404_does_not_change_the_version(start_emulator: Any) -> None:
    from sbomgen.emulator import Fault

    mend: Mend = start_emulator(MINI_DATASET)
    mend.emulator.inject(Fault(kind="404", request_type="getProductTags"))
    with _client(mend.url) as client:
        Fetcher(client).fetch(FetchScope(products=(mend.product_tokens[0],)))
        assert client.api_version == "1.4"


def test_a_credential_the_server_echoes_in_an_error_is_not_shown(start_emulator: Any) -> None:
    from sbomgen.emulator import Fault

    mend: Mend = start_emulator(MINI_DATASET)
    mend.emulator.inject(
        Fault(kind="error", code=5001, message=f"User {ORG_ADMIN_KEY} is not allowed")
    )
    with _client(mend.url) as client, pytest.raises(MendApiError) as info:
        client.call("getProductTags", {"productToken": mend.product_tokens[0]})
    assert ORG_ADMIN_KEY not in str(info.value) and "***" in str(info.value)


def test_a_snapshot_is_served_at_the_version_it_was_recorded_at(tmp_path: Any) -> None:
    from conftest import SAMPLE_SNAPSHOT

    from sbomgen.emulator import Emulator, User
    from sbomgen.sources.snapshot import SnapshotReplay

    emulator = Emulator(None, [User(ORG_ADMIN_KEY)], snapshot=SnapshotReplay(SAMPLE_SNAPSHOT))
    url = emulator.start()
    try:
        old = requests.post(f"{url}/api/v1.2", json={"requestType": "getProductTags"}, timeout=10)
        assert old.status_code == 404
    finally:
        emulator.stop()


def test_a_request_an_older_server_lacks_says_what_is_known_of_its_version(
    tmp_path: Any, start_emulator: Any
) -> None:
    # no /api/v1.4: the server has not said which version it has when sbomgen falls back
    mend: Mend = start_emulator(MINI_DATASET, versions=("1.2",))
    result = run_cli(
        "native",
        "--product",
        mend.product_tokens[0],
        "--standard",
        "cyclonedx",
        "--format",
        "json",
        "--out",
        tmp_path / "out",
        env=mend.env(),
    )
    assert result.code != 0
    assert (
        f"{mend.url} has no /api/v1.4 (HTTP 404), and generateProductReportAsync needs API "
        "v1.4" in result.stderr
    )
    assert "speaks Mend API v1.3" not in result.stderr
