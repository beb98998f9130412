"""Validation of CycloneDX and SPDX documents, before writing and for ``sbomgen validate``.

- CycloneDX: the JSON and XML validators of cyclonedx-python-lib, against the schema of the
  document's version.
- SPDX: spdx-tools' ``validate_full_spdx_document`` (schema-level and semantic rules), on a
  document parsed back from the text, so that what is checked is what is written. SPDX JSON
  and YAML are checked against the SPDX JSON schema too, and spdx-tools' checks still run
  when the schema or spdx-tools' parser refuses part of a document (see
  ``_spdx_dict_problems``): every problem is reported, not the first.
- SPDX 3 (JSON-LD): spdx3-validate's JSON schema and SHACL checks, against the SPDX 3.0.1
  JSON schema, SHACL model and JSON-LD context that ship with sbomgen (sbomgen/schemas/).

Every message carries its location: a JSON path or XML line for CycloneDX; for SPDX the SPDX
id of the element it is about and, in JSON and YAML, its JSON path.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.xml import XmlValidator

from sbomgen.errors import InputDataError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document, and where: a JSON path (or an XML line), and the
    SPDX id or bom-ref of the element it is in, when known."""

    message: str
    location: str | None = None
    spdx_id: str | None = None
    bom_ref: str | None = None

    def __str__(self) -> str:
        where = " ".join(
            x
            for x in (
                self.spdx_id,
                f"bom-ref {self.bom_ref}" if self.bom_ref else None,
                f"at {self.location}" if self.location else None,
            )
            if x
        )
        return f"{where}: {self.message}" if where else self.message

    def to_json(self) -> dict[str, str | None]:
        return {
            "message": self.message,
            "location": self.location,
            "spdx_id": self.spdx_id,
            "bom_ref": self.bom_ref,
        }


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
    import jsonschema_rs

    return jsonschema_rs.validator_for(
        _cdx_schema(version), retriever=_cdx_retrieve, validate_formats=True
    )


def _cdx_folder() -> Path:
    import cyclonedx.schema._res as res

    return Path(res.__file__).parent


