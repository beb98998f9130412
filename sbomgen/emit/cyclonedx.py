"""CycloneDX 1.4 to 1.7, JSON and XML, through cyclonedx-python-lib, validated before return.

Mend facts that CycloneDX has no field for are component properties in the ``mend:``
namespace (documented in docs/cyclonedx-properties.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from cyclonedx.model import (
    ExternalReference,
    ExternalReferenceType,
    HashAlgorithm,
    HashType,
    Property,
    XsUri,
)
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.bom_ref import BomRef
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalContact, OrganizationalEntity
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.license import (
    DisjunctiveLicense,
    LicenseAcknowledgement,
    LicenseExpression,
)
from cyclonedx.model.tool import ToolRepository
from cyclonedx.model.vulnerability import (
    BomTarget,
    Vulnerability,
    VulnerabilityRating,
    VulnerabilityScoreSource,
    VulnerabilitySeverity,
    VulnerabilitySource,
)
from cyclonedx.output import make_outputter
from cyclonedx.schema import OutputFormat, SchemaVersion
from packageurl import PackageURL

from sbomgen import __version__
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.plan import ROOT, DocumentPlan, plan_document, short_hash
from sbomgen.emit.validate import validate_cyclonedx
from sbomgen.errors import ValidationFailedError
from sbomgen.model import NOASSERTION, Inventory, Library
from sbomgen.model import Vulnerability as MendVulnerability

VERSIONS = {
    "1.4": SchemaVersion.V1_4,
    "1.5": SchemaVersion.V1_5,
    "1.6": SchemaVersion.V1_6,
    "1.7": SchemaVersion.V1_7,
}
NAMESPACE = uuid.UUID("6f1c3e1e-4a8e-5b7e-9d1f-5bb0f6e0c0de")
SPDX_ID = re.compile(r"^[A-Za-z0-9.+-]+$")


def node_ref(node: str) -> str:
    """bom-ref of a plan node: libraries by Mend keyUuid, the rest by a hash of the token."""
    if node == ROOT:
        return "root"
    kind, _, ident = node.partition(":")
    if kind == "lib":
        return f"mend-lib:{ident}"
    return f"mend-{kind}:{short_hash(ident)}"


def _uri(value: str | None) -> XsUri | None:
    if not value:
        return None
    try:
        return XsUri(value.strip())
    except Exception:  # the library raises a bare InvalidUriException
        return None


def _external_refs(lib: Library) -> list[ExternalReference]:
    out = []
    for kind, value in (
        (ExternalReferenceType.WEBSITE, lib.references.homepage),
        (ExternalReferenceType.ISSUE_TRACKER, lib.references.issue_tracker),
        (ExternalReferenceType.VCS, lib.references.scm),
        (ExternalReferenceType.DISTRIBUTION, lib.references.download),
        (ExternalReferenceType.BUILD_META, lib.references.pom),
    ):
        uri = _uri(value)
        if uri is not None:
            out.append(ExternalReference(type=kind, url=uri))
    return out


def _names(lib: Library, purl: PackageURL | None) -> tuple[str | None, str]:
    """(group, name): from the purl for ecosystems with namespaces, else Mend's name."""
    if purl is not None and purl.type in ("maven", "npm", "golang", "github"):
        return purl.namespace or None, purl.name
    return None, lib.name or lib.artifact_id or lib.filename or lib.key_uuid


def _one_license(
    expression: str, ack: LicenseAcknowledgement | None
) -> DisjunctiveLicense | LicenseExpression:
    if SPDX_ID.match(expression) and not expression.startswith("LicenseRef-"):
        return DisjunctiveLicense(id=expression, acknowledgement=ack)
    return LicenseExpression(value=expression, acknowledgement=ack)


