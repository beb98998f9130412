"""CycloneDX JSON written straight from the document plan: the fast path.

cyclonedx-python-lib stays the reference. It builds every component as an object held in
sorted sets (about 2 ms a component, most of it sorting) and serializes through a generic
reflection layer; at 10,000 components that is most of a ``generate`` run. This module
writes the same JSON from plain dicts: the same fields from the same helpers of
:mod:`sbomgen.emit.cyclonedx`, the same per-version rules, and the library's orders (its
sets sort by the comparison tuples of its model classes, reproduced here as sort keys).

It is proven, not assumed: tests/emit/test_cyclonedx_fast.py renders the bundled sample
and generated organizations of several sizes both ways, for every CycloneDX version, and
requires the bytes to be equal; and every document the library's validator rejects (a
corpus of broken documents) is rejected by the validator this path uses. The XML writer,
and every reader, stay the library's.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from sbomgen import __version__
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.plan import (
    DocumentPlan,
    VulnStatement,
    published_date,
    vulnerability_statements,
)
from sbomgen.emit.spool import Spool
from sbomgen.model import NOASSERTION, Library

Obj = dict[str, Any]
SCHEMA = "http://cyclonedx.org/schema/bom-{}.schema.json"
# score sources a version has (others are written "other", as the library does)
_SCORE_SOURCES_1_4 = {"CVSSv2", "CVSSv3", "CVSSv31", "OWASP", "other"}
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")


def _o(**fields: Any) -> Obj:
    """A JSON object as the library writes it: keys in sorted order, empty fields left out."""
    return {k: fields[k] for k in sorted(fields) if fields[k] not in (None, [], {})}


def _named(**fields: Any) -> Obj:
    """Like _o, with JSON names that are not Python names (``bom-ref``)."""
    return _o(**fields)


def _last(value: Any) -> tuple[int, Any]:
    """A sort key part that puts None after every value (the library's ComparableTuple)."""
    return (1, "") if value is None else (0, value)


def _sorted_unique(items: Iterable[Obj], key: Callable[[Obj], Any]) -> list[Obj]:
    """A SortedSet's content: sorted, equal members once."""
    out: list[Obj] = []
    seen: set[str] = set()
    for item in sorted(items, key=key):
        marker = json.dumps(item, sort_keys=True)
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out


def _own_ids(meta: DocumentMeta, name: str) -> dict[str, Any]:
    """As sbomgen.emit.cyclonedx._own_ids: the first configured Package URL and CPE, and
    the SHA-512 of the configured file and where it is downloaded from."""
    from sbomgen.emit.cyclonedx import _uri

    purls, cpes = meta.purls_of(name), meta.cpes_of(name)
    file = meta.files.get(name)
    return {
        "purl": purls[0] if purls else None,
        "cpe": cpes[0] if cpes else None,
        "hashes": [_o(alg="SHA-512", content=file.sha512)] if file and file.sha512 else None,
        "externalReferences": [
            {"type": "distribution", "url": str(uri)}
            for uri in [_uri(file.url if file else None)]
            if uri is not None
        ]
        or None,
    }


def _own_file(meta: DocumentMeta, name: str) -> list[tuple[str, str]]:
    from sbomgen.emit.cyclonedx import own_file_properties

    return own_file_properties(meta, name)


def _props(pairs: Iterable[tuple[str, str]]) -> list[Obj]:
    return [{"name": n, "value": v} for n, v in sorted(set(pairs))]


def _license_key(entry: Obj) -> tuple[Any, ...]:
    # expressions before single licenses; then acknowledgement, id or expression
    if "expression" in entry:
        return (0, _last(entry.get("acknowledgement")), entry["expression"])
    return (1, _last(entry.get("acknowledgement")), _last(entry["license"].get("id")))


def _license(expression: str, ack: str | None, version: str) -> Obj:
    from sbomgen.emit.cyclonedx import SPDX_ID

    ack = ack if version not in ("1.4", "1.5") else None
    if SPDX_ID.match(expression) and not expression.startswith("LicenseRef-"):
        return _o(license=_o(id=expression, acknowledgement=ack))
    return _o(expression=expression, acknowledgement=ack)


def _own_licenses(expression: str | None, version: str) -> list[Obj] | None:
    from sbomgen.emit.cyclonedx import own_licenses

    entries = [_license(e, a, version) for e, a in own_licenses(expression, version)]
    return sorted(entries, key=_license_key) or None


def _licenses(lib: Library, version: str) -> list[Obj]:
    """The same choice as :func:`sbomgen.emit.cyclonedx._licenses`."""
    if lib.license is None:
        return []
    declared, concluded = lib.license.declared, lib.license.concluded
    if version in ("1.4", "1.5"):
        return [] if concluded == NOASSERTION else [_license(concluded, None, version)]
    out = []
    if concluded != NOASSERTION:
        out.append(_license(concluded, "concluded", version))
    if declared != NOASSERTION:
        out.append(_license(declared, "declared", version))
    if len(out) == 2 and not all("license" in x for x in out):
        out = out[:1]
    return sorted(out, key=_license_key)


def _license_json(entry: Obj) -> Obj:
    """The library writes a single license's acknowledgement inside ``license``."""
    return entry


def _external_refs(lib: Library) -> list[Obj]:
    from sbomgen.emit.cyclonedx import _uri

    refs = []
    for kind, value in (
        ("website", lib.references.homepage),
        ("issue-tracker", lib.references.issue_tracker),
        ("vcs", lib.references.scm),
        ("distribution", lib.references.download),
        ("build-meta", lib.references.pom),
    ):
        uri = _uri(value)
        if uri is not None:
            refs.append((kind, str(uri)))
    return [{"type": t, "url": u} for t, u in sorted(set(refs))]


def library_object(lib: Library, version: str) -> tuple[Obj, tuple[Any, ...]]:
    """One library component, and its place in the library's component order."""
    from sbomgen.emit.cyclonedx import (
        CanonicalPurl,
        _match_types,
        _names,
        declared_in_property,
        node_ref,
    )

    purl = CanonicalPurl(lib.purl) if lib.purl else None
    group, name = _names(lib, purl)
    props: list[tuple[str, str]] = [("mend:keyUuid", lib.key_uuid)]
    if lib.type:
        props.append(("mend:type", lib.type))
    if lib.language_type:
        props.append(("mend:languageType", lib.language_type))
    match_types = _match_types(lib)
    if match_types:
        props.append(("mend:matchType", ",".join(match_types)))
    props.append(("mend:directDependency", "true" if lib.direct_anywhere else "false"))
    if lib.in_house:
        props.append(("mend:inHouse", "true"))
    written = _licenses(lib, version)
    if lib.license is not None:
        for part in lib.license.parts:
            props.append(("mend:license", part.mend_name))
        if lib.license.suspected:
            names = ", ".join(p.mend_name for p in lib.license.parts if p.suspected)
            props.append(("mend:suspectedLicense", names))
        if lib.license.inference:
            props.append(("mend:licenseInference", lib.license.inference))
        if lib.license.curation:
            props.append(("mend:licenseCuration", lib.license.curation))
        if declared_in_property(lib, len(written), version):
            props.append(("mend:declaredLicense", lib.license.declared))
    if lib.purl is None and lib.purl_problem:
        props.append(("mend:purlMissing", lib.purl_problem))
    for fact in sorted(lib.fact_sources):
        value = f"{fact.source} ({fact.note})" if fact.note else fact.source
        props.append((f"sbomgen:source:{fact.fact}", value))
    if lib.filename:
        props.append(("mend:filename", lib.filename))
        props.append(("bsi:component:filename", lib.filename))
    if lib.supplier is not None and lib.supplier.source != "configuration":
        props.append(("sbomgen:supplierSource", lib.supplier.source))
    sha1 = lib.sha1.lower() if lib.sha1 and _SHA1.fullmatch(lib.sha1) else None
    originator = lib.originator
    person = originator is not None and originator.kind == "person"
    modern = version not in ("1.4", "1.5")
    evidence = None
    if version != "1.4":
        from sbomgen.emit.cyclonedx import occurrence_facts

        identity = None
        if sha1 is not None and "SHA1" in match_types:
            method = _o(technique="hash-comparison", confidence=1.0, value=sha1)
            identity = _o(field="hash", confidence=1.0, methods=[method])
        unique = [
            _o(**{"bom-ref": ref}, location=location, additionalContext=context)
            for ref, location, context in occurrence_facts(lib, version)
        ]
        if identity is not None or unique:
            evidence = _o(
                identity=([identity] if modern else identity) if identity else None,
                occurrences=unique or None,
            )
    ref = node_ref(f"lib:{lib.key_uuid}")
    obj = _o(
        **{"bom-ref": ref},
        type="library",
        name=name,
        group=group,
        version=lib.version,
        purl=str(purl) if purl is not None else None,
        description=lib.description,
        hashes=[_o(alg="SHA-1", content=sha1)] if sha1 else None,
        licenses=written,
        copyright="\n".join(c.text for c in lib.copyrights) or None,
        externalReferences=_external_refs(lib),
        properties=_props(props),
        supplier=_o(name=lib.supplier.name) if lib.supplier else None,
        authors=[_o(name=originator.name)] if originator and person and modern else None,
        manufacturer=_o(name=originator.name) if originator and not person and modern else None,
        author=originator.name if originator and not modern else None,
        evidence=evidence,
    )
    return obj, _component_key("library", group, name, lib.version, ref)


def _component_key(
    kind: str, group: str | None, name: str, version: str | None, ref: str
) -> tuple[Any, ...]:
    return (kind, _last(group), name, _last(version), ref)


def _severity(score: float | None) -> str | None:
    from sbomgen.emit.cyclonedx import _severity as severity

    found = severity(score)
    return found.value if found is not None else None


def _vulnerability(statement: VulnStatement, version: str) -> Obj:
    from sbomgen.emit.cyclonedx import _decimal, _uri, _vectors, node_ref

    vuln = statement.vuln
    refs = [node_ref(n) for n in statement.nodes]
    decided = statement.analysis
    analysis = (
        _o(
            state=decided.state,
            justification=decided.justification,
            response=sorted(decided.responses),
            detail=statement.detail or None,
        )
        if decided is not None
        else None
    )
    source = None
    if vuln.id.startswith("CVE-"):
        url = _uri(f"https://nvd.nist.gov/vuln/detail/{vuln.id}")
        source = _o(name="NVD", url=str(url) if url else None)
    elif vuln.url:
        url = _uri(vuln.url)
        source = _o(name=vuln.source or "Mend", url=str(url) if url else None)
    ratings: list[Obj] = []

    def rating(score: float | None, severity: str | None, method: str, vector: str | None) -> Obj:
        if version == "1.4" and method not in _SCORE_SOURCES_1_4:
            method = "other"
        value = _decimal(score)
        return _o(
            source=source,
            score=float(value) if value is not None else None,
            severity=severity,
            method=method,
            vector=vector,
        )

    v3_vector, v2_vector = _vectors(vuln.cvss3_vector)
    if vuln.cvss3_score is not None:
        method = "CVSSv3"
        if v3_vector and v3_vector.startswith("CVSS:3.1/"):
            method = "CVSSv31"
        elif v3_vector and v3_vector.startswith("CVSS:4"):
            method = "CVSSv4"
        ratings.append(rating(vuln.cvss3_score, _severity(vuln.cvss3_score), method, v3_vector))
    if vuln.score is None and v2_vector is not None:
        ratings.append(rating(None, None, "CVSSv2", v2_vector))
    if vuln.score is not None and (
        v2_vector is not None or vuln.cvss3_score is None or vuln.score != vuln.cvss3_score
    ):
        sev = (vuln.severity or "").lower()
        ratings.append(
            rating(
                vuln.score, sev if sev in ("low", "medium", "high") else None, "CVSSv2", v2_vector
            )
        )
    props = [("mend:cvss3Severity", vuln.cvss3_severity)] if vuln.cvss3_severity else []
    published = published_date(vuln.published)
    return _o(
        **{"bom-ref": statement.ref},
        analysis=analysis,
        id=vuln.id,
        source=source,
        ratings=_sorted_unique(ratings, key=_rating_key),
        description=vuln.description,
        recommendation=vuln.fix_resolution,
        published=published.isoformat() if published else None,
        affects=[_o(ref=r) for r in sorted(set(refs))],
        properties=_props(props),
    )


def _rating_key(r: Obj) -> tuple[Any, ...]:
    source = r.get("source")
    return (
        _last(r.get("severity")),
        Decimal(str(r.get("score") or 0)),
        _last(None if source is None else (source.get("name"), _last(source.get("url")))),
        _last(r.get("method")),
        _last(r.get("vector")),
    )


def bom_text(plan: DocumentPlan, version: str) -> str:
    """The document as the library path writes it before its serial number is set."""
    return joined(render(plan, version)[0]).decode("utf-8")


class Spooled:
    """The components of a JSON document, spooled to a temporary file as they were
    written, in the document's order (``order``: their numbers in the spool)."""

    def __init__(self, spool: Spool, order: list[int]) -> None:
        self.spool = spool
        self.order = order

    def __iter__(self) -> Iterator[bytes]:
        return self.spool.in_order(self.order, b",\n")

    def close(self) -> None:
        self.spool.close()


Piece = bytes | Spooled


def joined(pieces: list[Piece]) -> bytes:
    """The document's bytes (its spooled part read back once, into the one copy)."""
    out = io.BytesIO()  # getvalue() hands over its buffer
    for piece in pieces:
        if isinstance(piece, Spooled):
            for part in piece:
                out.write(part)
            piece.close()
        else:
            out.write(piece)
    pieces.clear()
    return out.getvalue()


def reachable_supplier(meta: DocumentMeta) -> Obj | None:
    """The configured supplier with its contact (an e-mail, or a URL), as metadata names it."""
    contact = meta.supplier_contact
    email = contact if contact and "@" in contact else None
    if not meta.supplier:
        return None
    return _o(
        name=meta.supplier,
        url=[contact] if contact and not email else None,
        contact=[_o(email=email)] if email else None,
    )


def tool_entry(version: str) -> Any:
    """sbomgen as the tool: a list in 1.4, ``components`` from 1.5 on."""
    if version == "1.4":
        return [_o(name="sbomgen", version=__version__)]
    return _o(components=[_o(type="application", name="sbomgen", version=__version__)])


def render(plan: DocumentPlan, version: str, fmt: str = "json") -> tuple[list[Piece], list[str]]:
    """The document (before its serial number is set) and its problems: the schema's, a
    component at a time (sbomgen.emit.validate.ComponentChecker), and the bom-references
    the library's serializer checks."""
    from sbomgen.emit.validate import ComponentChecker, Problem

    checker = ComponentChecker(version)
    from sbomgen.emit.cyclonedx import PROVISIONAL_UUID, node_ref

    meta = plan.meta
    modern = version not in ("1.4", "1.5")
    own = _o(name=meta.supplier) if meta.supplier else None
    reachable = reachable_supplier(meta)
    root = _o(
        **{"bom-ref": node_ref("root")},
        type="application",
        name=meta.name,
        version=meta.version,
        **_own_ids(meta, meta.name),
        supplier=own,
        manufacturer=reachable if modern else None,
        licenses=_own_licenses(meta.license, version),
        copyright=meta.copyright,
        properties=_props([("mend:scope", plan.root_kind), *_own_file(meta, meta.name)]),
    )
    metadata = _o(
        tools=tool_entry(version),
        component=root,
        timestamp=meta.timestamp.isoformat() if meta.timestamp else None,
        authors=[_o(name=a) for a in meta.authors] or None,
        supplier=reachable,
        manufacturer=reachable if modern else None,
        lifecycles=[_o(phase="build")] if version != "1.4" else None,
    )
    components: list[tuple[tuple[Any, ...], Obj]] = []
    for product in plan.products:
        ref = node_ref(f"product:{product.token}")
        components.append(
            (
                _component_key(
                    "application", None, product.name, meta.version_of(product.name), ref
                ),
                _o(
                    **{"bom-ref": ref},
                    type="application",
                    name=product.name,
                    version=meta.version_of(product.name),
                    **_own_ids(meta, product.name),
                    supplier=own,
                    manufacturer=reachable if modern else None,
                    licenses=_own_licenses(meta.license, version),
                    copyright=meta.copyright,
                    properties=_props([("mend:kind", "product"), *_own_file(meta, product.name)]),
                ),
            )
        )
    for project in plan.projects:
        ref = node_ref(f"project:{project.token}")
        props = [("mend:kind", "project"), *_own_file(meta, project.name)]
        if project.product_name:
            props.append(("mend:product", project.product_name))
        components.append(
            (
                _component_key(
                    "application", None, project.name, meta.version_of(project.name), ref
                ),
                _o(
                    **{"bom-ref": ref},
                    type="application",
                    name=project.name,
                    version=meta.version_of(project.name),
                    **_own_ids(meta, project.name),
                    supplier=own,
                    manufacturer=reachable if modern else None,
                    licenses=_own_licenses(meta.license, version),
                    copyright=meta.copyright,
                    properties=_props(props),
                ),
            )
        )
    # one component at a time: checked against the schema's component definition, written
    # out, and let go (a large document is never held as one tree)
    xml = fmt == "xml"
    if xml:
        from sbomgen.emit.cyclonedx_fast_xml import component_text
        from sbomgen.emit.cyclonedx_fast_xml import pieces as xml_pieces

    # JSON components go to a spool as they are written (the document is then held once,
    # as its bytes); XML's are put together by cyclonedx_fast_xml
    spool = None if xml else Spool(prefix="sbomgen-cdx-")

    def write(obj: Obj) -> str | int:
        if spool is None:
            return component_text(obj, version)
        return spool.add(_chunk(obj, 2).encode("utf-8"))

    for _, obj in components:
        checker.component(obj)
    chunks = [(key, write(obj)) for key, obj in components]
    refs = [c["bom-ref"] for _, c in components]
    components.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lib in plan.libraries:
            obj, key = library_object(lib, version)
            checker.component(obj)
            chunks.append((key, write(obj)))
            refs.append(obj["bom-ref"])

    chunks.sort(key=lambda kc: kc[0])
    # every component has an entry (the library registers each one), and the root
    dependencies: dict[str, list[str]] = {ref: [] for ref in sorted(refs)}
    dependencies.setdefault("root", [])
    for node, children in plan.edges.items():
        dependencies[node_ref(node)] = sorted({node_ref(c) for c in children})
    vulnerabilities = [
        _vulnerability(statement, version)
        for statement in sorted(vulnerability_statements(plan), key=lambda s: (s.vuln.id, s.ref))
    ]
    skeleton: Obj = {}
    skeleton["components"] = []
    skeleton["compositions"] = composition_objects(plan)
    skeleton["dependencies"] = [
        _o(ref=ref, dependsOn=deps) for ref, deps in sorted(dependencies.items())
    ]
    skeleton["metadata"] = metadata
    skeleton["serialNumber"] = PROVISIONAL_UUID.urn
    skeleton["version"] = 1
    if vulnerabilities:
        skeleton["vulnerabilities"] = vulnerabilities
    skeleton["$schema"] = SCHEMA.format(version)
    skeleton["bomFormat"] = "CycloneDX"
    skeleton["specVersion"] = version
    checker.document(skeleton)
    known = {root["bom-ref"], *refs}
    checker.problems += [
        Problem(p)
        for p in _references(
            [root["bom-ref"], *refs],
            known,
            skeleton["dependencies"],
            vulnerabilities,
            skeleton["compositions"],
        )
    ]
    if spool is None:
        ordered = [chunk for _, chunk in chunks if isinstance(chunk, str)]
        chunks.clear()
        return list(xml_pieces(skeleton, ordered, version, PROVISIONAL_UUID.urn)), [
            str(p) for p in checker.problems
        ]
    # json.dumps(document, indent=2) of the whole, put together from its parts: the
    # skeleton's, and the components' from the spool
    pieces: list[Piece] = [b"{\n"]
    for n, (field, value) in enumerate(skeleton.items()):
        head = f"{',' if n else ''}\n" if n else ""
        pieces.append(f"{head}  {json.dumps(field)}: ".encode())
        if field == "components":
            if not chunks:
                pieces.append(b"[]")
                continue
            pieces.append(b"[\n")
            pieces.append(Spooled(spool, [n for _, n in chunks if isinstance(n, int)]))
            chunks.clear()
            pieces.append(b"\n  ]")
        else:
            pieces.append(_chunk(value, 1).lstrip(" ").encode("utf-8"))
    pieces.append(b"\n}\n")
    if not any(isinstance(piece, Spooled) for piece in pieces):  # no components
        spool.close()
    return pieces, [str(p) for p in checker.problems]


def with_serial(pieces: list[Piece]) -> bytes:
    """The document with its serial number: a UUID derived from the document as written
    with the provisional one (the library path's rule, sbomgen.emit.cyclonedx._serialized),
    set in the serialNumber field itself."""
    from sbomgen.emit.cyclonedx import NAMESPACE, PROVISIONAL_UUID

    digest = hashlib.sha256()
    for piece in pieces:
        for part in piece if isinstance(piece, Spooled) else (piece,):
            digest.update(part)
    serial = str(uuid.uuid5(NAMESPACE, digest.hexdigest())).encode()
    provisional = str(PROVISIONAL_UUID).encode()
    marker = b'"serialNumber": '
    for i, piece in enumerate(pieces):
        if isinstance(piece, Spooled):  # components: the serial is in the skeleton
            continue
        if piece.endswith(marker):
            after = pieces[i + 1]
            assert isinstance(after, bytes)
            pieces[i + 1] = after.replace(provisional, serial, 1)
            break
        if piece.startswith(b"<?xml"):  # XML: the serial is an attribute of the head
            pieces[i] = piece.replace(provisional, serial, 1)
            break
    return joined(pieces)


def _chunk(value: Any, level: int) -> str:
    """``value`` as json.dumps(indent=2) writes it ``level`` levels deep (JSON strings
    hold no raw line breaks, so every line break is the layout's)."""
    pad = "  " * level
    return pad + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)


