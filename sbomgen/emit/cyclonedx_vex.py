"""A standalone CycloneDX VEX document (``--format cyclonedx-vex``): what people decided.

It holds the vulnerabilities a person decided about in Mend (an ignored alert, its comment
read as an impact analysis by :mod:`sbomgen.enrich.vex`), each with its ``analysis``
(state, justification, response, the comment as ``detail``) and ``affects``. An active
alert nobody decided about is left out: it says nothing a VEX document could carry.

``affects`` names components of the SBOM through BOM-Link,
``urn:cdx:<serial number>/<version>#<bom-ref>``: the CycloneDX JSON SBOM sbomgen writes
for the same scope, description and ``--cyclonedx-version``. That SBOM's serial number is
derived from its content (:func:`sbomgen.emit.cyclonedx._serialized`), so it is taken from
the SBOM the run renders (``cyclonedx-json``), or that SBOM is rendered for it when the
run does not write it: the links are the same either way. Where every project decided
the same, ``affects`` names the library; where projects differ, it names the projects
(the SBOM's project components) that made each decision (:func:`vulnerability_statements`).

The document is checked against the CycloneDX JSON schema of its version, and every link
against the SBOM's bom-refs, before it is returned; its own serial number is derived from
its content like the SBOM's, so equal input gives byte-identical documents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from sbomgen.emit.cyclonedx import PROVISIONAL_UUID, CycloneDx, _serialized, node_ref
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.plan import plan_document, vulnerability_statements
from sbomgen.errors import ValidationFailedError
from sbomgen.model import Inventory

SUFFIX = ".vex.cdx.json"
# what a BOM-Link's fragment may hold unencoded (RFC 3986: pchar, "/" and "?")
_FRAGMENT_SAFE = "!$&'()*+,;=:@/?"
_LINK = re.compile(
    r"^urn:cdx:(?P<serial>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"/(?P<version>[1-9][0-9]*)#(?P<ref>.+)$"
)
_SERIAL = re.compile(
    rb'"serialNumber": "urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"'
)
_VERSION = re.compile(rb'\n  "version": ([0-9]+)')  # the document's own: two spaces deep
_BOM_REF = re.compile(rb'"bom-ref": ("(?:[^"\\]|\\.)*")')


@dataclass(frozen=True)
class SbomIdentity:
    """What a BOM-Link names of a CycloneDX SBOM: its serial number and version, and the
    bom-refs it holds (to check that every link resolves)."""

    name: str  # the SBOM's file name
    serial: str  # its serial number's UUID
    version: int
    refs: frozenset[str]

    @property
    def urn(self) -> str:
        """The BOM-Link of the document itself."""
        return f"urn:cdx:{self.serial}/{self.version}"

    def link(self, ref: str) -> str:
        """The BOM-Link of one element (its bom-ref percent-encoded as a URI fragment)."""
        return f"{self.urn}#{quote(ref, safe=_FRAGMENT_SAFE)}"

    def resolves(self, link: str) -> bool:
        found = _LINK.match(link)
        return bool(
            found
            and found["serial"] == self.serial
            and int(found["version"]) == self.version
            and unquote(found["ref"]) in self.refs
        )


def identity_of(name: str, data: bytes) -> SbomIdentity:
    """The identity of a CycloneDX JSON document as sbomgen writes it (two-space indents;
    read without parsing the whole of a large one: a JSON string never holds an unescaped
    quote, so the patterns match keys only)."""
    serial = _SERIAL.search(data)
    version = _VERSION.search(data)
    refs = frozenset(json.loads(m.group(1)) for m in _BOM_REF.finditer(data))
    if serial is None or version is None:  # not laid out as expected: read it whole
        doc = json.loads(data)
        return SbomIdentity(
            name=name,
            serial=str(doc["serialNumber"]).removeprefix("urn:uuid:"),
            version=int(doc.get("version", 1)),
            refs=refs,
        )
    return SbomIdentity(
        name=name,
        serial=serial.group(1).decode(),
        version=int(version.group(1)),
        refs=refs,
    )


class SbomLinks:
    """The identity of the CycloneDX JSON SBOM of each document a run renders (one for
    the scope, or one per product with --split): remembered from the run's cyclonedx-json
    emitter (:class:`LinkedCycloneDx`), else rendered here, the same way."""

    def __init__(self, version: str = "1.6", *, exclude_in_house: bool = False) -> None:
        self.version, self.exclude_in_house = version, exclude_in_house
        self._last: tuple[Inventory, DocumentMeta, SbomIdentity] | None = None

    def remember(self, inventory: Inventory, meta: DocumentMeta, files: dict[str, bytes]) -> None:
        name = f"{meta.file_stem}.cdx.json"
        self._last = (inventory, meta, identity_of(name, files[name]))

    def identity(self, inventory: Inventory, meta: DocumentMeta) -> SbomIdentity:
        last = self._last
        if last is not None and last[0] is inventory and last[1] == meta:
            return last[2]
        sbom = CycloneDx("json", self.version, exclude_in_house=self.exclude_in_house)
        try:
            files = sbom.render(inventory, meta)
        except ValidationFailedError as exc:
            raise ValidationFailedError(
                f"{exc} (the SBOM the VEX documents link to; no VEX document was written)"
            ) from exc
        self.remember(inventory, meta, files)
        assert self._last is not None
        return self._last[2]


class LinkedCycloneDx(CycloneDx):
    """The run's cyclonedx-json emitter, telling the VEX emitters the identity of each SBOM
    it renders (so that it is rendered once)."""

    def __init__(self, links: SbomLinks) -> None:
        super().__init__("json", links.version, exclude_in_house=links.exclude_in_house)
        self.links = links

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        files = super().render(inventory, meta)
        self.links.remember(inventory, meta, files)
        return files


def json_bytes(doc: Any) -> bytes:
    """``doc`` as indented UTF-8 JSON (json escapes control characters; Mend's text
    reaches here without lone surrogates, which sbomgen.sources.parse removes)."""
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def problems_shown(problems: Sequence[str]) -> str:
    return "; ".join(problems[:5]) + (
        f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    )


class CycloneDxVex(Emitter):
    """``<stem>.vex.cdx.json``: the decided vulnerabilities, linked into the SBOM."""

    name = "cyclonedx-vex"

    def __init__(self, links: SbomLinks) -> None:
        self.links = links
        self.version = links.version

    def document(
        self, inventory: Inventory, meta: DocumentMeta
    ) -> tuple[dict[str, Any], list[str]]:
        """The document (with the provisional serial number) and its problems."""
        from sbomgen.emit.cyclonedx_fast import SCHEMA, _o, reachable_supplier, tool_entry
        from sbomgen.emit.cyclonedx_fast import _vulnerability as vulnerability_object
        from sbomgen.emit.validate import cyclonedx_json_problems

        version = self.version
        sbom = self.links.identity(inventory, meta)
        plan = plan_document(inventory, meta, exclude_in_house=self.links.exclude_in_house)
        decided = [s for s in vulnerability_statements(plan) if s.analysis is not None]
        vulnerabilities = []
        for statement in sorted(decided, key=lambda s: (s.vuln.id, s.ref)):
            obj = vulnerability_object(statement, version)
            obj["affects"] = [
                {"ref": sbom.link(ref)} for ref in sorted({node_ref(n) for n in statement.nodes})
            ]
            vulnerabilities.append(obj)
        tools = tool_entry(version)
        supplier = reachable_supplier(meta)
        metadata = _o(
            timestamp=meta.timestamp.isoformat(),
            tools=tools,
            authors=[_o(name=a) for a in meta.authors] or None,
            # what the statements are about: the SBOM's subject, by name
            component=_o(type="application", name=meta.name, version=meta.version),
            supplier=supplier,
        )
        doc: dict[str, Any] = {
            "$schema": SCHEMA.format(version),
            "bomFormat": "CycloneDX",
            "specVersion": version,
            # first among the values a person gave (the name, the comments): the serial
            # number is set in the first occurrence of the provisional one
            "serialNumber": PROVISIONAL_UUID.urn,
            "version": 1,
            "metadata": metadata,
            "externalReferences": [
                {
                    "type": "bom",
                    "url": sbom.urn,
                    "comment": f"the SBOM these statements are about ({sbom.name})",
                }
            ],
            "vulnerabilities": vulnerabilities,
        }
        problems = [str(p) for p in cyclonedx_json_problems(doc, version)]
        for i, vuln in enumerate(vulnerabilities):
            for j, target in enumerate(vuln["affects"]):
                if not sbom.resolves(target["ref"]):
                    problems.append(
                        f"at $.vulnerabilities[{i}].affects[{j}]: {target['ref']!r} names no "
                        f"bom-ref of {sbom.name}"
                    )
        return doc, problems

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        name = f"{meta.file_stem}{SUFFIX}"
        doc, problems = self.document(inventory, meta)
        if problems:
            raise ValidationFailedError(
                f"{name} (CycloneDX {self.version} VEX) failed validation, nothing was "
                f"written: {problems_shown(problems)}"
            )
        return {name: _serialized(json_bytes(doc))}


def with_vex(
    emitters: Sequence[Emitter],
    formats: Sequence[str],
    version: str,
    *,
    exclude_in_house: bool = False,
) -> list[Emitter]:
    """``emitters`` with the VEX emitters ``formats`` names (cyclonedx-vex, openvex),
    which link into the CycloneDX JSON SBOM; the run's cyclonedx-json emitter, if any,
    tells them its identity."""
    from sbomgen.emit.openvex import OpenVex

    links = SbomLinks(version, exclude_in_house=exclude_in_house)
    out: list[Emitter] = [
        LinkedCycloneDx(links)
        if type(e) is CycloneDx and e.fmt == "json" and e.version == version
        else e
        for e in emitters
    ]
    if "cyclonedx-vex" in formats:
        out.append(CycloneDxVex(links))
    if "openvex" in formats:
        out.append(OpenVex(links))
    return out
