"""``sbomgen diff OLD NEW``: two releases' SBOMs (or snapshots) compared, through the real
CLI on real files.

The sample is generated as is, and from a modified copy of its dataset served by the
emulator (fetched into a snapshot, then generated): a version up, one down, a library
removed, one added, a license changed, a vulnerability added, a VEX decision changed. The
diff must list exactly those changes, whichever standard, format or snapshot each side is.
Third-party SBOMs (cyclonedx-py, sbom4python) of two virtual environments are compared too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_DATASET, SAMPLE_SNAPSHOT, CliResult, _start, clean_env, run_cli

from sbomgen.gates.diff import NATURAL, compare_versions, natural_compare
from sbomgen.sources.documents import read_document

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "sbomgen/schemas/sbomgen-diff-1.schema.json").read_text()
)
FORMATS = "cyclonedx-json,cyclonedx-xml,cyclonedx-vex,spdx-json,spdx-tv,spdx3-json"


def diff(*args: str | Path) -> tuple[CliResult, dict[str, Any]]:
    """``sbomgen diff --format json``, its report checked against the published schema."""
    import jsonschema_rs

    result = run_cli("diff", "--format", "json", *args)
    assert result.code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    jsonschema_rs.validator_for(SCHEMA).validate(report)
    assert report["differences"] == (result.code == 1)
    return result, report


def changes(report: dict[str, Any]) -> dict[str, set[tuple[Any, ...]]]:
    """A report's changes, as sets that compare whole."""
    comps, vulns = report["components"], report["vulnerabilities"]
    return {
        "added": {(c["identity"], c["version"]) for c in comps["added"]},
        "removed": {(c["identity"], c["version"]) for c in comps["removed"]},
        "upgraded": {
            (c["identity"], c["old_version"], c["new_version"]) for c in comps["upgraded"]
        },
        "downgraded": {
            (c["identity"], c["old_version"], c["new_version"]) for c in comps["downgraded"]
        },
        "version_changed": {
            (c["identity"], c["old_version"], c["new_version"]) for c in comps["version_changed"]
        },
        "licenses": {
            (c["identity"], c["old_license"], c["new_license"]) for c in report["licenses"]
        },
        "new": {(v["id"], v["component"]["identity"]) for v in vulns["new"]},
        "fixed": {(v["id"], v["component"]["identity"]) for v in vulns["fixed"]},
        "vex": {
            (
                v["id"],
                v["component"]["identity"],
                tuple(v["old_states"]),
                tuple(v["new_states"]),
            )
            for v in vulns["vex_changed"]
        },
    }


NOTHING: dict[str, set[tuple[Any, ...]]] = {
    k: set()
    for k in (
        "added", "removed", "upgraded", "downgraded", "version_changed", "licenses", "new",
        "fixed", "vex",
    )
}  # fmt: skip

# What the modified dataset changes, as the diff must list it
EXPECTED: dict[str, set[tuple[Any, ...]]] = {
    **NOTHING,
    "added": {("pkg:pypi/six", "1.16.0")},
    "removed": {("pkg:npm/color-name", "1.1.4")},
    "upgraded": {("pkg:maven/org.apache.commons/commons-lang3", "3.12.0", "3.14.0")},
    "downgraded": {("pkg:npm/ms", "2.1.2", "2.0.0")},
    "licenses": {("pkg:maven/org.slf4j/slf4j-api", "MIT", "Apache-2.0")},
    "new": {("CVE-2024-35195", "pkg:pypi/requests")},
    "vex": {
        (
            "CVE-2023-28840",
            "pkg:golang/github.com/docker/docker",
            ("not_affected",),
            ("exploitable",),
        )
    },
}
# sbomgen's SPDX documents cannot assert a LicenseRef without its text (Mend has none for
# xmlpull's "Public Domain"): NOASSERTION there, the license in CycloneDX and the model
XMLPULL = ("pkg:maven/xmlpull/xmlpull", "LicenseRef-Public-Domain", None)

# keyUuids of the sample dataset's libraries
COMMONS_LANG3 = "4fb03b3c-a48a-423e-aee9-952bba01f384"
MS = "2499d4b8-573f-4d36-a794-d403b8ce0ef6"
COLOR_NAME = "e93518c9-89d7-4b81-b349-4b0476a5ddcb"
SLF4J = "ed577d14-7587-455b-a4cf-159898ffe8d4"
REQUESTS = "5e73656f-b27e-4a9a-bbc2-35fc053c214d"
DOCKER = "1fcda503-2323-5807-a59e-c1c520dad7e0"
SIX = "0d1f4b6e-5a2c-4c1e-9b7a-3f6e2d8c9a10"