def _cdx_schema(version: str) -> Any:
    path = _cdx_folder() / f"bom-{version}.SNAPSHOT.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _cdx_retrieve(uri: str) -> Any:
    """The schemas a CycloneDX schema refers to (SPDX ids, JSF), from the library's files."""
    name = uri.rsplit("/", 1)[-1]
    if ".SNAPSHOT." not in name:
        name = name.replace(".schema.json", ".SNAPSHOT.schema.json")
    return json.loads((_cdx_folder() / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _rust_component_validator(version: str) -> Any:
    """The schema's own component definition, as a validator of one component."""
    import jsonschema_rs

    schema = _cdx_schema(version)
    part = {
        "$schema": schema["$schema"],
        "$id": schema["$id"],
        "definitions": schema["definitions"],
        "$ref": "#/definitions/component",
    }
    return jsonschema_rs.validator_for(part, retriever=_cdx_retrieve, validate_formats=True)


class ComponentChecker:
    """Schema checks of a CycloneDX JSON document, a component at a time.

    The schema says three things about ``components``: an array, each item a
    ``#/definitions/component``, items unique. So the document is checked without its
    components in one pass, each component against that definition as it comes, and
    uniqueness here; a 50,000-component document is never converted whole. The verdicts
    are the schema's (the rejection corpus in tests/emit/test_cyclonedx_fast.py runs
    through this checker).
    """

    def __init__(self, version: str) -> None:
        self.version = version
        self.problems: list[Problem] = []
        self._refs: set[str] = set()
        self._bare: set[str] = set()  # components without a bom-ref, as canonical JSON
        self._index = 0

    def component(self, component: Any) -> None:
        index = self._index
        self._index += 1
        ref = component.get("bom-ref") if isinstance(component, dict) else None
        for error in _rust_component_validator(self.version).iter_errors(component):
            self.problems.append(
                Problem(
                    error.message,
                    location=json_path(["components", index, *error.instance_path]),
                    bom_ref=_enclosing(component, error.instance_path, "bom-ref") or ref,
                )
            )
        if isinstance(ref, str):
            if ref in self._refs:
                self.problems.append(
                    Problem(
                        "components: has non-unique elements (bom-ref used twice)",
                        location=json_path(["components", index]),
                        bom_ref=ref,
                    )
                )
            self._refs.add(ref)
        else:
            canonical = json.dumps(component, sort_keys=True)
            if canonical in self._bare:
                self.problems.append(
                    Problem(
                        "components: has non-unique elements",
                        location=json_path(["components", index]),
                    )
                )
            self._bare.add(canonical)

    def document(self, skeleton: Any) -> None:
        """The document with ``components`` empty (or as it is, when it is no array)."""
        for error in _rust_validator(self.version).iter_errors(skeleton):
            self.problems.append(
                Problem(
                    error.message,
                    location=json_path(error.instance_path),
                    bom_ref=_enclosing(skeleton, error.instance_path, "bom-ref"),
                )
            )


def cyclonedx_json_problems(data: Any, version: str) -> list[Problem]:
    """Every schema problem of a parsed CycloneDX JSON document (see ComponentChecker)."""
    checker = ComponentChecker(version)
    components = data.get("components") if isinstance(data, dict) else None
    if isinstance(components, list):
        for component in components:
            checker.component(component)
        data = {**data, "components": []}
    checker.document(data)
    return checker.problems


def json_path(parts: Iterable[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _enclosing(data: Any, parts: Sequence[str | int], key: str) -> str | None:
    """The ``key`` (SPDXID, bom-ref) of the innermost object on the path that has one."""
    found, node = None, data
    if isinstance(node, dict) and isinstance(node.get(key), str):
        found = node[key]
    for part in parts:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get(key), str):
            found = node[key]
    return found


def cyclonedx_problems(text: str, fmt: str, version: str) -> list[Problem]:
    """Every schema problem of a CycloneDX document, with its JSON path (and the bom-ref
    of the component it is in) or XML line."""
    schema = CDX_VERSIONS[version]
    if fmt == "json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            return [Problem(f"not valid JSON: {exc}")]
        try:
            return cyclonedx_json_problems(data, version)
        except ImportError:  # pragma: no cover - jsonschema-rs is a dependency
            # the library's own validator imports jsonschema, whose format checks import
            # rfc3987_syntax: a second of start-up, paid only in this fallback
            from cyclonedx.validation.json import JsonStrictValidator

            lib_validator = JsonStrictValidator(schema)
            return [
                Problem(_cdx_message(e))
                for e in _errors(lib_validator.validate_str(text, all_errors=True))
            ]
    xml_validator = XmlValidator(schema)
    try:
        errors = _errors(xml_validator.validate_str(text, all_errors=True))
    except Exception as exc:  # lxml: not well formed, or refused (a DOCTYPE, an entity)
        line = getattr(exc, "lineno", None) or getattr(
            getattr(exc, "position", None), "__getitem__", lambda _: None
        )(0)
        return [
            Problem(
                f"not a readable XML document: {exc}", location=f"line {line}" if line else None
            )
        ]
    out = []
    for error in errors:
        data = getattr(error, "data", None)
        line = getattr(data, "line", None)
        out.append(
            Problem(
                str(getattr(data, "message", data) if data is not None else error),
                location=f"line {line}" if line else None,
            )
        )
    return out


@lru_cache(maxsize=8)
def _xml_schema(version: str) -> Any:
    """The XSD cyclonedx-python-lib's XmlValidator loads, loaded the same way."""
    from lxml.etree import XMLSchema

    schema_file = XmlValidator(CDX_VERSIONS[version])._schema_file
    if schema_file is None:  # pragma: no cover - every supported version has one
        raise NotImplementedError(f"no XSD for CycloneDX {version}")
    return XMLSchema(file=Path(schema_file).absolute().as_uri())


def parse_through(data: bytes | bytearray, **options: Any) -> None:
    """Parse an XML document element by element, dropping each once read, so a large one
    is never held as a tree; no DTD, no entities, no network. Raises lxml's
    XMLSyntaxError (a validation error too, given ``schema=``). The data is fed a
    megabyte at a time from a view of it, never copied."""
    from lxml import etree

    parser = etree.XMLPullParser(
        events=("end",),
        dtd_validation=False,
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        huge_tree=True,
        **options,
    )
    view = memoryview(data)

    def drop_read() -> None:
        for _, element in parser.read_events():
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]

    step = 1 << 20
    for start in range(0, len(view), step):
        parser.feed(bytes(view[start : start + step]))
        drop_read()
    root = parser.close()
    drop_read()
    del root


def cyclonedx_xml_streamed(data: bytes, version: str) -> list[Problem]:
    """XSD validation of a CycloneDX XML document while it is parsed, element by element,
    each dropped once checked: libxml2 and the schema of XmlValidator, with its parser
    settings (no DTD, no entities, no network), without holding the tree of a
    100-megabyte document. libxml2 stops at the first error; it is the one reported."""
    from lxml import etree

    try:
        parse_through(data, schema=_xml_schema(version), attribute_defaults=False)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        return [Problem(exc.msg, location=f"line {line}" if line else None)]
    return []


def validate_cyclonedx(text: str, fmt: str, version: str) -> list[str]:
    return [str(p) for p in cyclonedx_problems(text, fmt, version)]


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
        with _one_licensing() if fmt == "tv" else contextlib.nullcontext():
            return parse_file(str(path))


@contextlib.contextmanager
def _one_licensing() -> Iterator[None]:
    """spdx-tools' tag-value parser builds a new license-expression ``Licensing`` for
    every license field it reads (36 ms each: 5 s for the 67-package sample, minutes at
    1,000). ``get_spdx_licensing`` is a pure factory, so for the parse its module gets the
    cached one sbomgen uses everywhere; the same verdicts, restored afterwards."""
    import spdx_tools.spdx.parser.tagvalue.parser as tagvalue

    from sbomgen.enrich.licenses import spdx_licensing

    original = tagvalue.get_spdx_licensing
    tagvalue.get_spdx_licensing = spdx_licensing
    try:
        yield
    finally:
        tagvalue.get_spdx_licensing = original


# -- SPDX 3 ---------------------------------------------------------------------------------

SPDX3_VERSION = "3.0.1"
SPDX3_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
_SPDX3_CONTEXT = re.compile(r"^https://spdx\.org/rdf/(3\.\d+(?:\.\d+)?)/spdx-context\.jsonld$")
_SPDX3_TERMS = "https://spdx.org/rdf/3.0.1/terms/"


def spdx3_context_version(doc: Any) -> str | None:
    """The SPDX 3 version a JSON-LD document's ``@context`` names (a URL or a list with
    one), or None when it names none."""
    context = doc.get("@context") if isinstance(doc, dict) else None
    for item in context if isinstance(context, list) else [context]:
        m = _SPDX3_CONTEXT.match(item) if isinstance(item, str) else None
        if m:
            return m.group(1)
    return None


@lru_cache(maxsize=1)
def _spdx3_checks() -> tuple[dict[str, Any], Any, Any, dict[str, Any]]:
    """The SPDX 3.0.1 JSON schema, SHACL graph and JSON-LD context, from the files sbomgen
    ships (spdx3-validate downloads them from spdx.org on every run, and sbomgen validates
    offline; sbomgen/schemas/SOURCES.txt says where they come from), and spdx3-validate's
    record of the version."""
    import rdflib
    from spdx3_validate.spdx_versions import find_version

    folder = resources.files("sbomgen").joinpath("schemas")
    schema = _spdx3_json_schema()
    shacl = rdflib.Graph()
    shacl.parse(
        data=folder.joinpath("spdx-3.0.1-model.ttl").read_text(encoding="utf-8"), format="turtle"
    )
    context = json.loads(folder.joinpath("spdx-3.0.1-context.jsonld").read_text(encoding="utf-8"))
    version = find_version(SPDX3_CONTEXT)
    if version is None:  # pragma: no cover - spdx3-validate knows 3.0.1
        raise RuntimeError("spdx3-validate does not know SPDX 3.0.1")
    return schema, shacl, version, context["@context"]


@lru_cache(maxsize=1)
def _spdx3_json_schema() -> dict[str, Any]:
    """The SPDX 3.0.1 JSON schema sbomgen ships (without spdx3-validate, whose import alone
    takes seconds: a document the SHACL certificate passes never needs it)."""
    folder = resources.files("sbomgen").joinpath("schemas")
    schema: dict[str, Any] = json.loads(
        folder.joinpath("spdx-3.0.1.schema.json").read_text(encoding="utf-8")
    )
    return schema


@lru_cache(maxsize=64)
def _spdx3_schema(ref: str | None = None, strict: bool = True) -> Any:
    """jsonschema-rs over the SPDX 3.0.1 JSON schema: the whole document (``ref`` None), or
    one definition of it (one ``@graph`` item, or one class), ``strict``: with no property
    left unchecked.

    spdx3-validate checks the schema with pure-Python jsonschema, which takes two minutes
    for the 67-package sample (the schema tries every class for every object); the same
    schema here gives the same verdicts in milliseconds (tested on documents both check)."""
    import jsonschema_rs

    schema = _spdx3_json_schema()
    if ref is not None:
        schema = {
            "$schema": schema["$schema"],
            "$defs": schema["$defs"],
            "type": "object",
            "$ref": f"#/$defs/{ref}",
        }
        if strict:
            schema["unevaluatedProperties"] = False
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def spdx3_problems(raw: bytes | bytearray | str) -> list[Problem]:
    """Every problem of an SPDX 3.0.1 JSON-LD document: its JSON schema (by JSON path, with the
    ``spdxId`` of the element it is in) and spdx3-validate's SHACL check (by element and
    property)."""
    try:
        text = raw if isinstance(raw, str) else bytes(raw).decode("utf-8-sig")
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return [Problem(f"not valid JSON: {exc}")]
    if not isinstance(data, dict):
        return [Problem("the document is not an object", location="$")]
    if spdx3_context_version(data) != SPDX3_VERSION:
        return [Problem(f"the @context is not SPDX {SPDX3_VERSION}'s ({SPDX3_CONTEXT})")]
    try:
        problems = _spdx3_schema_problems(data)
    except ValueError as exc:  # jsonschema-rs: "Recursion limit reached"
        return [Problem(f"the document nests deeper than sbomgen checks ({exc})", location="$")]
    if data["@context"] != SPDX3_CONTEXT or _nested_context(data):
        # JSON-LD would fetch any other context it names (or @import): sbomgen fetches nothing
        return [
            *problems,
            Problem(
                f"only the SPDX {SPDX3_VERSION} context is read (a @context of its own, or "
                "one inside an object, is not fetched): the SHACL check was not run",
                location="$",
            ),
        ]
    from sbomgen.emit.spdx3_shacl import conforms

    if conforms(data):
        # the model's shapes, checked on the document itself: pyshacl would find nothing
        # (emit/spdx3_shacl.py; pyshacl takes 15 s at 1,000 packages and runs for any
        # document not certified, to name what is wrong)
        return problems
    from spdx3_validate.core import check_graph

    _, shacl, version, context = _spdx3_checks()
    try:
        graph = _spdx3_graph(data, context)
    except Exception as exc:  # rdflib's JSON-LD parser: a malformed node, a bad IRI
        return [*problems, Problem(f"not readable as JSON-LD: {type(exc).__name__}: {exc}")]
    problems += [_spdx3_shacl_problem(m) for m in check_graph(graph, shacl, version, True)]
    return problems


def _spdx3_schema_problems(data: dict[str, Any]) -> list[Problem]:
    """The schema's verdict on the whole document; when it fails, the failures located: the
    document without its objects, then each ``@graph`` object, checked as the class its
    ``type`` names (the schema's own ``anyOf`` over every class would only say "not valid
    under any of the given schemas")."""
    if _spdx3_schema().is_valid(data):
        return []
    graph = data.get("@graph")
    items = graph if isinstance(graph, list) else []
    out = [
        Problem(error.message[:300], location=json_path(error.instance_path))
        for error in _spdx3_schema().iter_errors({**data, "@graph": []} if items else data)
    ]
    for index, item in enumerate(items):
        if _spdx3_schema("AnyClass").is_valid(item):
            continue
        spdx_id = item.get("spdxId") if isinstance(item, dict) else None
        kind = item.get("type") if isinstance(item, dict) else None
        errors = []
        if isinstance(kind, str) and kind in _spdx3_json_schema()["$defs"]:
            # the class's own rules first: a property that breaks one is reported once,
            # not also as "unevaluated"; then the properties no class of it has
            errors = list(_spdx3_schema(kind, strict=False).iter_errors(item))
            errors = errors or list(_spdx3_schema(kind).iter_errors(item))
        if not errors:
            out.append(
                Problem(
                    f"not an object of any SPDX 3 class (type {kind!r})",
                    location=json_path(["@graph", index]),
                    spdx_id=spdx_id if isinstance(spdx_id, str) else None,
                )
            )
        for error in errors:
            message = error.message
            out.append(
                Problem(
                    message if len(message) <= 300 else message[:300] + "…",
                    location=json_path(["@graph", index, *error.instance_path]),
                    spdx_id=_enclosing(item, error.instance_path, "spdxId"),
                )
            )
    return out


def _nested_context(data: dict[str, Any]) -> bool:
    """Whether an object below the top names a ``@context``."""
    stack: list[Any] = [v for k, v in data.items() if k != "@context"]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "@context" in node:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _spdx3_graph(data: dict[str, Any], context: Any) -> Any:
    """The document as RDF, parsed by rdflib as spdx3-validate's ``Document`` parses it, with
    the shipped context in place of its URL (rdflib would fetch the URL)."""
    import rdflib

    inline = {**data, "@context": context}
    graph = rdflib.Graph()
    graph.parse(data=json.dumps(inline), format="json-ld")
    return graph


def _spdx3_shacl_problem(report: str) -> Problem:
    """One result of spdx3-validate's ``check_graph`` (a multi-line report with the constraint,
    its shape, the focus node, the value, the path and the message) on one line."""
    fields: dict[str, str] = {}
    lines = report.strip().splitlines()
    for line in lines[1:]:
        key, sep, rest = line.strip().partition(": ")
        if sep and key in ("Focus Node", "Value Node", "Result path", "Message"):
            fields[key] = rest.strip()
    head = lines[0] if lines else report
    if not head.startswith("Violation of type"):
        return Problem(report.strip())
    constraint = head.removeprefix("Violation of type").strip().rstrip(":")

    def short(node: str | None) -> str | None:
        if node is None or node == "-":
            return None
        if node.startswith("<") and node.endswith(">"):  # an IRI, in N3
            node = node[1:-1]
        return node.removeprefix(_SPDX3_TERMS)

    path = short(fields.get("Result path"))
    value = short(fields.get("Value Node"))
    message = fields.get("Message") or constraint
    if len(message) > 300:
        message = message[:300] + "…"
    message += f" ({constraint}" + (f", value {value}" if value else "") + ")"
    return Problem(
        message,
        location=f"property {path}" if path else None,
        spdx_id=short(fields.get("Focus Node")),
    )


# -- sbomgen validate FILE ----------------------------------------------------------------------


@dataclass(frozen=True)
class Detected:
    standard: str  # "CycloneDX" or "SPDX"
    fmt: str  # json, xml, yaml, tv, rdf
    version: str


_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY")


def refuse_dtd(path: Path, data: bytes) -> None:
    """An SBOM in XML needs no DTD, and entity declarations are how XML external entity
    (XXE) and entity-expansion ("billion laughs") attacks work: such a document is refused
    before any parser sees it."""
    found = _DTD.search(data)
    if found:
        line = data.count(b"\n", 0, found.start()) + 1
        raise InputDataError(
            f"{path}: line {line}: an XML document type declaration (DOCTYPE or ENTITY); "
            "sbomgen reads no XML that declares entities (XXE, entity expansion)"
        )


def detect(path: Path, data: bytes) -> Detected:
    """Standard, format and version, from the content (the file name is not trusted)."""
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        refuse_dtd(path, data)
    if head.startswith("{"):
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except (ValueError, RecursionError) as exc:
            raise InputDataError(f"{path}: not valid JSON ({exc})") from None
        if isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX":
            return Detected("CycloneDX", "json", str(doc.get("specVersion", "?")))
        if isinstance(doc, dict) and "spdxVersion" in doc:
            return Detected("SPDX", "json", str(doc["spdxVersion"]).removeprefix("SPDX-"))
        spdx3 = spdx3_context_version(doc)
        if spdx3 is not None:  # SPDX 3 JSON-LD: its @context names the version
            return Detected("SPDX", "json", spdx3)
        context = doc.get("@context") if isinstance(doc, dict) else None
        if isinstance(context, str) and context.startswith("https://openvex.dev/ns"):
            return Detected("OpenVEX", "json", context.rsplit("/v", 1)[-1] or "?")
        raise InputDataError(
            f"{path}: JSON, but neither CycloneDX (bomFormat), SPDX 2 (spdxVersion), SPDX 3 "
            "(an spdx.org/rdf/3.x @context) nor OpenVEX (an openvex.dev @context)"
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


def validate_file(path: Path) -> tuple[Detected, list[Problem]]:
    """Validate a CycloneDX or SPDX file; every problem found, each with its location."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputDataError(f"{path}: cannot be read ({exc.strerror})") from None
    return validate_bytes(path, data)


def validate_bytes(path: Path, data: bytes) -> tuple[Detected, list[Problem]]:
    """:func:`validate_file` on content already in memory (``path`` names it in messages)."""
    found = detect(path, data)
    if found.standard == "OpenVEX":
        from sbomgen.emit.openvex import openvex_problems

        if found.version != "0.2.0":
            return found, [Problem(f"OpenVEX {found.version} is not one sbomgen validates (0.2.0)")]
        return found, [Problem(m) for m in openvex_problems(json.loads(data.decode("utf-8-sig")))]
    if found.standard == "CycloneDX":
        if found.version not in CDX_VERSIONS:
            return found, [
                Problem(f"CycloneDX version {found.version} is not one sbomgen can validate")
            ]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return found, [Problem(f"not UTF-8 text: {exc}")]
        return found, cyclonedx_problems(text, found.fmt, found.version)
    if found.version.startswith("3"):
        if found.version != SPDX3_VERSION:
            return found, [
                Problem(
                    f"SPDX version {found.version} is not one sbomgen validates "
                    f"({SPDX3_VERSION} for SPDX 3)"
                )
            ]
        return found, spdx3_problems(data)
    if found.version not in ("2.2", "2.3"):
        return found, [
            Problem(
                f"SPDX version {found.version} is not one spdx-tools validates (2.2, 2.3)",
                location="$.spdxVersion" if found.fmt in ("json", "yaml") else None,
            )
        ]
    if found.fmt in ("json", "yaml"):
        return found, _spdx_dict_problems(data, found)
    try:
        document = parse_spdx_text(data, found.fmt)
    except Exception as exc:  # spdx-tools raises SPDXParsingError and others
        return found, [_parse_problem(m, None) for m in _parse_messages(exc)]
    return found, _spdx_validation(document, found.version, None)


_LICENSE_FIELDS = {
    "packages": ("licenseConcluded", "licenseDeclared", "licenseInfoFromFiles"),
    "files": ("licenseConcluded", "licenseInfoInFiles"),
    "snippets": ("licenseConcluded", "licenseInfoInSnippets"),
}
_ELEMENTS = ("packages", "files", "snippets")
_EPOCH = "1970-01-01T00:00:00Z"
_TOOL = "Tool: sbomgen"
_PLACEHOLDER_ID = "SPDXRef-sbomgen-unreadable-"
_MISSING: Any = object()

Parts = list[str | int]


def _not_run() -> Problem:
    return Problem(
        "spdx-tools' checks (SPDX ids, references, licenses, checksums, URLs) were not run: "
        "the document could not be read past the problems above",
        location="$",
    )


def _spdx_dict_problems(raw: bytes, found: Detected) -> list[Problem]:
    """SPDX JSON or YAML: every problem, by JSON path and SPDX id.

    The schema (jsonschema-rs) and the license expressions (spdx-tools' parser) first. When
    they find problems, the offending values are set aside in a copy of the document (a
    value removed, a required one replaced by a neutral placeholder, an element that cannot
    be kept dropped), so that spdx-tools can still read the rest: what its parser refuses is
    located a field at a time, and its semantic validation runs on what is left. Nothing is
    set aside unless a problem was reported for it, so the verdict is that of the whole."""
    try:
        if found.fmt == "json":
            data = json.loads(raw.decode("utf-8-sig"))
        else:
            import yaml

            data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        return [Problem(f"not valid {found.fmt.upper()}: {exc}")]
    except Exception as exc:  # yaml.YAMLError
        mark = getattr(exc, "problem_mark", None)
        return [
            Problem(
                f"not valid YAML: {getattr(exc, 'problem', exc)}",
                location=f"line {mark.line + 1}" if mark is not None else None,
            )
        ]
    if not isinstance(data, dict):
        return [Problem("the document is not an object", location="$")]
    problems = _non_json_values(data) if found.fmt == "yaml" else []
    from sbomgen.emit.spdx import spdx_schema

    schema = spdx_schema(found.version)
    problems += [
        Problem(
            error.message,
            location=json_path(error.instance_path),
            spdx_id=_enclosing(data, error.instance_path, "SPDXID"),
        )
        for error in schema.iter_errors(data)
    ]
    expressions = _expression_problems(data)
    problems += [problem for _, problem in expressions]
    repair = None
    if problems:
        repair = _Repair(data, found.version)
        for parts, _ in expressions:
            repair.replace(parts, "NOASSERTION")
        if not repair.fit_schema(schema):
            return [*problems, _not_run()]
    document, parse_problems, repair = _parse_dict(data, repair, found.version)
    problems += parse_problems
    if document is None:
        return [*problems, _not_run()]
    seen = {(p.message, p.location) for p in problems}
    return problems + [
        p
        for p in _spdx_validation(document, found.version, data, repair)
        if (p.message, p.location) not in seen
    ]


def _non_json_values(data: Any) -> list[Problem]:
    """YAML values JSON has no type for (a timestamp, a date, binary, a set) or keys that are
    no strings: each reported where it is and replaced by its text, so the other checks go
    on (SPDX YAML is the JSON form: spdx-tools reads such a value as no string)."""
    out = []
    stack: list[tuple[Any, Parts]] = [(data, [])]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            for key in list(node):
                if not isinstance(key, str):
                    out.append(
                        Problem(
                            f"a key that is not a string: {key!r}",
                            location=json_path(parts),
                            spdx_id=_enclosing(data, parts, "SPDXID"),
                        )
                    )
                    node[str(key)] = node.pop(key)
            items: Iterable[tuple[str | int, Any]] = list(node.items())
        elif isinstance(node, list):
            items = list(enumerate(node))
        else:
            continue
        for key, value in items:
            if isinstance(value, (dict, list)):
                stack.append((value, [*parts, key]))
            elif value is not None and not isinstance(value, (str, int, float, bool)):
                text = _yaml_text(value)
                what = "timestamp" if hasattr(value, "isoformat") else type(value).__name__
                out.append(
                    Problem(
                        f"a YAML {what} where SPDX has a string: quote it ({text!r})",
                        location=json_path([*parts, key]),
                        spdx_id=_enclosing(data, [*parts, key], "SPDXID"),
                    )
                )
                node[key] = text
    return out


def _yaml_text(value: Any) -> str:
    """A YAML timestamp as the text SPDX has for it (UTC, to the second), else as text."""
    offset = value.utcoffset() if isinstance(value, datetime) else _MISSING
    if offset is None or offset == timedelta(0):
        return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _readable_expression(parser: Any, text: str, *, blank_ok: bool) -> bool:
    try:
        return parser.parse_license_expression(text) is not None or blank_ok
    except Exception:  # SPDXParsingError, or the library's IndexError on "()"
        return False


def _expression_problems(data: dict[str, Any]) -> list[tuple[Parts, Problem]]:
    """License expressions spdx-tools' parser refuses, by JSON path. A blank one in a list
    is one too: spdx-tools reads a blank field as absent, but a blank list item as a None in
    the list, refused or not as beartype's sampling of the list happens to fall."""
    from spdx_tools.spdx.parser.jsonlikedict.license_expression_parser import (
        LicenseExpressionParser,
    )

    parser = LicenseExpressionParser()
    out = []
    for kind, fields in _LICENSE_FIELDS.items():
        elements = data.get(kind)
        if not isinstance(elements, list):
            continue
        for i, element in enumerate(elements):
            if not isinstance(element, dict):
                continue
            own = element.get("SPDXID")
            for name in fields:
                value = element.get(name)
                values = value if isinstance(value, list) else [value]
                for j, item in enumerate(values):
                    if not isinstance(item, str):
                        continue
                    if _readable_expression(parser, item, blank_ok=not isinstance(value, list)):
                        continue
                    parts: Parts = (
                        [kind, i, name, j] if isinstance(value, list) else [kind, i, name]
                    )
                    problem = Problem(
                        f"not a valid SPDX license expression: {item!r}",
                        location=json_path(parts),
                        spdx_id=own if isinstance(own, str) else None,
                    )
                    out.append((parts, problem))
    return out


def _path_key(parts: Sequence[str | int]) -> tuple[tuple[bool, str | int], ...]:
    return tuple((isinstance(p, str), p) for p in parts)


class _Repair:
    """A copy of a document with its reported problems set aside, for spdx-tools to read;
    each container of the copy remembers its JSON path in the document."""

    def __init__(self, data: dict[str, Any], version: str) -> None:
        self.version = version
        self.work: dict[str, Any] = copy.deepcopy(data)
        self.origin: dict[int, Parts] = {}
        self.placeholders: dict[str, Parts] = {}  # placeholder SPDX id: where its element is
        self.dropped_ids: set[str] = set()
        self.dropped_licenses: set[str] = set()
        self.dropped_relationships: list[dict[str, Any]] = []
        self._kept: list[Any] = []  # what was taken out: no id() of the copy is reused
        stack: list[tuple[Any, Parts]] = [(self.work, [])]
        while stack:
            node, parts = stack.pop()
            if isinstance(node, dict):
                self.origin[id(node)] = parts
                stack.extend((v, [*parts, k]) for k, v in node.items())
            elif isinstance(node, list):
                self.origin[id(node)] = parts
                stack.extend((v, [*parts, i]) for i, v in enumerate(node))

    def where(self, node: Any, fallback: Parts) -> Parts:
        return self.origin.get(id(node), fallback)

    def at(self, parts: Sequence[str | int]) -> Any:
        node: Any = self.work
        for part in parts:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return _MISSING
        return node

    def replace(self, parts: Parts, value: Any) -> None:
        parent = self.at(parts[:-1])
        if isinstance(parent, (dict, list)):
            self._kept.append(parent[parts[-1]])  # type: ignore[index]
            parent[parts[-1]] = value  # type: ignore[index]

    def fit_schema(self, schema: Any) -> bool:
        """Set aside what the schema rejects until it accepts the copy (False: it cannot)."""
        for _ in range(8):
            errors = list(schema.iter_errors(self.work))
            if not errors:
                return True
            done: set[tuple[str | int, ...]] = set()
            changed = False
            # deepest and last first: a removal never moves what is still to be fixed
            for error in sorted(errors, key=lambda e: _path_key(e.instance_path), reverse=True):
                changed = self._fix(list(error.instance_path), error.kind, done) or changed
            if not changed:
                return False
        return bool(schema.is_valid(self.work))

    def _fix(self, parts: Parts, kind: Any, done: set[tuple[str | int, ...]]) -> bool:
        import jsonschema_rs

        kinds = jsonschema_rs.ValidationErrorKind
        node = self.at(parts)
        if node is _MISSING or tuple(parts) in done:
            return node is not _MISSING
        if isinstance(kind, kinds.Required) and isinstance(node, dict):
            value = self._placeholder(parts, node, kind.property)
            if value is _MISSING:
                return self._drop_at(parts, done)
            node[kind.property] = value
            return True
        if isinstance(kind, kinds.AdditionalProperties) and isinstance(node, dict):
            for key in kind.unexpected:
                self._kept.append(node.pop(key, None))
            return True
        if not parts:
            return False
        if isinstance(parts[-1], str):
            done.add(tuple(parts))
            self._kept.append(self.at(parts[:-1]).pop(parts[-1]))
            return True
        return self._drop_at(parts, done)

    def _placeholder(self, parts: Parts, node: dict[str, Any], name: str) -> Any:
        """A neutral value of a required field (one spdx-tools finds nothing wrong with)."""
        if not parts:
            kind = "document"
        elif parts == ["creationInfo"]:
            kind = "creationInfo"
        elif len(parts) == 2 and isinstance(parts[1], int) and isinstance(parts[0], str):
            kind = parts[0]
        else:
            return _MISSING
        if name == "SPDXID" and kind in _ELEMENTS:
            placeholder = f"{_PLACEHOLDER_ID}{len(self.placeholders) + 1}"
            self.placeholders[placeholder] = self.where(node, parts)
            return placeholder
        none = "NOASSERTION"
        table: dict[str, dict[str, Any]] = {
            "document": {
                "SPDXID": "SPDXRef-DOCUMENT",
                "name": none,
                "spdxVersion": f"SPDX-{self.version}",
                "dataLicense": "CC0-1.0",
                "creationInfo": {"created": _EPOCH, "creators": [_TOOL]},
            },
            "creationInfo": {"created": _EPOCH, "creators": [_TOOL]},
            "packages": dict.fromkeys(
                (
                    "name",
                    "downloadLocation",
                    "copyrightText",
                    "licenseConcluded",
                    "licenseDeclared",
                ),
                none,
            ),
            "files": {
                "fileName": "./NOASSERTION",
                "checksums": [{"algorithm": "SHA1", "checksumValue": "0" * 40}],
                "copyrightText": none,
                "licenseConcluded": none,
                "licenseInfoInFiles": [none],
            },
            "snippets": dict.fromkeys(("name", "copyrightText", "licenseConcluded"), none),
            "hasExtractedLicensingInfos": {"extractedText": none},
        }
        value = table.get(kind, {}).get(name, _MISSING)
        return value if value is _MISSING else copy.deepcopy(value)

    def _drop_at(self, parts: Parts, done: set[tuple[str | int, ...]]) -> bool:
        """Drop the innermost list item on the path (an element, a checksum, a creator)."""
        for k in range(len(parts) - 1, -1, -1):
            if isinstance(parts[k], int):
                break
        else:
            return False
        item = tuple(parts[: k + 1])
        if item in done:
            return True
        done.add(item)
        container = self.at(parts[:k])
        if not isinstance(container, list):
            return False
        self.drop(container, container[parts[k]])  # type: ignore[index]
        return True

    def drop(self, container: list[Any], item: Any) -> None:
        """Take ``item`` out of ``container`` (a list of the copy), noting what it named."""
        for i, candidate in enumerate(container):
            if candidate is item:
                del container[i]
                break
        self._kept.append(item)
        parts = self.origin.get(id(container), [])
        if len(parts) != 1 or not isinstance(item, dict):
            return
        if parts[0] in _ELEMENTS and isinstance(item.get("SPDXID"), str):
            self.dropped_ids.add(item["SPDXID"])
        elif parts[0] == "relationships":
            self.dropped_relationships.append(item)
        elif parts[0] == "hasExtractedLicensingInfos" and isinstance(item.get("licenseId"), str):
            self.dropped_licenses.add(item["licenseId"])

    def keep(self, value: Any) -> None:
        self._kept.append(value)


def _parse_dict(
    data: dict[str, Any], repair: _Repair | None, version: str
) -> tuple[Any, list[Problem], _Repair | None]:
    """spdx-tools' document of the (repaired) data; when its parser refuses it, what it
    refuses located and set aside, element by element, field by field."""
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    try:
        document = JsonLikeDictParser().parse(repair.work if repair else data)  # type: ignore[no-untyped-call]
    except Exception as exc:  # SPDXParsingError, or another error of the library on odd data
        document, refused = None, _parse_messages(exc)
    if document is not None:
        return document, [], repair
    repair = repair or _Repair(data, version)
    problems = _parse_elements(repair)
    if not problems:  # refused, but no part alone is: the library's word, cleaned
        problems = [_parse_problem(m, data) for m in refused]
    try:
        return JsonLikeDictParser().parse(repair.work), problems, repair  # type: ignore[no-untyped-call]
    except Exception as exc:
        seen = {p.message for p in problems}
        rest = [_parse_problem(m, data) for m in _parse_messages(exc)]
        return None, problems + [p for p in rest if p.message not in seen], repair


def _refusal(parse: Any, candidate: Any) -> list[str] | None:
    """What spdx-tools' parser says about ``candidate``; None when it reads it."""
    try:
        parse(candidate)
    except Exception as exc:
        return _parse_messages(exc)
    return None


def _isolate(
    repair: _Repair,
    parse: Any,
    base: dict[str, Any],
    element: dict[str, Any],
    spdx_id: str | None,
    fallback: Parts,
    keys: Iterable[str] | None = None,
) -> tuple[list[Problem], bool]:
    """The fields (or list items) of ``element`` that ``parse`` refuses, each tried alone on
    ``base`` (a minimal element it reads): each reported at its path and removed, then what
    the element must have filled from ``base``. False when it still cannot be read."""
    refused = _refusal(parse, element)
    if refused is None:
        return [], True
    where = repair.where(element, fallback)
    out = []
    for key in [k for k in element if keys is None or k in keys]:
        value = element[key]
        if isinstance(value, list) and value:
            bad = [
                (i, said)
                for i, item in enumerate(value)
                if (said := _refusal(parse, {**base, key: [item]})) is not None
            ]
            for i, said in bad:
                out.append(
                    Problem(_readable(said), location=json_path([*where, key, i]), spdx_id=spdx_id)
                )
            for i, _ in reversed(bad):
                repair.keep(value.pop(i))
            if bad:
                continue
        said = _refusal(parse, {**base, key: value})
        if said is not None:
            out.append(Problem(_readable(said), location=json_path([*where, key]), spdx_id=spdx_id))
            repair.keep(element.pop(key))
    if _refusal(parse, element) is not None:
        for key, value in base.items():
            if element.get(key) in (None, "", [], {}):
                element[key] = copy.deepcopy(value)
    remaining = _refusal(parse, element)
    if not out or remaining is not None:
        out.append(
            Problem(_readable(remaining or refused), location=json_path(where), spdx_id=spdx_id)
        )
    return out, remaining is None


_DOCUMENT_KEYS = (
    "spdxVersion",
    "SPDXID",
    "name",
    "documentNamespace",
    "dataLicense",
    "comment",
    "externalDocumentRefs",
)


def _parse_elements(repair: _Repair) -> list[Problem]:
    """Each part of the copy through the spdx-tools parser that reads it (as
    ``JsonLikeDictParser`` does), what it refuses located (see :func:`_isolate`); an
    element that still cannot be read is dropped."""
    from spdx_tools.spdx.parser.jsonlikedict.annotation_parser import AnnotationParser
    from spdx_tools.spdx.parser.jsonlikedict.creation_info_parser import CreationInfoParser
    from spdx_tools.spdx.parser.jsonlikedict.extracted_licensing_info_parser import (
        ExtractedLicensingInfoParser,
    )
    from spdx_tools.spdx.parser.jsonlikedict.file_parser import FileParser
    from spdx_tools.spdx.parser.jsonlikedict.package_parser import PackageParser
    from spdx_tools.spdx.parser.jsonlikedict.relationship_parser import RelationshipParser
    from spdx_tools.spdx.parser.jsonlikedict.snippet_parser import SnippetParser

    work = repair.work
    doc_id = work.get("SPDXID") if isinstance(work.get("SPDXID"), str) else None
    out: list[Problem] = []
    some_id = "SPDXRef-sbomgen-placeholder"
    sha1 = [{"algorithm": "SHA1", "checksumValue": "0" * 40}]
    info_base = {"created": _EPOCH, "creators": [_TOOL]}
    document_base = {
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "NOASSERTION",
        "spdxVersion": f"SPDX-{repair.version}",
        "dataLicense": "CC0-1.0",
        "documentNamespace": "https://spdx.org/spdxdocs/sbomgen-placeholder",
        "creationInfo": info_base,
    }
    creation = CreationInfoParser().parse_creation_info  # type: ignore[no-untyped-call]
    info = work.get("creationInfo")
    if isinstance(info, dict):
        found, _ = _isolate(
            repair,
            lambda ci: creation({**document_base, "creationInfo": ci}),
            info_base,
            info,
            doc_id,
            ["creationInfo"],
        )
        out += found
    found, _ = _isolate(repair, creation, document_base, work, doc_id, [], _DOCUMENT_KEYS)
    out += found

    pointer = {"offset": 1, "reference": some_id}
    parsers: dict[str, tuple[Any, dict[str, Any]]] = {
        "packages": (
            PackageParser().parse_package,  # type: ignore[no-untyped-call]
            {"SPDXID": some_id, "name": "NOASSERTION", "downloadLocation": "NOASSERTION"},
        ),
        "files": (
            FileParser().parse_file,  # type: ignore[no-untyped-call]
            {"SPDXID": some_id, "fileName": "./NOASSERTION", "checksums": sha1},
        ),
        "snippets": (
            SnippetParser().parse_snippet,  # type: ignore[no-untyped-call]
            {
                "SPDXID": some_id,
                "snippetFromFile": some_id,
                "ranges": [{"startPointer": pointer, "endPointer": pointer}],
            },
        ),
        "hasExtractedLicensingInfos": (
            ExtractedLicensingInfoParser().parse_extracted_licensing_info,  # type: ignore[no-untyped-call]
            {"licenseId": "LicenseRef-sbomgen-placeholder", "extractedText": "NOASSERTION"},
        ),
        "relationships": (
            RelationshipParser().parse_relationship,  # type: ignore[no-untyped-call]
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "NOASSERTION",
            },
        ),
    }
    for name, (parse, base) in parsers.items():
        items = work.get(name)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(list(items)):
            if not isinstance(item, dict):
                continue
            own = item.get("SPDXID") if name != "relationships" else item.get("spdxElementId")
            found, readable = _isolate(
                repair, parse, base, item, own if isinstance(own, str) else None, [name, i]
            )
            out += found
            if not readable:
                repair.drop(items, item)

    annotations = AnnotationParser()  # type: ignore[no-untyped-call]
    annotation_base = {
        "annotationType": "OTHER",
        "annotator": _TOOL,
        "annotationDate": _EPOCH,
        "comment": "NOASSERTION",
    }
    owners: list[tuple[dict[str, Any], str | None]] = [(work, doc_id)]
    for name in _ELEMENTS:
        for element in work.get(name) or []:
            if isinstance(element, dict):
                own = element.get("SPDXID")
                owners.append((element, own if isinstance(own, str) else None))
    for owner, owner_id in owners:
        for key, parse, base in (
            (
                "annotations",
                lambda x, o=owner_id: annotations.parse_annotation(x, spdx_id=o),
                annotation_base,
            ),
            (
                "revieweds",
                lambda x, o=owner_id: annotations.parse_review(x, spdx_id=o),
                {"reviewer": _TOOL, "reviewDate": _EPOCH},
            ),
        ):
            items = owner.get(key) if key == "annotations" or owner is work else None
            if not isinstance(items, list):
                continue
            for i, item in enumerate(list(items)):
                if isinstance(item, dict):
                    where = [*repair.where(owner, []), key, i]
                    found, readable = _isolate(repair, parse, base, item, owner_id, where)
                    out += found
                    if not readable:
                        repair.drop(items, item)
    return out


def _parse_messages(exc: Exception) -> list[str]:
    getter = getattr(exc, "get_messages", None)
    messages = getter() if callable(getter) else None
    return [str(m) for m in messages] if messages else [str(exc)]


_SETTER = re.compile(
    r"SetterError (?P<element>\w+): .*?parameter (?P<field>\w+)=(?P<value>.*?) violates type hint"
)
_WRAPPED = re.compile(r"^Error while (?:parsing|constructing) [^:\[]*: (\[.*\])$", re.S)
_DATE = re.compile(r"time data (?P<value>'.*') does not match format '%Y-%m-%dT%H:%M:%SZ'")
_QUOTED = re.compile(r'"([^"]+)"')


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _unwrap(message: str) -> list[str]:
    """The messages inside spdx-tools' "Error while parsing Package: ['...', '...']"."""
    m = _WRAPPED.match(message)
    if m:
        try:
            inner = ast.literal_eval(m.group(1))
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            inner = None
        if isinstance(inner, list) and inner and all(isinstance(x, str) for x in inner):
            return [part for x in inner for part in _unwrap(x)]
    return [message]


def _readable_one(message: str) -> str:
    """One spdx-tools parse message without the library's internals (setter names, type
    hints, strptime formats)."""
    setter = _SETTER.search(message)
    if setter:
        field, value = _camel(setter["field"]), setter["value"].strip("\"'")
        if value == "None":
            return f"{setter['element']} field {field!r} is missing"
        return f"{setter['element']} field {field!r} has a value of the wrong type: {value}"
    date = _DATE.search(message)
    if date:
        return f"not a date and time of the form YYYY-MM-DDThh:mm:ssZ: {date['value']}"
    if "SetterError" in message or "type hint" in message:
        return "a field has a value of the wrong type"
    return message


def _readable(messages: list[str]) -> str:
    return "; ".join(dict.fromkeys(_readable_one(p) for m in messages for p in _unwrap(m)))


def _parse_problem(message: str, data: dict[str, Any] | None) -> Problem:
    """An spdx-tools parse message, without the library's internals (setter names, type
    hints), located in the document when the value can be found there."""
    inner = _unwrap(message)
    text = _readable(inner)
    if len(inner) == 1 and not _SETTER.search(inner[0]) and data is not None:
        quoted = _QUOTED.search(inner[0])
        located = _find_value(data, quoted.group(1)) if quoted else None
        if located is not None:
            parts, spdx_id = located
            return Problem(text, location=json_path(parts), spdx_id=spdx_id)
    return Problem(text)


def _find_value(data: Any, value: str) -> tuple[Parts, str | None] | None:
    stack: list[tuple[Any, Parts, str | None]] = [(data, [], None)]
    while stack:
        node, parts, spdx_id = stack.pop()
        if isinstance(node, dict):
            own = node.get("SPDXID") if isinstance(node.get("SPDXID"), str) else spdx_id
            for key, child in node.items():
                if child == value:
                    return [*parts, key], own
                stack.append((child, [*parts, key], own))
        elif isinstance(node, list):
            for i, child in enumerate(node):
                if child == value:
                    return [*parts, i], spdx_id
                stack.append((child, [*parts, i], spdx_id))
    return None


_BUT_IS = re.compile(r"but is: (.*)$", re.S)
_REFERENCED = re.compile(r'did not find the referenced spdx_id "([^"]+)"')
_UNRECOGNIZED = re.compile(r"^Unrecognized license reference: (\S+?)\. ")
# spdx-tools messages that name no value: the field of the element they are about
_FIELDS = (
    ("package download_location", "downloadLocation"),
    ("homepage", "homepage"),
    ("verification_code", "packageVerificationCode"),
    ("license_info_from_files", "licenseInfoFromFiles"),
    ("primary_package_purpose", "primaryPackagePurpose"),
    ("built_date", "builtDate"),
    ("release_date", "releaseDate"),
    ("valid_until_date", "validUntilDate"),
    ("package must contain no elements", "filesAnalyzed"),
    ("file name", "fileName"),
    ("checksums must contain", "checksums"),
    ("byte_range", "ranges"),
    ("line_range", "ranges"),
    ("the first value of", "ranges"),
    ("document_namespace", "documentNamespace"),
    ("data_license", "dataLicense"),
    ("only SPDX versions", "spdxVersion"),
    ("provided SPDX version", "spdxVersion"),
)


def _named(text: str) -> str | None:
    """The value an spdx-tools message quotes ("... but is: X", '... "X" ...')."""
    m = _BUT_IS.search(text) or _QUOTED.search(text)
    return m.group(1).strip() if m else None


class _Locator:
    """Where in the document (JSON path, SPDX id) an spdx-tools validation message is."""

    def __init__(self, data: dict[str, Any], repair: _Repair | None) -> None:
        self.data = data
        self.doc_id = data.get("SPDXID") if isinstance(data.get("SPDXID"), str) else None
        self.index: dict[str, Parts] = {}
        for kind in _ELEMENTS:
            elements = data.get(kind)
            for i, element in enumerate(elements if isinstance(elements, list) else []):
                if isinstance(element, dict) and isinstance(element.get("SPDXID"), str):
                    self.index.setdefault(element["SPDXID"], [kind, i])
        self.placeholders = dict(repair.placeholders) if repair else {}
        self.index.update(self.placeholders)
        self.used: set[tuple[Any, ...]] = set()

    def node(self, parts: Sequence[str | int]) -> Any:
        node: Any = self.data
        for part in parts:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def element(self, spdx_id: str | None) -> Parts | None:
        if spdx_id is None:
            return None
        if spdx_id in self.index:
            return self.index[spdx_id]
        return [] if spdx_id == self.doc_id else None

    def items(self, parts: Sequence[str | int]) -> list[tuple[Parts, dict[str, Any]]]:
        node = self.node(parts)
        if not isinstance(node, list):
            return []
        return [([*parts, i], item) for i, item in enumerate(node) if isinstance(item, dict)]

    def first(self, text: str, candidates: Iterable[Parts]) -> Parts | None:
        """The first candidate not yet given to this message (two equal faults in two
        places are two places)."""
        for parts in candidates:
            key = (text, *parts)
            if key not in self.used:
                self.used.add(key)
                return parts
        return None

    def problem(self, message: Any) -> Problem:
        context = message.context
        text: str = message.validation_message
        kind = context.element_type.name if context.element_type is not None else None
        full = context.full_element
        owner = context.spdx_id or (
            context.parent_id if context.parent_id != "annotation" else None
        )
        if kind == "ACTOR" and context.parent_id == "annotation":
            places: list[Parts] = [["annotations"]]
            places += ([*b, "annotations"] for b in self.index.values())
            parts = self.first(
                text,
                [
                    [*p, "annotator"]
                    for place in places
                    for p, a in self.items(place)
                    if isinstance(a.get("annotator"), str) and full.name in a["annotator"]
                ],
            )
        elif kind == "RELATIONSHIP":
            parts, owner = self.relationship(full, text)
        elif kind == "ANNOTATION":
            owner = getattr(full, "spdx_id", None)
            parts = self.annotation(full, text)
        elif kind == "EXTRACTED_LICENSING_INFO":
            parts = self.extracted(full, text)
        else:
            base = self.element(owner)
            if kind in ("DOCUMENT", "EXTERNAL_DOCUMENT_REF", "ACTOR"):
                base = []  # the document's own (its SPDX id may be one set aside)
            parts = None if base is None else self.refine(base, kind, full, text)
        return Problem(
            text,
            location=json_path(parts) if parts is not None else None,
            spdx_id=None if owner in self.placeholders else owner,
        )

    def refine(self, base: Parts, kind: str | None, full: Any, text: str) -> Parts:
        node = self.node(base)
        if not isinstance(node, dict):
            return base
        if kind == "CHECKSUM":
            field = "algorithm" if text.endswith("not supported in SPDX-2.2") else "checksumValue"

            def same(c: Any) -> bool:
                algorithm = c.get("algorithm")
                return (
                    isinstance(algorithm, str)
                    and algorithm.replace("-", "_").upper() == full.algorithm.name
                    and c.get("checksumValue") == full.value
                )

            found = self.first(
                text,
                [
                    *([*p, field] for p, c in self.items([*base, "checksums"]) if same(c)),
                    *(
                        [*p, "checksum", field]
                        for p, ref in self.items([*base, "externalDocumentRefs"])
                        if isinstance(ref.get("checksum"), dict) and same(ref["checksum"])
                    ),
                ],
            )
            return found or base
        if kind == "EXTERNAL_PACKAGE_REF":
            field = (
                "referenceType"
                if text.startswith("externalPackageRef type")
                else ("referenceLocator")
            )
            found = self.first(
                text,
                [
                    [*p, field]
                    for p, ref in self.items([*base, "externalRefs"])
                    if ref.get("referenceLocator") == full.locator
                    and ref.get("referenceType") == full.reference_type
                ],
            )
            return found or base
        if kind == "EXTERNAL_DOCUMENT_REF":
            field = "spdxDocument" if text.startswith("document_uri") else "externalDocumentId"
            found = self.first(
                text,
                [
                    [*p, field]
                    for p, ref in self.items([*base, "externalDocumentRefs"])
                    if ref.get("externalDocumentId") == full.document_ref_id
                ],
            )
            return found or base
        if kind == "ACTOR":
            creators = self.node(["creationInfo", "creators"])
            found = self.first(
                text,
                [
                    ["creationInfo", "creators", i]
                    for i, c in enumerate(creators if isinstance(creators, list) else [])
                    if isinstance(c, str) and full.name in c
                ],
            )
            return found or base
        if kind == "LICENSE_EXPRESSION" and base and base[0] in _LICENSE_FIELDS:
            return self.license(base, node, full, text) or base
        if kind == "PACKAGE_VERIFICATION_CODE" and "packageVerificationCode" in node:
            return [*base, "packageVerificationCode"]
        value = _named(text)
        if value is not None:
            for key, v in node.items():
                if v == value and not isinstance(v, (dict, list)):
                    return [*base, key]
        for prefix, key in _FIELDS:
            if text.startswith(prefix) and key in node:
                return [*base, key]
        return base

    def license(self, base: Parts, node: dict[str, Any], full: Any, text: str) -> Parts | None:
        token = _UNRECOGNIZED.match(text)
        symbol = token.group(1) if token else None
        candidates: list[Parts] = []
        for field in _LICENSE_FIELDS[str(base[0])]:
            value = node.get(field)
            values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            for j, item in values:
                if not isinstance(item, str):
                    continue
                hit = (symbol is not None and symbol in re.split(r"[\s()]+", item)) or (
                    symbol is None and item == str(full)
                )
                if hit:
                    candidates.append([*base, field] if j is None else [*base, field, j])
        return self.first(text, candidates)

    def relationship(self, full: Any, text: str) -> tuple[Parts | None, str | None]:
        origin = full.spdx_element_id
        related = str(full.related_spdx_element_id)
        kind = full.relationship_type.name
        value = _named(text)
        field = (
            "relatedSpdxElement"
            if value == related
            else "spdxElementId"
            if value == origin
            else None
        )
        # the SPDX id the message is about: the one it names, else the relationship's own
        about = value if field else origin
        found = self.first(
            text,
            [
                p
                for p, rel in self.items(["relationships"])
                if rel.get("spdxElementId") == origin
                and rel.get("relationshipType") == kind
                and str(rel.get("relatedSpdxElement")) == related
            ],
        )
        if found is not None:
            return ([*found, field] if field else found), about
        if kind == "DESCRIBES" and origin == self.doc_id:
            described = self.node(["documentDescribes"])
            for j, x in enumerate(described if isinstance(described, list) else []):
                if x == related:
                    return ["documentDescribes", j], about
        base = self.element(origin)
        if kind == "CONTAINS" and base is not None:
            files = self.node([*base, "hasFiles"])
            for j, x in enumerate(files if isinstance(files, list) else []):
                if x == related:
                    return [*base, "hasFiles", j], about
        return None, about

    def annotation(self, full: Any, text: str) -> Parts | None:
        owner = self.element(full.spdx_id)
        places: list[Parts] = [["annotations"], ["revieweds"]]
        if owner:
            places.insert(0, [*owner, "annotations"])
        candidates = [
            p
            for place in places
            for p, a in self.items(place)
            if a.get("comment") == full.annotation_comment
        ]
        return self.first(text, candidates)

    def extracted(self, full: Any, text: str) -> Parts | None:
        infos = self.items(["hasExtractedLicensingInfos"])
        for parts, info in infos:
            if info.get("licenseId") != full.license_id:
                continue
            if text.startswith("license_id"):
                return [*parts, "licenseId"]
            if text.startswith("extracted_text"):
                return [*parts, "extractedText"]
            if text.startswith("cross_reference"):
                value = _named(text)
                see = info.get("seeAlsos")
                for j, x in enumerate(see if isinstance(see, list) else []):
                    if x == value:
                        return [*parts, "seeAlsos", j]
            return parts
        return None


def _spdx_validation(
    document: Any, version: str, data: dict[str, Any] | None, repair: _Repair | None = None
) -> list[Problem]:
    """spdx-tools' validation of ``document``, each message located in ``data`` (the
    document as JSON or YAML gave it) by JSON path and SPDX id. Messages that only say what
    was set aside (``repair``) is not there are left out: it was reported already."""
    from sbomgen.emit.spdx_validation import validate_spdx_document

    locator = _Locator(data if data is not None else {}, repair)
    describes_dropped = repair is not None and any(
        locator.doc_id in (r.get("spdxElementId"), r.get("relatedSpdxElement"))
        for r in repair.dropped_relationships
    )
    out = []
    for message in validate_spdx_document(document, f"SPDX-{version}"):
        text = message.validation_message
        if repair is not None:
            referenced = _REFERENCED.search(text)
            unrecognized = _UNRECOGNIZED.match(text)
            if (
                (referenced and referenced.group(1) in repair.dropped_ids)
                or (unrecognized and unrecognized.group(1) in repair.dropped_licenses)
                or (describes_dropped and text.startswith("there must be at least one"))
            ):
                continue
        if data is None:
            context = message.context
            parent = context.parent_id if context.parent_id != "annotation" else None
            out.append(Problem(text, spdx_id=context.spdx_id or parent))
            continue
        out.append(locator.problem(message))
    return out
