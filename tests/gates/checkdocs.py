"""Small real SBOM files for ``sbomgen check``'s tests, and the way the tests run it: the
CLI in a subprocess, every JSON report checked against its published schema."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from conftest import CliResult, run_cli

SCHEMA = json.loads(
    resources.files("sbomgen").joinpath("schemas/sbomgen-check-1.schema.json").read_text()
)
DATE = "2026-03-01"  # every run passes its date: nothing depends on today


def lic(value: str | Sequence[str] | None) -> list[dict[str, Any]]:
    """CycloneDX licenses: an expression, or a list of ids/names (one entry each)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [{"expression": value}]
    out: list[dict[str, Any]] = []
    for item in value:
        key = "id" if " " not in item and ":" not in item else "name"
        out.append({"license": {key: item}})
    return out


def component(
    ref: str,
    licenses: str | Sequence[str] | None = None,
    *,
    purl: str | None = None,
    version: str = "1.0.0",
    name: str | None = None,
) -> dict[str, Any]:
    comp: dict[str, Any] = {
        "type": "library",
        "bom-ref": ref,
        "name": name or ref,
        "version": version,
        "purl": purl or f"pkg:npm/{name or ref}@{version}",
    }
    if licenses is not None:
        comp["licenses"] = lic(licenses)
    return comp


def vulnerability(
    vid: str,
    ref: str,
    *,
    severity: str | None = None,
    score: float | None = None,
    state: str | None = None,
    justification: str | None = None,
) -> dict[str, Any]:
    vuln: dict[str, Any] = {"bom-ref": f"{vid}-{ref}", "id": vid, "affects": [{"ref": ref}]}
    rating: dict[str, Any] = {}
    if score is not None:
        rating.update(score=score, method="CVSSv31")
    if severity is not None:
        rating["severity"] = severity
    if rating:
        vuln["ratings"] = [rating]
    if state is not None:
        vuln["analysis"] = {"state": state}
        if justification:
            vuln["analysis"]["justification"] = justification
    return vuln


def cyclonedx(
    path: Path,
    components: Iterable[Mapping[str, Any]],
    vulnerabilities: Iterable[Mapping[str, Any]] = (),
) -> Path:
    comps = list(components)
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {"component": {"type": "application", "name": "app", "bom-ref": "app"}},
        "components": comps,
        "dependencies": [
            {"ref": "app", "dependsOn": [c["bom-ref"] for c in comps]},
            *({"ref": c["bom-ref"]} for c in comps),
        ],
        "vulnerabilities": list(vulnerabilities),
    }
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def spdx(path: Path, packages: Iterable[tuple[str, str, str]]) -> Path:
    """SPDX 2.3 JSON; each package (name, licenseConcluded, licenseDeclared)."""
    pkgs = []
    for name, concluded, declared in packages:
        pkgs.append(
            {
                "SPDXID": f"SPDXRef-{name}",
                "name": name,
                "versionInfo": "1.0.0",
                "downloadLocation": "NOASSERTION",
                "filesAnalyzed": False,
                "licenseConcluded": concluded,
                "licenseDeclared": declared,
                "copyrightText": "NOASSERTION",
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": f"pkg:npm/{name}@1.0.0",
                    }
                ],
            }
        )
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "app",
        "documentNamespace": "https://example.invalid/spdx/app-1",
        "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: test"]},
        "packages": pkgs,
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": p["SPDXID"],
            }
            for p in pkgs
        ],
    }
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def write_policy(directory: Path, text: str, name: str = "policy.toml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def run_check(*args: str | Path, date: str = DATE) -> tuple[CliResult, dict[str, Any]]:
    """``sbomgen check --format json``: the result and the report, checked against the
    schema (an empty report when the run failed before writing one)."""
    result = run_cli("check", "--format", "json", "--date", date, *args)
    report: dict[str, Any] = {}
    if result.stdout.strip():
        report = json.loads(result.stdout)
        jsonschema.Draft202012Validator(SCHEMA).validate(report)
    return result, report


def by_ref(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["ref"]: c for c in report["components"]}
