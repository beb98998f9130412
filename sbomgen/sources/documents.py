"""CycloneDX and SPDX documents read back into one small view: components, the dependency
graph and its levels, vulnerabilities with their ratings and VEX decisions.

It reads Mend's native SBOMs (for ``native --compare`` and ``--enrich``), sbomgen's own
documents and other producers' alike: CycloneDX 1.2 to 1.7 JSON and XML, SPDX 2.2/2.3 in
any format spdx-tools reads, SPDX 3.0.1 JSON-LD (spdx-python-model). :func:`read_inventory`
gives the same view of sbomgen's enriched model (a snapshot or a live scope), as sbomgen's
CycloneDX documents state it. Nothing is guessed: a field the document does not have stays
empty. Components of type ``application`` (the products and projects in sbomgen's
documents) are the structure above the libraries, not components of the view; what the
document describes is :attr:`DocView.root_component`.

Vulnerabilities (:class:`DocVulnerability`) are in CycloneDX's terms: the highest CVSS
score stated, the severity as stated (else the score's CVSS v3 band), and the VEX decision
as CycloneDX's analysis state and justification; SPDX 3's VEX relationships and OpenVEX's
statuses are mapped onto them (:func:`vex_state`, :func:`vex_justification`). SPDX 2 has no
vulnerabilities of its own: its advisory references and sbomgen's VEX annotations are read,
else nothing.
"""

from __future__ import annotations

import io
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sbomgen.errors import InputDataError

if TYPE_CHECKING:
    from sbomgen.model import Inventory


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
    # the license as the document states it, for comparison: SPDX's concluded and declared
    # fields, CycloneDX's licenses by acknowledgement (unacknowledged ones count as concluded)
    license_concluded: str | None = None
    license_declared: str | None = None

    @property
    def license_expression(self) -> str | None:
        """The license to compare: the concluded one, else the declared one, as written
        (None when the document states neither, or only NOASSERTION/NONE)."""
        return self.license_concluded or self.license_declared


@dataclass(frozen=True)
class DocVulnerability:
    """One vulnerability of one component, with what the document says about it.

    ``score`` is the highest CVSS score stated; ``severity`` is lowercase (critical, high,
    medium, low, none), as stated, else derived from the score with the CVSS v3 bands;
    ``state`` and ``justification`` are the VEX decision in CycloneDX's vocabulary
    (not_affected, false_positive, exploitable, resolved, in_triage), None when the
    document states none."""

    id: str
    ref: str  # the affected component's ref in DocView.components
    score: float | None = None
    severity: str | None = None
    state: str | None = None
    justification: str | None = None


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
    vulnerability_facts: list[DocVulnerability] = field(default_factory=list)
    # what the document describes (CycloneDX's metadata.component, SPDX's one described
    # package), when it says; not among the components
    root_component: DocComponent | None = None

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
    if found.standard == "OpenVEX":
        raise InputDataError(
            f"{name}: an OpenVEX document holds decisions about vulnerabilities, not the "
            "components of an SBOM; give the SBOM it belongs to"
        )
    if found.standard == "CycloneDX":
        if found.fmt == "json":
            return _cyclonedx_json(json.loads(data.decode("utf-8-sig")), found.version)
        return _cyclonedx_xml(data, found.version)
    if found.version.startswith("3"):
        return _spdx3(data, found.version)
    return _spdx(data, found.fmt, found.version)


# -- vulnerabilities and VEX, in CycloneDX's terms -----------------------------------------

SEVERITIES = ("none", "low", "medium", "high", "critical")  # lowest first

# SPDX 3 VEX relationship types and OpenVEX statuses, as CycloneDX analysis states
_STATES = {
    "not_affected": "not_affected",
    "false_positive": "false_positive",
    "exploitable": "exploitable",
    "resolved": "resolved",
    "resolved_with_pedigree": "resolved",
    "in_triage": "in_triage",
    # SPDX 3 relationship types (and the names of their classes)
    "doesnotaffect": "not_affected",
    "vexnotaffectedvulnassessmentrelationship": "not_affected",
    "affects": "exploitable",
    "vexaffectedvulnassessmentrelationship": "exploitable",
    "fixedin": "resolved",
    "vexfixedvulnassessmentrelationship": "resolved",
    "underinvestigationfor": "in_triage",
    "vexunderinvestigationvulnassessmentrelationship": "in_triage",
    # OpenVEX (and CSAF) statuses
    "affected": "exploitable",
    "known_affected": "exploitable",
    "fixed": "resolved",
    "under_investigation": "in_triage",
    "known_not_affected": "not_affected",
}

