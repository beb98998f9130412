"""SPDX 2.2 and 2.3 in JSON, YAML, XML, tag-value and RDF/XML, through spdx-tools.

The document is validated once as a model with spdx-tools (``validate_full_spdx_document``
rules, with the two quadratic lookups indexed: see spdx_validation.py), and its JSON form
against the official SPDX JSON schema of its version, before any text is returned.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import uuid
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any, cast

import xmltodict
import yaml
from spdx_tools.spdx.jsonschema.document_converter import DocumentConverter
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    Checksum,
    ChecksumAlgorithm,
    CreationInfo,
    Document,
    ExternalPackageRef,
    ExternalPackageRefCategory,
    ExtractedLicensingInfo,
    Package,
    PackagePurpose,
    Relationship,
    RelationshipType,
    SpdxNoAssertion,
)
from spdx_tools.spdx.writer.tagvalue import tagvalue_writer

from sbomgen import __version__
from sbomgen.emit.formats import SPDX_VERSIONS
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.plan import ROOT, DocumentPlan, plan_document, short_hash
from sbomgen.emit.validate import spdx_messages
from sbomgen.enrich.licenses import spdx_licensing
from sbomgen.enrich.texts import symbols_of
from sbomgen.errors import ValidationFailedError
from sbomgen.model import NOASSERTION, Inventory, Library, LicenseText, Party
from sbomgen.names import ascii_id

FORMATS = {
    "json": ".spdx.json",
    "yaml": ".spdx.yaml",
    "xml": ".spdx.xml",
    "tv": ".spdx",
    "rdf": ".spdx.rdf.xml",
}
VERSIONS = SPDX_VERSIONS
NAMESPACE = uuid.UUID("0b0e0f2c-5d7a-5c1e-8f55-3c8a5f1d2e4b")
PROVISIONAL_UUID = uuid.UUID(int=0)


def _line(value: str | None) -> str | None:
    """A single-line SPDX field (names, versions): whitespace runs, newlines included, as one space."""
    return " ".join(value.split()) if value is not None else None


def _id_part(text: str) -> str:
    """SPDX ids are ASCII: a transliteration of the name (see :mod:`sbomgen.names`)."""
    return ascii_id(text, limit=60)


def spdx_id(node: str, plan: DocumentPlan, names: Mapping[str, str]) -> str:
    """Valid ([A-Za-z0-9.-]) and unique: a readable name plus a hash of the Mend key."""
    if node == ROOT:
        kind = {"product": "Product", "project": "Project"}.get(plan.root_kind, "Root")
        return f"SPDXRef-{kind}-{_id_part(plan.meta.name)}"
    kind, _, ident = node.partition(":")
    label = {"lib": "Package", "product": "Product", "project": "Project"}[kind]
    return f"SPDXRef-{label}-{_id_part(names.get(node, ident))}-{short_hash(ident)}"


def _comment(lib: Library) -> str | None:
    """In-house libraries say so; after ``native --enrich``, where each fact comes from."""
    lines = ["In-house library (Mend)"] if lib.in_house else []
    by_source: dict[str, list[str]] = {}
    for fact in sorted(lib.fact_sources):
        label = f"{fact.fact} ({fact.note})" if fact.note else fact.fact
        by_source.setdefault(fact.source, []).append(label)
    for source, facts in sorted(by_source.items()):
        lines.append(f"From {source}: {'; '.join(facts)}")
    return "\n".join(lines) or None


def package_name(lib: Library) -> str:
    """The name a person would look for: scoped npm names whole, Maven's artifactId."""
    if lib.purl:
        m = re.match(r"pkg:(?P<type>[^/]+)/(?P<rest>[^@?#]+)", lib.purl)
        if m:
            from urllib.parse import unquote

            parts = unquote(m.group("rest")).split("/")
            if m.group("type") in ("npm", "golang", "github"):
                return "/".join(parts)
            return parts[-1] if m.group("type") == "maven" else (lib.name or parts[-1])
    return lib.name or lib.artifact_id or lib.filename or lib.key_uuid


