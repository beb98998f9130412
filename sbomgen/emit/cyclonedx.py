"""CycloneDX 1.4 to 1.7, JSON and XML, through cyclonedx-python-lib, validated before return.

Mend facts that CycloneDX has no field for are component properties in the ``mend:``
namespace (documented in docs/cyclonedx-properties.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import warnings
from collections.abc import Iterable
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
from cyclonedx.model.component_evidence import (
    AnalysisTechnique,
    ComponentEvidence,
    Identity,
    IdentityField,
    Method,
    Occurrence,
)
from cyclonedx.model.contact import OrganizationalContact, OrganizationalEntity
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.impact_analysis import (
    ImpactAnalysisJustification,
    ImpactAnalysisResponse,
    ImpactAnalysisState,
)
from cyclonedx.model.license import (
    DisjunctiveLicense,
    LicenseAcknowledgement,
    LicenseExpression,
)
from cyclonedx.model.lifecycle import LifecyclePhase, PredefinedLifecycle
from cyclonedx.model.tool import ToolRepository
from cyclonedx.model.vulnerability import (
    BomTarget,
    Vulnerability,
    VulnerabilityAnalysis,
    VulnerabilityRating,
    VulnerabilityScoreSource,
    VulnerabilitySeverity,
    VulnerabilitySource,
)
from cyclonedx.output import make_outputter
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.schema.deprecation import SchemaDeprecationWarning1Dot6
from packageurl import PackageURL

from sbomgen import __version__
from sbomgen.emit.formats import CYCLONEDX_VERSIONS
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.plan import (
    ROOT,
    DocumentPlan,
    VulnStatement,
    plan_document,
    published_date,
    short_hash,
    vulnerability_statements,
)
from sbomgen.emit.validate import validate_cyclonedx
from sbomgen.errors import ValidationFailedError
from sbomgen.model import NOASSERTION, Inventory, Library, Location

VERSIONS = {
    "1.4": SchemaVersion.V1_4,
    "1.5": SchemaVersion.V1_5,
    "1.6": SchemaVersion.V1_6,
    "1.7": SchemaVersion.V1_7,
}
assert tuple(VERSIONS) == CYCLONEDX_VERSIONS
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

    From 1.6 on, licenses carry an acknowledgement: *declared* (what the authors declared,
    as Mend read it) and *concluded* (Mend's conclusion, which includes licenses it only
    suspects, or a curation). CycloneDX allows either one expression or several single
    licenses, so both are written only when both are single SPDX ids; otherwise the
    concluded one is written and the declared one goes into the ``mend:declaredLicense``
    property. Before 1.6 there is no acknowledgement, and two entries would read as two
    licenses that both apply: only the concluded license is written.
    """
    if lib.license is None:
        return []
    declared, concluded = lib.license.declared, lib.license.concluded
    if version in ("1.4", "1.5"):
        return [] if concluded == NOASSERTION else [_one_license(concluded, None)]
    out = []
    if concluded != NOASSERTION:
        out.append(_one_license(concluded, LicenseAcknowledgement.CONCLUDED))
    if declared != NOASSERTION:
        out.append(_one_license(declared, LicenseAcknowledgement.DECLARED))
    if len(out) == 2 and not all(isinstance(x, DisjunctiveLicense) for x in out):
        return out[:1]
    return out


def declared_in_property(lib: Library, written: int, version: str) -> bool:
    """Whether the declared license goes into ``mend:declaredLicense``: when it is known and
    no license entry states it (before 1.6 only the concluded one is written; from 1.6 on,
    a second entry is not allowed beside an expression)."""
    if lib.license is None or lib.license.declared == NOASSERTION:
        return False
    if version in ("1.4", "1.5"):
        return lib.license.declared != lib.license.concluded
    return lib.license.concluded != NOASSERTION and written == 1


def _own_license_entries(
    expression: str | None, version: str
) -> list[DisjunctiveLicense | LicenseExpression]:
    return [
        _one_license(e, LicenseAcknowledgement(a) if a else None)
        for e, a in own_licenses(expression, version)
    ]


