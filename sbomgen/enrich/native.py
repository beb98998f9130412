"""Mend's native SBOM next to sbomgen's assembled model: which component is which library,
and an inventory that adds to the native report what it lacks, each added fact marked.

Matching, most certain first: the SHA-1 (Mend identifies a library by it), the file name
with the version (Mend's native bom-refs and SPDX ids are file names), the Package URL,
then the name with the version. A library matches one component at most.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from sbomgen.enrich.purl_spec import PurlError, canonical
from sbomgen.enrich.texts import symbols_of
from sbomgen.model import (
    NOASSERTION,
    Edge,
    FactSource,
    Inventory,
    KeyUuid,
    Library,
    MendLicense,
    Occurrence,
)
from sbomgen.sources.documents import DocComponent, DocView

NATIVE = "mend-native-report"
ASSEMBLED = "sbomgen-assembled"
FACTS = (
    "component",
    "version",
    "purl",
    "license",
    "copyright",
    "license-text",
    "evidence",
    "dependencies",
)


def _purl(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return canonical(value)
    except PurlError:
        return value


def _norm(value: str | None) -> str:
    return (value or "").strip().lower()


@dataclass(frozen=True)
class Match:
    pairs: Mapping[str, KeyUuid]  # native component ref -> library key
    only_native: tuple[str, ...]
    only_assembled: tuple[KeyUuid, ...]


def match(view: DocView, inventory: Inventory) -> Match:
    libs = sorted(inventory.libraries.values(), key=lambda x: x.key_uuid)
    free = {lib.key_uuid: lib for lib in libs}
    pairs: dict[str, KeyUuid] = {}

    def take(comp: DocComponent, found: Iterable[Library]) -> bool:
        for lib in found:
            if lib.key_uuid in free:
                pairs[comp.ref] = lib.key_uuid
                del free[lib.key_uuid]
                return True
        return False

    keys: tuple[Callable[[DocComponent, Library], bool], ...] = (
        lambda c, lib: bool(c.sha1) and _norm(c.sha1) == _norm(lib.sha1),
        lambda c, lib: (
            bool(lib.filename)
            and _norm(lib.filename) in (_norm(c.file_name), _norm(c.name))
            and _norm(c.version) == _norm(lib.version)
        ),
        lambda c, lib: bool(c.purl) and _purl(c.purl) == _purl(lib.purl),
        lambda c, lib: (
            _norm(c.name) in (_norm(lib.name), _norm(lib.artifact_id))
            and bool(c.name)
            and _norm(c.version) == _norm(lib.version)
        ),
    )
    pending = sorted(view.components.values(), key=lambda c: c.ref)
    for rule in keys:
        rest = []
        for comp in pending:
            if not take(comp, (lib for lib in free.values() if rule(comp, lib))):
                rest.append(comp)
        pending = rest
    return Match(
        pairs=pairs,
        only_native=tuple(c.ref for c in pending),
        only_assembled=tuple(sorted(free)),
    )


def assembled_depths(inventory: Inventory) -> dict[KeyUuid, int]:
    """Each library's shallowest level in any project: 0 for a direct dependency."""
    depth: dict[KeyUuid, int] = {}
    for project in inventory.projects.values():
        children: dict[KeyUuid | None, list[KeyUuid]] = {}
        for edge in project.edges:
            children.setdefault(edge.parent, []).append(edge.child)
        level = [(c, 0) for c in children.get(None, [])]
        seen: set[KeyUuid] = set()
        while level:
            key, d = level.pop(0)
            if key in seen:
                continue
            seen.add(key)
            if d < depth.get(key, 1 << 30):
                depth[key] = d
            level.extend((c, d + 1) for c in children.get(key, []))
    return depth


def license_symbols(values: Iterable[str]) -> set[str]:
    """The license ids of what a document states, normalized as sbomgen normalizes Mend's
    (deprecated ids to their current form); a name that is no SPDX expression stays whole."""
    from sbomgen.enrich.licenses import normalize_expression

    out: set[str] = set()
    for value in values:
        if value in (NOASSERTION, "NONE"):
            continue
        normalized = normalize_expression(value)
        if normalized is None or normalized == NOASSERTION:
            out.add(value)
        else:
            out.update(symbols_of(normalized))
    return out


