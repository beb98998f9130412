"""The emulator's asynchronous reports: every documented status, the ambiguities served both
ways (switches in :class:`AsyncOptions`), and report content built from the dataset.

Native SBOMs look the way public evidence shows Mend's (see the notes cited below), and
differ from sbomgen's own where Mend's do: a component's ``bom-ref`` and the SPDX id are
built from the library's file name, licenses are the SPDX id Mend resolved (else Mend's
name), purls are formed only for the common package types, no copyrights are given, and
a CycloneDX SBOM stops at ``maxDepthLevel`` (documented default 0: the top level only).
What no public evidence shows (the CycloneDX 1.4 ``tools`` form, the vulnerabilities
section, how a report is split across files) is the emulator's choice, schema-valid.

Sources: reports-async-api.md; /work/notes/native-sbom/REPORT.md (real excerpts: tool
"CycloneDX report generator" by "Mend.io", bom-ref = file name, SPDX "Tool: Mend SPDX
Report Generator", namespace https://mend.io/spdx/doc/…); /work/notes/async-reading.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sbomgen.emulator.dataset import Dataset, ProjectData

JsonObject = dict[str, Any]
NAMESPACE = uuid.UUID("2f8a1c3e-7b5d-4e9f-a1c2-3d4e5f6a7b8c")

TERMINAL = ("SUCCESS", "FAILED")


@dataclass(frozen=True)
class AsyncOptions:
    """How the emulator reads the async reports' ambiguities (see the module's notes).

    * ``sequence``: the status a job has after generate, then after each poll (staying at
      the last one: a sequence that ends before SUCCESS or FAILED never finishes).
    * ``product_sbom_token``: the ProductSBOMReport table names ``projectToken`` for the
      product, the example ``productToken``: ``productToken``, ``projectToken`` or ``either``.
    * ``product_sbom_sync``: "The response is the requested report file": ``off`` (an
      asyncProcessStatus, as every other generate call), ``file`` or ``zip`` (the report in
      the generate answer).
    * ``download_layout``: ``zip-one`` (a zip with the report), ``zip-many`` (the report
      split across several files: one per project, or in parts), ``bare`` (the file).
    * ``hostile_zip``: a case of :func:`hostile_cases` (those of
      :mod:`sbomgen.emulator.hostile` and the archive-wide ones here) served as the download.
    * ``product_admin``: may a product admin poll and download? ``refuse`` (status and
      download are organization calls), ``own`` (jobs they created), ``any``.
    * ``context_id``: ``string`` or ``number`` (the examples show both); ``dates``:
      ``padded`` ("2023-03-13 21:45:21") or ``unpadded`` ("2022-4-15 11:45:20").
    * ``format_rule`` and ``max_depth_spdx``: see :class:`sbomgen.sources.contract.ReportRules`.
    * ``spdx_underscores``: keep ``_`` of file names in SPDX ids (invalid ids, as older
      Mend-family exporters wrote), so that a client's validation has to catch it.
    * ``failure_reason``: the text a FAILED status carries (under ``errorMessage``, the
      key of Mend's other error answers; the reference names none, and by default the
      emulator gives none, as A2 of the async reading says). See :func:`status_extra`.
    """

    sequence: tuple[str, ...] = ("PENDING", "IN_PROGRESS", "SUCCESS")
    product_sbom_token: str = "either"  # noqa: S105 - a parameter name, not a secret
    product_sbom_sync: str = "off"
    download_layout: str = "zip-one"
    hostile_zip: str | None = None
    product_admin: str = "own"
    context_id: str = "string"
    dates: str = "padded"
    format_rule: str = "documented"
    max_depth_spdx: str = "refuse"
    spdx_underscores: bool = False
    failure_reason: str | None = None

    def __post_init__(self) -> None:
        choices = {
            "product_sbom_token": ("productToken", "projectToken", "either"),
            "product_sbom_sync": ("off", "file", "zip"),
            "download_layout": ("zip-one", "zip-many", "bare"),
            "product_admin": ("refuse", "own", "any"),
            "context_id": ("string", "number"),
            "dates": ("padded", "unpadded"),
            "format_rule": ("documented", "async-list"),
            "max_depth_spdx": ("refuse", "ignore"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name}: one of {', '.join(allowed)}")
        bad = [s for s in self.sequence if s not in ("PENDING", "IN_PROGRESS", *TERMINAL)]
        if bad or not self.sequence:
            raise ValueError(
                f"sequence: statuses among PENDING, IN_PROGRESS, SUCCESS, FAILED: {bad}"
            )
        if self.hostile_zip is not None:
            cases = hostile_cases()
            if self.hostile_zip not in cases:
                raise ValueError(f"hostile_zip: one of {', '.join(sorted(cases))}")


def status_extra(status: str, options: AsyncOptions) -> JsonObject:
    """What an ``asyncProcessStatus`` carries beside the documented keys: a FAILED job's
    reason, when ``failure_reason`` asks for one."""
    if status == "FAILED" and options.failure_reason:
        return {"errorMessage": options.failure_reason}
    return {}


# -- hostile archives beyond sbomgen.emulator.hostile: the whole archive's ratio, a name a
# file system refuses, and the other names sbomgen writes beside a report


def _hostile_zip(files: Mapping[str, bytes], extra: Mapping[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**files, **extra}.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def bomb_spread(files: Mapping[str, bytes]) -> bytes:
    """64 members of 512 KiB of zeros: each below the size at which a member's own ratio is
    checked, together 32 MiB in some 40 KiB (about 800 times)."""
    return _hostile_zip(files, {f"chunk-{i:02d}.json": b"\0" * (512 << 10) for i in range(64)})


def long_name(files: Mapping[str, bytes]) -> bytes:
    """A member whose name (300 characters) no common file system takes."""
    return _hostile_zip(files, {"x" * 295 + ".json": b"{}\n"})


def reserved_validation(files: Mapping[str, bytes]) -> bytes:
    """A member named VALIDATION.json, which sbomgen native writes beside the report."""
    return _hostile_zip(files, {"VALIDATION.json": b'{"valid": 1, "invalid": 0}\n'})


ARCHIVE_CASES: dict[str, Callable[[Mapping[str, bytes]], bytes]] = {
    "bomb-spread": bomb_spread,
    "long-name": long_name,
    "reserved-validation": reserved_validation,
}


def hostile_cases() -> dict[str, Callable[[Mapping[str, bytes]], bytes]]:
    """Every ``--hostile-zip`` case: :mod:`sbomgen.emulator.hostile`'s and these."""
    from sbomgen.emulator.hostile import CASES

    return {**CASES, **ARCHIVE_CASES}


