"""CycloneDX and SPDX documents read back into one small view: components, the dependency
graph and its levels, vulnerabilities.

It reads Mend's native SBOMs (for ``native --compare`` and ``--enrich``) and sbomgen's own
documents alike: CycloneDX 1.2 to 1.7 JSON and XML, SPDX 2.2/2.3 in any format spdx-tools
reads. Nothing is guessed: a field the document does not have stays empty. Components
of type ``application`` (the products and projects in sbomgen's documents) are the
structure above the libraries, not components of the view.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sbomgen.errors import InputDataError


@dataclass(frozen=True)
class DocComponent:
    ref: str  # bom-ref or SPDX id
    name: str
    group: str | None = None
    version: str | None = None
    purl: str | None = None
    licenses: tuple[str, ...] = ()  # SPDX ids, expressions or license names, as written
    sha1: str | None = None
    file_name: str | None = None


@dataclass
class DocView:
    standard: str  # CycloneDX | SPDX
    version: str
    fmt: str
    root: str | None = None
    components: dict[str, DocComponent] = field(default_factory=dict)
    edges: dict[str, list[str]] = field(default_factory=dict)  # ref -> refs it depends on
    top: list[str] = field(default_factory=list)  # what the root depends on directly
    vulnerabilities: set[tuple[str, str]] = field(default_factory=set)  # (id, component ref)

    def depths(self) -> dict[str, int]:
        """Each component's level: 0 for what the root depends on, then one per edge."""
        depth: dict[str, int] = {}
        queue: deque[str] = deque()
        for ref in self.top:
            if ref in self.components and ref not in depth:
                depth[ref] = 0
                queue.append(ref)
        while queue:
            ref = queue.popleft()
            for child in self.edges.get(ref, []):
                if child in self.components and child not in depth:
                    depth[child] = depth[ref] + 1
                    queue.append(child)
        return depth


def read_document(name: str, data: bytes) -> DocView | None:
    """The view of a document, or None for a format without one (an SPDX spreadsheet)."""
    from sbomgen.emit.validate import detect

    if data[:4] == b"PK\x03\x04":
        return None  # XLSX
    found = detect(Path(name), data)
    if found.standard == "CycloneDX":
        if found.fmt == "json":
            return _cyclonedx_json(json.loads(data.decode("utf-8-sig")), found.version)
        return _cyclonedx_xml(data, found.version)
    return _spdx(data, found.fmt, found.version)


# -- CycloneDX -----------------------------------------------------------------------------


def _cdx_licenses(entries: Any) -> tuple[str, ...]:
    out: list[str] = []
    for entry in entries or []:
        if not isinstance(entry, Mapping):
            continue
        if isinstance(entry.get("expression"), str):
            out.append(entry["expression"])
            continue
        lic = entry.get("license") or {}
        value = lic.get("id") or lic.get("name")
        if isinstance(value, str):
            out.append(value)
    return tuple(out)


def _cyclonedx_json(doc: Mapping[str, Any], version: str) -> DocView:
    view = DocView("CycloneDX", version, "json")
    meta = doc.get("metadata") or {}
    view.root = (meta.get("component") or {}).get("bom-ref")

    def add(comp: Mapping[str, Any]) -> None:
        for child in comp.get("components") or []:
            add(child)
        if comp.get("type") == "application":
            return  # the products and projects of sbomgen's own documents
        ref = str(comp.get("bom-ref") or f"{comp.get('name')}@{comp.get('version')}")
        sha1 = next(
            (h.get("content") for h in comp.get("hashes") or [] if h.get("alg") == "SHA-1"), None
        )
        props = {p.get("name"): p.get("value") for p in comp.get("properties") or []}
        view.components[ref] = DocComponent(
            ref=ref,
            name=str(comp.get("name") or ""),
            group=comp.get("group"),
            version=comp.get("version"),
            purl=comp.get("purl"),
            licenses=_cdx_licenses(comp.get("licenses")),
            sha1=sha1,
            file_name=props.get("mend:filename"),
        )

    for comp in doc.get("components") or []:
        add(comp)
    for dep in doc.get("dependencies") or []:
        ref = str(dep.get("ref"))
        view.edges[ref] = [str(x) for x in dep.get("dependsOn") or []]
    _set_top(view)
    for vuln in doc.get("vulnerabilities") or []:
        for affected in vuln.get("affects") or []:
            view.vulnerabilities.add((str(vuln.get("id")), str(affected.get("ref"))))
    return view


