"""Conformance profiles: what a buyer's checker asks of an SBOM, and what a document has.

``ntia``, ``fsct3`` and ``bsi`` on SPDX are judged by ntia-conformance-checker (used as a
library: its own verdict, element by element). CycloneDX documents, which that checker
does not read, and the ``cisa-2025`` and ``telco`` profiles are judged by the rules below,
each citing the text it comes from:

- BSI TR-03183-2 2.0 (2024), section 5.2 (on CycloneDX): the SBOM's creator with an e-mail
  or URL, timestamp and URI; each component's creator with an e-mail or URL, name,
  version, file name, distribution licence, SHA-512, and executable, archive and
  structured properties (BSI's ``bsi:component:*`` CycloneDX properties); dependencies
  and their completeness.

- NTIA, *The Minimum Elements For a Software Bill of Materials* (2021), "Data Fields":
  supplier name, component name, version, other unique identifiers, dependency
  relationship, author of SBOM data, timestamp.
- CISA, *2025 Minimum Elements for a Software Bill of Materials* (public comment draft,
  August 2025), section 3: SBOM author, software producer, component name, component
  version, software identifiers, component hash, license, dependency relationship, tool
  name, timestamp, generation context.
- OpenChain Telco SBOM Guide, version 1.1 (2025), section 3: SPDX 2.3; a creator that is an
  ``Organization:`` and one that is a ``Tool:``; a CreatorComment; for every package its
  supplier, version, download location, a checksum, a concluded and a declared license,
  its copyright text and a purl.

Each missing element names the components concerned and, for a document sbomgen wrote,
who could fill it: ``producer`` (the release's own facts: ``--version``, ``--supplier`` …)
or ``source`` (data Mend does not have: suppliers of third-party libraries, hashes, …).
For other documents the cause is ``unknown``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sbomgen.errors import InputDataError

PROFILES = ("ntia", "cisa-2025", "fsct3", "bsi", "telco")
_CHECKER_NAMES = {"ntia": "ntia", "fsct3": "fsct3-min", "bsi": "bsi"}
NOASSERTION = ("NOASSERTION", "NONE", "")

NTIA_TEXT = "NTIA Minimum Elements (2021), Data Fields"
CISA_TEXT = "CISA 2025 Minimum Elements (draft, Aug. 2025), section 3"
TELCO_TEXT = "OpenChain Telco SBOM Guide 1.1, section 3"


@dataclass(frozen=True)
class Requirement:
    element: str
    met: bool
    missing: tuple[str, ...] = ()  # the components concerned (names)
    cause: str = ""  # producer | source | unknown, when not met
    reference: str = ""
    required: bool = True  # False: what the profile recommends (the verdict ignores it)

    def to_json(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "met": self.met,
            "missing": list(self.missing),
            "cause": self.cause or None,
            "reference": self.reference,
            "required": self.required,
        }


@dataclass(frozen=True)
class ProfileResult:
    profile: str
    checker: str
    requirements: tuple[Requirement, ...]

    @property
    def passed(self) -> bool:
        return all(r.met or not r.required for r in self.requirements)

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "passed": self.passed,
            "checker": self.checker,
            "requirements": [r.to_json() for r in self.requirements],
        }


@dataclass
class Component:
    name: str
    own: bool = False  # the organization's own software (root, products, projects, in-house)
    version: str | None = None
    supplier: str | None = None
    producer: str | None = None  # originator / authors / manufacturer
    identifiers: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()  # algorithms
    license_concluded: str | None = None
    license_declared: str | None = None
    copyright: str | None = None
    download: str | None = None
    # BSI TR-03183-2 on CycloneDX: the creator reachable (an e-mail or URL), and the
    # bsi:component:* properties given (filename, executable, archive, structured)
    creator_reachable: bool = False
    bsi: frozenset[str] = frozenset()


@dataclass
class Facts:
    """What a checker needs of one document, read the same way from SPDX and CycloneDX."""

    standard: str
    version: str
    by_sbomgen: bool = False
    authors: tuple[str, ...] = ()
    creators: tuple[str, ...] = ()  # SPDX "Organization: …", "Tool: …", "Person: …"
    tools: tuple[str, ...] = ()
    timestamp: str | None = None
    generation_context: str | None = None  # CycloneDX lifecycles / SPDX creator comment
    dependencies: bool = False
    completeness: bool = False  # CycloneDX compositions state how complete dependencies are
    uri: bool = False  # the SBOM's own URI (CycloneDX serialNumber)
    creator_reachable: bool = False  # the SBOM's creator has an e-mail or URL
    components: list[Component] = field(default_factory=list)


def _known(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return None if text.upper() in NOASSERTION else text


# --- reading ---------------------------------------------------------------------------


def read_facts(path: Path, data: bytes) -> Facts:
    head = data.lstrip()[:1]
    if head == b"{":
        try:
            doc = json.loads(data)
        except ValueError as exc:
            raise InputDataError(f"{path}: not valid JSON: {exc}") from None
        if isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX":
            return _cyclonedx(doc)
        if isinstance(doc, dict) and "@context" in doc:
            return _spdx3(doc)
    return _spdx2(path)


def _cyclonedx(doc: dict[str, Any]) -> Facts:
    meta = doc.get("metadata") or {}
    tools = meta.get("tools") or {}
    tool_list = tools.get("components", []) if isinstance(tools, dict) else tools
    tool_names = tuple(str(t.get("name", "")) for t in tool_list if isinstance(t, dict))
    lifecycles = meta.get("lifecycles") or []
    facts = Facts(
        standard="CycloneDX",
        version=str(doc.get("specVersion", "?")),
        by_sbomgen="sbomgen" in tool_names,
        authors=tuple(
            str(a.get("name") or a.get("email") or "") for a in meta.get("authors", []) or []
        ),
        tools=tool_names,
        timestamp=meta.get("timestamp"),
        generation_context=", ".join(
            str(x.get("phase") or x.get("name") or "") for x in lifecycles if isinstance(x, dict)
        )
        or None,
        dependencies=bool(doc.get("dependencies")),
        completeness=bool(doc.get("compositions")),
        uri=str(doc.get("serialNumber") or "").startswith("urn:uuid:"),
    )

    def party(entity: Any) -> str | None:
        return _known(entity.get("name")) if isinstance(entity, dict) else None

    def reachable(entity: Any) -> bool:
        """An organization with a web address or a contact's e-mail (BSI TR-03183-2)."""
        if not isinstance(entity, dict):
            return False
        urls = entity.get("url") or []
        contacts = entity.get("contact") or []
        return any(str(u).startswith(("http://", "https://")) for u in urls) or any(
            "@" in str(c.get("email") or "") for c in contacts if isinstance(c, dict)
        )

    facts.creator_reachable = reachable(meta.get("manufacturer")) or any(
        "@" in str(a.get("email") or "") for a in meta.get("authors", []) or []
    )

    def component(c: dict[str, Any], own: bool) -> Component:
        licenses = c.get("licenses") or []
        names = [
            (e.get("license") or {}).get("id") or (e.get("license") or {}).get("name")
            if "license" in e
            else e.get("expression")
            for e in licenses
            if isinstance(e, dict)
        ]
        acknowledged = {
            e.get("acknowledgement") or (e.get("license") or {}).get("acknowledgement")
            for e in licenses
            if isinstance(e, dict)
        }
        license_text = " AND ".join(str(n) for n in names if n) or None
        authors = c.get("authors") or []
        props = {
            str(x.get("name")): str(x.get("value") or "")
            for x in c.get("properties") or []
            if isinstance(x, dict)
        }
        hashes = [h for h in c.get("hashes", []) or [] if isinstance(h, dict)]
        for ref in c.get("externalReferences") or []:
            if isinstance(ref, dict) and ref.get("type") == "distribution":
                hashes += [h for h in ref.get("hashes") or [] if isinstance(h, dict)]
        return Component(
            name=str(c.get("name", "?")),
            own=own,
            version=_known(c.get("version")),
            supplier=party(c.get("supplier")),
            producer=party(c.get("manufacturer"))
            or (party(authors[0]) if authors else None)
            or _known(c.get("author")),
            identifiers=tuple(x for x in (c.get("purl"), c.get("cpe")) if x),
            hashes=tuple(str(h.get("alg")) for h in hashes),
            license_concluded=license_text if "concluded" in acknowledged else None,
            license_declared=license_text if acknowledged - {"concluded"} else None,
            copyright=_known(c.get("copyright")),
            download=next(
                (
                    str(r.get("url"))
                    for r in c.get("externalReferences") or []
                    if isinstance(r, dict) and r.get("type") == "distribution"
                ),
                None,
            ),
            creator_reachable=reachable(c.get("manufacturer")),
            bsi=frozenset(
                k.removeprefix("bsi:component:")
                for k, v in props.items()
                if k.startswith("bsi:component:") and v.strip()
            ),
        )

    root = meta.get("component")
    if isinstance(root, dict):
        facts.components.append(component(root, True))
    for c in doc.get("components", []) or []:
        if isinstance(c, dict):
            in_house = {"name": "mend:inHouse", "value": "true"} in (c.get("properties") or [])
            facts.components.append(component(c, c.get("type") == "application" or in_house))
    return facts