def sequence_for(polls: int, failures: bool) -> tuple[str, ...]:
    """The earlier switches (``async_polls``, ``async_failures``) as a sequence."""
    return ("PENDING", *(["IN_PROGRESS"] * max(0, polls - 1)), "FAILED" if failures else "SUCCESS")


def status_time(stamp: float, dates: str) -> str:
    import time

    t = time.gmtime(stamp)
    if dates == "unpadded":
        return f"{t.tm_year}-{t.tm_mon}-{t.tm_mday} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    return time.strftime("%Y-%m-%d %H:%M:%S", t)


def process_type(report_type: str, scope: str) -> str:
    """UPPER_SNAKE process names, as the reference's examples ("PROJECT_SBOM_REPORT")."""
    if report_type.endswith("SBOMReport"):
        return f"{scope.upper()}_SBOM_REPORT"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", report_type).upper()


# -- report content ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    kind: str  # org | product | project
    name: str
    token: str
    projects: tuple[ProjectData, ...]


def _file_name(lib: Mapping[str, Any], key: str) -> str:
    name = lib.get("filename") or f"{lib.get('name') or key}-{lib.get('version') or ''}"
    return str(name)


def native_purl(lib: Mapping[str, Any]) -> str | None:
    """The purls Mend's report forms: the common package types only, from its coordinates
    as they are (no type-specific rules: a Go module's archive name stays in the name)."""
    from urllib.parse import quote

    kind = str(lib.get("type") or "")
    name, version = lib.get("artifactId") or lib.get("name"), lib.get("version")
    if not name or not version:
        return None
    if kind in ("MAVEN_ARTIFACT", "JAVA_ARCHIVE") and lib.get("groupId"):
        return f"pkg:maven/{quote(str(lib['groupId']))}/{quote(str(name))}@{quote(str(version))}"
    if kind == "NODE_PACKAGED_MODULE":
        return f"pkg:npm/{quote(str(lib.get('name') or name), safe='@/')}@{quote(str(version))}"
    if kind == "PYTHON_PACKAGE":
        return f"pkg:pypi/{quote(str(name).lower())}@{quote(str(version))}"
    if kind == "NUGET_PACKAGE_MODULE":
        return f"pkg:nuget/{quote(str(name))}@{quote(str(version))}"
    if kind == "GO_PACKAGE" and lib.get("groupId"):
        return f"pkg:golang/{lib['groupId']}/{quote(str(name))}@{quote(str(version))}"
    return None


