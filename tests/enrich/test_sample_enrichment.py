"""The sample's enrichment against expectations written independently (acme_expected.py),
the dependency graph, vulnerabilities, license texts, and the CLI's visibility."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from acme_expected import EDGES, EXPECTED
from conftest import SAMPLE_SNAPSHOT, Mend, run_cli, start_emulator  # noqa: F401

from sbomgen.emulator import Dataset, Emulator, User
from sbomgen.enrich.graph import DependencyGraph, library_node, project_node
from sbomgen.model import NOASSERTION, Inventory, KeyUuid
from sbomgen.pipeline import SnapshotSource, enrich
from sbomgen.sources.fetcher import Fetcher, FetchScope, NullObserver


@pytest.fixture(scope="module")
def sample() -> Inventory:
    return enrich(SnapshotSource(SAMPLE_SNAPSHOT).load(NullObserver()))


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=[EXPECTED[k].name for k in sorted(EXPECTED)])
def test_each_library(sample: Inventory, key: str) -> None:
    expected = EXPECTED[key]
    lib = sample.libraries[KeyUuid(key)]
    assert lib.purl == expected.purl
    assert lib.license is not None
    assert lib.license.declared == expected.declared
    assert lib.license.concluded == expected.concluded
    assert lib.license.suspected is expected.suspected
    assert (lib.license.inference is not None) is expected.inferred_or


def test_sample_covers_every_library(sample: Inventory) -> None:
    assert set(sample.libraries) == set(EXPECTED)


@pytest.mark.parametrize("project_name", sorted(EDGES))
def test_graph_edges(sample: Inventory, project_name: str) -> None:
    (project,) = [p for p in sample.projects.values() if p.name == project_name]
    graph = DependencyGraph.from_inventory(sample)
    root = project_node(project.token)
    expected = EDGES[project_name]
    # direct edges of the project
    assert {library_node(KeyUuid(c)) for p, c in expected if p is None} == set(graph.children(root))
    # library edges within the project are all in the (global) graph
    for parent, child in expected:
        if parent is not None:
            assert library_node(KeyUuid(child)) in graph.children(library_node(KeyUuid(parent)))


def test_graph_holds_no_edge_the_hierarchies_do_not_give(sample: Inventory) -> None:
    graph = DependencyGraph.from_inventory(sample)
    allowed = {
        (library_node(KeyUuid(p)), library_node(KeyUuid(c)))
        for edges in EDGES.values()
        for p, c in edges
        if p
    }
    have = {(n, c) for n, kids in graph.edges.items() if n.startswith("lib:") for c in kids}
    assert have == allowed


def test_vulnerabilities(sample: Inventory) -> None:
    log4j = next(
        lib
        for lib in sample.libraries.values()
        if lib.purl == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    )
    vuln = next(v for v in log4j.vulnerabilities if v.id == "CVE-2021-44228")
    assert vuln.source == "CVE"
    # Mend's cvss3_severity has three levels: 7-10 is "high" (http-api-v1.2.txt)
    assert vuln.cvss3_score == 10.0 and vuln.cvss3_severity == "high"
    assert vuln.cvss3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
    assert vuln.published and vuln.published.startswith("2021-12")
    assert vuln.description and vuln.fix_resolution
    assert {v.id for lib in sample.libraries.values() for v in lib.vulnerabilities} >= {
        "CVE-2021-44228",
        "CVE-2021-23337",
    }


def test_every_license_in_use_has_a_text_with_its_source_or_is_reported(sample: Inventory) -> None:
    assert sample.texts["Apache-2.0"].source.startswith("mend:getLicensesTextZip")
    assert sample.texts["Classpath-exception-2.0"].source.startswith(
        "SPDX License List exception text"
    )
    assert "delete this exception statement" in sample.texts["Classpath-exception-2.0"].text
    assert sample.texts["LicenseRef-Acme-Proprietary-License"].source.startswith("mend:")
    missing = [f.message for f in sample.findings if f.kind == "text-missing"]
    assert missing == [
        "no text for LicenseRef-Public-Domain: Mend gave none; SPDX documents leave the "
        "licenses that name it unasserted (NOASSERTION, with a licenseComments note), "
        "CycloneDX keeps it"
    ]
    assert "LicenseRef-Public-Domain" not in sample.texts  # reported, never invented


def test_cycles_are_tolerated(tmp_path: Path) -> None:
    k = {n: f"00000000-0000-4000-8000-00000000000{n}" for n in range(1, 4)}
    lib = {
        "type": "NODE_PACKAGED_MODULE",
        "languageType": "javascript/Node.js",
        "version": "1.0.0",
        "licenses": [{"name": "MIT"}],
    }
    data = {
        "organization": {"orgName": "Cyclic", "orgToken": "org-c"},
        "products": [
            {
                "name": "P",
                "token": "prod-c",
                "projects": [
                    {
                        "name": "cyclic",
                        "token": "proj-c",
                        "dependencies": [
                            {
                                "keyUuid": k[1],
                                "dependencies": [
                                    {
                                        "keyUuid": k[2],
                                        "dependencies": [{"keyUuid": k[1]}, {"keyUuid": k[3]}],
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
        "libraries": {k[n]: {**lib, "keyId": n, "groupId": f"p{n}", "name": f"p{n}"} for n in k},
    }
    emulator = Emulator(Dataset(data, {}), [User("key")])
    url = emulator.start()
    try:
        from sbomgen.sources.client import Credentials, MendClient

        with MendClient(url, Credentials("key", "org-c")) as client:
            inventory = enrich(Fetcher(client).fetch(FetchScope(org=True)))
    finally:
        emulator.stop()
    graph = DependencyGraph.from_inventory(inventory)
    a, b = library_node(KeyUuid(k[1])), library_node(KeyUuid(k[2]))
    assert b in graph.children(a) and a in graph.children(b)  # the cycle is kept
    assert len(inventory.libraries) == 3
    from sbomgen.emit.cyclonedx import CycloneDxJson
    from sbomgen.emit.interface import DocumentMeta
    from sbomgen.pipeline import timestamp

    when, _ = timestamp()
    files = CycloneDxJson().render(
        inventory, DocumentMeta(name="cyclic", timestamp=when, file_stem="cyclic")
    )
    doc = json.loads(files["cyclic.cdx.json"])
    deps = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert (
        f"mend-lib:{k[2]}" in deps[f"mend-lib:{k[1]}"]
        and f"mend-lib:{k[1]}" in deps[f"mend-lib:{k[2]}"]
    )


def test_cyclonedx_of_the_sample_carries_purls_and_expressions(
    tmp_path: Path, sample: Inventory
) -> None:
    out = tmp_path / "out"
    assert run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    doc = json.loads((out / "Acme-Corp.cdx.json").read_text())
    by_key = {
        next(p["value"] for p in c["properties"] if p["name"] == "mend:keyUuid"): c
        for c in doc["components"]
        if c["type"] == "library"
    }
    for key, expected in EXPECTED.items():
        comp = by_key[key]
        assert comp.get("purl") == expected.purl
        licenses = comp.get("licenses", [])
        # CycloneDX 1.6: the concluded license, acknowledged "concluded", and the declared
        # one, acknowledged "declared", each when known; beside an expression only the
        # concluded one (CycloneDX allows one expression, or single licenses)
        entries = []
        for expression, acknowledgement in (
            (expected.concluded, "concluded"),
            (expected.declared, "declared"),
        ):
            if expression == NOASSERTION:
                continue
            if " " in expression or expression.startswith("LicenseRef-"):
                entries.append({"expression": expression, "acknowledgement": acknowledgement})
            else:
                entries.append({"license": {"id": expression, "acknowledgement": acknowledgement}})
        if len(entries) == 2 and not all("license" in e for e in entries):
            entries = entries[:1]
        assert licenses == entries


def test_inventory_lists_what_needs_attention(tmp_path: Path) -> None:
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT)
    assert result.code == 0, result.stderr
    out = result.stdout
    rows = {
        line.rsplit(None, 1)[0]: line.rsplit(None, 1)[1]
        for line in out.splitlines()
        if line.strip()
    }
    assert rows["CDDL-1.1 OR (GPL-2.0-only WITH Classpath-exception-2.0)"] == "3"
    assert "Libraries without a purl: 1\n  - openssl-libs 1.1.1k-7.el8_6" in out
    assert "Libraries without a license (NOASSERTION): 1\n  - component-bind 1.0.0" in out
    assert "Libraries with licenses Mend only suspected: 2" in out
    assert "Libraries with an inferred license choice: 6" in out
    assert "LicenseRef-Acme-Proprietary-License" in out


def test_license_map_and_curation_through_the_cli(tmp_path: Path) -> None:
    license_map = tmp_path / "map.toml"
    license_map.write_text(
        '[licenses]\n"Public Domain" = "CC-PDDC"\n\n'
        '[[curations]]\npurl = "pkg:npm/component-bind@1.0.0"\nlicense = "MIT"\n'
        'reason = "the 1.0.0 tarball\'s Readme states MIT"\n'
    )
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT, "--license-map", license_map)
    assert result.code == 0, result.stderr
    assert (
        "Curations applied: 1\n  - component-bind 1.0.0: concluded MIT (declared NOASSERTION)"
        in result.stdout
    )
    assert f"[{license_map}:4]" in result.stdout
    assert (
        "Licenses mapped by the license map: 1\n  - xmlpull:xmlpull 1.1.3.1: 'Public Domain' -> CC-PDDC"
        in result.stdout
    )
    assert "Libraries without a license (NOASSERTION): 0" in result.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[licenses]\n"X" = "MIT"\n"Y" = "NOT A LICENSE"\n')
    refused = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--license-map", bad, "--out", tmp_path / "o"
    )
    assert refused.code == 3
    assert f"{bad}:3" in refused.stderr and not (tmp_path / "o").exists()


def test_multi_license_and(tmp_path: Path) -> None:
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT, "--multi-license", "and")
    assert result.code == 0
    assert "CDDL-1.1 AND (GPL-2.0-only WITH Classpath-exception-2.0)" in result.stdout


def test_unmappable_license_warns_naming_the_library(start_emulator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    data = {
        "organization": {"orgName": "O", "orgToken": "org-o"},
        "products": [
            {
                "name": "P",
                "token": "prod-o",
                "projects": [
                    {"name": "p", "token": "proj-o", "dependencies": [{"keyUuid": "k-1"}]}
                ],
            }
        ],
        "libraries": {
            "k-1": {
                "keyId": 1,
                "type": "NODE_PACKAGED_MODULE",
                "languageType": "javascript/Node.js",
                "groupId": "weird",
                "name": "weird",
                "version": "1.0.0",
                "licenses": [{"name": "Acme «Special» Licence ©"}],
            }
        },
    }
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "dataset.json").write_text(json.dumps(data))
    mend = start_emulator(tmp_path / "ds")
    env = mend.env()
    env["MEND_ORG_TOKEN"] = "org-o"
    result = run_cli(
        "generate", "--product", "prod-o", "--out", tmp_path / "out", env=env, cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    assert (
        "weird 1.0.0: Mend license 'Acme «Special» Licence ©' has no SPDX id; emitted as LicenseRef-Acme-Special-Licence"
        in result.stderr
    )
    doc = json.loads((tmp_path / "out" / "P.cdx.json").read_text())
    lib = next(c for c in doc["components"] if c["type"] == "library")
    assert lib["licenses"] == [  # concluded, the same as declared (one expression only)
        {"expression": "LicenseRef-Acme-Special-Licence", "acknowledgement": "concluded"}
    ]