def _modify(dataset: dict[str, Any]) -> None:
    libs = dataset["libraries"]
    # a version up (Maven) and one down (npm)
    lang3 = libs[COMMONS_LANG3]
    lang3.update(
        version="3.14.0",
        filename="commons-lang3-3.14.0.jar",
        coordinates="org.apache.commons:commons-lang3:3.14.0",
    )
    libs[MS].update(version="2.0.0", filename="ms-2.0.0.tgz", coordinates="ms:ms:2.0.0")
    # a library removed: from the libraries, every dependency tree and inventory
    del libs[COLOR_NAME]

    def prune(deps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**d, "dependencies": prune(d.get("dependencies", []))}
            for d in deps
            if d["keyUuid"] != COLOR_NAME
        ]

    projects = [pr for p in dataset["products"] for pr in p["projects"]]
    for pr in projects:
        pr["dependencies"] = prune(pr["dependencies"])
        pr["inventory"].pop(COLOR_NAME, None)
    # a library added, beside requests in storefront-worker
    libs[SIX] = {
        "keyId": 1 + max(lib.get("keyId", 0) for lib in libs.values()),
        "filename": "six-1.16.0-py2.py3-none-any.whl",
        "name": "six",
        "groupId": "six",
        "artifactId": "six-1.16.0-py2.py3-none-any.whl",
        "version": "1.16.0",
        "sha1": "8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a15",
        "type": "PYTHON_PACKAGE",
        "languageType": "Python",
        "coordinates": "six:six-1.16.0-py2.py3-none-any.whl:1.16.0",
        "description": "Python 2 and 3 compatibility utilities",
        "references": {"url": "https://github.com/benjaminp/six"},
        "licenses": [
            {
                "name": "MIT",
                "spdxName": "MIT",
                "url": "http://www.opensource.org/licenses/MIT",
                "references": [],
            }
        ],
        "copyrightReferences": [],
    }
    worker = next(pr for pr in projects if pr["name"] == "storefront-worker")
    worker["dependencies"].append({"keyUuid": SIX, "dependencies": []})
    worker["inventory"][SIX] = {
        "matchType": "SHA1",
        "outdated": False,
        "locations": [
            {"path": "/home/ci/.cache/pip/six-1.16.0-py2.py3-none-any.whl", "matchType": "SHA1"}
        ],
    }
    # a license changed
    libs[SLF4J]["licenses"] = [
        {
            "name": "Apache 2.0",
            "spdxName": "Apache-2.0",
            "url": "http://www.opensource.org/licenses/Apache-2.0",
            "references": [],
        }
    ]
    # a vulnerability added
    libs[REQUESTS]["vulnerabilities"] = [
        {
            "name": "CVE-2024-35195",
            "type": "CVE",
            "severity": "medium",
            "score": 5.6,
            "cvss3_severity": "medium",
            "cvss3_score": 5.6,
            "publishDate": "2024-05-20",
            "url": "https://nvd.nist.gov/vuln/detail/CVE-2024-35195",
            "description": "Requests Session objects keep verify=False for later requests.",
            "fixResolutionText": "Upgrade to version requests - 2.32.0",
        }
    ]
    # a VEX decision changed: "the code is not in our build" becomes a risk accepted
    (vuln,) = [v for v in libs[DOCKER]["vulnerabilities"] if v["name"] == "CVE-2023-28840"]
    vuln["ignored"] = {"comment": "Risk accepted until the Moby 24 upgrade; won't fix now."}


