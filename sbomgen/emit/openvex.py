"""OpenVEX 0.2.0 (``--format openvex``): what people decided in Mend, one statement per
vulnerability and product.

A decision is an ignored alert in Mend, its comment read as a CycloneDX impact analysis by
:mod:`sbomgen.enrich.vex`; an active alert nobody decided about is left out. The
CycloneDX analysis maps onto OpenVEX so:

=================  ======================  =============================================
CycloneDX state    OpenVEX status          and
=================  ======================  =============================================
not_affected       not_affected            ``justification`` (the table below) when the
                                           analysis has one; ``impact_statement``: the
                                           comment (verbatim)
false_positive     not_affected            ``impact_statement``: "False positive: "
                                           followed by the comment
exploitable        affected                ``action_statement``: the comment (OpenVEX
                                           requires one; without a comment, the response)
resolved           fixed                   ``status_notes``: the comment
in_triage          under_investigation     ``status_notes``: the comment
=================  ======================  =============================================

Justifications: code_not_present → vulnerable_code_not_present; code_not_reachable →
vulnerable_code_not_in_execute_path; requires_* →
vulnerable_code_cannot_be_controlled_by_adversary; protected_* →
inline_mitigations_already_exist.

The product of a statement is the library: its package URL as ``@id`` (and as
``identifiers.purl``), its SHA-1 in ``hashes`` when Mend knows it. A library without a
package URL is named by the BOM-Link of its component in the CycloneDX JSON SBOM sbomgen
writes for the same scope (``urn:cdx:<serial>/<version>#mend-lib:<keyUuid>``, see
:mod:`sbomgen.emit.cyclonedx_vex`). Where projects decided differently about the same
library, each decision is stated for the project (the BOM-Link of its SBOM component) with
the library as its subcomponent.

The document is checked against the OpenVEX 0.2.0 JSON schema (sbomgen/schemas/) before
it is returned. OpenVEX requires at least one statement: a scope where nobody decided
anything gets no OpenVEX document (a warning says so). ``@id`` is a ``urn:uuid`` derived
from the content, so equal input gives byte-identical documents.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from sbomgen import __version__
from sbomgen.emit.cyclonedx import PROVISIONAL_UUID, _serialized, node_ref
from sbomgen.emit.cyclonedx_vex import SbomIdentity, SbomLinks, json_bytes, problems_shown
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.plan import ROOT, DocumentPlan, plan_document
from sbomgen.errors import ValidationFailedError
from sbomgen.model import Analysis, Inventory, Library, ProjectToken, Vulnerability

log = logging.getLogger(__name__)

CONTEXT = "https://openvex.dev/ns/v0.2.0"
SCHEMA_FILE = "openvex-0.2.0.schema.json"
SUFFIX = ".openvex.json"

STATUS = {
    "not_affected": "not_affected",
    "false_positive": "not_affected",
    "exploitable": "affected",
    "resolved": "fixed",
    "in_triage": "under_investigation",
}
JUSTIFICATION = {
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}
# an action statement when the person wrote no comment, from the CycloneDX response
RESPONSE_ACTIONS = {
    "can_not_fix": "No fix can be made; the risk is accepted.",
    "will_not_fix": "The risk is accepted; no fix is planned.",
    "update": "Update to a version without the vulnerability.",
    "rollback": "Roll back to a version without the vulnerability.",
    "workaround_available": "A workaround is available.",
}
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
_HTTP = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


@lru_cache(maxsize=1)
def _validator() -> Any:
    """jsonschema-rs over the official OpenVEX 0.2.0 schema, with its formats checked."""
    import jsonschema_rs

    text = (resources.files("sbomgen") / "schemas" / SCHEMA_FILE).read_text("utf-8")
    return jsonschema_rs.validator_for(json.loads(text), validate_formats=True)


def openvex_problems(doc: Any) -> list[str]:
    """Every problem the OpenVEX 0.2.0 schema finds in a parsed document, by JSON path."""
    from sbomgen.emit.validate import json_path

    return [
        f"at {json_path(e.instance_path)}: {e.message[:300]}" for e in _validator().iter_errors(doc)
    ]


def _vulnerability(vuln: Vulnerability) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if vuln.id.startswith("CVE-"):
        out["@id"] = f"https://nvd.nist.gov/vuln/detail/{vuln.id}"
    elif vuln.url and _HTTP.fullmatch(vuln.url.strip()):
        out["@id"] = vuln.url.strip()
    out["name"] = vuln.id
    return out


def _library(lib: Library, sbom: SbomIdentity) -> dict[str, Any]:
    """A library as an OpenVEX component: its purl, else the BOM-Link into the SBOM."""
    out: dict[str, Any] = {}
    if lib.purl:
        out["@id"] = lib.purl
        out["identifiers"] = {"purl": lib.purl}
    else:
        out["@id"] = sbom.link(node_ref(f"lib:{lib.key_uuid}"))
    if lib.sha1 and _SHA1.fullmatch(lib.sha1):
        out["hashes"] = {"sha1": lib.sha1.lower()}
    return out


def statement_fields(analysis: Analysis, comment: str | None) -> dict[str, str]:
    """status and what goes with it, for one decision (the mapping in the module doc)."""
    text = comment if comment and comment.strip() else None
    status = STATUS[analysis.state]
    out = {"status": status}
    if analysis.state == "not_affected":
        justification = JUSTIFICATION.get(analysis.justification or "")
        if justification:
            out["justification"] = justification
        if text is not None:
            out["impact_statement"] = text
        elif not justification:
            out["impact_statement"] = "Not affected, as a person decided in Mend (no comment)."
    elif analysis.state == "false_positive":
        out["impact_statement"] = "False positive" + (f": {text}" if text is not None else ".")
    elif analysis.state == "exploitable":
        actions = [RESPONSE_ACTIONS[r] for r in analysis.responses if r in RESPONSE_ACTIONS]
        out["action_statement"] = text or " ".join(actions) or "Affected; no action was given."
    elif text is not None:  # resolved, in_triage
        out["status_notes"] = text
    return out


def statements(plan: DocumentPlan, sbom: SbomIdentity) -> list[dict[str, Any]]:
    """One statement per vulnerability and product, sorted. A library whose projects all
    decided the same is the product; where they differ, each project that decided is a
    product with the library as its subcomponent."""
    from sbomgen.enrich.vex import per_project

    def project_ref(token: ProjectToken | None) -> str | None:
        if token is None:
            return None
        if plan.root_kind == "project" and str(token) == plan.root_token:
            return node_ref(ROOT)
        return node_ref(f"project:{token}")

    found: dict[str, dict[str, Any]] = {}
    for lib in plan.libraries:
        comments = {(t.vulnerability, t.project): t.comment for t in lib.triage}
        component = _library(lib, sbom)
        for vuln in lib.vulnerabilities:
            by_decision: dict[tuple[Analysis | None, str | None], list[ProjectToken | None]] = {}
            for project, analysis in per_project(lib, vuln.id).items():
                comment = None
                if analysis is not None:
                    comment = comments.get((vuln.id, project), comments.get((vuln.id, None)))
                by_decision.setdefault((analysis, comment), []).append(project)
            uniform = len(by_decision) == 1  # as sbomgen.emit.plan.vulnerability_statements
            for (analysis, comment), projects in by_decision.items():
                if analysis is None:  # an active alert: nobody decided
                    continue
                refs = sorted({r for r in map(project_ref, projects) if r is not None})
                if uniform or not refs:
                    products = [component]
                else:
                    products = [
                        {"@id": sbom.link(ref), "subcomponents": [component]} for ref in refs
                    ]
                for product in products:
                    statement = {
                        "vulnerability": _vulnerability(vuln),
                        "products": [product],
                        **statement_fields(analysis, comment),
                    }
                    found.setdefault(json.dumps(statement, sort_keys=True), statement)

    def order(statement: dict[str, Any]) -> tuple[str, str, str, str]:
        product = statement["products"][0]
        sub = (product.get("subcomponents") or [{}])[0].get("@id", "")
        return (statement["vulnerability"]["name"], product["@id"], sub, statement["status"])

    return sorted(found.values(), key=lambda s: (order(s), json.dumps(s, sort_keys=True)))


def _timestamp(meta: DocumentMeta) -> str:
    return meta.timestamp.isoformat().replace("+00:00", "Z")


class OpenVex(Emitter):
    """``<stem>.openvex.json``: the decisions as OpenVEX 0.2.0 statements."""

    name = "openvex"

    def __init__(self, links: SbomLinks) -> None:
        self.links = links

    def document(
        self, inventory: Inventory, meta: DocumentMeta
    ) -> tuple[dict[str, Any] | None, list[str]]:
        """The document (with the provisional @id), or None when nobody decided anything,
        and its problems."""
        plan = plan_document(inventory, meta, exclude_in_house=self.links.exclude_in_house)
        if not any(lib.triage for lib in plan.libraries):
            return None, []
        sbom = self.links.identity(inventory, meta)
        found = statements(plan, sbom)
        if not found:
            return None, []
        doc = {
            "@context": CONTEXT,
            # before any value a person gave: the first occurrence of the provisional UUID
            "@id": PROVISIONAL_UUID.urn,
            "author": meta.supplier or "sbomgen",
            "timestamp": _timestamp(meta),
            "version": 1,
            "tooling": f"sbomgen {__version__}",
            "statements": found,
        }
        problems = openvex_problems(doc)
        for i, statement in enumerate(found):
            for j, product in enumerate(statement["products"]):
                for k, part in enumerate([product, *product.get("subcomponents", ())]):
                    ident = part["@id"]
                    if ident.startswith("urn:cdx:") and not sbom.resolves(ident):
                        where = f"$.statements[{i}].products[{j}]" + (
                            f".subcomponents[{k - 1}]" if k else ""
                        )
                        problems.append(f"at {where}: {ident!r} names no bom-ref of {sbom.name}")
        return doc, problems

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        name = f"{meta.file_stem}{SUFFIX}"
        doc, problems = self.document(inventory, meta)
        if problems:
            raise ValidationFailedError(
                f"{name} (OpenVEX 0.2.0) failed validation, nothing was written: "
                f"{problems_shown(problems)}"
            )
        if doc is None:
            log.warning(
                "%s: no vulnerability in %s has a decision made in Mend (an ignored alert), "
                "and an OpenVEX document needs at least one statement: not written",
                name,
                meta.name,
            )
            return {}
        return {name: _serialized(json_bytes(doc))}
