"""CycloneDX XML written from the fast path's component objects, in the schema's element
order, as cyclonedx-python-lib writes it (tests/emit/test_cyclonedx_fast.py compares the
bytes, for every version, on the sample and generated organizations).

The library builds the whole document as objects, then an ElementTree, then a minidom
tree for pretty printing: about 1 GB per 10,000 components. This writes lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

Obj = dict[str, Any]


def _esc(value: Any) -> str:
    """minidom's escaping, for text and attribute values alike."""
    text = str(value)
    if any(c in text for c in '&<>"'):
        text = (
            text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
        )
    return text


_BREAKS = re.compile(r"\r\n|\t|\n|\r")


def _n(value: Any) -> Any:
    """xs:normalizedString, as the library writes the fields it declares so: every line
    break and tab a space (JSON keeps them)."""
    return _BREAKS.sub(" ", value) if isinstance(value, str) else value


class _Out:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def leaf(self, depth: int, tag: str, value: Any, attrs: Iterable[tuple[str, Any]] = ()) -> None:
        if value is None:
            return
        a = "".join(f' {k}="{_esc(v)}"' for k, v in attrs if v is not None)
        self.lines.append(f"{'  ' * depth}<{tag}{a}>{_esc(value)}</{tag}>")

    def open(self, depth: int, tag: str, attrs: Iterable[tuple[str, Any]] = ()) -> None:
        a = "".join(f' {k}="{_esc(v)}"' for k, v in attrs if v is not None)
        self.lines.append(f"{'  ' * depth}<{tag}{a}>")

    def close(self, depth: int, tag: str) -> None:
        self.lines.append(f"{'  ' * depth}</{tag}>")

    def empty(self, depth: int, tag: str, attrs: Iterable[tuple[str, Any]] = ()) -> None:
        a = "".join(f' {k}="{_esc(v)}"' for k, v in attrs if v is not None)
        self.lines.append(f"{'  ' * depth}<{tag}{a}/>")


def _entity(out: _Out, d: int, tag: str, entity: Obj | None) -> None:
    if entity:
        out.open(d, tag)
        out.leaf(d + 1, "name", _n(entity.get("name")))
        for url in entity.get("url") or []:
            out.leaf(d + 1, "url", url)
        for contact in entity.get("contact") or []:
            out.open(d + 1, "contact")
            out.leaf(d + 2, "name", _n(contact.get("name")))
            out.leaf(d + 2, "email", contact.get("email"))
            out.close(d + 1, "contact")
        out.close(d, tag)


def _licenses(out: _Out, d: int, licenses: list[Obj] | None) -> None:
    if not licenses:
        return
    out.open(d, "licenses")
    for entry in licenses:
        if "expression" in entry:
            out.leaf(
                d + 1,
                "expression",
                _n(entry["expression"]),
                [("acknowledgement", entry.get("acknowledgement"))],
            )
        else:
            lic = entry["license"]
            out.open(d + 1, "license", [("acknowledgement", lic.get("acknowledgement"))])
            out.leaf(d + 2, "id", lic.get("id"))
            out.leaf(d + 2, "name", _n(lic.get("name")))
            out.close(d + 1, "license")
    out.close(d, "licenses")


def _properties(out: _Out, d: int, properties: list[Obj] | None) -> None:
    if not properties:
        return
    out.open(d, "properties")
    for p in properties:
        out.leaf(d + 1, "property", _n(p["value"]), [("name", p["name"])])
    out.close(d, "properties")