def _fetch_and_generate(root: Path, dataset_dir: Path) -> tuple[Path, Path]:
    """Serve ``dataset_dir``, fetch it whole into root/snapshot, generate root/docs."""
    running: Iterator[Any] = _start(dataset_dir)
    mend = next(running)
    try:
        snapshot = root / "snapshot"
        fetched = run_cli("fetch", "--org", "--out", snapshot, "-q", env=mend.env())
        assert fetched.code == 0, fetched.stderr
    finally:
        next(running, None)
    docs = root / "docs"
    made = run_cli("generate", "--snapshot", snapshot, "--out", docs, "--format", FORMATS, "-q")
    assert made.code == 0, made.stderr
    return snapshot, docs


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's documents (``sbomgen generate --snapshot samples/acme``)."""
    out = tmp_path_factory.mktemp("base") / "docs"
    made = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out, "--format", FORMATS, "-q"
    )
    assert made.code == 0, made.stderr
    return out


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(snapshot, documents) of the modified copy of the sample dataset, served by the
    emulator and fetched as a user would."""
    root = tmp_path_factory.mktemp("changed")
    dataset_dir = root / "dataset"
    shutil.copytree(SAMPLE_DATASET, dataset_dir)
    path = dataset_dir / "dataset.json"
    dataset = json.loads(path.read_text(encoding="utf-8"))
    _modify(dataset)
    path.write_text(json.dumps(dataset, indent=1), encoding="utf-8")
    return _fetch_and_generate(root, dataset_dir)


# -- the sample against a modified copy ------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Acme-Corp.cdx.json", "Acme-Corp.cdx.json"),
        ("Acme-Corp.cdx.xml", "Acme-Corp.cdx.json"),
        ("Acme-Corp.spdx.json", "Acme-Corp.spdx.json"),
        ("Acme-Corp.spdx", "Acme-Corp.spdx3.json"),
        ("Acme-Corp.spdx3.json", "Acme-Corp.spdx3.json"),
    ],
)
def test_the_modified_copy_shows_exactly_its_changes(
    base: Path, changed: tuple[Path, Path], old: str, new: str
) -> None:
    result, report = diff(base / old, changed[1] / new)
    assert result.code == 1
    assert changes(report) == EXPECTED
    # the added vulnerability, rated where the standard carries ratings (CycloneDX); the
    # upgraded component ordered as Maven orders versions
    (added,) = report["vulnerabilities"]["new"]
    rated = ("medium", 5.6) if new.startswith("Acme-Corp.cdx") else (None, None)
    assert (added["severity"], added["score"], added["states"]) == (*rated, [None])
    assert report["components"]["upgraded"][0]["ordering"] == "maven"


def test_cyclonedx_against_spdx_of_the_other_release(
    base: Path, changed: tuple[Path, Path]
) -> None:
    """CycloneDX JSON of the sample against SPDX JSON of the copy: the same changes, and
    xmlpull's license, which only the CycloneDX side can state."""
    _, report = diff(base / "Acme-Corp.cdx.json", changed[1] / "Acme-Corp.spdx.json")
    want = {**EXPECTED, "licenses": EXPECTED["licenses"] | {XMLPULL}}
    assert changes(report) == want


def test_snapshots_as_inputs(base: Path, changed: tuple[Path, Path]) -> None:
    snapshot, docs = changed
    _, report = diff(SAMPLE_SNAPSHOT, snapshot)
    assert changes(report) == EXPECTED
    assert report["old"]["kind"] == report["new"]["kind"] == "snapshot"
    # a snapshot against a document: of the other release, and of its own
    _, report = diff(SAMPLE_SNAPSHOT, docs / "Acme-Corp.cdx.json")
    assert changes(report) == EXPECTED
    result, report = diff(snapshot, docs / "Acme-Corp.cdx.xml")
    assert result.code == 0 and changes(report) == NOTHING
    result, _ = diff(SAMPLE_SNAPSHOT, SAMPLE_SNAPSHOT)
    assert result.code == 0


# -- one run, several standards ----------------------------------------------------------------


@pytest.mark.parametrize(
    "other", ["Acme-Corp.spdx.json", "Acme-Corp.spdx3.json", "Acme-Corp.spdx", "Acme-Corp.cdx.xml"]
)
def test_documents_of_one_run_find_no_component_change(base: Path, other: str) -> None:
    _, report = diff(base / "Acme-Corp.cdx.json", base / other)
    found = changes(report)
    assert found == {**NOTHING, "licenses": found["licenses"]}
    assert found["licenses"] == (set() if other.startswith("Acme-Corp.cdx") else {XMLPULL})
    assert report["old"]["components"] == report["new"]["components"] == 67
    assert report["old"]["vulnerabilities"] == report["new"]["vulnerabilities"] == 13


def test_the_snapshot_and_its_documents_agree(base: Path) -> None:
    for name in ("Acme-Corp.cdx.json", "Acme-Corp.cdx.xml"):
        result, report = diff(SAMPLE_SNAPSHOT, base / name)
        assert result.code == 0, report
    result = run_cli("diff", SAMPLE_SNAPSHOT, base / "Acme-Corp.cdx.json")
    assert result.code == 0
    assert "No differences" in result.stdout


def test_the_vex_document_names_the_sboms_components(base: Path) -> None:
    """The CycloneDX VEX document's BOM-Links resolve to the SBOM's bom-refs, with the
    SBOM's decisions."""
    sbom = read_document("a", (base / "Acme-Corp.cdx.json").read_bytes())
    vex = read_document("b", (base / "Acme-Corp.vex.cdx.json").read_bytes())
    assert sbom is not None and vex is not None
    decided = {(f.id, f.ref, f.state, f.justification) for f in sbom.vulnerability_facts}
    stated = {(f.id, f.ref, f.state, f.justification) for f in vex.vulnerability_facts}
    assert stated and all(f.ref in sbom.components for f in vex.vulnerability_facts)
    assert stated == {d for d in decided if d[2] is not None}