def _expression(value: str) -> Any:
    if value == NOASSERTION:
        return SpdxNoAssertion()
    return spdx_licensing().parse(value, validate=False)


def _download(lib: Library) -> str | SpdxNoAssertion:
    url = lib.references.download
    if url and re.match(r"^https?://\S+$", url):
        return url
    return SpdxNoAssertion()


def _license_comment(lib: Library, unasserted: list[str]) -> str | None:
    """How the license fields were reached (SPDX 2.3 7.16 licenseComments)."""
    lines = []
    if lib.license is not None:
        if lib.license.suspected:
            lines.append(
                "Mend only suspected the license ("
                + ", ".join(p.mend_name for p in lib.license.parts if p.suspected)
                + "): it is concluded, not declared"
            )
        if lib.license.inference:
            lines.append(lib.license.inference)
        if lib.license.curation:
            lines.append(f"Concluded license curated: {lib.license.curation}")
    if unasserted:
        names = sorted(
            {
                p.mend_name
                for p in lib.license.parts
                if set(symbols_of(p.expression)) & set(unasserted)
            }
            if lib.license
            else set()
        )
        lines.append(
            f"Mend names the license {', '.join(repr(n) for n in names)} but gives no text for "
            f"{', '.join(unasserted)}; an SPDX license reference needs its text, so the "
            "license is not asserted here"
        )
    return "\n".join(lines) or None


def _actor(party: Party | None) -> Actor | SpdxNoAssertion:
    if party is None:
        return SpdxNoAssertion()
    kind = ActorType.PERSON if party.kind == "person" else ActorType.ORGANIZATION
    return Actor(kind, _line(party.name) or party.name)


def _asserted(expression: str, texts: Mapping[str, object]) -> tuple[str, list[str]]:
    """The expression, or NOASSERTION when it names a LicenseRef with no text (an SPDX
    ExtractedLicensingInfo must carry the license's text), and those LicenseRefs."""
    missing = [s for s in symbols_of(expression) if s.startswith("LicenseRef-") and s not in texts]
    return (NOASSERTION, missing) if missing else (expression, [])