def _levels(
    projects: Iterable[ProjectData], max_depth: int | None
) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """(library keys in first-seen order, children by key, top-level keys) within depth."""
    order: list[str] = []
    children: dict[str, list[str]] = {}
    top: list[str] = []

    def walk(node: Mapping[str, Any], depth: int) -> None:
        key = str(node["keyUuid"])
        if key not in children:
            children[key] = []
            order.append(key)
        for child in node.get("dependencies") or []:
            if max_depth is not None and depth + 1 > max_depth:
                continue
            ckey = str(child["keyUuid"])
            if ckey not in children[key]:
                children[key].append(ckey)
            walk(child, depth + 1)

    for pr in projects:
        for node in pr.tree:
            if str(node["keyUuid"]) not in top:
                top.append(str(node["keyUuid"]))
            walk(node, 0)
    return order, children, top


def _licenses_cdx(lib: Mapping[str, Any]) -> list[JsonObject]:
    out = []
    for lic in lib.get("licenses") or []:
        spdx = lic.get("spdxName")
        entry: JsonObject = (
            {"id": spdx}
            if spdx and re.fullmatch(r"[A-Za-z0-9.+-]+", str(spdx))
            else {"name": str(lic.get("name"))}
        )
        if lic.get("url"):
            entry["url"] = lic["url"]
        out.append({"license": entry})
    return out


def native_cyclonedx(
    ds: Dataset, scope: Scope, *, version: str, max_depth: int, vulnerabilities: bool, stamp: str
) -> JsonObject:
    order, children, top = _levels(scope.projects, max_depth)
    refs = {k: _file_name(ds.libraries[k], k) for k in order}
    root_ref = str(uuid.uuid5(NAMESPACE, f"{scope.kind}:{scope.token}"))
    tool = {"name": "CycloneDX report generator", "version": "1.1.0"}
    tools: Any = (
        [{"vendor": "Mend.io", **tool}]
        if version == "1.4"
        else {"components": [{"type": "application", "author": "Mend.io", **tool}]}
    )
    components = []
    for key in order:
        lib = ds.libraries[key]
        comp: JsonObject = {"type": "library", "bom-ref": refs[key]}
        if lib.get("groupId") and lib.get("type") in ("MAVEN_ARTIFACT", "JAVA_ARCHIVE"):
            comp["group"] = lib["groupId"]
        comp["name"] = refs[key]
        if lib.get("version"):
            comp["version"] = str(lib["version"])
        if lib.get("sha1"):
            comp["hashes"] = [{"alg": "SHA-1", "content": lib["sha1"]}]
        licenses = _licenses_cdx(lib)
        if licenses:
            comp["licenses"] = licenses
        purl = native_purl(lib)
        if purl:
            comp["purl"] = purl
        url = (lib.get("references") or {}).get("url")
        if url:
            comp["externalReferences"] = [{"type": "website", "url": url}]
        components.append(comp)
    dependencies = [{"ref": root_ref, "dependsOn": [refs[k] for k in top]}]
    dependencies += [{"ref": refs[k], "dependsOn": [refs[c] for c in children[k]]} for k in order]
    doc: JsonObject = {
        "bomFormat": "CycloneDX",
        "specVersion": version,
        "serialNumber": f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{scope.token}:{version}:{max_depth}')}",
        "version": 1,
        "metadata": {
            "timestamp": stamp,
            "tools": tools,
            "authors": [{"name": f"Organization: {ds.org_name}"}],
            "component": {"type": "application", "bom-ref": root_ref, "name": scope.name},
            "properties": [{"name": "reportName", "value": f"{scope.name} SBOM"}],
        },
        "components": components,
        "dependencies": dependencies,
    }
    if vulnerabilities:
        vulns = []
        for key in order:
            for vuln in ds.libraries[key].get("vulnerabilities") or []:
                entry: JsonObject = {
                    "id": vuln.get("name"),
                    "source": {"name": "NVD", "url": vuln.get("url") or "https://nvd.nist.gov"},
                }
                score = vuln.get("cvss3_score") or vuln.get("score")
                if score is not None:
                    entry["ratings"] = [
                        {
                            "score": float(score),
                            "severity": str(
                                vuln.get("cvss3_severity") or vuln.get("severity") or "unknown"
                            ).lower(),
                            "method": "CVSSv31"
                            if str(vuln.get("scoreMetadataVector", "")).startswith("CVSS:3.1")
                            else "CVSSv3",
                        }
                    ]
                if vuln.get("description"):
                    entry["description"] = vuln["description"]
                entry["affects"] = [{"ref": refs[key]}]
                vulns.append(entry)
        if vulns:
            doc["vulnerabilities"] = vulns
    return doc