def test_decisions_per_project_read_alike_in_every_standard(tmp_path: Path) -> None:
    """A library in two projects, one of which decided about its vulnerability: the
    decision and the other project's open alert read the same from the snapshot and from
    each document (CycloneDX states the decision for the project, SPDX 2 in an annotation
    naming the library, SPDX 3 with the library as the assessed element)."""
    dataset_dir = tmp_path / "dataset"
    shutil.copytree(SAMPLE_DATASET, dataset_dir)
    path = dataset_dir / "dataset.json"
    dataset = json.loads(path.read_text(encoding="utf-8"))
    dataset["libraries"][SLF4J]["vulnerabilities"] = [
        {
            "name": "CVE-2099-0001",
            "type": "CVE",
            "severity": "high",
            "score": 7.5,
            "cvss3_severity": "high",
            "cvss3_score": 7.5,
            "publishDate": "2099-01-01",
            "url": "https://nvd.nist.gov/vuln/detail/CVE-2099-0001",
            "ignoredIn": {
                "payments-gateway": {"comment": "Not affected: the code is never called here."}
            },
        }
    ]
    path.write_text(json.dumps(dataset), encoding="utf-8")
    snapshot, docs = _fetch_and_generate(tmp_path, dataset_dir)
    for name in ("Acme-Corp.cdx.json", "Acme-Corp.spdx.json", "Acme-Corp.spdx3.json"):
        _, report = diff(snapshot, docs / name)
        found = changes(report)
        assert found == {**NOTHING, "licenses": found["licenses"]}, name
    view = read_document("x", (docs / "Acme-Corp.cdx.json").read_bytes())
    assert view is not None
    states = {(f.state, f.justification) for f in view.vulnerability_facts if f.ref.endswith(SLF4J)}
    assert states == {(None, None), ("not_affected", "code_not_reachable")}


# -- exit codes and errors -------------------------------------------------------------------


def test_exit_codes(base: Path, changed: tuple[Path, Path], tmp_path: Path) -> None:
    same = run_cli("diff", base / "Acme-Corp.cdx.json", base / "Acme-Corp.cdx.json")
    assert same.code == 0 and same.stderr == ""
    differs = run_cli("diff", base / "Acme-Corp.cdx.json", changed[1] / "Acme-Corp.cdx.json")
    assert differs.code == 1 and differs.stdout

    missing = run_cli("diff", base / "Acme-Corp.cdx.json", tmp_path / "nowhere.json")
    assert missing.code == 2 and "nowhere.json" in missing.stderr

    not_sbom = tmp_path / "notes.json"
    not_sbom.write_text('{"hello": "world"}', encoding="utf-8")
    bad = run_cli("diff", base / "Acme-Corp.cdx.json", not_sbom)
    assert bad.code == 2 and bad.stdout == ""
    assert str(not_sbom) in bad.stderr and "Traceback" not in bad.stderr
    verbose = run_cli("-v", "diff", base / "Acme-Corp.cdx.json", not_sbom)
    assert verbose.code == 2 and "Traceback" in verbose.stderr

    broken = tmp_path / "broken.cdx.json"
    broken.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": 5}')
    result = run_cli("diff", broken, base / "Acme-Corp.cdx.json")
    assert result.code == 2 and str(broken) in result.stderr and "Traceback" not in result.stderr

    no_snapshot = tmp_path / "empty"
    no_snapshot.mkdir()
    result = run_cli("diff", no_snapshot, base / "Acme-Corp.cdx.json")
    assert (
        result.code == 2 and "manifest.json" in result.stderr and str(no_snapshot) in result.stderr
    )

    usage = run_cli(
        "diff", "--format", "html", base / "Acme-Corp.cdx.json", base / "Acme-Corp.cdx.json"
    )
    assert usage.code == 2


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_for_release_notes(base: Path, changed: tuple[Path, Path]) -> None:
    result = run_cli(
        "diff",
        "--format",
        "markdown",
        base / "Acme-Corp.cdx.json",
        changed[1] / "Acme-Corp.cdx.json",
    )
    assert result.code == 1
    md = result.stdout
    lines = md.splitlines()
    assert lines[0] == "## SBOM diff"
    assert "| Change | Count |" in lines and "| --- | ---: |" in lines
    for row in ("| Added | 1 |", "| Removed | 1 |", "| Upgraded | 1 |", "| Downgraded | 1 |",
                "| License changed | 1 |", "| New vulnerabilities | 1 |",
                "| Fixed vulnerabilities | 0 |", "| VEX state changed | 1 |"):  # fmt: skip
        assert row in lines, row
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == [
        "### Added (1)",
        "### Removed (1)",
        "### Upgraded (1)",
        "### Downgraded (1)",
        "### License changed (1)",
        "### New vulnerabilities (1)",
        "### VEX state changed (1)",
    ]
    assert "| `pkg:maven/org.apache.commons/commons-lang3` | 3.12.0 | 3.14.0 |" in lines
    assert "| `pkg:npm/ms` | 2.1.2 | 2.0.0 |" in lines
    assert "| `pkg:pypi/six` | 1.16.0 | MIT |" in lines
    assert "| `pkg:maven/org.slf4j/slf4j-api` | 1.7.21 | MIT | Apache-2.0 |" in lines
    assert "| `CVE-2024-35195` | `pkg:pypi/requests` | 2.32.4 | medium | 5.6 | — |" in lines
    assert any(
        line.startswith("| `CVE-2023-28840` | `pkg:golang/github.com/docker/docker` |")
        and "not_affected (code_not_present) | exploitable |" in line
        for line in lines
    )
    # every table row has as many cells as its header
    table_rows = [line for line in lines if line.startswith("|")]
    assert all(line.endswith("|") for line in table_rows)

    same = run_cli(
        "diff", "--format", "markdown", base / "Acme-Corp.cdx.json", base / "Acme-Corp.cdx.xml"
    )
    assert same.code == 0
    assert same.stdout.startswith("## SBOM diff\n") and "No differences" in same.stdout