def _licenses(lib: Library, version: str) -> list[DisjunctiveLicense | LicenseExpression]:
    """The license(s) of a component, for one CycloneDX version.

    From 1.6 on, licenses carry an acknowledgement: declared (Mend's) and, after a
    curation, concluded. CycloneDX allows either one expression or several single licenses,
    so both are written only when both are single SPDX ids; otherwise the concluded one is
    written and the declared one goes into the ``mend:declaredLicense`` property. Before 1.6
    there is no acknowledgement, and two entries would read as two licenses that both
    apply: only the concluded license is written.
    """
    if lib.license is None:
        return []
    declared, concluded = lib.license.declared, lib.license.concluded
    acknowledged = version not in ("1.4", "1.5")
    if concluded in (declared, NOASSERTION) or not lib.license.curation:
        if declared == NOASSERTION:
            return []
        return [_one_license(declared, LicenseAcknowledgement.DECLARED if acknowledged else None)]
    first = _one_license(concluded, LicenseAcknowledgement.CONCLUDED if acknowledged else None)
    if not acknowledged or declared == NOASSERTION:
        return [first]
    second = _one_license(declared, LicenseAcknowledgement.DECLARED)
    if isinstance(first, DisjunctiveLicense) and isinstance(second, DisjunctiveLicense):
        return [first, second]
    return [first]


def library_component(lib: Library, version: str = "1.6") -> Component:
    purl = PackageURL.from_string(lib.purl) if lib.purl else None
    group, name = _names(lib, purl)
    props = [Property(name="mend:keyUuid", value=lib.key_uuid)]
    if lib.type:
        props.append(Property(name="mend:type", value=lib.type))
    if lib.language_type:
        props.append(Property(name="mend:languageType", value=lib.language_type))
    match_types = sorted({o.match_type for o in lib.occurrences if o.match_type})
    if match_types:
        props.append(Property(name="mend:matchType", value=",".join(match_types)))
    props.append(
        Property(name="mend:directDependency", value="true" if lib.direct_anywhere else "false")
    )
    if lib.in_house:
        props.append(Property(name="mend:inHouse", value="true"))
    if lib.license is not None:
        for part in lib.license.parts:
            props.append(Property(name="mend:license", value=part.mend_name))
        if lib.license.suspected:
            names = ", ".join(p.mend_name for p in lib.license.parts if p.suspected)
            props.append(Property(name="mend:suspectedLicense", value=names))
        if lib.license.inference:
            props.append(Property(name="mend:licenseInference", value=lib.license.inference))
        if lib.license.curation:
            props.append(Property(name="mend:licenseCuration", value=lib.license.curation))
            if lib.license.declared not in (NOASSERTION, lib.license.concluded):
                props.append(Property(name="mend:declaredLicense", value=lib.license.declared))
    if lib.purl is None and lib.purl_problem:
        props.append(Property(name="mend:purlMissing", value=lib.purl_problem))
    hashes = (
        [HashType(alg=HashAlgorithm.SHA_1, content=lib.sha1.lower())]
        if lib.sha1 and re.fullmatch(r"[0-9a-fA-F]{40}", lib.sha1)
        else []
    )
    return Component(
        type=ComponentType.LIBRARY,
        bom_ref=node_ref(f"lib:{lib.key_uuid}"),
        name=name,
        group=group,
        version=lib.version,
        purl=purl,
        description=lib.description,
        hashes=hashes,
        licenses=_licenses(lib, version),
        copyright="\n".join(c.text for c in lib.copyrights) or None,
        external_references=_external_refs(lib),
        properties=props,
    )


def _severity(score: float | None) -> VulnerabilitySeverity | None:
    """CVSS v3 qualitative rating (Mend's own cvss3_severity stops at "high")."""
    if score is None:
        return None
    for floor, severity in (
        (9.0, VulnerabilitySeverity.CRITICAL),
        (7.0, VulnerabilitySeverity.HIGH),
        (4.0, VulnerabilitySeverity.MEDIUM),
        (0.1, VulnerabilitySeverity.LOW),
    ):
        if score >= floor:
            return severity
    return VulnerabilitySeverity.NONE