def build_document(plan: DocumentPlan, version: str) -> Document:
    meta = plan.meta
    names: dict[str, str] = {
        f"lib:{lib.key_uuid}": f"{package_name(lib)}-{lib.version or ''}" for lib in plan.libraries
    }
    names.update({f"product:{p.token}": p.name for p in plan.products})
    names.update({f"project:{p.token}": p.name for p in plan.projects})
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for node in [ROOT, *names]:
        candidate = spdx_id(node, plan, names)
        while candidate in taken:
            candidate += "-1"
        ids[node] = candidate
        taken.add(candidate)

    creators = [Actor(ActorType.TOOL, f"sbomgen-{__version__}")]
    if meta.supplier:
        creators.append(Actor(ActorType.ORGANIZATION, meta.supplier))
    creators += [Actor(ActorType.PERSON, a) for a in meta.authors]
    # provisional: document_dict() derives the namespace from the whole content
    namespace = f"https://spdx.org/spdxdocs/sbomgen/{_id_part(meta.file_stem)}-{PROVISIONAL_UUID}"
    creation = CreationInfo(
        spdx_version=f"SPDX-{version}",
        spdx_id="SPDXRef-DOCUMENT",
        name=_line(meta.name) or "SBOM",
        document_namespace=namespace,
        creators=creators,
        created=meta.timestamp,
    )
    v23 = version == "2.3"
    supplier = Actor(ActorType.ORGANIZATION, meta.supplier) if meta.supplier else SpdxNoAssertion()
    application = PackagePurpose.APPLICATION if v23 else None

    own_texts: dict[str, LicenseText] = dict(plan.texts)
    own_refs = [s for s in symbols_of(meta.license or NOASSERTION) if s.startswith("LicenseRef-")]
    if meta.license_text and len(own_refs) == 1 and own_refs[0] not in own_texts:
        own_texts[own_refs[0]] = LicenseText(
            name=own_refs[0], text=meta.license_text, source="sbomgen configuration (license-text)"
        )
    own_expression, own_missing = _asserted(meta.license or NOASSERTION, own_texts)
    own_license = _expression(own_expression)
    own_comment = (
        f"The configured license {meta.license} is not asserted: no text for "
        f"{', '.join(own_missing)} (an SPDX license reference needs its text)"
        if own_missing
        else None
    )

    def structural(node: str, name: str, pkg_version: str | None, comment: str) -> Package:
        """The described software: root, products, projects (the user's own)."""
        return Package(
            spdx_id=ids[node],
            name=_line(name) or node,
            version=_line(pkg_version),
            supplier=supplier,
            download_location=SpdxNoAssertion(),
            files_analyzed=False,
            license_concluded=own_license,
            license_declared=own_license,
            license_comment=own_comment,
            copyright_text=meta.copyright or SpdxNoAssertion(),
            comment=comment,
            primary_package_purpose=application,
        )

    packages = [
        structural(
            ROOT, meta.name, meta.version, f"The {plan.root_kind} this document describes (Mend)"
        )
    ]
    packages += [
        # the release's version: its products and projects ship in it
        structural(f"product:{p.token}", p.name, meta.version, "Mend product")
        for p in plan.products
    ]
    packages += [
        structural(
            f"project:{p.token}",
            p.name,
            meta.version,
            f"Mend project{' of ' + p.product_name if p.product_name else ''}",
        )
        for p in plan.projects
    ]
    extracted: dict[str, ExtractedLicensingInfo] = {}
    for lib in plan.libraries:
        decision = lib.license
        declared, missing_declared = _asserted(
            decision.declared if decision else NOASSERTION, plan.texts
        )
        concluded, missing_concluded = _asserted(
            decision.concluded if decision else NOASSERTION, plan.texts
        )
        unasserted = sorted({*missing_declared, *missing_concluded})
        refs = []
        if lib.purl:
            refs.append(
                ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", lib.purl)
            )
        checksums = (
            [Checksum(ChecksumAlgorithm.SHA1, lib.sha1.lower())]
            if lib.sha1 and re.fullmatch(r"[0-9a-fA-F]{40}", lib.sha1)
            else []
        )
        homepage = (
            lib.references.homepage
            if lib.references.homepage and re.match(r"^https?://\S+$", lib.references.homepage)
            else None
        )
        packages.append(
            Package(
                spdx_id=ids[f"lib:{lib.key_uuid}"],
                name=_line(package_name(lib)) or lib.key_uuid,
                version=_line(lib.version),
                supplier=_actor(lib.supplier),
                originator=_actor(lib.originator),
                file_name=lib.filename,
                download_location=_download(lib),
                files_analyzed=False,
                checksums=checksums,
                homepage=homepage,
                license_concluded=_expression(concluded),
                license_declared=_expression(declared),
                copyright_text="\n".join(c.text for c in lib.copyrights) or SpdxNoAssertion(),
                description=lib.description,
                license_comment=_license_comment(lib, unasserted),
                comment=_comment(lib),
                external_references=refs,
                primary_package_purpose=PackagePurpose.LIBRARY if v23 else None,
            )
        )
        for expression in (declared, concluded):
            for symbol in symbols_of(expression):
                if symbol.startswith("LicenseRef-") and symbol not in extracted:
                    extracted[symbol] = _extracted(symbol, plan, lib)
    for symbol in symbols_of(own_expression):
        if symbol.startswith("LicenseRef-") and symbol not in extracted:
            text = own_texts[symbol]
            extracted[symbol] = ExtractedLicensingInfo(
                license_id=symbol,
                extracted_text=text.text,
                license_name=symbol.removeprefix("LicenseRef-"),
                comment=f"The license of the described software, from sbomgen's configuration; "
                f"text source: {text.source}",
            )
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, ids[ROOT])]
    for node in plan.edges:
        for child in plan.edges[node]:
            kind = (
                RelationshipType.DEPENDS_ON
                if child.startswith("lib:")
                else RelationshipType.CONTAINS
            )
            relationships.append(Relationship(ids[node], kind, ids[child]))
    relationships.sort(
        key=lambda r: (
            r.spdx_element_id != "SPDXRef-DOCUMENT",
            r.spdx_element_id,
            r.relationship_type.name,
            str(r.related_spdx_element_id),
        )
    )
    return Document(
        creation_info=creation,
        packages=packages,
        relationships=relationships,
        extracted_licensing_info=[extracted[k] for k in sorted(extracted)],
    )


