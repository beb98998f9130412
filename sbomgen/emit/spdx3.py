"""SPDX 3.0.1 in JSON-LD: the Core, Software, SimpleLicensing and Security profiles.

The document is built with the official SPDX 3 Python bindings (spdx-python-model, whose
classes are generated from the SPDX 3.0.1 SHACL model), serialized with their JSON-LD
serializer, and validated against the SPDX 3.0.1 JSON schema and SHACL shapes before any
byte is returned (:func:`sbomgen.emit.validate.spdx3_problems`: the shapes are checked on
the document itself by :mod:`sbomgen.emit.spdx3_shacl`, and spdx3-validate's pyshacl run
names what is wrong with a document that fails them).

It is built from the same :class:`~sbomgen.emit.plan.DocumentPlan` as the SPDX 2 document and
makes the same decisions (:mod:`sbomgen.emit.spdx`): the same packages, names, versions,
purls, checksums, suppliers, copyright texts, license expressions (NOASSERTION where a
LicenseRef has no text), download locations and relationships. Where Mend knows nothing,
SPDX 3 says nothing: a property is left out (SPDX 3 has no NOASSERTION strings), except a
license, which points at SPDX 3's ``NoAssertionLicense`` individual as SPDX 2 writes
NOASSERTION.

Which SPDX 3 property carries which Mend fact:

===============================================  ==============================================
``software_Package.name``                        the library's name (:func:`package_name`); the
                                                 product's, project's or document's name
``software_Package.software_packageVersion``     the library version; ``version`` of the
                                                 configuration for the described software
``software_Package.software_packageUrl``          the purl sbomgen derived from Mend's coordinates
``software_Package.software_downloadLocation``   Mend's download reference (http(s) URLs only)
``software_Package.software_homePage``           Mend's homepage reference (http(s) URLs only)
``Element.verifiedUsing`` (``Hash``, sha1)       Mend's SHA-1 of the library file
``Element.externalIdentifier`` (packageUrl)      the purl again, as an identifier
``software_File`` + ``hasDistributionArtifact``  the library file's name (SPDX 2's package file
                                                 name), its SHA-1, its download URL
                                                 (``binaryArtifact``)
``Artifact.suppliedBy`` / ``originatedBy``       ``Library.supplier`` / ``Library.originator``
                                                 (Organization or Person); the configured
                                                 supplier for the described software
``software_copyrightText``                       Mend's copyright lines, one per line
``Element.description``                          Mend's library description
``Element.comment``                              in-house flag, and where each fact came from
``Relationship`` ``hasDeclaredLicense``          the declared license (Mend's licenses, suspected
                                                 ones left out): a LicenseExpression
``Relationship`` ``hasConcludedLicense``         the concluded license (Mend's, or a curation);
                                                 its comment says how it was reached
``simplelicensing_SimpleLicensingText``          the text of a LicenseRef the document uses
``Relationship`` ``contains`` / ``dependsOn``    product→project (and the root's children);
                                                 project→library and library→library
``security_Vulnerability``                       a Mend security alert's vulnerability: its CVE
                                                 (or Mend) id as ``externalIdentifier``, the NVD
                                                 or Mend page, the fix reference, publication
``Relationship`` ``hasAssociatedVulnerability``  library→vulnerability: Mend reported it for
                                                 the library (an alert, active or ignored); its
                                                 comment gives Mend's fix resolution. No VEX
                                                 status: an active alert is nobody's decision
``security_Vex…VulnAssessmentRelationship``      vulnerability→package: what a person decided
                                                 in Mend (an ignored alert, see
                                                 :mod:`sbomgen.enrich.vex`): ``NotAffected``
                                                 (not_affected, false_positive; the CycloneDX
                                                 justification mapped to SPDX 3's, else an
                                                 impact statement), ``Affected`` (exploitable;
                                                 the comment as action statement), ``Fixed``
                                                 (resolved), ``UnderInvestigation``
                                                 (in_triage); for the library, or for each
                                                 project whose decision differs (the library
                                                 its ``assessedElement``); the comment as
                                                 written in ``statusNotes``, how sbomgen read
                                                 it in ``comment``, the configured supplier as
                                                 ``suppliedBy``
``software_Package.software_sourceInfo``         where Mend found the library: each location's
                                                 path, match type and dependency file
``CreationInfo``                                 the document time, sbomgen as the ``Tool``, the
                                                 configured supplier and authors as ``createdBy``,
                                                 the generation context as its ``comment``
``software_Sbom.software_sbomType``              ``build``: Mend analyses builds
===============================================  ==============================================

Every element's ``spdxId`` is an IRI in the document's namespace, named after the plan's
node (the SPDX 2 element id, which holds a hash of the Mend token, never the token): equal
input gives equal ids. The namespace, as in SPDX 2, ends with a UUID derived from the whole
content, so equal documents share it and different ones never do.

spdx-python-model, rdflib and (for a failing document) spdx3-validate and pyshacl are imported
on first use, never when the CLI starts.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sbomgen import __version__
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.plan import (
    ROOT,
    DocumentPlan,
    compositions,
    plan_document,
    published_date,
    short_hash,
)
from sbomgen.emit.spdx import (
    GENERATION_CONTEXT,
    NAMESPACE,
    PROVISIONAL_UUID,
    VexDecision,
    _asserted,
    _comment,
    _id_part,
    _license_comment,
    _line,
    _safe,
    element_ids,
    package_name,
    source_info,
    vex_decisions,
)
from sbomgen.emit.validate import SPDX3_VERSION
from sbomgen.enrich.texts import symbols_of
from sbomgen.errors import OutputError, ValidationFailedError
from sbomgen.model import NOASSERTION, Inventory, Library, LicenseText, Party, Vulnerability

if TYPE_CHECKING:
    from spdx_python_model.bindings import v3_0_1 as spdx3

SUFFIX = ".spdx3.json"
# how a LicenseRef's text is described: (name, comment), from the symbol and its text
_Describe = Callable[[str, LicenseText], tuple[str, str]]
_URL = re.compile(r"^https?://\S+$")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")


@dataclass
class _Ids:
    """Every IRI the document holds that is in its own namespace, set once the namespace is
    known: an element's ``spdxId`` or a ``DictionaryEntry`` value (a LicenseRef's text)."""

    namespace: str
    keep: bool = True  # remember the holders (to move them); the streaming writer does not
    holders: list[tuple[Any, str, str]] = field(default_factory=list)  # (object, attr, local)

    def iri(self, local: str) -> str:
        return f"{self.namespace}#{local}"

    def assign(self, obj: Any, attr: str, local: str) -> None:
        setattr(obj, attr, self.iri(local))
        if self.keep:
            self.holders.append((obj, attr, local))

    def move(self, namespace: str) -> None:
        self.namespace = namespace
        for obj, attr, local in self.holders:
            setattr(obj, attr, self.iri(local))


def _utc(value: datetime) -> datetime:
    """SPDX 3 timestamps are UTC ("…Z"): a naive time is taken as UTC, never as local time,
    so that the document does not depend on the machine's time zone."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _given(**properties: Any) -> dict[str, Any]:
    """The properties that have a value: the bindings refuse None for an absent one, and an
    unknown fact is left out (SPDX 3 has no NOASSERTION strings)."""
    return {k: v for k, v in properties.items() if v is not None and v != [] and v != ""}