def own_licenses(expression: str | None, version: str) -> list[tuple[str, str | None]]:
    """The release's own license (configured): what it distributes under, so *concluded*,
    and, where CycloneDX allows a second entry (a single SPDX id), *declared* too; before
    1.6 one entry with no acknowledgement."""
    if not expression:
        return []
    if version in ("1.4", "1.5"):
        return [(expression, None)]
    single = SPDX_ID.match(expression) and not expression.startswith("LicenseRef-")
    out: list[tuple[str, str | None]] = [(expression, "concluded")]
    if single:
        out.append((expression, "declared"))
    return out


class CanonicalPurl(PackageURL):
    """A PackageURL that serializes as sbomgen's canonical string.

    packageurl-python re-encodes some purls on output (``libstdc%2B%2B`` becomes
    ``libstdc%2b%2b``); cyclonedx-python-lib writes ``to_string()``, so this keeps the
    string that :mod:`sbomgen.enrich.purl_spec` built and the SPDX documents carry.
    """

    canonical: str

    def __new__(cls, canonical: str) -> CanonicalPurl:
        p = PackageURL.from_string(canonical)
        obj = super().__new__(
            cls,
            type=p.type,
            namespace=p.namespace,
            name=p.name,
            version=p.version,
            qualifiers=p.qualifiers,
            subpath=p.subpath,
        )
        obj.canonical = canonical
        return obj

    def to_string(self, encode: bool | None = True) -> str:
        return self.canonical

    def __str__(self) -> str:
        return self.canonical


def library_component(lib: Library, version: str = "1.6") -> Component:
    purl = CanonicalPurl(lib.purl) if lib.purl else None
    group, name = _names(lib, purl)
    props = [Property(name="mend:keyUuid", value=lib.key_uuid)]
    if lib.type:
        props.append(Property(name="mend:type", value=lib.type))
    if lib.language_type:
        props.append(Property(name="mend:languageType", value=lib.language_type))
    match_types = _match_types(lib)
    if match_types:
        props.append(Property(name="mend:matchType", value=",".join(match_types)))
    props.append(
        Property(name="mend:directDependency", value="true" if lib.direct_anywhere else "false")
    )
    if lib.in_house:
        props.append(Property(name="mend:inHouse", value="true"))
    written = _licenses(lib, version)
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
        if declared_in_property(lib, len(written), version):
            props.append(Property(name="mend:declaredLicense", value=lib.license.declared))
    if lib.purl is None and lib.purl_problem:
        props.append(Property(name="mend:purlMissing", value=lib.purl_problem))
    for fact in sorted(lib.fact_sources):  # native --enrich: where each fact comes from
        value = f"{fact.source} ({fact.note})" if fact.note else fact.source
        props.append(Property(name=f"sbomgen:source:{fact.fact}", value=value))
    if lib.filename:  # CycloneDX has no field for a package's file name
        props.append(Property(name="mend:filename", value=lib.filename))
        # BSI TR-03183-2's name for it (its CycloneDX taxonomy: bsi:component:filename)
        props.append(Property(name="bsi:component:filename", value=lib.filename))
    if lib.supplier is not None and lib.supplier.source != "configuration":
        props.append(Property(name="sbomgen:supplierSource", value=lib.supplier.source))
    sha1 = lib.sha1.lower() if lib.sha1 and re.fullmatch(r"[0-9a-fA-F]{40}", lib.sha1) else None
    hashes = [HashType(alg=HashAlgorithm.SHA_1, content=sha1)] if sha1 else []
    originator = lib.originator
    person = originator is not None and originator.kind == "person"
    modern = version not in ("1.4", "1.5")  # authors and manufacturer exist from 1.6 on
    with warnings.catch_warnings():
        # "author" is what 1.4 and 1.5 have; the library warns on setting it at all
        warnings.simplefilter("ignore", SchemaDeprecationWarning1Dot6)
        return Component(
            type=ComponentType.LIBRARY,
            bom_ref=node_ref(f"lib:{lib.key_uuid}"),
            name=name,
            group=group,
            version=lib.version,
            purl=purl,
            description=lib.description,
            hashes=hashes,
            licenses=written,
            copyright="\n".join(c.text for c in lib.copyrights) or None,
            external_references=_external_refs(lib),
            properties=props,
            supplier=OrganizationalEntity(name=lib.supplier.name) if lib.supplier else None,
            authors=(
                [OrganizationalContact(name=originator.name)]
                if originator and person and modern
                else None
            ),
            manufacturer=(
                OrganizationalEntity(name=originator.name)
                if originator and not person and modern
                else None
            ),
            author=originator.name if originator and not modern else None,
            evidence=_evidence(lib, sha1, version) if version != "1.4" else None,
        )