def _own(comment: str) -> bool:
    """The organization's own software, as sbomgen's SPDX documents say: "Mend product",
    "Mend project …", "The … this document describes (Mend)", "In-house library (Mend)"."""
    return comment.startswith(("Mend product", "Mend project", "In-house library")) or (
        "this document describes" in comment
    )


def _spdx3(doc: dict[str, Any]) -> Facts:
    """An SPDX 3 JSON-LD document (compact form, as spdx-python-model writes it) read for
    the same facts as SPDX 2: who created it and with what, when, the SBOM type, and per
    package its version, supplier, originator, identifiers, hashes (its own or its
    distribution artifacts'), concluded and declared licenses and copyright."""
    graph = [e for e in doc.get("@graph", []) if isinstance(e, dict)]
    by_id = {str(e.get("spdxId") or e.get("@id")): e for e in graph}

    def named(ref: Any) -> str | None:
        element = by_id.get(str(ref)) if ref is not None else None
        return _known(element.get("name")) if element else None

    creation = next((e for e in graph if e.get("type") == "CreationInfo"), {})
    tools = tuple(n for n in (named(t) for t in creation.get("createdUsing") or []) if n)
    tools = tools or tuple(str(e.get("name", "")) for e in graph if e.get("type") == "Tool")
    creators: list[str] = [f"Tool: {t}" for t in tools]
    authors: list[str] = []
    for ref in creation.get("createdBy") or []:
        agent = by_id.get(str(ref)) or {}
        name = _known(agent.get("name"))
        kind = {"Organization": "Organization", "Person": "Person"}.get(str(agent.get("type")))
        if name and kind:
            creators.append(f"{kind}: {name}")
            authors.append(name)
    sbom = next((e for e in graph if e.get("type") == "software_Sbom"), {})
    sbom_types = [str(t) for t in sbom.get("software_sbomType") or []]
    relationships: dict[tuple[str, str], list[str]] = {}
    for e in graph:
        if e.get("type") == "Relationship":
            key = (str(e.get("from")), str(e.get("relationshipType")))
            relationships.setdefault(key, []).extend(str(t) for t in e.get("to") or [])
    facts = Facts(
        standard="SPDX",
        version="3",
        by_sbomgen=any(t.startswith("sbomgen") for t in tools),
        authors=tuple(authors),
        creators=tuple(creators),
        tools=tools,
        timestamp=creation.get("created"),
        generation_context=", ".join(sbom_types) or _known(creation.get("comment")),
        dependencies=any(kind == "dependsOn" for _, kind in relationships),
    )

    def expression(package: str, kind: str) -> str | None:
        for ref in relationships.get((package, kind), []):
            found = by_id.get(ref) or {}
            text = _known(found.get("simplelicensing_licenseExpression"))
            if text:
                return text
        return None  # none, or SPDX 3's NoAssertionLicense individual

    def algorithms(element: dict[str, Any]) -> list[str]:
        return [
            str(h.get("algorithm"))
            for h in element.get("verifiedUsing") or []
            if isinstance(h, dict) and h.get("algorithm")
        ]

    for e in graph:
        if e.get("type") != "software_Package":
            continue
        ident = str(e.get("spdxId"))
        hashes = algorithms(e)
        for ref in relationships.get((ident, "hasDistributionArtifact"), []):
            hashes += algorithms(by_id.get(ref) or {})
        identifiers = [
            str(x.get("identifier"))
            for x in e.get("externalIdentifier") or []
            if isinstance(x, dict) and x.get("identifier")
        ]
        if e.get("software_packageUrl"):
            identifiers.append(str(e["software_packageUrl"]))
        originators = [n for n in (named(r) for r in e.get("originatedBy") or []) if n]
        facts.components.append(
            Component(
                name=str(e.get("name", "?")),
                own=_own(str(e.get("comment") or "")),
                version=_known(e.get("software_packageVersion")),
                supplier=named(e.get("suppliedBy")),
                producer=originators[0] if originators else None,
                identifiers=tuple(dict.fromkeys(identifiers)),
                hashes=tuple(dict.fromkeys(hashes)),
                license_concluded=expression(ident, "hasConcludedLicense"),
                license_declared=expression(ident, "hasDeclaredLicense"),
                copyright=_known(e.get("software_copyrightText")),
                download=_known(e.get("software_downloadLocation")),
            )
        )
    return facts


