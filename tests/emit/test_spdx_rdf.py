"""The streamed SPDX RDF/XML writer against spdx-tools' graph and rdflib's pretty-xml.

Both are parsed back with rdflib and compared as graphs: with rdflib.compare.isomorphic
where it is quick enough (the sample, hand-made documents), and on generated
organizations of several sizes with a canonical form computed here, independently of
the writer: every blank node replaced by a hash of its content and of the edges leading
to it, and the triple counts compared (so that no two nodes were merged).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    Annotation,
    AnnotationType,
    Checksum,
    ChecksumAlgorithm,
    CreationInfo,
    Document,
    ExtractedLicensingInfo,
    File,
    Package,
    Relationship,
    RelationshipType,
    Snippet,
    SpdxNoAssertion,
)

from sbomgen.emit import spdx_rdf
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.plan import plan_document
from sbomgen.emit.spdx import Spdx, build_document, library_rdf
from sbomgen.model import Inventory


def _graph(data: bytes) -> Graph:
    return Graph().parse(data=data, format="xml")


def _streamed(document: Document) -> bytes:
    return b"".join(spdx_rdf.streamed_rdf(document))


def _canonical(graph: Graph) -> set[str]:
    out_edges: dict[Any, list[tuple[Any, Any]]] = {}
    in_edges: dict[Any, list[tuple[Any, Any]]] = {}
    for s, p, o in graph:
        if isinstance(s, BNode):
            out_edges.setdefault(s, []).append((p, o))
        if isinstance(o, BNode):
            in_edges.setdefault(o, []).append((s, p))
    memo: dict[Any, str] = {}

    def content(node: Any) -> str:
        if not isinstance(node, BNode):
            return str(node.n3())
        if node not in memo:
            inner = sorted(f"{p.n3()}={content(o)}" for p, o in out_edges.get(node, ()))
            memo[node] = "[" + ",".join(inner) + "]"
        return memo[node]

    def name(node: Any) -> str:
        if not isinstance(node, BNode):
            return str(node.n3())
        parents = sorted(f"{name(s)}/{p.n3()}" for s, p in in_edges.get(node, ()))
        return hashlib.sha256((content(node) + "<" + "|".join(parents)).encode()).hexdigest()

    return {f"{name(s)} {p.n3()} {name(o)}" for s, p, o in graph}


def _same_graph(a: bytes, b: bytes, *, exact: bool) -> None:
    ga, gb = _graph(a), _graph(b)
    assert len(ga) == len(gb)
    assert _canonical(ga) == _canonical(gb)
    assert len(_canonical(ga)) == len(ga)  # no two triples were made one
    if exact:
        assert isomorphic(ga, gb)


@pytest.mark.parametrize("version", ["2.2", "2.3"])
def test_the_sample_gives_the_same_graph(
    sample: Inventory, meta: DocumentMeta, version: str
) -> None:
    for exclude in (False, True):
        document = build_document(plan_document(sample, meta, exclude_in_house=exclude), version)
        _same_graph(library_rdf(document), _streamed(document), exact=True)


def test_the_same_document_gives_the_same_bytes(sample: Inventory, meta: DocumentMeta) -> None:
    document = build_document(plan_document(sample, meta), "2.3")
    assert _streamed(document) == _streamed(document)
    # generate's path: the streamed writer (a document namespace of its own)
    rendered = list(Spdx("rdf", "2.3").render(sample, meta).values())
    assert rendered == list(Spdx("rdf", "2.3").render(sample, meta).values())
    assert rendered[0].startswith(_streamed(document)[:300])
    assert len(_graph(rendered[0])) == len(_graph(_streamed(document)))


def test_chunk_boundaries_do_not_change_the_graph(
    sample: Inventory, meta: DocumentMeta, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = build_document(plan_document(sample, meta), "2.3")
    whole = _streamed(document)
    monkeypatch.setattr(spdx_rdf, "CHUNK", 3)
    small = _streamed(document)
    assert small != whole  # the chunks did change where things are written
    _same_graph(whole, small, exact=True)


def _every_element(
    tricky: str = 'a & b < c > d "quoted"\nline two\ttab ünïcode \u2028 end',
) -> Document:
    """Files, snippets, annotations and extracted texts, which sbomgen's own documents do
    not all have, with text that needs escaping."""
    when = datetime(2026, 1, 2, 3, 4, 5)
    person = Actor(ActorType.PERSON, "Jane <Doe> & Co", "jane@example.org")
    return Document(
        creation_info=CreationInfo(
            spdx_version="SPDX-2.3",
            spdx_id="SPDXRef-DOCUMENT",
            name="every element",
            document_namespace="https://example.org/spdx/every-element",
            creators=[person],
            created=when,
            document_comment=tricky,
        ),
        packages=[
            Package(
                spdx_id="SPDXRef-pkg",
                name="pkg",
                download_location=SpdxNoAssertion(),
                version="1.0",
                description=tricky,
                checksums=[Checksum(ChecksumAlgorithm.SHA1, "a" * 40)],
                files_analyzed=False,
            )
        ],
        files=[
            File(
                name="./src/a.c",
                spdx_id="SPDXRef-file",
                checksums=[Checksum(ChecksumAlgorithm.SHA1, "b" * 40)],
                comment=tricky,
            )
        ],
        snippets=[
            Snippet(
                spdx_id="SPDXRef-snippet",
                file_spdx_id="SPDXRef-file",
                byte_range=(1, 20),
                line_range=(1, 2),
                name="snip",
            )
        ],
        annotations=[
            Annotation("SPDXRef-pkg", AnnotationType.REVIEW, person, when, tricky),
            Annotation("SPDXRef-file", AnnotationType.OTHER, person, when, "second"),
        ],
        relationships=[
            Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, "SPDXRef-pkg"),
            Relationship("SPDXRef-pkg", RelationshipType.CONTAINS, "SPDXRef-file", tricky),
        ],
        extracted_licensing_info=[
            ExtractedLicensingInfo("LicenseRef-x", tricky, "X License", ["https://x.example"])
        ],
    )


def test_every_kind_of_element_and_escaping() -> None:
    document = _every_element()
    streamed = _streamed(document)
    _same_graph(library_rdf(document), streamed, exact=True)
    texts = {str(o) for _s, _p, o in _graph(streamed)}
    assert 'a & b < c > d "quoted"\nline two\ttab ünïcode \u2028 end' in texts


def test_carriage_returns_survive() -> None:
    """A raw carriage return would be lost to XML's end-of-line handling when the
    document is read ("\r\n" becomes "\n"): both writers escape it."""
    text = "line one\r\nline two\r"
    document = _every_element(text)
    streamed = _streamed(document)
    _same_graph(library_rdf(document), streamed, exact=True)
    assert text in {str(o) for _s, _p, o in _graph(streamed)}


def test_generated_organizations_give_the_same_graph(
    generated: Inventory, meta: DocumentMeta
) -> None:
    document = build_document(plan_document(generated, meta), "2.3")
    assert len(document.packages) > 10
    _same_graph(library_rdf(document), _streamed(document), exact=len(document.packages) < 100)