def _extracted(symbol: str, plan: DocumentPlan, lib: Library) -> ExtractedLicensingInfo:
    """A LicenseRef the document uses, with its text (only asserted ones are used)."""
    text = plan.texts[symbol]
    names = sorted(
        {p.mend_name for p in (lib.license.parts if lib.license else ()) if p.expression == symbol}
    )
    mend_name = names[0] if names else symbol.removeprefix("LicenseRef-")
    urls = sorted(
        {
            lic.url
            for lic in lib.licenses
            if lic.name in names and lic.url and re.match(r"^https?://\S+$", lic.url)
        }
    )
    return ExtractedLicensingInfo(
        license_id=symbol,
        extracted_text=text.text,
        license_name=mend_name,
        cross_references=urls,
        comment=f"Text source: {text.source}",
    )


# -- serialization ----------------------------------------------------------------------------


def document_dict(document: Document, version: str) -> dict[str, Any]:
    """The JSON form of the document; also gives the document its namespace, a UUID derived
    from all of its content (equal documents share it, different ones never do)."""
    converter: Any = DocumentConverter()  # type: ignore[no-untyped-call]
    data: dict[str, Any] = converter.convert(document)
    if str(PROVISIONAL_UUID) in data["documentNamespace"]:
        digest = hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        namespace = data["documentNamespace"].replace(
            str(PROVISIONAL_UUID), str(uuid.uuid5(NAMESPACE, digest))
        )
        data["documentNamespace"] = namespace
        document.creation_info.document_namespace = namespace
    if version == "2.3":  # spdx-tools writes the 2.2 spelling; the 2.3 schema wants dashes
        for package in data.get("packages", []):
            for ref in package.get("externalRefs", []):
                ref["referenceCategory"] = ref["referenceCategory"].replace("_", "-")
    return data


@lru_cache(maxsize=2)
def spdx_schema(version: str) -> Any:
    """The SPDX JSON schema of ``version`` (jsonschema-rs), shipped with sbomgen."""
    return _json_schema(version)


def _json_schema(version: str) -> Any:
    import jsonschema_rs

    path = resources.files("sbomgen").joinpath(f"schemas/spdx-{version}.schema.json")
    return jsonschema_rs.validator_for(
        json.loads(path.read_text(encoding="utf-8")), validate_formats=True
    )


def schema_errors(data: Mapping[str, Any], version: str) -> list[str]:
    out = []
    for error in _json_schema(version).iter_errors(dict(data)):
        path = "$" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.instance_path
        )
        out.append(f"at {path}: {error.message}")
    return out