def _spdx2(path: Path) -> Facts:
    from spdx_tools.spdx.model import ExternalPackageRefCategory
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.parse_anything import parse_file

    try:
        document = parse_file(str(path))
    except SPDXParsingError as exc:
        raise InputDataError(
            f"{path}: not an SPDX 2 document: {'; '.join(exc.get_messages()[:3])}"  # type: ignore[no-untyped-call]
        ) from None
    except Exception as exc:
        raise InputDataError(f"{path}: cannot be read as SBOM: {type(exc).__name__}") from None
    info = document.creation_info
    creators = tuple(f"{c.actor_type.name.title()}: {c.name}" for c in info.creators)
    facts = Facts(
        standard="SPDX",
        version=info.spdx_version.removeprefix("SPDX-"),
        by_sbomgen=any(c.startswith("Tool: sbomgen") for c in creators),
        authors=tuple(c for c in creators if not c.startswith("Tool:")),
        creators=creators,
        tools=tuple(c.removeprefix("Tool: ") for c in creators if c.startswith("Tool:")),
        timestamp=info.created.isoformat() if info.created else None,
        generation_context=info.creator_comment,
        dependencies=any(
            r.relationship_type.name in ("DESCRIBES", "DEPENDS_ON", "DEPENDENCY_OF", "CONTAINS")
            for r in document.relationships
        ),
    )
    for p in document.packages:
        own = _own(p.comment or "")
        facts.components.append(
            Component(
                name=p.name,
                own=own,
                version=_known(p.version),
                supplier=_known(getattr(p.supplier, "name", p.supplier)),
                producer=_known(getattr(p.originator, "name", p.originator)),
                identifiers=tuple(
                    r.locator
                    for r in p.external_references
                    if r.category
                    in (
                        ExternalPackageRefCategory.PACKAGE_MANAGER,
                        ExternalPackageRefCategory.SECURITY,
                    )
                ),
                hashes=tuple(c.algorithm.name for c in p.checksums),
                license_concluded=_known(p.license_concluded),
                license_declared=_known(p.license_declared),
                copyright=_known(p.copyright_text),
                download=_known(p.download_location),
            )
        )
    return facts