def cyclonedx_xml(doc: Mapping[str, Any]) -> bytes:
    """The same document as CycloneDX XML (elements in the schema's order)."""
    version = str(doc["specVersion"])
    ns = f"http://cyclonedx.org/schema/bom/{version}"
    ET.register_namespace("", ns)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        e = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
        if text is not None:
            e.text = text
        return e

    bom = ET.Element(f"{{{ns}}}bom", {"serialNumber": str(doc["serialNumber"]), "version": "1"})
    meta = el(bom, "metadata")
    md = doc["metadata"]
    el(meta, "timestamp", md["timestamp"])
    tools = el(meta, "tools")
    if isinstance(md["tools"], list):
        for t in md["tools"]:
            tool = el(tools, "tool")
            el(tool, "vendor", t["vendor"])
            el(tool, "name", t["name"])
            el(tool, "version", t["version"])
    else:
        comps = el(tools, "components")
        for t in md["tools"]["components"]:
            c = el(comps, "component", type=t["type"])
            el(c, "author", t["author"])
            el(c, "name", t["name"])
            el(c, "version", t["version"])
    if version != "1.4":
        authors = el(meta, "authors")
        for a in md["authors"]:
            el(el(authors, "author"), "name", a["name"])
    root = md["component"]
    rc = el(meta, "component", type=root["type"], **{"bom-ref": root["bom-ref"]})
    el(rc, "name", root["name"])
    props = el(meta, "properties")
    for p in md["properties"]:
        el(props, "property", p["value"], name=p["name"])
    comps = el(bom, "components")
    for comp in doc["components"]:
        c = el(comps, "component", type=comp["type"], **{"bom-ref": comp["bom-ref"]})
        if "group" in comp:
            el(c, "group", comp["group"])
        el(c, "name", comp["name"])
        if "version" in comp:
            el(c, "version", comp["version"])
        if "hashes" in comp:
            hashes = el(c, "hashes")
            for h in comp["hashes"]:
                el(hashes, "hash", h["content"], alg=h["alg"])
        if "licenses" in comp:
            lics = el(c, "licenses")
            for lic in comp["licenses"]:
                entry = el(lics, "license")
                inner = lic["license"]
                el(entry, "id" if "id" in inner else "name", inner.get("id") or inner.get("name"))
                if "url" in inner:
                    el(entry, "url", inner["url"])
        if "purl" in comp:
            el(c, "purl", comp["purl"])
        if "externalReferences" in comp:
            refs = el(c, "externalReferences")
            for r in comp["externalReferences"]:
                el(el(refs, "reference", type=r["type"]), "url", r["url"])
    deps = el(bom, "dependencies")
    for d in doc["dependencies"]:
        dep = el(deps, "dependency", ref=d["ref"])
        for child in d["dependsOn"]:
            el(dep, "dependency", ref=child)
    if "vulnerabilities" in doc:
        vulns = el(bom, "vulnerabilities")
        for v in doc["vulnerabilities"]:
            ve = el(vulns, "vulnerability")
            el(ve, "id", v["id"])
            src = el(ve, "source")
            el(src, "name", v["source"]["name"])
            el(src, "url", v["source"]["url"])
            if "ratings" in v:
                ratings = el(ve, "ratings")
                for r in v["ratings"]:
                    re_ = el(ratings, "rating")
                    el(re_, "score", str(r["score"]))
                    el(re_, "severity", r["severity"])
                    el(re_, "method", r["method"])
            if "description" in v:
                el(ve, "description", v["description"])
            affects = el(ve, "affects")
            for a in v["affects"]:
                el(el(affects, "target"), "ref", a["ref"])
    ET.indent(bom)
    return bytes(ET.tostring(bom, encoding="utf-8", xml_declaration=True)) + b"\n"


