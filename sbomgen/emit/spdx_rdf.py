"""SPDX 2 RDF/XML written a few elements at a time, in memory that does not grow with them.

spdx-tools builds one rdflib graph of the whole document and serializes it with rdflib's
"pretty-xml" writer: 5.9 GB of memory at 50,000 packages (bench/emit.py). Here the
triples still come from spdx-tools' own per-element writers (``add_package_to_graph`` and
its siblings, which only ever call ``graph.add``): a few hundred elements' triples at a
time are collected, written as flat RDF/XML (one ``rdf:Description`` per subject) and let
go before the next. The triples are the library's; only their serialization is sbomgen's.
tests/emit/test_spdx_rdf.py proves, on the sample and on generated corpora, that this and
the library's pretty-xml parse to isomorphic graphs (rdflib.compare).

Blank nodes are named by a hash of their content and of the edge that leads to them
(SPDX's blank nodes hang off named nodes as trees), and triples are written in sorted
order, so that the same document gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from spdx_tools.spdx.model import Document

CHUNK = 256  # elements whose triples are held at once

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#13;",
        "\n": "&#10;",
        "\t": "&#9;",
    }
)
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


class _Triples:
    """All of a graph that spdx-tools' element writers use: ``add``."""

    def __init__(self) -> None:
        self.triples: list[tuple[Any, Any, Any]] = []

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        self.triples.append(triple)


def _namespaces() -> list[tuple[str, str]]:
    from rdflib import DOAP, RDF, RDFS
    from spdx_tools.spdx.rdfschema.namespace import POINTER_NAMESPACE, SPDX_NAMESPACE

    return [
        ("doap", str(DOAP)),
        ("ptr", str(POINTER_NAMESPACE)),
        ("rdf", str(RDF)),
        ("rdfs", str(RDFS)),
        ("spdx", str(SPDX_NAMESPACE)),
    ]


def _elements(
    document: Document, doc_node: Any
) -> Iterator[tuple[Callable[..., Any], tuple[Any, ...]]]:
    """(an spdx-tools writer, its arguments but the graph) for each element after the
    creation info, in the library's order."""
    from spdx_tools.spdx.writer.rdf.annotation_writer import add_annotation_to_graph
    from spdx_tools.spdx.writer.rdf.extracted_licensing_info_writer import (
        add_extracted_licensing_info_to_graph,
    )
    from spdx_tools.spdx.writer.rdf.file_writer import add_file_to_graph
    from spdx_tools.spdx.writer.rdf.package_writer import add_package_to_graph
    from spdx_tools.spdx.writer.rdf.relationship_writer import add_relationship_to_graph
    from spdx_tools.spdx.writer.rdf.snippet_writer import add_snippet_to_graph

    namespace = document.creation_info.document_namespace
    external = {
        ref.document_ref_id: ref.document_uri
        for ref in document.creation_info.external_document_refs
    }
    for annotation in document.annotations:
        yield add_annotation_to_graph, (annotation, namespace, external)
    for file in document.files:
        yield add_file_to_graph, (file, namespace, external)
    for package in document.packages:
        yield add_package_to_graph, (package, namespace, external)
    for relationship in document.relationships:
        yield add_relationship_to_graph, (relationship, namespace, external)
    for snippet in document.snippets:
        yield add_snippet_to_graph, (snippet, namespace, external)
    for info in document.extracted_licensing_info:
        yield add_extracted_licensing_info_to_graph, (info, doc_node, namespace)


def streamed_rdf(document: Document) -> Iterator[bytes]:
    """The document as RDF/XML, in pieces (see the module's docstring)."""
    from spdx_tools.spdx.writer.rdf.creation_info_writer import add_creation_info_to_graph

    namespaces = _namespaces()
    prefixes = {ns: prefix for prefix, ns in namespaces}
    head = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    head += [f'  xmlns:{prefix}="{ns}"' for prefix, ns in namespaces]
    yield ("\n".join(head) + "\n>\n").encode("utf-8")
    batch = _Triples()
    # the writers are typed for a Graph and use only its add()
    doc_node = add_creation_info_to_graph(document.creation_info, batch)  # type: ignore[arg-type]
    held = 1
    for write, args in _elements(document, doc_node):
        write(args[0], batch, *args[1:])  # every writer takes the graph second
        held += 1
        if held >= CHUNK:
            yield _serialize(batch.triples, prefixes).encode("utf-8")
            batch, held = _Triples(), 0
    if batch.triples:
        yield _serialize(batch.triples, prefixes).encode("utf-8")
    yield b"</rdf:RDF>\n"


