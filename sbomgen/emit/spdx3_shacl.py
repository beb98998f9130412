"""SPDX 3.0.1's SHACL shapes, checked on the JSON-LD document itself: a certificate that
spdx3-validate's SHACL check (pyshacl over an rdflib graph) finds nothing.

pyshacl takes about 15 s for a document of 1,000 packages and grows with it; the shapes
of the SPDX 3.0.1 model are few and simple (class targets, ``sh:nodeKind``,
``sh:minCount``/``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:in``,
``sh:pattern``, and ``sh:not [sh:hasValue C]`` on ``rdf:type`` for the abstract
classes). :func:`conforms` reads the document as RDF the way rdflib's JSON-LD parser reads
it with the SPDX context, and applies those shapes the way pyshacl does, with the model
mixed into the data as spdx3-validate mixes it.

It is a certificate, not a second validator: True means pyshacl would report nothing;
None means "not shown here", and then pyshacl runs and says what is wrong (or that
nothing is). None is the answer for everything outside what this module reads exactly:

- a key that is not a term of the SPDX context (or ``type``, ``spdxId``, ``@id``), a
  ``null``, a number or a boolean, a list in a list, an object where text is expected;
- an IRI that is not plainly absolute, a bare word where the context names no
  vocabulary, a value that is also a term, a type that is not one of the context's
  classes, an element that redefines a node of the model;
- a constraint component other than the ones above;
- any violation (pyshacl then gives the messages).

``tests/emit/test_spdx3_shacl.py`` proves on sbomgen's documents and on a corpus of broken
ones that the triples read here are rdflib's, and that no document pyshacl faults is
certified.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SH = "http://www.w3.org/ns/shacl#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

# literals rdflib keeps as written (the others it writes in their canonical form)
_AS_WRITTEN = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("string", "anyURI", "dateTimeStamp")
)
MAX_NESTING = 50  # objects inside objects read here; rdflib's JSON-LD parser recurses

# an absolute IRI as sbomgen writes them (scheme, then no space or character IRIs forbid)
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*")
_BLANK = re.compile(r"_:[A-Za-z0-9_.\-]+")
_WORD = re.compile(r"[A-Za-z0-9_\-]+")

# A node of the graph: ("I", iri), ("B", label); a literal: ("L", lexical form, datatype).
Term = tuple[str, ...]
# the rdf:type IRIs of a top-level object read elsewhere, by its id (None: no such object)
Known = Callable[[Term], "frozenset[str] | None"]


class _NotShown(Exception):
    """Outside what this module reads exactly: pyshacl decides."""


@dataclass(frozen=True)
class _Property:
    path: str
    min_count: int | None
    max_count: int | None
    node_kind: str | None
    datatype: str | None
    cls: str | None
    within: frozenset[Term] | None
    pattern: re.Pattern[str] | None
    not_value: Term | None


@dataclass(frozen=True)
class _Model:
    superclasses: dict[str, frozenset[str]]  # class -> itself and every class above it
    node_kind: dict[str, str]  # shape (class) -> sh:nodeKind of its focus nodes
    properties: dict[str, tuple[_Property, ...]]  # shape (class) -> its property shapes
    types: dict[str, frozenset[str]]  # a node of the model (an individual) -> its types
    subjects: frozenset[str]  # every IRI the model says something about


@dataclass(frozen=True)
class _Context:
    classes: dict[str, str]  # term -> the IRI it names (a class or an individual)
    props: dict[str, tuple[str, str, str | None]]  # term -> (IRI, coercion, scoped @vocab)
    terms: frozenset[str]


def _n(term: Any) -> Term:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ("I", str(term))
    if isinstance(term, BNode):
        return ("B", str(term))
    if isinstance(term, Literal):
        return ("L", str(term), str(term.datatype or ""))
    raise _NotShown(f"a node of the model: {term!r}")


@lru_cache(maxsize=1)
def model() -> _Model:
    """The shapes of the model sbomgen ships (sbomgen/schemas/spdx-3.0.1-model.ttl)."""
    import rdflib
    from rdflib.collection import Collection
    from rdflib.namespace import RDF, RDFS, SH

    graph = rdflib.Graph()
    folder = resources.files("sbomgen").joinpath("schemas")
    graph.parse(
        data=folder.joinpath("spdx-3.0.1-model.ttl").read_text(encoding="utf-8"), format="turtle"
    )
    known = {
        SH.path,
        SH.minCount,
        SH.maxCount,
        SH.nodeKind,
        SH.datatype,
        SH["class"],
        SH["in"],
        SH.pattern,
        SH["not"],
        SH.message,
    }
    above: dict[str, set[str]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        above.setdefault(str(sub), set()).add(str(sup))

    def closure(cls: str) -> frozenset[str]:
        out, todo = {cls}, [cls]
        while todo:
            for sup in above.get(todo.pop(), ()):
                if sup not in out:
                    out.add(sup)
                    todo.append(sup)
        return frozenset(out)

    node_kind: dict[str, str] = {}
    properties: dict[str, tuple[_Property, ...]] = {}
    # pyshacl's node shapes: what is typed sh:NodeShape, and every subject of sh:property
    # (three abstract classes of the model are shapes only so)
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(SH.property))
    for shape in shapes:
        for p in graph.predicates(shape):
            if str(p).startswith(_SH) and p not in (SH.property, SH.nodeKind):
                raise RuntimeError(f"the SPDX model uses {p} on a node shape")
        kind = graph.value(shape, SH.nodeKind)
        if kind is not None:
            if kind not in (SH.IRI, SH.BlankNodeOrIRI):
                raise RuntimeError(f"the SPDX model's shape {shape} has sh:nodeKind {kind}")
            node_kind[str(shape)] = str(kind)
        props = []
        for ps in graph.objects(shape, SH.property):
            for p in graph.predicates(ps):
                if str(p).startswith(_SH) and p not in known:
                    raise RuntimeError(f"the SPDX model uses {p} on a property shape")
            within = graph.value(ps, SH["in"])
            not_shape = graph.value(ps, SH["not"])
            not_value = None
            if not_shape is not None:
                inner = set(graph.predicates(not_shape))
                if inner != {SH.hasValue}:
                    raise RuntimeError(f"the SPDX model's sh:not holds {inner}")
                not_value = _n(graph.value(not_shape, SH.hasValue))
            path = graph.value(ps, SH.path)
            if not isinstance(path, rdflib.URIRef):
                raise RuntimeError(f"the SPDX model has a path that is not an IRI: {path}")

            def number(term: Any) -> int | None:
                return None if term is None else int(term)

            pattern = graph.value(ps, SH.pattern)
            props.append(
                _Property(
                    path=str(path),
                    min_count=number(graph.value(ps, SH.minCount)),
                    max_count=number(graph.value(ps, SH.maxCount)),
                    node_kind=str(graph.value(ps, SH.nodeKind) or "") or None,
                    datatype=str(graph.value(ps, SH.datatype) or "") or None,
                    cls=str(graph.value(ps, SH["class"]) or "") or None,
                    within=None
                    if within is None
                    else frozenset(_n(t) for t in Collection(graph, within)),
                    pattern=None if pattern is None else re.compile(str(pattern)),
                    not_value=not_value,
                )
            )
        properties[str(shape)] = tuple(props)
    types: dict[str, set[str]] = {}
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, rdflib.URIRef):
            types.setdefault(str(s), set()).add(str(o))
    classes = {str(c) for c in graph.subjects(RDF.type, rdflib.OWL.Class)} | set(above)
    return _Model(
        superclasses={c: closure(c) for c in classes},
        node_kind=node_kind,
        properties=properties,
        types={k: frozenset(v) for k, v in types.items()},
        subjects=frozenset(str(s) for s in graph.subjects() if isinstance(s, rdflib.URIRef)),
    )


@lru_cache(maxsize=1)
def _context() -> _Context:
    folder = resources.files("sbomgen").joinpath("schemas")
    raw = json.loads(folder.joinpath("spdx-3.0.1-context.jsonld").read_text(encoding="utf-8"))
    context: dict[str, Any] = raw["@context"]
    classes: dict[str, str] = {}
    props: dict[str, tuple[str, str, str | None]] = {}
    for term, definition in context.items():
        if isinstance(definition, str):
            if _IRI.fullmatch(definition) and not definition.startswith("@"):
                classes[term] = definition
            continue
        if not isinstance(definition, dict) or set(definition) - {"@id", "@type", "@context"}:
            raise RuntimeError(f"the SPDX context's term {term!r} is not one this module reads")
        scoped = definition.get("@context")
        vocab = None
        if scoped is not None:
            if set(scoped) != {"@vocab"}:
                raise RuntimeError(f"the SPDX context's term {term!r} has a scoped context")
            vocab = scoped["@vocab"]
        props[term] = (definition["@id"], definition["@type"], vocab)
    return _Context(classes=classes, props=props, terms=frozenset(context))


class _Reader:
    """The document's triples, as rdflib's JSON-LD parser makes them with the SPDX context."""

    def __init__(self) -> None:
        self.context = _context()
        self.nodes: dict[Term, dict[str, set[Term]]] = {}
        self._blank = 0

    def node_id(self, value: Any) -> Term:
        if not isinstance(value, str):
            raise _NotShown("an id that is not text")
        if _BLANK.fullmatch(value):
            return ("B", value[2:])
        if _IRI.fullmatch(value) and value.split(":", 1)[0] not in self.context.terms:
            return ("I", value)
        raise _NotShown(f"the id {value!r}")

    def read(self, item: Any, depth: int = 0) -> Term:
        if not isinstance(item, dict):
            raise _NotShown("an object expected")
        if depth > MAX_NESTING:
            raise _NotShown("objects nested deeper than rdflib reads for sure")
        given = item.get("spdxId", item.get("@id"))
        if "spdxId" in item and "@id" in item:
            raise _NotShown("both spdxId and @id")
        if given is None:
            self._blank += 1
            node: Term = ("B", f"\x00{self._blank}")  # a label no document can give
        else:
            node = self.node_id(given)
        props = self.nodes.setdefault(node, {})
        for key, value in item.items():
            if key in ("spdxId", "@id"):
                continue
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, list):
                    raise _NotShown("a list in a list")
                if key == "type":
                    cls = self.context.classes.get(v) if isinstance(v, str) else None
                    if cls is None:
                        raise _NotShown(f"the type {v!r}")
                    props.setdefault(RDF_TYPE, set()).add(("I", cls))
                    continue
                term = self.context.props.get(key)
                if term is None:
                    raise _NotShown(f"the key {key!r}")
                iri, coercion, vocab = term
                props.setdefault(iri, set()).add(self.value(v, coercion, vocab, depth))
        return node

    def value(self, v: Any, coercion: str, vocab: str | None, depth: int) -> Term:
        if isinstance(v, dict):
            if coercion != "@vocab" or vocab is not None:
                # (under a property with a vocabulary of its own, it would apply inside)
                raise _NotShown("an object where a literal or a word is expected")
            return self.read(v, depth + 1)
        if not isinstance(v, str):
            raise _NotShown(f"a value that is not text: {v!r}")  # null, numbers, booleans
        if coercion != "@vocab":
            if coercion.startswith("@"):
                raise _NotShown(f"the coercion {coercion}")
            if coercion not in _AS_WRITTEN:
                # rdflib writes a number's or a boolean's text in its canonical form
                # ("01" is "1", "1" a boolean "true"), and pyshacl checks that text
                from rdflib import Literal, URIRef

                literal = Literal(v, datatype=URIRef(coercion))
                if literal.ill_typed:
                    # rdflib writes "maybe" as a boolean "false" and marks it ill-typed,
                    # which pyshacl counts (found by review)
                    raise _NotShown(f"the {coercion} {v!r} is not well-formed")
                return ("L", str(literal), coercion)
            return ("L", v, coercion)
        if v in self.context.classes:  # a term naming a class or an individual
            return ("I", self.context.classes[v])
        if v in self.context.terms or v.startswith("@"):
            raise _NotShown(f"the value {v!r} is a property's term or a keyword")
        if vocab is not None and _WORD.fullmatch(v):
            return ("I", vocab + v)
        return self.node_id(v)


def triples(data: Any) -> Iterator[tuple[Term, str, Term]]:
    """The document's triples as this module reads them (for the tests that compare them
    with rdflib's); raises _NotShown for a document it does not read."""
    reader = _read(data)
    for node, props in reader.nodes.items():
        for predicate, values in props.items():
            for value in values:
                yield node, predicate, value