def _url(value: str | None) -> str | None:
    return value if value and _URL.match(value) else None


def _fix(vuln: Vulnerability) -> str | None:
    return vuln.fix_resolution or (vuln.top_fix.fix_resolution if vuln.top_fix else None)


class _Builder:
    """Builds the SPDX 3 objects of one plan (see the table in the module docstring)."""

    def __init__(
        self,
        plan: DocumentPlan,
        namespace: str,
        *,
        bindings: Any = None,
        sink: Callable[[Any, str], None] | None = None,
    ) -> None:
        """``bindings``: spdx-python-model's classes (the default), or the plain objects of
        :mod:`sbomgen.emit.spdx3_fast`; ``sink``: where each element goes as it is made
        (the streaming writer), instead of the list the SHACLObjectSet is built from."""
        if bindings is None:
            from spdx_python_model.bindings import v3_0_1 as bindings

        self.m = bindings
        self.plan = plan
        self.sink = sink
        self.ids = _Ids(namespace, keep=sink is None)
        self.elements: list[spdx3.Element] = []
        self.agents: dict[tuple[str, str], spdx3.Agent] = {}
        self.licenses: dict[str, spdx3.simplelicensing_LicenseExpression] = {}
        self.license_texts: dict[str, spdx3.simplelicensing_SimpleLicensingText] = {}
        self.uses_security = False
        self.supplier: spdx3.Agent | None = None  # the configured supplier, once built
        meta = plan.meta
        # the generation context in words, as SPDX 2's creator comment says it
        self.creation = self.m.CreationInfo(
            specVersion=SPDX3_VERSION, created=_utc(meta.timestamp), comment=GENERATION_CONTEXT
        )

    # -- elements ----------------------------------------------------------------------------

    def element(self, obj: Any, local: str) -> Any:
        """An element of the document: its id in the namespace, the one CreationInfo."""
        self.ids.assign(obj, "spdxId", local)
        obj.creationInfo = self.creation
        if self.sink is None:
            self.elements.append(obj)
        else:
            self.sink(obj, local)
        return obj

    def content(self) -> Any:
        """Every element made so far, by id (an SBOM's and a document's ``element``)."""
        if self.sink is not None:
            from sbomgen.emit.spdx3_fast import EVERY_ELEMENT

            return EVERY_ELEMENT  # the writer lists them: it holds only their ids
        return sorted(self.elements, key=lambda e: str(e.spdxId))

    def agent(self, party: Party, identifiers: list[Any] | None = None) -> spdx3.Agent:
        """One Organization or Person element per (kind, name), shared by every use;
        ``identifiers``: its external identifiers (given where it is first made)."""
        name = _line(party.name) or party.name
        kind = "Person" if party.kind == "person" else "Organization"
        key = (kind, name)
        if key not in self.agents:
            cls = self.m.Person if kind == "Person" else self.m.Organization
            self.agents[key] = self.element(
                cls(name=name, **_given(externalIdentifier=identifiers)),
                f"Agent-{kind}-{_id_part(name)}-{short_hash(kind + ':' + name)}",
            )
        elif identifiers:
            if self.sink is not None:  # (the supplier is the first agent made: never)
                raise RuntimeError(f"{name}'s identifiers come after it was written")
            self.agents[key].externalIdentifier = identifiers
        return self.agents[key]

    def license(
        self, expression: str, texts: Mapping[str, LicenseText], describe: _Describe
    ) -> str | spdx3.simplelicensing_LicenseExpression:
        """The LicenseExpression of an SPDX expression (one element per expression), with each
        of its LicenseRefs mapped to a SimpleLicensingText that carries the text; NOASSERTION
        is SPDX 3's ``NoAssertionLicense`` individual."""
        if expression == NOASSERTION:
            return str(self.m.expandedlicensing_IndividualLicensingInfo.NoAssertionLicense)
        if expression not in self.licenses:
            from sbomgen.enrich.licenses import spdx_licensing

            rendered = str(spdx_licensing().parse(expression, validate=False))  # as SPDX 2
            entries = []
            for symbol in sorted(set(symbols_of(expression))):
                if symbol.startswith("LicenseRef-"):
                    entry = self.m.DictionaryEntry(key=symbol)
                    self.ids.assign(entry, "value", self.license_text(symbol, texts, describe))
                    entries.append(entry)
            self.licenses[expression] = self.element(
                self.m.simplelicensing_LicenseExpression(
                    **_given(
                        simplelicensing_licenseExpression=rendered,
                        simplelicensing_customIdToUri=entries,
                    )
                ),
                f"License-{short_hash(expression)}",
            )
        return self.licenses[expression]

    def license_text(
        self, symbol: str, texts: Mapping[str, LicenseText], describe: _Describe
    ) -> str:
        """The text of a LicenseRef (SPDX 2's ExtractedLicensingInfo; only asserted ones are
        used, and they all have a text), named by its first user as SPDX 2 names it; the
        local part of its id."""
        local = f"LicenseText-{_id_part(symbol)}-{short_hash(symbol)}"
        if symbol not in self.license_texts:
            text = texts[symbol]
            name, comment = describe(symbol, text)
            self.license_texts[symbol] = self.element(
                self.m.simplelicensing_SimpleLicensingText(
                    name=name, simplelicensing_licenseText=text.text, comment=comment
                ),
                local,
            )
        return local

    def relationship(
        self,
        source: Any,
        kind: str,
        targets: Iterable[Any],
        local: str,
        comment: str | None = None,
        completeness: str | None = None,
    ) -> None:
        self.element(
            self.m.Relationship(
                **_given(
                    from_=source,
                    relationshipType=getattr(self.m.RelationshipType, kind),
                    to=list(targets),
                    comment=comment,
                    completeness=getattr(self.m.RelationshipCompleteness, completeness)
                    if completeness
                    else None,
                )
            ),
            local,
        )

    # -- the document ------------------------------------------------------------------------

    def build(self) -> None:
        """Make every element (each goes to the sink, or to ``elements``)."""
        m, plan, meta = self.m, self.plan, self.plan.meta
        locals_ = element_ids(plan)  # the SPDX 2 element ids

        # CreationInfo: sbomgen is the tool (createdUsing); the configured supplier and
        # authors created the document (createdBy), as SPDX 2's creators say. createdBy needs
        # an agent: with none configured, sbomgen itself, as a SoftwareAgent.
        tool = self.element(m.Tool(name=f"sbomgen {__version__}"), "Tool-sbomgen")
        created_by: list[Any] = []
        if meta.supplier:
            contact = meta.supplier_contact
            # BSI TR-03183-2: the creator's e-mail or URL
            creator = self.agent(
                Party(name=meta.supplier, kind="organization", source="configuration"),
                [
                    m.ExternalIdentifier(
                        externalIdentifierType=m.ExternalIdentifierType.email
                        if "@" in contact
                        else m.ExternalIdentifierType.urlScheme,
                        identifier=contact,
                    )
                ]
                if contact
                else None,
            )
            created_by.append(creator)
        created_by += [
            self.agent(Party(name=a, kind="person", source="configuration")) for a in meta.authors
        ]
        if not created_by:
            created_by.append(
                self.element(m.SoftwareAgent(name=f"sbomgen {__version__}"), "Agent-sbomgen")
            )
        self.creation.createdBy = created_by
        self.creation.createdUsing = [tool]

        # the described software: root, products, projects (the user's own), as in SPDX 2
        own_texts: dict[str, LicenseText] = dict(plan.texts)
        own_refs = [
            s for s in symbols_of(meta.license or NOASSERTION) if s.startswith("LicenseRef-")
        ]
        if meta.license_text and len(own_refs) == 1 and own_refs[0] not in own_texts:
            own_texts[own_refs[0]] = LicenseText(
                name=own_refs[0],
                text=meta.license_text,
                source="sbomgen configuration (license-text)",
            )
        own_expression, own_missing = _asserted(meta.license or NOASSERTION, own_texts)
        own_comment = (
            f"The configured license {meta.license} is not asserted: no text for "
            f"{', '.join(own_missing)} (an SPDX license reference needs its text)"
            if own_missing
            else None
        )
        supplier = (
            self.agent(Party(name=meta.supplier, kind="organization", source="configuration"))
            if meta.supplier
            else None
        )
        self.supplier = supplier  # whose people decided in Mend (the VEX relationships)
        packages: dict[str, spdx3.software_Package] = {}

        def own_text(symbol: str, text: LicenseText) -> tuple[str, str]:
            return (
                symbol.removeprefix("LicenseRef-"),
                "The license of the described software, from sbomgen's configuration; "
                f"text source: {text.source}",
            )

        def structural(node: str, name: str, version: str | None, comment: str) -> None:
            purls = meta.purls_of(name)
            own_file = meta.files.get(name)
            identifiers = [
                m.ExternalIdentifier(
                    externalIdentifierType=m.ExternalIdentifierType.packageUrl, identifier=purl
                )
                for purl in purls
            ] + [
                m.ExternalIdentifier(
                    externalIdentifierType=m.ExternalIdentifierType.cpe23
                    if cpe.startswith("cpe:2.3:")
                    else m.ExternalIdentifierType.cpe22,
                    identifier=cpe,
                )
                for cpe in meta.cpes_of(name)
            ]
            package = self.element(
                m.software_Package(
                    **_given(
                        name=_line(name) or node,
                        software_packageVersion=_line(version),
                        software_packageUrl=purls[0] if purls else None,
                        externalIdentifier=identifiers,
                        software_downloadLocation=_url(own_file.url) if own_file else None,
                        suppliedBy=supplier,
                        # the organization's own software comes from the organization
                        originatedBy=[supplier] if supplier else [],
                        software_copyrightText=meta.copyright,
                        comment=comment,
                        software_primaryPurpose=m.software_SoftwarePurpose.application,
                    )
                ),
                locals_[node],
            )
            packages[node] = package
            if own_file:
                # the file it ships as, configured ([files]): its distribution artifact, with
                # what BSI TR-03183-2 asks of it where configured (SHA-512; archive,
                # executable, and structured: a container, or else firmware)
                purposes = [
                    purpose
                    for purpose, said in (
                        (m.software_SoftwarePurpose.archive, own_file.archive),
                        (m.software_SoftwarePurpose.executable, own_file.executable),
                        (m.software_SoftwarePurpose.container, own_file.structured is True),
                        (m.software_SoftwarePurpose.firmware, own_file.structured is False),
                    )
                    if said
                ]
                file = self.element(
                    m.software_File(
                        **_given(
                            name=own_file.name,
                            verifiedUsing=[
                                m.Hash(algorithm=m.HashAlgorithm.sha512, hashValue=own_file.sha512)
                            ]
                            if own_file.sha512
                            else [],
                            software_additionalPurpose=purposes,
                        )
                    ),
                    f"{locals_[node]}-File",
                )
                self.relationship(
                    package,
                    "hasDistributionArtifact",
                    [file],
                    f"{locals_[node]}-hasDistributionArtifact",
                )
            own = self.license(own_expression, own_texts, own_text)
            for kind in ("hasDeclaredLicense", "hasConcludedLicense"):
                self.relationship(
                    package,
                    kind,
                    [own],
                    f"{locals_[node]}-{kind}",
                    own_comment if kind == "hasConcludedLicense" else None,
                )

        # the libraries (first, as in SPDX 2: a LicenseRef's text is named by its first user)
        affected: dict[str, tuple[Vulnerability, list[str]]] = {}
        for lib in plan.libraries:
            node = f"lib:{lib.key_uuid}"
            packages[node] = self.library(lib, locals_[node])
            for vuln in lib.vulnerabilities:
                affected.setdefault(vuln.id, (vuln, []))[1].append(node)

        # then the described software
        structural(
            ROOT, meta.name, meta.version, f"The {plan.root_kind} this document describes (Mend)"
        )
        for product in plan.products:  # the release's version: they ship in it (as SPDX 2)
            structural(
                f"product:{product.token}",
                product.name,
                meta.version_of(product.name),
                "Mend product",
            )
        for project in plan.projects:
            structural(
                f"project:{project.token}",
                project.name,
                meta.version_of(project.name),
                f"Mend project{' of ' + project.product_name if project.product_name else ''}",
            )

        # dependencies: one Relationship per parent and kind, to its sorted children; a
        # dependsOn says how complete it is where Mend's hierarchy says (plan.compositions;
        # noAssertion, the default, elsewhere)
        stated = {n: a for a, nodes in compositions(self.plan) if a != "unknown" for n in nodes}
        for node, children in self.plan.edges.items():
            for kind, targets in (
                ("contains", [c for c in children if not c.startswith("lib:")]),
                ("dependsOn", [c for c in children if c.startswith("lib:")]),
            ):
                if targets:
                    self.relationship(
                        packages[node],
                        kind,
                        [packages[c] for c in targets],
                        f"{locals_[node]}-{kind}",
                        completeness=stated.get(node) if kind == "dependsOn" else None,
                    )

        # the Security profile: each vulnerability, the libraries Mend reported it for, and
        # what people decided about it
        vulnerabilities = {}
        for vuln_id in sorted(affected):
            vuln, nodes = affected[vuln_id]
            vulnerabilities[vuln_id] = self.vulnerability(
                vuln, [(packages[n], locals_[n]) for n in sorted(set(nodes))]
            )
        for decision in vex_decisions(self.plan):
            self.vex(
                decision,
                vulnerabilities[decision.statement.vuln.id],
                packages[decision.target],
                locals_[decision.target],
                packages[decision.library] if decision.library else None,
            )

        # the SBOM and the document: SpdxDocument -> software_Sbom -> the root package.
        # sbomType: Mend's inventory comes from the analysis of builds (its Unified Agent
        # resolves the dependencies a build declares and the files it produced), which is
        # SPDX 3's software_SbomType "build" (generated as part of building the software).
        profiles = [
            m.ProfileIdentifierType.core,
            m.ProfileIdentifierType.software,
            m.ProfileIdentifierType.simpleLicensing,
        ]
        if self.uses_security:
            profiles.append(m.ProfileIdentifierType.security)
        data_license = self.license("CC0-1.0", {}, own_text)  # the license of SPDX data itself
        content = self.content()
        sbom = self.element(
            m.software_Sbom(
                name=_line(meta.name) or "SBOM",
                software_sbomType=[m.software_SbomType.build],
                rootElement=[packages[ROOT]],
                element=content,
                profileConformance=profiles,
            ),
            "SBOM",
        )
        self.element(
            m.SpdxDocument(
                name=_line(meta.name) or "SBOM",
                dataLicense=data_license,
                rootElement=[sbom],
                element=self.content(),  # the SBOM's, and the SBOM
                profileConformance=profiles,
            ),
            "DOCUMENT",
        )

    def originators(self, lib: Library) -> list[spdx3.Agent]:
        """Whom a library came from: its copyright's author; for in-house code also the
        organization itself (the configured supplier, with its contact)."""
        found = [self.agent(lib.originator)] if lib.originator else []
        if (
            lib.in_house
            and self.supplier is not None
            and all(a is not self.supplier for a in found)
        ):
            found.insert(0, self.supplier)
        return found

    def library(self, lib: Library, local: str) -> spdx3.software_Package:
        m = self.m
        verified = (
            [m.Hash(algorithm=m.HashAlgorithm.sha1, hashValue=lib.sha1.lower())]
            if lib.sha1 and _SHA1.fullmatch(lib.sha1)
            else []
        )
        package: spdx3.software_Package = self.element(
            m.software_Package(
                **_given(
                    name=_line(package_name(lib)) or lib.key_uuid,
                    software_packageVersion=_line(lib.version),
                    software_packageUrl=lib.purl,
                    # the purl again as an identifier: where SPDX 3 readers look for one
                    externalIdentifier=[
                        m.ExternalIdentifier(
                            externalIdentifierType=m.ExternalIdentifierType.packageUrl,
                            identifier=lib.purl,
                        )
                    ]
                    if lib.purl
                    else [],
                    software_downloadLocation=_url(lib.references.download),
                    software_homePage=_url(lib.references.homepage),
                    verifiedUsing=verified,
                    suppliedBy=self.agent(lib.supplier) if lib.supplier else None,
                    originatedBy=self.originators(lib),
                    software_copyrightText="\n".join(c.text for c in lib.copyrights),
                    description=lib.description,
                    comment=_comment(lib),
                    software_sourceInfo=source_info(lib),  # where Mend found it
                    software_primaryPurpose=m.software_SoftwarePurpose.library,
                )
            ),
            local,
        )
        if lib.filename:
            # the library file Mend identified (SPDX 2's PackageFileName): a File that is the
            # package's distribution artifact, with Mend's SHA-1 of it and, when Mend gives
            # one, the URL it is downloaded from
            file = self.element(
                m.software_File(
                    **_given(
                        name=lib.filename,
                        verifiedUsing=[
                            m.Hash(algorithm=h.algorithm, hashValue=h.hashValue) for h in verified
                        ],
                        externalRef=[
                            m.ExternalRef(
                                externalRefType=m.ExternalRefType.binaryArtifact,
                                locator=[_url(lib.references.download)],
                            )
                        ]
                        if _url(lib.references.download)
                        else [],
                    )
                ),
                f"{local}-File",
            )
            self.relationship(
                package, "hasDistributionArtifact", [file], f"{local}-hasDistributionArtifact"
            )
        decision = lib.license
        declared, missing_declared = _asserted(
            decision.declared if decision else NOASSERTION, self.plan.texts
        )
        concluded, missing_concluded = _asserted(
            decision.concluded if decision else NOASSERTION, self.plan.texts
        )
        unasserted = sorted({*missing_declared, *missing_concluded})

        def mend_text(symbol: str, text: LicenseText) -> tuple[str, str]:
            """The license's name as Mend gives it, and where its text comes from."""
            names = sorted(
                {
                    p.mend_name
                    for p in (decision.parts if decision else ())
                    if p.expression == symbol
                }
            )
            name = names[0] if names else symbol.removeprefix("LicenseRef-")
            return name, f"Text source: {text.source}"

        self.relationship(
            package,
            "hasDeclaredLicense",
            [self.license(declared, self.plan.texts, mend_text)],
            f"{local}-hasDeclaredLicense",
        )
        self.relationship(
            package,
            "hasConcludedLicense",
            [self.license(concluded, self.plan.texts, mend_text)],
            f"{local}-hasConcludedLicense",
            _license_comment(lib, unasserted),  # how the concluded license was reached
        )
        return package

    def vulnerability(
        self, vuln: Vulnerability, associated: list[tuple[spdx3.software_Package, str]]
    ) -> spdx3.security_Vulnerability:
        """The vulnerability, and each library Mend reported it for (``hasAssociatedVulnerability``:
        a scanner's finding, which states no VEX status; see :meth:`vex`)."""
        m = self.m
        self.uses_security = True
        is_cve = vuln.id.startswith("CVE-")
        refs = []
        if _url(vuln.url):
            refs.append(
                m.ExternalRef(
                    externalRefType=m.ExternalRefType.securityAdvisory, locator=[vuln.url]
                )
            )
        fix_url = _url(vuln.top_fix.url if vuln.top_fix else None)
        if fix_url:
            refs.append(
                m.ExternalRef(externalRefType=m.ExternalRefType.securityFix, locator=[fix_url])
            )
        local = vulnerability_local(vuln)
        element: spdx3.security_Vulnerability = self.element(
            m.security_Vulnerability(
                **_given(
                    name=vuln.id,
                    description=vuln.description,
                    externalIdentifier=[
                        m.ExternalIdentifier(
                            externalIdentifierType=m.ExternalIdentifierType.cve
                            if is_cve
                            else m.ExternalIdentifierType.securityOther,
                            identifier=vuln.id,
                        )
                    ],
                    externalRef=refs,
                    security_publishedTime=published_date(vuln.published),
                )
            ),
            local,
        )
        # Mend reported the vulnerability for this library version: an alert, whether active
        # (nobody has assessed it) or ignored (a person decided: a VEX relationship says
        # what). Not a VEX "affected": that status is an assessment nobody made.
        fix = _fix(vuln)
        comment = "Mend reported this vulnerability for this library version (a security alert)"
        if fix:
            comment += f"; Mend's fix resolution: {fix}"
        for package, package_local in associated:
            self.relationship(
                package,
                "hasAssociatedVulnerability",
                [element],
                f"{local}-associated-{short_hash(package_local)}",
                comment,
            )
        return element

    def vex(
        self,
        decision: VexDecision,
        vulnerability: spdx3.security_Vulnerability,
        target: spdx3.software_Package,
        target_local: str,
        library: spdx3.software_Package | None,
    ) -> None:
        """A person's decision in Mend as a VEX relationship from the vulnerability to the
        package it is stated for (the library; or a project whose decision differs, the
        library then its ``assessedElement``): not_affected and false_positive
        ``doesNotAffect``, exploitable ``affects``, resolved ``fixedIn``, in_triage
        ``underInvestigationFor``. The comment, as written, is the status notes (and the
        impact or action statement where the status has one); how sbomgen read it is the
        relationship's comment."""
        m = self.m
        statement = decision.statement
        analysis = statement.analysis
        assert analysis is not None
        text = _safe(statement.detail or "")
        reading = f"A person's decision in Mend (an ignored alert), read as {analysis.state}"
        if analysis.justification:
            reading += f", justification {analysis.justification}"
        if analysis.responses:
            reading += f", response {', '.join(analysis.responses)}"
        if analysis.rule:
            reading += f": {analysis.rule}"
        if decision.project is not None:
            reading += (
                "; this project's decision (the library's other projects decided otherwise "
                "or not at all)"
            )
        common = _given(
            from_=vulnerability,
            to=[target],
            security_assessedElement=library if library is not target else None,
            security_statusNotes=text,
            suppliedBy=self.supplier,
            comment=reading,
        )
        kind: str
        if analysis.state in ("not_affected", "false_positive"):
            kind = "notAffected"
            justification = _JUSTIFICATIONS.get(analysis.justification or "")
            impact = None
            if analysis.state == "false_positive":
                impact = "False positive: the finding does not apply (decided in Mend)" + (
                    f". Comment in Mend: {text}" if text else ""
                )
            elif justification is None:
                impact = text or "Not affected (decided in Mend, without a comment)"
            obj = m.security_VexNotAffectedVulnAssessmentRelationship(
                relationshipType=m.RelationshipType.doesNotAffect,
                **common,
                **_given(
                    security_justificationType=getattr(
                        m.security_VexJustificationType, justification
                    )
                    if justification
                    else None,
                    security_impactStatement=impact,
                ),
            )
        elif analysis.state == "exploitable":
            kind = "affected"
            obj = m.security_VexAffectedVulnAssessmentRelationship(
                relationshipType=m.RelationshipType.affects,
                security_actionStatement=text
                or "No action stated in Mend"
                + (f" (response: {', '.join(analysis.responses)})" if analysis.responses else ""),
                **common,
            )
        elif analysis.state == "resolved":
            kind = "fixed"
            obj = m.security_VexFixedVulnAssessmentRelationship(
                relationshipType=m.RelationshipType.fixedIn, **common
            )
        else:  # in_triage, or a state sbomgen does not know: nobody has finished deciding
            kind = "underInvestigation"
            obj = m.security_VexUnderInvestigationVulnAssessmentRelationship(
                relationshipType=m.RelationshipType.underInvestigationFor, **common
            )
        key = target_local + "|" + (decision.library or "")
        self.element(obj, f"{vulnerability_local(statement.vuln)}-{kind}-{short_hash(key)}")


