"""Validation of CycloneDX and SPDX documents, before writing and for ``sbomgen validate``.

- CycloneDX: the JSON and XML validators of cyclonedx-python-lib, against the schema of the
  document's version.
- SPDX: spdx-tools' ``validate_full_spdx_document`` (schema-level and semantic rules), on a
  document parsed back from the text, so that what is checked is what is written.

Every message carries its location: a JSON path or XML line for CycloneDX, the SPDX id and
element type for SPDX.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from cyclonedx.validation.xml import XmlValidator

from sbomgen.errors import InputDataError

CDX_VERSIONS = {
    "1.2": SchemaVersion.V1_2,
    "1.3": SchemaVersion.V1_3,
    "1.4": SchemaVersion.V1_4,
    "1.5": SchemaVersion.V1_5,
    "1.6": SchemaVersion.V1_6,
    "1.7": SchemaVersion.V1_7,
}


def _errors(result: Any) -> list[Any]:
    if result is None:
        return []
    if isinstance(result, Iterable) and not isinstance(result, (str, bytes)):
        return list(result)
    return [result]


def _cdx_message(error: Any) -> str:
    data = getattr(error, "data", None)
    path = getattr(data, "json_path", None)
    if path:
        return f"at {path}: {getattr(data, 'message', data)}"
    line = getattr(data, "line", None)
    if line:
        return f"line {line}: {getattr(data, 'message', data)}"
    return str(error)


@lru_cache(maxsize=8)
def _rust_validator(version: str) -> Any:
    """jsonschema-rs over the very schema files cyclonedx-python-lib ships and uses.

    The library's own JSON validator runs pure-Python jsonschema, whose ``iri-reference``
    format check costs ~25 ms per URL (4 s for the 53-library sample, minutes at 10,000:
    CycloneDX/cyclonedx-python-lib#862). Same schema files, same verdicts, milliseconds.
    """
    import cyclonedx.schema._res as res
    import jsonschema_rs

    folder = Path(res.__file__).parent

    def retrieve(uri: str) -> Any:
        name = uri.rsplit("/", 1)[-1]
        if ".SNAPSHOT." not in name:
            name = name.replace(".schema.json", ".SNAPSHOT.schema.json")
        return json.loads((folder / name).read_text(encoding="utf-8"))

    schema = json.loads(
        (folder / f"bom-{version}.SNAPSHOT.schema.json").read_text(encoding="utf-8")
    )
    return jsonschema_rs.validator_for(schema, retriever=retrieve, validate_formats=True)


def validate_cyclonedx(text: str, fmt: str, version: str) -> list[str]:
    schema = CDX_VERSIONS[version]
    if fmt == "json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            return [f"not valid JSON: {exc}"]
        try:
            validator = _rust_validator(version)
        except ImportError:  # pragma: no cover - jsonschema-rs is a dependency
            lib_validator = JsonStrictValidator(schema)
            return [
                _cdx_message(e) for e in _errors(lib_validator.validate_str(text, all_errors=True))
            ]
        out = []
        for error in validator.iter_errors(data):
            path = "$" + "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.instance_path
            )
            out.append(f"at {path}: {error.message}")
        return out
    xml_validator = XmlValidator(schema)
    try:
        return [_cdx_message(e) for e in _errors(xml_validator.validate_str(text, all_errors=True))]
    except Exception as exc:  # lxml: not well formed, or refused (a DOCTYPE, an entity)
        line = getattr(exc, "lineno", None) or getattr(
            getattr(exc, "position", None), "__getitem__", lambda _: None
        )(0)
        where = f"line {line}: " if line else ""
        return [f"{where}not a readable XML document: {exc}"]


# -- SPDX -----------------------------------------------------------------------------------


def spdx_messages(document: Any, spdx_version: str) -> list[str]:
    from sbomgen.emit.spdx_validation import validate_spdx_document

    out = []
    for message in validate_spdx_document(document, spdx_version):
        context = message.context
        where = []
        if context.spdx_id:
            where.append(context.spdx_id)
        if context.element_type is not None:
            where.append(context.element_type.name)
        prefix = f"{' '.join(where)}: " if where else ""
        out.append(f"{prefix}{message.validation_message}")
    return out


SPDX_SUFFIX = {
    "json": ".spdx.json",
    "yaml": ".spdx.yaml",
    "xml": ".spdx.xml",
    "tv": ".spdx",
    "rdf": ".spdx.rdf.xml",
}


def parse_spdx_text(text: bytes, fmt: str) -> Any:
    """Parse SPDX text with spdx-tools' parser for the format (it picks by file name)."""
    from spdx_tools.spdx.parser.parse_anything import parse_file

    with tempfile.TemporaryDirectory(prefix="sbomgen-spdx-") as tmp:
        path = Path(tmp) / f"document{SPDX_SUFFIX[fmt]}"
        path.write_bytes(text)
        return parse_file(str(path))


# -- sbomgen validate FILE ----------------------------------------------------------------------


@dataclass(frozen=True)
class Detected:
    standard: str  # "CycloneDX" or "SPDX"
    fmt: str  # json, xml, yaml, tv, rdf
    version: str


def detect(path: Path, data: bytes) -> Detected:
    """Standard, format and version, from the content (the file name is not trusted)."""
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except ValueError as exc:
            raise InputDataError(f"{path}: not valid JSON ({exc})") from None
        if isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX":
            return Detected("CycloneDX", "json", str(doc.get("specVersion", "?")))
        if isinstance(doc, dict) and "spdxVersion" in doc:
            return Detected("SPDX", "json", str(doc["spdxVersion"]).removeprefix("SPDX-"))
        raise InputDataError(
            f"{path}: JSON, but neither CycloneDX (bomFormat) nor SPDX (spdxVersion)"
        )
    if head.startswith("<"):
        m = re.search(r"http://cyclonedx\.org/schema/bom/(\d\.\d)", head)
        if m:
            return Detected("CycloneDX", "xml", m.group(1))
        if "spdx.org/rdf/terms" in head and "rdf:RDF" in head:
            m = re.search(r"SPDX-(\d\.\d)", data.decode("utf-8", errors="replace"))
            return Detected("SPDX", "rdf", m.group(1) if m else "?")
        m = re.search(
            r"<spdxVersion>SPDX-(\d\.\d)</spdxVersion>", data.decode("utf-8", errors="replace")
        )
        if m:
            return Detected("SPDX", "xml", m.group(1))
        raise InputDataError(f"{path}: XML, but neither a CycloneDX nor an SPDX document")
    m = re.search(r"^SPDXVersion:\s*SPDX-(\d\.\d)\s*$", head, re.MULTILINE)
    if m:
        return Detected("SPDX", "tv", m.group(1))
    m = re.search(r"^spdxVersion:\s*['\"]?SPDX-(\d\.\d)", head, re.MULTILINE)
    if m:
        return Detected("SPDX", "yaml", m.group(1))
    raise InputDataError(f"{path}: not a CycloneDX or SPDX document that sbomgen can read")


def validate_file(path: Path) -> tuple[Detected, list[str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputDataError(f"{path}: cannot be read ({exc.strerror})") from None
    found = detect(path, data)
    if found.standard == "CycloneDX":
        if found.version not in CDX_VERSIONS:
            return found, [f"CycloneDX version {found.version} is not one sbomgen can validate"]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return found, [f"not UTF-8 text: {exc}"]
        return found, validate_cyclonedx(text, found.fmt, found.version)
    if found.version not in ("2.2", "2.3"):
        return found, [f"SPDX version {found.version} is not one spdx-tools validates (2.2, 2.3)"]
    try:
        document = parse_spdx_text(data, found.fmt)
    except Exception as exc:  # spdx-tools raises SPDXParsingError and others
        messages = getattr(exc, "messages", None) or [str(exc)]
        return found, [f"cannot be parsed: {m}" for m in messages]
    return found, spdx_messages(document, f"SPDX-{found.version}")