def _read(data: Any) -> _Reader:
    if not isinstance(data, dict) or set(data) != {"@context", "@graph"}:
        raise _NotShown("a document of @context and @graph")
    graph = data["@graph"]
    if not isinstance(graph, list):
        raise _NotShown("@graph is not a list")
    reader = _Reader()
    for item in graph:
        reader.read(item)
    return reader


def conforms(data: Any) -> bool | None:
    """True when pyshacl, run by spdx3-validate with the SPDX 3.0.1 model, would report no
    violation for this document (its @context already checked to be SPDX 3.0.1's); None
    when not shown here."""
    try:
        reader = _read(data)
        return True if _violations(reader, model()) == 0 else None
    except _NotShown:
        return None


def conforms_elements(items: list[Any], known: Known) -> bool | None:
    """:func:`conforms` for some of a document's top-level objects (``@graph`` items), the
    rest being elsewhere: ``known`` gives the type (the ``rdf:type`` IRIs) of every other
    top-level object by its id, or None for an id that is no top-level object.

    The document's verdict is the conjunction of its parts' when every top-level id is
    given once in the whole document (the caller's part), because then every node's
    triples are in one part: its own object, with the objects nested in it. A part that
    says something about a node other than its own objects (an id given to a nested
    object) is not shown here."""
    try:
        reader = _Reader()
        own: set[Term] = set()
        for item in items:
            own.add(reader.read(item))
        for node in reader.nodes:
            if node not in own and not node[1].startswith("\x00"):
                raise _NotShown("a nested object with an id of its own")
        return True if _violations(reader, model(), known) == 0 else None
    except _NotShown:
        return None