def _cyclonedx_xml(data: bytes, version: str) -> DocView:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputDataError(f"not readable XML: {exc}") from None
    ns = {"c": f"http://cyclonedx.org/schema/bom/{version}"}

    def text(el: Any, path: str) -> str | None:
        found = el.find(path, ns)
        return found.text if found is not None else None

    view = DocView("CycloneDX", version, "xml")
    meta_comp = root.find("c:metadata/c:component", ns)
    view.root = meta_comp.get("bom-ref") if meta_comp is not None else None
    top_level = root.find("c:components", ns)
    every = [] if top_level is None else list(top_level.iterfind(".//c:component", ns))
    for comp in every:
        if comp.get("type") == "application":
            continue  # the products and projects of sbomgen's own documents
        ref = comp.get("bom-ref") or f"{text(comp, 'c:name')}@{text(comp, 'c:version')}"
        licenses = []
        for lic in comp.iterfind("c:licenses/*", ns):
            if lic.tag.endswith("expression"):
                licenses.append(lic.text or "")
            else:
                value = text(lic, "c:id") or text(lic, "c:name")
                if value:
                    licenses.append(value)
        sha1 = next(
            (h.text for h in comp.iterfind("c:hashes/c:hash", ns) if h.get("alg") == "SHA-1"), None
        )
        file_name = next(
            (
                p.text
                for p in comp.iterfind("c:properties/c:property", ns)
                if p.get("name") == "mend:filename"
            ),
            None,
        )
        view.components[ref] = DocComponent(
            ref=ref,
            name=text(comp, "c:name") or "",
            group=text(comp, "c:group"),
            version=text(comp, "c:version"),
            purl=text(comp, "c:purl"),
            licenses=tuple(licenses),
            sha1=sha1,
            file_name=file_name,
        )
    for dep in root.iterfind("c:dependencies/c:dependency", ns):
        view.edges[str(dep.get("ref"))] = [
            str(d.get("ref")) for d in dep.iterfind("c:dependency", ns)
        ]
    _set_top(view)
    for vuln in root.iterfind("c:vulnerabilities/c:vulnerability", ns):
        vid = text(vuln, "c:id") or ""
        for target in vuln.iterfind("c:affects/c:target", ns):
            view.vulnerabilities.add((vid, text(target, "c:ref") or ""))
    return view


def _set_top(view: DocView) -> None:
    if view.root and view.root in view.edges:
        view.top = [r for r in view.edges[view.root] if r in view.components]
        # sbomgen's own documents put products and projects between root and libraries
        frontier = [r for r in view.edges[view.root] if r not in view.components]
        seen: set[str] = set()
        while frontier:
            ref = frontier.pop()
            if ref in seen:
                continue
            seen.add(ref)
            for child in view.edges.get(ref, []):
                if child in view.components:
                    if child not in view.top:
                        view.top.append(child)
                else:
                    frontier.append(child)
        return
    depended = {c for children in view.edges.values() for c in children}
    view.top = [r for r in view.components if r not in depended]


# -- SPDX ----------------------------------------------------------------------------------


def _spdx(data: bytes, fmt: str, version: str) -> DocView:
    from sbomgen.emit.validate import parse_spdx_text

    if fmt == "json":
        from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

        try:
            document = JsonLikeDictParser().parse(json.loads(data.decode("utf-8-sig")))  # type: ignore[no-untyped-call]
        except Exception as exc:
            raise InputDataError(f"SPDX JSON that spdx-tools cannot read: {exc}") from None
    else:
        try:
            document = parse_spdx_text(data, fmt)
        except Exception as exc:
            raise InputDataError(f"SPDX {fmt} that spdx-tools cannot read: {exc}") from None
    view = DocView("SPDX", version, fmt)
    for pkg in document.packages:
        purl = next(
            (r.locator for r in pkg.external_references if r.reference_type == "purl"), None
        )
        sha1 = next((c.value for c in pkg.checksums if c.algorithm.name == "SHA1"), None)
        licenses = tuple(
            str(x)
            for x in (pkg.license_concluded, pkg.license_declared)
            if x is not None and str(x) not in ("NOASSERTION", "NONE")
        )
        view.components[pkg.spdx_id] = DocComponent(
            ref=pkg.spdx_id,
            name=pkg.name,
            version=pkg.version,
            purl=purl,
            licenses=tuple(dict.fromkeys(licenses)),
            sha1=sha1,
            file_name=pkg.file_name,
        )
    described = [
        str(r.related_spdx_element_id)
        for r in document.relationships
        if r.relationship_type.name == "DESCRIBES" and r.spdx_element_id == "SPDXRef-DOCUMENT"
    ]
    for rel in document.relationships:
        kind = rel.relationship_type.name
        a, b = rel.spdx_element_id, str(rel.related_spdx_element_id)
        if kind in ("DEPENDS_ON", "CONTAINS"):
            view.edges.setdefault(a, []).append(b)
        elif kind in ("DEPENDENCY_OF", "CONTAINED_BY"):
            view.edges.setdefault(b, []).append(a)
    # products and projects of sbomgen's own documents are no components
    for ref in list(view.components):
        if ref.startswith(("SPDXRef-Product-", "SPDXRef-Project-", "SPDXRef-Root-")):
            view.components.pop(ref)
    if len(described) == 1:
        view.root = described[0]
        view.components.pop(view.root, None)  # the described package is the root
    _set_top(view)
    return view