def _spdx_id(text: str, *, underscores: bool) -> str:
    allowed = r"[^A-Za-z0-9._-]" if underscores else r"[^A-Za-z0-9.-]"
    return re.sub(allowed, "-", text)


def native_spdx(
    ds: Dataset, scope: Scope, *, version: str, vulnerabilities: bool, stamp: str, underscores: bool
) -> JsonObject:
    order, children, top = _levels(scope.projects, None)  # SPDX: the whole tree
    ids: dict[str, str] = {}
    for key in order:
        base = f"SPDXRef-Package-{_spdx_id(_file_name(ds.libraries[key], key), underscores=underscores)}"
        ident = base
        while ident in ids.values():
            ident = f"{base}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"
        ids[key] = ident
    app = f"SPDXRef-Application-{_spdx_id(scope.name, underscores=False)}"
    packages: list[JsonObject] = [
        {
            "SPDXID": app,
            "name": scope.name,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": False,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
        }
    ]
    for key in order:
        lib = ds.libraries[key]
        license_expr = _spdx_expression(lib)
        pkg: JsonObject = {
            "SPDXID": ids[key],
            "name": str(lib.get("artifactId") or lib.get("name") or key),
            "downloadLocation": str(
                (lib.get("references") or {}).get("downloadLink") or "NOASSERTION"
            ),
            "filesAnalyzed": False,
            "licenseConcluded": license_expr,
            "licenseDeclared": license_expr,
            "copyrightText": "NOASSERTION",
            "packageFileName": _file_name(lib, key),
        }
        if lib.get("version"):
            pkg["versionInfo"] = str(lib["version"])
        homepage = (lib.get("references") or {}).get("url")
        if homepage:
            pkg["homepage"] = homepage
        if lib.get("sha1"):
            pkg["checksums"] = [{"algorithm": "SHA1", "checksumValue": lib["sha1"]}]
        refs = []
        purl = native_purl(lib)
        if purl:
            refs.append(
                {
                    "referenceCategory": "PACKAGE-MANAGER"
                    if version == "2.3"
                    else "PACKAGE_MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": purl,
                }
            )
        if vulnerabilities and version != "2.2":  # SPDX 2.2 has no advisory reference type
            for vuln in lib.get("vulnerabilities") or []:
                refs.append(
                    {
                        "referenceCategory": "SECURITY",
                        "referenceType": "advisory",
                        "referenceLocator": str(
                            vuln.get("url")
                            or f"https://nvd.nist.gov/vuln/detail/{vuln.get('name')}"
                        ),
                    }
                )
        if refs:
            pkg["externalRefs"] = refs
        if version == "2.3":
            pkg["primaryPackagePurpose"] = "LIBRARY"
        packages.append(pkg)
    relationships = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": app,
        }
    ]
    relationships += [
        {"spdxElementId": app, "relationshipType": "DEPENDS_ON", "relatedSpdxElement": ids[k]}
        for k in top
    ]
    for key in order:
        relationships += [
            {
                "spdxElementId": ids[key],
                "relationshipType": "DEPENDS_ON",
                "relatedSpdxElement": ids[c],
            }
            for c in children[key]
        ]
    digest = hashlib.sha256(f"{scope.token}:{version}".encode()).hexdigest()
    return {
        "spdxVersion": f"SPDX-{version}",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{scope.name} SBOM",
        "documentNamespace": f"https://mend.io/spdx/doc/{uuid.uuid5(NAMESPACE, digest)}",
        "creationInfo": {
            "created": stamp,
            "creators": [f"Organization: {ds.org_name}", "Tool: Mend SPDX Report Generator"],
        },
        "documentDescribes": [app],
        "packages": packages,
        "relationships": relationships,
    }


