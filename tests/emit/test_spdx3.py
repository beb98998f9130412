"""SPDX 3.0.1 JSON-LD (``spdx3-json``): built with spdx-python-model, validated with
spdx3-validate's checks, read back with spdx-python-model, byte-stable, refused when broken,
checked with ntia-conformance-checker, and written and validated by the CLI.

What the conformance checkers still find missing is data Mend does not have (see
:data:`FSCT3_MISSING` and :func:`test_bsi_fails_only_for_data_mend_lacks`); the tests assert
that these are the only failures.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_SNAPSHOT, clean_env, run_cli

from sbomgen.emit.factory import SpdxSet, make_emitters
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.plan import plan_document
from sbomgen.emit.spdx import GENERATION_CONTEXT, package_name
from sbomgen.emit.spdx3 import Spdx3
from sbomgen.emit.validate import spdx3_problems, validate_file
from sbomgen.enrich.texts import symbols_of
from sbomgen.errors import ValidationFailedError
from sbomgen.model import NOASSERTION, Inventory

NAME = "Acme-Corp.spdx3.json"
CHECKER = shutil.which("ntia-checker") or str(Path(sys.executable).parent / "ntia-checker")
SCHEMAS = Path(__file__).resolve().parents[2] / "sbomgen" / "schemas"


@pytest.fixture(scope="module")
def written(
    sample: Inventory, meta: DocumentMeta, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = Spdx3().render(sample, meta)
    assert list(out) == [NAME]
    path = tmp_path_factory.mktemp("spdx3") / NAME
    path.write_bytes(out[NAME])
    return path


def _load(path: Path) -> tuple[Any, Any]:
    """The document read back by spdx-python-model's JSON-LD deserializer."""
    import spdx_python_model

    return spdx_python_model.load_data(json.loads(path.read_text(encoding="utf-8")))


