"""``check`` and ``validate`` on files nobody here wrote: CycloneDX from cyclonedx-py (the
``cyclonedx-bom`` package, ``cyclonedx-py environment`` over this test environment) and
SPDX and CycloneDX from sbom4python, made during the test run; and on every document
sbomgen itself writes for the sample (each CycloneDX and SPDX version, every format).
Both producers are in the test extras: nothing here is skipped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from checkdocs import by_ref, run_check, write_policy
from conftest import SAMPLE_SNAPSHOT, clean_env, run_cli

BIN = Path(sys.executable).parent

POLICY = """\
[licenses]
allow-categories = ["permissive", "weak-copyleft"]
deny-categories = ["strong-copyleft", "network-copyleft"]
noassertion = "warn"

[vulnerabilities]
severity = "high"
"""


def _run(*args: str | Path) -> None:
    proc = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=600, env=clean_env()
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("producers")
    files = {
        "cyclonedx-py-json": tmp / "venv.cdx.json",
        "cyclonedx-py-xml": tmp / "venv.cdx.xml",
        "sbom4python-spdx-json": tmp / "requests.spdx.json",
        "sbom4python-spdx-tag": tmp / "requests.spdx",
        "sbom4python-cdx-json": tmp / "requests.cdx.json",
    }
    py = sys.executable
    cdx = ("-m", "cyclonedx_py", "environment", py, "--output-reproducible")
    _run(py, *cdx, "--of", "JSON", "-o", files["cyclonedx-py-json"])
    _run(py, *cdx, "--of", "XML", "--sv", "1.5", "-o", files["cyclonedx-py-xml"])
    s4p = (BIN / "sbom4python", "-m", "requests")
    _run(*s4p, "--sbom", "spdx", "--format", "json", "-o", files["sbom4python-spdx-json"])
    _run(*s4p, "--sbom", "spdx", "--format", "tag", "-o", files["sbom4python-spdx-tag"])
    _run(*s4p, "--sbom", "cyclonedx", "--format", "json", "-o", files["sbom4python-cdx-json"])
    files["policy"] = write_policy(tmp, POLICY)
    return files


def _documents(foreign: dict[str, Path]) -> list[Path]:
    return [path for name, path in foreign.items() if name != "policy"]


def test_validate_reads_every_foreign_document(foreign: dict[str, Path]) -> None:
    result = run_cli("validate", "--format", "json", *_documents(foreign))
    report = json.loads(result.stdout)
    status = {Path(f["path"]).name: f["status"] for f in report["files"]}
    assert "unreadable" not in status.values(), result.stdout
    assert status["venv.cdx.json"] == "valid" and status["venv.cdx.xml"] == "valid"
    assert status["requests.cdx.json"] == "valid"
    # sbom4python's SPDX carries producer mistakes (its licenseListVersion, for one):
    # validate reads the documents and locates every problem
    for entry in report["files"]:
        for problem in entry["problems"]:
            assert problem["message"]
    assert result.code in (0, 7)


def test_check_judges_every_foreign_document(foreign: dict[str, Path]) -> None:
    documents = _documents(foreign)
    result, report = run_check("--policy", foreign["policy"], *documents)
    assert result.code in (0, 1), result.stderr
    assert [i["name"] for i in report["inputs"]] == [str(p) for p in documents]
    assert all(i["components"] > 0 for i in report["inputs"])
    every = report["components"]
    assert all(c["license"] is not None for c in every)
    named = {}
    for comp in every:
        named.setdefault((Path(comp["input"]).name, comp["name"].lower()), comp)
    for doc in ("venv.cdx.json", "venv.cdx.xml"):
        requests = named[(doc, "requests")]["license"]
        assert requests["verdict"] == "pass" and requests["expression"] == "Apache-2.0", doc
    # sbom4python's SPDX describes requests (the root); its dependencies are the components
    for doc in ("venv.cdx.json", "venv.cdx.xml", "requests.spdx.json", "requests.spdx"):
        certifi = named[(doc, "certifi")]["license"]
        assert certifi["categories"] == ["weak-copyleft"] and certifi["verdict"] == "pass", doc
    # cyclonedx-py writes requests' SPDX id and its classifier: one license, restated
    leaves = named[("venv.cdx.json", "requests")]["license"]["licenses"]
    assert [leaf["license"] for leaf in leaves] == ["Apache-2.0"]


def test_check_judges_a_classifier_by_its_family(foreign: dict[str, Path]) -> None:
    """Packages that state only classifiers are judged by what the family shares."""
    _result, report = run_check("--policy", foreign["policy"], foreign["cyclonedx-py-json"])
    families = [
        leaf
        for comp in report["components"]
        for leaf in comp["license"]["licenses"]
        if leaf["license"].startswith("License :: ")
    ]
    for leaf in families:
        assert leaf["category"] is not None
        if leaf["category"] in ("permissive", "weak-copyleft"):
            assert leaf["verdict"] == "pass", leaf


def test_junit_of_a_foreign_document(foreign: dict[str, Path], tmp_path: Path) -> None:
    from junitparser import JUnitXml

    junit = tmp_path / "junit.xml"
    _result, report = run_check(
        "--policy", foreign["policy"], foreign["sbom4python-spdx-json"], "--junit", junit
    )
    suites = list(JUnitXml.fromfile(str(junit)))
    assert len(list(suites[0])) == 2 * report["counts"]["components"]


# -- sbomgen's own documents -----------------------------------------------------------------

SBOM_SUFFIXES = (
    ".cdx.json",
    ".cdx.xml",
    ".spdx",
    ".spdx.json",
    ".spdx.yaml",
    ".spdx.xml",
    ".spdx.rdf.xml",
    ".spdx3.json",
)


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample in every format, CycloneDX 1.4 to 1.7 and SPDX 2.2 and 2.3."""
    tmp = tmp_path_factory.mktemp("own")
    documents: list[Path] = []
    for cdx, spdx in (("1.4", "2.2"), ("1.5", "2.3"), ("1.6", "2.2"), ("1.7", "2.3")):
        out = tmp / f"cdx{cdx}-spdx{spdx}"
        result = run_cli(
            "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "all", "--out", out, "-q",
            "--cyclonedx-version", cdx, "--spdx-version", spdx,
        )  # fmt: skip
        assert result.code == 0, result.stderr
        documents += sorted(
            p for p in out.iterdir() if p.name.endswith(SBOM_SUFFIXES) and ".vex." not in p.name
        )
    return documents