def serialize(document: Document | None, data: Mapping[str, Any], fmt: str) -> bytes | bytearray:
    if fmt == "json":
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "yaml":
        return _yaml(data)
    if fmt == "xml":
        text: str = xmltodict.unparse({"Document": data}, pretty=True, encoding="utf-8")
        return (text if text.endswith("\n") else text + "\n").encode("utf-8")
    if document is None:
        raise ValueError(f"SPDX {fmt} is written from the model, which was not kept")
    if fmt == "tv":
        stream = io.StringIO()
        tagvalue_writer.write_document_to_stream(
            _tv_safe(document), stream, validate=False, drop_duplicates=False
        )
        text = stream.getvalue()
        _check_tag_value(text)
        return text.encode("utf-8")
    if fmt == "rdf":
        from sbomgen.emit.spdx_rdf import streamed_rdf

        # each piece is let go as it is added, and the buffer is not copied again: at
        # 50,000 packages the document is 175 MB (bytearray is a bytes for every reader)
        out = bytearray()
        for piece in streamed_rdf(document):
            out += piece
        return out
    raise ValueError(fmt)


def _yaml(data: Mapping[str, Any], batch: int = 500) -> bytes:
    """The document as ``yaml.dump(data)`` writes it, dumped a key at a time and long lists
    ``batch`` items at a time: PyYAML builds a node for every value before it writes, 1.5 GB
    for 50,000 packages at once. A top-level list's items stand at column 0 either way (PyYAML
    does not indent a sequence in a mapping), so the text is the same (tested); the batches
    share no objects, so no anchor is lost.

    libyaml's emitter when PyYAML has it: the same bytes; 12.6 s -> 8.2 s at 10,000 packages
    (PyYAML's representer stays in Python)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    def dump(value: Any) -> bytes:
        text: str = yaml.dump(value, Dumper=dumper, indent=2, allow_unicode=True, sort_keys=False)
        return text.encode("utf-8")

    parts: list[bytes] = []
    for key, value in data.items():
        if isinstance(value, list) and len(value) > batch:
            parts.append(dump({key: value[:1]}).split(b"\n", 1)[0] + b"\n")
            for start in range(0, len(value), batch):
                parts.append(dump(value[start : start + batch]))
        else:
            parts.append(dump({key: value}))
    return b"".join(parts)


def _rdf_graph(document: Document) -> Any:
    """The RDF graph spdx-tools' RDF writer builds, without its ``to_isomorphic`` pass."""
    from rdflib import DOAP, Graph
    from spdx_tools.spdx.rdfschema.namespace import POINTER_NAMESPACE, SPDX_NAMESPACE
    from spdx_tools.spdx.writer.rdf.annotation_writer import add_annotation_to_graph
    from spdx_tools.spdx.writer.rdf.creation_info_writer import add_creation_info_to_graph
    from spdx_tools.spdx.writer.rdf.extracted_licensing_info_writer import (
        add_extracted_licensing_info_to_graph,
    )
    from spdx_tools.spdx.writer.rdf.file_writer import add_file_to_graph
    from spdx_tools.spdx.writer.rdf.package_writer import add_package_to_graph
    from spdx_tools.spdx.writer.rdf.relationship_writer import add_relationship_to_graph
    from spdx_tools.spdx.writer.rdf.snippet_writer import add_snippet_to_graph

    graph = Graph()
    namespace = document.creation_info.document_namespace
    external = {
        ref.document_ref_id: ref.document_uri
        for ref in document.creation_info.external_document_refs
    }
    doc_node = add_creation_info_to_graph(document.creation_info, graph)
    for annotation in document.annotations:
        add_annotation_to_graph(annotation, graph, namespace, external)
    for file in document.files:
        add_file_to_graph(file, graph, namespace, external)
    for package in document.packages:
        add_package_to_graph(package, graph, namespace, external)
    for relationship in document.relationships:
        add_relationship_to_graph(relationship, graph, namespace, external)
    for snippet in document.snippets:
        add_snippet_to_graph(snippet, graph, namespace, external)
    for info in document.extracted_licensing_info:
        add_extracted_licensing_info_to_graph(info, graph, doc_node, namespace)
    graph.bind("spdx", SPDX_NAMESPACE)
    graph.bind("doap", DOAP)
    graph.bind("ptr", POINTER_NAMESPACE)
    return graph