# --- judging ---------------------------------------------------------------------------


def _cause(facts: Facts, own: bool | None) -> str:
    """Who could have filled a missing element: for sbomgen's documents, the release's
    own components and the document's metadata are the producer's to fill; what is
    missing on a library is data Mend does not have."""
    if not facts.by_sbomgen:
        return "unknown"
    return "producer" if own is None or own else "source"


def _split(
    facts: Facts, element: str, lacking: Iterable[tuple[str, bool]], reference: str
) -> list[Requirement]:
    """One requirement, or one per cause when some of the components lacking it are the
    producer's to fill and others lack it at the source."""
    by_cause: dict[str, set[str]] = {}
    for name, own in lacking:
        by_cause.setdefault(_cause(facts, own), set()).add(name)
    if not by_cause:
        return [Requirement(element, True, reference=reference)]
    return [
        Requirement(element, False, tuple(sorted(names)), cause, reference)
        for cause, names in sorted(by_cause.items())
    ]


def _per_component(
    facts: Facts, element: str, has: Callable[[Component], Any], reference: str
) -> list[Requirement]:
    return _split(
        facts, element, ((c.name, c.own) for c in facts.components if not has(c)), reference
    )


def _document(facts: Facts, element: str, ok: bool, reference: str) -> list[Requirement]:
    return [Requirement(element, ok, (), "" if ok else _cause(facts, None), reference)]