# SPDX 3's (and OpenVEX's) justifications as CycloneDX's. SPDX 3 is coarser: its
# vulnerableCodeCannotBeControlledByAdversary stands for CycloneDX's requires_* and its
# inlineMitigationsAlreadyExist for protected_* (sbomgen's SPDX 3 writer maps them so);
# one of each is read back. :func:`justification_class` compares in the coarse terms.
_JUSTIFICATIONS = {
    "componentnotpresent": "code_not_present",
    "vulnerablecodenotpresent": "code_not_present",
    "vulnerablecodenotinexecutepath": "code_not_reachable",
    "vulnerablecodecannotbecontrolledbyadversary": "requires_environment",
    "inlinemitigationsalreadyexist": "protected_by_mitigating_control",
}
_JUSTIFICATION_CLASS = {
    "code_not_present": "not_present",
    "code_not_reachable": "not_reachable",
    "requires_configuration": "not_controllable",
    "requires_dependency": "not_controllable",
    "requires_environment": "not_controllable",
    "protected_by_compiler": "mitigated",
    "protected_at_runtime": "mitigated",
    "protected_at_perimeter": "mitigated",
    "protected_by_mitigating_control": "mitigated",
}
_CDX_JUSTIFICATIONS = frozenset(_JUSTIFICATION_CLASS)


def _key_word(value: str) -> str:
    """The last segment of an IRI or enum name, lowercase, '-' and ' ' as '_'."""
    word = value.strip().rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    word = word.removeprefix("security_")
    return word.lower().replace("-", "_").replace(" ", "_")


def vex_state(value: str | None) -> str | None:
    """A VEX status in CycloneDX's analysis vocabulary (not_affected, false_positive,
    exploitable, resolved, in_triage): CycloneDX's own, SPDX 3's relationship types
    (doesNotAffect, affects, fixedIn, underInvestigationFor) and OpenVEX's statuses
    (not_affected, affected, fixed, under_investigation); None for none or an unknown one."""
    if not value:
        return None
    word = _key_word(value)
    return _STATES.get(word) or _STATES.get(word.replace("_", ""))


def vex_justification(value: str | None) -> str | None:
    """A justification in CycloneDX's vocabulary: its own, or SPDX 3's and OpenVEX's
    (componentNotPresent / component_not_present, vulnerable_code_not_in_execute_path, …)."""
    if not value:
        return None
    word = _key_word(value)
    if word in _CDX_JUSTIFICATIONS:
        return word
    return _JUSTIFICATIONS.get(word.replace("_", ""))


def justification_class(value: str | None) -> str | None:
    """A CycloneDX justification in the terms every VEX format shares (SPDX 3's and
    OpenVEX's): not_present, not_reachable, not_controllable, mitigated."""
    return _JUSTIFICATION_CLASS.get(value or "")


def severity_of_score(score: float | None) -> str | None:
    """The CVSS v3 qualitative rating of a score."""
    if score is None:
        return None
    for floor, severity in ((9.0, "critical"), (7.0, "high"), (4.0, "medium"), (0.1, "low")):
        if score >= floor:
            return severity
    return "none"


def _severity(value: Any) -> str | None:
    """A stated severity, lowercase, in the CVSS v3 words (info counts as none; unknown
    and anything else as not stated)."""
    if not isinstance(value, str):
        return None
    word = _key_word(value)
    word = _SEVERITY_SYNONYMS.get(word, word)
    return word if word in SEVERITIES else None


# severity words other vocabularies use (GitHub, npm, Red Hat, Ubuntu, Debian, OSV), as
# CVSS v3's
_SEVERITY_SYNONYMS = {
    "info": "none",
    "informational": "none",
    "negligible": "low",
    "minor": "low",
    "moderate": "medium",
    "med": "medium",
    "important": "high",
    "major": "high",
    "severe": "high",
    "crit": "critical",
}


def _highest(values: Iterable[str | None]) -> str | None:
    found = [v for v in values if v in SEVERITIES]
    return max(found, key=SEVERITIES.index) if found else None


def _score(value: Any) -> float | None:
    try:
        score = float(value)
    except (TypeError, ValueError):
        return None
    return score if 0.0 <= score <= 10.0 else None