def _spdx_expression(lib: Mapping[str, Any]) -> str:
    """The licenses joined with AND when Mend resolved every one to an SPDX id that an SPDX
    expression can hold; NOASSERTION otherwise (a deprecated "…-with-…-exception" id, say)."""
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.jsonlikedict.license_expression_parser import (
        LicenseExpressionParser,
    )

    licenses = lib.get("licenses") or []
    names = [str(x.get("spdxName")) for x in licenses if x.get("spdxName")]
    if not names or len(names) != len(licenses):
        return "NOASSERTION"
    expression = " AND ".join(names)
    try:
        LicenseExpressionParser().parse_license_expression(expression)
    except SPDXParsingError:
        return "NOASSERTION"
    from sbomgen.enrich.licenses import spdx_licensing

    if spdx_licensing().validate(expression).errors:
        return "NOASSERTION"
    return expression


def spdx_text(doc: Mapping[str, Any], fmt: str) -> bytes:
    """An SPDX JSON document in another of Mend's formats."""
    if fmt == "json":
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "yaml":
        import yaml

        return str(yaml.safe_dump(dict(doc), sort_keys=False, allow_unicode=True)).encode("utf-8")
    if fmt == "xml":
        import xmltodict

        return str(xmltodict.unparse({"Document": doc}, pretty=True)).encode("utf-8") + b"\n"
    if fmt == "tv":
        from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
        from spdx_tools.spdx.writer.tagvalue.tagvalue_writer import write_document_to_stream

        document = JsonLikeDictParser().parse(dict(doc))  # type: ignore[no-untyped-call]
        stream = io.StringIO()
        write_document_to_stream(document, stream, validate=False)
        return stream.getvalue().encode("utf-8")
    if fmt == "xlsx":
        rows = [["SPDXID", "name", "versionInfo", "licenseConcluded", "downloadLocation"]]
        rows += [[str(p.get(k, "")) for k in rows[0]] for p in doc["packages"]]
        return xlsx(rows, "Packages")
    raise ValueError(fmt)


def xlsx(rows: list[list[str]], sheet: str = "Report") -> bytes:
    """A minimal Office Open XML workbook (one sheet of inline strings)."""
    from xml.sax.saxutils import escape

    def cell(col: int, row: int, value: str) -> str:
        ref = f"{chr(ord('A') + col)}{row}" if col < 26 else f"A{chr(ord('A') + col - 26)}{row}"
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{r + 1}">' + "".join(cell(c, r + 1, v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows)
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData></worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()


def pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF holding the lines (a report rendered for print)."""

    def esc(text: str) -> str:
        return (
            text.encode("latin-1", "replace")
            .decode("latin-1")
            .replace("\\", "\\\\")
            .replace("(", "\\(")
            .replace(")", "\\)")
        )

    content = (
        "BT /F1 10 Tf 40 800 Td 12 TL " + " ".join(f"({esc(x)}) '" for x in lines[:60]) + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def table_report(ds: Dataset, scope: Scope, report_type: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a non-SBOM report: what its name says, from the dataset."""
    keys = ds.keys_in(scope.projects)
    if "Vulnerability" in report_type or "SecurityAlerts" in report_type:
        header = ["Library", "Version", "Vulnerability", "Severity", "Score", "Project"]
        rows = []
        for pr in scope.projects:
            for key in pr.all_keys:
                lib = ds.libraries[key]
                for v in lib.get("vulnerabilities") or []:
                    rows.append(
                        [
                            _file_name(lib, key),
                            str(lib.get("version", "")),
                            str(v.get("name")),
                            str(v.get("cvss3_severity") or v.get("severity") or ""),
                            str(v.get("cvss3_score") or v.get("score") or ""),
                            pr.name,
                        ]
                    )
        return header, rows
    header = ["Library", "Group", "Version", "Type", "Licenses", "SHA-1"]
    rows = [
        [
            _file_name(ds.libraries[k], k),
            str(ds.libraries[k].get("groupId", "")),
            str(ds.libraries[k].get("version", "")),
            str(ds.libraries[k].get("type", "")),
            ", ".join(str(x.get("name")) for x in ds.libraries[k].get("licenses") or []),
            str(ds.libraries[k].get("sha1", "")),
        ]
        for k in keys
    ]
    return header, rows