def _match_types(lib: Library) -> list[str]:
    """How Mend matched the library: per project (getProjectInventory) and per location
    (getProductLibraryLocations)."""
    found = {o.match_type for o in lib.occurrences if o.match_type}
    found.update(loc.match_type for loc in lib.locations if loc.match_type)
    return sorted(found)


def _occurrence_context(loc: Location) -> str | None:
    """How Mend found the library at a location, in words (CycloneDX 1.6+
    ``additionalContext``): its match type and the dependency file, where Mend gives them."""
    parts = []
    if loc.match_type:
        parts.append(f"Mend match: {MATCH_WORDS.get(loc.match_type, loc.match_type)}")
    if loc.dependency_file:
        parts.append(f"dependency file: {loc.dependency_file}")
    return "; ".join(parts) or None


# Mend's match types in words; a file-name or source-file match carries no confidence Mend
# states, so it is an occurrence's context, never an identity method with a made-up figure
MATCH_WORDS = {
    "SHA1": "SHA-1 of the file",
    "FILENAME": "file name",
    "SOURCE_FILES": "source files",
}


def occurrence_facts(lib: Library, version: str) -> list[tuple[str, str, str | None]]:
    """(bom-ref, location, context) of each place Mend found the library, in a fixed order;
    each occurrence has its own bom-ref (``<component>:occurrence:NNNN``), which orders it
    (cyclonedx-python-lib orders occurrences by bom-ref first)."""
    modern = version not in ("1.4", "1.5")
    facts = sorted(
        {(loc.path, _occurrence_context(loc) if modern else None) for loc in lib.locations},
        key=lambda f: (f[0], f[1] or ""),
    )
    ref = node_ref(f"lib:{lib.key_uuid}")
    return [
        (f"{ref}:occurrence:{n:04d}", location, context)
        for n, (location, context) in enumerate(facts, start=1)
    ]


def _evidence(lib: Library, sha1: str | None, version: str) -> ComponentEvidence | None:
    """Evidence Mend states: a SHA-1 match identifies the very file (identity, confidence
    1); each location where Mend found it is an occurrence (1.5+), with how it was matched
    (1.6+)."""
    identity = None
    if sha1 is not None and "SHA1" in _match_types(lib):
        method = Method(
            technique=AnalysisTechnique.HASH_COMPARISON, confidence=Decimal(1), value=sha1
        )
        identity = [Identity(field=IdentityField.HASH, confidence=Decimal(1), methods=[method])]
    occurrences = [
        Occurrence(bom_ref=ref, location=location, additional_context=context)
        for ref, location, context in occurrence_facts(lib, version)
    ]
    if identity is None and not occurrences:
        return None
    return ComponentEvidence(identity=identity, occurrences=occurrences or None)


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


def _vectors(vector: str | None) -> tuple[str | None, str | None]:
    """(CVSS v3 or v4 vector, CVSS v2 vector), kept whole. Mend's scoreMetadataVector is the
    v3 vector ("CVSS:3.1/AV:N/…"); one with v2's "Au:" metric is a v2 vector."""
    if not vector:
        return None, None
    if vector.startswith("CVSS:2") or re.search(r"(^|/)Au:[NSM](/|$)", vector):
        return None, vector
    return vector, None


def _rating(
    source: VulnerabilitySource | None,
    score: float | None,
    severity: VulnerabilitySeverity | None,
    method: VulnerabilityScoreSource,
    vector: str | None,
) -> VulnerabilityRating:
    rating = VulnerabilityRating(
        source=source, score=_decimal(score), severity=severity, method=method
    )
    rating.vector = vector  # whole: the constructor would cut "CVSS:3.1/" off
    return rating