def _max_score(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return max(found) if found else None


def _bom_link_ref(ref: str) -> str:
    """The bom-ref a CycloneDX BOM-Link (urn:cdx:serial/version#bom-ref) names."""
    if ref.startswith("urn:cdx:") and "#" in ref:
        return unquote(ref.split("#", 1)[1])
    return ref


class _Facts:
    """Vulnerability facts as a document states them, then resolved onto components."""

    def __init__(self) -> None:
        self.facts: list[DocVulnerability] = []

    def add(
        self,
        vid: str,
        ref: str,
        *,
        score: float | None = None,
        severity: str | None = None,
        state: str | None = None,
        justification: str | None = None,
    ) -> None:
        if not vid or not ref:
            return
        self.facts.append(
            DocVulnerability(
                id=vid,
                ref=_bom_link_ref(ref),
                score=score,
                severity=severity or severity_of_score(score),
                state=state,
                justification=justification if state else None,
            )
        )

    def finish(self, view: DocView) -> None:
        """Resolve refs that name no component (a project, or the root, whose own decision
        a document states, as sbomgen's CycloneDX documents do where a library's projects
        decided differently) onto the components below it (through the dependency edges):
        those the document states the same vulnerability for; else the one component below
        every element the vulnerability is stated for this way; else the only component
        below it. Otherwise the ref stays: the document does not say which library."""
        direct: dict[str, set[str]] = {}
        elsewhere: dict[str, set[str]] = {}
        for fact in self.facts:
            if fact.ref in view.components:
                direct.setdefault(fact.id, set()).add(fact.ref)
            else:
                elsewhere.setdefault(fact.id, set()).add(fact.ref)
        below = {ref: _below(view, ref) for refs in elsewhere.values() for ref in refs}
        out: dict[DocVulnerability, None] = {}
        for fact in self.facts:
            if fact.ref in view.components:
                out[fact] = None
                continue
            mine = below[fact.ref]
            targets = mine & direct.get(fact.id, set())
            if not targets:
                common = set.intersection(*(below[r] for r in elsewhere[fact.id]))
                targets = common if len(common) == 1 else set()
            if not targets and len(mine) == 1:
                targets = mine
            for ref in sorted(targets) or [fact.ref]:
                out[replace(fact, ref=ref)] = None
        view.vulnerability_facts = list(out)
        view.vulnerabilities = {(f.id, f.ref) for f in view.vulnerability_facts}

    def drop_undecided(
        self,
        view: DocView,
        decided: set[tuple[str, str]],
        decided_in: Mapping[tuple[str, str], set[str]],
    ) -> None:
        """SPDX states a vulnerability of a library (an advisory, an association) apart
        from the decisions about it. Its undecided fact goes where a decision is stated for
        the library itself, or for every project it is in (the lowest elements above it
        that are no components: a project's decision names the library)."""
        kept = []
        parents: dict[str, list[str]] = {}
        for parent, children in view.edges.items():
            for child in children:
                parents.setdefault(child, []).append(parent)
        for fact in self.facts:
            key = (fact.id, fact.ref)
            if fact.state is None:
                if key in decided:
                    continue
                above = _containers(view, parents, fact.ref)
                if key in decided_in and above and above <= decided_in[key]:
                    continue
            kept.append(fact)
        self.facts = kept


def _containers(view: DocView, parents: Mapping[str, list[str]], ref: str) -> set[str]:
    """The lowest elements above a component that are no components (the projects it is
    in, in sbomgen's documents), through the dependency edges (``parents``: reversed)."""
    found: set[str] = set()
    seen = {ref}
    frontier = [ref]
    while frontier:
        for parent in parents.get(frontier.pop(), []):
            if parent in seen:
                continue
            seen.add(parent)
            if parent in view.components:
                frontier.append(parent)
            else:
                found.add(parent)
    return found


def _below(view: DocView, ref: str) -> set[str]:
    """The components reachable from ``ref`` through the dependency edges."""
    seen: set[str] = set()
    frontier = list(view.edges.get(ref, []))
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        frontier.extend(view.edges.get(current, []))
    return {r for r in seen if r in view.components}


# -- CycloneDX -----------------------------------------------------------------------------


def _cdx_license_entries(entries: Any) -> list[tuple[str, str | None]]:
    """(license, acknowledgement) of each entry, as written."""
    out: list[tuple[str, str | None]] = []
    for entry in entries or []:
        if not isinstance(entry, Mapping):
            continue
        if isinstance(entry.get("expression"), str):
            out.append((entry["expression"], entry.get("acknowledgement")))
            continue
        lic = entry.get("license") or {}
        if not isinstance(lic, Mapping):
            continue
        value = lic.get("id") or lic.get("name")
        if isinstance(value, str):
            out.append((value, lic.get("acknowledgement")))
    return out


def _joined(values: list[str]) -> str | None:
    """Several licenses of one kind as one expression: each applies (AND), compound ones
    parenthesized; one is kept as written."""
    values = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return " AND ".join(f"({v})" if re.search(r"\s(AND|OR)\s", v) else v for v in values)


def _cdx_license_fields(
    entries: list[tuple[str, str | None]], declared_property: str | None
) -> tuple[str | None, str | None]:
    """(concluded, declared): by acknowledgement (CycloneDX 1.6+); licenses without one
    count as concluded (the document's statement of the license); sbomgen's
    ``mend:declaredLicense`` property gives the declared one it could not write beside."""
    concluded = _joined([v for v, ack in entries if ack != "declared"])
    declared = _joined([v for v, ack in entries if ack == "declared"]) or declared_property
    return concluded, declared


def _cdx_rating(
    ratings: Iterable[tuple[float | None, str | None]],
) -> tuple[float | None, str | None]:
    """The highest score, and the highest severity of the ratings: each rating's stated
    severity, else the one its score has (a rating may give only a score)."""
    ratings = list(ratings)
    score = _max_score(s for s, _ in ratings)
    return score, _highest(v or severity_of_score(s) for s, v in ratings)


def _fallback_ref(name: Any, group: Any, version: Any, purl: Any, taken: Mapping[str, Any]) -> str:
    """A ref for a component without a bom-ref: its Package URL, else group/name@version;
    numbered where another component already has it (distinct components stay distinct)."""
    base = str(purl) if purl else f"{group + '/' if group else ''}{name}@{version}"
    ref, n = base, 1
    while ref in taken:
        n += 1
        ref = f"{base}#{n}"
    return ref


def _mend_structure(kind: Any) -> bool:
    """A product or project of sbomgen's own CycloneDX documents (``mend:kind``)."""
    return kind in ("product", "project")


def _cdx_json_component(
    comp: Mapping[str, Any], taken: Mapping[str, Any] | None = None
) -> DocComponent:
    ref = str(
        comp.get("bom-ref")
        or _fallback_ref(
            comp.get("name"), comp.get("group"), comp.get("version"), comp.get("purl"), taken or {}
        )
    )
    sha1 = next(
        (h.get("content") for h in comp.get("hashes") or [] if h.get("alg") == "SHA-1"), None
    )
    props = {p.get("name"): p.get("value") for p in comp.get("properties") or []}
    entries = _cdx_license_entries(comp.get("licenses"))
    concluded, declared = _cdx_license_fields(entries, props.get("mend:declaredLicense"))
    return DocComponent(
        ref=ref,
        name=str(comp.get("name") or ""),
        group=comp.get("group"),
        version=comp.get("version"),
        purl=comp.get("purl"),
        licenses=tuple(v for v, _ in entries),
        sha1=sha1,
        file_name=props.get("mend:filename"),
        license_concluded=concluded,
        license_declared=declared,
    )


def _cyclonedx_json(doc: Mapping[str, Any], version: str) -> DocView:
    view = DocView("CycloneDX", version, "json")
    meta = doc.get("metadata") or {}
    view.root = (meta.get("component") or {}).get("bom-ref")
    if isinstance(meta.get("component"), Mapping):
        view.root_component = _cdx_json_component(meta["component"])

    def add(comp: Mapping[str, Any]) -> None:
        for child in comp.get("components") or []:
            add(child)
        props = comp.get("properties") or []
        kind = next(
            (
                p.get("value")
                for p in props
                if isinstance(p, Mapping) and p.get("name") == "mend:kind"
            ),
            None,
        )
        if comp.get("type") == "application" and _mend_structure(kind):
            return  # the products and projects of sbomgen's own documents
        component = _cdx_json_component(comp, view.components)
        view.components[component.ref] = component

    for comp in doc.get("components") or []:
        add(comp)
    for dep in doc.get("dependencies") or []:
        ref = str(dep.get("ref"))
        view.edges[ref] = [str(x) for x in dep.get("dependsOn") or []]
    _set_top(view)
    facts = _Facts()
    for vuln in doc.get("vulnerabilities") or []:
        if not isinstance(vuln, Mapping):
            continue
        score, severity = _cdx_rating(
            (_score(r.get("score")), _severity(r.get("severity")))
            for r in vuln.get("ratings") or []
            if isinstance(r, Mapping)
        )
        analysis = vuln.get("analysis") or {}
        state = vex_state(analysis.get("state"))
        justification = vex_justification(analysis.get("justification"))
        for affected in vuln.get("affects") or []:
            facts.add(
                str(vuln.get("id") or ""),
                str(affected.get("ref") or ""),
                score=score,
                severity=severity,
                state=state,
                justification=justification,
            )
    facts.finish(view)
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

    def component(comp: Any, taken: Mapping[str, Any] | None = None) -> DocComponent:
        ref = comp.get("bom-ref") or _fallback_ref(
            text(comp, "c:name"),
            text(comp, "c:group"),
            text(comp, "c:version"),
            text(comp, "c:purl"),
            taken or {},
        )
        entries: list[tuple[str, str | None]] = []
        for lic in comp.iterfind("c:licenses/*", ns):
            if lic.tag.endswith("expression"):
                entries.append((lic.text or "", lic.get("acknowledgement")))
            else:
                value = text(lic, "c:id") or text(lic, "c:name")
                if value:
                    entries.append((value, lic.get("acknowledgement")))
        sha1 = next(
            (h.text for h in comp.iterfind("c:hashes/c:hash", ns) if h.get("alg") == "SHA-1"), None
        )
        props = {p.get("name"): p.text for p in comp.iterfind("c:properties/c:property", ns)}
        concluded, declared = _cdx_license_fields(entries, props.get("mend:declaredLicense"))
        return DocComponent(
            ref=ref,
            name=text(comp, "c:name") or "",
            group=text(comp, "c:group"),
            version=text(comp, "c:version"),
            purl=text(comp, "c:purl"),
            licenses=tuple(v for v, _ in entries),
            sha1=sha1,
            file_name=props.get("mend:filename"),
            license_concluded=concluded,
            license_declared=declared,
        )

    view = DocView("CycloneDX", version, "xml")
    meta_comp = root.find("c:metadata/c:component", ns)
    view.root = meta_comp.get("bom-ref") if meta_comp is not None else None
    if meta_comp is not None:
        view.root_component = component(meta_comp)
    top_level = root.find("c:components", ns)

    def nested(parent: Any) -> Iterator[Any]:
        """Components and their nested ``components``: not a pedigree's ancestors,
        descendants or variants, which are other versions, not parts of this software."""
        for comp in parent.iterfind("c:component", ns):
            yield comp
            inner = comp.find("c:components", ns)
            if inner is not None:
                yield from nested(inner)

    every = [] if top_level is None else list(nested(top_level))
    for comp in every:
        kind = next(
            (
                p.text
                for p in comp.iterfind("c:properties/c:property", ns)
                if p.get("name") == "mend:kind"
            ),
            None,
        )
        if comp.get("type") == "application" and _mend_structure(kind):
            continue  # the products and projects of sbomgen's own documents
        found = component(comp, view.components)
        view.components[found.ref] = found
    for dep in root.iterfind("c:dependencies/c:dependency", ns):
        view.edges[str(dep.get("ref"))] = [
            str(d.get("ref")) for d in dep.iterfind("c:dependency", ns)
        ]
    _set_top(view)
    facts = _Facts()
    for vuln in root.iterfind("c:vulnerabilities/c:vulnerability", ns):
        vid = text(vuln, "c:id") or ""
        score, severity = _cdx_rating(
            (_score(text(r, "c:score")), _severity(text(r, "c:severity")))
            for r in vuln.iterfind("c:ratings/c:rating", ns)
        )
        state = vex_state(text(vuln, "c:analysis/c:state"))
        justification = vex_justification(text(vuln, "c:analysis/c:justification"))
        for target in vuln.iterfind("c:affects/c:target", ns):
            facts.add(
                vid,
                text(target, "c:ref") or "",
                score=score,
                severity=severity,
                state=state,
                justification=justification,
            )
    facts.finish(view)
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


# -- SPDX 2 --------------------------------------------------------------------------------

# the ids of vulnerabilities in an advisory's URL (where its comment does not list them)
_VULN_ID = re.compile(
    r"\b(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|"
    r"(?:PYSEC|RUSTSEC|GO|OSV|WS|MAL|GSD|DLA|DSA|USN|RHSA|ALSA|ELSA)-\d{4}-[0-9A-Za-z:.-]+)"
)
_SBOMGEN_ADVISORY = re.compile(r"^Advisory of (.+?) \(")


def _advisory_ids(locator: str, comment: str | None) -> list[str]:
    """The vulnerabilities an advisory reference is about: those its comment lists
    (sbomgen's: "Advisory of CVE-…, … (…)"), else the id in its URL."""
    m = _SBOMGEN_ADVISORY.match(comment or "")
    if m:
        return [x.strip() for x in m.group(1).split(",") if x.strip()]
    return list(dict.fromkeys(_VULN_ID.findall(locator or "")))


def _assessment(text: str) -> dict[str, str] | None:
    """A VEX assessment written as an SPDX 2 annotation ("Vulnerability: …", "State: …",
    "Justification: …", "Library: … (purl)" lines, as sbomgen writes them)."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key in ("Vulnerability", "State", "Justification", "Library"):
            fields.setdefault(key, value.strip())
        if line.startswith("Comment in Mend"):
            break  # what follows is a person's text, not the assessment's fields
    if "Vulnerability" not in fields or vex_state(fields.get("State")) is None:
        return None
    return fields


def _own_comment(comment: Any) -> bool:
    """sbomgen's own structure, as its SPDX documents say in the comment: "Mend product",
    "Mend project …", "The … this document describes (Mend)"."""
    text = str(comment or "")
    return text.startswith(("Mend product", "Mend project")) or (
        "this document describes" in text and "(Mend)" in text
    )


def _set_root(view: DocView, own: set[str]) -> None:
    """The described package is the root. It stays a component too where it is a package
    of someone else's (it has a Package URL: ``sbom4python -m …`` describes the module,
    not a product), or where the document has no other component; sbomgen's own root
    (its product or project) never is one."""
    assert view.root is not None
    root = view.components.get(view.root)
    view.root_component = root
    if root is None:
        return
    alone = len(view.components) == 1
    if root.ref in own or not (root.purl or alone):
        view.components.pop(root.ref)


def _spdx_expression(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return None if text in ("NOASSERTION", "NONE", "") else text


# a license list version with a patch number ("3.28.0", as sbom4python writes it), which
# spdx-tools refuses (it reads major.minor); the view does not use it
_LICENSE_LIST_VERSION = re.compile(
    rb"(licenseListVersion[\"']?\s*(?:[:=>]|</?[A-Za-z:]*>)?\s*[\"']?)(\d+\.\d+)\.\d+",
    re.IGNORECASE,
)


def _spdx(data: bytes, fmt: str, version: str) -> DocView:
    from sbomgen.emit.validate import parse_spdx_text

    def major_minor(m: re.Match[bytes]) -> bytes:
        head, value = m.group(1), m.group(2)
        if fmt == "yaml" and not head.endswith((b'"', b"'")):
            return head + b'"' + value + b'"'  # a bare 3.28 would be a YAML number
        return head + value

    data = _LICENSE_LIST_VERSION.sub(major_minor, data)

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
    facts = _Facts()
    own: set[str] = set()
    for pkg in document.packages:
        if _own_comment(pkg.comment):
            own.add(pkg.spdx_id)
        purl = next(
            (r.locator for r in pkg.external_references if r.reference_type == "purl"), None
        )
        sha1 = next((c.value for c in pkg.checksums if c.algorithm.name == "SHA1"), None)
        concluded = _spdx_expression(pkg.license_concluded)
        declared = _spdx_expression(pkg.license_declared)
        licenses = tuple(x for x in (concluded, declared) if x is not None)
        view.components[pkg.spdx_id] = DocComponent(
            ref=pkg.spdx_id,
            name=pkg.name,
            version=pkg.version,
            purl=purl,
            licenses=tuple(dict.fromkeys(licenses)),
            sha1=sha1,
            file_name=pkg.file_name,
            license_concluded=concluded,
            license_declared=declared,
        )
        for external in pkg.external_references:
            if external.reference_type == "advisory":
                for vid in _advisory_ids(external.locator, external.comment):
                    facts.add(vid, pkg.spdx_id)
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
        _set_root(view, own)
    _set_top(view)
    # VEX assessments written as annotations: on the library (every project decided the
    # same), or on a project whose decision differs, naming the library by its purl
    by_purl: dict[str, list[str]] = {}
    for comp in view.components.values():
        if comp.purl:
            by_purl.setdefault(comp.purl, []).append(comp.ref)
    decided: set[tuple[str, str]] = set()
    decided_in: dict[tuple[str, str], set[str]] = {}
    assessed: list[DocVulnerability] = []
    for annotation in document.annotations:
        fields = _assessment(annotation.annotation_comment or "")
        if fields is None:
            continue
        vid, target = fields["Vulnerability"], str(annotation.spdx_id)
        state = vex_state(fields["State"])
        justification = vex_justification(fields.get("Justification"))
        targets = [target]
        if target not in view.components:
            m = re.search(r"\((pkg:[^()\s]+)\)\s*$", fields.get("Library", ""))
            targets = by_purl.get(m.group(1), []) if m else []
            for element in targets:
                decided_in.setdefault((vid, element), set()).add(target)
            targets = targets or [target]
        else:
            decided.add((vid, target))
        for element in targets:
            assessed.append(DocVulnerability(vid, element, None, None, state, justification))
    # an advisory says the vulnerability is there, not that nobody decided
    facts.drop_undecided(view, decided, decided_in)
    for fact in assessed:
        facts.add(fact.id, fact.ref, state=fact.state, justification=fact.justification)
    facts.finish(view)
    return view


# -- SPDX 3 --------------------------------------------------------------------------------

# the local names of sbomgen's own structure above the libraries (as in SPDX 2)
_STRUCTURE = re.compile(r"[#/](SPDXRef-(?:Product|Project|Root)-[^#/]*)$")


def _iri(value: Any) -> str:
    """An element's id, whether the model resolved the reference to an object or not."""
    ident = getattr(value, "_id", None)
    return str(ident if ident is not None else value)