def report_files(
    ds: Dataset,
    scope: Scope,
    params: Mapping[str, Any],
    *,
    options: AsyncOptions,
    stamp: str,
) -> dict[str, bytes]:
    """The files of a finished report, before packaging (several for ``zip-many``)."""
    report_type = str(params.get("reportType"))
    fmt = str(params.get("format") or "xlsx").lower()
    many = options.download_layout == "zip-many"
    if report_type.endswith("SBOMReport"):
        standard = str(params.get("standard") or "").lower()
        version = str(params.get("version") or {"cyclonedx": "1.4", "spdx": "2.2"}[standard])
        vulns = str(params.get("includeVulnerabilities", "true")).lower() != "false"
        parts = [scope]
        if many and len(scope.projects) > 1:
            parts = [Scope("project", p.name, p.token, (p,)) for p in scope.projects]
        out = {}
        for part in parts:
            stem = re.sub(r"[^A-Za-z0-9._-]+", "-", part.name)
            if standard == "cyclonedx":
                depth = int(str(params.get("maxDepthLevel", "0")))  # documented default: 0
                doc = native_cyclonedx(
                    ds, part, version=version, max_depth=depth, vulnerabilities=vulns, stamp=stamp
                )
                data = (
                    cyclonedx_xml(doc)
                    if fmt == "xml"
                    else (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()
                )
                out[f"{stem}-cyclonedx-{version}.{fmt}"] = data
            else:
                doc = native_spdx(
                    ds,
                    part,
                    version=version,
                    vulnerabilities=vulns,
                    stamp=stamp,
                    underscores=options.spdx_underscores,
                )
                ext = {"tv": "spdx", "xlsx": "xlsx"}.get(fmt, f"spdx.{fmt}")
                out[f"{stem}-spdx-{version}.{ext}"] = spdx_text(doc, fmt)
        return out
    header, rows = table_report(ds, scope, report_type)
    chunks = [rows[: len(rows) // 2], rows[len(rows) // 2 :]] if many and len(rows) > 1 else [rows]
    out = {}
    for n, chunk in enumerate(chunks, start=1):
        suffix = f"-part{n}" if len(chunks) > 1 else ""
        name = f"{report_type}{suffix}"
        if fmt == "json":
            out[f"{name}.json"] = (
                json.dumps(
                    {
                        "reportType": report_type,
                        "scope": scope.name,
                        "rows": [dict(zip(header, r, strict=True)) for r in chunk],
                    },
                    indent=2,
                )
                + "\n"
            ).encode()
        elif fmt == "xml":
            root = ET.Element("report", {"type": report_type, "scope": scope.name})
            for r in chunk:
                row = ET.SubElement(root, "row")
                for h, v in zip(header, r, strict=True):
                    ET.SubElement(row, re.sub(r"[^A-Za-z0-9]", "", h) or "value").text = v
            out[f"{name}.xml"] = bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
        elif fmt == "pdf":
            out[f"{name}.pdf"] = pdf(
                [
                    f"{report_type}: {scope.name}",
                    " | ".join(header),
                    *(" | ".join(r) for r in chunk),
                ]
            )
        elif fmt in ("html", "txt"):
            if fmt == "html":
                from html import escape

                body = "".join(
                    f"<tr>{''.join(f'<td>{escape(c)}</td>' for c in r)}</tr>" for r in chunk
                )
                text = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(report_type)}</title></head><body><h1>{escape(scope.name)}</h1><table>{body}</table></body></html>\n"
            else:
                text = (
                    f"{report_type}: {scope.name}\n\n"
                    + "\n".join(" | ".join(r) for r in chunk)
                    + "\n"
                )
            out[f"{name}.{fmt}"] = text.encode("utf-8")
        else:
            out[f"{name}.xlsx"] = xlsx([header, *chunk])
    return out


def package(files: Mapping[str, bytes], options: AsyncOptions) -> tuple[bytes, str, str]:
    """(body, content type, file name for Content-Disposition) of a download."""
    if options.hostile_zip is not None:
        return hostile_cases()[options.hostile_zip](files), "application/zip", "report.zip"
    if options.download_layout == "bare" and len(files) == 1:
        name, data = next(iter(files.items()))
        return data, content_type(name), name
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    stem = next(iter(files), "report").rsplit(".", 1)[0]
    return buf.getvalue(), "application/zip", f"{stem}.zip"


def content_type(name: str) -> str:
    for suffix, ctype in (
        (".json", "application/json"),
        (".xml", "application/xml"),
        (".yaml", "application/x-yaml"),
        (".pdf", "application/pdf"),
        (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (".html", "text/html"),
        (".txt", "text/plain"),
    ):
        if name.endswith(suffix):
            return ctype
    return "application/octet-stream"
