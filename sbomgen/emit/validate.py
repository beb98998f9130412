"""Validation of CycloneDX and SPDX documents, before writing and for ``sbomgen validate``.

- CycloneDX: the JSON and XML validators of cyclonedx-python-lib, against the schema of the
  document's version.
- SPDX: spdx-tools' ``validate_full_spdx_document`` (schema-level and semantic rules), on a
  document parsed back from the text, so that what is checked is what is written.
- SPDX 3 (JSON-LD): spdx3-validate's JSON schema and SHACL checks, against the SPDX 3.0.1
  JSON schema, SHACL model and JSON-LD context that ship with sbomgen (sbomgen/schemas/).

Every message carries its location: a JSON path or XML line for CycloneDX, the SPDX id and
element type for SPDX.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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
    schema = json.loads(folder.joinpath("spdx-3.0.1.schema.json").read_text(encoding="utf-8"))
    shacl = rdflib.Graph()
    shacl.parse(
        data=folder.joinpath("spdx-3.0.1-model.ttl").read_text(encoding="utf-8"), format="turtle"
    )
    context = json.loads(folder.joinpath("spdx-3.0.1-context.jsonld").read_text(encoding="utf-8"))
    version = find_version(SPDX3_CONTEXT)
    if version is None:  # pragma: no cover - spdx3-validate knows 3.0.1
        raise RuntimeError("spdx3-validate does not know SPDX 3.0.1")
    return schema, shacl, version, context["@context"]


@lru_cache(maxsize=64)
def _spdx3_schema(ref: str | None = None, strict: bool = True) -> Any:
    """jsonschema-rs over the SPDX 3.0.1 JSON schema: the whole document (``ref`` None), or
    one definition of it (one ``@graph`` item, or one class), ``strict``: with no property
    left unchecked.

    spdx3-validate checks the schema with pure-Python jsonschema, which takes two minutes
    for the 67-package sample (the schema tries every class for every object); the same
    schema here gives the same verdicts in milliseconds (tested on documents both check)."""
    import jsonschema_rs

    schema = _spdx3_checks()[0]
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
    problems = _spdx3_schema_problems(data)
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
        if isinstance(kind, str) and kind in _spdx3_checks()[0]["$defs"]:
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
        raise InputDataError(
            f"{path}: JSON, but neither CycloneDX (bomFormat), SPDX 2 (spdxVersion) nor "
            "SPDX 3 (an spdx.org/rdf/3.x @context)"
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
            Problem(f"SPDX version {found.version} is not one spdx-tools validates (2.2, 2.3)")
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


def _spdx_dict_problems(raw: bytes, found: Detected) -> list[Problem]:
    """SPDX JSON or YAML: the schema first (every problem, by JSON path), then license
    expressions with spdx-tools' own parser, and only when both pass the spdx-tools model
    and its validation, located back in the document."""
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
    from sbomgen.emit.spdx import spdx_schema

    problems = [
        Problem(
            error.message,
            location=json_path(error.instance_path),
            spdx_id=_enclosing(data, error.instance_path, "SPDXID"),
        )
        for error in spdx_schema(found.version).iter_errors(data)
    ]
    problems += _expression_problems(data)
    if problems:
        return problems
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    try:
        document = JsonLikeDictParser().parse(data)  # type: ignore[no-untyped-call]
    except Exception as exc:
        return [_parse_problem(m, data) for m in _parse_messages(exc)]
    return _spdx_validation(document, found.version, data)


def _expression_problems(data: dict[str, Any]) -> list[Problem]:
    from spdx_tools.spdx.parser.error import SPDXParsingError
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
            for name in fields:
                value = element.get(name)
                values = value if isinstance(value, list) else [value]
                for j, item in enumerate(values):
                    if not isinstance(item, str):
                        continue
                    try:
                        parser.parse_license_expression(item)
                    except SPDXParsingError:
                        parts: list[str | int] = [kind, i, name]
                        if isinstance(value, list):
                            parts.append(j)
                        out.append(
                            Problem(
                                f"not a valid SPDX license expression: {item!r}",
                                location=json_path(parts),
                                spdx_id=element.get("SPDXID")
                                if isinstance(element.get("SPDXID"), str)
                                else None,
                            )
                        )
    return out


def _parse_messages(exc: Exception) -> list[str]:
    getter = getattr(exc, "get_messages", None)
    messages = getter() if callable(getter) else None
    return [str(m) for m in messages] if messages else [str(exc)]


_SETTER = re.compile(
    r"SetterError (?P<element>\w+): .*?parameter (?P<field>\w+)=(?P<value>.*?) violates type hint"
)
_QUOTED = re.compile(r'"([^"]+)"')


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _parse_problem(message: str, data: dict[str, Any] | None) -> Problem:
    """An spdx-tools parse message, without the library's internals (setter names, type
    hints), located in the document when the value can be found there."""
    setter = _SETTER.search(message)
    if setter:
        field, value = _camel(setter["field"]), setter["value"].strip("\"'")
        text = f"{setter['element']} field {field!r} has a value of the wrong type: {value}"
        if value == "None":
            text = f"{setter['element']} field {field!r} is missing"
        return Problem(text)
    inner = message
    while True:  # "Error while parsing Package: ['Error parsing LicenseExpression: "x"']"
        m = re.match(r"^Error while (?:parsing|constructing) \w+: \[['\"](.*)['\"]\]$", inner, re.S)
        if not m:
            break
        inner = m.group(1)
    quoted = _QUOTED.search(inner)
    if quoted and data is not None:
        located = _find_value(data, quoted.group(1))
        if located is not None:
            parts, spdx_id = located
            return Problem(inner, location=json_path(parts), spdx_id=spdx_id)
    return Problem(inner)


def _find_value(data: Any, value: str) -> tuple[list[str | int], str | None] | None:
    stack: list[tuple[Any, list[str | int], str | None]] = [(data, [], None)]
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


def _spdx_validation(document: Any, version: str, data: dict[str, Any] | None) -> list[Problem]:
    from sbomgen.emit.spdx_validation import validate_spdx_document

    index: dict[str, list[str | int]] = {}
    relationships: list[Any] = []
    if data is not None:
        for kind in ("packages", "files", "snippets"):
            for i, element in enumerate(data.get(kind) or []):
                if isinstance(element, dict) and isinstance(element.get("SPDXID"), str):
                    index.setdefault(element["SPDXID"], [kind, i])
        relationships = list(data.get("relationships") or [])
    used: set[int] = set()
    out = []
    for message in validate_spdx_document(document, f"SPDX-{version}"):
        context = message.context
        location = None
        if data is not None:
            if context.spdx_id in index:
                location = json_path(index[context.spdx_id])
            elif context.spdx_id == data.get("SPDXID"):
                location = "$"
            element = context.full_element
            if location is None and type(element).__name__ == "Relationship":
                for i, rel in enumerate(relationships):
                    if i in used or not isinstance(rel, dict):
                        continue
                    if (
                        rel.get("spdxElementId") == element.spdx_element_id
                        and rel.get("relationshipType") == element.relationship_type.name
                    ):
                        used.add(i)
                        location = json_path(["relationships", i])
                        break
        out.append(Problem(message.validation_message, location=location, spdx_id=context.spdx_id))
    return out