def _spdx3(data: bytes, version: str) -> DocView:
    """SPDX 3 JSON-LD (spdx-python-model's deserializer): packages, their licenses (the
    hasConcludedLicense and hasDeclaredLicense relationships), dependsOn and contains
    edges, vulnerabilities with their CVSS assessments and VEX relationships."""
    from spdx_python_model.bindings import v3_0_1 as m

    objset = m.SHACLObjectSet()
    try:
        m.JSONLDDeserializer().read(io.BytesIO(data), objset)
    except Exception as exc:
        raise InputDataError(
            f"SPDX {version} JSON-LD that spdx-python-model cannot read: {exc}"
        ) from None
    view = DocView("SPDX", version, "json")
    roots = [
        _iri(e) for sbom in objset.foreach_type(m.software_Sbom) for e in sbom.rootElement or []
    ]
    if not roots:
        roots = [
            _iri(e) for doc in objset.foreach_type(m.SpdxDocument) for e in doc.rootElement or []
        ]

    def identifiers(element: Any, kind: str) -> list[str]:
        return [
            str(x.identifier)
            for x in element.externalIdentifier or []
            if x.identifier and _key_word(str(x.externalIdentifierType)) == kind.lower()
        ]

    packages: dict[str, Any] = {}
    own: set[str] = set()
    for pkg in objset.foreach_type(m.software_Package):
        ident = _iri(pkg)
        packages[ident] = pkg
        if _own_comment(getattr(pkg, "comment", None)):
            own.add(ident)
    license_of: dict[tuple[str, str], list[str]] = {}
    vulns: dict[str, str] = {}
    for vuln in objset.foreach_type(m.security_Vulnerability):
        ident = _iri(vuln)
        vid = next(iter(identifiers(vuln, "cve")), None) or vuln.name
        if not vid:
            vid = next(
                (str(getattr(x, "identifier", x)) for x in vuln.externalIdentifier or []), None
            )
        vulns[ident] = str(vid or ident.rsplit("#", 1)[-1])
    ratings: dict[tuple[str, str], list[tuple[float | None, str | None]]] = {}
    associated: list[tuple[str, str]] = []
    # (vulnerability, target, state, justification, the project it is stated for, if the
    # target is the library it assessed)
    decisions: list[tuple[str, str, str | None, str | None, str | None]] = []
    for rel in objset.foreach_type(m.Relationship):
        kind = _key_word(str(rel.relationshipType or ""))
        source = _iri(rel.from_)
        targets = [_iri(t) for t in rel.to or []]
        if kind in ("dependson", "contains"):
            view.edges.setdefault(source, []).extend(targets)
        elif kind in ("hasconcludedlicense", "hasdeclaredlicense"):
            for target in rel.to or []:
                text = _spdx3_license(target)
                if text:
                    license_of.setdefault((source, kind), []).append(text)
        elif kind == "hasassociatedvulnerability":
            associated += [(t, source) for t in targets]
        elif isinstance(
            rel,
            m.security_CvssV2VulnAssessmentRelationship
            | m.security_CvssV3VulnAssessmentRelationship
            | m.security_CvssV4VulnAssessmentRelationship,
        ):
            score = _score(rel.security_score)
            severity = _severity(str(getattr(rel, "security_severity", None) or ""))
            for target in targets:
                ratings.setdefault((source, target), []).append((score, severity))
        elif isinstance(rel, m.security_VexVulnAssessmentRelationship):
            state = vex_state(kind)
            if state is None:
                continue
            justification = None
            if state == "not_affected":
                justification = vex_justification(
                    str(getattr(rel, "security_justificationType", None) or "")
                )
                impact = str(getattr(rel, "security_impactStatement", None) or "")
                if impact.lower().startswith("false positive"):
                    state = "false_positive"  # how sbomgen's SPDX 3 writer says it
            assessed = rel.security_assessedElement
            for target in targets:
                if assessed is None:
                    decisions.append((source, target, state, justification, None))
                else:
                    decisions.append((source, _iri(assessed), state, justification, target))
    for ident, pkg in packages.items():
        if _STRUCTURE.search(ident):
            continue
        purl = pkg.software_packageUrl or next(iter(identifiers(pkg, "packageUrl")), None)
        concluded = _joined(license_of.get((ident, "hasconcludedlicense"), []))
        declared = _joined(license_of.get((ident, "hasdeclaredlicense"), []))
        sha1 = next(
            (
                str(h.hashValue)
                for h in pkg.verifiedUsing or []
                if _key_word(str(getattr(h, "algorithm", "") or "")) == "sha1"
            ),
            None,
        )
        view.components[ident] = DocComponent(
            ref=ident,
            name=str(pkg.name or ""),
            version=pkg.software_packageVersion,
            purl=str(purl) if purl else None,
            licenses=tuple(x for x in dict.fromkeys((concluded, declared)) if x),
            sha1=sha1,
            file_name=None,
            license_concluded=concluded,
            license_declared=declared,
        )
    if len(roots) == 1:
        view.root = roots[0]
        _set_root(view, own)
    _set_top(view)

    facts = _Facts()

    def rated(vuln_iri: str, target: str) -> tuple[float | None, str | None]:
        return _cdx_rating(ratings.get((vuln_iri, target), []))

    decided: set[tuple[str, str]] = set()
    decided_in: dict[tuple[str, str], set[str]] = {}
    for vuln_iri, target, _, _, container in decisions:
        key = (vulns.get(vuln_iri, vuln_iri), target)
        if container is None:
            decided.add(key)
        else:
            decided_in.setdefault(key, set()).add(container)
    for vuln_iri, target in associated:
        score, severity = rated(vuln_iri, target)
        facts.add(vulns.get(vuln_iri, vuln_iri), target, score=score, severity=severity)
    # an association says the vulnerability is there, not that nobody decided
    facts.drop_undecided(view, decided, decided_in)
    for vuln_iri, target, state, justification, _ in decisions:
        score, severity = rated(vuln_iri, target)
        facts.add(
            vulns.get(vuln_iri, vuln_iri),
            target,
            score=score,
            severity=severity,
            state=state,
            justification=justification,
        )
    facts.finish(view)
    return view