def test_check_and_validate_sbomgens_own_documents(own: list[Path], tmp_path: Path) -> None:
    assert len(own) == 4 * len(SBOM_SUFFIXES)
    validated = run_cli("validate", *own)
    assert validated.code == 0, validated.stdout
    policy = write_policy(tmp_path, POLICY)
    result, report = run_check("--policy", policy, *own)
    assert result.code == 1  # the sample has log4j's criticals
    assert all(i["components"] == 67 for i in report["inputs"])

    def licenses(doc: Path) -> dict[str, Any]:
        return {
            c["purl"] or c["name"]: (c["license"]["verdict"], c["license"]["chosen"])
            for c in report["components"]
            if c["input"] == str(doc)
        }

    # every document of one standard judges each license alike
    cdx = [d for d in own if ".cdx." in d.name]
    spdx = [d for d in own if ".spdx" in d.name]
    assert all(licenses(d) == licenses(cdx[0]) for d in cdx)
    assert all(licenses(d) == licenses(spdx[0]) for d in spdx)
    # where both standards state a license, they agree
    both = {k for k in licenses(cdx[0]).keys() & licenses(spdx[0]).keys() if k.startswith("pkg:")}
    differ = {p for p in both if licenses(cdx[0])[p] != licenses(spdx[0])[p]}
    # SPDX leaves out the one LicenseRef without a text (xmlpull's "Public Domain")
    assert differ == {"pkg:maven/xmlpull/xmlpull@1.1.3.1"}
    jersey = by_ref({"components": [c for c in report["components"] if c["input"] == str(cdx[0])]})
    chosen = {c["license"]["chosen"] for c in jersey.values() if c["license"]["chosen"]}
    assert {"CDDL-1.1", "EPL-2.0", "LGPL-2.1-or-later", "Apache-2.0"} <= chosen