def library_rdf(document: Document) -> bytes:
    """spdx-tools' RDF/XML, made byte-stable in linear time: the reference for the streamed
    writer that generate uses (sbomgen.emit.spdx_rdf; equivalence in tests).

    rdflib names blank nodes with random UUIDs and serializes hash-ordered sets, so the same
    document comes out differently on every run; its graph canonicalization fixes that but
    costs minutes at a few hundred packages. Here each blank node is named by a hash of its
    own content and of the edge that leads to it (SPDX's blank nodes hang off named nodes
    as trees), triples are added in sorted order, and namespaces are declared in order.
    """
    from rdflib import BNode, Graph

    graph = _rdf_graph(document)
    out_edges: dict[Any, list[tuple[Any, Any]]] = {}
    in_edges: dict[Any, list[tuple[Any, Any]]] = {}
    for subject, predicate, obj in graph:
        if isinstance(subject, BNode):
            out_edges.setdefault(subject, []).append((predicate, obj))
        if isinstance(obj, BNode):
            in_edges.setdefault(obj, []).append((subject, predicate))

    content: dict[Any, str] = {}

    def content_of(node: Any, depth: int = 0) -> str:
        if not isinstance(node, BNode):
            return str(node.n3())
        if node not in content:
            if depth > 50:  # a cycle among blank nodes: fall back to the predicates alone
                return "cycle"
            parts = sorted(
                f"{p.n3()} {content_of(o, depth + 1)}" for p, o in out_edges.get(node, ())
            )
            content[node] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return content[node]

    labels: dict[Any, str] = {}

    def label_of(node: Any, depth: int = 0) -> str:
        if not isinstance(node, BNode):
            return str(node.n3())
        if node not in labels:
            parents = sorted(
                f"{label_of(s, depth + 1) if depth < 50 else 'deep'} {p.n3()}"
                for s, p in in_edges.get(node, ())
            )
            labels[node] = (
                "N"
                + hashlib.sha256((content_of(node) + "|" + "|".join(parents)).encode()).hexdigest()[
                    :32
                ]
            )
        return labels[node]

    def relabel(node: Any) -> Any:
        return BNode(label_of(node)) if isinstance(node, BNode) else node

    stable = Graph(bind_namespaces="none")
    for prefix, ns in sorted(graph.namespaces()):
        stable.bind(prefix, ns, override=True)
    triples = [(relabel(s), p, relabel(o)) for s, p, o in graph]
    for triple in sorted(triples, key=lambda t: tuple(x.n3() for x in t)):
        stable.add(triple)
    text = stable.serialize(format="pretty-xml", encoding="utf-8", max_depth=100).decode("utf-8")
    lines = text.split("\n")
    end = lines.index(">")  # the line closing the <rdf:RDF start tag
    lines[:end] = [ln for ln in lines[:end] if not ln.strip().startswith("xmlns:")] + sorted(
        ln for ln in lines[:end] if ln.strip().startswith("xmlns:")
    )
    result = "\n".join(lines)
    return (result if result.endswith("\n") else result + "\n").encode("utf-8")


class Spdx(Emitter):
    def __init__(
        self, fmt: str = "json", version: str = "2.3", *, exclude_in_house: bool = False
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"SPDX format {fmt!r}: one of {', '.join(FORMATS)}")
        if version not in VERSIONS:
            raise ValueError(f"SPDX version {version!r}: one of {', '.join(VERSIONS)}")
        self.fmt, self.version, self.exclude_in_house = fmt, version, exclude_in_house
        self.name = f"spdx-{fmt}"

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        return render_many(inventory, meta, [self])