def _violations(reader: _Reader, m: _Model, known: Known | None = None) -> int:
    nodes = reader.nodes
    for node in nodes:
        if node[0] == "I" and node[1] in m.subjects:
            raise _NotShown("the document says something about a node of the model")

    def types_of(node: Term) -> set[str]:
        own = nodes.get(node)
        if own is not None:
            found = {t[1] for t in own.get(RDF_TYPE, ())}
        else:  # a node read in another part of the document, or none
            found = set(known(node) or ()) if known is not None else set()
        if node[0] == "I":
            found |= m.types.get(node[1], frozenset())
        return found

    def instance_of(node: Term, cls: str) -> bool:
        if node[0] == "L":
            return False
        return any(cls in m.superclasses.get(t, frozenset({t})) for t in types_of(node))

    from rdflib import Literal, URIRef

    count = 0
    for node, props in nodes.items():
        classes: set[str] = set()
        for t in props.get(RDF_TYPE, ()):
            classes |= m.superclasses.get(t[1], frozenset({t[1]}))
        for shape in classes:
            if shape not in m.properties:
                continue
            kind = m.node_kind.get(shape)
            if kind == _SH + "IRI" and node[0] != "I":
                count += 1
            for p in m.properties[shape]:
                values = props.get(p.path, ())
                n = len(values)
                if (p.min_count is not None and n < p.min_count) or (
                    p.max_count is not None and n > p.max_count
                ):
                    count += 1
                for v in values:
                    if p.node_kind is not None and not _kind_matches(v, p.node_kind):
                        count += 1
                    if p.datatype is not None:
                        if v[0] != "L" or v[2] != p.datatype:
                            count += 1
                        elif p.datatype not in (_XSD + "string", _XSD + "anyURI"):
                            lit = Literal(v[1], datatype=URIRef(v[2]))
                            if lit.ill_typed is True or not _value_fits(lit, p.datatype):
                                count += 1
                    if p.cls is not None and not instance_of(v, p.cls):
                        count += 1
                    if p.within is not None and v not in p.within:
                        count += 1
                    if p.pattern is not None and (v[0] == "B" or not p.pattern.search(v[1])):
                        count += 1
                    if p.not_value is not None and v == p.not_value:
                        count += 1
    return count


def _kind_matches(v: Term, kind: str) -> bool:
    if kind == _SH + "IRI":
        return v[0] == "I"
    if kind == _SH + "Literal":
        return v[0] == "L"
    if kind == _SH + "BlankNodeOrIRI":
        return v[0] in ("I", "B")
    raise _NotShown(f"sh:nodeKind {kind}")


def _value_fits(lit: Any, datatype: str) -> bool:
    """pyshacl's check of a typed literal's value (DatatypeConstraintComponent)."""
    from datetime import datetime
    from decimal import Decimal

    value = lit.value
    if datatype == _XSD + "decimal":
        return isinstance(value, Decimal)
    if datatype == _XSD + "boolean":
        return isinstance(value, bool)
    if datatype == _XSD + "integer":
        return isinstance(value, int)
    if datatype == _XSD + "dateTime":
        return isinstance(value, datetime)
    return True  # the datatypes pyshacl does not check further (dateTimeStamp, positiveInteger)


def class_iri(term: str) -> str | None:
    """The IRI of the class a ``type`` term of the SPDX context names (None: no class)."""
    return _context().classes.get(term)