def _decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip()[:19], fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def _vulnerability(vuln: MendVulnerability, refs: list[str]) -> Vulnerability:
    source = None
    if vuln.id.startswith("CVE-"):
        source = VulnerabilitySource(
            name="NVD", url=_uri(f"https://nvd.nist.gov/vuln/detail/{vuln.id}")
        )
    elif vuln.url:
        source = VulnerabilitySource(name=vuln.source or "Mend", url=_uri(vuln.url))
    ratings = []
    if vuln.cvss3_score is not None:
        method = VulnerabilityScoreSource.CVSS_V3
        if vuln.cvss3_vector and vuln.cvss3_vector.startswith("CVSS:3.1/"):
            method = VulnerabilityScoreSource.CVSS_V3_1
        ratings.append(
            VulnerabilityRating(
                source=source,
                score=_decimal(vuln.cvss3_score),
                severity=_severity(vuln.cvss3_score),
                method=method,
                vector=vuln.cvss3_vector,
            )
        )
    if vuln.score is not None:
        sev = (vuln.severity or "").lower()
        ratings.append(
            VulnerabilityRating(
                source=source,
                score=_decimal(vuln.score),
                severity=VulnerabilitySeverity(sev) if sev in ("low", "medium", "high") else None,
                method=VulnerabilityScoreSource.CVSS_V2,
            )
        )
    props = []
    if vuln.cvss3_severity:
        props.append(Property(name="mend:cvss3Severity", value=vuln.cvss3_severity))
    return Vulnerability(
        bom_ref=f"vuln:{vuln.id}",
        id=vuln.id,
        source=source,
        ratings=ratings,
        description=vuln.description,
        recommendation=vuln.fix_resolution,
        published=_date(vuln.published),
        affects=[BomTarget(ref=r) for r in sorted(refs)],
        properties=props,
    )


def _index_dependencies(bom: Bom) -> None:
    """Give ``bom`` a ``register_dependency`` that finds existing entries through an index.

    The library's serializers call ``Bom.validate()``, which calls ``register_dependency``
    once per component, and each call scans every dependency entry: O(n²), most of the
    serialization time at 10,000 components (CycloneDX/cyclonedx-python-lib#1006). sbomgen
    registers every node itself, so that pass only has to confirm the entries exist. The
    method is set on the instance (a subclass would change how py-serializable names the
    document's root element).
    """
    library_method = bom.register_dependency
    refs: set[str] = set()

    def register_dependency(target: Any, depends_on: Iterable[Any] | None = None) -> None:
        if depends_on:  # not used by sbomgen: keep the library's own behaviour
            library_method(target, depends_on)
            refs.clear()
            return
        if len(refs) != len(bom.dependencies):
            refs.clear()
            refs.update(str(d.ref) for d in bom.dependencies)
        if str(target.bom_ref) not in refs:
            bom.dependencies.add(Dependency(ref=target.bom_ref))
            refs.add(str(target.bom_ref))

    bom.register_dependency = register_dependency  # type: ignore[method-assign]


