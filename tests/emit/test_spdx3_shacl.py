"""The SHACL certificate for SPDX 3 documents (emit/spdx3_shacl.py) against the reference:
spdx3-validate's check_graph (pyshacl) over rdflib's reading of the document.

Equivalence of the reading: the triples the certificate reads are rdflib's (isomorphic
graphs) for every document it reads. Rejection: no document pyshacl faults is certified,
over sbomgen's documents broken on purpose (one per constraint the model uses, and
seeded random edits). Not vacuous: sbomgen's own documents are certified.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
from collections.abc import Callable
from typing import Any

import pytest
from conftest import spdx3_element_checks

from sbomgen.emit import spdx3_shacl
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.spdx3 import Spdx3
from sbomgen.emit.validate import _spdx3_checks, _spdx3_graph, _spdx3_schema
from sbomgen.model import Inventory

NAME = "Acme-Corp.spdx3.json"
RANDOM_EDITS = int(os.environ.get("SBOMGEN_FUZZ_EXAMPLES", "150")) // 5


def _reference(data: dict[str, Any]) -> list[str]:
    from spdx3_validate.core import check_graph

    _, shacl, version, context = _spdx3_checks()
    return check_graph(_spdx3_graph(data, context), shacl, version, True)


def _agrees(data: dict[str, Any]) -> tuple[bool | None, list[str]]:
    certified = spdx3_shacl.conforms(data)
    found = _reference(data)
    assert not (certified and found), f"certified, but pyshacl finds: {found[0]}"
    # the streaming writer's checks (emit/spdx3_fast.py), on the document in parts: never
    # certified where pyshacl or the JSON schema faults it; and whole (parts of every
    # item) exactly when the certificate and the schema pass the document
    schema_valid = _spdx3_schema().is_valid(data)
    for size in (1, 3, 10_000):
        parts = spdx3_element_checks(data, size).certified
        assert not (parts and (found or not schema_valid)), f"parts of {size} certified"
        if size == 10_000 and len(
            {i.get("spdxId", i.get("@id")) for i in data["@graph"] if isinstance(i, dict)}
        ) == len(data["@graph"]):
            assert parts == bool(certified and schema_valid)
    return certified, found


def _same_triples(data: dict[str, Any]) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    ours = rdflib.Graph()
    for s, p, o in spdx3_shacl.triples(data):

        def term(t: tuple[str, ...]) -> Any:
            if t[0] == "I":
                return rdflib.URIRef(t[1])
            if t[0] == "B":
                return rdflib.BNode("b" + t[1].replace("\x00", "n"))
            # as read, not normalized again: rdflib writes "01" as "1" (found by review)
            return rdflib.Literal(t[1], datatype=rdflib.URIRef(t[2]), normalize=False)

        ours.add((term(s), rdflib.URIRef(p), term(o)))
    theirs = _spdx3_graph(data, _spdx3_checks()[3])
    assert len(ours) == len(theirs)
    assert isomorphic(ours, theirs)


@pytest.fixture(scope="module")
def documents(
    sample: Inventory, meta: DocumentMeta, released: DocumentMeta
) -> dict[str, dict[str, Any]]:
    def document(inventory: Inventory, facts: DocumentMeta = meta) -> dict[str, Any]:
        return json.loads(Spdx3().render(inventory, facts)[NAME])  # type: ignore[no-any-return]

    def keys(data: dict[str, Any]) -> set[tuple[str, str]]:
        return {(o["type"], k) for o in data["@graph"] for k in o}

    whole = document(sample)
    # the fewest projects whose document has every kind of element and property the
    # sample's has: the base the edits below break (pyshacl takes seconds per document)
    by_project = {t: keys(document(sample.restricted_to([t]))) for t in sorted(sample.projects)}
    chosen: list[str] = []
    covered: set[tuple[str, str]] = set()
    while True:
        best = max(by_project, key=lambda t: (len(by_project[t] - covered), t))
        if not by_project[best] - covered:
            break
        chosen.append(best)
        covered |= by_project[best]
    broad = document(sample.restricted_to(chosen))
    assert keys(broad) == keys(whole)
    return {"sample": whole, "release": document(sample, released), "broad": broad}


def test_sbomgens_documents_are_read_as_rdflib_reads_them_and_certified(
    documents: dict[str, dict[str, Any]],
) -> None:
    for name, data in documents.items():
        _same_triples(data)
        assert _agrees(data) == (True, []), name


def _first(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(o for o in data["@graph"] if o.get("type") == kind)


def _relationship(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(o for o in data["@graph"] if o.get("relationshipType") == kind)


def _info(data: dict[str, Any]) -> str:
    return str(_first(data, "CreationInfo")["@id"])


Edit = Callable[[dict[str, Any]], None]

# One edit per constraint of the model sbomgen's documents meet, and the readings the
# certificate leaves to pyshacl. "certified" is what the certificate must say: None for
# every fault (pyshacl names it), True where pyshacl finds nothing either.
EDITS: dict[str, tuple[Edit, bool | None]] = {
    "no creationInfo (sh:minCount)": (
        lambda d: _first(d, "software_Package").pop("creationInfo"),
        None,
    ),
    "two names (sh:maxCount)": (
        lambda d: _first(d, "software_Package").update(name=["a", "b"]),
        None,
    ),
    "the same name twice is one value": (
        lambda d: _first(d, "software_Package").update(name=["a", "a"]),
        True,
    ),
    "a dependency on the CreationInfo (sh:class)": (
        lambda d: _relationship(d, "dependsOn")["to"].append(_info(d)),
        None,
    ),
    "a dependency on nothing in the document (sh:class)": (
        lambda d: _relationship(d, "dependsOn")["to"].append("https://example.org/nowhere"),
        None,
    ),
    "an unknown relationship type (sh:in)": (
        lambda d: _relationship(d, "dependsOn").update(relationshipType="dependsOnMaybe"),
        None,
    ),
    "an unknown hash algorithm (sh:in)": (
        lambda d: next(o for o in d["@graph"] if o.get("verifiedUsing"))["verifiedUsing"][0].update(
            algorithm="sha999"
        ),
        None,
    ),
    "a hash without its value (sh:minCount on a nested node)": (
        lambda d: next(o for o in d["@graph"] if o.get("verifiedUsing"))["verifiedUsing"][0].pop(
            "hashValue"
        ),
        None,
    ),
    "a package as a blank node (sh:nodeKind sh:IRI)": (
        lambda d: _first(d, "software_Package").update(spdxId="_:package"),
        None,
    ),
    "a date without its time (sh:pattern)": (
        lambda d: _first(d, "CreationInfo").update(created="2026-01-01"),
        None,
    ),
    "a date no calendar has, in the right pattern (pyshacl does not check it)": (
        lambda d: _first(d, "CreationInfo").update(created="2026-13-45T00:00:00Z"),
        True,
    ),
    "an abstract class (sh:not sh:hasValue)": (
        lambda d: _first(d, "software_Package").update(type="Artifact"),
        None,
    ),
    "a name that is a number": (lambda d: _first(d, "software_Package").update(name=5), None),
    "a key the context does not have": (
        lambda d: _first(d, "software_Package").update(colour="red"),
        None,
    ),
    "a relative id": (lambda d: _first(d, "software_Package").update(spdxId="pkg-1"), None),
    "an element named as a node of the model": (
        lambda d: _first(d, "software_Package").update(
            spdxId="https://spdx.org/rdf/3.0.1/terms/Core/NoneElement"
        ),
        None,
    ),
    "the root element is the CreationInfo (sh:class)": (
        lambda d: _first(d, "SpdxDocument").update(rootElement=[_info(d)]),
        None,
    ),
    "an unknown profile (sh:in)": (
        lambda d: _first(d, "SpdxDocument").update(profileConformance=["core", "gaming"]),
        None,
    ),
    "a relationship without its source (sh:minCount)": (
        lambda d: _relationship(d, "dependsOn").pop("from"),
        None,
    ),
    "two definitions of one element, two names (sh:maxCount)": (
        lambda d: d["@graph"].append({**_first(d, "software_Package"), "name": "another name"}),
        None,
    ),
    "an element with two types, each shape met": (
        lambda d: _first(d, "software_Package").update(type=["software_Package", "Person"]),
        True,
    ),
    "an element with two types, one shape not met (sh:minCount)": (
        lambda d: _first(d, "software_Package").update(type=["software_Package", "Relationship"]),
        None,
    ),
    "a text where a node is expected (sh:nodeKind)": (
        lambda d: _first(d, "software_Package").update(
            verifiedUsing=[{"type": "Hash", "algorithm": "sha1", "hashValue": {"x": 1}}]
        ),
        None,
    ),
    "a null": (lambda d: _first(d, "software_Package").update(summary=None), None),
    # found by review: three abstract classes are shapes only by their sh:property
    "an abstract license class (sh:not on a shape not typed sh:NodeShape)": (
        lambda d: _first(d, "simplelicensing_LicenseExpression").update(
            type="simplelicensing_AnyLicenseInfo"
        ),
        None,
    ),
    "an abstract extension (sh:not on a shape not typed sh:NodeShape)": (
        lambda d: _first(d, "software_Package").update(extension=[{"type": "extension_Extension"}]),
        None,
    ),
    # found by review: rdflib writes "maybe" as a boolean "false", marked ill-typed
    "an ill-formed boolean (sh:datatype)": (
        lambda d: d["@graph"].append(
            {
                "type": "expandedlicensing_ListedLicense",
                "spdxId": "https://example.org/lic1",
                "creationInfo": _info(d),
                "simplelicensing_licenseText": "text",
                "expandedlicensing_isOsiApproved": "maybe",
            }
        ),
        None,
    ),
    # found by review: rdflib writes a number's text in its canonical form
    "a number not in its canonical form is read as rdflib reads it": (
        lambda d: _first(d, "Person").update(
            dataset_datasetSize="01", expandedlicensing_isOsiApproved="1", security_score=".5"
        ),
        True,
    ),
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_no_document_pyshacl_faults_is_certified(
    documents: dict[str, dict[str, Any]], edit: str
) -> None:
    data = copy.deepcopy(documents["broad"])
    change, expected = EDITS[edit]
    change(data)
    certified, found = _agrees(data)
    assert certified is expected
    if expected is None and edit.endswith(")"):
        assert found, "the edit was meant to break a constraint pyshacl checks"
    with contextlib.suppress(spdx3_shacl._NotShown):  # a reading left to rdflib, pyshacl
        _same_triples(data)


def test_seeded_random_edits_are_never_certified_where_pyshacl_faults(
    documents: dict[str, dict[str, Any]],
) -> None:
    """Values moved between properties and elements at random: whatever the edit, a
    document pyshacl faults is not certified."""
    base = documents["broad"]
    pool: list[Any] = []
    for obj in base["@graph"]:
        for value in obj.values():
            pool.extend(value if isinstance(value, list) else [value])
    pool += ["", "_:nowhere", "https://example.org/x", "2026-01-01T00:00:00Z", "sha256"]
    rng = random.Random(20261127)
    certified_count = faulted = 0
    for _ in range(RANDOM_EDITS):
        data = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            obj = rng.choice(data["@graph"])
            key = rng.choice([k for k in obj if k not in ("type",)] or ["name"])
            if rng.random() < 0.2:
                obj.pop(key, None)
            else:
                obj[key] = copy.deepcopy(rng.choice(pool))
        certified, found = _agrees(data)
        certified_count += bool(certified)
        faulted += bool(found)
    assert faulted  # the edits break documents (the test is not vacuous)


def test_objects_nested_deeper_than_rdflib_reads_are_left_to_it(
    documents: dict[str, dict[str, Any]],
) -> None:
    """Found by review: rdflib's JSON-LD parser recurses into nested objects; a document
    nested deeper than MAX_NESTING is not read here (and the validator says why when
    nothing can read it)."""
    from sbomgen.emit.validate import spdx3_problems

    def nested(levels: int) -> dict[str, Any]:
        data = copy.deepcopy(documents["broad"])
        value: dict[str, Any] = {"type": "Hash", "algorithm": "sha1", "hashValue": "0" * 40}
        for _ in range(levels):
            value = {"type": "Hash", "algorithm": "sha1", "hashValue": "1", "extension": [value]}
        _first(data, "software_Package")["verifiedUsing"] = [value]
        return data

    assert list(spdx3_shacl.triples(nested(spdx3_shacl.MAX_NESTING - 2)))
    with pytest.raises(spdx3_shacl._NotShown):
        list(spdx3_shacl.triples(nested(spdx3_shacl.MAX_NESTING + 1)))
    deep = nested(350)
    assert spdx3_shacl.conforms(deep) is None
    problems = spdx3_problems(json.dumps(deep))
    assert problems and "nests deeper" in problems[0].message
