"""CycloneDX output through cyclonedx-python-lib, validated before it is returned."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable

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
from cyclonedx.model.license import LicenseExpression
from cyclonedx.model.tool import ToolRepository
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packageurl import PackageURL

from sbomgen import __version__
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.enrich.graph import DependencyGraph
from sbomgen.errors import ValidationFailedError
from sbomgen.model import NOASSERTION, Inventory, KeyUuid, Library, ProjectToken

NAMESPACE = uuid.UUID("6f1c3e1e-4a8e-5b7e-9d1f-5bb0f6e0c0de")


def library_ref(key: KeyUuid) -> str:
    return f"mend-lib:{key}"


def project_ref(token: ProjectToken) -> str:
    # Project tokens are identifiers we keep out of documents: hash them.
    return "mend-project:" + hashlib.sha256(token.encode()).hexdigest()[:16]


def _uri(value: str | None) -> XsUri | None:
    if not value:
        return None
    try:
        return XsUri(value.strip())
    except Exception:
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


def _licenses(lib: Library) -> list[LicenseExpression]:
    if lib.license is None or lib.license.declared == NOASSERTION:
        return []
    return [LicenseExpression(value=lib.license.declared)]


def library_component(lib: Library) -> Component:
    purl = PackageURL.from_string(lib.purl) if lib.purl else None
    group, name = _names(lib, purl)
    props = [Property(name="mend:keyUuid", value=lib.key_uuid)]
    if lib.type:
        props.append(Property(name="mend:type", value=lib.type))
    if lib.language_type:
        props.append(Property(name="mend:languageType", value=lib.language_type))
    if lib.in_house:
        props.append(Property(name="mend:inHouse", value="true"))
    props.append(
        Property(name="mend:directDependency", value="true" if lib.direct_anywhere else "false")
    )
    hashes = (
        [HashType(alg=HashAlgorithm.SHA_1, content=lib.sha1.lower())]
        if lib.sha1 and len(lib.sha1) == 40
        else []
    )
    return Component(
        type=ComponentType.LIBRARY,
        bom_ref=library_ref(lib.key_uuid),
        name=name,
        group=group,
        version=lib.version,
        purl=purl,
        description=lib.description,
        hashes=hashes,
        licenses=_licenses(lib),
        copyright="\n".join(c.text for c in lib.copyrights) or None,
        external_references=_external_refs(lib),
        properties=props,
    )


def _sorted_keys(keys: Iterable[KeyUuid]) -> list[KeyUuid]:
    return sorted(set(keys))


def build_bom(inventory: Inventory, meta: DocumentMeta) -> Bom:
    root = Component(
        type=ComponentType.APPLICATION,
        bom_ref="root",
        name=meta.name,
        version=meta.version,
    )
    authors = [OrganizationalContact(name=a) for a in meta.authors]
    metadata = BomMetaData(
        tools=ToolRepository(
            components=[
                Component(type=ComponentType.APPLICATION, name="sbomgen", version=__version__)
            ]
        ),
        component=root,
        timestamp=meta.timestamp,
        authors=authors or None,
        supplier=OrganizationalEntity(name=meta.supplier) if meta.supplier else None,
    )
    bom = Bom(metadata=metadata)
    libs = {k: library_component(inventory.libraries[k]) for k in _sorted_keys(inventory.libraries)}
    projects = sorted(
        inventory.projects.values(), key=lambda p: (p.product_name or "", p.name, p.token)
    )
    project_components = {}
    for proj in projects:
        project_components[proj.token] = Component(
            type=ComponentType.APPLICATION,
            bom_ref=project_ref(proj.token),
            name=proj.name,
            properties=[Property(name="mend:product", value=proj.product_name)]
            if proj.product_name
            else None,
        )
    for comp in project_components.values():
        bom.components.add(comp)
    for comp in libs.values():
        bom.components.add(comp)

    graph = DependencyGraph.from_inventory(inventory)

    def ref_of(node: str) -> str:
        kind, _, ident = node.partition(":")
        return (
            project_ref(ProjectToken(ident)) if kind == "project" else library_ref(KeyUuid(ident))
        )

    children: dict[str, set[str]] = {"root": {ref_of(r) for r in graph.roots}}
    for node, kids in graph.edges.items():
        children[ref_of(node)] = {ref_of(k) for k in kids}
    for ref in sorted(children):
        bom.dependencies.add(
            Dependency(
                ref=BomRef(value=ref),
                dependencies=[Dependency(ref=BomRef(value=c)) for c in sorted(children[ref])],
            )
        )
    bom.serial_number = _serial(inventory, meta, bom)
    return bom


def _serial(inventory: Inventory, meta: DocumentMeta, bom: Bom) -> uuid.UUID:
    """A serial number derived from the content: the same input gives the same BOM."""
    digest = hashlib.sha256()
    digest.update(meta.name.encode())
    digest.update(str(meta.version).encode())
    digest.update(meta.timestamp.isoformat().encode())
    for key in _sorted_keys(inventory.libraries):
        digest.update(key.encode())
    return uuid.uuid5(NAMESPACE, digest.hexdigest())


class CycloneDxJson(Emitter):
    name = "cyclonedx-json"

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        bom = build_bom(inventory, meta)
        text = JsonV1Dot6(bom).output_as_string(indent=2)
        # Canonical key order, so that equal input gives equal bytes.
        text = json.dumps(json.loads(text), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
        error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
        if error is not None:
            raise ValidationFailedError(
                f"the CycloneDX 1.6 JSON document for {meta.name} is invalid: {error}; nothing was written"
            )
        return {f"{meta.file_stem}.cdx.json": text.encode("utf-8")}