def build_bom(plan: DocumentPlan, version: str = "1.6") -> Bom:
    meta = plan.meta
    root_props = [Property(name="mend:scope", value=plan.root_kind)]
    root = Component(
        type=ComponentType.APPLICATION,
        bom_ref=node_ref(ROOT),
        name=meta.name,
        version=meta.version,
        supplier=OrganizationalEntity(name=meta.supplier) if meta.supplier else None,
        licenses=[_one_license(meta.license, LicenseAcknowledgement.DECLARED)]
        if meta.license
        else None,
        copyright=meta.copyright,
        properties=root_props,
    )
    metadata = BomMetaData(
        tools=ToolRepository(
            components=[
                Component(type=ComponentType.APPLICATION, name="sbomgen", version=__version__)
            ]
        ),
        component=root,
        timestamp=meta.timestamp,
        authors=[OrganizationalContact(name=a) for a in meta.authors] or None,
        supplier=OrganizationalEntity(name=meta.supplier) if meta.supplier else None,
        manufacturer=OrganizationalEntity(name=meta.supplier) if meta.supplier else None,
    )
    bom = Bom(metadata=metadata)
    _index_dependencies(bom)
    for product in plan.products:
        bom.components.add(
            Component(
                type=ComponentType.APPLICATION,
                bom_ref=node_ref(f"product:{product.token}"),
                name=product.name,
                properties=[Property(name="mend:kind", value="product")],
            )
        )
    for project in plan.projects:
        props = [Property(name="mend:kind", value="project")]
        if project.product_name:
            props.append(Property(name="mend:product", value=project.product_name))
        bom.components.add(
            Component(
                type=ComponentType.APPLICATION,
                bom_ref=node_ref(f"project:{project.token}"),
                name=project.name,
                properties=props,
            )
        )
    affected: dict[str, tuple[MendVulnerability, list[str]]] = {}
    for lib in plan.libraries:
        bom.components.add(library_component(lib, version))
        for vuln in lib.vulnerabilities:
            affected.setdefault(vuln.id, (vuln, []))[1].append(node_ref(f"lib:{lib.key_uuid}"))
    for node in sorted(plan.edges, key=node_ref):
        children = [Dependency(ref=BomRef(value=node_ref(c))) for c in plan.edges[node]]
        bom.dependencies.add(Dependency(ref=BomRef(value=node_ref(node)), dependencies=children))
    for vuln_id in sorted(affected):
        vuln, refs = affected[vuln_id]
        bom.vulnerabilities.add(_vulnerability(vuln, refs))
    bom.serial_number = PROVISIONAL_UUID  # replaced by a hash of the serialized content
    return bom


PROVISIONAL_UUID = uuid.UUID(int=0)


def _with_serial(text: str) -> str:
    """Set the serial number to a UUID derived from everything else in the document, so
    that equal documents share a serial number and different ones never do."""
    serial = uuid.uuid5(NAMESPACE, hashlib.sha256(text.encode("utf-8")).hexdigest())
    return text.replace(str(PROVISIONAL_UUID), str(serial), 1)


def _canonical_json(text: str) -> str:
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


class CycloneDx(Emitter):
    """One CycloneDX document, in one version and one format (json or xml)."""

    def __init__(
        self, fmt: str = "json", version: str = "1.6", *, exclude_in_house: bool = False
    ) -> None:
        if fmt not in ("json", "xml"):
            raise ValueError(f"CycloneDX format {fmt!r}: json or xml")
        if version not in VERSIONS:
            raise ValueError(f"CycloneDX version {version!r}: one of {', '.join(VERSIONS)}")
        self.fmt, self.version, self.exclude_in_house = fmt, version, exclude_in_house
        self.name = f"cyclonedx-{fmt}"

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        plan = plan_document(inventory, meta, exclude_in_house=self.exclude_in_house)
        bom = build_bom(plan, self.version)
        schema = VERSIONS[self.version]
        output_format = OutputFormat.JSON if self.fmt == "json" else OutputFormat.XML
        outputter = make_outputter(bom, output_format, schema)
        try:
            text = outputter.output_as_string(indent=2)
        except Exception as exc:  # the serializer's own checks (e.g. XML it cannot parse)
            raise ValidationFailedError(
                f"{meta.file_stem}.cdx.{self.fmt} (CycloneDX {self.version} {self.fmt.upper()}) could not be "
                f"serialized, nothing was written: {type(exc).__name__}: {exc}"
            ) from exc
        if self.fmt == "json":
            text = _canonical_json(text)
        elif not text.endswith("\n"):
            text += "\n"
        text = _with_serial(text)
        name = f"{meta.file_stem}.cdx.{self.fmt}"
        errors = validate_cyclonedx(text, self.fmt, self.version)
        if errors:
            shown = "; ".join(errors[:5]) + (
                f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
            )
            raise ValidationFailedError(
                f"{name} (CycloneDX {self.version} {self.fmt.upper()}) failed validation, nothing was written: {shown}"
            )
        return {name: text.encode("utf-8")}


def emitters(formats: Iterable[str], version: str, exclude_in_house: bool) -> list[CycloneDx]:
    return [CycloneDx(f, version, exclude_in_house=exclude_in_house) for f in formats]


# The first emitter's name, kept for callers of the earlier API.
def CycloneDxJson() -> CycloneDx:
    return CycloneDx("json", "1.6")
