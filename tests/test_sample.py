"""The bundled sample: what it holds, that its snapshot is current, and its SBOM."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAMPLE_DATASET, SAMPLE_SNAPSHOT, Mend, names, read_json, run_cli

from sbomgen.model import Inventory
from sbomgen.sources.fetcher import Fetcher, FetchScope
from sbomgen.sources.snapshot import SnapshotReplay

sys.path.insert(0, str(SAMPLE_DATASET.parent))
from regenerate import regenerate


@pytest.fixture(scope="module")
def sample() -> Inventory:
    replay = SnapshotReplay(SAMPLE_SNAPSHOT)
    return Fetcher(replay).fetch(FetchScope(org=True))


def test_snapshot_is_current(tmp_path: Path) -> None:
    """samples/acme is exactly what fetching samples/acme-dataset records today."""
    fresh = tmp_path / "acme"
    regenerate(SAMPLE_DATASET, fresh)
    old, new = read_json(SAMPLE_SNAPSHOT / "manifest.json"), read_json(fresh / "manifest.json")
    for volatile in ("server", "sbomgenVersion"):
        old.pop(volatile), new.pop(volatile)
    assert old == new, "run: python samples/regenerate.py"
    for entry in new["requests"]:  # type: ignore[attr-defined]
        assert (SAMPLE_SNAPSHOT / entry["file"]).read_bytes() == (
            fresh / entry["file"]
        ).read_bytes()


def test_snapshot_replays_to_the_live_model(acme: Mend, sample: Inventory) -> None:
    with acme.client() as client:
        live = Fetcher(client).fetch(FetchScope(org=True))
    assert live == sample


def test_sample_has_what_the_issue_asks_for(sample: Inventory) -> None:
    libs = list(sample.libraries.values())
    assert len(sample.products) == 3 and len(sample.projects) == 10
    assert len(libs) >= 60
    types = Counter(lib.type for lib in libs)
    for mend_type in (
        "MAVEN_ARTIFACT",
        "NODE_PACKAGED_MODULE",
        "PYTHON_PACKAGE",
        "SOURCE_LIBRARY",
        "GO_PACKAGE",
        "NUGET_PACKAGE_MODULE",
        "DOT_NET_AS_GENERIC_RESOURCE",
        "REDHAT_PACKAGE_MODULE",
        "UNKNOWN_ARTIFACT",
    ):
        assert types[mend_type], mend_type
    languages = Counter(lib.language_type for lib in libs)
    for language in ("Go", ".NET", "Nuget", "javascript/Bower", "Debian", "Alpine", "RPM", "Ruby"):
        assert languages[language], language
    # the coordinates the issue names: a Go archive name, a .NET publisher, file-name facts
    assert any(lib.artifact_id == "mux-v1.8.0.zip" for lib in libs)
    assert any(lib.group_id == "The Apache Software Foundation" for lib in libs)
    assert any((lib.filename or "").endswith("_amd64.deb") for lib in libs)
    assert any(lib.group_id == "libstdc++" for lib in libs)
    assert any((lib.filename or "").endswith("-x86_64-linux.gem") for lib in libs)
    assert any(lib.name and lib.name.startswith("@") for lib in libs), "a scoped npm package"
    # shared across projects, and across products
    assert any(len(lib.projects) > 1 for lib in libs)
    assert any(len({o.product for o in lib.occurrences}) > 1 for lib in libs)
    # a hierarchy at least three levels deep
    assert max(_depth(p.edges) for p in sample.projects.values()) >= 3
    names = Counter(lic.name for lib in libs for lic in lib.licenses)
    assert any(len(lib.licenses) >= 2 for lib in libs), "dual license"
    assert names["Unknown License"]
    assert any(n.startswith("Suspected ") for n in names)
    assert sum(1 for lib in libs if lib.vulnerabilities) == 7
    assert sum(1 for lib in libs if lib.in_house) == 1
    assert sum(1 for lib in libs if lib.copyrights) >= 20
    assert any(lib.notices for lib in libs)


def _depth(edges: object) -> int:
    children: dict[object, list[object]] = {}
    for e in edges:  # type: ignore[attr-defined]
        children.setdefault(e.parent, []).append(e.child)

    def walk(node: object, seen: frozenset[object]) -> int:
        if node in seen:
            return 0
        return 1 + max((walk(c, seen | {node}) for c in children.get(node, [])), default=0)

    return walk(None, frozenset()) - 1


def test_readme_first_command_writes_a_valid_sbom_with_each_library_once(
    tmp_path: Path, sample: Inventory
) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    out = tmp_path / "out"
    result = run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out)
    assert result.code == 0, result.stderr
    assert names(out) == [
        "Acme-Corp.cdx.json",
        "Acme-Corp.spdx.json",
        "SHA256SUMS",
    ]
    path = out / "Acme-Corp.cdx.json"
    text = path.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    doc = json.loads(text)
    assert doc["specVersion"] == "1.6"
    keys = [
        prop["value"]
        for comp in doc["components"]
        for prop in comp.get("properties", [])
        if prop["name"] == "mend:keyUuid"
    ]
    assert sorted(keys) == sorted(sample.libraries)  # each library exactly once
    refs = [c["bom-ref"] for c in doc["components"]]
    assert (
        len(refs)
        == len(set(refs))
        == len(sample.libraries) + len(sample.projects) + len(sample.products)
    )
    # every edge of every project's hierarchy is in the dependency graph
    graph = {d["ref"]: set(d.get("dependsOn", [])) for d in doc["dependencies"]}
    for project in sample.projects.values():
        for edge in project.edges:
            if edge.parent is not None:
                assert f"mend-lib:{edge.child}" in graph[f"mend-lib:{edge.parent}"]


def test_inventory_counts(sample: Inventory) -> None:
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT)
    assert result.code == 0, result.stderr
    table = result.stdout.split("\n\n", 1)[0].splitlines()[2:]
    rows = dict((line.rsplit(None, 1)[0].strip(), int(line.rsplit(None, 1)[1])) for line in table)
    libs = sample.libraries.values()
    assert rows["products"] == 3 and rows["projects"] == 10
    assert rows["libraries"] == len(sample.libraries)
    assert rows["direct (in at least one project)"] == sum(1 for lib in libs if lib.direct_anywhere)
    assert rows["vulnerable libraries"] == 7
    assert rows["in-house"] == 1
    purls = result.stdout.split("Package URLs per Mend type\n", 1)[1].split("\n\n", 1)[0]
    assert "GO_PACKAGE / Go" in purls and "UNKNOWN_ARTIFACT / javascript/Bower" in purls
    rpm = [line for line in purls.splitlines() if line.startswith("REDHAT_PACKAGE_MODULE / RPM")]
    assert rpm and rpm[0].split()[-3:] == ["0", "1", "0"]  # built, missing, file only
    assert "1 without: the RPM vendor is not stated" in purls


def test_narrowing_a_snapshot_to_one_product(tmp_path: Path, sample: Inventory) -> None:
    product = next(p for p in sample.products.values() if p.name == "Acme Payments")
    out = tmp_path / "out"
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--product", product.token, "--out", out
    )
    assert result.code == 0, result.stderr
    doc = read_json(out / "Acme-Payments.cdx.json")
    projects = [c["name"] for c in doc["components"] if c["type"] == "application"]  # type: ignore[index,union-attr]
    assert sorted(projects) == sorted(sample.projects[t].name for t in product.projects)