def _flat(groups: Iterable[list[Requirement]]) -> list[Requirement]:
    return [r for group in groups for r in group]


def _ntia_rules(facts: Facts) -> list[Requirement]:
    r = NTIA_TEXT
    return _flat(
        [
            _per_component(facts, "Supplier Name", lambda c: c.supplier, r),
            _per_component(facts, "Component Name", lambda c: c.name, r),
            _per_component(facts, "Version of the Component", lambda c: c.version, r),
            _per_component(facts, "Other Unique Identifiers", lambda c: c.identifiers, r),
            _document(facts, "Dependency Relationship", facts.dependencies, r),
            _document(facts, "Author of SBOM Data", bool(facts.authors), r),
            _document(facts, "Timestamp", bool(facts.timestamp), r),
        ]
    )


BSI_TEXT = (
    "BSI TR-03183-2 2.0 (2024), section 5.2, with its CycloneDX property taxonomy (bsi:component:*)"
)


def _bsi_cyclonedx_rules(facts: Facts) -> list[Requirement]:
    """BSI TR-03183-2's required data fields (section 5.2.1 for the SBOM, 5.2.2 for each
    component) as CycloneDX 1.6 carries them: the creator's e-mail or URL (``manufacturer``),
    the file name and the executable, archive and structured properties (``bsi:component:*``
    properties), the SHA-512 of the deployable file (``hashes``, or the ``distribution``
    reference's), the distribution licence (``acknowledgement: concluded``), and the
    dependencies with their completeness (``compositions``). Other unique identifiers are
    recommended where they exist (section 5.3)."""
    r = BSI_TEXT
    return _flat(
        [
            _document(facts, "CycloneDX 1.6 or later", _at_least(facts.version, 1, 6), r),
            _document(facts, "Creator of the SBOM (e-mail or URL)", facts.creator_reachable, r),
            _document(facts, "Timestamp", bool(facts.timestamp), r),
            _document(facts, "SBOM-URI (serialNumber)", facts.uri, r),
            _per_component(
                facts, "Component creator (e-mail or URL)", lambda c: c.creator_reachable, r
            ),
            _per_component(facts, "Component name", lambda c: c.name, r),
            _per_component(facts, "Component version", lambda c: c.version, r),
            _per_component(facts, "Filename of the component", lambda c: "filename" in c.bsi, r),
            _document(facts, "Dependencies", facts.dependencies, r),
            _document(facts, "Completeness of the dependencies", facts.completeness, r),
            _per_component(facts, "Distribution licences", lambda c: c.license_concluded, r),
            _per_component(
                facts,
                "Hash value of the deployable component (SHA-512)",
                lambda c: "SHA-512" in c.hashes,
                r,
            ),
            _per_component(facts, "Executable property", lambda c: "executable" in c.bsi, r),
            _per_component(facts, "Archive property", lambda c: "archive" in c.bsi, r),
            _per_component(facts, "Structured property", lambda c: "structured" in c.bsi, r),
            [
                replace(x, required=False)
                for x in _per_component(
                    facts, "Other unique identifiers", lambda c: c.identifiers, r
                )
            ],
        ]
    )


def _at_least(version: str, major: int, minor: int) -> bool:
    try:
        got = tuple(int(x) for x in version.split(".")[:2])
    except ValueError:
        return False
    return got >= (major, minor)


def _cisa_rules(facts: Facts) -> list[Requirement]:
    r = CISA_TEXT
    return _flat(
        [
            _document(facts, "SBOM Author", bool(facts.authors), r),
            _per_component(facts, "Software Producer", lambda c: c.producer or c.supplier, r),
            _per_component(facts, "Component Name", lambda c: c.name, r),
            _per_component(facts, "Component Version", lambda c: c.version, r),
            _per_component(facts, "Software Identifiers", lambda c: c.identifiers, r),
            _per_component(facts, "Component Hash", lambda c: c.hashes, r),
            _per_component(
                facts, "License", lambda c: c.license_declared or c.license_concluded, r
            ),
            _document(facts, "Dependency Relationship", facts.dependencies, r),
            _document(facts, "Tool Name", bool(facts.tools), r),
            _document(facts, "Timestamp", bool(facts.timestamp), r),
            _document(facts, "Generation Context", bool(facts.generation_context), r),
        ]
    )


