"""What people decided in Mend, and where Mend found each library, in SPDX.

SPDX 3: each decision (an ignored alert) is a Security-profile VEX relationship, from the
vulnerability to the library, or to each project whose decision differs (the library then
its ``assessedElement``); an active alert only associates the vulnerability with the
library (``hasAssociatedVulnerability``), with no VEX status. SPDX 2: each vulnerability's
advisory is an external reference of the library, and each decision a REVIEW annotation
whose text carries the assessment. Evidence (Mend's library locations) is the package's
``sourceInfo`` in both.

Over the sample snapshot and over the emulator (a dataset marks a vulnerability
``"ignored"`` for every project or ``"ignoredIn"`` for some), through the CLI, in every
SPDX format, validated and read back.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_DATASET, SAMPLE_SNAPSHOT, run_cli

from sbomgen import __version__
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.plan import plan_document
from sbomgen.emit.spdx import _converted, build_document, source_info
from sbomgen.emit.validate import parse_spdx_text, spdx3_problems, validate_file
from sbomgen.model import Inventory, Library, Location

SPDX2 = {
    "json": ".spdx.json",
    "yaml": ".spdx.yaml",
    "xml": ".spdx.xml",
    "tv": ".spdx",
    "rdf": ".spdx.rdf.xml",
}
ALL_SPDX = ",".join(f"spdx-{f}" for f in SPDX2)

# the sample's six decisions: vulnerability -> (SPDX 3 class, relationship type, justification)
SAMPLE_DECISIONS = {
    "CVE-2020-11023": ("NotAffected", "doesNotAffect", "inlineMitigationsAlreadyExist"),
    "CVE-2020-28500": ("NotAffected", "doesNotAffect", None),  # false positive
    "CVE-2021-45105": ("NotAffected", "doesNotAffect", "vulnerableCodeNotInExecutePath"),
    "CVE-2022-30123": ("Affected", "affects", None),  # risk accepted
    "CVE-2022-41723": ("UnderInvestigation", "underInvestigationFor", None),
    "CVE-2023-28840": ("NotAffected", "doesNotAffect", "vulnerableCodeNotPresent"),
}

# a comment nobody should write, kept as data: markup, tag-value's own syntax, XML's
# CDATA end, control characters (which no XML document can carry: dropped where Mend's
# answers are read), a byte-order mark, emoji, and 100 kB
HOSTILE = (
    "Not affected: <script>alert('x')</script> </text> <text> ]]> &amp; & \"q\" 'q'\n"
    "# not a comment\nPackageName: fake\nSPDXID: SPDXRef-fake\n"
    "ctl:\x00\x01\x07\x1b[31m\x7f tab\there \ufeff ünïcödé 😀 \u2028 end\n"
    + "lorem ipsum dolor sit amet "
    * 3800
)
HOSTILE_KEPT = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", HOSTILE)


def _graph(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["@graph"]  # type: ignore[no-any-return]


def _by_id(graph: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["spdxId"]: o for o in graph if "spdxId" in o}


def _vex(graph: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in graph if o["type"].startswith("security_Vex")]


def _vuln_of(graph: list[dict[str, Any]]) -> dict[str, str]:
    """spdxId of each security_Vulnerability -> its name (the vulnerability id)."""
    return {o["spdxId"]: o["name"] for o in graph if o["type"] == "security_Vulnerability"}


# -- the sample, through the CLI ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vex-sample")
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "spdx-json,spdx3-json",
        "--out",
        out,
        cwd=out,
    )
    assert result.code == 0, result.stderr
    return out


def test_sample_spdx3_states_each_decision_as_vex(sample_out: Path) -> None:
    graph = _graph(sample_out / "Acme-Corp.spdx3.json")
    by_id = _by_id(graph)
    names = _vuln_of(graph)
    vex = _vex(graph)
    found = {}
    for rel in vex:
        (target,) = rel["to"]
        assert by_id[target]["type"] == "software_Package"
        assert "security_assessedElement" not in rel  # every project of the library agrees
        found[names[rel["from"]]] = (
            rel["type"].removeprefix("security_Vex").removesuffix("VulnAssessmentRelationship"),
            rel["relationshipType"],
            rel.get("security_justificationType"),
        )
        assert rel["comment"].startswith("A person's decision in Mend (an ignored alert)")
        assert rel["security_statusNotes"]  # the comment, as written
    assert found == SAMPLE_DECISIONS

    def one(vuln_id: str) -> dict[str, Any]:
        return next(r for r in vex if names[r["from"]] == vuln_id)

    accepted = one("CVE-2022-30123")
    assert accepted["security_actionStatement"] == accepted["security_statusNotes"]
    assert accepted["security_actionStatement"].startswith("Risk accepted")
    assert "response will_not_fix" in accepted["comment"]
    fp = one("CVE-2020-28500")
    assert fp["security_impactStatement"].startswith("False positive")
    assert "<b>See</b> SEC-118 & the review notes." in fp["security_impactStatement"]
    assert "security_justificationType" not in fp
    # a justification stands for the comment: no impact statement beside it
    assert "security_impactStatement" not in one("CVE-2021-45105")

    # every alert, active or ignored, associates its vulnerability with its library; the
    # active ones have no VEX status (nobody decided): not even "affected"
    associated = [o for o in graph if o.get("relationshipType") == "hasAssociatedVulnerability"]
    assert len(associated) == 13
    assert {names[t] for a in associated for t in a["to"]} == set(names.values())
    active = set(names.values()) - set(SAMPLE_DECISIONS)
    assert active == {
        "CVE-2020-11022",
        "CVE-2021-23337",
        "CVE-2021-44228",
        "CVE-2021-44832",
        "CVE-2021-45046",
        "CVE-2022-30122",
        "CVE-2024-51744",
    }
    log4shell = next(a for a in associated if names[a["to"][0]] == "CVE-2021-44228")
    assert by_id[log4shell["from"]]["name"] == "log4j-core"
    assert "Mend's fix resolution: Upgrade to version" in log4shell["comment"]


def test_sample_spdx2_annotations_advisories_and_evidence(sample_out: Path) -> None:
    data = json.loads((sample_out / "Acme-Corp.spdx.json").read_text(encoding="utf-8"))
    annotations = {}
    for package in data["packages"]:
        for a in package.get("annotations", []):
            vuln = re.search(r"^Vulnerability: (\S+)$", a["comment"], re.M)
            assert vuln
            annotations[vuln.group(1)] = (package["name"], a)
    assert set(annotations) == set(SAMPLE_DECISIONS)
    assert "annotations" not in data  # each is the package's
    name, accepted = annotations["CVE-2022-30123"]
    assert name == "rack"
    assert accepted["annotationType"] == "REVIEW"
    # no organization configured: sbomgen annotates
    assert accepted["annotator"] == f"Tool: sbomgen-{__version__}"
    assert accepted["annotationDate"] == data["creationInfo"]["created"]
    assert accepted["comment"].splitlines()[1:4] == [
        "Vulnerability: CVE-2022-30123",
        "State: exploitable",
        "Response: will_not_fix",
    ]
    assert accepted["comment"].endswith(
        "Comment in Mend, as written:\n"
        "Risk accepted until legacy-portal is decommissioned (Q3). Won't fix in 2.2.x."
    )
    assert "Justification: code_not_present" in annotations["CVE-2023-28840"][1]["comment"]
    assert "State: false_positive" in annotations["CVE-2020-28500"][1]["comment"]

    # every vulnerability's advisory, on its library, once
    advisories = {
        (p["name"], r["referenceLocator"])
        for p in data["packages"]
        for r in p.get("externalRefs", [])
        if r["referenceType"] == "advisory"
    }
    assert all(
        r["referenceCategory"] == "SECURITY"
        for p in data["packages"]
        for r in p.get("externalRefs", [])
        if r["referenceType"] == "advisory"
    )
    assert len(advisories) == 13
    assert ("log4j-core", "https://nvd.nist.gov/vuln/detail/CVE-2021-44228") in advisories

    # evidence: Mend's locations
    jquery = next(p for p in data["packages"] if p["name"] == "jquery")
    assert jquery["sourceInfo"] == (
        "Mend found it at: /src/portal/bower_components/jquery/dist/jquery.js (SHA-1 match)"
    )
    spdx3 = {
        o["name"]: o.get("software_sourceInfo")
        for o in _graph(sample_out / "Acme-Corp.spdx3.json")
        if o["type"] == "software_Package"
    }
    for package in data["packages"]:
        if package.get("primaryPackagePurpose") == "LIBRARY":
            assert package.get("sourceInfo") == spdx3[package["name"]]
    assert sum(1 for p in data["packages"] if "sourceInfo" in p) == 67


def test_the_fast_annotation_conversion_is_spdx_tools_own(
    sample: Inventory, meta: DocumentMeta
) -> None:
    """Packages' annotations are converted once each (spdx-tools' converter looks for them
    among all annotations for every package): the same dict, in the same key order."""
    from spdx_tools.spdx.jsonschema.document_converter import DocumentConverter

    for version in ("2.2", "2.3"):
        document = build_document(plan_document(sample, meta), version)
        assert len(document.annotations) == 6
        ours = _converted(document)
        theirs = DocumentConverter().convert(document)  # type: ignore[no-untyped-call]
        assert json.dumps(ours) == json.dumps(theirs)
        # the configured organization annotates
        assert {a["annotator"] for p in ours["packages"] for a in p.get("annotations", [])} == {
            "Organization: Acme Corp"
        }


def test_source_info_is_sorted_and_whole() -> None:
    lib = Library(
        key_uuid="k",  # type: ignore[arg-type]
        locations=(
            *(
                Location(path=f"/p/{i:05d}/x.jar", match_type=m, dependency_file=d)
                for i in range(3000, 0, -1)
                for m, d in (("SHA1", None), ("FILENAME", "pom.xml"), (None, None))
            ),
            Location(path="/odd\npath", match_type="SOMETHING_NEW"),
        ),
    )
    text = source_info(lib)
    assert text is not None
    lines = text.split("\n")
    assert len(lines) == 9001 and lines == sorted(lines)
    assert "Mend found it at: /p/00001/x.jar (SHA-1 match)" in lines
    assert "Mend found it at: /p/00001/x.jar (file name match; dependency file pom.xml)" in lines
    assert "Mend found it at: /p/00001/x.jar" in lines
    assert "Mend found it at: /odd path (SOMETHING_NEW match)" in lines
    assert source_info(Library(key_uuid="k")) is None  # type: ignore[arg-type]


# -- over the emulator ------------------------------------------------------------------------


def _vulnerability(name: str, url: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "CVE" if name.startswith("CVE-") else "WS",
        "severity": "MEDIUM",
        "score": 5.0,
        "cvss3_severity": "MEDIUM",
        "cvss3_score": 5.3,
        "publishDate": "2024-01-01",
        "url": url,
        "description": f"{name} description",
        **extra,
    }


def _decisions_dataset(tmp_path: Path) -> Path:
    """The mini organization (debug and ms are in mini-app and in other-app; express and
    body-parser in mini-app only), with an ignored alert of each kind:

    - debug CVE-2017-16137: mini-app not affected (never called), other-app patched;
    - debug WS-2024-0001: mini-app accepted the risk; active in other-app;
    - ms CVE-2099-0001: ignored everywhere with a hostile 100 kB comment;
    - body-parser CVE-2024-45590: under discussion (in triage); WS-2024-0001: the same
      decision as debug's in mini-app (one statement, stated for body-parser and, about
      debug, for mini-app);
    - express CVE-2022-24999: a false positive; CVE-2024-43796 active."""
    folder = tmp_path / "ds"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    libs = data["libraries"]
    debug = libs["k-debug"]["vulnerabilities"]
    debug[0]["ignoredIn"] = {
        "mini-app": {"comment": "The vulnerable function is never called in mini-app."},
        "other-app": {"comment": "Patched: we backported the upstream fix to our 2.6.9 build."},
    }
    debug.append(
        _vulnerability(
            "WS-2024-0001",
            "https://www.mend.io/vulnerability-database/WS-2024-0001",
            ignoredIn={"mini-app": {"comment": "Risk accepted: won't fix before the 3.0 release."}},
        )
    )
    libs["k-ms"]["vulnerabilities"] = [
        _vulnerability(
            "CVE-2099-0001",
            "https://nvd.nist.gov/vuln/detail/CVE-2099-0001",
            ignored={"comment": HOSTILE},
        )
    ]
    libs["k-body-parser"]["vulnerabilities"] = [
        _vulnerability(
            "CVE-2024-45590",
            "https://nvd.nist.gov/vuln/detail/CVE-2024-45590",
            ignored={"comment": "Discussing with the API team next sprint."},
        ),
        # the decision mini-app made for debug, made for body-parser too (in mini-app only)
        _vulnerability(
            "WS-2024-0001",
            "https://www.mend.io/vulnerability-database/WS-2024-0001",
            ignored={"comment": "Risk accepted: won't fix before the 3.0 release."},
        ),
    ]
    libs["k-express"]["vulnerabilities"] = [
        _vulnerability(
            "CVE-2022-24999",
            "https://nvd.nist.gov/vuln/detail/CVE-2022-24999",
            ignored={"comment": "False positive: Mend matched the wrong qs."},
        ),
        _vulnerability("CVE-2024-43796", "https://nvd.nist.gov/vuln/detail/CVE-2024-43796"),
    ]
    (folder / "dataset.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """generate --org over the emulator: SPDX 2.3 in every format and SPDX 3; SPDX 2.2 in
    every format."""
    from conftest import _start

    tmp = tmp_path_factory.mktemp("vex-emulator")
    running = _start(_decisions_dataset(tmp))
    mend = next(running)
    try:
        outs = {}
        for run, scope, formats, version in (
            ("2.3", ["--org"], f"{ALL_SPDX},spdx3-json", "2.3"),
            ("2.2", ["--org"], ALL_SPDX, "2.2"),
            # one project: Mend's project-level locations name the dependency file
            ("mini-app", ["--project", "proj-aaaa-1111"], "spdx-json,spdx3-json", "2.3"),
        ):
            out = tmp / f"out-{run}"
            result = run_cli(
                "generate",
                *scope,
                "--name",
                "Mini",
                "--format",
                formats,
                "--spdx-version",
                version,
                "--out",
                out,
                env=mend.env(),
                cwd=tmp,
            )
            assert result.code == 0, result.stderr
            assert "control characters" in result.stderr  # dropped where they were read
            outs[run] = out
        return outs
    finally:
        next(running, None)


def _file(out: Path, suffix: str) -> Path:
    (found,) = [p for p in out.iterdir() if p.name.endswith(suffix)]
    return found


def test_emulator_spdx3_vex_per_state_and_per_project(decided: dict[str, Path]) -> None:
    path = _file(decided["2.3"], ".spdx3.json")
    assert spdx3_problems(path.read_bytes()) == []
    graph = _graph(path)
    by_id = _by_id(graph)
    names = _vuln_of(graph)

    def name(iri: str) -> str:
        return str(by_id[iri]["name"])

    rows = sorted(
        (
            names[r["from"]],
            r["relationshipType"],
            tuple(name(t) for t in r["to"]),
            name(r["security_assessedElement"]) if "security_assessedElement" in r else None,
        )
        for r in _vex(graph)
    )
    assert rows == [
        # the projects of debug decided differently: stated for each project, about debug
        ("CVE-2017-16137", "doesNotAffect", ("mini-app",), "debug"),
        ("CVE-2017-16137", "fixedIn", ("other-app",), "debug"),
        ("CVE-2022-24999", "doesNotAffect", ("express",), None),
        ("CVE-2024-45590", "underInvestigationFor", ("body-parser",), None),
        ("CVE-2099-0001", "doesNotAffect", ("ms",), None),
        ("WS-2024-0001", "affects", ("body-parser",), None),
        # other-app did not decide: no VEX statement for it
        ("WS-2024-0001", "affects", ("mini-app",), "debug"),
    ]
    vex = {(names[r["from"]], r["relationshipType"]): r for r in _vex(graph)}
    reachable = vex[("CVE-2017-16137", "doesNotAffect")]
    assert reachable["security_justificationType"] == "vulnerableCodeNotInExecutePath"
    assert reachable["security_statusNotes"] == (
        "The vulnerable function is never called in mini-app."
    )
    assert "this project's decision" in reachable["comment"]
    fixed = vex[("CVE-2017-16137", "fixedIn")]
    assert fixed["type"] == "security_VexFixedVulnAssessmentRelationship"
    assert fixed["security_statusNotes"].startswith("Patched:")
    accepted = vex[("WS-2024-0001", "affects")]
    assert accepted["security_actionStatement"] == (
        "Risk accepted: won't fix before the 3.0 release."
    )
    triage = vex[("CVE-2024-45590", "underInvestigationFor")]
    assert triage["type"] == "security_VexUnderInvestigationVulnAssessmentRelationship"
    fp = vex[("CVE-2022-24999", "doesNotAffect")]
    assert fp["security_impactStatement"].startswith("False positive")
    hostile = vex[("CVE-2099-0001", "doesNotAffect")]
    assert hostile["security_statusNotes"] == HOSTILE_KEPT
    assert hostile["security_impactStatement"] == HOSTILE_KEPT  # no justification
    assert len(HOSTILE_KEPT.encode("utf-8")) > 100_000

    associated = sorted(
        (name(a["from"]), names[t])
        for a in graph
        if a.get("relationshipType") == "hasAssociatedVulnerability"
        for t in a["to"]
    )
    assert associated == [
        ("body-parser", "CVE-2024-45590"),
        ("body-parser", "WS-2024-0001"),
        ("debug", "CVE-2017-16137"),
        ("debug", "WS-2024-0001"),
        ("express", "CVE-2022-24999"),
        ("express", "CVE-2024-43796"),
        ("ms", "CVE-2099-0001"),
    ]
    ws = next(o for o in graph if o.get("name") == "WS-2024-0001")
    assert ws["externalIdentifier"][0]["externalIdentifierType"] == "securityOther"

    # Mend's product-level locations name no dependency file
    express = next(o for o in graph if o.get("name") == "express" and "software_packageUrl" in o)
    assert express["software_sourceInfo"] == "Mend found it at: node_modules/express (SHA-1 match)"

    # read back by the SPDX 3 bindings
    import spdx_python_model
    from spdx_python_model.bindings import v3_0_1 as spdx3

    _, objects = spdx_python_model.load_data(json.loads(path.read_text(encoding="utf-8")))
    back = list(objects.foreach_type(spdx3.security_VexNotAffectedVulnAssessmentRelationship))
    assert HOSTILE_KEPT in {r.security_statusNotes for r in back}
    assert len(list(objects.foreach_type(spdx3.security_VexVulnAssessmentRelationship))) == 7


@pytest.mark.parametrize("version", ["2.3", "2.2"])
@pytest.mark.parametrize("fmt", list(SPDX2))
def test_emulator_spdx2_every_format_valid_and_read_back(
    decided: dict[str, Path], version: str, fmt: str
) -> None:
    path = _file(decided[version], SPDX2[fmt])
    found, problems = validate_file(path)
    assert (found.standard, found.version) == ("SPDX", version)
    assert problems == []
    document = parse_spdx_text(path.read_bytes(), fmt)
    packages = {p.spdx_id: p for p in document.packages}

    # the annotations: one per decision and element, on that element
    notes: dict[tuple[str, str], str] = {}
    for a in document.annotations:
        assert a.annotation_type.name == "REVIEW"
        assert a.annotator.to_serialized_string() == f"Tool: sbomgen-{__version__}"
        vuln = re.search(r"^Vulnerability: (\S+)$", a.annotation_comment, re.M)
        assert vuln
        notes[(packages[a.spdx_id].name, vuln.group(1))] = a.annotation_comment
    assert sorted(notes) == [
        ("body-parser", "CVE-2024-45590"),
        ("body-parser", "WS-2024-0001"),
        ("express", "CVE-2022-24999"),
        ("mini-app", "CVE-2017-16137"),
        ("mini-app", "WS-2024-0001"),
        ("ms", "CVE-2099-0001"),
        ("other-app", "CVE-2017-16137"),
    ]
    mine = notes[("mini-app", "CVE-2017-16137")]
    assert "State: not_affected\nJustification: code_not_reachable\n" in mine
    assert "Library: debug 2.6.9 (pkg:npm/debug@2.6.9)\n" in mine
    assert "Project: mini-app (this project's decision;" in mine
    assert mine.endswith(
        "Comment in Mend, as written:\nThe vulnerable function is never called in mini-app."
    )
    assert "State: resolved\nResponse: update\n" in notes[("other-app", "CVE-2017-16137")]
    accepted = notes[("mini-app", "WS-2024-0001")]
    assert "State: exploitable\nResponse: will_not_fix\n" in accepted
    assert "State: in_triage\n" in notes[("body-parser", "CVE-2024-45590")]
    assert "State: false_positive\n" in notes[("express", "CVE-2022-24999")]

    # the hostile comment, whole, in every format (tag-value has no escape for "</text>")
    hostile = notes[("ms", "CVE-2099-0001")]
    expected = HOSTILE_KEPT
    if fmt == "tv":
        expected = expected.replace("</text>", "</ text>")
    if fmt in ("xml", "rdf"):  # spdx-tools' readers strip a text's surrounding white space
        expected = expected.rstrip()
    assert hostile.endswith("Comment in Mend, as written:\n" + expected)

    # advisories, on the libraries: SECURITY in 2.3, OTHER in 2.2 (no "advisory" type there)
    advisories = {
        (p.name, r.locator, r.category.name)
        for p in document.packages
        for r in p.external_references
        if r.reference_type == "advisory"
    }
    category = "SECURITY" if version == "2.3" else "OTHER"
    assert advisories == {
        ("debug", "https://nvd.nist.gov/vuln/detail/CVE-2017-16137", category),
        ("debug", "https://www.mend.io/vulnerability-database/WS-2024-0001", category),
        ("ms", "https://nvd.nist.gov/vuln/detail/CVE-2099-0001", category),
        ("body-parser", "https://nvd.nist.gov/vuln/detail/CVE-2024-45590", category),
        ("body-parser", "https://www.mend.io/vulnerability-database/WS-2024-0001", category),
        ("express", "https://nvd.nist.gov/vuln/detail/CVE-2022-24999", category),
        ("express", "https://nvd.nist.gov/vuln/detail/CVE-2024-43796", category),
    }

    express = next(p for p in document.packages if p.name == "express")
    assert express.source_info == "Mend found it at: node_modules/express (SHA-1 match)"


def test_emulator_one_project_decisions_are_the_librarys(decided: dict[str, Path]) -> None:
    """In mini-app's own document, its decisions are about its libraries (no other project
    differs); the project-level locations give the dependency file."""
    out = decided["mini-app"]
    evidence = (
        "Mend found it at: node_modules/express (SHA-1 match; dependency file package-lock.json)"
    )
    data = json.loads(_file(out, ".spdx.json").read_text(encoding="utf-8"))
    express = next(p for p in data["packages"] if p["name"] == "express")
    assert express["sourceInfo"] == evidence
    notes = {
        (p["name"], re.findall(r"^Vulnerability: (\S+)$", a["comment"], re.M)[0])
        for p in data["packages"]
        for a in p.get("annotations", [])
    }
    assert notes == {
        ("debug", "CVE-2017-16137"),
        ("debug", "WS-2024-0001"),
        ("ms", "CVE-2099-0001"),
        ("body-parser", "CVE-2024-45590"),
        ("body-parser", "WS-2024-0001"),
        ("express", "CVE-2022-24999"),
    }
    graph = _graph(_file(out, ".spdx3.json"))
    by_id = _by_id(graph)
    names = _vuln_of(graph)
    rows = sorted(
        (names[r["from"]], r["relationshipType"], by_id[r["to"][0]]["name"]) for r in _vex(graph)
    )
    assert rows == [
        ("CVE-2017-16137", "doesNotAffect", "debug"),
        ("CVE-2022-24999", "doesNotAffect", "express"),
        ("CVE-2024-45590", "underInvestigationFor", "body-parser"),
        ("CVE-2099-0001", "doesNotAffect", "ms"),
        ("WS-2024-0001", "affects", "body-parser"),
        ("WS-2024-0001", "affects", "debug"),
    ]
    assert not any("security_assessedElement" in r for r in _vex(graph))
    express3 = next(o for o in graph if o.get("name") == "express" and "software_packageUrl" in o)
    assert express3["software_sourceInfo"] == evidence