def render_many(inventory: Inventory, meta: DocumentMeta, emitters: list[Spdx]) -> dict[str, bytes]:
    """Build and validate each (version, in-house) document once, then write every format."""
    out: dict[str, bytes] = {}
    cache: dict[tuple[str, bool], tuple[Document | None, dict[str, Any]]] = {}
    for em in emitters:
        key = (em.version, em.exclude_in_house)
        if key not in cache:
            document = build_document(
                plan_document(inventory, meta, exclude_in_house=em.exclude_in_house), em.version
            )  # the plan is let go at once: at 50,000 packages it is large
            problems = spdx_messages(document, f"SPDX-{em.version}")
            data = document_dict(document, em.version)
            problems += schema_errors(data, em.version)
            if problems:
                shown = "; ".join(problems[:5]) + (
                    f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
                )
                raise ValidationFailedError(
                    f"the SPDX {em.version} document for {meta.name} failed validation, nothing was written: {shown}"
                )
            # tag-value and RDF are written from the model, the rest from the dict: a
            # large model is let go when no format needs it
            formats = {e.fmt for e in emitters if (e.version, e.exclude_in_house) == key}
            needs_model = bool(formats & {"tv", "rdf"})
            needs_dict = bool(formats - {"tv", "rdf"})
            cache[key] = (document if needs_model else None, data if needs_dict else {})
            del document, data
        model, data = cache[key]
        name = f"{meta.file_stem}{FORMATS[em.fmt]}"
        try:
            text = serialize(model, data, em.fmt)
            if em.fmt in ("xml", "rdf"):
                _well_formed(text)
        except Exception as exc:
            raise ValidationFailedError(
                f"{name} (SPDX {em.version}) could not be written as valid {em.fmt.upper()}, nothing was "
                f"written: {type(exc).__name__}: {exc}"
            ) from exc
        # RDF comes as a bytearray (not copied once more at 175 MB): it reads, hashes and
        # writes as bytes do
        out[name] = cast(bytes, text)
    return out


_TEXT_FIELDS = (
    "description",
    "comment",
    "summary",
    "source_info",
    "license_comment",
    "copyright_text",
)


def _tv_safe(document: Document) -> Document:
    """Tag-value wraps free text in <text>…</text> and has no escape: a value that holds
    "</text>" would end the block early. Such values get "</ text>" in this format only."""

    def fix(value: Any) -> Any:
        return value.replace("</text>", "</ text>") if isinstance(value, str) else value

    if not any(
        isinstance(getattr(p, f, None), str) and "</text>" in getattr(p, f)
        for p in document.packages
        for f in _TEXT_FIELDS
    ) and not any("</text>" in (e.extracted_text or "") for e in document.extracted_licensing_info):
        return document
    packages = []
    for package in document.packages:
        package = copy.copy(package)
        for f in _TEXT_FIELDS:
            setattr(package, f, fix(getattr(package, f)))
        packages.append(package)
    infos = []
    for info in document.extracted_licensing_info:
        info = copy.copy(info)
        info.extracted_text = fix(info.extracted_text)
        infos.append(info)
    return Document(
        creation_info=document.creation_info,
        packages=packages,
        relationships=document.relationships,
        extracted_licensing_info=infos,
    )


_TV_LINE = re.compile(r"^(#.*|[A-Za-z][A-Za-z0-9]*:.*|)$")


def _check_tag_value(text: str) -> None:
    """Every line outside a <text> block is a tag, a comment or empty (linear, unlike the
    tag-value parser, which takes minutes at 1,000 packages)."""
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        if inside:
            inside = "</text>" not in line
            continue
        if not _TV_LINE.match(line):
            raise ValueError(f"line {number} is not a tag-value line: {line[:80]!r}")
        if "<text>" in line and "</text>" not in line.split("<text>", 1)[1]:
            inside = True
    if inside:
        raise ValueError("a <text> block is not closed")


def _well_formed(text: bytes | bytearray) -> None:
    """Parse the XML through, element by element, each dropped once read (the tree of an
    85-megabyte document would take most of a gigabyte)."""
    from sbomgen.emit.validate import parse_through

    parse_through(text)
