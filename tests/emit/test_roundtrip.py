"""Round trips: what was written, parsed back with the standards' own libraries, holds the
model's components, licenses and dependency edges."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from sbomgen.emit import CycloneDx, SpdxSet
from sbomgen.emit.cyclonedx import SPDX_ID
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.validate import parse_spdx_text
from sbomgen.enrich.licenses import normalize_expression
from sbomgen.enrich.purl_spec import canonical
from sbomgen.enrich.texts import symbols_of
from sbomgen.model import NOASSERTION, Inventory


def _model_edges(sample: Inventory) -> set[tuple[str, str]]:
    """(parent purl, child purl) for every library-to-library edge in every hierarchy."""
    purl = {k: lib.purl for k, lib in sample.libraries.items()}
    return {
        (purl[e.parent], purl[e.child])  # type: ignore[misc]
        for p in sample.projects.values()
        for e in p.edges
        if e.parent is not None and purl.get(e.parent) and purl.get(e.child)
    }


def _model_licenses(sample: Inventory) -> dict[str, tuple[str, str]]:
    """Declared and concluded per purl, as SPDX can state them: an expression naming a
    LicenseRef with no text is not asserted (NOASSERTION)."""

    def asserted(expression: str) -> str:
        missing = [
            s
            for s in symbols_of(expression)
            if s.startswith("LicenseRef-") and s not in sample.texts
        ]
        return NOASSERTION if missing else expression

    return {
        lib.purl: (asserted(lib.license.declared), asserted(lib.license.concluded))
        for lib in sample.libraries.values()
        if lib.purl and lib.license
    }


@pytest.mark.parametrize("version", ["2.2", "2.3"])
@pytest.mark.parametrize("fmt", ["json", "yaml", "xml", "tv", "rdf"])
def test_spdx_round_trip(sample: Inventory, meta: DocumentMeta, version: str, fmt: str) -> None:
    files = SpdxSet([fmt], version).render(sample, meta)
    (text,) = files.values()
    document = parse_spdx_text(text, fmt)
    assert document.creation_info.spdx_version == f"SPDX-{version}"
    purl_of = {}
    licenses = {}
    for package in document.packages:
        refs = [r.locator for r in package.external_references if r.reference_type == "purl"]
        if refs:
            purl_of[package.spdx_id] = refs[0]

            def expr(value: object) -> str:
                text = str(value)
                return NOASSERTION if text == NOASSERTION else normalize_expression(text) or text

            licenses[refs[0]] = (expr(package.license_declared), expr(package.license_concluded))
    assert set(purl_of.values()) == {lib.purl for lib in sample.libraries.values() if lib.purl}
    assert licenses == _model_licenses(sample)
    depends = {
        (purl_of[r.spdx_element_id], purl_of[str(r.related_spdx_element_id)])
        for r in document.relationships
        if r.relationship_type.name == "DEPENDS_ON" and r.spdx_element_id in purl_of
    }
    assert depends == _model_edges(sample)
    kinds = {r.relationship_type.name for r in document.relationships}
    assert kinds == {"DESCRIBES", "CONTAINS", "DEPENDS_ON"}
    # every LicenseRef used has its extracted licensing info
    used = {
        s
        for d, c in licenses.values()
        for s in (d + " " + c).replace("(", " ").replace(")", " ").split()
        if s.startswith("LicenseRef-")
    }
    assert used <= {e.license_id for e in document.extracted_licensing_info}
    if fmt in ("json", "yaml", "xml"):
        # copyright text is plain lines, never a Python list repr
        for package in document.packages:
            assert not str(package.copyright_text).startswith("[")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_cyclonedx_round_trip(sample: Inventory, meta: DocumentMeta, fmt: str) -> None:
    from cyclonedx.model.bom import Bom

    (text,) = CycloneDx(fmt, "1.6").render(sample, meta).values()
    if fmt == "json":
        bom = Bom.from_json(json.loads(text))  # type: ignore[attr-defined]
    else:
        bom = Bom.from_xml(ElementTree.fromstring(text))  # type: ignore[attr-defined]  # noqa: S314 - our own output
    # compared in the specification's canonical form (packageurl-python writes %2b for %2B)
    purl_of = {
        str(c.bom_ref): canonical(c.purl.to_string()) for c in bom.components if c.purl is not None
    }
    assert set(purl_of.values()) == {lib.purl for lib in sample.libraries.values() if lib.purl}
    licenses = {}
    for component in bom.components:
        if component.purl is None:
            continue
        licenses[canonical(component.purl.to_string())] = {
            str(lic.acknowledgement.value): getattr(lic, "value", None) or getattr(lic, "id", None)
            for lic in component.licenses
            if lic.acknowledgement is not None
        }
    expected_licenses = {}
    for lib in sample.libraries.values():
        if lib.purl and lib.license:
            declared, concluded = lib.license.declared, lib.license.concluded
            acknowledged = {k: v for k, v in (("concluded", concluded), ("declared", declared))}
            acknowledged = {k: v for k, v in acknowledged.items() if v != NOASSERTION}
            # CycloneDX: one expression, or single licenses: beside an expression only the
            # concluded one is written (the declared one is a mend:declaredLicense property)
            single = all(SPDX_ID.match(v) and "LicenseRef-" not in v for v in acknowledged.values())
            if len(acknowledged) == 2 and not single:
                del acknowledged["declared"]
            expected_licenses[lib.purl] = acknowledged
    assert licenses == expected_licenses
    edges = {
        (purl_of[str(dep.ref)], purl_of[str(child.ref)])
        for dep in bom.dependencies
        if str(dep.ref) in purl_of
        for child in dep.dependencies
    }
    assert edges == _model_edges(sample)
    vulns = {v.id: {str(a.ref) for a in v.affects} for v in bom.vulnerabilities}
    expected = {v.id for lib in sample.libraries.values() for v in lib.vulnerabilities}
    assert set(vulns) == expected