def _analysis(statement: VulnStatement) -> VulnerabilityAnalysis | None:
    """What people decided, in CycloneDX's impact analysis; the comment as the detail."""
    found = statement.analysis
    if found is None:
        return None
    return VulnerabilityAnalysis(
        state=ImpactAnalysisState(found.state),
        justification=ImpactAnalysisJustification(found.justification)
        if found.justification
        else None,
        responses=[ImpactAnalysisResponse(r) for r in found.responses],
        detail=statement.detail or None,
    )


def _vulnerability(statement: VulnStatement) -> Vulnerability:
    vuln = statement.vuln
    refs = [node_ref(n) for n in statement.nodes]
    source = None
    if vuln.id.startswith("CVE-"):
        source = VulnerabilitySource(
            name="NVD", url=_uri(f"https://nvd.nist.gov/vuln/detail/{vuln.id}")
        )
    elif vuln.url:
        source = VulnerabilitySource(name=vuln.source or "Mend", url=_uri(vuln.url))
    ratings = []
    v3_vector, v2_vector = _vectors(vuln.cvss3_vector)
    if vuln.cvss3_score is not None:
        method = VulnerabilityScoreSource.CVSS_V3
        if v3_vector and v3_vector.startswith("CVSS:3.1/"):
            method = VulnerabilityScoreSource.CVSS_V3_1
        elif v3_vector and v3_vector.startswith("CVSS:4"):
            method = VulnerabilityScoreSource.CVSS_V4
        ratings.append(
            _rating(source, vuln.cvss3_score, _severity(vuln.cvss3_score), method, v3_vector)
        )
    if vuln.score is None and v2_vector is not None:
        ratings.append(_rating(source, None, None, VulnerabilityScoreSource.CVSS_V2, v2_vector))
    if vuln.score is not None and (
        v2_vector is not None or vuln.cvss3_score is None or vuln.score != vuln.cvss3_score
    ):
        # Mend's legacy "score" is a CVSS v2 base score only when it is one: a v2 vector says
        # so, or a value that differs from the v3 score. One that merely repeats the v3 score
        # is not rated twice.
        sev = (vuln.severity or "").lower()
        ratings.append(
            _rating(
                source,
                vuln.score,
                VulnerabilitySeverity(sev) if sev in ("low", "medium", "high") else None,
                VulnerabilityScoreSource.CVSS_V2,
                v2_vector,
            )
        )
    props = []
    if vuln.cvss3_severity:
        props.append(Property(name="mend:cvss3Severity", value=vuln.cvss3_severity))
    return Vulnerability(
        bom_ref=statement.ref,
        analysis=_analysis(statement),
        id=vuln.id,
        source=source,
        ratings=ratings,
        description=vuln.description,
        recommendation=vuln.fix_resolution,
        published=published_date(vuln.published),
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


def _reachable(name: str | None, contact: str | None) -> OrganizationalEntity | None:
    """The configured supplier, with its e-mail (a contact) or web address (a url)."""
    if not name:
        return None
    email = contact if contact and "@" in contact else None
    url = contact if contact and not email else None
    return OrganizationalEntity(
        name=name,
        urls=[XsUri(url)] if url else None,
        contacts=[OrganizationalContact(email=email)] if email else None,
    )


def build_bom(plan: DocumentPlan, version: str = "1.6") -> Bom:
    meta = plan.meta
    root_props = [Property(name="mend:scope", value=plan.root_kind), *_own_file(meta, meta.name)]
    root = Component(
        type=ComponentType.APPLICATION,
        bom_ref=node_ref(ROOT),
        name=meta.name,
        version=meta.version,
        **_own_ids(meta, meta.name),
        supplier=OrganizationalEntity(name=meta.supplier) if meta.supplier else None,
        manufacturer=_reachable(meta.supplier, meta.supplier_contact),
        licenses=_own_license_entries(meta.license, version) if meta.license else None,
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
        # the organization that made the SBOM, with its contact when configured
        supplier=_reachable(meta.supplier, meta.supplier_contact),
        manufacturer=_reachable(meta.supplier, meta.supplier_contact),
        # the generation context (CISA 2025): Mend's data comes from its analysis of the
        # organization's builds (1.5 and later; 1.4 has no lifecycles)
        lifecycles=[PredefinedLifecycle(LifecyclePhase.BUILD)],
    )
    bom = Bom(metadata=metadata)
    _index_dependencies(bom)
    own = OrganizationalEntity(name=meta.supplier) if meta.supplier else None
    # who made the release's own software: the configured supplier, with its contact
    # (CycloneDX 1.6's manufacturer; BSI TR-03183-2's creator of a component)
    maker = _reachable(meta.supplier, meta.supplier_contact)
    for product in plan.products:
        bom.components.add(
            Component(
                type=ComponentType.APPLICATION,
                bom_ref=node_ref(f"product:{product.token}"),
                name=product.name,
                # the release's (its products and projects ship in it), or its own
                version=meta.version_of(product.name),
                **_own_ids(meta, product.name),
                supplier=own,
                manufacturer=maker,
                # the release's license and copyright, as on the root (and in SPDX)
                licenses=_own_license_entries(meta.license, version) if meta.license else None,
                copyright=meta.copyright,
                properties=[
                    Property(name="mend:kind", value="product"),
                    *_own_file(meta, product.name),
                ],
            )
        )
    for project in plan.projects:
        props = [Property(name="mend:kind", value="project"), *_own_file(meta, project.name)]
        if project.product_name:
            props.append(Property(name="mend:product", value=project.product_name))
        bom.components.add(
            Component(
                type=ComponentType.APPLICATION,
                bom_ref=node_ref(f"project:{project.token}"),
                name=project.name,
                version=meta.version_of(project.name),
                **_own_ids(meta, project.name),
                supplier=own,
                manufacturer=maker,
                # the release's license and copyright, as on the root (and in SPDX)
                licenses=_own_license_entries(meta.license, version) if meta.license else None,
                copyright=meta.copyright,
                properties=props,
            )
        )
    for lib in plan.libraries:
        bom.components.add(library_component(lib, version))
    for node in sorted(plan.edges, key=node_ref):
        children = [Dependency(ref=BomRef(value=node_ref(c))) for c in plan.edges[node]]
        bom.dependencies.add(Dependency(ref=BomRef(value=node_ref(node)), dependencies=children))
    for statement in vulnerability_statements(plan):
        bom.vulnerabilities.add(_vulnerability(statement))
    bom.serial_number = PROVISIONAL_UUID  # replaced by a hash of the serialized content
    return bom


PROVISIONAL_UUID = uuid.UUID(int=0)


def _own_ids(meta: DocumentMeta, name: str) -> dict[str, Any]:
    """The configured Package URL and CPE of the release's own software ([identifiers]):
    a component has one of each, the first given; and the SHA-512 of its file ([files])."""
    purls, cpes = meta.purls_of(name), meta.cpes_of(name)
    file = meta.files.get(name)
    return {
        "purl": CanonicalPurl(purls[0]) if purls else None,
        "cpe": cpes[0] if cpes else None,
        "hashes": [HashType(alg=HashAlgorithm.SHA_512, content=file.sha512)]
        if file and file.sha512
        else None,
        "external_references": [
            ExternalReference(type=ExternalReferenceType.DISTRIBUTION, url=uri)
            for uri in [_uri(file.url if file else None)]
            if uri is not None
        ]
        or None,
    }


def _own_file(meta: DocumentMeta, name: str) -> list[Property]:
    """The file the release's own software ships as ([files]), in BSI TR-03183-2's terms."""
    return [Property(name=n, value=v) for n, v in own_file_properties(meta, name)]


def own_file_properties(meta: DocumentMeta, name: str) -> list[tuple[str, str]]:
    """BSI TR-03183-2's CycloneDX properties of a configured file ([files]): its name, and
    whether it is executable, an archive, structured, where the configuration says."""
    file = meta.files.get(name)
    if file is None:
        return []
    out = [("bsi:component:filename", file.name)]
    for prop, said, yes, no in (
        ("executable", file.executable, "executable", "non-executable"),
        ("archive", file.archive, "archive", "no archive"),
        ("structured", file.structured, "structured", "unstructured"),
    ):
        if said is not None:
            out.append((f"bsi:component:{prop}", yes if said else no))
    return out


def _with_serial(text: str) -> str:
    """Set the serial number to a UUID derived from everything else in the document, so
    that equal documents share a serial number and different ones never do."""
    return _serialized(text.encode("utf-8")).decode("utf-8")


def _serialized(data: bytes) -> bytes:
    """_with_serial on the encoded document (one copy fewer of a large one)."""
    serial = uuid.uuid5(NAMESPACE, hashlib.sha256(data).hexdigest())
    return data.replace(str(PROVISIONAL_UUID).encode(), str(serial).encode(), 1)


class CycloneDx(Emitter):
    """One CycloneDX document, in one version and one format (json or xml)."""

    def __init__(
        self,
        fmt: str = "json",
        version: str = "1.6",
        *,
        exclude_in_house: bool = False,
        fast: bool = True,
    ) -> None:
        if fmt not in ("json", "xml"):
            raise ValueError(f"CycloneDX format {fmt!r}: json or xml")
        if version not in VERSIONS:
            raise ValueError(f"CycloneDX version {version!r}: one of {', '.join(VERSIONS)}")
        self.fmt, self.version, self.exclude_in_house = fmt, version, exclude_in_house
        self.name = f"cyclonedx-{fmt}"
        self.fast = fast

    def library_text(self, plan: DocumentPlan) -> str:
        """The document through cyclonedx-python-lib (XML always; JSON as the reference the
        fast path is tested against), before its serial number is set."""
        bom = build_bom(plan, self.version)
        schema = VERSIONS[self.version]
        output_format = OutputFormat.JSON if self.fmt == "json" else OutputFormat.XML
        outputter = make_outputter(bom, output_format, schema)
        try:
            text = outputter.output_as_string(indent=2)
        except Exception as exc:  # the serializer's own checks (e.g. XML it cannot parse)
            raise ValidationFailedError(
                f"{plan.meta.file_stem}.cdx.{self.fmt} (CycloneDX {self.version} "
                f"{self.fmt.upper()}) could not be serialized, nothing was written: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        # cyclonedx-python-lib has no compositions: added where the schema puts them
        from sbomgen.emit.cyclonedx_fast import composition_objects

        compositions = composition_objects(plan)
        if self.fmt == "json":
            data = json.loads(text)
            ordered = {}
            for key, value in data.items():
                ordered[key] = value
                if key == "components":
                    ordered["compositions"] = compositions
            if "compositions" not in ordered:
                ordered = {"compositions": compositions, **ordered}
            return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"
        from sbomgen.emit.cyclonedx_fast_xml import _Out, compositions_xml

        out = _Out()
        compositions_xml(out, compositions)
        block = "".join(line + "\n" for line in out.lines)
        text = text if text.endswith("\n") else text + "\n"
        at = text.find("  <vulnerabilities>")
        at = at if at >= 0 else text.rfind("</bom>")
        return text[:at] + block + text[at:]

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        plan = plan_document(inventory, meta, exclude_in_house=self.exclude_in_house)
        name = f"{meta.file_stem}.cdx.{self.fmt}"
        if self.fast:
            # the same bytes as the library path (tests/emit/test_cyclonedx_fast.py), 10x
            # faster; the references the library's serializer checks are checked here
            from sbomgen.emit import cyclonedx_fast

            pieces, errors = cyclonedx_fast.render(plan, self.version, self.fmt)
            data = cyclonedx_fast.with_serial(pieces)
            if self.fmt == "xml":
                from sbomgen.emit.validate import cyclonedx_xml_streamed

                errors += [str(p) for p in cyclonedx_xml_streamed(data, self.version)]
        else:
            text = _with_serial(self.library_text(plan))
            errors = validate_cyclonedx(text, self.fmt, self.version)
            data = text.encode("utf-8")
        if errors:
            shown = "; ".join(errors[:5]) + (
                f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
            )
            raise ValidationFailedError(
                f"{name} (CycloneDX {self.version} {self.fmt.upper()}) failed validation, nothing was written: {shown}"
            )
        return {name: data}


def emitters(formats: Iterable[str], version: str, exclude_in_house: bool) -> list[CycloneDx]:
    return [CycloneDx(f, version, exclude_in_house=exclude_in_house) for f in formats]


# The first emitter's name, kept for callers of the earlier API.
def CycloneDxJson() -> CycloneDx:
    return CycloneDx("json", "1.6")