# CycloneDX's justifications in SPDX 3's VEX terms
_JUSTIFICATIONS = {
    "code_not_present": "vulnerableCodeNotPresent",
    "code_not_reachable": "vulnerableCodeNotInExecutePath",
    "requires_configuration": "vulnerableCodeCannotBeControlledByAdversary",
    "requires_dependency": "vulnerableCodeCannotBeControlledByAdversary",
    "requires_environment": "vulnerableCodeCannotBeControlledByAdversary",
    "protected_by_compiler": "inlineMitigationsAlreadyExist",
    "protected_at_runtime": "inlineMitigationsAlreadyExist",
    "protected_at_perimeter": "inlineMitigationsAlreadyExist",
    "protected_by_mitigating_control": "inlineMitigationsAlreadyExist",
}


def vulnerability_local(vuln: Vulnerability) -> str:
    return f"Vulnerability-{_id_part(vuln.id)}-{short_hash(vuln.id)}"


def document_data(plan: DocumentPlan) -> dict[str, Any]:
    """The JSON-LD of the plan's document (spdx-python-model's serializer), in its final
    namespace: a UUID derived from the content written with a provisional one."""
    from spdx_python_model.bindings import v3_0_1 as spdx3

    meta = plan.meta
    stem = f"https://spdx.org/spdxdocs/sbomgen/{_id_part(meta.file_stem)}-"
    builder = _Builder(plan, f"{stem}{PROVISIONAL_UUID}")
    builder.build()
    objects = spdx3.SHACLObjectSet([builder.creation, *builder.elements])
    serializer = spdx3.JSONLDSerializer()
    provisional = serializer.serialize_data(objects)
    # the digest of json.dumps(provisional, sort_keys=True, ensure_ascii=False), hashed a
    # piece at a time: the text of a large document is hundreds of megabytes
    hasher = hashlib.sha256()
    for piece in json.JSONEncoder(sort_keys=True, ensure_ascii=False).iterencode(provisional):
        hasher.update(piece.encode("utf-8"))
    digest = hasher.hexdigest()
    del provisional
    builder.ids.move(f"{stem}{uuid.uuid5(NAMESPACE, 'spdx3:' + digest)}")
    data: dict[str, Any] = serializer.serialize_data(objects)
    return data