def _graph(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["@graph"]  # type: ignore[no-any-return]


# -- (1) valid ---------------------------------------------------------------------------------


def test_the_sample_passes_spdx3_validate(written: Path) -> None:
    assert spdx3_problems(written.read_bytes()) == []
    found, problems = validate_file(written)
    assert (found.standard, found.version, found.fmt) == ("SPDX", "3.0.1", "json")
    assert problems == []
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    text = written.read_text(encoding="utf-8")
    assert text.endswith("}\n") and "\\u00" not in text  # UTF-8 as is


def _spdx3_validate_verdict(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bool, str]:
    """spdx3-validate's own ``validate()``, run as its CLI runs it, with the schema, SHACL
    model and context it would download from spdx.org served from sbomgen's copies."""
    import rdflib
    import rdflib.plugins.shared.jsonld.context as jsonld_context
    import spdx3_validate
    import spdx3_validate.core as core

    context = json.loads((SCHEMAS / "spdx-3.0.1-context.jsonld").read_text(encoding="utf-8"))
    fetch = jsonld_context.source_to_json

    def local_context(url: str, *args: Any, **kwargs: Any) -> Any:
        if url == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld":
            return context, None
        return fetch(url, *args, **kwargs)  # pragma: no cover - no other context is named

    def local_data(version: Any) -> tuple[Any, Any]:
        shacl = rdflib.Graph()
        shacl.parse(SCHEMAS / "spdx-3.0.1-model.ttl", format="turtle")
        schema = json.loads((SCHEMAS / "spdx-3.0.1.schema.json").read_text(encoding="utf-8"))
        return schema, shacl

    monkeypatch.setattr(jsonld_context, "source_to_json", local_context)
    monkeypatch.setattr(core, "load_validation_data", local_data)
    result = spdx3_validate.validate(str(path))
    return result.valid, str(result)


def test_sbomgen_gives_spdx3_validates_verdicts(
    sample: Inventory, meta: DocumentMeta, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sbomgen runs spdx3-validate's SHACL check as is, and the JSON schema with jsonschema-rs
    (spdx3-validate's pure-Python run takes two minutes on the sample): on a one-project
    document, valid and broken, both say the same. spdx3-validate's complete run, as its
    command line does it, is the reference."""
    one = min(sample.projects, key=lambda t: (len(sample.restricted_to([t]).libraries), t))
    out = Spdx3().render(sample.restricted_to([one]), meta)[NAME]
    good = tmp_path / "good.spdx3.json"
    good.write_bytes(out)
    assert _spdx3_validate_verdict(good, monkeypatch) == (True, "")
    assert spdx3_problems(out) == []

    data = json.loads(out)
    package = next(o for o in data["@graph"] if o["type"] == "software_Package")
    del package["creationInfo"]  # required of every element
    bad = tmp_path / "bad.spdx3.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    valid, report = _spdx3_validate_verdict(bad, monkeypatch)
    assert not valid and "creationInfo" in report
    problems = spdx3_problems(bad.read_bytes())
    assert problems and all(p.spdx_id == package["spdxId"] for p in problems)
    assert any("creationInfo" in p.message for p in problems)


# -- (2) read back -----------------------------------------------------------------------------


def test_it_reads_back_with_the_plans_counts(
    written: Path, sample: Inventory, meta: DocumentMeta
) -> None:
    from spdx_python_model.bindings import v3_0_1 as spdx3

    model, objects = _load(written)
    assert model is spdx3
    plan = plan_document(sample, meta)
    packages = list(objects.foreach_type(spdx3.software_Package))
    assert len(packages) == 1 + len(plan.products) + len(plan.projects) + len(plan.libraries)

    relationships = [
        r
        for r in objects.foreach_type(spdx3.Relationship)
        if not isinstance(r, spdx3.security_VulnAssessmentRelationship)
    ]
    kinds = Counter(str(r.relationshipType).rsplit("/", 1)[-1] for r in relationships)
    edges = Counter(
        "dependsOn" if child.startswith("lib:") else "contains"
        for children in plan.edges.values()
        for child in children
    )
    for kind in ("contains", "dependsOn"):  # one Relationship per parent, to every child
        assert (
            sum(len(r.to) for r in relationships if str(r.relationshipType).endswith(kind))
            == edges[kind]
        )
    assert kinds["hasDeclaredLicense"] == kinds["hasConcludedLicense"] == len(packages)
    with_files = [lib for lib in plan.libraries if lib.filename]
    assert kinds["hasDistributionArtifact"] == len(with_files)
    assert len(list(objects.foreach_type(spdx3.software_File))) == len(with_files)

    vulnerabilities = list(objects.foreach_type(spdx3.security_Vulnerability))
    assert len(vulnerabilities) == len(
        {v.id for lib in plan.libraries for v in lib.vulnerabilities}
    )
    # every alert Mend reported (active or ignored) associates the vulnerability with the
    # library; a VEX status only where a person decided (an ignored alert): the sample's six
    associated = [
        r
        for r in relationships
        if r.relationshipType == spdx3.RelationshipType.hasAssociatedVulnerability
    ]
    assert len(associated) == sum(len(lib.vulnerabilities) for lib in plan.libraries) == 13
    assert all(
        isinstance(a.from_, spdx3.software_Package)
        and [type(t) for t in a.to] == [spdx3.security_Vulnerability]
        for a in associated
    )
    vex = list(objects.foreach_type(spdx3.security_VexVulnAssessmentRelationship))
    assert len(vex) == sum(len(lib.triage) for lib in plan.libraries) == 6
    cve = next(v for v in vulnerabilities if v.name == "CVE-2021-44228")
    assert [(str(i.externalIdentifierType), i.identifier) for i in cve.externalIdentifier] == [
        (spdx3.ExternalIdentifierType.cve, "CVE-2021-44228")
    ]
    log4j = [a for a in associated if a.to[0] is cve]
    assert [a.from_.name for a in log4j] == ["log4j-core"]
    assert "fix resolution: Upgrade to version" in log4j[0].comment
    assert not [v for v in vex if v.from_ is cve]  # an active alert: nobody decided

    (document,) = objects.foreach_type(spdx3.SpdxDocument)
    (sbom,) = document.rootElement
    assert isinstance(sbom, spdx3.software_Sbom)
    assert list(sbom.software_sbomType) == [spdx3.software_SbomType.build]
    (root,) = sbom.rootElement
    assert (root.name, root.software_packageVersion) == ("Acme Corp", "2.4.0")
    info = document.creationInfo
    assert info.specVersion == "3.0.1"
    assert info.comment == GENERATION_CONTEXT  # as SPDX 2's creator comment
    assert info.created.isoformat() == meta.timestamp.isoformat()
    assert [t.name for t in info.createdUsing] == [f"sbomgen {__import__('sbomgen').__version__}"]
    assert sorted((type(a).__name__, a.name) for a in info.createdBy) == [
        ("Organization", "Acme Corp"),
        ("Person", "Acme Release Engineering"),
    ]


def _spdx2_facts(sample: Inventory, meta: DocumentMeta) -> dict[str, tuple[Any, ...]]:
    data = json.loads(SpdxSet(["json"], "2.3").render(sample, meta)["Acme-Corp.spdx.json"])
    facts = {}
    for p in data["packages"]:
        purls = [r["referenceLocator"] for r in p.get("externalRefs", [])]
        sha1 = [c["checksumValue"] for c in p.get("checksums", [])]
        copyright_text = p.get("copyrightText")
        supplier = p.get("supplier", NOASSERTION)
        download = p.get("downloadLocation")
        facts[p["SPDXID"]] = (
            p["name"],
            p.get("versionInfo"),
            purls[0] if purls else None,
            sha1[0] if sha1 else None,
            None if copyright_text == NOASSERTION else copyright_text,
            None if supplier == NOASSERTION else supplier,
            None if download == NOASSERTION else download,
            p.get("homepage"),
            p.get("packageFileName"),
            p["licenseDeclared"],
            p["licenseConcluded"],
        )
    return facts


def test_it_states_the_facts_of_the_spdx2_document(
    written: Path, sample: Inventory, meta: DocumentMeta
) -> None:
    """Package by package (same element ids), the same name, version, purl, SHA-1,
    copyright text, supplier, download location, homepage, file name and licenses."""
    from spdx_python_model.bindings import v3_0_1 as spdx3

    _, objects = _load(written)
    licenses: dict[str, dict[str, str]] = {}
    files: dict[str, Any] = {}
    for r in objects.foreach_type(spdx3.Relationship):
        kind = str(r.relationshipType).rsplit("/", 1)[-1]
        if kind in ("hasDeclaredLicense", "hasConcludedLicense"):
            (target,) = r.to
            licenses.setdefault(r.from_.spdxId, {})[kind] = (
                NOASSERTION
                if target == spdx3.expandedlicensing_IndividualLicensingInfo.NoAssertionLicense
                else target.simplelicensing_licenseExpression
            )
        if kind == "hasDistributionArtifact":
            files[r.from_.spdxId] = r.to[0]

    def supplier(agent: Any) -> str | None:
        if agent is None:
            return None
        return f"{'Person' if isinstance(agent, spdx3.Person) else 'Organization'}: {agent.name}"

    facts = {}
    for p in objects.foreach_type(spdx3.software_Package):
        local = p.spdxId.rsplit("#", 1)[1]
        hashes = [h.hashValue for h in p.verifiedUsing]
        file = files.get(p.spdxId)
        facts[local] = (
            p.name,
            p.software_packageVersion,
            p.software_packageUrl,
            hashes[0] if hashes else None,
            p.software_copyrightText,
            supplier(p.suppliedBy),
            p.software_downloadLocation,
            p.software_homePage,
            file.name if file is not None else None,
            licenses[p.spdxId]["hasDeclaredLicense"],
            licenses[p.spdxId]["hasConcludedLicense"],
        )
    assert facts == _spdx2_facts(sample, meta)


# -- (3) byte-stable ---------------------------------------------------------------------------


def test_the_same_input_gives_the_same_bytes(
    written: Path, sample: Inventory, meta: DocumentMeta
) -> None:
    again = Spdx3().render(sample, meta)[NAME]
    assert again == written.read_bytes()
    data = json.loads(again)
    ids = [o["spdxId"] for o in data["@graph"] if "spdxId" in o]
    assert len(ids) == len(set(ids))
    namespace = ids[0].split("#", 1)[0]
    assert namespace.startswith("https://spdx.org/spdxdocs/sbomgen/Acme-Corp-")
    assert all(i.startswith(namespace + "#") for i in ids)
    # keys sorted in every object: a stable order that no library version changes
    for obj in data["@graph"]:
        assert list(obj) == sorted(obj)
    # Mend tokens never appear: nodes are named by a hash of them
    text = again.decode("utf-8")
    for token in [*sample.products, *sample.projects]:
        assert token not in text


def test_another_document_gets_another_namespace(sample: Inventory, meta: DocumentMeta) -> None:
    from dataclasses import replace

    first = json.loads(Spdx3().render(sample, meta)[NAME])
    other = json.loads(Spdx3().render(sample, replace(meta, version="2.4.1"))[NAME])

    def namespace(data: dict[str, Any]) -> str:
        doc = next(o for o in data["@graph"] if o["type"] == "SpdxDocument")
        return str(doc["spdxId"]).split("#", 1)[0]

    assert namespace(first) != namespace(other)


def test_in_house_libraries_can_be_left_out(sample: Inventory, meta: DocumentMeta) -> None:
    (emitter,) = make_emitters(["spdx3-json"], exclude_in_house=True)
    assert isinstance(emitter, Spdx3) and emitter.name == "spdx3-json"
    data = json.loads(emitter.render(sample, meta)[NAME])
    in_house = {lib.purl for lib in sample.libraries.values() if lib.in_house and lib.purl}
    assert in_house
    purls = {o.get("software_packageUrl") for o in data["@graph"]}
    assert not purls & in_house


# -- (4) refused when broken -------------------------------------------------------------------


def _inject(monkeypatch: pytest.MonkeyPatch, fast: bool, edit: Any) -> None:
    """Fault injection on what is about to be written: ``edit`` breaks each object of the
    document's @graph it wants to, in the library path's data (before serializing) or in
    the streaming writer's elements (before they are checked and spooled)."""
    if fast:
        from sbomgen.emit import spdx3_fast

        add = spdx3_fast._Pass.add

        def buggy_add(self: Any, data: dict[str, Any]) -> None:
            if self.pretty:  # the pass that is written
                edit(data)
            add(self, data)

        monkeypatch.setattr(spdx3_fast._Pass, "add", buggy_add)
        return
    import sbomgen.emit.spdx3 as spdx3_module

    real = spdx3_module.serialize

    def buggy(data: dict[str, Any]) -> bytes:
        for obj in data["@graph"]:
            edit(obj)
        return real(data)

    monkeypatch.setattr(spdx3_module, "serialize", buggy)


@pytest.mark.parametrize("fast", [True, False], ids=["streaming", "library"])
def test_a_broken_document_is_refused_with_the_validators_message(
    sample: Inventory, meta: DocumentMeta, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    """An 'affects' assessment without its required action statement. Skipping validation
    would return the document."""

    def edit(obj: dict[str, Any]) -> None:
        if obj["type"] == "security_VexAffectedVulnAssessmentRelationship":
            del obj["security_actionStatement"]

    _inject(monkeypatch, fast, edit)
    with pytest.raises(ValidationFailedError) as caught:
        Spdx3(fast=fast).render(sample, meta)
    message = str(caught.value)
    assert "SPDX 3.0.1 document for Acme Corp failed validation" in message
    assert "nothing was written" in message
    assert '"security_actionStatement" is a required property' in message  # the JSON schema
    assert "-affected-" in message  # the element, by its spdxId
    # the sample's one "affected" decision (risk accepted), refused by the JSON schema and
    # by SHACL: every problem shown
    assert "more)" not in message


@pytest.mark.parametrize("fast", [True, False], ids=["streaming", "library"])
def test_a_document_only_shacl_refuses_is_refused(
    sample: Inventory, meta: DocumentMeta, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    """A dependency on something that is no element (the CreationInfo): valid JSON for the
    schema, refused by spdx3-validate's SHACL check."""
    done: list[bool] = []

    def edit(obj: dict[str, Any]) -> None:
        if obj.get("relationshipType") == "dependsOn" and not done:
            obj["to"].append("_:CreationInfo0")
            done.append(True)

    _inject(monkeypatch, fast, edit)
    with pytest.raises(ValidationFailedError) as caught:
        Spdx3(fast=fast).render(sample, meta)
    message = str(caught.value)
    assert "-dependsOn at property Core/to: Value does not have class" in message
    assert "ClassConstraintComponent" in message and "required property" not in message


@pytest.mark.parametrize("fast", [True, False], ids=["streaming", "library"])
def test_a_value_the_bindings_refuse_is_a_validation_failure(
    sample: Inventory, meta: DocumentMeta, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    """Not a datetime: the bindings refuse it as they are given it; the streaming writer
    writes what it is given, and the JSON schema refuses the element."""
    import sbomgen.emit.spdx3 as spdx3_module

    monkeypatch.setattr(spdx3_module, "published_date", lambda value: "2021-12-10")
    expected = "failed validation" if fast else "could not be built"
    with pytest.raises(ValidationFailedError, match=f"{expected}.*nothing was written") as caught:
        Spdx3(fast=fast).render(sample, meta)
    if fast:
        assert 'security_publishedTime: "2021-12-10" does not match' in str(caught.value)


# -- (5) conformance checkers ------------------------------------------------------------------


def _check(path: Path, standard: str) -> dict[str, Any]:
    proc = subprocess.run(
        [CHECKER, "-c", standard, "-r", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _failing(report: dict[str, Any], key: str) -> set[str]:
    return set(report[key]["nonconformantComponents"])


def _missing(sample: Inventory) -> dict[str, set[str]]:
    """What Mend does not know, by package name."""
    libs = list(sample.libraries.values())
    return {
        # Mend has no supplier field: in-house libraries have the configured supplier, and
        # enrichment may find one in Mend's copyright data
        "suppliers": {package_name(lib) for lib in libs if not lib.in_house and not lib.supplier},
        # NOASSERTION where Mend knows no license, or names one it gives no text for
        "licenses": {
            package_name(lib)
            for lib in libs
            if lib.license
            and (
                lib.license.concluded == NOASSERTION
                or any(
                    s.startswith("LicenseRef-") and s not in sample.texts
                    for s in symbols_of(lib.license.concluded)
                )
            )
        },
        "declared": {
            package_name(lib)
            for lib in libs
            if lib.license
            and (
                lib.license.declared == NOASSERTION
                or any(
                    s.startswith("LicenseRef-") and s not in sample.texts
                    for s in symbols_of(lib.license.declared)
                )
            )
        },
        "copyrights": {package_name(lib) for lib in libs if not lib.copyrights},
        "purls": {package_name(lib) for lib in libs if not lib.purl},
        "downloads": {
            package_name(lib)
            for lib in libs
            if lib.filename
            and not (lib.references.download or "").startswith(("http://", "https://"))
        },
        "files": {package_name(lib) for lib in libs if lib.filename},
    }


def _own(sample: Inventory) -> set[str]:
    """The described software: the root, the products and the projects."""
    return (
        {"Acme Corp"}
        | {p.name for p in sample.products.values()}
        | {p.name for p in sample.projects.values()}
    )


# fsct3-min on the sample: what fails, and why (every one is data Mend does not have)
FSCT3_MISSING = {
    "componentSuppliers": "suppliers of third-party libraries (Mend has no supplier field)",
    "componentConcludedLicenses": "a license Mend does not know, or names without a text",
    "componentCopyrightTexts": "copyright texts Mend has none for",
}


def test_fsct3_min_fails_only_for_data_mend_lacks(written: Path, sample: Inventory) -> None:
    report = _check(written, "fsct3-min")
    assert report["sbomSpec"] == "spdx3"
    assert report["parsingError"] == [] and report["validationMessages"] == []
    assert report["conformanceMessages"] == []
    for flag in (
        "specVersionProvided",
        "authorNameProvided",
        "timestampProvided",
        "dependencyRelationshipsProvided",
    ):
        assert report[flag] is True, flag
    assert report["totalNumberComponents"] == 81
    graph = report["graphValidation"]
    assert graph["floatingComponents"]["floatingComponentCount"] == 0
    assert graph["unknownPointers"]["hasUnknownPointers"] is False
    for passing in ("componentNames", "componentVersions", "componentIdentifiers"):
        assert report[passing]["allProvided"] is True, passing
    failing = {
        k for k, v in report.items() if isinstance(v, dict) and v.get("allProvided") is False
    }
    assert failing == set(FSCT3_MISSING)
    missing = _missing(sample)
    assert _failing(report, "componentSuppliers") == missing["suppliers"]
    assert missing["suppliers"]  # the sample has libraries whose supplier Mend does not know
    assert (
        _failing(report, "componentConcludedLicenses")
        == missing["licenses"]
        == {
            "component-bind",
            "xmlpull",
        }
    )
    assert _failing(report, "componentCopyrightTexts") == missing["copyrights"]
    assert missing["copyrights"]


def test_bsi_fails_only_for_data_mend_lacks(written: Path, sample: Inventory) -> None:
    """BSI TR-03183-2 (ntia-conformance-checker's ``bsi``). Its JSON report carries only the
    common fields; the BSI requirements are read from the checker itself. What fails:

    - the SBOM creator needs an e-mail or URL, and so does each component's creator
      (``originatedBy``): the configuration names the supplier and authors without one, and
      Mend gives none for the authors it reads from copyright lines;
    - distribution file names: the described software (root, products, projects) has no
      file; every library has the file Mend identified;
    - SHA-512 of each library file: Mend gives SHA-1 only;
    - structured or not (``container``/``firmware``) of each library file: Mend does not say;
    - suppliers, concluded licenses and copyright texts as for fsct3-min.

    Warnings and optional fields that fail: source code URIs and hashes (a ``generates``
    relationship from a source package: Mend knows no sources), deployable URIs of files
    Mend gives no download URL for, other unique identifiers (purls) where there is none,
    declared licenses Mend does not know, effective licenses, security.txt and BOM
    references (Mend has none).
    """
    from ntia_conformance_checker.bsi_checker import BSIChecker

    report = _check(written, "bsi")
    assert report["complianceStandard"] == "bsi" and report["sbomSpec"] == "spdx3"
    assert report["isConformant"] is False
    assert report["parsingError"] == [] and report["validationMessages"] == []

    checker = BSIChecker(str(written), sbom_spec="spdx3")
    missing = _missing(sample)
    own = _own(sample)
    every = own | {package_name(lib) for lib in sample.libraries.values()}

    def names(attribute: str) -> set[str]:
        return {name for name, _ in getattr(checker, attribute)}

    assert (checker.doc_creator, checker.doc_uri, checker.dependency_completeness) == (
        False,
        True,
        True,
    )
    assert checker.doc_timestamp is True
    expected = {
        # required
        "components_without_names": set(),
        "components_without_versions": set(),
        "components_without_identifiers": set(),
        "components_without_suppliers": missing["suppliers"],
        "components_without_concluded_licenses": missing["licenses"],
        "components_without_copyright_texts": missing["copyrights"],
        "components_without_creators": every,
        "components_without_filenames": own,
        "components_without_sha512_hashes": missing["files"],
        "components_without_structured_prop": missing["files"],
        "components_without_executable_prop": set(),
        "components_without_archive_prop": set(),
        # warnings and optional
        "components_without_source_code_uris": every,
        "components_without_deployable_uris": missing["downloads"],
        "components_without_unique_identifiers": own | missing["purls"],
        "components_without_original_licenses": missing["declared"],
        "components_without_effective_licenses": every,
        "components_without_source_code_hashes": every,
        "components_without_security_txt": every,
        "components_without_bom_references": every,
    }
    assert {k: names(k) for k in expected} == expected
    assert len(missing["files"]) == len(sample.libraries) == 67
    assert missing["purls"] == {"openssl-libs"}


def test_bsi_with_the_releases_facts_fails_only_for_data_mend_lacks(
    sample: Inventory, released: DocumentMeta, tmp_path: Path
) -> None:
    """With what the release knows of itself configured (supplier-contact, [files] with
    SHA-512 and kind, [identifiers]), BSI TR-03183-2 finds nothing missing on the root, the
    products and the projects, and the SBOM's creator is reachable: what stays is Mend's
    gap on the libraries (no contact for the authors of copyright lines, SHA-1 only, no
    word on a file's structure, a purl Mend's data cannot give)."""
    from ntia_conformance_checker.bsi_checker import BSIChecker

    path = tmp_path / NAME
    path.write_bytes(Spdx3().render(sample, released)[NAME])
    report = _check(path, "bsi")
    assert report["parsingError"] == [] and report["validationMessages"] == []
    checker = BSIChecker(str(path), sbom_spec="spdx3")
    assert (checker.doc_creator, checker.doc_uri, checker.dependency_completeness) == (
        True,
        True,
        True,
    )
    libs = {package_name(lib) for lib in sample.libraries.values()}
    missing = _missing(sample)

    def names(attribute: str) -> set[str]:
        return {name for name, _ in getattr(checker, attribute)}

    # an in-house library's originator is the configured supplier, whose contact is given
    in_house = {package_name(lib) for lib in sample.libraries.values() if lib.in_house}
    assert names("components_without_creators") == libs - in_house
    assert names("components_without_filenames") == set()
    assert names("components_without_sha512_hashes") == missing["files"] == libs
    assert names("components_without_structured_prop") == libs
    assert names("components_without_unique_identifiers") == missing["purls"]
    assert names("components_without_suppliers") == missing["suppliers"]
    assert names("components_without_versions") == set()
    own = _own(sample)
    for attribute in (  # what TR-03183-2 requires of every component, and identifiers
        "components_without_names",
        "components_without_versions",
        "components_without_creators",
        "components_without_filenames",
        "components_without_executable_prop",
        "components_without_archive_prop",
        "components_without_structured_prop",
        "components_without_sha512_hashes",
        "components_without_unique_identifiers",
        "components_without_suppliers",
        "components_without_concluded_licenses",
        "components_without_copyright_texts",
    ):
        assert not names(attribute) & own, attribute


# -- (6) the command line ----------------------------------------------------------------------


def test_generate_writes_it_and_validate_accepts_it(tmp_path: Path) -> None:
    env = clean_env()
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    out = tmp_path / "out"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "spdx3-json",
        "--out",
        out,
        "--summary-json",
        tmp_path / "summary.json",
        env=env,
    )
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        NAME,
        "SHA256SUMS",
    ]
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    (entry,) = [f for f in summary["files"] if f["path"].endswith(NAME)]
    assert entry["format"] == "spdx3-json"
    assert any("SHACL" in check for check in entry["validated_by"])

    result = run_cli("validate", out / NAME)
    assert result.code == 0, result.stdout + result.stderr
    assert f"{NAME}: valid (SPDX 3.0.1 JSON)" in result.stdout

    data = json.loads((out / NAME).read_text(encoding="utf-8"))
    for obj in data["@graph"]:
        if obj["type"] == "software_Package":
            del obj["creationInfo"]
            break
    bad = tmp_path / "bad.spdx3.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("validate", "--format", "json", bad)
    assert result.code == ValidationFailedError.exit_code == 7
    report = json.loads(result.stdout)
    (entry,) = report["files"]
    assert (entry["status"], entry["standard"], entry["version"]) == ("invalid", "SPDX", "3.0.1")
    assert any(
        p["location"] and p["location"].startswith("$.@graph[") and p["spdx_id"]
        for p in entry["problems"]
    )


def test_validate_names_spdx3_versions_it_cannot_check(tmp_path: Path) -> None:
    path = tmp_path / "old.spdx3.json"
    path.write_text(
        json.dumps({"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld", "@graph": []})
    )
    result = run_cli("validate", path)
    assert result.code == 7
    assert "INVALID (SPDX 3.0.0 JSON)" in result.stdout
    assert "SPDX version 3.0.0 is not one sbomgen validates (3.0.1 for SPDX 3)" in result.stdout


def test_validate_fetches_no_other_context(written: Path) -> None:
    """JSON-LD fetches every context a document names; sbomgen reads the SPDX one it ships
    and refuses any other, fetching nothing."""
    data = json.loads(written.read_text(encoding="utf-8"))
    data["@graph"][1]["@context"] = "http://127.0.0.1:9/context.jsonld"
    problems = spdx3_problems(json.dumps(data))
    assert any("is not fetched" in p.message for p in problems)
    data = json.loads(written.read_text(encoding="utf-8"))
    data["@context"] = [data["@context"], "http://127.0.0.1:9/context.jsonld"]
    assert any("is not fetched" in p.message for p in spdx3_problems(json.dumps(data)))