def _number(value: Any) -> str:
    """Decimals as the library writes them (1 for 1.0, 7.5 for 7.5)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(Decimal(str(value)))


def component(out: _Out, d: int, c: Obj, version: str) -> None:
    out.open(d, "component", [("type", c["type"]), ("bom-ref", c.get("bom-ref"))])
    e = d + 1
    _entity(out, e, "supplier", c.get("supplier"))
    _entity(out, e, "manufacturer", c.get("manufacturer"))
    if c.get("authors"):
        out.open(e, "authors")
        for a in c["authors"]:
            _entity(out, e + 1, "author", a)
        out.close(e, "authors")
    out.leaf(e, "author", _n(c.get("author")))
    out.leaf(e, "group", _n(c.get("group")))
    out.leaf(e, "name", _n(c.get("name")))
    out.leaf(e, "version", _n(c.get("version")))
    out.leaf(e, "description", _n(c.get("description")))
    if c.get("hashes"):
        out.open(e, "hashes")
        for h in c["hashes"]:
            out.leaf(e + 1, "hash", h["content"], [("alg", h["alg"])])
        out.close(e, "hashes")
    _licenses(out, e, c.get("licenses"))
    out.leaf(e, "copyright", _n(c.get("copyright")))
    out.leaf(e, "cpe", _n(c.get("cpe")))
    out.leaf(e, "purl", c.get("purl"))
    if c.get("externalReferences"):
        out.open(e, "externalReferences")
        for r in c["externalReferences"]:
            out.open(e + 1, "reference", [("type", r["type"])])
            out.leaf(e + 2, "url", r["url"])
            out.close(e + 1, "reference")
        out.close(e, "externalReferences")
    _properties(out, e, c.get("properties"))
    evidence = c.get("evidence")
    if evidence:
        out.open(e, "evidence")
        identities = evidence.get("identity") or []
        for identity in identities if isinstance(identities, list) else [identities]:
            out.open(e + 1, "identity")
            out.leaf(e + 2, "field", identity["field"])
            out.leaf(e + 2, "confidence", _number(identity["confidence"]))
            out.open(e + 2, "methods")
            for m in identity["methods"]:
                out.open(e + 3, "method")
                out.leaf(e + 4, "technique", m["technique"])
                out.leaf(e + 4, "confidence", _number(m["confidence"]))
                out.leaf(e + 4, "value", m.get("value"))
                out.close(e + 3, "method")
            out.close(e + 2, "methods")
            out.close(e + 1, "identity")
        if evidence.get("occurrences"):
            out.open(e + 1, "occurrences")
            for occurrence in evidence["occurrences"]:
                out.open(e + 2, "occurrence", [("bom-ref", occurrence.get("bom-ref"))])
                out.leaf(e + 3, "location", occurrence["location"])
                out.leaf(e + 3, "additionalContext", occurrence.get("additionalContext"))
                out.close(e + 2, "occurrence")
            out.close(e + 1, "occurrences")
        out.close(e, "evidence")
    out.close(d, "component")


def _metadata(out: _Out, m: Obj, version: str) -> None:
    out.open(1, "metadata")
    out.leaf(2, "timestamp", m.get("timestamp"))
    if m.get("lifecycles"):  # the schemas put them after the timestamp
        out.open(2, "lifecycles")
        for cycle in m["lifecycles"]:
            out.open(3, "lifecycle")
            out.leaf(4, "phase", cycle.get("phase"))
            out.close(3, "lifecycle")
        out.close(2, "lifecycles")
    tools = m.get("tools")
    if isinstance(tools, list):
        out.open(2, "tools")
        for t in tools:
            out.open(3, "tool")
            out.leaf(4, "name", t.get("name"))
            out.leaf(4, "version", t.get("version"))
            out.close(3, "tool")
        out.close(2, "tools")
    elif tools:
        out.open(2, "tools")
        out.open(3, "components")
        for t in tools["components"]:
            component(out, 4, t, version)
        out.close(3, "components")
        out.close(2, "tools")
    if m.get("authors"):
        out.open(2, "authors")
        for a in m["authors"]:
            _entity(out, 3, "author", a)
        out.close(2, "authors")
    if m.get("component"):
        component(out, 2, m["component"], version)
    _entity(out, 2, "manufacturer", m.get("manufacturer"))
    _entity(out, 2, "supplier", m.get("supplier"))
    out.close(1, "metadata")


def _vulnerability(out: _Out, v: Obj) -> None:
    out.open(2, "vulnerability", [("bom-ref", v.get("bom-ref"))])
    out.leaf(3, "id", _n(v.get("id")))
    _source(out, 3, v.get("source"))
    if v.get("ratings"):
        out.open(3, "ratings")
        for r in v["ratings"]:
            out.open(4, "rating")
            _source(out, 5, r.get("source"))
            if r.get("score") is not None:
                out.leaf(5, "score", str(Decimal(str(r["score"]))))
            out.leaf(5, "severity", r.get("severity"))
            out.leaf(5, "method", r.get("method"))
            out.leaf(5, "vector", _n(r.get("vector")))
            out.close(4, "rating")
        out.close(3, "ratings")
    out.leaf(3, "description", v.get("description"))
    out.leaf(3, "recommendation", v.get("recommendation"))
    out.leaf(3, "published", v.get("published"))
    analysis = v.get("analysis")
    if analysis:
        out.open(3, "analysis")
        out.leaf(4, "state", analysis.get("state"))
        out.leaf(4, "justification", analysis.get("justification"))
        if analysis.get("response"):
            out.open(4, "responses")
            for response in analysis["response"]:
                out.leaf(5, "response", response)
            out.close(4, "responses")
        out.leaf(4, "detail", analysis.get("detail"))
        out.close(3, "analysis")
    if v.get("affects"):
        out.open(3, "affects")
        for t in v["affects"]:
            out.open(4, "target")
            out.leaf(5, "ref", t["ref"])
            out.close(4, "target")
        out.close(3, "affects")
    _properties(out, 3, v.get("properties"))
    out.close(2, "vulnerability")


def _source(out: _Out, d: int, source: Obj | None) -> None:
    if source:
        out.open(d, "source")
        out.leaf(d + 1, "name", _n(source.get("name")))
        out.leaf(d + 1, "url", source.get("url"))
        out.close(d, "source")


def component_text(c: Obj, version: str) -> str:
    """One component as it stands in the document (two levels deep)."""
    out = _Out()
    component(out, 2, c, version)
    return "\n".join(out.lines)


def compositions_xml(out: _Out, compositions: list[Obj]) -> None:
    """``compositions`` in the schema's form: after ``dependencies``, before
    ``vulnerabilities``."""
    if not compositions:
        return
    out.open(1, "compositions")
    for composition in compositions:
        out.open(2, "composition")
        out.leaf(3, "aggregate", composition["aggregate"])
        for part, item in (("assemblies", "assembly"), ("dependencies", "dependency")):
            refs = composition.get(part) or []
            if refs:
                out.open(3, part)
                for ref in refs:
                    out.empty(4, item, [("ref", ref)])
                out.close(3, part)
        out.close(2, "composition")
    out.close(1, "compositions")


def pieces(skeleton: Obj, chunks: list[str], version: str, serial: str) -> list[bytes]:
    """The document, encoded in parts: head and metadata, the components (as
    component_text wrote them, in their final order), dependencies and vulnerabilities."""
    out = _Out()
    out.lines.append('<?xml version="1.0" ?>')
    out.open(
        0,
        "bom",
        [
            ("xmlns", f"http://cyclonedx.org/schema/bom/{version}"),
            ("serialNumber", serial),
            ("version", skeleton.get("version", 1)),
        ],
    )
    _metadata(out, skeleton["metadata"], version)
    if chunks:
        out.open(1, "components")
    head = ("\n".join(out.lines) + "\n").encode("utf-8")
    parts = [head]
    for chunk in chunks:
        parts.append((chunk + "\n").encode("utf-8"))
    out = _Out()
    if chunks:
        out.close(1, "components")
    deps = skeleton.get("dependencies") or []
    if deps:
        out.open(1, "dependencies")
        for dep in deps:
            children = dep.get("dependsOn") or []
            if not children:
                out.empty(2, "dependency", [("ref", dep["ref"])])
                continue
            out.open(2, "dependency", [("ref", dep["ref"])])
            for child in children:
                out.empty(3, "dependency", [("ref", child)])
            out.close(2, "dependency")
        out.close(1, "dependencies")
    compositions_xml(out, skeleton.get("compositions") or [])
    if skeleton.get("vulnerabilities"):
        out.open(1, "vulnerabilities")
        for v in skeleton["vulnerabilities"]:
            _vulnerability(out, v)
        out.close(1, "vulnerabilities")
    out.close(0, "bom")
    parts.append(("\n".join(out.lines) + "\n").encode("utf-8"))
    return parts