def _telco_rules(facts: Facts) -> list[Requirement]:
    r = TELCO_TEXT
    return _flat(
        [
            _document(facts, "SPDX 2.3", facts.standard == "SPDX" and facts.version == "2.3", r),
            _document(
                facts,
                "Creator: Organization",
                any(c.startswith("Organization:") for c in facts.creators),
                r,
            ),
            _document(
                facts, "Creator: Tool", any(c.startswith("Tool:") for c in facts.creators), r
            ),
            _document(facts, "CreatorComment", bool(facts.generation_context), r),
            _per_component(facts, "PackageSupplier", lambda c: c.supplier, r),
            _per_component(facts, "PackageVersion", lambda c: c.version, r),
            _per_component(facts, "PackageDownloadLocation", lambda c: c.download, r),
            _per_component(facts, "PackageChecksum", lambda c: c.hashes, r),
            _per_component(facts, "PackageLicenseConcluded", lambda c: c.license_concluded, r),
            _per_component(facts, "PackageLicenseDeclared", lambda c: c.license_declared, r),
            _per_component(facts, "PackageCopyrightText", lambda c: c.copyright, r),
            _per_component(
                facts,
                "ExternalRef purl",
                lambda c: any(i.startswith("pkg:") for i in c.identifiers),
                r,
            ),
        ]
    )


_CHECKER_ELEMENTS = {
    "specVersionProvided": "SBOM specification version",
    "authorNameProvided": "Author of SBOM Data",
    "timestampProvided": "Timestamp",
    "dependencyRelationshipsProvided": "Dependency Relationship",
    "componentNames": "Component Name",
    "componentVersions": "Version of the Component",
    "componentIdentifiers": "Other Unique Identifiers",
    "componentSuppliers": "Supplier Name",
    "componentConcludedLicenses": "Concluded License",
    "componentCopyrightTexts": "Copyright Text",
    "sbomTypeProvided": "SBOM Type",
}


_BSI_ELEMENTS = (
    ("doc_creator", True),
    ("doc_uri", True),
    ("dependency_completeness", True),
    ("components_without_creators", True),
    ("components_without_filenames", True),
    ("components_without_executable_prop", True),
    ("components_without_archive_prop", True),
    ("components_without_structured_prop", True),
    ("components_without_sha512_hashes", True),
    ("components_without_source_code_uris", False),
    ("components_without_deployable_uris", False),
    ("components_without_unique_identifiers", False),
    ("components_without_original_licenses", False),
    ("components_without_effective_licenses", False),
    ("components_without_source_code_hashes", False),
    ("components_without_security_txt", False),
    ("components_without_bom_references", False),
)


def _with_checker(path: Path, profile: str, facts: Facts) -> ProfileResult:
    from importlib.metadata import version as dist_version

    from ntia_conformance_checker.sbom_checker import SbomChecker

    spec = "spdx3" if facts.version.startswith("3") else "spdx2"
    result = SbomChecker(str(path), compliance=_CHECKER_NAMES[profile], sbom_spec=spec)
    report = result.output_json()
    own = {c.name for c in facts.components if c.own}
    requirements: list[Requirement] = []
    for key, value in report.items():
        element = _CHECKER_ELEMENTS.get(key)
        where = f"ntia-conformance-checker -c {_CHECKER_NAMES[profile]}"
        if isinstance(value, bool) and (element or key.endswith("Provided")):
            requirements += _document(facts, element or key, value, where)
        elif isinstance(value, dict) and "nonconformantComponents" in value:
            missing = sorted(set(map(str, value["nonconformantComponents"])))
            if not missing and not value.get("allProvided", True):
                requirements.append(Requirement(element or key, False, (), "unknown", where))
            else:
                requirements += _split(
                    facts, element or key, ((n, n in own) for n in missing), where
                )
    # BSI TR-03183-2's own elements, which the checker's JSON report leaves out: required
    # (what its verdict counts) and additional ones (recommended)
    for attr, required in _BSI_ELEMENTS:
        value = getattr(result, attr, None)
        if isinstance(value, bool):
            requirements += [
                replace(r, required=required)
                for r in _document(facts, attr.removeprefix("doc_").replace("_", " "), value, where)
            ]
        elif isinstance(value, list):
            names = sorted({str(x[0]) if isinstance(x, tuple) else str(x) for x in value})
            element = "component " + attr.removeprefix("components_without_").replace("_", " ")
            requirements += [
                replace(r, required=required)
                for r in _split(facts, element, ((n, n in own) for n in names), where)
            ]
    if not result.compliant and all(r.met or not r.required for r in requirements):
        requirements.append(Requirement("the checker's verdict", False, (), "unknown", where))
    for message in list(report.get("parsingError") or []) + list(
        report.get("validationMessages") or []
    ):
        requirements.append(
            Requirement(f"readable: {message}", False, (), "unknown", "ntia-conformance-checker")
        )
    return ProfileResult(
        profile,
        f"ntia-conformance-checker {dist_version('ntia-conformance-checker')}",
        tuple(requirements),
    )