# -- version ordering ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ecosystem", "lower", "higher", "scheme"),
    [
        ("maven", "1.9", "1.10", "maven"),
        ("maven", "1.0-SNAPSHOT", "1.0", "maven"),
        ("maven", "1.0-alpha-1", "1.0-beta-1", "maven"),
        ("npm", "1.0.0-alpha", "1.0.0", "npm"),
        ("npm", "1.0.0-alpha.1", "1.0.0-beta", "npm"),
        ("npm", "1.0.0-rc.1", "1.0.0", "npm"),
        ("npm", "1.9.0", "1.10.0", "npm"),
        ("pypi", "1.0", "1.0.post1", "pypi"),
        ("pypi", "1.0rc1", "1.0", "pypi"),
        ("pypi", "1.0.post1", "1.0.1", "pypi"),
        ("pypi", "1.0.dev1", "1.0a1", "pypi"),
        ("deb", "2.0-1", "1:1.0-1", "deb"),
        ("deb", "1.2.13.dfsg-1", "1:1.2.13.dfsg-1", "deb"),
        ("deb", "1.0~rc1-1", "1.0-1", "deb"),
        ("golang", "v1.9.0", "v1.10.0", "golang"),
        ("gem", "1.13.9", "1.13.10", "gem"),
        ("nuget", "1.0.0-beta", "1.0.0", "nuget"),
        ("bower", "3.4.1", "3.10.0", "npm"),  # bower versions are semver
    ],
)
def test_versions_in_each_ecosystems_order(
    ecosystem: str, lower: str, higher: str, scheme: str
) -> None:
    assert compare_versions(ecosystem, lower, higher) == (-1, scheme)
    assert compare_versions(ecosystem, higher, lower) == (1, scheme)


def test_the_natural_ordering_where_univers_has_no_scheme() -> None:
    # no scheme for the purl type, or none at all (no purl)
    assert compare_versions("hackage", "1.9", "1.10") == (-1, NATURAL)
    assert compare_versions(None, "1.0rc1", "1.0") == (-1, NATURAL)
    # a version the ecosystem's scheme cannot read (univers' Alpine one refuses _git)
    result, used = compare_versions("apk", "12.2.1_git20220924-r4", "12.2.1_git20230101-r0")
    assert result == -1 and used.startswith(NATURAL) and "apk" in used
    assert natural_compare("1.0", "1.0.1") == -1
    assert natural_compare("1.0a", "1.0") == -1
    assert natural_compare("v2", "1.9") == 1
    assert natural_compare("1.0", "1.0") == 0
    assert compare_versions("maven", "1.0", "1.0.0") == (0, "maven")


