"""The fetcher over real HTTP: which requests it makes, and the model it builds."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import ORG_ADMIN_KEY, PRODUCT_ADMIN_KEY, Mend

from sbomgen.errors import ConfigError, InputDataError, MendNotAllowedError
from sbomgen.model import Edge, KeyUuid, ProjectToken
from sbomgen.sources.fetcher import Fetcher, FetchScope
from sbomgen.sources.snapshot import Scope, SnapshotRecorder, SnapshotReplay

PRODUCT_LEVEL = {
    "getProductTags",
    "getProductProjectVitals",
    "getProductLicenses",
    "getProductAlertsByType",
    "getProductIgnoredAlerts",
    "getProductInHouseLibraries",
    "getProductLibraryLocations",
    "getLicensesTextZip",
    "getCopyrightsTextFile",
    "getNoticesTextFile",
}
PER_PROJECT = {"getProjectHierarchy", "getProjectInventory"}
PROJECT_LEVEL = {
    "getProjectVitals",
    "getProjectLicenses",
    "getProjectAlertsByType",
    "getProjectIgnoredAlerts",
    "getProjectInHouseLibraries",
    "getProjectLibraryLocations",
    "getProjectLicensesTextZip",
    "getProjectCopyrightsTextFile",
} | PER_PROJECT


def test_product_admin_path_makes_no_organization_call(mini: Mend) -> None:
    product = mini.product_tokens[0]
    with mini.client(key=PRODUCT_ADMIN_KEY, org=False) as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(product,)))
    counts = mini.emulator.counts
    assert set(counts) == PRODUCT_LEVEL | PER_PROJECT
    assert not [rt for rt in counts if rt.startswith("getOrganization")]
    assert all(counts[rt] == 1 for rt in PRODUCT_LEVEL)
    assert counts["getProjectHierarchy"] == counts["getProjectInventory"] == 1
    assert [s for _, s in mini.emulator.log] == [200] * sum(counts.values())
    assert set(inventory.products) == {product}


def test_product_admin_cannot_use_org_scope(mini: Mend) -> None:
    with mini.client(key=PRODUCT_ADMIN_KEY) as client, pytest.raises(MendNotAllowedError) as info:
        Fetcher(client).fetch(FetchScope(org=True))
    assert info.value.request_type == "getOrganizationDetails"


def test_product_admin_cannot_read_other_product(mini: Mend) -> None:
    with (
        mini.client(key=PRODUCT_ADMIN_KEY, org=False) as client,
        pytest.raises(MendNotAllowedError),
    ):
        Fetcher(client).fetch(FetchScope(products=(mini.product_tokens[1],)))


def test_org_scope_fetches_every_product(mini: Mend) -> None:
    with mini.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(org=True))
    counts = mini.emulator.counts
    assert counts["getOrganizationDetails"] == counts["getOrganizationProductVitals"] == 1
    assert all(counts[rt] == 2 for rt in PRODUCT_LEVEL)
    assert counts["getProjectHierarchy"] == 2
    assert inventory.org_name == "Mini Org"
    assert {p.name for p in inventory.products.values()} == {"Mini Product", "Second Product"}


def test_project_scope_uses_project_level_requests(
    mini: Mend, caplog: pytest.LogCaptureFixture
) -> None:
    project = mini.project_tokens[0]
    with mini.client(key=PRODUCT_ADMIN_KEY, org=False) as client:
        inventory = Fetcher(client).fetch(FetchScope(projects=(project,)))
    assert set(mini.emulator.counts) == PROJECT_LEVEL
    assert set(inventory.projects) == {project}
    assert inventory.projects[ProjectToken(project)].product_name == "Mini Product"
    assert "notices are missing" in caplog.text


def test_project_narrows_a_product(mini: Mend) -> None:
    product, project = mini.product_tokens[0], mini.project_tokens[0]
    with mini.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(product,), projects=(project,)))
    assert set(inventory.projects) == {project}


def test_project_outside_given_product_is_refused(mini: Mend) -> None:
    with mini.client() as client, pytest.raises(ConfigError, match="not in the given --product"):
        Fetcher(client).fetch(
            FetchScope(products=(mini.product_tokens[0],), projects=(mini.project_tokens[1],))
        )


def test_hierarchy_keeps_both_parents_of_a_diamond(mini: Mend) -> None:
    with mini.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(mini.product_tokens[0],)))
    project = inventory.projects[ProjectToken(mini.project_tokens[0])]
    k = KeyUuid
    assert set(project.edges) == {
        Edge(parent=None, child=k("k-express")),
        Edge(parent=k("k-express"), child=k("k-body-parser")),
        Edge(parent=k("k-express"), child=k("k-debug")),
        Edge(parent=k("k-body-parser"), child=k("k-debug")),
        Edge(parent=k("k-debug"), child=k("k-ms")),
    }
    assert project.direct == {"k-express"}
    debug = inventory.libraries[k("k-debug")]
    assert debug.is_direct_in(project.token) is False
    assert inventory.libraries[k("k-express")].is_direct_in(project.token) is True


def test_inventory_only_library_is_kept_with_its_match(mini: Mend) -> None:
    with mini.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(mini.product_tokens[0],)))
    orphan = inventory.libraries[KeyUuid("k-orphan")]
    (occ,) = orphan.occurrences
    assert occ.direct is None and occ.match_type == "SHA1"
    assert orphan.in_house is True
    assert [lic.name for lic in orphan.licenses] == ["Unknown License"]


def test_merge_across_products_keeps_every_occurrence(mini: Mend) -> None:
    with mini.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(org=True))
    debug = inventory.libraries[KeyUuid("k-debug")]
    assert {(o.product, o.project, o.direct) for o in debug.occurrences} == {
        ("prod-aaaa-1111", "proj-aaaa-1111", False),
        ("prod-bbbb-2222", "proj-bbbb-2222", True),
    }
    assert len(inventory.libraries) == 5
    request_types = {p.request_type for p in debug.provenance}
    assert {"getProjectHierarchy", "getProductLicenses", "getProductAlertsByType"} <= request_types


@pytest.mark.parametrize("alerts_key", ["alerts", "apiAlertInfo"])
def test_vulnerabilities_from_either_alerts_key(start_emulator, alerts_key: str) -> None:  # type: ignore[no-untyped-def]
    from conftest import MINI_DATASET

    mend = start_emulator(MINI_DATASET, alerts_key=alerts_key)
    with mend.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(mend.product_tokens[0],)))
    (vuln,) = inventory.libraries[KeyUuid("k-debug")].vulnerabilities
    assert vuln.id == "CVE-2017-16137"
    assert vuln.cvss3_score == 5.3 and vuln.cvss3_severity == "MEDIUM"
    assert vuln.cvss3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"
    assert vuln.published == "2018-06-07" and vuln.fix_resolution == "2.6.9"
    assert vuln.top_fix is not None and vuln.top_fix.type == "UPGRADE_VERSION"


def test_texts_notices_and_copyrights(mini: Mend) -> None:
    with mini.client() as client:
        inventory = Fetcher(client).fetch(FetchScope(products=(mini.product_tokens[0],)))
    assert set(inventory.license_texts) == {"MIT"}
    assert inventory.license_texts["MIT"].text.startswith("MIT License")
    assert inventory.license_texts["MIT"].source == "mend:getLicensesTextZip"
    express = inventory.libraries[KeyUuid("k-express")]
    assert express.notices == ("express notice",)
    # the copyright arrives twice (references and text file) and is kept once
    assert [c.text for c in express.copyrights] == [
        "Copyright (c) 2009-2014 TJ Holowaychuk <tj@vision-media.ca>"
    ]
    assert express.references.homepage == "http://expressjs.com/"
    assert express.language_type == "javascript/Node.js" and express.type == "NODE_PACKAGED_MODULE"


# -- snapshots ----------------------------------------------------------------------------


def _record(mend: Mend, directory: Path, scope: FetchScope) -> None:
    with mend.client() as client:
        recorder = SnapshotRecorder(client, directory)
        inventory = Fetcher(recorder).fetch(scope)
        recorder.write_manifest(
            Scope(scope.products, scope.projects, scope.org), inventory.org_name
        )


def test_snapshot_replays_to_the_same_model(mini: Mend, tmp_path: Path) -> None:
    scope = FetchScope(org=True)
    with mini.client() as client:
        live = Fetcher(client).fetch(scope)
    _record(mini, tmp_path, scope)
    replay = SnapshotReplay(tmp_path)
    replayed = Fetcher(replay).fetch(scope)
    assert replayed == live
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["server"] == mini.url
    assert manifest["scope"] == {"products": [], "projects": [], "org": True}
    assert {e["requestType"] for e in manifest["requests"]} >= PRODUCT_LEVEL | PER_PROJECT
    for entry in manifest["requests"]:
        assert set(entry["params"]) <= {
            "productToken",
            "projectToken",
            "alertType",
            "includeInHouseData",
            "excludeProjectOccurrences",
            "showCopyrightExtraDetails",
        }


def test_snapshot_holds_no_secret(mini: Mend, tmp_path: Path) -> None:
    _record(mini, tmp_path, FetchScope(org=True))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert ORG_ADMIN_KEY.encode() not in data, path
            assert mini.org_token.encode() not in data, path


@pytest.fixture
def recorded(mini: Mend, tmp_path: Path) -> Path:
    directory = tmp_path / "snap"
    _record(mini, directory, FetchScope(products=(mini.product_tokens[0],)))
    return directory


def _entry(directory: Path, request_type: str) -> tuple[dict, Path]:  # type: ignore[type-arg]
    manifest = json.loads((directory / "manifest.json").read_text())
    for entry in manifest["requests"]:
        if entry["requestType"] == request_type:
            return manifest, directory / entry["file"]
    raise AssertionError(request_type)


def _replay(directory: Path) -> None:
    Fetcher(SnapshotReplay(directory)).fetch(
        FetchScope(
            products=(
                json.loads((directory / "manifest.json").read_text())["scope"]["products"][0],
            )
        )
    )


def test_missing_manifest_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match=r"manifest\.json is missing"):
        SnapshotReplay(tmp_path)


def test_malformed_manifest_is_named(recorded: Path) -> None:
    (recorded / "manifest.json").write_text("{not json")
    with pytest.raises(InputDataError, match=r"manifest\.json: not valid JSON"):
        SnapshotReplay(recorded)


def test_manifest_missing_field_is_named(recorded: Path) -> None:
    manifest = json.loads((recorded / "manifest.json").read_text())
    del manifest["requests"][0]["file"]
    (recorded / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputDataError, match=r"requests\[0\]: field 'file' is missing"):
        SnapshotReplay(recorded)


def test_missing_response_file_is_named(recorded: Path) -> None:
    _, path = _entry(recorded, "getProjectHierarchy")
    path.unlink()
    with pytest.raises(InputDataError, match=rf"{path.name}.*getProjectHierarchy.*cannot be read"):
        _replay(recorded)


def test_changed_response_file_is_detected(recorded: Path) -> None:
    _, path = _entry(recorded, "getProductLicenses")
    path.write_text(path.read_text().replace("MIT", "GPL"))
    with pytest.raises(InputDataError, match="does not match the SHA-256"):
        _replay(recorded)


def test_malformed_response_names_file_and_field(recorded: Path) -> None:
    manifest, path = _entry(recorded, "getProjectHierarchy")
    data = json.loads(path.read_text())
    del data["libraries"][0]["keyUuid"]
    body = json.dumps(data).encode()
    path.write_bytes(body)
    for entry in manifest["requests"]:
        if entry["file"] == f"responses/{path.name}":
            entry["sha256"] = hashlib.sha256(body).hexdigest()
    (recorded / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputDataError) as info:
        _replay(recorded)
    message = str(info.value)
    assert (
        path.name in message
        and "getProjectHierarchy" in message
        and "libraries[0].keyUuid" in message
    )


def test_credentials_in_manifest_are_refused(recorded: Path) -> None:
    manifest = json.loads((recorded / "manifest.json").read_text())
    manifest["requests"][0]["params"]["userKey"] = "x"
    (recorded / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputDataError, match="credential"):
        SnapshotReplay(recorded)


def test_replay_outside_recorded_scope_is_named(recorded: Path, mini: Mend) -> None:
    copy = recorded.parent / "copy"
    shutil.copytree(recorded, copy)
    with pytest.raises(InputDataError, match="no recorded response for getProductTags"):
        Fetcher(SnapshotReplay(copy)).fetch(FetchScope(products=(mini.product_tokens[1],)))
