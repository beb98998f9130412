"""Facts stated with the standards' meaning, on the bundled sample.

Declared is what the authors declared, concluded is someone's conclusion (SPDX 2.3 §7.13,
§7.15; CycloneDX license acknowledgement); scores are labelled by what they are; the
originator comes from Mend's copyright authors, the supplier of the organization's own
software from the configuration; a LicenseRef is never given a non-text as its text.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from lxml import etree

from sbomgen.emit import CycloneDx, SpdxSet
from sbomgen.emit.interface import DocumentMeta
from sbomgen.enrich.producers import SUPPLIER_FROM_COPYRIGHT, party_kind
from sbomgen.model import Inventory


@pytest.fixture(scope="module")
def spdx(sample: Inventory, meta: DocumentMeta) -> dict[str, Any]:
    files = SpdxSet(("json",), "2.3").render(sample, meta)
    return json.loads(files["Acme-Corp.spdx.json"])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def cdx16(sample: Inventory, meta: DocumentMeta) -> dict[str, Any]:
    return json.loads(CycloneDx("json", "1.6").render(sample, meta)["Acme-Corp.cdx.json"])  # type: ignore[no-any-return]


def _package(spdx: dict[str, Any], name: str) -> dict[str, Any]:
    found = [p for p in spdx["packages"] if p["name"] == name]
    assert len(found) == 1, name
    return found[0]


def _component(cdx: dict[str, Any], name: str) -> dict[str, Any]:
    found = [c for c in cdx["components"] if c["name"] == name]
    assert len(found) == 1, name
    return found[0]


def test_a_suspected_license_is_concluded_not_declared(
    spdx: dict[str, Any], cdx16: dict[str, Any], sample: Inventory, meta: DocumentMeta
) -> None:
    package = _package(spdx, "better-assert")
    assert (package["licenseDeclared"], package["licenseConcluded"]) == ("NOASSERTION", "MIT")
    assert "only suspected" in package["licenseComments"]
    assert "comment" not in package  # notes about licenses go to licenseComments
    assert _component(cdx16, "better-assert")["licenses"] == [
        {"license": {"id": "MIT", "acknowledgement": "concluded"}}
    ]
    cdx14 = json.loads(CycloneDx("json", "1.4").render(sample, meta)["Acme-Corp.cdx.json"])
    component = _component(cdx14, "better-assert")
    assert component["licenses"] == [{"license": {"id": "MIT"}}]  # 1.4 has no acknowledgement
    assert {"name": "mend:suspectedLicense", "value": "Suspected MIT"} in component["properties"]


def test_a_plain_license_is_declared_and_concluded(
    spdx: dict[str, Any], cdx16: dict[str, Any]
) -> None:
    """Mend's conclusion is the declared license: both stated (BSI TR-03183-2 reads the
    concluded one as the distribution licence)."""
    package = _package(spdx, "rack")
    assert (package["licenseDeclared"], package["licenseConcluded"]) == ("MIT", "MIT")
    assert _component(cdx16, "rack")["licenses"] == [
        {"license": {"id": "MIT", "acknowledgement": "concluded"}},
        {"license": {"id": "MIT", "acknowledgement": "declared"}},
    ]


def test_inference_notes_are_license_comments(spdx: dict[str, Any]) -> None:
    package = _package(spdx, "javax.servlet-api")
    assert "read as a choice (dual licensing)" in package["licenseComments"]
    assert "comment" not in package


def test_html_entities_are_decoded_once(
    spdx: dict[str, Any], sample: Inventory, meta: DocumentMeta
) -> None:
    # Mend's JSON has "&lt;http://leahneukirchen.org/…&gt;", its text file escapes "<" too
    assert _package(spdx, "rack")["copyrightText"] == (
        "Copyright (C) 2007-2019 Leah Neukirchen <http://leahneukirchen.org/infopage.html>"
    )
    assert "&lt;" not in json.dumps(spdx) and "&amp;" not in json.dumps(spdx)
    xml = CycloneDx("xml", "1.6").render(sample, meta)["Acme-Corp.cdx.xml"]
    assert b"&amp;lt;" not in xml
    root = etree.fromstring(xml)
    copyrights = root.xpath("//*[local-name()='copyright']/text()")
    assert "Copyright (c) 2012 TJ Holowaychuk <tj@vision-media.ca>" in copyrights


def _ratings(cdx: dict[str, Any], vuln_id: str) -> list[dict[str, Any]]:
    (vuln,) = [v for v in cdx["vulnerabilities"] if v["id"] == vuln_id]
    return vuln["ratings"]  # type: ignore[no-any-return]


def test_scores_are_labelled_by_what_they_are(cdx16: dict[str, Any]) -> None:
    # Mend's legacy score repeats the v3 score and no v2 vector exists: one v3 rating
    assert [r["method"] for r in _ratings(cdx16, "CVE-2022-30123")] == ["CVSSv3"]
    assert [r["method"] for r in _ratings(cdx16, "CVE-2022-41723")] == ["CVSSv31"]
    # a v2 score that differs from the v3 one is a v2 rating
    methods = {r["method"]: r for r in _ratings(cdx16, "CVE-2020-28500")}
    assert methods["CVSSv2"]["score"] == 5.0 and methods["CVSSv31"]["score"] == 5.3
    # vectors are kept whole
    assert methods["CVSSv31"]["vector"] == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"


def test_originator_comes_from_the_copyright_authors(
    spdx: dict[str, Any], cdx16: dict[str, Any]
) -> None:
    assert _package(spdx, "rack")["originator"] == "Person: Leah Neukirchen"
    assert _package(spdx, "log4net")["originator"] == "Organization: The Apache Software Foundation"
    assert _package(spdx, "xmlpull")["originator"] == "NOASSERTION"  # no copyright author
    assert _component(cdx16, "rack")["authors"] == [{"name": "Leah Neukirchen"}]
    assert _component(cdx16, "log4net")["manufacturer"] == {
        "name": "The Apache Software Foundation"
    }
    # a third-party library's supplier: the producer every copyright line names …
    assert _package(spdx, "log4net")["supplier"] == "Organization: The Apache Software Foundation"
    assert _component(cdx16, "log4net")["supplier"] == {"name": "The Apache Software Foundation"}
    assert {"name": "sbomgen:supplierSource", "value": SUPPLIER_FROM_COPYRIGHT} in _component(
        cdx16, "log4net"
    )["properties"]
    assert "supplier" in spdx["creationInfo"]["comment"]  # the SPDX document says so
    # … and none when the lines name different authors (EPFL and Lightbend), or none at all
    assert _package(spdx, "scala-library")["supplier"] == "NOASSERTION"
    assert "supplier" not in _component(cdx16, "scala-library")
    assert _package(spdx, "debug")["supplier"] == "NOASSERTION"
    assert _package(spdx, "xmlpull")["supplier"] == "NOASSERTION"


def test_the_organizations_own_software_has_the_configured_supplier(
    spdx: dict[str, Any], cdx16: dict[str, Any]
) -> None:
    assert _package(spdx, "acme-commons")["supplier"] == "Organization: Acme Corp"
    assert _component(cdx16, "acme-commons")["supplier"] == {"name": "Acme Corp"}
    own = [c for c in cdx16["components"] if c["type"] == "application"]
    assert own and all(c["supplier"] == {"name": "Acme Corp"} for c in own)
    structural = [p for p in spdx["packages"] if p.get("primaryPackagePurpose") == "APPLICATION"]
    assert structural and all(p["supplier"] == "Organization: Acme Corp" for p in structural)


def test_the_file_name_is_stated(spdx: dict[str, Any], cdx16: dict[str, Any]) -> None:
    assert _package(spdx, "libc6")["packageFileName"] == "libc6_2.36-9+deb12u14_amd64.deb"
    component = _component(cdx16, "libc6")
    assert {"name": "mend:filename", "value": "libc6_2.36-9+deb12u14_amd64.deb"} in component[
        "properties"
    ]
    # Mend matched it by its SHA-1: identity evidence, by hash comparison
    (identity,) = component["evidence"]["identity"]
    assert identity["field"] == "hash"
    assert identity["methods"][0]["technique"] == "hash-comparison"


def test_no_license_reference_without_its_text(spdx: dict[str, Any], sample: Inventory) -> None:
    for info in spdx["hasExtractedLicensingInfos"]:
        assert info["extractedText"].strip() not in ("", "NOASSERTION")
    for package in spdx["packages"]:
        for field in ("licenseDeclared", "licenseConcluded"):
            assert "LicenseRef-Public-Domain" not in package[field]
    package = _package(spdx, "xmlpull")
    assert package["licenseDeclared"] == package["licenseConcluded"] == "NOASSERTION"
    assert "'Public Domain'" in package["licenseComments"]
    assert any(
        f.kind == "text-missing" and "LicenseRef-Public-Domain" in f.message
        for f in sample.findings
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("TJ Holowaychuk", "person"),
        ("Leah Neukirchen", "person"),
        ("TAHRI Ahmed R.", "person"),
        ("Jean-loup Gailly and Mark Adler", "person"),
        ("The Apache Software Foundation", "organization"),
        ("Zeit, Inc.", "organization"),
        ("QOS.ch", "organization"),
        ("Pallets", "organization"),
        ("Andrey Petrov and contributors", "organization"),
        ("Oracle and/or its affiliates", "organization"),
        ("The Go Authors", "organization"),
    ],
)
def test_person_or_organization(name: str, kind: str) -> None:
    assert party_kind(name) == kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Łukasz Langa", "person"),
        ("Guido van Rossum", "person"),
        ("TJ Holowaychuk <tj@vision-media.ca>", "person"),
        ("Red Hat", "organization"),
        ("Amazon Web Services", "organization"),
        ("Open Source Initiative", "organization"),
    ],
)
def test_person_or_organization_review_cases(name: str, kind: str) -> None:
    assert party_kind(name) == kind


def test_urls_keep_their_ampersands() -> None:
    from sbomgen.sources.parse import Ctx, parse_licenses

    data = {
        "libraries": [
            {
                "keyUuid": "k",
                "name": "AT&amp;T&#39;s lib",
                "description": "compares &lt;a&gt; &region=2",
                "references": {"url": "https://example.org/x?a=1&region=2&amp=3&para=4"},
                "licenses": [],
                "copyrightReferences": [
                    {"copyright": "Copyright (c) 2012 TJ &lt;tj@x.org&gt;", "author": "TJ"}
                ],
            }
        ]
    }
    (lib,) = parse_licenses(Ctx("getProductLicenses"), data, {})
    assert lib.references.homepage == "https://example.org/x?a=1&region=2&amp=3&para=4"
    assert lib.name == "AT&T's lib"
    assert lib.description == "compares <a> &region=2"
    assert lib.copyrights[0].text == "Copyright (c) 2012 TJ <tj@x.org>"


def test_cvss4_and_lone_v2_vectors_are_labelled() -> None:
    from sbomgen.emit.cyclonedx import _vulnerability
    from sbomgen.emit.plan import VulnStatement
    from sbomgen.model import Vulnerability

    def statement(vuln: Vulnerability) -> VulnStatement:
        return VulnStatement(vuln=vuln, analysis=None, detail=None, nodes=(), ref=f"vuln:{vuln.id}")

    v4 = _vulnerability(
        statement(
            Vulnerability(id="CVE-1", cvss3_score=8.7, cvss3_vector="CVSS:4.0/AV:N/AC:L/AT:N")
        )
    )
    assert [(r.method.value, r.vector) for r in v4.ratings] == [
        ("CVSSv4", "CVSS:4.0/AV:N/AC:L/AT:N")
    ]
    v2 = _vulnerability(
        statement(Vulnerability(id="CVE-2", cvss3_vector="AV:N/AC:L/Au:N/C:P/I:P/A:P"))
    )
    assert [(r.method.value, r.score, r.vector) for r in v2.ratings] == [
        ("CVSSv2", None, "AV:N/AC:L/Au:N/C:P/I:P/A:P")
    ]


def test_a_documentref_as_the_configured_license_is_a_config_error(tmp_path: Any) -> None:
    from conftest import SAMPLE_SNAPSHOT, run_cli

    (tmp_path / "sbomgen.toml").write_text('license = "DocumentRef-x:LicenseRef-y"\n')
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", tmp_path / "out", cwd=tmp_path
    )
    assert result.code == 3 and "DocumentRef" in result.stderr
    assert not (tmp_path / "out").exists()