def _cdx(path: Path, components: list[dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "version": 1,
                "components": [{"type": "library", **c} for c in components],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_upgrades_and_downgrades_through_the_cli(tmp_path: Path) -> None:
    def lib(purl: str, version: str, ref: str) -> dict[str, Any]:
        name = purl.rsplit("/", 1)[-1]
        return {"bom-ref": ref, "name": name, "version": version, "purl": f"{purl}@{version}"}

    old = _cdx(
        tmp_path / "old.json",
        [
            lib("pkg:maven/org.example/core", "1.9", "a"),
            lib("pkg:npm/left-pad", "1.0.0", "b"),
            lib("pkg:pypi/tiny", "1.0", "c"),
            lib("pkg:deb/debian/zlib1g", "2.0-1", "d"),
            # two versions of one package: 1.2 stays, 2.0 goes up
            lib("pkg:npm/shared", "1.2.0", "e"),
            lib("pkg:npm/shared", "2.0.0", "f"),
            # no purl: matched by group and name
            {"bom-ref": "g", "name": "vendored", "group": "acme", "version": "1.9"},
        ],
    )
    new = _cdx(
        tmp_path / "new.json",
        [
            lib("pkg:maven/org.example/core", "1.10", "a"),
            lib("pkg:npm/left-pad", "1.0.0-rc.1", "b"),
            lib("pkg:pypi/tiny", "1.0.post1", "c"),
            lib("pkg:deb/debian/zlib1g", "1:1.0-1", "d"),
            lib("pkg:npm/shared", "1.2.0", "e"),
            lib("pkg:npm/shared", "2.1.0", "f"),
            {"bom-ref": "g", "name": "Vendored", "group": "acme", "version": "1.10"},
        ],
    )
    result, report = diff(old, new)
    assert result.code == 1
    found = changes(report)
    assert found["upgraded"] == {
        ("pkg:maven/org.example/core", "1.9", "1.10"),
        ("pkg:pypi/tiny", "1.0", "1.0.post1"),
        ("pkg:deb/debian/zlib1g", "2.0-1", "1:1.0-1"),
        ("pkg:npm/shared", "2.0.0", "2.1.0"),
        ("name:acme/vendored", "1.9", "1.10"),
    }
    assert found["downgraded"] == {("pkg:npm/left-pad", "1.0.0", "1.0.0-rc.1")}
    assert found["added"] == found["removed"] == set()
    by_identity = {c["identity"]: c for c in report["components"]["upgraded"]}
    assert by_identity["name:acme/vendored"]["matched_by"] == "name"
    assert by_identity["name:acme/vendored"]["ordering"] == NATURAL
    assert any("matched by name" in note for note in report["notes"])
    text = run_cli("diff", old, new).stdout
    assert "pkg:maven/org.example/core: 1.9 -> 1.10 (maven ordering)" in text
    assert "pkg:npm/left-pad: 1.0.0 -> 1.0.0-rc.1 (npm ordering)" in text


# -- SBOMs nobody here wrote -------------------------------------------------------------------


def _wheel(out: Path, name: str, version: str, license_id: str) -> None:
    """A minimal pure-Python wheel, so that the virtual environments need no index."""
    dist = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f'__version__ = "{version}"\n',
        f"{dist}/METADATA": (
            f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n"
            f"Summary: a package of sbomgen's tests\nLicense-Expression: {license_id}\n"
        ),
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    with zipfile.ZipFile(out / f"{name}-{version}-py3-none-any.whl", "w") as z:
        for file, text in files.items():
            data = text.encode()
            z.writestr(file, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{file},sha256={digest.decode()},{len(data)}")
        z.writestr(f"{dist}/RECORD", "\n".join([*record, f"{dist}/RECORD,,"]) + "\n")


def _venv(path: Path, wheels: Path, *requirements: str) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", path], check=True)
    python = path / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-index",
         "--find-links", wheels, *requirements],
        check=True, env=clean_env(),
    )  # fmt: skip
    return python


def _tool(name: str) -> Path:
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.skip(f"{name} is not installed (the test extras)")
    return path


def test_sboms_of_two_environments_by_cyclonedx_py_and_sbom4python(tmp_path: Path) -> None:
    """Before and after an upgrade (and a license change) and an installation, as
    cyclonedx-py (CycloneDX) and sbom4python (SPDX) see two virtual environments."""
    cyclonedx_py, sbom4python = _tool("cyclonedx-py"), _tool("sbom4python")
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels, "sbomgen_tiny", "1.9", "MIT")
    _wheel(wheels, "sbomgen_tiny", "1.10", "Apache-2.0")
    _wheel(wheels, "sbomgen_extra", "0.1", "BSD-3-Clause")
    before = _venv(tmp_path / "before", wheels, "sbomgen_tiny==1.9")
    after = _venv(tmp_path / "after", wheels, "sbomgen_tiny==1.10", "sbomgen_extra==0.1")
    out: dict[str, Path] = {}
    for label, python in (("before", before), ("after", after)):
        out[f"{label}.cdx"] = tmp_path / f"{label}.cdx.json"
        subprocess.run(
            [cyclonedx_py, "environment", python, "-o", out[f"{label}.cdx"]],
            check=True, env=clean_env(),
        )  # fmt: skip
        for fmt, suffix in (("json", "spdx.json"), ("tag", "spdx")):
            out[f"{label}.{suffix}"] = tmp_path / f"{label}.{suffix}"
            subprocess.run(
                [sbom4python, "--system", "--use-pip", "--python", python, "--format", fmt,
                 "-o", out[f"{label}.{suffix}"]],
                check=True, env=clean_env(), capture_output=True,
            )  # fmt: skip
    components = {
        **NOTHING,
        "added": {("pkg:pypi/sbomgen-extra", "0.1")},
        "upgraded": {("pkg:pypi/sbomgen-tiny", "1.9", "1.10")},
    }
    # cyclonedx-py states the licenses; sbom4python states none of these
    _, report = diff(out["before.cdx"], out["after.cdx"])
    assert changes(report) == {
        **components,
        "licenses": {("pkg:pypi/sbomgen-tiny", "MIT", "Apache-2.0")},
    }
    for old, new in (("before.spdx.json", "after.spdx.json"), ("before.spdx", "after.spdx.json")):
        result, report = diff(out[old], out[new])
        assert result.code == 1 and changes(report) == components, (old, new)
    _, report = diff(out["before.cdx"], out["after.spdx.json"])
    found = changes(report)
    assert {k: v for k, v in found.items() if k != "licenses"} == {
        k: v for k, v in components.items() if k != "licenses"
    }
    # the same environment, by both tools: the same packages
    result, report = diff(out["after.cdx"], out["after.spdx.json"])
    found = changes(report)
    assert found == {**NOTHING, "licenses": found["licenses"]}
    assert run_cli("diff", out["after.spdx"], out["after.spdx.json"]).code == 0


