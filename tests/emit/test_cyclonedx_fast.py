"""The fast CycloneDX JSON writer against cyclonedx-python-lib, the reference.

Equivalence: the same plan rendered both ways gives the same bytes, for every CycloneDX
version, on the bundled sample and on generated organizations of several sizes (and with
in-house libraries left out, and with a bare description of the release).

Rejection: over a corpus of broken documents, every one the library's own JSON validator
rejects is rejected by the validator the fast path uses (jsonschema-rs over the same
schema files), and the fast path also refuses what the library's serializer refuses
(unknown or repeated bom-refs).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

from sbomgen.emit import cyclonedx_fast
from sbomgen.emit.cyclonedx import VERSIONS, CycloneDx
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.plan import plan_document
from sbomgen.emit.validate import cyclonedx_problems
from sbomgen.model import Inventory

BARE = DocumentMeta(
    name="bare",
    version=None,
    timestamp=datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc),
    reproducible=True,
    file_stem="bare",
)


def _both(
    inventory: Inventory, meta: DocumentMeta, version: str, fmt: str = "json", **kw: Any
) -> tuple[str, str]:
    emitter = CycloneDx(fmt, version, **kw)
    plan = plan_document(inventory, meta, exclude_in_house=emitter.exclude_in_house)
    fast = cyclonedx_fast.joined(cyclonedx_fast.render(plan, version, fmt)[0]).decode("utf-8")
    return emitter.library_text(plan), fast


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("version", list(VERSIONS))
def test_the_sample_gives_the_same_bytes(
    sample: Inventory, meta: DocumentMeta, version: str, fmt: str
) -> None:
    for m in (meta, BARE):
        library, fast = _both(sample, m, version, fmt)
        assert fast == library
    library, fast = _both(sample, meta, version, fmt, exclude_in_house=True)
    assert fast == library


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("version", list(VERSIONS))
@pytest.mark.parametrize("contact", ["sbom@acme.example", "https://acme.example/sbom"])
def test_a_supplier_contact_gives_the_same_bytes(
    sample: Inventory, meta: DocumentMeta, version: str, fmt: str, contact: str
) -> None:
    from dataclasses import replace

    library, fast = _both(sample, replace(meta, supplier_contact=contact), version, fmt)
    assert fast == library
    assert contact in fast
    # a project's own version (config [versions]) changes its place among the components
    own = replace(meta, versions={"storefront-api": "3.1.0", "Acme Payments": "0.9"})
    library, fast = _both(sample, own, version, fmt)
    assert fast == library
    assert "3.1.0" in fast


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("version", list(VERSIONS))
def test_the_releases_own_files_and_identifiers_give_the_same_bytes(
    sample: Inventory, released: DocumentMeta, version: str, fmt: str
) -> None:
    """[files] and [identifiers]: the own components' purl, CPE, SHA-512 and
    bsi:component:filename, written the same by both paths (and schema-valid: both check)."""
    library, fast = _both(sample, released, version, fmt)
    assert fast == library
    root = released.files[released.name]
    assert root.name in fast and root.sha512 in fast
    for name, ids in released.identifiers.items():
        assert ids[0] in fast, name
    assert "cpe:2.3:a:acme:acme_corp:2.4.0" in fast
    assert fast.count("bsi:component:filename") == len(sample.libraries) + len(
        released.files
    ) - sum(1 for lib in sample.libraries.values() if not lib.filename)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("version", list(VERSIONS))
def test_generated_organizations_give_the_same_bytes(
    generated: Inventory, meta: DocumentMeta, version: str, fmt: str
) -> None:
    library, fast = _both(generated, meta, version, fmt)
    if fmt == "json":
        assert len(json.loads(fast)["components"]) > len(generated.libraries)
    else:
        assert fast.count('<component type="library"') == len(generated.libraries)
    assert fast == library


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_render_uses_the_fast_path_and_the_library_agrees(
    sample: Inventory, meta: DocumentMeta, fmt: str
) -> None:
    fast = CycloneDx(fmt, "1.6").render(sample, meta)
    library = CycloneDx(fmt, "1.6", fast=False).render(sample, meta)
    assert fast == library


XML_BREAKS = {
    "not well-formed": ("<name>", "<nme>"),
    "no name": ("<name>Acme Payments</name>", ""),
    "component type": ('type="library"', 'type="librarie"'),
    "hash alg": ('alg="SHA-1"', 'alg="SHA-2"'),
    "extref type": ('type="website"', 'type="homepage"'),
    "license id": ("<id>MIT</id>", "<id>Not-A-License</id>"),
    "version attr": ('version="1"', 'version="one"'),
    "serial": ('serialNumber="urn:uuid:', 'serialNumber="urn:uid:'),
    "timestamp": ("<timestamp>2026", "<timestamp>yesterday-2026"),
    "unknown element": ("<copyright>", "<colour>red</colour><copyright>"),
    "score text": ("<score>", "<score>high"),
    "severity": ("<severity>medium", "<severity>severe"),
    "method": ("<method>CVSSv31", "<method>CVSSv9"),
    "order": ("<purl>", "<purl>x</purl><purl>"),
    "dependency no ref": ('<dependency ref="root">', "<dependency>"),
    "bad namespace": ("bom/1.", "bom/0."),
}


@pytest.mark.parametrize("version", ["1.4", "1.6", "1.7"])
def test_every_xml_document_the_library_rejects_the_streamed_check_rejects(
    sample: Inventory, meta: DocumentMeta, version: str
) -> None:
    from cyclonedx.validation.xml import XmlValidator

    from sbomgen.emit.validate import cyclonedx_xml_streamed

    library_validator = XmlValidator(VERSIONS[version])
    data = CycloneDx("xml", version).render(sample, meta)["Acme-Corp.cdx.xml"]
    assert cyclonedx_xml_streamed(data, version) == []
    text = data.decode("utf-8")
    rejected = 0
    for name, (old, new) in XML_BREAKS.items():
        if old not in text:
            continue
        for count in (1, -1):  # the first occurrence, and every one
            broken = text.replace(old, new, count if count > 0 else text.count(old))
            try:
                by_library = library_validator.validate_str(broken) is not None
            except Exception:  # not even well-formed: the library raises
                by_library = True
            by_stream = bool(cyclonedx_xml_streamed(broken.encode("utf-8"), version))
            if by_library:
                rejected += 1
                assert by_stream, f"{name}: the library rejects it, the streamed check does not"
    assert rejected >= 15


# -- rejection ------------------------------------------------------------------------------


def _mutations(doc: dict[str, Any], rng: random.Random) -> Iterator[tuple[str, dict[str, Any]]]:
    """Broken variants of a valid document: fixed cases, then random ones."""

    def variant(change: Any) -> dict[str, Any]:
        d = copy.deepcopy(doc)
        change(d)
        return d

    lib = next(i for i, c in enumerate(doc["components"]) if c["type"] == "library")
    fixed = {
        "no bomFormat": lambda d: d.pop("bomFormat"),
        "bomFormat SPDX": lambda d: d.__setitem__("bomFormat", "SPDX"),
        "no specVersion": lambda d: d.pop("specVersion"),
        "version as text": lambda d: d.__setitem__("version", "1"),
        "version 0": lambda d: d.__setitem__("version", 0),
        "bad serial": lambda d: d.__setitem__("serialNumber", "urn:uuid:not-a-uuid"),
        "unknown top-level": lambda d: d.__setitem__("extra", 1),
        "components object": lambda d: d.__setitem__("components", {}),
        "component type": lambda d: d["components"][lib].__setitem__("type", "librarie"),
        "component no name": lambda d: d["components"][lib].pop("name"),
        "component no type": lambda d: d["components"][lib].pop("type"),
        "component extra": lambda d: d["components"][lib].__setitem__("colour", "red"),
        "hash alg": lambda d: d["components"][lib].__setitem__(
            "hashes", [{"alg": "SHA-2", "content": "00"}]
        ),
        "hash content": lambda d: d["components"][lib].__setitem__(
            "hashes", [{"alg": "SHA-1", "content": "xyz"}]
        ),
        "license id": lambda d: d["components"][lib].__setitem__(
            "licenses", [{"license": {"id": "Not-A-License"}}]
        ),
        "license both": lambda d: d["components"][lib].__setitem__(
            "licenses", [{"license": {"id": "MIT", "name": "MIT"}}]
        ),
        "extref type": lambda d: d["components"][lib].__setitem__(
            "externalReferences", [{"type": "homepage", "url": "https://x"}]
        ),
        "extref no url": lambda d: d["components"][lib].__setitem__(
            "externalReferences", [{"type": "website"}]
        ),
        "property value number": lambda d: d["components"][lib].__setitem__(
            "properties", [{"name": "a", "value": 1}]
        ),
        "timestamp": lambda d: d["metadata"].__setitem__("timestamp", "yesterday"),
        "tools string": lambda d: d["metadata"].__setitem__("tools", "sbomgen"),
        "dependency no ref": lambda d: d["dependencies"].append({"dependsOn": []}),
        "dependsOn string": lambda d: d["dependencies"][0].__setitem__("dependsOn", "x"),
    }
    if doc.get("vulnerabilities"):
        fixed |= {
            "rating severity": lambda d: d["vulnerabilities"][0]["ratings"][0].__setitem__(
                "severity", "severe"
            ),
            "rating score text": lambda d: d["vulnerabilities"][0]["ratings"][0].__setitem__(
                "score", "high"
            ),
            "published": lambda d: d["vulnerabilities"][0].__setitem__("published", "2020"),
            "affects object": lambda d: d["vulnerabilities"][0].__setitem__("affects", {}),
        }
    for name, change in fixed.items():
        yield name, variant(change)
    # random: a value somewhere replaced by one of the wrong type, or a key removed
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append((*path, k))
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node[:3]):
                walk(v, (*path, i))

    walk(doc, ())
    for n in range(80):
        path = rng.choice(paths)
        d = copy.deepcopy(doc)
        parent = d
        for part in path[:-1]:
            parent = parent[part]
        how = rng.choice(["drop", "null", "number", "list", "empty"])
        if how == "drop":
            parent.pop(path[-1])
        else:
            parent[path[-1]] = {"null": None, "number": 12, "list": [1], "empty": ""}[how]
        yield f"random {n}: {how} at {'.'.join(map(str, path))}", d


@pytest.mark.parametrize("version", ["1.4", "1.6", "1.7"])
def test_every_document_the_library_rejects_the_fast_validator_rejects(
    sample: Inventory, meta: DocumentMeta, version: str
) -> None:
    from cyclonedx.validation.json import JsonStrictValidator

    library_validator = JsonStrictValidator(VERSIONS[version])
    # a small document keeps the library's validator (pure Python) quick
    project = next(iter(sample.projects))
    small = Inventory(
        org_name=sample.org_name,
        projects={project: sample.projects[project]},
        libraries=dict(
            sorted(sample.libraries.items(), key=lambda kv: -len(kv[1].vulnerabilities))[:3]
        ),
    )
    text = cyclonedx_fast.bom_text(plan_document(small, meta), version)
    assert library_validator.validate_str(text) is None
    assert cyclonedx_problems(text, "json", version) == []
    doc = json.loads(text)
    rejected = 0
    for name, broken in _mutations(doc, random.Random(version)):
        broken_text = json.dumps(broken)
        by_library = library_validator.validate_str(broken_text) is not None
        by_fast = bool(cyclonedx_problems(broken_text, "json", version))
        if by_library:
            rejected += 1
            assert by_fast, f"{name}: the library rejects it, the fast validator does not"
    print(f"CycloneDX {version}: the library rejected {rejected} broken documents")
    assert rejected >= 40  # the corpus is mostly broken documents


def test_the_fast_path_refuses_what_the_library_serializer_refuses(
    sample: Inventory, meta: DocumentMeta
) -> None:
    text = cyclonedx_fast.bom_text(plan_document(sample, meta), "1.6")
    assert cyclonedx_fast.reference_problems(text) == []
    doc = json.loads(text)
    doc["dependencies"][0]["dependsOn"] = ["mend-lib:nowhere"]
    doc["vulnerabilities"][0]["affects"] = [{"ref": "mend-lib:gone"}]
    doc["components"].append(copy.deepcopy(doc["components"][-1]))
    problems = cyclonedx_fast.reference_problems(json.dumps(doc))
    assert any("nowhere" in p for p in problems)
    assert any("gone" in p for p in problems)
    assert any("more than once" in p for p in problems)


def test_compositions_state_completeness_only_where_mends_hierarchy_does(
    sample: Inventory,
) -> None:
    from sbomgen.emit.plan import compositions

    plan = plan_document(sample, BARE)
    stated = {node: aggregate for aggregate, nodes in compositions(plan) for node in nodes}
    libraries = {f"lib:{lib.key_uuid}" for lib in plan.libraries}
    under = {c for n, cs in plan.edges.items() if n in libraries for c in cs}
    for node in libraries:
        if plan.edges.get(node):
            assert stated[node] == "complete", node  # the resolver listed its dependencies
        elif node in under:
            assert stated[node] == "complete", node  # a leaf inside a resolved tree
        else:
            assert stated[node] == "unknown", node  # alone at a tree's top: maybe a file
    # the project with a library Mend found but could not place in its tree
    unplaced = {
        f"project:{o.project}"
        for lib in sample.libraries.values()
        for o in lib.occurrences
        if lib.key_uuid not in {e.child for e in sample.projects[o.project].edges}
    }
    assert unplaced and {n for n, a in stated.items() if a == "incomplete"} == unplaced
    assert {n for n in stated if n.startswith("project:")} == {
        f"project:{p.token}" for p in plan.projects
    }
    # every aggregate sbomgen states is one every CycloneDX version knows
    assert set(stated.values()) == {"complete", "incomplete", "unknown"}
