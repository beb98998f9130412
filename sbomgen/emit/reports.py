"""Reports about an inventory, for people (text) and machines (JSON).

``sbomgen inventory`` prints :func:`inventory_text` or :func:`inventory_json`; the run
summary of ``generate --summary-json`` reuses :func:`inventory_counts` and
:func:`findings_by_kind`. The JSON shapes are documented in ``docs/cli-json.md`` and
checked by the JSON Schemas in ``sbomgen/schemas/cli/``; a change to them is a new
``schema`` value, never a silent one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sbomgen.model import NOASSERTION, Inventory, Library

INVENTORY_SCHEMA = "sbomgen-inventory/1"

ATTENTION = (
    ("purl-missing", "Libraries without a purl"),
    ("purl-file-only", "Libraries identified only by their file (generic purl with sha1)"),
    ("license-missing", "Libraries without a license (NOASSERTION)"),
    ("license-suspected", "Libraries with licenses Mend only suspected"),
    ("license-inferred", "Libraries with an inferred license choice"),
    ("license-unmapped", "Mend licenses without an SPDX id (emitted as LicenseRef)"),
    ("license-mapped", "Licenses mapped by the license map"),
    ("curation", "Curations applied"),
    ("curation-unused", "Curations that matched no library"),
    ("text-missing", "License texts missing"),
    ("vex-unclassified", "Ignored alerts whose comment says no state sbomgen can read"),
    ("vex-mapped", "Decisions set by the --vex-map"),
)

COUNT_LABELS = (
    ("products", "products"),
    ("projects", "projects"),
    ("libraries", "libraries"),
    ("direct", "  direct (in at least one project)"),
    ("transitive_only", "  transitive only"),
    ("in_house", "  in-house"),
    ("licenses", "licenses (as Mend names them)"),
    ("license_expressions", "license expressions (concluded)"),
    ("without_purl", "libraries without a purl"),
    ("without_license", "libraries without a license"),
    ("vulnerabilities", "vulnerabilities (distinct ids)"),
    ("vulnerable_libraries", "vulnerable libraries"),
)


def concluded(lib: Library) -> str:
    return lib.license.concluded if lib.license else NOASSERTION


def inventory_counts(inv: Inventory) -> dict[str, int]:
    libs = list(inv.libraries.values())
    direct = sum(1 for lib in libs if lib.direct_anywhere)
    vulns = {(v.id, lib.key_uuid) for lib in libs for v in lib.vulnerabilities}
    return {
        "products": len(inv.products),
        "projects": len(inv.projects),
        "libraries": len(libs),
        "direct": direct,
        "transitive_only": len(libs) - direct,
        "in_house": sum(1 for lib in libs if lib.in_house),
        "licenses": len({lic.name for lib in libs for lic in lib.licenses}),
        "license_expressions": len({concluded(lib) for lib in libs}),
        "without_purl": sum(1 for lib in libs if not lib.purl),
        "without_license": sum(1 for lib in libs if concluded(lib) == NOASSERTION),
        "vulnerabilities": len({v for v, _ in vulns}),
        "vulnerable_libraries": len({k for _, k in vulns}),
    }


def expression_counts(inv: Inventory) -> list[tuple[str, int]]:
    counts = Counter(concluded(lib) for lib in inv.libraries.values())
    return sorted(counts.items(), key=lambda x: (-x[1], x[0]))


def findings_by_kind(inv: Inventory) -> dict[str, list[str]]:
    """Every attention kind (also the empty ones, so a machine sees a stable set), with
    its distinct messages sorted; kinds outside the known set follow under their name."""
    by_kind: dict[str, set[str]] = {kind: set() for kind, _ in ATTENTION}
    for finding in inv.findings:
        by_kind.setdefault(finding.kind, set()).add(finding.message)
    return {kind: sorted(messages) for kind, messages in by_kind.items()}


def _library(inv: Inventory, lib: Library) -> dict[str, Any]:
    decision = lib.license
    return {
        "key_uuid": lib.key_uuid,
        "name": lib.name,
        "version": lib.version,
        "mend_type": lib.type,
        "language": lib.language_type,
        "purl": lib.purl,
        "purl_problem": lib.purl_problem,
        "license_declared": decision.declared if decision else NOASSERTION,
        "license_concluded": decision.concluded if decision else NOASSERTION,
        "mend_licenses": sorted(lic.name for lic in lib.licenses),
        "in_house": lib.in_house,
        "direct": lib.direct_anywhere,
        "projects": sorted({inv.projects[t].name for t in lib.projects if t in inv.projects}),
        "vulnerabilities": sorted({v.id for v in lib.vulnerabilities}),
    }


def inventory_json(inv: Inventory, source: str) -> dict[str, Any]:
    from sbomgen.enrich.purl import purl_counts
    from sbomgen.enrich.vex import analysis_counts

    return {
        "schema": INVENTORY_SCHEMA,
        "source": source,
        "organization": inv.org_name,
        "counts": inventory_counts(inv),
        "license_expressions": [
            {"expression": e, "libraries": n} for e, n in expression_counts(inv)
        ],
        "vulnerabilities_by_analysis": analysis_counts(inv),
        "purls_by_mend_type": [
            {
                "mend_type": c.mend_type,
                "built": c.built,
                "missing": c.missing,
                "file_only": c.file_only,
                "reasons": dict(sorted(c.reasons.items())),
            }
            for c in purl_counts(inv)
        ],
        "findings": [
            {"kind": kind, "messages": messages} for kind, messages in findings_by_kind(inv).items()
        ],
        # names only: tokens are identifiers sbomgen keeps out of what it writes
        "products": [
            {
                "name": p.name,
                "projects": sorted(inv.projects[t].name for t in p.projects if t in inv.projects),
            }
            for p in sorted(inv.products.values(), key=lambda p: (p.name, p.token))
        ],
        "projects": [
            {"name": p.name, "product": p.product_name}
            for p in sorted(inv.projects.values(), key=lambda p: (p.name, p.token))
        ],
        "libraries": [
            _library(inv, lib)
            for lib in sorted(inv.libraries.values(), key=lambda x: (x.display_name, x.key_uuid))
        ],
    }


def inventory_text(inv: Inventory) -> str:
    counts = inventory_counts(inv)
    width = max(len(label) for _, label in COUNT_LABELS)
    lines = [f"{'what':<{width}}  count", f"{'-' * width}  -----"]
    lines += [f"{label:<{width}}  {counts[key]:>5}" for key, label in COUNT_LABELS]
    lines.append(_analysis_text(inv))
    lines.append(_purl_text(inv))
    lines.append(_attention_text(inv))
    return "\n".join(lines)


ANALYSIS_LABELS = {
    "none": "active: nobody decided",
    "in_triage": "in triage (a comment sbomgen could not read)",
    "not_affected": "not affected",
    "false_positive": "false positive",
    "exploitable": "exploitable (risk accepted, will not fix)",
    "resolved": "resolved",
}


def _analysis_text(inv: Inventory) -> str:
    """Vulnerability decisions by state: what people decided in Mend (ignored alerts)."""
    from sbomgen.enrich.vex import analysis_counts

    counts = analysis_counts(inv)
    width = max(len(label) for label in ANALYSIS_LABELS.values())
    lines = [
        "",
        "Vulnerabilities by analysis (per library, vulnerability and project)",
        f"{'state':<{width}}  count",
        f"{'-' * width}  -----",
    ]
    lines += [
        f"{label:<{width}}  {counts.get(state, 0):>5}" for state, label in ANALYSIS_LABELS.items()
    ]
    return "\n".join(lines)


def _purl_text(inv: Inventory) -> str:
    """Package URLs per Mend type: how many were built, and why the others were not."""
    from sbomgen.enrich.purl import purl_counts

    counts = purl_counts(inv)
    width = max([len("Mend type"), *(len(c.mend_type) for c in counts)])
    lines = [
        "",
        "Package URLs per Mend type",
        f"{'Mend type':<{width}}  built  missing  file only",
        f"{'-' * width}  -----  -------  ---------",
    ]
    for c in counts:
        lines.append(f"{c.mend_type:<{width}}  {c.built:>5}  {c.missing:>7}  {c.file_only:>9}")
        for reason, n in c.reasons.items():
            if reason.startswith("file only: "):
                lines.append(f"{'':<{width}}    {n} by file only: {reason[11:]}")
            else:
                lines.append(f"{'':<{width}}    {n} without: {reason}")
    return "\n".join(lines)


def _attention_text(inv: Inventory) -> str:
    expressions = expression_counts(inv)
    width = max((len(e) for e, _ in expressions), default=10)
    lines = [
        "",
        f"{'license expression (concluded)':<{width}}  libraries",
        f"{'-' * width}  ---------",
    ]
    lines += [f"{e:<{width}}  {n:>9}" for e, n in expressions]
    by_kind = findings_by_kind(inv)
    for kind, title in ATTENTION:
        messages = by_kind.get(kind, [])
        lines += ["", f"{title}: {len(messages)}"]
        lines += [f"  - {m}" for m in messages]
    return "\n".join(lines)