def test_an_openvex_document_is_not_an_sbom_to_compare(tmp_path: Path) -> None:
    out = tmp_path / "out"
    made = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "openvex,cyclonedx-json",
        "--out",
        out,
    )
    assert made.code == 0, made.stderr
    result = run_cli("diff", out / "Acme-Corp.openvex.json", out / "Acme-Corp.cdx.json")
    assert result.code == 2
    assert "an OpenVEX document holds decisions about vulnerabilities" in result.stderr
    assert "Traceback" not in result.stderr


# -- regressions ------------------------------------------------------------------------------


def test_a_version_only_in_the_purl_counts(tmp_path: Path) -> None:
    old = _cdx(
        tmp_path / "old.json", [{"bom-ref": "a", "name": "foo", "purl": "pkg:npm/foo@1.0.0"}]
    )
    new = _cdx(
        tmp_path / "new.json", [{"bom-ref": "a", "name": "foo", "purl": "pkg:npm/foo@2.0.0"}]
    )
    result, report = diff(old, new)
    assert result.code == 1
    assert changes(report)["upgraded"] == {("pkg:npm/foo", "1.0.0", "2.0.0")}
    # a version stated on one side only: changed, not a downgrade to none
    bare = _cdx(tmp_path / "bare.json", [{"bom-ref": "a", "name": "foo", "purl": "pkg:npm/foo"}])
    result, report = diff(old, bare)
    assert result.code == 1
    found = changes(report)
    assert found["downgraded"] == found["upgraded"] == set()
    assert report["components"]["version_changed"][0]["old_version"] == "1.0.0"
    assert report["components"]["version_changed"][0]["new_version"] is None


def test_digests_and_commit_ids_have_no_order(tmp_path: Path) -> None:
    def lib(purl: str, version: str) -> dict[str, Any]:
        return {"bom-ref": purl, "name": purl.rsplit("/", 1)[-1], "version": version, "purl": purl}

    old = _cdx(
        tmp_path / "old.json",
        [lib("pkg:oci/nginx", "sha256:9f0c2b"), lib("pkg:github/acme/mylib", "3f2a9c1")],
    )
    new = _cdx(
        tmp_path / "new.json",
        [lib("pkg:oci/nginx", "sha256:a1b2c3"), lib("pkg:github/acme/mylib", "0be4d77")],
    )
    result, report = diff(old, new)
    assert result.code == 1
    found = changes(report)
    assert found["upgraded"] == found["downgraded"] == set()
    assert len(report["components"]["version_changed"]) == 2
    assert compare_versions("generic", "a" * 40, "b" * 40)[0] == 0
    assert compare_versions("generic", "1234567", "1234568")[0] == -1  # digits: a version