def composition_objects(plan: DocumentPlan) -> list[Obj]:
    """CycloneDX ``compositions``: how complete each stated dependency list is
    (sbomgen.emit.plan.compositions)."""
    from sbomgen.emit.cyclonedx import node_ref
    from sbomgen.emit.plan import ROOT_ASSEMBLY, compositions

    out: list[Obj] = []
    stated = dict(compositions(plan))
    for aggregate in ("complete", "incomplete", "unknown"):
        nodes = stated.get(aggregate)
        assemblies = [node_ref(ROOT_ASSEMBLY[1])] if aggregate == ROOT_ASSEMBLY[0] else []
        if not nodes and not assemblies:
            continue
        # "assemblies": [] says this composition describes no assembly (written, as
        # profiles such as cdx-ev's ask every composition to say)
        entry: Obj = {"aggregate": aggregate, "assemblies": assemblies}
        if nodes:
            entry["dependencies"] = [node_ref(n) for n in nodes]
        out.append(entry)
    return out


def _references(
    refs: list[str],
    known: set[str],
    dependencies: list[Obj],
    vulnerabilities: list[Obj],
    compositions: list[Obj] = (),  # type: ignore[assignment]
) -> list[str]:
    problems = []
    for i, composition in enumerate(compositions):
        for part in ("assemblies", "dependencies"):
            for j, ref in enumerate(composition.get(part) or []):
                if ref not in known:
                    problems.append(f"at $.compositions[{i}].{part}[{j}]: unknown bom-ref {ref!r}")
    if len(known) != len(refs):
        twice = sorted(r for r, n in Counter(refs).items() if n > 1)
        problems.append(f"bom-ref used more than once: {', '.join(twice[:5])}")
    for i, dep in enumerate(dependencies):
        for ref in [dep.get("ref"), *(dep.get("dependsOn") or [])]:
            if ref not in known:
                problems.append(f"at $.dependencies[{i}]: unknown bom-ref {ref!r}")
    for i, vuln in enumerate(vulnerabilities):
        for j, target in enumerate(vuln.get("affects") or []):
            if target.get("ref") not in known:
                problems.append(
                    f"at $.vulnerabilities[{i}].affects[{j}]: unknown bom-ref {target.get('ref')!r}"
                )
    return problems


def reference_problems(text: str) -> list[str]:
    """What cyclonedx-python-lib's serializer refuses and a schema cannot see: a
    dependency or an affected component naming a bom-ref the document does not have, and
    a bom-ref used twice."""
    data = json.loads(text)
    refs: list[str] = []
    root = (data.get("metadata") or {}).get("component") or {}
    if "bom-ref" in root:
        refs.append(root["bom-ref"])
    refs += [c["bom-ref"] for c in data.get("components") or [] if "bom-ref" in c]
    return _references(
        refs,
        set(refs),
        data.get("dependencies") or [],
        data.get("vulnerabilities") or [],
        data.get("compositions") or [],
    )