def _serialize(triples: Iterable[tuple[Any, Any, Any]], prefixes: dict[str, str]) -> str:
    from rdflib import BNode, Literal, URIRef

    triples = set(triples)
    out_edges: dict[Any, list[tuple[Any, Any]]] = {}
    in_edges: dict[Any, list[tuple[Any, Any]]] = {}
    for s, p, o in triples:
        if isinstance(s, BNode):
            out_edges.setdefault(s, []).append((p, o))
        if isinstance(o, BNode):
            in_edges.setdefault(o, []).append((s, p))
    names = _BlankNames(out_edges, in_edges)
    label_of = names.label_of

    def key(node: Any) -> str:
        return "_:" + label_of(node) if isinstance(node, BNode) else str(node.n3())

    rows = sorted(((key(s), key(p), key(o)), (s, p, o)) for s, p, o in triples)
    lines: list[str] = []
    subject_key = None
    for (sk, _pk, _ok), (s, p, o) in rows:
        if sk != subject_key:
            if subject_key is not None:
                lines.append("  </rdf:Description>")
            subject_key = sk
            if isinstance(s, BNode):
                lines.append(f'  <rdf:Description rdf:nodeID="{label_of(s)}">')
            else:
                lines.append(f'  <rdf:Description rdf:about="{str(s).translate(_ATTR_ESCAPES)}">')
        tag, declare = _qname(str(p), prefixes)
        if isinstance(o, Literal):
            attrs = declare
            if o.datatype is not None:
                attrs += f' rdf:datatype="{str(o.datatype).translate(_ATTR_ESCAPES)}"'
            elif o.language:
                attrs += f' xml:lang="{o.language}"'
            lines.append(f"    <{tag}{attrs}>{str(o).translate(_XML_ESCAPES)}</{tag}>")
        elif isinstance(o, BNode):
            lines.append(f'    <{tag}{declare} rdf:nodeID="{label_of(o)}"/>')
        elif isinstance(o, URIRef):
            lines.append(f'    <{tag}{declare} rdf:resource="{str(o).translate(_ATTR_ESCAPES)}"/>')
        else:  # rdflib has no other kind of node in a graph
            raise TypeError(f"RDF node of type {type(o).__name__}: {o!r}")
    if subject_key is not None:
        lines.append("  </rdf:Description>")
    return "\n".join(lines) + "\n"


class _BlankNames:
    """Stable names of one chunk's blank nodes. A class rather than recursive closures:
    a closure that calls itself is a reference cycle, and the cycle collector is paused
    while documents are rendered, so each chunk's tables would stay in memory."""

    def __init__(
        self,
        out_edges: dict[Any, list[tuple[Any, Any]]],
        in_edges: dict[Any, list[tuple[Any, Any]]],
    ) -> None:
        self.out_edges, self.in_edges = out_edges, in_edges
        self.content: dict[Any, str] = {}
        self.labels: dict[Any, str] = {}

    def content_of(self, node: Any, depth: int = 0) -> str:
        from rdflib import BNode

        if not isinstance(node, BNode):
            return str(node.n3())
        if node not in self.content:
            if depth > 50:  # a cycle among blank nodes: the predicates alone
                return "cycle"
            parts = sorted(
                f"{p.n3()} {self.content_of(o, depth + 1)}" for p, o in self.out_edges.get(node, ())
            )
            self.content[node] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return self.content[node]

    def label_of(self, node: Any, depth: int = 0) -> str:
        from rdflib import BNode

        if node not in self.labels:
            parents = sorted(
                f"{self.label_of(s, depth + 1) if isinstance(s, BNode) and depth < 50 else s.n3()}"
                f" {p.n3()}"
                for s, p in self.in_edges.get(node, ())
            )
            digest = hashlib.sha256((self.content_of(node) + "|" + "|".join(parents)).encode())
            self.labels[node] = "N" + digest.hexdigest()[:32]
        return self.labels[node]


def _qname(uri: str, prefixes: dict[str, str]) -> tuple[str, str]:
    """The element name of predicate ``uri`` and any namespace it must declare itself."""
    for cut in (uri.rfind("#"), uri.rfind("/")):
        ns, local = uri[: cut + 1], uri[cut + 1 :]
        if cut > 0 and _NCNAME.match(local):
            prefix = prefixes.get(ns)
            if prefix is not None:
                return f"{prefix}:{local}", ""
            return f"ns0:{local}", f' xmlns:ns0="{ns.translate(_ATTR_ESCAPES)}"'
    raise ValueError(f"RDF predicate {uri!r} cannot be written as an XML element name")