def test_a_cyclonedx_justification_change_is_a_vex_change(tmp_path: Path) -> None:
    def doc(name: str, justification: str) -> Path:
        path = tmp_path / name
        path.write_text(
            json.dumps(
                {
                    "bomFormat": "CycloneDX",
                    "specVersion": "1.6",
                    "version": 1,
                    "components": [
                        {
                            "type": "library",
                            "bom-ref": "log4j",
                            "name": "log4j-core",
                            "version": "2.14.1",
                            "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                        }
                    ],
                    "vulnerabilities": [
                        {
                            "id": "CVE-2021-44228",
                            "affects": [{"ref": "log4j"}],
                            "analysis": {"state": "not_affected", "justification": justification},
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )
        return path

    a, b = doc("a.json", "requires_configuration"), doc("b.json", "requires_environment")
    result, report = diff(a, b)
    assert result.code == 1
    (change,) = report["vulnerabilities"]["vex_changed"]
    assert change["old_justifications"] == ["requires_configuration"]
    assert change["new_justifications"] == ["requires_environment"]
    assert run_cli("diff", a, doc("c.json", "requires_configuration")).code == 0


def test_purl_names_as_their_ecosystem_compares_them(tmp_path: Path) -> None:
    old = _cdx(
        tmp_path / "old.json",
        [
            {"bom-ref": "a", "name": "Newtonsoft.Json", "purl": "pkg:nuget/Newtonsoft.Json@13.0.1"},
            {"bom-ref": "b", "name": "Zope.Interface", "purl": "pkg:pypi/Zope.Interface@5.0"},
        ],
    )
    new = _cdx(
        tmp_path / "new.json",
        [
            {"bom-ref": "a", "name": "newtonsoft.json", "purl": "pkg:nuget/newtonsoft.json@13.0.3"},
            {"bom-ref": "b", "name": "zope-interface", "purl": "pkg:pypi/zope_interface@5.1"},
        ],
    )
    result, report = diff(old, new)
    assert result.code == 1
    found = changes(report)
    assert found["added"] == found["removed"] == set()
    assert found["upgraded"] == {
        ("pkg:nuget/newtonsoft.json", "13.0.1", "13.0.3"),
        ("pkg:pypi/zope-interface", "5.0", "5.1"),
    }


def test_errors_of_diff_exit_2(tmp_path: Path) -> None:
    a = _cdx(tmp_path / "a.json", [{"bom-ref": "a", "name": "café-✓", "version": "1.0"}])
    b = _cdx(tmp_path / "b.json", [{"bom-ref": "a", "name": "café-✓", "version": "2.0"}])
    # a name the output encoding cannot show is escaped, not an error
    env = {**clean_env(), "PYTHONIOENCODING": "cp1252"}
    proc = subprocess.run(
        [sys.executable, "-m", "sbomgen", "diff", str(a), str(b)],
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "caf\u00e9-\\u2713: 1.0 -> 2.0" in proc.stdout.decode("cp1252")
    # a configuration sbomgen cannot use: an error (2), not "differences" nor 3
    work = tmp_path / "work"
    work.mkdir()
    (work / "sbomgen.toml").write_text('[diff]\nformat = "html"\n', encoding="utf-8")
    result = run_cli("diff", a, b, cwd=work)
    assert result.code == 2, result.stderr
    (work / "sbomgen.toml").write_text("[diff\n", encoding="utf-8")
    assert run_cli("diff", a, b, cwd=work).code == 2
    (work / "sbomgen.toml").unlink()
    result = run_cli("--config", "nope.toml", "diff", a, b, cwd=work)
    assert result.code == 2, result.stderr
    assert "does not exist" in result.stderr


def test_a_pedigree_ancestor_is_not_a_component(tmp_path: Path) -> None:
    # the same BOM in JSON and XML: openssl patched from its 3.0.7 ancestor
    component = {
        "type": "library",
        "bom-ref": "openssl",
        "name": "openssl",
        "version": "3.0.7-patched",
        "purl": "pkg:generic/openssl@3.0.7-patched",
        "pedigree": {
            "ancestors": [
                {
                    "type": "library",
                    "bom-ref": "openssl-up",
                    "name": "openssl",
                    "version": "3.0.7",
                    "purl": "pkg:generic/openssl@3.0.7",
                }
            ]
        },
    }
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [component]}
    (tmp_path / "ped.json").write_text(json.dumps(doc))
    (tmp_path / "ped.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>'
        '<component type="library" bom-ref="openssl"><name>openssl</name>'
        "<version>3.0.7-patched</version><purl>pkg:generic/openssl@3.0.7-patched</purl>"
        '<pedigree><ancestors><component type="library" bom-ref="openssl-up">'
        "<name>openssl</name><version>3.0.7</version><purl>pkg:generic/openssl@3.0.7</purl>"
        "</component></ancestors></pedigree></component></components></bom>\n"
    )
    result = run_cli("diff", tmp_path / "ped.json", tmp_path / "ped.xml")
    assert result.code == 0, result.stdout + result.stderr
    assert "1 component" in result.stdout and "No differences" in result.stdout