def serialize(data: Mapping[str, Any]) -> bytes:
    """Sorted keys, two-space indents, UTF-8 as is, a newline at the end."""
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


class Spdx3(Emitter):
    """SPDX 3.0.1 JSON-LD (``FILE.spdx3.json``), validated by spdx3-validate."""

    name = "spdx3-json"

    def __init__(self, *, exclude_in_house: bool = False, fast: bool = True) -> None:
        self.exclude_in_house = exclude_in_house
        # fast: the streaming writer (sbomgen.emit.spdx3_fast), the same bytes as the
        # library path (tests/emit/test_spdx3_fast.py) in a fraction of the memory
        self.fast = fast

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        name = f"{meta.file_stem}{SUFFIX}"
        plan = plan_document(inventory, meta, exclude_in_house=self.exclude_in_house)
        certified = False
        try:
            written = None
            if self.fast:
                from sbomgen.emit import spdx3_fast

                try:
                    written = spdx3_fast.write(plan)
                except OSError as exc:
                    raise OutputError(
                        f"{name}: the temporary files the document is written through failed: {exc}"
                    ) from exc
            if written is None:  # the library path (or the plan gives two elements one id)
                text = serialize(document_data(plan))
            else:
                text, certified = written
        except (ValueError, TypeError) as exc:  # the bindings refuse a value or a missing one
            # (UnicodeEncodeError too: a text no UTF-8 document can carry)
            raise ValidationFailedError(
                f"{name} (SPDX {SPDX3_VERSION}) could not be built, nothing was written: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        del plan
        if not certified:
            # the whole document checked by the reference (spdx3-validate's messages); the
            # streaming writer's elements all passed the same checks otherwise
            from sbomgen.emit.validate import spdx3_problems

            problems = [str(p) for p in spdx3_problems(text)]
            if problems:
                shown = "; ".join(problems[:5]) + (
                    f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
                )
                raise ValidationFailedError(
                    f"the SPDX {SPDX3_VERSION} document for {meta.name} failed validation "
                    f"(spdx3-validate), nothing was written: {shown}"
                )
        return {name: text}