def _spdx3_license(target: Any) -> str | None:
    """A license element as an expression: a LicenseExpression's text, a listed license's
    id, a custom license's name; None for NoAssertion and None licenses."""
    expression = getattr(target, "simplelicensing_licenseExpression", None)
    if expression:
        return str(expression)
    ident = _iri(target)
    word = ident.rsplit("/", 1)[-1]
    if word in ("NoAssertionLicense", "NoneLicense"):
        return None
    if ident.startswith(("https://spdx.org/licenses/", "http://spdx.org/licenses/")):
        return word
    name = getattr(target, "name", None)
    return str(name) if name else None


# -- sbomgen's own model -------------------------------------------------------------------


def read_inventory(inventory: Inventory) -> DocView:
    """The view of sbomgen's enriched inventory (a snapshot or a live scope), as sbomgen's
    CycloneDX documents state it: each library a component (bom-ref ``mend-lib:<keyUuid>``,
    named and grouped as there), the projects' dependency edges, each vulnerability with its
    CVSS scores and each project's VEX decision (one fact per distinct decision, an active
    alert a fact without a state)."""
    from packageurl import PackageURL

    from sbomgen.enrich.vex import per_project
    from sbomgen.model import NOASSERTION

    view = DocView("sbomgen", "inventory", "model")

    def ref(key: str) -> str:
        return f"mend-lib:{key}"

    for key, lib in sorted(inventory.libraries.items()):
        group, name = None, lib.name or lib.artifact_id or lib.filename or key
        if lib.purl:
            try:
                parsed = PackageURL.from_string(lib.purl)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.type in ("maven", "npm", "golang", "github"):
                group, name = parsed.namespace or None, parsed.name
        decision = lib.license
        concluded = declared = None
        if decision is not None:
            concluded = None if decision.concluded == NOASSERTION else decision.concluded
            declared = None if decision.declared == NOASSERTION else decision.declared
        view.components[ref(key)] = DocComponent(
            ref=ref(key),
            name=name,
            group=group,
            version=lib.version,
            purl=lib.purl,
            licenses=tuple(x for x in dict.fromkeys((concluded, declared)) if x),
            sha1=lib.sha1,
            file_name=lib.filename,
            license_concluded=concluded,
            license_declared=declared,
        )
    for project in inventory.projects.values():
        for edge in project.edges:
            child = ref(edge.child)
            if edge.parent is None:
                if child not in view.top:
                    view.top.append(child)
                continue
            children = view.edges.setdefault(ref(edge.parent), [])
            if child not in children:
                children.append(child)
    if not view.top:
        depended = {c for children in view.edges.values() for c in children}
        view.top = [r for r in view.components if r not in depended]
    facts = _Facts()
    for key, lib in sorted(inventory.libraries.items()):
        for vuln in lib.vulnerabilities:
            v2 = (vuln.severity or "").lower()
            score = _max_score((vuln.cvss3_score, vuln.score))
            severity = _highest(
                (severity_of_score(vuln.cvss3_score), v2 if v2 in SEVERITIES else None)
            ) or severity_of_score(score)
            for analysis in dict.fromkeys(per_project(lib, vuln.id).values()):
                facts.add(
                    vuln.id,
                    ref(key),
                    score=score,
                    severity=severity,
                    state=analysis.state if analysis else None,
                    justification=analysis.justification if analysis else None,
                )
    facts.finish(view)
    return view