def enrich_with_native(
    view: DocView,
    inventory: Inventory,
    *,
    enrich: Callable[[Inventory], Inventory],
) -> Inventory:
    """The (enriched) assembled inventory, each library marked with where each of its
    facts comes from: the native report when it has the fact, sbomgen's assembled model
    otherwise; plus the native report's components the assembled model lacks, taken from
    the report (``enrich`` normalizes their licenses) and marked as the report's."""
    result = match(view, inventory)
    by_key = {k: ref for ref, k in result.pairs.items()}
    native_depths = view.depths()
    native_max = max(native_depths.values(), default=-1)
    parents = {e.parent for p in inventory.projects.values() for e in p.edges if e.parent}
    libraries: dict[KeyUuid, Library] = {}
    for key, lib in inventory.libraries.items():
        ref = by_key.get(key)
        comp = view.components.get(ref) if ref else None
        concluded = lib.license.concluded if lib.license else NOASSERTION
        depth = native_depths.get(ref) if ref else None
        # (fact, what the native report says or None, does it agree, assembled has it)
        facts: list[tuple[str, str | None, bool, bool]] = [
            ("component", comp.ref if comp else None, True, True),
            (
                "version",
                comp.version if comp else None,
                comp is not None and comp.version == lib.version,
                bool(lib.version),
            ),
            (
                "purl",
                comp.purl if comp else None,
                comp is not None and _purl(comp.purl) == _purl(lib.purl),
                bool(lib.purl),
            ),
            (
                "license",
                ", ".join(comp.licenses) if comp and comp.licenses else None,
                comp is not None and license_symbols(comp.licenses) == set(symbols_of(concluded)),
                concluded != NOASSERTION,
            ),
            ("copyright", None, False, bool(lib.copyrights)),
            ("license-text", None, False, concluded != NOASSERTION),
            (
                "evidence",
                comp.sha1 if comp else None,
                comp is not None and _norm(comp.sha1) == _norm(lib.sha1),
                bool(lib.sha1 or lib.locations),
            ),
            # at the report's deepest level it cannot show what a library depends on
            (
                "dependencies",
                "shown"
                if depth is not None and (depth < native_max or key not in parents)
                else None,
                True,
                True,
            ),
        ]
        marks = []
        for fact, native, agrees, assembled in facts:
            if native is not None and agrees:
                marks.append(FactSource(fact=fact, source=NATIVE))
            elif assembled:
                note = f"the native report says {native}" if native is not None else ""
                marks.append(FactSource(fact=fact, source=ASSEMBLED, note=note))
        libraries[key] = replace(lib, fact_sources=tuple(marks))
    projects = dict(inventory.projects)
    first = min(projects, default=None)
    added: dict[KeyUuid, Library] = {}
    for ref in result.only_native:
        comp = view.components[ref]
        key = KeyUuid(f"native:{ref}")
        occurrences: tuple[Occurrence, ...] = ()
        if first is not None:
            project = projects[first]
            occurrences = (Occurrence(product=project.product, project=first, direct=True),)
            projects[first] = replace(project, edges=(*project.edges, Edge(parent=None, child=key)))
        stated = ["component", "version", "license", "evidence"]
        if comp.purl:
            stated.append("purl")
        added[key] = Library(
            key_uuid=key,
            name=comp.name,
            group_id=comp.group,
            version=comp.version,
            sha1=comp.sha1,
            filename=comp.file_name,
            purl=_purl(comp.purl),
            licenses=tuple(MendLicense(name=x) for x in comp.licenses),
            occurrences=occurrences,
            fact_sources=tuple(FactSource(fact=f, source=NATIVE) for f in stated),
        )
    if added:
        enriched = enrich(Inventory(libraries=added, license_texts=inventory.license_texts))
        libraries.update(enriched.libraries)
        findings = (*inventory.findings, *enriched.findings)
    else:
        findings = inventory.findings
    return replace(inventory, projects=projects, libraries=libraries, findings=findings)