def check(path: Path, profiles: Iterable[str]) -> tuple[Facts, list[ProfileResult]]:
    """Judge one document against each profile."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputDataError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    facts = read_facts(path, data)
    results = []
    for profile in profiles:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}")
        if profile in _CHECKER_NAMES and facts.standard == "SPDX":
            results.append(_with_checker(path, profile, facts))
        elif profile == "telco":
            results.append(ProfileResult(profile, "sbomgen rules", tuple(_telco_rules(facts))))
        elif profile == "cisa-2025":
            results.append(ProfileResult(profile, "sbomgen rules", tuple(_cisa_rules(facts))))
        elif profile == "bsi":  # on CycloneDX: TR-03183-2's fields, by sbomgen's rules
            results.append(
                ProfileResult(
                    profile, "sbomgen rules (BSI TR-03183-2)", tuple(_bsi_cyclonedx_rules(facts))
                )
            )
        else:  # ntia, fsct3 on CycloneDX: the NTIA elements, by sbomgen's rules
            results.append(
                ProfileResult(profile, "sbomgen rules (NTIA elements)", tuple(_ntia_rules(facts)))
            )
    return facts, results


# --- on a run's own documents -------------------------------------------------------------

DOCUMENT_SUFFIXES = (".cdx.json", ".spdx.json", ".spdx.yaml", ".spdx.xml", ".spdx", ".spdx.rdf.xml")
NOT_SBOMS = (".vex.cdx.json",)  # a standalone VEX is judged by no SBOM profile


def judge_files(
    files: dict[str, bytes], profiles: Iterable[str]
) -> list[tuple[str, ProfileResult]]:
    """Judge the documents a run is about to write (each in a temporary file: the checker
    reads files), in name order."""
    import tempfile

    wanted = list(dict.fromkeys(profiles))
    out: list[tuple[str, ProfileResult]] = []
    with tempfile.TemporaryDirectory(prefix="sbomgen-profile-") as tmp:
        for name in sorted(files):
            if not name.endswith(DOCUMENT_SUFFIXES) or name.endswith(NOT_SBOMS):
                continue
            path = Path(tmp) / Path(name).name
            path.write_bytes(files[name])
            _facts, results = check(path, wanted)
            out += [(name, r) for r in results]
    return out


def describe_unmet(result: ProfileResult) -> str:
    """``Supplier Name on 19 (data source), …``: one line of what a profile misses."""
    who = {"producer": "producer", "source": "data source"}
    return "; ".join(
        f"{r.element}"
        + (f" on {len(r.missing)}" if r.missing else "")
        + f" ({who.get(r.cause, 'cause unknown')})"
        for r in result.requirements
        if not r.met
    )


def known_unknowns(inventory: Any) -> dict[str, int]:
    """What the data source lacks, counted by kind: third-party libraries with no
    supplier, libraries with no hash, license references with no text."""
    from sbomgen.enrich.texts import symbols_of

    libs = list(inventory.libraries.values())
    refs = {
        s
        for lib in libs
        if lib.license
        for expr in (lib.license.declared, lib.license.concluded)
        for s in symbols_of(expr)
        if s.startswith("LicenseRef-")
    }
    return {
        "suppliers": sum(1 for lib in libs if not lib.in_house and lib.supplier is None),
        "hashes": sum(1 for lib in libs if not lib.sha1),
        "license texts": sum(1 for r in refs if r not in inventory.texts),
    }
